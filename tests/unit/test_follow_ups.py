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
    return Deck((Topic("t", "T", None, (), Path("t.yaml"), 1, cards),))


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
