"""`quizapp glossary [TERM] [--json]` as a user runs it, and the content checks behind it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from quizapp.cli import main
from quizapp.deck import load_deck

TWO_TOPICS = {
    "a.yaml": """topic: alpha
title: Alpha
glossary:
  - {term: Batch normalization, zh: 批归一化 / 批量归一化}
  - {term: overfitting, zh: 过拟合}
cards:
  - {id: a, type: flashcard, front: f, back: b}
""",
    "b.yaml": """topic: beta
title: Beta
glossary:
  - {term: batch normalization, zh: 批归一化}
  - {term: precision, zh: 精确率 / 查准率}
cards:
  - {id: b, type: flashcard, front: f, back: b}
""",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    for name, text in TWO_TOPICS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def glossary(capsys, content: Path, *argv: str) -> tuple[int, str, str]:
    return run(capsys, "--no-builtin", "--content", str(content), "glossary", *argv)


def test_lists_every_term_once_with_its_topics(capsys, isolated_env, content) -> None:
    code, out, _ = glossary(capsys, content, "--json")
    assert code == 0
    assert json.loads(out) == [
        {"term": "Batch normalization", "zh": "批归一化 / 批量归一化", "topics": ["alpha", "beta"]},
        {"term": "overfitting", "zh": "过拟合", "topics": ["alpha"]},
        {"term": "precision", "zh": "精确率 / 查准率", "topics": ["beta"]},
    ]


@pytest.mark.parametrize("query", ["NORMAL", "batch norm", "归一化", "批量"])
def test_search_english_any_case_or_chinese(capsys, isolated_env, content, query: str) -> None:
    code, out, _ = glossary(capsys, content, query, "--json")
    assert code == 0
    assert [row["term"] for row in json.loads(out)] == ["Batch normalization"]


def test_search_by_an_alternative_chinese_term(capsys, isolated_env, content) -> None:
    code, out, _ = glossary(capsys, content, "查准率")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[1].split() == ["precision", "精确率", "/", "查准率", "beta"]


def test_no_match_says_so_and_exits_1(capsys, isolated_env, content) -> None:
    code, out, _ = glossary(capsys, content, "dropout")
    assert code == 1
    assert "no glossary term matches 'dropout'" in out
    code, out, _ = glossary(capsys, content, "随机失活", "--json")
    assert code == 1 and json.loads(out) == []


def test_columns_line_up_in_terminal_cells(capsys, isolated_env, content) -> None:
    """CJK characters are two cells wide: the topics column starts at the same cell on every line."""
    code, out, _ = glossary(capsys, content)
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["term", "中文", "topics"]
    columns = [re.fullmatch(r"(.*?\S)( {2,})(\S.*?)( {2,})(\S.*)", line).groups() for line in lines]
    assert len({cell_len(term + gap) for term, gap, *_ in columns}) == 1, out
    assert len({cell_len("".join(parts[:4])) for parts in columns}) == 1, out


def test_builtin_deck_glossary_both_ways(capsys, isolated_env) -> None:
    code, out, _ = run(capsys, "glossary", "Batch Normalization", "--json")
    rows = json.loads(out)
    assert code == 0 and rows[0]["term"] == "batch normalization"
    assert {"batch-norm", "normalization"} <= set(rows[0]["topics"]) and "批归一化" in rows[0]["zh"]
    code, out, _ = run(capsys, "glossary", "查全率", "--json")
    assert code == 0 and [row["term"] for row in json.loads(out)] == ["recall"]


BAD_GLOSSARY = """topic: bad
title: Bad
glossary:
  - {term: overfitting, zh: 过拟合}
  - {term: "", zh: 欠拟合}
  - {term: "two\\nlines", zh: 两行}
  - {term: bias, zh: "   "}
  - {term: variance}
  - {term: Overfitting, zh: 过拟合}
  - {term: noise, zh: 噪声, en: noise}
cards:
  - {id: a, type: flashcard, front: f, back: b}
"""


def test_bad_glossary_entries_are_reported_at_file_line_col(tmp_path: Path, capsys, isolated_env) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_GLOSSARY, encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(path))
    lines = out.strip().splitlines()
    assert code == 1
    assert lines[:-1] == [
        f"{path}:5:12: glossary[1].term: must not be empty",
        f"{path}:6:12: glossary[2].term: must be one short line, with no line breaks",
        f"{path}:7:22: glossary[3].zh: must not be blank",
        f"{path}:8:5: glossary[4].zh: required field is missing",
        f"{path}:9:12: glossary[5].term: duplicate glossary term 'Overfitting': also at {path}:4:12",
        f"{path}:10:27: glossary[6].en: unknown field 'en'; allowed here: term, zh",
    ]
    assert lines[-1] == "6 errors in 1 file; 1 card OK"


def test_terms_that_differ_only_in_how_unicode_writes_them_are_duplicates(tmp_path: Path) -> None:
    """'café' precomposed, with a combining accent and in full-width letters look alike and were three terms."""
    path = tmp_path / "nfc.yaml"
    path.write_text('topic: t\ntitle: T\nglossary:\n  - {term: "caf\u00e9", zh: a}\n  - {term: "cafe\u0301", zh: b}\n'
                    '  - {term: "\uff43\uff41\uff46\u00e9", zh: c}\ncards:\n  - {id: a, type: flashcard, front: f, back: b}\n',
                    encoding="utf-8")
    errors = load_deck([path]).errors
    assert [(error.line, error.message) for error in errors] == [
        (5, f"duplicate glossary term 'cafe\u0301': also at {path}:4:12"),
        (6, f"duplicate glossary term '\uff43\uff41\uff46\u00e9': also at {path}:4:12")]


def test_a_bad_entry_leaves_the_topic_and_its_good_terms(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_GLOSSARY, encoding="utf-8")
    deck = load_deck([path])
    assert [t.slug for t in deck.topics] == ["bad"]
    assert [(e.term, e.zh) for e in deck.topic("bad").glossary] == [("overfitting", "过拟合")]


def test_glossary_survives_the_content_cache(tmp_path: Path, content) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    first = load_deck([content], cache=cache)
    second = load_deck([content], cache=cache)  # read back from the cache
    assert (cache / "content.pickle").exists()
    assert second.topic("alpha").glossary == first.topic("alpha").glossary
    assert second.topic("beta").glossary[1].zh == "精确率 / 查准率"


def test_a_space_beside_a_chinese_character_does_not_count_as_in_the_card_search(capsys, isolated_env) -> None:
    for spelled in ("k 折", "k折", "K 折 交叉"):
        code, out, _ = run(capsys, "glossary", spelled, "--json")
        assert code == 0 and [row["term"] for row in json.loads(out)] == ["k-fold cross-validation"], spelled


def test_a_zero_width_character_in_a_term_leaves_out_that_entry_only(tmp_path: Path) -> None:
    """'batch\u200bnorm' looked like 'batchnorm' (two terms that look alike) and no search for 'batchnorm'
    found it; a zero-width character is refused at its place, and the topic keeps its other terms."""
    from tests.hostile_corpus import HOSTILE

    deck = load_deck([HOSTILE / "zero-width-glossary.yaml"])
    assert [(error.line, error.column) for error in deck.errors] == [(11, 17), (14, 11), (15, 12), (17, 18), (20, 12),
                                                                    (21, 15)]
    assert [(entry.term, entry.zh) for entry in deck.topic("zero-width-glossary").glossary] == [("fine", "好的")]


def test_a_term_reported_as_a_duplicate_is_listed_once(tmp_path: Path, capsys, isolated_env) -> None:
    """'a b' with a no-break space (or an ideographic one) was reported as a duplicate of 'a b', and still listed
    beside it: two rows that look the same. Topics that share it in either spelling share one row."""
    for name, spellings in (("one", ("a\u00a0b", "a b", "a\u3000b")), ("two", ("A b",))):
        entries = "".join(f'  - {{term: "{term}", zh: 词}}\n' for term in spellings)
        (tmp_path / f"{name}.yaml").write_text(f"topic: {name}\ntitle: T\nglossary:\n{entries}cards:\n"
                                               "  - {id: a, type: flashcard, front: f, back: b}\n", encoding="utf-8")
    deck = load_deck([tmp_path])
    assert len(deck.errors) == 2 and [len(topic.glossary) for topic in deck.topics] == [1, 1]
    code, out, _ = run(capsys, "--no-builtin", "--content", str(tmp_path), "glossary", "--json")
    assert code == 0 and json.loads(out) == [{"term": "a\u00a0b", "zh": "词", "topics": ["one", "two"]}]


def test_a_term_written_as_a_block_scalar_is_told_why_it_is_not_one_line(tmp_path: Path) -> None:
    """`term: >` on its own line gave 'folded term' plus a line break, and the message said 'must not be blank'."""
    path = tmp_path / "t.yaml"
    path.write_text("topic: t\ntitle: T\nglossary:\n  - term: >\n      folded\n      term\n    zh: 词\ncards:\n"
                    "  - {id: a, type: flashcard, front: f, back: b}\n", encoding="utf-8")
    assert [error.message for error in load_deck([path]).errors] == [
        "must be one short line, with no line breaks (a block scalar, `>` or `|`, ends with one: write it after the "
        "colon, or use `>-`)"]
