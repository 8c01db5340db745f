"""Check static numeric answers and template cards of the built-in deck against recomputed values."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np
import pytest

from quizapp.deck import load_deck
from quizapp.deck.schema import NumericCard, TemplateCard
from quizapp.deck.templates import template_problem
from quizapp.paths import builtin_content_dir


def builtin_numeric_cards(topics: Iterable[str]) -> dict[str, NumericCard]:
    content = builtin_content_dir()
    assert content is not None, "no built-in deck found"
    deck = load_deck([content])
    wanted = set(topics)
    missing = wanted - {t.slug for t in deck.topics}
    assert not missing, f"topics not in the built-in deck: {sorted(missing)}"
    return {c.key: c.card for c in deck.cards(sorted(wanted)) if isinstance(c.card, NumericCard)}


def builtin_card(key: str) -> object:
    """The built-in deck's card ``topic/id``, for tests that check numbers quoted in its text."""
    content = builtin_content_dir()
    assert content is not None, "no built-in deck found"
    topic = key.split("/", 1)[0]
    cards = {c.key: c.card for c in load_deck([content]).cards([topic])}
    assert key in cards, f"no card {key} in the built-in deck"
    return cards[key]


def builtin_template_cards() -> dict[str, TemplateCard]:
    content = builtin_content_dir()
    assert content is not None, "no built-in deck found"
    return {c.key: c.card for c in load_deck([content]).cards() if isinstance(c.card, TemplateCard)}


def assert_template_matches_oracle(card: TemplateCard, key: str, oracle: Callable[[dict], object], rel: float, *,
                                   seeds: Iterable[int] = range(100), difficulties: Iterable[int] = (1, 2, 3)) -> None:
    """At every seed and difficulty the card's answer equals `oracle(params)` (relative `rel`; exactly when 0),
    and the oracle's answer typed to the card's precision checks as correct."""
    seeds = tuple(seeds)
    for difficulty in difficulties:
        for seed in seeds:
            problem = template_problem(card, key, seed, difficulty, strict=True)
            expected = oracle(problem.params)
            got = np.atleast_1d(problem.answer)
            want = np.atleast_1d(expected)
            assert got.shape == want.shape, (key, seed, difficulty)
            assert np.allclose(got, want, rtol=rel, atol=1e-12 if rel else 0.0), (key, seed, difficulty, got, want)
            typed = _typed(expected, problem.tolerance.sig_figs)
            assert problem.check(typed).is_correct, (key, seed, difficulty, typed, problem.answer)


def _typed(value, sig_figs):
    """The oracle's answer as a user would type it: to the card's significant figures, or in full."""
    def one(x: float) -> str:
        return f"{x:.{sig_figs}g}" if sig_figs else repr(float(x))

    return "[" + ", ".join(map(one, value)) + "]" if isinstance(value, list) else one(value)


def assert_numeric_answers(expected: Mapping[str, Callable[[], object]], topics: Iterable[str], *,
                           checked_elsewhere: Iterable[str] = ()) -> None:
    """Every numeric card of `topics` has an entry here or in `checked_elsewhere` (the same file's other
    table), and each stored answer in `expected` equals the computed value."""
    cards = builtin_numeric_cards(topics)
    covered = set(expected) | set(checked_elsewhere)
    assert set(cards) == covered, (
        f"numeric cards without a recomputation: {sorted(set(cards) - covered)}; "
        f"entries without a card: {sorted(covered - set(cards))}"
    )
    _assert_values(expected, cards)


def assert_numeric_values(expected: Mapping[str, Callable[[], object]]) -> None:
    """Each stored answer in `expected` equals the computed value (another file checks the topics' coverage)."""
    cards = builtin_numeric_cards({key.split("/", 1)[0] for key in expected})
    missing = set(expected) - set(cards)
    assert not missing, f"entries without a numeric card: {sorted(missing)}"
    _assert_values(expected, cards)


def _assert_values(expected: Mapping[str, Callable[[], object]], cards: Mapping[str, NumericCard]) -> None:
    for key, compute in expected.items():
        value = compute()
        stored = cards[key].answer
        values = [float(v) for v in (value if isinstance(value, (list, tuple)) else _as_list(value))]
        stored_values = stored if isinstance(stored, list) else [stored]
        assert len(values) == len(stored_values), f"{key}: {len(stored_values)} stored, {len(values)} computed"
        for got, want in zip(stored_values, values):
            assert got == pytest.approx(want, rel=1e-9, abs=1e-12), f"{key}: stored {got}, computed {want}"


def _as_list(value: object) -> list[float]:
    try:
        array = np.asarray(value, dtype=float)
        return array.ravel().tolist()
    except (TypeError, ValueError):
        return [float(value)]  # type: ignore[arg-type]
