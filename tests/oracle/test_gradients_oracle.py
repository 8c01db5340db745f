"""clip_grad_norm against torch.nn.utils.clip_grad_norm_; the sigmoid chain against torch autograd."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from solvers import clip_grad_norm, sigmoid, sigmoid_chain_forward, sigmoid_chain_grad

pytestmark = pytest.mark.solvers

SCALES = [1e-9, 1e-3, 1.0, 1e3, 1e9]


@st.composite
def gradient_lists(draw):
    scale = draw(st.sampled_from(SCALES))
    shapes = draw(st.lists(array_shapes(min_dims=1, max_dims=3, max_side=4), min_size=1, max_size=4))
    elements = st.integers(-3, 3).map(float) | st.floats(-10, 10)
    return [draw(arrays(np.float64, shape, elements=elements)) * scale for shape in shapes]


MAX_NORMS = st.sampled_from([0.0, 1e-6, 0.5, 1.0, 5.0, 1e6]) | st.floats(0, 100)
NORM_TYPES = st.sampled_from([1.0, 2.0, 3.0, 0.5, math.inf])


def torch_clip(grads, max_norm, norm_type):
    params = []
    for g in grads:
        p = torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64))
        p.grad = torch.tensor(g, dtype=torch.float64)
        params.append(p)
    total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type)
    return [p.grad.numpy() for p in params], total.item()


@settings(max_examples=200, deadline=None)
@given(gradient_lists(), MAX_NORMS, NORM_TYPES)
def test_clip_grad_norm_equals_torch(grads, max_norm, norm_type):
    expected_grads, expected_total = torch_clip(grads, max_norm, norm_type)
    clipped, total = clip_grad_norm(grads, max_norm, norm_type)
    assert type(total) is float
    assert total == pytest.approx(expected_total, rel=1e-12, abs=0)
    for ours, theirs in zip(clipped, expected_grads):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=0)


def test_clip_norm_of_one_tiny_entry_does_not_underflow():
    grads = [np.array([3.08892748e-215])]  # found by hypothesis: its square underflows to 0
    expected_grads, expected_total = torch_clip(grads, 0.0, 2.0)
    clipped, total = clip_grad_norm(grads, 0.0, 2.0)
    assert total == expected_total == 3.08892748e-215
    np.testing.assert_array_equal(clipped[0], expected_grads[0])


def test_clip_keeps_torchs_epsilon():
    # norm exactly max_norm: torch still scales by max_norm / (norm + 1e-6) < 1
    clipped, total = clip_grad_norm([np.array([3.0, 4.0])], 5.0)
    expected, expected_total = torch_clip([np.array([3.0, 4.0])], 5.0, 2.0)
    assert total == expected_total == 5.0
    np.testing.assert_array_equal(clipped[0], expected[0])
    assert clipped[0][0] < 3.0


def test_zero_gradients_and_flat_list():
    clipped, total = clip_grad_norm([0.0, 0.0], 1.0)
    assert total == 0.0 and clipped[0].tolist() == [0.0, 0.0]


CHAINS = st.integers(1, 8).flatmap(
    lambda n: arrays(np.float64, n, elements=st.floats(-5, 5) | st.sampled_from([0.0, 1.0, -1.0, 10.0]))
)


@settings(max_examples=200, deadline=None)
@given(st.floats(-10, 10), CHAINS)
def test_sigmoid_chain_matches_autograd(x, weights):
    x_t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    a, zs, acts = x_t, [], []
    for w in weights:
        z = w * a
        a = torch.sigmoid(z)
        zs.append(z.item())
        acts.append(a.item())
    a.backward()
    z, act = sigmoid_chain_forward(x, weights)
    np.testing.assert_allclose(z, zs, rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(act, acts, rtol=1e-14, atol=1e-300)
    assert sigmoid_chain_grad(weights, z) == pytest.approx(x_t.grad.item(), rel=1e-12, abs=1e-300)


@settings(max_examples=150, deadline=None)
@given(arrays(np.float64, st.integers(1, 10), elements=st.floats(-800, 800)))
def test_sigmoid_equals_torch_even_for_large_inputs(z):
    expected = torch.sigmoid(torch.tensor(z, dtype=torch.float64)).numpy()
    np.testing.assert_allclose(sigmoid(z), expected, rtol=1e-14, atol=1e-300)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: clip_grad_norm([np.array([1.0, np.inf])], 1.0), "inf"),
        (lambda: clip_grad_norm([np.ones(2)], -1.0), "-1.0"),
        (lambda: clip_grad_norm([np.ones(2)], 1.0, norm_type=0), "norm_type"),
        (lambda: sigmoid_chain_grad([1.0, 2.0], [0.0]), "(2,) and (1,)"),
        (lambda: sigmoid_chain_grad([], []), "at least one layer"),
    ],
)
def test_invalid_input(call, fragment):
    with pytest.raises(ValueError) as error:
        call()
    assert fragment in str(error.value)
