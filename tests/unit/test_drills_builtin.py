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


PAIRWISE_AUC = {
    "numpy": '''
import numpy as np
def roc_auc(y_true, y_score):
    pos = y_score[y_true == 1]; neg = y_score[y_true == 0]
    return float(((pos[:, None] > neg) + 0.5 * (pos[:, None] == neg)).mean())
''',
    "python": '''
def roc_auc(y_true, y_score):
    pos = [s for s, y in zip(y_score, y_true) if y == 1]
    neg = [s for s, y in zip(y_score, y_true) if y == 0]
    total = 0.0
    for p in pos:
        for q in neg:
            total += 1.0 if p > q else 0.5 if p == q else 0.0
    return total / (len(pos) * len(neg))
''',
}

# O(n log n) with a Python loop over the sorted scores: slower than numpy, growing the same way
PYTHON_LOOP_AUC = '''
def roc_auc(y_true, y_score):
    order = sorted(range(len(y_score)), key=lambda i: y_score[i])
    n = len(order)
    ranks = [0.0] * n
    i = 0
    while i < n:
        j = i
        while j + 1 < n and y_score[order[j + 1]] == y_score[order[i]]:
            j += 1
        for t in range(i, j + 1):
            ranks[order[t]] = (i + j) / 2 + 1
        i = j + 1
    pos = sum(1 for v in y_true if v == 1)
    rank_sum = sum(r for r, v in zip(ranks, y_true) if v == 1)
    return (rank_sum - pos * (pos + 1) / 2) / (pos * (n - pos))
'''


@pytest.mark.parametrize("how", sorted(PAIRWISE_AUC))
def test_a_pairwise_auc_is_right_but_fails_as_too_slow_since_the_task_asks_for_n_log_n(how: str) -> None:
    verdict = check_code(PAIRWISE_AUC[how], "auc", seed=1)
    assert verdict.status == "fail" and verdict.exit_code == 1, verdict.report()
    assert verdict.message.startswith("too slow: every case is right, but the task asks for O(n log n)")
    assert "It would not scale, so it does not pass." in verdict.message
    assert verdict.cases == verdict.total and f"All {verdict.total} cases gave the right result." in verdict.report()


def test_the_growth_is_timed_on_a_clock_of_its_own_after_the_cases() -> None:
    """A drill's time limit is for its cases: a short one leaves the timing its own time."""
    verdict = check_code(PAIRWISE_AUC["python"], "auc", seed=1, time_limit=1)
    assert verdict.status == "fail" and verdict.message.startswith("too slow"), verdict.report()


def test_an_auc_in_n_log_n_with_a_python_loop_passes() -> None:
    verdict = check_code(PYTHON_LOOP_AUC, "auc", seed=1)
    assert verdict.status == "pass" and not verdict.warnings, verdict.report()


def test_counting_per_sample_passes_with_a_warning_where_the_task_states_no_complexity() -> None:
    per_sample = '''
import numpy as np
def balanced_class_weights(y):
    counts = {int(v): sum(1 for u in y.tolist() if u == v) for v in y.tolist()}  # n passes over y: clearly n^2
    return {c: len(y) / (len(counts) * m) for c, m in counts.items()}
'''
    verdict = check_code(per_sample, "class-weights", seed=1)
    assert verdict.status == "pass", verdict.report()
    assert len(verdict.warnings) == 1 and verdict.warnings[0].startswith("Expected O(n log n): going from")
    assert verdict.warnings[0].endswith("It passes, but it would not scale."), verdict.warnings


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
