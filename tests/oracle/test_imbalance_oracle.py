"""Balanced class weights against scikit-learn; SMOTE interpolation and counts against
imbalanced-learn."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from imblearn.over_sampling import SMOTE
from imblearn.utils import check_sampling_strategy
from sklearn.utils.class_weight import compute_class_weight

from solvers import balanced_class_weights, focal_loss, smote_count, smote_point

pytestmark = pytest.mark.solvers


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(-2, 6), min_size=1, max_size=200), st.booleans())
def test_balanced_weights_equal_sklearn(labels, as_strings):
    y = np.array([f"c{v}" for v in labels]) if as_strings else np.array(labels)
    classes = np.unique(y)
    expected = compute_class_weight("balanced", classes=classes, y=y)
    ours = balanced_class_weights(y)
    assert list(ours) == classes.tolist()
    np.testing.assert_allclose(list(ours.values()), expected, rtol=1e-14)
    assert all(type(w) is float for w in ours.values())


MINORITY_PAIRS = st.integers(1, 6).flatmap(
    lambda d: st.tuples(*[arrays(np.float64, d, elements=st.floats(-1e3, 1e3))] * 2)
).filter(lambda pair: np.linalg.norm(pair[1] - pair[0]) > 1e-3)


@settings(max_examples=150, deadline=None)
@given(MINORITY_PAIRS, st.integers(0, 2**31 - 1))
def test_smote_points_equal_imblearn_fit_resample(pair, seed):
    """imbalanced-learn's public SMOTE, with two minority samples (each the other's only neighbour): every
    synthetic sample it makes is our smote_point on that segment at the gap it lies at."""
    a, b = pair
    rng = np.random.default_rng(seed)
    majority = rng.normal(size=(20, len(a))) * 1e3
    X = np.vstack([majority, a, b])
    y = np.array([0] * 20 + [1, 1])
    X_res, _ = SMOTE(sampling_strategy=0.5, k_neighbors=1, random_state=seed).fit_resample(X, y)
    synthetic = X_res[len(X):]
    assert len(synthetic) == smote_count(20, 2, 0.5)
    for s in synthetic:
        gap = float(np.dot(s - a, b - a) / np.dot(b - a, b - a))
        assert -1e-9 <= gap <= 1 + 1e-9
        np.testing.assert_allclose(smote_point(a, b, min(max(gap, 0.0), 1.0)), s, rtol=1e-9, atol=1e-9)


RATIOS = st.floats(1e-3, 1.0) | st.integers(1, 100).map(lambda k: k / 100)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 3000), st.integers(1, 3000), RATIOS)
def test_smote_count_equals_imblearn_sampling_strategy(a, b, ratio):
    n_majority, n_minority = max(a, b), min(a, b)
    y = np.array([0] * n_majority + [1] * n_minority)
    try:
        expected = check_sampling_strategy(ratio, y, "over-sampling")
    except ValueError:
        with pytest.raises(ValueError, match="increase the ratio"):
            smote_count(n_majority, n_minority, ratio)
        return
    assert smote_count(n_majority, n_minority, ratio) == expected[1]


def test_smote_count_keeps_imblearns_float_truncation():
    # 0.29 * 100 is 28.999999999999996 in floating point: imblearn generates 18, not 19
    y = np.array([0] * 100 + [1] * 10)
    assert check_sampling_strategy(0.29, y, "over-sampling")[1] == smote_count(100, 10, 0.29) == 18


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: smote_count(100, 10, 1.5), "1.5"),
        (lambda: smote_count(100, 10, 0.0), "0.0"),
        (lambda: smote_count(100, -1, 0.5), "-1"),
        (lambda: smote_count(10, 20, 0.5), "(20) must not exceed n_majority (10)"),
        (lambda: smote_point([0.0, 1.0], [1.0], 0.5), "(2,) and (1,)"),
        (lambda: smote_point([0.0], [1.0], 1.2), "1.2"),
        (lambda: balanced_class_weights([[0, 1]]), "(1, 2)"),
        (lambda: balanced_class_weights([]), "empty"),
    ],
)
def test_invalid_input(call, fragment):
    with pytest.raises(ValueError) as error:
        call()
    assert fragment in str(error.value)


def test_ratio_outside_unit_interval_is_rejected_by_imblearn_too():
    y = np.array([0] * 100 + [1] * 10)
    for ratio in (0.0, 1.5):
        with pytest.raises(ValueError):
            SMOTE(sampling_strategy=ratio).fit_resample(np.zeros((110, 1)), y)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(1e-6, 1 - 1e-6),
    st.integers(0, 1),
    st.floats(0.0, 5.0),
    st.none() | st.floats(0.0, 1.0),
)
def test_focal_loss_equals_kornia(p, y, gamma, alpha):
    import torch
    from kornia.losses import binary_focal_loss_with_logits

    logit = torch.logit(torch.tensor([[p]], dtype=torch.float64))
    target = torch.tensor([[float(y)]], dtype=torch.float64)
    expected = binary_focal_loss_with_logits(logit, target, alpha=alpha, gamma=gamma, reduction="none").item()
    assert focal_loss(p, y, gamma, alpha) == pytest.approx(expected, rel=1e-9, abs=1e-15)


def test_focal_loss_with_gamma_0_is_cross_entropy_and_rejects_bad_labels():
    from sklearn.metrics import log_loss

    assert focal_loss(0.3, 0, gamma=0.0) == pytest.approx(log_loss([0], [[0.7, 0.3]], labels=[0, 1]))
    with pytest.raises(ValueError, match="y must be 0 or 1"):
        focal_loss(0.3, 2)
