"""batch_norm against torch.nn.functional.batch_norm and nn.BatchNorm1d/2d (float64)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from torch import nn

from solvers import batch_norm, batch_norm_backward, fold_bn_into_conv

pytestmark = pytest.mark.solvers

SCALES = [1e-6, 1e-3, 1.0, 1e3, 1e6]


@st.composite
def bn_inputs(draw):
    four_d = draw(st.booleans())
    channels = draw(st.integers(1, 4))
    shape = (draw(st.integers(1, 6)), channels) + ((draw(st.integers(1, 3)), draw(st.integers(1, 3))) if four_d else ())
    scale = draw(st.sampled_from(SCALES))
    values = st.one_of(st.integers(-3, 3).map(float), st.floats(-10, 10))  # integers give ties and constant channels
    x = draw(arrays(np.float64, shape, elements=values)) * scale
    gamma = draw(arrays(np.float64, channels, elements=st.floats(-3, 3)))
    beta = draw(arrays(np.float64, channels, elements=st.floats(-3, 3)))
    running_mean = draw(arrays(np.float64, channels, elements=st.floats(-5, 5)))
    running_var = draw(arrays(np.float64, channels, elements=st.floats(0.01, 5)))
    momentum = draw(st.sampled_from([0.0, 0.1, 0.5, 1.0]) | st.floats(0, 1))
    eps = draw(st.sampled_from([1e-5, 1e-3, 1.0]))
    return x, gamma, beta, running_mean, running_var, momentum, eps


def t(a):
    return torch.tensor(a, dtype=torch.float64)


def assert_close(ours, theirs, scale=1.0):
    np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-9, atol=1e-9 * scale)


def y_scale(x, var, gamma, eps):
    """Scale for y's tolerance: torch computes x * scale + shift, so rounding of order
    ulp(|x| * gamma / std) is expected when the spread is tiny next to |x|."""
    rounding = 64 * np.finfo(float).eps * np.abs(x).max() * np.abs(gamma).max() / np.sqrt(var.min() + eps)
    return 1 + rounding / 1e-9


@settings(max_examples=200, deadline=None)
@given(bn_inputs(), st.booleans())
def test_functional_batch_norm(inputs, training):
    x, gamma, beta, rm, rv, momentum, eps = inputs
    kwargs = dict(eps=eps, momentum=momentum, running_mean=rm, running_var=rv, training=training)
    torch_rm, torch_rv = t(rm), t(rv)
    count = x.size // x.shape[1]
    if training and count < 2:
        with pytest.raises(ValueError, match="more than 1 value per channel"):
            batch_norm(x, gamma, beta, **kwargs)
        with pytest.raises(ValueError):
            F.batch_norm(t(x), torch_rm, torch_rv, t(gamma), t(beta), training, momentum, eps)
        return
    result = batch_norm(x, gamma, beta, **kwargs)
    y = F.batch_norm(t(x), torch_rm, torch_rv, t(gamma), t(beta), training, momentum, eps)
    assert_close(result.y, y, y_scale(x, result.var if training else rv, gamma, eps))
    assert_close(result.running_mean, torch_rm, np.abs(x).max())
    assert_close(result.running_var, torch_rv, np.abs(x).max() ** 2)
    axes = (0,) + tuple(range(2, x.ndim))
    mean = t(x).mean(dim=axes)
    var = t(x).var(dim=axes, unbiased=False)
    assert_close(result.mean, mean, np.abs(x).max())
    assert_close(result.var, var, np.abs(x).max() ** 2)


@settings(max_examples=100, deadline=None)
@given(bn_inputs())
def test_batchnorm_modules_train_then_eval(inputs):
    x, gamma, beta, _, _, momentum, eps = inputs
    if x.size // x.shape[1] < 2:
        return
    module = (nn.BatchNorm2d if x.ndim == 4 else nn.BatchNorm1d)(x.shape[1], eps=eps, momentum=momentum).double()
    with torch.no_grad():
        module.weight.copy_(t(gamma))
        module.bias.copy_(t(beta))
    module.train()
    y_train = module(t(x))
    train = batch_norm(x, gamma, beta, eps=eps, momentum=momentum)  # running stats start at 0 and 1
    assert_close(train.y, y_train, y_scale(x, train.var, gamma, eps))
    assert_close(train.running_mean, module.running_mean, np.abs(x).max())
    assert_close(train.running_var, module.running_var, np.abs(x).max() ** 2)

    module.eval()
    x_eval = x[::-1].copy()
    evaluated = batch_norm(
        x_eval, gamma, beta, eps=eps, running_mean=train.running_mean, running_var=train.running_var, training=False
    )
    assert_close(evaluated.y, module(t(x_eval)), y_scale(x, train.running_var, gamma, eps))
    np.testing.assert_array_equal(evaluated.running_mean, train.running_mean)


def test_default_affine_matches_torch_without_weights():
    x = np.arange(12.0).reshape(3, 4)
    y = F.batch_norm(t(x), None, None, training=True)
    assert_close(batch_norm(x, None, None).y, y)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"x": np.ones(4)}, "shape (4,)"),
        ({"x": np.ones((4, 2)), "gamma": np.ones(3)}, "gamma must have shape (2,)"),
        ({"x": np.ones((4, 2)), "eps": 0.0}, "eps"),
        ({"x": np.ones((4, 2)), "momentum": 1.5}, "1.5"),
        ({"x": np.array([[1.0], [np.nan]])}, "nan"),
        ({"x": np.ones((1, 2))}, "more than 1 value per channel"),
    ],
)
def test_invalid_input(kwargs, fragment):
    kwargs = {"gamma": None, "beta": None, **kwargs}
    with pytest.raises(ValueError) as error:
        batch_norm(**kwargs)
    assert fragment in str(error.value)


@settings(max_examples=150, deadline=None)
@given(bn_inputs(), st.data())
def test_backward_equals_torch_autograd(inputs, data):
    x, gamma, _beta, _rm, _rv, _momentum, eps = inputs
    if x.size // x.shape[1] < 2:
        return  # training needs two values per channel; torch refuses too
    dy = data.draw(arrays(np.float64, x.shape, elements=st.floats(-3, 3)))
    tx, tgamma = t(x).requires_grad_(), t(gamma).requires_grad_()
    tbeta = torch.zeros(x.shape[1], dtype=torch.float64, requires_grad=True)
    F.batch_norm(tx, None, None, tgamma, tbeta, training=True, eps=eps).backward(t(dy))
    grads = batch_norm_backward(x, gamma, dy, eps=eps)
    scale = y_scale(x, x.var(axis=(0,) + tuple(range(2, x.ndim))), gamma, eps) * (1 + np.abs(dy).max())
    assert_close(grads.dx, tx.grad, scale / np.sqrt(eps))
    assert_close(grads.dgamma, tgamma.grad, scale * x.size)
    assert_close(grads.dbeta, tbeta.grad, scale * x.size)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.booleans(), st.sampled_from([1e-5, 1e-3, 0.1]), st.data())
def test_fold_equals_torch_fuse_conv_bn_eval(c_in, c_out, with_bias, eps, data):
    from torch.nn.utils.fusion import fuse_conv_bn_eval

    floats = st.floats(-3, 3)
    weight = data.draw(arrays(np.float64, (c_out, c_in, 3, 3), elements=floats))
    bias = data.draw(arrays(np.float64, c_out, elements=floats)) if with_bias else None
    gamma, beta, mean = (data.draw(arrays(np.float64, c_out, elements=floats)) for _ in range(3))
    var = data.draw(arrays(np.float64, c_out, elements=st.floats(0.0, 5.0)))
    conv = nn.Conv2d(c_in, c_out, 3, bias=with_bias).double().eval()
    bn = nn.BatchNorm2d(c_out, eps=eps).double().eval()
    with torch.no_grad():
        conv.weight.copy_(t(weight))
        if with_bias:
            conv.bias.copy_(t(bias))
        for param, value in ((bn.weight, gamma), (bn.bias, beta), (bn.running_mean, mean), (bn.running_var, var)):
            param.copy_(t(value))
    fused = fuse_conv_bn_eval(conv, bn)
    folded = fold_bn_into_conv(weight, bias, gamma, beta, mean, var, eps=eps)
    assert_close(folded.weight, fused.weight, 1 / np.sqrt(eps))
    assert_close(folded.bias, fused.bias, 1 / np.sqrt(eps))
