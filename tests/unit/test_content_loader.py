"""The content loader: every card type round-trips, every error class says file:line, hostile files fail fast."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from quizapp.deck import load_deck, load_file
from quizapp.deck.schema import ChoiceCard, ClozeCard, Flashcard, GeneratedCard, NumericCard

SOLVERS = frozenset({"auc", "prf"})

GOOD = r"""
topic: auc
title: AUC and ROC
summary: What AUC measures.
sources: [https://example.org/roc]
cards:
  - id: what-auc-measures
    type: flashcard
    front: What does ROC-AUC measure?
    back: The probability that a random positive is scored above a random negative.
    explanation: Ties count one half.
    tags: [metrics]
  - id: auc-rank-formula
    type: choice
    prompt: Which expression computes AUC from ranks?
    options:
      - text: '$\frac{\sum_{i \in pos} rank_i - M(M+1)/2}{M N}$'
        correct: true
        why: Subtracts the positives' own ranks.
      - text: '$\frac{\sum_{i \in pos} rank_i}{M N}$'
    shuffle: false
  - id: small-auc
    type: numeric
    prompt: "Labels [0,0,1,1], scores [0.1,0.4,0.35,0.8]. AUC?"
    answer: 0.75
    tolerance: {rel: 0.01}
  - id: bn-cloze
    type: cloze
    text: "BN normalizes each {{c1::feature}} over the {{c2::mini-batch::what}}; {{c1::feature}} again."
  - id: compute-auc
    type: generated
    solver: auc
    difficulty: 2
"""


def write(tmp_path: Path, text: str, name: str = "topic.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def only_error(path: Path) -> str:
    topic, errors = load_file(path, solvers=SOLVERS)
    assert len(errors) == 1, [str(e) for e in errors]
    return str(errors[0])


def test_every_card_type_round_trips(tmp_path: Path) -> None:
    topic, errors = load_file(write(tmp_path, GOOD), solvers=SOLVERS)
    assert errors == []
    assert topic is not None and topic.slug == "auc" and topic.sources == ("https://example.org/roc",)
    cards = {c.card.id: c.card for c in topic.cards}
    assert isinstance(cards["what-auc-measures"], Flashcard) and cards["what-auc-measures"].tags == ["metrics"]
    choice = cards["auc-rank-formula"]
    assert isinstance(choice, ChoiceCard) and choice.correct_indexes == {0} and choice.shuffle is False
    assert choice.options[0].text.startswith(r"$\frac{\sum")
    numeric = cards["small-auc"]
    assert isinstance(numeric, NumericCard) and numeric.answer == 0.75 and numeric.tolerance.rel == 0.01
    cloze = cards["bn-cloze"]
    assert isinstance(cloze, ClozeCard) and cloze.numbers == (1, 2)
    generated = cards["compute-auc"]
    assert isinstance(generated, GeneratedCard) and (generated.solver, generated.difficulty) == ("auc", 2)
    # A round trip through the model's own dump gives the same card.
    for card in cards.values():
        assert type(card).model_validate(card.model_dump()) == card


def test_study_items_split_cloze_deletions(tmp_path: Path) -> None:
    deck = load_deck([write(tmp_path, GOOD)], solvers=SOLVERS)
    keys = [item.key for item in deck.items()]
    assert keys == [
        "auc/what-auc-measures",
        "auc/auc-rank-formula",
        "auc/small-auc",
        "auc/bn-cloze#c1",
        "auc/bn-cloze#c2",
        "auc/compute-auc",
    ]
    assert list(deck.keys()) == keys and list(deck.keys(["auc"])) == keys  # the stored keys agree with the items
    assert deck.card("auc/bn-cloze#c2").line == 26


def test_an_answer_in_exponent_notation_is_a_number(tmp_path: Path) -> None:
    """YAML 1.1 reads 1e-3 and 2.5e3 as text (a float needs a dot and a signed exponent there): an answer
    written so, the usual way for a learning rate or an epsilon, was refused as "not a number: '1e-3'"."""
    text = "topic: t\ntitle: T\ncards:\n  - {id: v, type: numeric, prompt: p, answer: [1e-3, 2.5e3, -.5E+1]}\n"
    topic, errors = load_file(write(tmp_path, text))
    assert errors == [] and topic.cards[0].card.answer == [0.001, 2500.0, -5.0]
    text = "topic: t\ntitle: T\ncards:\n  - {id: v, type: numeric, prompt: p, answer: 1e999}\n"
    assert only_error(write(tmp_path, text)).endswith("answer: not a finite number: '1e999'")


@pytest.mark.parametrize(("written", "message"), [
    ("yes", "back: expected text, got true/false: true (YAML reads an unquoted yes, no, on, off, true or false so): "
            "put the text in quotes, like 'yes'"),
    ("42", "back: expected text, got a number: 42 (YAML reads an unquoted number so): put the text in quotes"),
    ("2020-01-01", "back: expected text, got a date: 2020-01-01 (YAML reads an unquoted date so): put the text in "
                   "quotes"),
    ("~", "back: expected text, got nothing: null (YAML reads an unquoted ~ or null so): put the text in quotes"),
])
def test_text_that_yaml_read_as_another_value_says_to_quote_it(tmp_path: Path, written: str, message: str) -> None:
    """`back: yes` was "expected text, got true/false: True" (and a date its Python repr), with no word of why."""
    text = f"topic: t\ntitle: T\ncards:\n  - {{id: f, type: flashcard, front: Is it?, back: {written}}}\n"
    assert only_error(write(tmp_path, text)).endswith("cards[0] (id f): " + message)


@pytest.mark.parametrize(("card", "message"), [
    ("{id: v, type: numeric, prompt: p, answer: 2001-01-01}",
     "answer: not a number: 2001-01-01 (a date; write a number like 0.75, or a list like [1, 2])"),
    ("{id: v, type: numeric, prompt: p, answer: [1, 2001-01-01 10:00:00]}",
     "answer: item 2: not a number: 2001-01-01 10:00:00 (a date and time; write a number like 0.75, or a list like "
     "[1, 2])"),
    ("{id: v, type: numeric, prompt: p, answer: no}",
     "answer: not a number: false (true/false; write a number like 0.75, or a list like [1, 2])"),
    ("{id: c, type: choice, prompt: p, shuffle: 2001-01-01, options: [{text: a, correct: true}, {text: b}]}",
     "shuffle: expected true or false, got 2001-01-01 (a date)"),
    ("{id: g, type: generated, solver: auc, difficulty: {a: [1, ~]}}", 'difficulty: not a number: {"a": [1, null]}'),
    ("{id: o, type: open, prompt: p, time_limit: 2001-01-01, key_points: [{text: a}, {text: b}], model_answer: m}",
     "time_limit: not a number: 2001-01-01 (a date)"),
])
def test_a_value_yaml_read_as_no_number_is_quoted_as_written(tmp_path: Path, card: str, message: str) -> None:
    """`answer: 2001-01-01` was "not a number: datetime.date(2001, 1, 1)": Python's repr, not the file's words."""
    path = write(tmp_path, f"topic: t\ntitle: T\ncards:\n  - {card}\n")
    assert only_error(path).endswith(message)
    assert only_error(write(tmp_path, "2001-01-01\n")).endswith("not a single value (2001-01-01)")


def test_vector_answer(tmp_path: Path) -> None:
    path = write(tmp_path, "topic: t\ntitle: T\ncards:\n  - {id: v, type: numeric, prompt: p, answer: [1, 2.5]}\n")
    topic, errors = load_file(path)
    assert errors == [] and topic.cards[0].card.answer == [1.0, 2.5]


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        ("    explanation: Ties", "    explaination: Ties", ":10:5: cards[0] (id what-auc-measures): explaination: "
         "unknown field 'explaination' (did you mean 'explanation'?)"),
        ("answer: 0.75", "answer: abc", ":24:13: cards[2] (id small-auc): answer: not a number: 'abc'"),
        ("answer: 0.75", "answer: [1, x]", ":24:13: cards[2] (id small-auc): answer: item 2: not a number: 'x'"),
        # at the options and the text, not at the card (the value to change, for an editor to jump to)
        ("        correct: true\n", "", ":16:7: cards[1] (id auc-rank-formula): options: no option is marked "
         "`correct: true`"),
        ("{{c1::feature}} over the {{c2::mini-batch::what}}; {{c1::feature}} again.", "no deletion",
         ":28:11: cards[3] (id bn-cloze): text: no cloze deletion"),
        ("{{c1::feature}} over the {{c2::mini-batch::what}}; {{c1::feature}} again.", "{{c1:feature}}",
         ":28:11: cards[3] (id bn-cloze): text: malformed cloze deletion: write {{c1::answer}}"),
        # a deletion of nothing asked for nothing and took any answer
        ("{{c2::mini-batch::what}}", "{{c2:: ::what}}", ":28:11: cards[3] (id bn-cloze): text: the cloze deletion "
         "{{c2:: ::what}} hides nothing: write its answer, {{c2::answer}}"),
        ("solver: auc", "solver: acu", ":31:13: cards[4] (id compute-auc): solver: unknown solver 'acu' "
         "(did you mean 'auc'?)"),
        ("difficulty: 2", "difficulty: 7", ":32:17: cards[4] (id compute-auc): difficulty: input should be less"),
        ("type: flashcard", "type: flashcrd", ":7:11: cards[0] (id what-auc-measures): type: unknown card type "
         "'flashcrd' (did you mean 'flashcard'?)"),
        ("tolerance: {rel: 0.01}", "tolerance: {rell: 0.01}", ":25:17: cards[2] (id small-auc): tolerance.rell: "
         "unknown field 'rell' (did you mean 'rel'?)"),
        ("id: small-auc", "id: Small AUC", ":21:9: cards[2] (id Small AUC): id: 'Small AUC' is not a valid name"),
        # a tag may hold capitals, _ : and . (it was told the rule for ids: lowercase letters, digits and -)
        ("tags: [metrics]", "tags: [ML, machine learning]", ":11:16: cards[0] (id what-auc-measures): tags[1]: "
         "'machine learning' is not a valid tag: use letters, digits and _ - : . with no spaces"),
        ("  - id: bn-cloze", "  - id: small-auc", ":26:9: cards[3] (id small-auc): id: duplicate card id "
         "'small-auc': also at"),
        ("title: AUC and ROC\n", "", ":1:1: title: required field is missing"),
        ("    front: What does ROC-AUC measure?\n", "", ":6:5: cards[0] (id what-auc-measures): front: required"),
        ("    shuffle: false", "    shuffle: maybe", ":20:14: cards[1] (id auc-rank-formula): shuffle: expected "
         "true or false"),
    ],
)
def test_each_error_names_file_line_and_field(tmp_path: Path, replace: str, by: str, expected: str) -> None:
    assert replace in GOOD
    path = write(tmp_path, GOOD.replace(replace, by, 1))
    message = only_error(path)
    assert message.startswith(str(path) + expected), message


def test_all_errors_in_all_files_are_reported(tmp_path: Path) -> None:
    write(tmp_path, GOOD.replace("answer: 0.75", "answer: abc").replace("solver: auc", "solver: nope"), "a.yaml")
    write(tmp_path, "topic: b\ntitle: B\ncards:\n  - {id: x, type: flashcard, front: f}\n", "b.yaml")
    deck = load_deck([tmp_path], solvers=SOLVERS)
    assert len(deck.errors) == 3
    assert {e.path.name for e in deck.errors} == {"a.yaml", "b.yaml"}
    # The valid cards of a file with errors still load.
    assert [c.card.id for c in deck.topic("auc").cards] == [
        "what-auc-measures", "auc-rank-formula", "bn-cloze"
    ]


@pytest.mark.parametrize("cached", [False, True])
def test_duplicate_topic_names_both_files(tmp_path: Path, cached: bool) -> None:
    """The second topic of a name is reported at its name's line and column (it had no column), also when both
    files come from the content cache."""
    content = tmp_path / "content"
    content.mkdir()
    first = write(content, GOOD, "a.yaml")
    second = write(content, "# a\n# b\ntopic:   auc\ntitle: Again\ncards:\n  - {id: x, type: flashcard, front: f, back: b}\n",
                   "b.yaml")
    if cached:
        load_deck([content], solvers=SOLVERS, cache=tmp_path)
    deck = load_deck([content], solvers=SOLVERS, cache=tmp_path if cached else None)
    (error,) = deck.errors
    assert str(error).startswith(f"{second}:3:10: topic: topic id 'auc' is already used by {first}")
    assert [t.slug for t in deck.topics] == ["auc"]


def test_unknown_solver_with_an_empty_registry(tmp_path: Path) -> None:
    topic, errors = load_file(write(tmp_path, GOOD), solvers=frozenset())
    assert [e.where for e in errors] == ["cards[4] (id compute-auc): solver"]
    assert "known solvers: none" in errors[0].message


def test_missing_path_is_reported(tmp_path: Path) -> None:
    deck = load_deck([tmp_path / "nope"], solvers=SOLVERS)
    assert [e.message for e in deck.errors] == ["no such file or folder"]


HOSTILE = {
    "invalid-utf8": (b"topic: x\ntitle: \"caf\xe9\"\n", ":2:12: not valid UTF-8"),
    "syntax": (b"topic: x\ntitle: [unclosed\n", ":2:1: YAML syntax error"),
    "empty": (b"", ": file is empty"),
    "comments-only": (b"# nothing\n", ": file is empty"),
    "list": (b"- a\n- b\n", ":1:1: a content file is a mapping (topic:, title:, cards:), not a list"),
    "scalar": (b"hello\n", ":1:1: a content file is a mapping"),
    "object-tag": (b"topic: !!python/object/apply:os.system [echo hi]\ntitle: t\n", ":1:8: unsupported tag"),
    "two-documents": (b"topic: a\n---\ntopic: b\n", ":2:1: a content file holds one YAML document"),
    "duplicate-key": (b"topic: a\ntopic: b\n", ":2:1: key 'topic' appears twice"),
    # ours says "nesting is too deep"; newer PyYAML stops first with "exceeded maximum nesting depth"
    "deep-nesting": (b"topic: x\ntitle: " + b"[" * 20000 + b"]" * 20000 + b"\n", "nesting"),
    "huge": (b"topic: x\n" + b"#" * (3 * 2**20), ": file is too large"),
    "long-line": (b"topic: x\ntitle: " + b"y" * 1_500_000 + b"\ncards: []\n", ":2:8: title: too long"),
    # the C reader names the character by its number ("character 27 is not allowed"): named as visible() does
    "raw-escape": (b"topic: x\ntitle: a \x1b[2J\n", ":2:10: control character \\x1b is not allowed in YAML"),
    "raw-c1": ("topic: x\ntitle: a \u009b6n\n".encode(), ":2:10: control character \\x9b is not allowed in YAML"),
}


def alias_bomb() -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("topic: x\ntitle: y\ncards: *i\n")
    return "\n".join(lines).encode()


@pytest.mark.parametrize("name", [*HOSTILE, "alias-bomb"])
def test_hostile_files_fail_fast_with_a_place(tmp_path: Path, name: str) -> None:
    raw, expected = HOSTILE.get(name, (alias_bomb(), ": too many values after expanding aliases"))
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(raw)
    started = time.perf_counter()
    topic, errors = load_file(path, solvers=SOLVERS)
    elapsed = time.perf_counter() - started
    assert topic is None or errors
    assert any(str(e).startswith(str(path)) and expected in str(e) for e in errors), [str(e) for e in errors]
    assert elapsed < 5, f"{name} took {elapsed:.1f}s"


def test_a_colon_inside_unquoted_text_says_to_quote_it(tmp_path: Path) -> None:
    """The mistake a new author makes first: `prompt: Dropout: a regulariser` (YAML reads a second key)."""
    path = write(tmp_path, "topic: x\ntitle: Dropout: a regulariser\n")
    topic, errors = load_file(path, solvers=SOLVERS)
    assert topic is None and len(errors) == 1
    assert str(errors[0]).startswith(f"{path}:2:15: YAML syntax error: mapping values are not allowed")
    assert "(a ': ' inside text starts a new key: put the whole value in quotes, 'like: this'" in str(errors[0])


@pytest.mark.parametrize("length", [1025, 100_000])
def test_a_key_over_1024_characters_is_explained_at_the_key(tmp_path: Path, length: int) -> None:
    """YAML gives up on a key over 1024 characters with "could not find expected ':'", at the ':' that is
    there (column 100,001 of a key of 100,000 characters), which read as a parser's riddle."""
    path = write(tmp_path, f"topic: x\ntitle: X\n{'k' * length}: 1\n")
    topic, errors = load_file(path, solvers=SOLVERS)
    assert topic is None and [str(e) for e in errors] == [
        f"{path}:3:1: YAML syntax error: a key of {length:,} characters (its ':' at column {length + 1}): YAML reads "
        "a key at most 1,024 characters long; shorten it (or, if it is meant as text, write it as the value of a field)"]
    shorter = write(tmp_path, f"topic: x\ntitle: X\n{'k' * 1024}: 1\n")
    assert "YAML" not in str(load_file(shorter, solvers=SOLVERS)[1])  # a key: the file only lacks its cards


@pytest.mark.parametrize(("title", "shown"), [("AUC\\u2063", "U+2063"), ("AUC\\u00ad", "U+00AD"),
                                             ("AUC\\u200f", "U+200F"), ("AUC\\U000E0041\\U000E0042", "U+E0041")])
def test_an_invisible_character_in_a_title_is_refused(tmp_path: Path, title: str, shown: str) -> None:
    """Only five zero-width characters were refused: an invisible separator, a soft hyphen, a right-to-left mark
    or the tag characters of "ASCII smuggling" made a title that looks like another (or hides text)."""
    path = write(tmp_path, f'topic: x\ntitle: "{title}"\ncards:\n  - {{id: a, type: flashcard, front: f, back: b}}\n')
    topic, errors = load_file(path, solvers=SOLVERS)
    assert [str(e) for e in errors] == [f"{path}:2:12: title: zero-width character {shown} is not allowed in an id, "
                                        "title or tag; remove it" + (" (and 1 more in this value)" if "E0041" in shown
                                                                     else "")]


@pytest.mark.parametrize("text", ["topic: &t title\n*t : T\ncards: []\n", "topic: x\ntitle: &l [1]\n*l : z\n"])
def test_an_alias_as_a_key_is_refused_at_the_alias(tmp_path: Path, text: str) -> None:
    """It became the value of a missing key: 'None: keys should be strings' at 1:1, or 'mapping keys must be
    plain words' at a later line, where the keys and values had shifted by one."""
    path = write(tmp_path, text)
    topic, errors = load_file(path, solvers=SOLVERS)
    assert topic is None and [str(e) for e in errors] == [
        f"{path}:{2 if '*t' in text else 3}:1: mapping keys must be plain words, not an alias (*name)"]


def test_an_alias_inside_its_own_anchor_says_so(tmp_path: Path) -> None:
    """'unknown alias' alone, for an anchor written just before it on the same line."""
    path = write(tmp_path, "topic: y\ntitle: T\ncards:\n  - &c {id: a, type: flashcard, front: f, back: b, "
                           "follow_ups: [*c]}\n")
    topic, errors = load_file(path, solvers=SOLVERS)
    assert [str(e) for e in errors] == [f"{path}:4:65: unknown alias '*c': it is inside the value it names, which "
                                        "cannot hold itself"]


def test_a_byte_order_mark_inside_the_file_is_named_at_its_place(tmp_path: Path) -> None:
    """Two files joined keep the second one's BOM, invisible: it was 'did not find expected key' at 2:2."""
    path = tmp_path / "joined.yaml"
    path.write_bytes(b"\xef\xbb\xbftopic: x\n\xef\xbb\xbftitle: T\ncards: []\n")
    topic, errors = load_file(path, solvers=SOLVERS)
    assert [str(e) for e in errors] == [f"{path}:2:1: YAML syntax error: while parsing a block mapping, did not find "
                                        "expected key (after a byte order mark, U+FEFF, that most editors do not "
                                        "show: remove it)"]


@pytest.mark.parametrize(("written", "message"), [
    ("010", "'010' is read by YAML as 8 (a leading 0 makes it octal): write 10 without the 0"),
    ("-0_12", "'-0_12' is read by YAML as -10 (a leading 0 makes it octal): write -12 without the 0"),
    ("1:30", "'1:30' is read by YAML as 90 (base 60, as a time): write 90"),
    ("1:30.5", "'1:30.5' is read by YAML as 90.5 (base 60, as a time): write 90.5"),
])
def test_a_number_yaml_reads_otherwise_than_written_is_an_error(tmp_path: Path, written: str, message: str) -> None:
    """YAML 1.1 made `answer: 010` the number 8 and `answer: 1:30` the number 90, without a word."""
    path = write(tmp_path, f"topic: x\ntitle: T\ncards:\n  - {{id: a, type: numeric, prompt: p, answer: {written}}}\n"
                           "  - {id: b, type: numeric, prompt: p, answer: [0, 0.5, 10, 0x1F]}\n")
    topic, errors = load_file(path, solvers=SOLVERS)
    assert [str(e) for e in errors] == [f"{path}:4:47: cards[0] (id a): answer: {message}, or put it in quotes for text"]
    assert [card.card.id for card in topic.cards] == ["b"]


def test_a_tab_that_indents_says_so(tmp_path: Path) -> None:
    """A tab before `- id:` was 'found character that cannot start any token', naming no character."""
    path = write(tmp_path, "topic: x\ntitle: T\ncards:\n\t- id: a\n")
    topic, errors = load_file(path, solvers=SOLVERS)
    assert topic is None and len(errors) == 1
    assert str(errors[0]).startswith(f"{path}:4:1: YAML syntax error: ")
    assert str(errors[0]).endswith("(a tab: YAML indents with spaces only; replace the tab with spaces)")


def test_merge_keys_are_allowed(tmp_path: Path) -> None:
    text = """
    topic: t
    title: T
    cards:
      - &base {id: a, type: flashcard, front: f, back: b}
      - {<<: *base, id: b}
    """
    topic, errors = load_file(write(tmp_path, text))
    assert errors == [] and [c.card.id for c in topic.cards] == ["a", "b"]


def test_messages_quote_only_the_start_of_a_long_value_or_key(tmp_path: Path) -> None:
    """A 400-digit front and a 300-letter field name were printed whole, in the message and its place."""
    key, digits = "k" * 300, "9" * 400
    path = write(tmp_path, f"topic: t\ntitle: T\ncards:\n  - {{id: a, type: flashcard, front: {digits}, back: b}}\n"
                           f"  - {{id: b, type: flashcard, front: f, back: b, {key}: 1}}\n")
    _, errors = load_file(path)
    shown = [f"{e.where}: {e.message}" for e in errors]
    assert shown[0].startswith("cards[0] (id a): front: expected text, got a number: 99999") and "9" * 41 not in shown[0]
    assert shown[1].startswith("cards[1] (id b): 'kkkk") and shown[1].count("k" * 36) == 2
    assert not any("k" * 40 in line or "9" * 40 in line for line in shown), shown


def test_an_option_or_a_tolerance_written_as_a_plain_value_says_what_to_write(tmp_path: Path) -> None:
    """`- b` under options and `tolerance: 0.01` said only "expected a mapping of fields"."""
    path = write(tmp_path, "topic: t\ntitle: T\ncards:\n"
                           "  - {id: c, type: choice, prompt: p, options: [{text: a, correct: true}, b]}\n"
                           "  - {id: n, type: numeric, prompt: p, answer: 1, tolerance: 0.01}\n")
    _, errors = load_file(path)
    assert [f"{e.line}:{e.column}: {e.message}" for e in errors] == [
        "4:74: an option is a mapping, not text: write `- text: ...` (with `correct: true` for a right one, "
        "and optionally `why: ...`)",
        "5:61: a tolerance is a mapping, not a number: write one of {rel: 0.01}, {abs: 0.001} or {sig_figs: 3}"]


def test_a_duplicate_id_names_the_place_of_the_first_with_its_column(tmp_path: Path) -> None:
    path = write(tmp_path, "topic: t\ntitle: T\ncards:\n  - id: same\n    type: flashcard\n    front: f\n    back: b\n"
                           "  - {id: same, type: flashcard, front: g, back: c}\n")
    assert only_error(path) == f"{path}:8:10: cards[1] (id same): id: duplicate card id 'same': also at {path}:4:9"


def test_a_long_invalid_id_is_quoted_short_in_every_message(tmp_path: Path) -> None:
    path = write(tmp_path, "topic: t\ntitle: T\ncards:\n  - id: " + "x" * 5000 + "\n    type: flashcard\n    front: f\n")
    messages = [str(error) for error in load_deck([path]).errors]
    assert len(messages) == 2 and all(len(message) < len(str(path)) + 140 for message in messages), messages
    assert all("(id 'xxxxxxxx" in message and "...)" in message for message in messages)
