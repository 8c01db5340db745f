"""Every built-in drill: its model solution passes, and a plausible wrong one fails with a small, real
counterexample (checked here again by running the wrong code on it in this process)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from quizapp.deck import load_deck
from quizapp.drills import check_code
from quizapp.paths import builtin_content_dir
from solvers.drills import drills, get_drill
from tests.drill_solutions import WRONG

DRILLS = sorted(drills())


def test_at_least_ten_drills_and_a_wrong_solution_for_each() -> None:
    assert len(DRILLS) >= 10
    assert set(WRONG) == set(DRILLS)


@pytest.mark.parametrize("name", DRILLS)
def test_the_model_solution_passes(name: str) -> None:
    verdict = check_code(get_drill(name).solution, name, seed=3)
    assert verdict.status == "pass", verdict.report()
    assert verdict.cases == verdict.total >= 200 + len(get_drill(name).edge_cases) - 5
    assert not verdict.warnings, verdict.warnings


def _case_from(text: str) -> dict:
    """The verdict's case: assignments made by solvers.drills.show, then a call (dropped here)."""
    namespace: dict = {"np": np}
    *assignments, _call = text.splitlines()
    exec("\n".join(assignments), namespace)
    return {line.split(" = ", 1)[0]: namespace[line.split(" = ", 1)[0]] for line in assignments}


@pytest.mark.parametrize("name", DRILLS)
def test_a_plausible_wrong_solution_fails_with_a_shrunk_counterexample(name: str) -> None:
    source, small_enough = WRONG[name]
    drill = get_drill(name)
    verdict = check_code(source, name, seed=3)
    assert verdict.status == "fail", verdict.report()
    assert verdict.expected != verdict.got
    case = _case_from(verdict.case)
    assert list(case) == list(drill.params)
    assert small_enough(case), verdict.case
    namespace: dict = {}
    exec(source, namespace)
    wrong = namespace[drill.function](*[np.array(v) if isinstance(v, np.ndarray) else v for v in case.values()])
    assert drill.valid(case)
    assert drill.compare(drill.expected(case), wrong) is not None, "the counterexample must really fail"


def test_a_pairwise_auc_passes_with_a_complexity_warning() -> None:
    pairwise = '''
import numpy as np
def roc_auc(y_true, y_score):
    pos = y_score[y_true == 1]; neg = y_score[y_true == 0]
    return float(((pos[:, None] > neg) + 0.5 * (pos[:, None] == neg)).mean())
'''
    verdict = check_code(pairwise, "auc", seed=1)
    assert verdict.status == "pass"
    assert len(verdict.warnings) == 1 and "O(n log n)" in verdict.warnings[0], verdict.warnings


def test_every_drill_has_a_card_in_its_topic() -> None:
    deck = load_deck([builtin_content_dir()])
    cards = [card.card for card in deck.cards() if card.type == "code"]
    by_checker = {card.checker: card for card in cards}
    assert set(by_checker) == set(DRILLS)
    for card in deck.cards():
        if card.type == "code":
            assert get_drill(card.card.checker).topic == card.topic, card.key


ANYTHING = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)
    | arrays(np.float64, st.integers(0, 4), elements=st.floats()),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.integers(0, 3), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(DRILLS), ANYTHING, st.integers(0, 2**16))
def test_comparing_any_returned_value_gives_a_reason_and_never_raises(name: str, got, seed: int) -> None:
    from solvers.drills import show

    drill = get_drill(name)
    expected = drill.expected(drill.generate(np.random.default_rng(seed)))
    reason = drill.compare(expected, got)
    assert reason is None or (isinstance(reason, str) and reason)
    assert isinstance(show(got), str) and len(show(got)) <= 2_000


NAIVE_PRODUCT = '''
import numpy as np
def naive_bayes_posterior(priors, likelihoods):
    joint = priors * np.prod(likelihoods, 1)
    return joint / joint.sum()
'''


def test_a_naive_bayes_product_that_underflows_fails_naming_the_input() -> None:
    verdict = check_code(NAIVE_PRODUCT, "naive-bayes", seed=3)
    assert verdict.status == "fail", verdict.report()
    assert "underflows float64 to 0" in verdict.message and "add logs" in verdict.message
    case = _case_from(verdict.case)  # pasteable, though it has hundreds of features
    assert case["likelihoods"].shape[1] >= 100
    drill = get_drill("naive-bayes")
    assert drill.valid(case) and np.isfinite(drill.expected(case)).all()


def test_the_testers_naive_bayes_input_is_checked() -> None:
    """d = 400 likelihoods around 1e-3: the product is 0, the log-sum-exp answer well defined."""
    likelihoods = np.random.default_rng(0).uniform(0.5e-3, 1.5e-3, size=(2, 400))
    drill = get_drill("naive-bayes")
    big = [case for case in drill.edge_cases if np.asarray(case["likelihoods"]).size >= 400]
    assert big and all(drill.explain(case) for case in big)
    case = {"priors": np.array([0.5, 0.5]), "likelihoods": likelihoods}
    assert drill.valid(case) and drill.explain(case)
    namespace: dict = {}
    exec(NAIVE_PRODUCT, namespace)
    with np.errstate(all="ignore"):
        assert drill.compare(drill.expected(case), namespace["naive_bayes_posterior"](**case)) is not None


def test_a_large_array_that_repeats_one_value_per_row_is_shown_as_python_that_builds_it() -> None:
    from solvers.drills import show

    for array in (np.full((2, 400), 1e-3), np.repeat(np.array([[1e-3], [1.002e-3]]), 400, axis=1),
                  np.full(300, 2), np.repeat(np.arange(3.0)[:, None], 100, axis=1)):
        text = show(array)
        assert "..." not in text, text
        rebuilt = eval(text, {"np": np})
        assert rebuilt.dtype == array.dtype and np.array_equal(rebuilt, array), text
