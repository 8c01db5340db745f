"""L1/L2 penalties against torch autograd, soft_threshold against torch's softshrink and a
numerical minimiser (scipy), and the weight-decay step against torch.optim.SGD."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays
from scipy.optimize import minimize_scalar

from solvers import (
    l1_one_sided_derivatives,
    penalty,
    penalty_grad,
    ridge_coefficients,
    ridge_shrinkage,
    soft_threshold,
    weight_decay_step,
)

pytestmark = pytest.mark.solvers

SCALES = [1e-8, 1e-3, 1.0, 1e3, 1e8]


@st.composite
def weights(draw, shape=None):
    """Weights with exact zeros and ties, at one of several magnitudes."""
    shape = shape or draw(array_shapes(min_dims=1, max_dims=3, max_side=4))
    base = draw(arrays(np.float64, shape, elements=st.integers(-3, 3).map(float) | st.floats(-10, 10)))
    return base * draw(st.sampled_from(SCALES))


LAMBDAS = st.sampled_from([0.0, 0.01, 0.5, 1.0, 10.0]) | st.floats(0, 100)


def autograd(w, penalty_fn):
    tensor = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    value = penalty_fn(tensor)
    value.backward()
    return value.item(), tensor.grad.numpy()


@settings(max_examples=150, deadline=None)
@given(weights(), LAMBDAS)
def test_l1_matches_autograd(w, lam):
    value, grad = autograd(w, lambda t: (lam * t.abs()).sum())
    assert penalty(w, lam, "l1") == pytest.approx(value, rel=1e-12, abs=1e-300)
    np.testing.assert_array_equal(penalty_grad(w, lam, "l1"), grad)  # includes the 0 at w = 0


@settings(max_examples=150, deadline=None)
@given(weights(), LAMBDAS)
def test_l2_matches_autograd(w, lam):
    value, grad = autograd(w, lambda t: (lam * t.pow(2)).sum())
    assert penalty(w, lam, "l2") == pytest.approx(value, rel=1e-12, abs=1e-300)
    np.testing.assert_allclose(penalty_grad(w, lam, "l2"), grad, rtol=1e-14, atol=0)


@settings(max_examples=150, deadline=None)
@given(st.floats(-100, 100), LAMBDAS)
def test_one_sided_derivatives_match_autograd_just_beside_zero(d0, lam):
    """L(w) = d0 w + w^2 / 2 + lam |w|: autograd at -h and +h tends to the left/right derivatives."""
    h = 1e-9
    sides = []
    for w0 in (-h, h):
        w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
        (d0 * w + 0.5 * w**2 + lam * w.abs()).backward()
        sides.append(w.grad.item())
    left, right = l1_one_sided_derivatives(d0, lam)
    assert left == pytest.approx(sides[0], abs=1e-8)
    assert right == pytest.approx(sides[1], abs=1e-8)


@settings(max_examples=150, deadline=None)
@given(weights(), st.sampled_from([0.0, 0.1, 1.0]) | st.floats(0, 50))
def test_soft_threshold_matches_torch_softshrink(w, t):
    expected = F.softshrink(torch.tensor(w, dtype=torch.float64), t).numpy()
    np.testing.assert_array_equal(soft_threshold(w, t), expected)


@settings(max_examples=100, deadline=None)
@given(st.floats(-50, 50), st.floats(0, 20))
def test_soft_threshold_is_the_numerical_minimiser(w, t):
    found = minimize_scalar(lambda x: 0.5 * (x - w) ** 2 + t * abs(x), bracket=(-60, 60), tol=1e-12).x
    assert soft_threshold(w, t) == pytest.approx(found, abs=1e-5)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 6).flatmap(lambda n: st.tuples(weights((n,)), weights((n,)))), st.floats(0, 1), LAMBDAS)
def test_weight_decay_step_matches_sgd(w_and_grad, lr, lam):
    w, grad = w_and_grad
    param = torch.nn.Parameter(torch.tensor(w, dtype=torch.float64))
    param.grad = torch.tensor(grad, dtype=torch.float64)
    torch.optim.SGD([param], lr=lr, weight_decay=2 * lam).step()
    scale = np.abs(w).max() * (1 + 2 * lr * lam) + lr * np.abs(grad).max()
    expected = param.detach().numpy()
    np.testing.assert_allclose(weight_decay_step(w, grad, lr, lam), expected, rtol=1e-12, atol=1e-14 * scale)


def test_scalar_inputs_give_floats():
    assert penalty_grad(0.0, 0.5, "l1") == 0.0
    assert soft_threshold(-0.3, 0.1) == pytest.approx(-0.2)
    assert isinstance(soft_threshold(1.0, 0.5), float)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: penalty_grad([1.0], 0.1, "l3"), "'l3'"),
        (lambda: penalty_grad([1.0], -0.1, "l1"), "-0.1"),
        (lambda: penalty_grad([np.nan], 0.1, "l2"), "nan"),
        (lambda: soft_threshold([1.0], -1.0), "-1.0"),
        (lambda: l1_one_sided_derivatives(float("inf"), 0.1), "inf"),
        (lambda: weight_decay_step([1.0, 2.0], [1.0], 0.1, 0.1), "(2,) and (1,)"),
    ],
)
def test_invalid_input(call, fragment):
    with pytest.raises(ValueError) as error:
        call()
    assert fragment in str(error.value)


@st.composite
def designs(draw):
    rows, cols = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    x = draw(arrays(np.float64, (rows, cols), elements=st.integers(-4, 4).map(float) | st.floats(-5, 5)))
    return x, draw(st.sampled_from([0.01, 0.5, 1.0, 10.0]) | st.floats(0.01, 100))


@settings(max_examples=150, deadline=None)
@given(designs())
def test_ridge_shrinkage_factors_are_the_hat_matrix_eigenvalues(design):
    from scipy.linalg import eigvalsh

    x, lam = design
    hat = x @ np.linalg.solve(x.T @ x + lam * np.eye(x.shape[1]), x.T)
    expected = eigvalsh(hat)[::-1][: min(x.shape)]
    np.testing.assert_allclose(ridge_shrinkage(x, lam), expected, atol=1e-9)


@settings(max_examples=150, deadline=None)
@given(designs(), st.data())
def test_ridge_coefficients_equal_sklearn(design, data):
    from sklearn.linear_model import Ridge

    x, lam = design
    y = data.draw(arrays(np.float64, x.shape[0], elements=st.floats(-5, 5)))
    expected = Ridge(alpha=lam, fit_intercept=False, solver="cholesky").fit(x, y).coef_
    np.testing.assert_allclose(ridge_coefficients(x, y, lam), expected, rtol=1e-7, atol=1e-9)
