"""Follow-up chains: what `Deck.follow_ups` and `Deck.note_of` give, and every follow-up problem reported
where it is written, across topic files too."""

from __future__ import annotations

import textwrap
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.deck import load_deck
from quizapp.deck.model import Deck, DeckCard, Topic
from quizapp.deck.schema import Flashcard

BN = """
topic: bn
title: Batch norm
cards:
  - id: why-bn
    type: open
    prompt: Why does batch norm help?
    key_points:
      - text: Stable input distributions
        keywords: [distribution]
      - text: Smoother loss landscape
    model_answer: It keeps activations well scaled.
    follow_ups: [small-batch, ln/bn-vs-ln]
  - id: small-batch
    type: flashcard
    front: And with a batch of 2?
    back: The statistics are noise.
    follow_ups: [ln/what-ln]
  - id: lonely
    type: cloze
    text: "BN uses {{c1::batch}} statistics at {{c2::training}} time."
"""

LN = """
topic: ln
title: Layer norm
cards:
  - id: bn-vs-ln
    type: cloze
    text: "Layer norm normalizes over {{c2::features}}, not {{c3::the batch}}."
  - id: what-ln
    type: flashcard
    front: What does layer norm normalize over?
    back: The features of one example.
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load(tmp_path: Path, *texts: str) -> Deck:
    paths = [write(tmp_path, f"t{i}.yaml", text) for i, text in enumerate(texts)]
    return load_deck(paths, solvers=frozenset())


def test_follow_ups_resolve_within_and_across_topics(tmp_path: Path) -> None:
    deck = load(tmp_path, BN, LN)
    assert deck.errors == ()
    # a cloze follow-up is its first deletion (c2 here: numbers need not start at 1)
    assert deck.follow_ups("bn/why-bn") == ("bn/small-batch", "ln/bn-vs-ln#c2")
    assert deck.follow_ups("bn/small-batch") == ("ln/what-ln",)
    assert deck.follow_ups("ln/what-ln") == ()
    assert deck.follow_ups("bn/lonely#c2") == ()
    assert deck.follow_ups("nowhere/nothing") == ()
    for key in deck.follow_ups("bn/why-bn"):
        assert key in deck.item_keys


def test_note_of_joins_a_chain_and_cloze_deletions(tmp_path: Path) -> None:
    deck = load(tmp_path, BN, LN)
    chain = {"bn/why-bn", "bn/small-batch", "ln/bn-vs-ln#c2", "ln/bn-vs-ln#c3", "ln/what-ln"}
    assert {deck.note_of(key) for key in chain} == {"bn/small-batch"}  # the smallest card key of the group
    assert deck.note_of("bn/lonely#c1") == deck.note_of("bn/lonely#c2") == "bn/lonely"
    assert deck.note_of("gone/card#c3") == "gone/card"  # a key no longer in the deck is its own note


def test_the_group_name_does_not_depend_on_file_order(tmp_path: Path) -> None:
    forward = load(tmp_path, BN, LN)
    (tmp_path / "t0.yaml").unlink()
    (tmp_path / "t1.yaml").unlink()
    backward = load(tmp_path, LN, BN)
    assert {k: forward.note_of(k) for k in forward.item_keys} == {k: backward.note_of(k) for k in backward.item_keys}


def _deck_of(edges: dict[int, list[int]], count: int) -> Deck:
    cards = tuple(DeckCard.of("t", Flashcard(id=f"c{i}", type="flashcard", front="f", back="b",
                                             follow_ups=[f"c{j}" for j in edges.get(i, [])]), Path("t.yaml"), i + 1)
                  for i in range(count))
    return Deck((Topic("t", "T", None, (), Path("t.yaml"), 1, 1, cards),))


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 9).flatmap(lambda n: st.tuples(
    st.just(n), st.dictionaries(st.integers(0, n - 1), st.lists(st.integers(0, n - 1), max_size=4, unique=True)))))
def test_any_follow_up_graph_is_acyclic_and_groups_are_its_components(case: tuple[int, dict[int, list[int]]]) -> None:
    count, edges = case
    deck = _deck_of(edges, count)
    keys = [f"t/c{i}" for i in range(count)]
    # following the kept edges always ends: a walk never meets a card already on its path
    def walk(key: str, path: tuple[str, ...]) -> None:
        assert key not in path
        for nxt in deck.follow_ups(key):
            walk(nxt, path + (key,))
    for key in keys:
        walk(key, ())
    # every written edge is kept or reported, and a kept one is one that was written
    written = {(f"t/c{i}", f"t/c{j}") for i, js in edges.items() for j in js}
    kept = {(k, t) for k in keys for t in deck.follow_ups(k)}
    assert kept <= written
    assert len(written - kept) == len(deck.graph.problems)
    # the groups are the connected components of the written edges (cycles join cards too)
    component = {key: {key} for key in keys}
    for a, b in written:
        merged = component[a] | component[b]
        for key in merged:
            component[key] = merged
    for key in keys:
        assert deck.note_of(key) == min(component[key])


# --- validation ----------------------------------------------------------------------------------------

def _card(card_id: str, follow_ups: str = "[]") -> str:
    return f"""
  - id: {card_id}
    type: flashcard
    front: f
    back: b
    follow_ups: {follow_ups}"""


def _topic(slug: str, *cards: str) -> str:
    return f"topic: {slug}\ntitle: {slug.upper()}\ncards:" + "".join(cards) + "\n"


def _messages(deck: Deck) -> list[str]:
    return [f"{e.path.name}:{e.line}:{e.column}: {e.message}" for e in deck.errors]


def test_a_dangling_follow_up_is_reported_at_its_own_line_and_column(tmp_path: Path) -> None:
    deck = load(tmp_path, _topic("aa", _card("one", "[two, tow]"), _card("two")))
    assert _messages(deck) == ["t0.yaml:8:23: follow-up 'tow': no valid card with id 'tow' in topic 'aa' "
                               "(did you mean 'two'?)"]
    assert deck.follow_ups("aa/one") == ("aa/two",)  # the good ref still works
    assert deck.card_count == 2  # a bad ref does not cost the card


def test_a_follow_up_in_another_file_is_checked_once_every_file_is_loaded(tmp_path: Path) -> None:
    deck = load(tmp_path, _topic("aa", _card("one", "[bb/two, bb/three, cc/two]")), _topic("bb", _card("two")))
    assert _messages(deck) == [
        "t0.yaml:8:26: follow-up 'bb/three': no valid card with id 'three' in topic 'bb'",
        "t0.yaml:8:36: follow-up 'cc/two': no topic 'cc' is loaded"]
    assert deck.follow_ups("aa/one") == ("bb/two",)


def test_a_ref_to_an_invalid_card_is_dangling_too(tmp_path: Path) -> None:
    broken = "\n  - id: two\n    type: flashcard\n    front: f"
    deck = load(tmp_path, _topic("aa", _card("one", "[two]"), broken))
    assert [e.message for e in deck.errors] == ["follow-up 'two': no valid card with id 'two' in topic 'aa'",
                                                "required field is missing"]


def test_a_cycle_across_two_files_is_reported_once_naming_it(tmp_path: Path) -> None:
    deck = load(tmp_path, _topic("aa", _card("one", "[bb/two]"), _card("three", "[one]")),
                _topic("bb", _card("two", "[aa/three]")))
    # the walk goes one -> bb/two -> three -> one: the ref that closes it is three's, in the first file
    assert _messages(deck) == ["t0.yaml:13:18: this follow-up closes a cycle: three -> one -> bb/two -> three; "
                               "a chain must end, so remove one of these follow-ups"]
    assert deck.errors[0].where == "card three: follow_ups[0]"
    assert deck.follow_ups("aa/three") == ()  # the closing edge is left out; the rest of the chain stays
    assert deck.follow_ups("aa/one") == ("bb/two",) and deck.follow_ups("bb/two") == ("aa/three",)


def test_a_long_cycle_is_named_by_its_ends(tmp_path: Path) -> None:
    """A ring of 300 cards printed all 300 in the message (60 KB on one line for a folder of 5,000 files)."""
    cards = [_card(f"c{i}", f"[c{(i + 1) % 300}]") for i in range(300)]
    deck = load(tmp_path, _topic("aa", *cards))
    assert _messages(deck) == [f"t0.yaml:{5 * 299 + 8}:18: this follow-up closes a cycle: c299 -> c0 -> c1 -> c2 -> "
                               "c3 -> (294 more) -> c298 -> c299; a chain must end, so remove one of these follow-ups"]


def test_a_card_is_not_its_own_follow_up_nor_twice_the_same(tmp_path: Path) -> None:
    deck = load(tmp_path, _topic("aa", _card("one", "[one, two, aa/two]"), _card("two")))
    assert _messages(deck) == ["t0.yaml:8:18: a card is not its own follow-up",
                               "t0.yaml:8:28: follow-up 'aa/two' is listed twice"]


def test_follow_up_positions_survive_the_content_cache(tmp_path: Path) -> None:
    path = write(tmp_path, "t.yaml", _topic("aa", _card("one", "[two, nope]"), _card("two")))
    cache = tmp_path / "cache"
    cold = load_deck([path], solvers=frozenset(), cache=cache)
    warm = load_deck([path], solvers=frozenset(), cache=cache)
    assert (cache / "content.pickle").exists()
    assert [str(e) for e in warm.errors] == [str(e) for e in cold.errors] != []


OPEN = """
  - id: q
    type: open
    prompt: Why?
    key_points: {points}
    model_answer: Because.
    time_limit: {limit}"""


def test_open_card_problems_read_well(tmp_path: Path) -> None:
    cards = [OPEN.format(points="[{text: only}]", limit=60),
             OPEN.format(points="[" + ", ".join(f"{{text: p{i}}}" for i in range(9)) + "]", limit=60),
             OPEN.format(points='[{text: "two\\nlines"}, {text: b}]', limit=60),
             OPEN.format(points="[one, two]", limit=60),
             OPEN.format(points="[{text: a}, {text: b}]", limit=5),
             OPEN.format(points="[{text: a}, {text: b}]", limit=901),
             OPEN.format(points="[{text: a}, {text: b}]", limit="2m")]  # was "not a number: '2m'"
    deck = load(tmp_path, "topic: aa\ntitle: A\ncards:" + "".join(c.replace("id: q", f"id: q{i}")
                                                                 for i, c in enumerate(cards)) + "\n")
    assert _messages(deck) == [
        "t0.yaml:7:17: an open question needs 2 to 8 key points (what an interviewer listens for), not 1",
        "t0.yaml:13:17: an open question needs 2 to 8 key points (what an interviewer listens for), not 9",
        "t0.yaml:19:25: must be one short line, with no line breaks",
        "t0.yaml:25:18: a key point is a mapping, not text: write `- text: ...` (and optionally `keywords: [...]`)",
        "t0.yaml:25:23: a key point is a mapping, not text: write `- text: ...` (and optionally `keywords: [...]`)",
        "t0.yaml:33:17: the time limit must be at least 15 seconds",
        "t0.yaml:39:17: the time limit must be at most 900 seconds",
        "t0.yaml:45:17: the time limit is a number of seconds (like 120), not '2m'"]
    assert deck.card_count == 0


def test_validate_reports_follow_up_problems_with_the_others(tmp_path: Path, isolated_env: Path) -> None:
    import subprocess
    import sys

    write(tmp_path, "a.yaml", _topic("aa", _card("one", "[bb/nope]"), _card("two", "[two]")))
    write(tmp_path, "b.yaml", _topic("bb", _card("x", "[y]"), "\n  - id: bad\n    type: flashcard\n    front: f"))
    result = subprocess.run([sys.executable, "-m", "quizapp", "validate", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    lines = result.stdout.splitlines()
    assert [line.split(": ", 1)[0].rsplit("/", 1)[-1] for line in lines[:4]] == [
        "a.yaml:8:18", "a.yaml:13:18", "b.yaml:8:18", "b.yaml:9:5"]
    assert "4 errors in 2 files" in lines[-1]
