"""precision_recall_fscore and prf_from_counts against scikit-learn (zero_division=0.0)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import precision_recall_fscore_support

from solvers import precision_recall_fscore, prf_from_counts

pytestmark = pytest.mark.solvers

AVERAGES = ["binary", "micro", "macro", "weighted"]
BETAS = st.one_of(st.sampled_from([0.0, 0.5, 1.0, 2.0, math.inf]), st.floats(1e-3, 1e3))


def sklearn_prf(y_true, y_pred, **kwargs):
    kwargs.setdefault("average", "binary")  # our default; sklearn's is None
    return precision_recall_fscore_support(y_true, y_pred, zero_division=0.0, **kwargs)[:3]


@st.composite
def label_pairs(draw):
    n_labels = draw(st.integers(1, 5))
    labels = st.integers(0, n_labels - 1)
    n = draw(st.integers(1, 40))
    y_true = draw(st.lists(labels, min_size=n, max_size=n))
    y_pred = draw(st.lists(labels, min_size=n, max_size=n))
    if draw(st.booleans()):  # string labels too
        names = ["ant", "bee", "cat", "dog", "eel"]
        y_true, y_pred = [names[v] for v in y_true], [names[v] for v in y_pred]
    return y_true, y_pred


@settings(max_examples=200, deadline=None)
@given(label_pairs(), st.sampled_from(AVERAGES), BETAS, st.data())
def test_prf_equals_sklearn(pair, average, beta, data):
    y_true, y_pred = pair
    present = sorted(set(y_true) | set(y_pred))
    kwargs = {"beta": beta, "average": average}
    if average == "binary":
        if len(present) > 2:
            with pytest.raises(ValueError, match="at most two labels"):
                precision_recall_fscore(y_true, y_pred, **kwargs)
            with pytest.raises(ValueError):
                sklearn_prf(y_true, y_pred, **kwargs)
            return
        if len(present) == 2 or isinstance(present[0], str):
            kwargs["pos_label"] = data.draw(st.sampled_from(present))
    ours = precision_recall_fscore(y_true, y_pred, **kwargs)
    assert ours == pytest.approx(sklearn_prf(y_true, y_pred, **kwargs), rel=1e-12, abs=1e-15)
    assert all(type(v) is float for v in ours)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50), st.integers(0, 50), BETAS)
def test_counts_equal_sklearn_on_expanded_labels(tp, fp, fn, tn, beta):
    y_true = [1] * tp + [0] * fp + [1] * fn + [0] * tn + [0, 1]
    y_pred = [1] * tp + [1] * fp + [0] * fn + [0] * tn + [0, 0]  # one more FN, one more TN
    expected = sklearn_prf(y_true, y_pred, beta=beta, average="binary")
    assert prf_from_counts(tp, fp, fn + 1, beta=beta) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_single_sample():
    for y_true, y_pred in [([1], [1]), ([0], [1]), ([1], [0]), ([0], [0])]:
        for average in AVERAGES:
            expected = sklearn_prf(y_true, y_pred, average=average)
            assert precision_recall_fscore(y_true, y_pred, average=average) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"y_true": [0, 1], "y_pred": [0, 1, 1]}, "(2,) and (3,)"),
        ({"y_true": [0, 1], "y_pred": [0, 1], "average": "mean"}, "'mean'"),
        ({"y_true": [0, 1], "y_pred": [0, 1], "beta": -1.0}, "-1.0"),
        ({"y_true": ["a", "b"], "y_pred": ["a", "b"]}, "pos_label=1"),
        ({"y_true": [0, 1, 2], "y_pred": [0, 1, 2]}, "at most two labels"),
        ({"y_true": [0, 0.5], "y_pred": [0, 1]}, "0.5"),
    ],
)
def test_invalid_input_raises_like_sklearn(kwargs, fragment):
    with pytest.raises(ValueError) as ours:
        precision_recall_fscore(**kwargs)
    assert fragment in str(ours.value)
    with pytest.raises(ValueError):
        sklearn_prf(**kwargs)


def test_nan_label_raises():
    with pytest.raises(ValueError, match="nan"):
        precision_recall_fscore(np.array([0.0, np.nan]), [0, 1])
