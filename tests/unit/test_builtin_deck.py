"""The built-in deck keeps its coverage: every topic of the source notes, enough cards of enough kinds."""

from __future__ import annotations

from collections import Counter

import pytest

import solvers
from quizapp.deck import load_deck
from quizapp.deck.schema import ChoiceCard, GeneratedCard
from quizapp.paths import builtin_content_dir

NOTES_TOPICS = {
    "batch-norm", "overfitting", "overfitting-remedies", "l1-l2", "class-imbalance",
    "auc-roc", "precision-recall-f1", "vanishing-exploding-gradients", "conv-1x1", "generative-discriminative",
}
ADJACENT_TOPICS = {"normalization", "loss-functions", "optimizers"}  # beyond the notes (issue 19); numbers come from templates
TOPICS = NOTES_TOPICS | ADJACENT_TOPICS
NUMERIC_TOPICS = NOTES_TOPICS  # every topic here has a solver that asks a number


@pytest.fixture(scope="module")
def deck():
    return load_deck([builtin_content_dir()])


def test_validates_cleanly(deck) -> None:
    assert [str(e) for e in deck.errors] == []


def test_every_topic_of_the_notes_is_present(deck) -> None:
    assert {t.slug for t in deck.topics} == TOPICS


@pytest.mark.parametrize("slug", sorted(TOPICS))
def test_topic_size_mix_and_sources(deck, slug: str) -> None:
    topic = deck.topic(slug)
    kinds = Counter(card.type for card in topic.cards)
    least_cards, least_kinds = (20, 4) if slug in ADJACENT_TOPICS else (14, 3)  # issue 19's bar for new topics
    assert len(topic.cards) >= least_cards, kinds
    assert len(kinds) >= least_kinds, kinds
    assert topic.sources, "a topic lists its sources"
    for card in topic.cards:
        assert card.card.explanation, f"{card.key} has no explanation"


@pytest.mark.parametrize("slug", sorted(ADJACENT_TOPICS))
def test_adjacent_topics_ask_for_numbers(deck, slug: str) -> None:
    """Without a solver of their own, their numbers come from static numeric cards and templates."""
    kinds = Counter(card.type for card in deck.topic(slug).cards)
    assert kinds["template"] >= 2 and kinds["numeric"] >= 3, kinds


@pytest.mark.parametrize("slug", sorted(TOPICS))
def test_every_topic_has_a_bilingual_glossary(deck, slug: str) -> None:
    glossary = deck.topic(slug).glossary
    assert len(glossary) >= 5
    for entry in glossary:
        assert entry.term.isascii(), entry
        assert any("\u4e00" <= char <= "\u9fff" for char in entry.zh), f"{entry.term}: no Chinese in {entry.zh!r}"


@pytest.mark.parametrize("slug", sorted(NUMERIC_TOPICS))
def test_numeric_topics_have_generated_cards_at_two_difficulties(deck, slug: str) -> None:
    generated = [c.card for c in deck.topic(slug).cards if isinstance(c.card, GeneratedCard)]
    assert len(generated) >= 2
    assert len({card.difficulty for card in generated}) >= 2
    registry = solvers.registry()
    for card in generated:
        assert registry[card.solver].topic == slug, f"{card.solver} belongs to {registry[card.solver].topic}"


def test_choice_options_explain_themselves(deck) -> None:
    for card in deck.cards():
        if isinstance(card.card, ChoiceCard):
            missing = [o.text for o in card.card.options if not o.why]
            assert not missing, f"{card.key}: options without a `why`: {missing}"


def test_every_solver_is_used_by_the_deck(deck) -> None:
    used = {c.card.solver for c in deck.cards() if isinstance(c.card, GeneratedCard)}
    assert used == set(solvers.registry())
