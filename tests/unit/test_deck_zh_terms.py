"""The built-in deck's Chinese terms: one standard term per concept across topics, and titles that use them.

Readers search the glossary in Chinese and meet the same concept in several topics; a term translated two ways,
or a title whose Chinese names none of the topic's terms, sends them looking in the wrong place.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from quizapp.deck import load_deck
from quizapp.glossary import glossary_rows
from quizapp.paths import builtin_content_dir

CJK = "\u4e00-\u9fff"
LATIN_SPACE_CJK = re.compile(rf"[A-Za-z0-9] +[{CJK}]|[{CJK}] +[A-Za-z0-9]")


@pytest.fixture(scope="module")
def deck():
    return load_deck([builtin_content_dir()])


def variants(zh: str) -> list[str]:
    return [variant.strip() for variant in zh.split(" / ") if variant.strip()]


def test_a_glossary_term_has_the_same_chinese_in_every_topic(deck) -> None:
    renderings: dict[str, set[str]] = defaultdict(set)
    for topic in deck.topics:
        for entry in topic.glossary:
            renderings[entry.term.casefold()].add(entry.zh)
    assert {term: zh for term, zh in renderings.items() if len(zh) > 1} == {}


def test_a_chinese_glossary_term_names_one_english_term(deck) -> None:
    """'exponential moving average' (batch-norm) and 'exponential moving average (EMA)' (overfitting-remedies)
    were two rows for 指数移动平均: one concept must be one English term, whichever topic lists it."""
    english: dict[str, set[str]] = defaultdict(set)
    for row in glossary_rows(deck):
        for variant in variants(row.zh):
            english[variant].add(row.term)
    assert {zh: sorted(terms) for zh, terms in english.items() if len(terms) > 1} == {}


def test_glossary_chinese_has_no_space_between_latin_and_chinese(deck) -> None:
    """Search is by substring: 'p 值' was not found by 'p值', nor 'k 折交叉验证' by 'k折'. The deck writes
    1x1卷积, KL散度, F1值 without a space, so every term does."""
    spaced = [(topic.slug, entry.zh) for topic in deck.topics for entry in topic.glossary
              if LATIN_SPACE_CJK.search(entry.zh)]
    assert spaced == []


def test_every_title_names_the_topic_with_one_of_its_chinese_terms(deck) -> None:
    """A title's Chinese is what the notes' readers look for: it must use a standard term of the topic's own
    glossary (ROC曲线, not 'AUC计算' for a topic about ROC, AUC, PR curves and GAUC)."""
    wrong = []
    for topic in deck.topics:
        terms = [variant for entry in topic.glossary for variant in variants(entry.zh)]
        if not any(term in topic.title for term in terms):
            wrong.append((topic.slug, topic.title))
    assert wrong == []
