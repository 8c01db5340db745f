"""Convolution arithmetic against torch.nn.Conv2d and torch.nn.functional.conv2d."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from torch import nn

from solvers import conv1x1, conv2d_output_size, conv2d_params

pytestmark = pytest.mark.solvers


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 6), st.integers(1, 6), st.integers(1, 4),
    st.integers(1, 5) | st.tuples(st.integers(1, 5), st.integers(1, 5)), st.booleans(),
)
def test_params_equal_torch_conv2d(c_in_groups, c_out_groups, groups, k, bias):
    c_in, c_out = c_in_groups * groups, c_out_groups * groups
    layer = nn.Conv2d(c_in, c_out, k, bias=bias, groups=groups, device="meta")
    assert conv2d_params(c_in, c_out, k, bias=bias, groups=groups) == sum(p.numel() for p in layer.parameters())


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 64), st.integers(1, 7), st.integers(1, 4), st.integers(0, 4), st.integers(1, 3))
def test_output_size_equals_torch(h, k, stride, padding, dilation):
    x = torch.zeros(1, 1, h, h)
    w = torch.zeros(1, 1, k, k)
    if h + 2 * padding < dilation * (k - 1) + 1:
        with pytest.raises(ValueError, match="kernel spans"):
            conv2d_output_size(h, k, stride=stride, padding=padding, dilation=dilation)
        with pytest.raises(RuntimeError):
            F.conv2d(x, w, stride=stride, padding=padding, dilation=dilation)
        return
    out = F.conv2d(x, w, stride=stride, padding=padding, dilation=dilation)
    assert conv2d_output_size(h, k, stride=stride, padding=padding, dilation=dilation) == out.shape[-1]


@st.composite
def conv1x1_inputs(draw):
    n, c_in, c_out, h, w = (draw(st.integers(1, 4)) for _ in range(5))
    scale = draw(st.sampled_from([1e-6, 1.0, 1e6]))
    x = draw(arrays(np.float64, (n, c_in, h, w), elements=st.floats(-10, 10))) * scale
    weight = draw(arrays(np.float64, (c_out, c_in), elements=st.floats(-3, 3)))
    bias = draw(st.none() | arrays(np.float64, c_out, elements=st.floats(-3, 3)))
    return x, weight, bias


@settings(max_examples=150, deadline=None)
@given(conv1x1_inputs(), st.booleans())
def test_conv1x1_equals_torch(inputs, batched):
    x, weight, bias = inputs
    expected = F.conv2d(
        torch.tensor(x), torch.tensor(weight)[:, :, None, None], None if bias is None else torch.tensor(bias)
    ).numpy()
    scale = 1 + np.abs(x).max() * np.abs(weight).max() * x.shape[1]
    ours = conv1x1(x if batched else x[0], weight if batched else weight[:, :, None, None], bias)
    np.testing.assert_allclose(ours, expected if batched else expected[0], rtol=1e-12, atol=1e-14 * scale)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: conv2d_params(6, 4, 3, groups=4), "divisible by groups (4)"),
        (lambda: conv2d_params(0, 4, 3), "c_in must be at least 1, got 0"),
        (lambda: conv2d_output_size(3, 5), "padded input has only 3"),
        (lambda: conv2d_output_size(8, 3, stride=0), "stride"),
        (lambda: conv1x1(np.ones((1, 3, 2, 2)), np.ones((2, 4))), "4 input channels but x has 3"),
        (lambda: conv1x1(np.ones((3, 2, 2)), np.ones((2, 3, 3, 3))), "1x1 kernel"),
        (lambda: conv1x1(np.ones((3, 2, 2)), np.ones((2, 3)), np.ones(3)), "b must have shape (2,)"),
    ],
)
def test_invalid_input(call, fragment):
    with pytest.raises(ValueError) as error:
        call()
    assert fragment in str(error.value)


def test_torch_rejects_the_same_group_mismatch():
    with pytest.raises(ValueError):
        nn.Conv2d(6, 4, 3, groups=4)
