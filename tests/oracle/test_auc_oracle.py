"""roc_auc, mann_whitney_u and average_ranks against scikit-learn and scipy."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import mannwhitneyu, rankdata
from sklearn.metrics import roc_auc_score, roc_curve

from solvers import average_ranks, mann_whitney_u, roc_auc, roc_points

pytestmark = pytest.mark.solvers

SCALES = [1e-300, 1e-12, 1e-3, 1.0, 1e6, 1e300]


@st.composite
def scores(draw, n):
    """Scores in one regime: few distinct values (ties), any float, or a tiny/huge scale."""
    regime = draw(st.sampled_from(["ties", "floats", "scaled"]))
    if regime == "ties":
        return [float(v) for v in draw(st.lists(st.integers(-3, 3), min_size=n, max_size=n))]
    if regime == "floats":
        return draw(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=n, max_size=n))
    scale = draw(st.sampled_from(SCALES))
    return [scale * v for v in draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n))]


@st.composite
def binary_problems(draw, max_size=60):
    """(y_true, y_score) with both classes present, labels from one of several encodings."""
    rest = draw(st.lists(st.integers(0, 1), max_size=max_size - 2))
    order = draw(st.permutations(range(len(rest) + 2)))
    y01 = np.array([0, 1] + rest)[list(order)]
    negative, positive = draw(st.sampled_from([(0, 1), (-1, 1), (1, 2), (0, 5)]))
    y = np.where(y01 == 1, positive, negative)
    return y, np.array(draw(scores(y.size)))


@settings(max_examples=200, deadline=None)
@given(binary_problems())
def test_roc_auc_equals_sklearn(problem):
    y, s = problem
    assert abs(roc_auc(y, s) - roc_auc_score(y, s)) <= 1e-12


@settings(max_examples=200, deadline=None)
@given(binary_problems())
def test_auc_and_u_equal_scipy_mannwhitneyu(problem):
    y, s = problem
    positive = y == y.max()
    pos, neg = s[positive], s[~positive]
    statistic = mannwhitneyu(pos, neg).statistic
    assert mann_whitney_u(y, s) == pytest.approx(statistic, rel=1e-12, abs=1e-12)
    assert abs(roc_auc(y, s) - statistic / (pos.size * neg.size)) <= 1e-12


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 40).flatmap(scores))
def test_average_ranks_equal_scipy_rankdata(values):
    np.testing.assert_array_equal(average_ranks(values), rankdata(values, method="average"))


def test_single_example_per_class():
    assert roc_auc([0, 1], [0.3, 0.3]) == roc_auc_score([0, 1], [0.3, 0.3]) == 0.5
    assert roc_auc([1, 0], [0.9, 0.1]) == roc_auc_score([1, 0], [0.9, 0.1]) == 1.0


@pytest.mark.slow
def test_million_samples_with_ties():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, size=10**6)
    s = rng.integers(0, 1000, size=10**6) / 1000 + 0.1 * y
    assert abs(roc_auc(y, s) - roc_auc_score(y, s)) <= 1e-12


@pytest.mark.parametrize(
    ("y", "s", "fragment"),
    [
        ([0, 1, 1], [0.1, 0.2], "(3,) and (2,)"),
        ([0, 1], [0.1, float("nan")], "nan"),
        ([0, 1, 2], [0.1, 0.2, 0.3], "two classes, got 3"),
    ],
)
def test_invalid_input_raises_like_sklearn(y, s, fragment):
    with pytest.raises(ValueError) as ours:
        roc_auc(y, s)
    assert fragment in str(ours.value)
    with pytest.raises(ValueError):
        roc_auc_score(y, s)


def test_one_class_raises_where_sklearn_returns_nan():
    with pytest.raises(ValueError, match="two classes, got 1"):
        roc_auc([1, 1, 1], [0.1, 0.2, 0.3])
    with pytest.warns(UserWarning, match="Only one class"):
        assert np.isnan(roc_auc_score([1, 1, 1], [0.1, 0.2, 0.3]))


@settings(max_examples=150, deadline=None)
@given(binary_problems())
def test_roc_points_equal_sklearn_roc_curve(problem):
    y_true, y_score = problem
    fpr, tpr, thresholds = roc_curve(y_true, y_score, pos_label=y_true.max(), drop_intermediate=False)
    points = roc_points(y_true, y_score)
    np.testing.assert_array_equal(points.thresholds, thresholds[1:])  # sklearn starts at +inf
    np.testing.assert_allclose(points.fpr, fpr[1:], rtol=1e-12)
    np.testing.assert_allclose(points.tpr, tpr[1:], rtol=1e-12)
