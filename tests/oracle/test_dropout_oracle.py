"""inverted_dropout against torch.nn.functional.dropout, given the mask torch drew."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from solvers import inverted_dropout

pytestmark = pytest.mark.solvers

NONZERO = (st.floats(-1e6, -1e-6) | st.floats(1e-6, 1e6))  # a zero input would hide the mask
PROBS = st.sampled_from([0.0, 0.1, 0.5, 0.9]) | st.floats(0, 0.99)


@settings(max_examples=150, deadline=None)
@given(arrays(np.float64, array_shapes(max_dims=3, max_side=6), elements=NONZERO), PROBS, st.integers(0, 2**31))
def test_training_output_equals_torch_with_its_mask(x, p, seed):
    torch.manual_seed(seed)
    y = F.dropout(torch.tensor(x), p, training=True).numpy()
    mask = (y != 0).astype(np.float64)  # x has no zeros, so a zero output means dropped
    np.testing.assert_allclose(inverted_dropout(x, mask, p), y, rtol=1e-15, atol=0)


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, array_shapes(max_dims=3, max_side=6), elements=st.floats(-1e6, 1e6)), PROBS)
def test_eval_is_identity_like_torch(x, p):
    mask = np.zeros_like(x)
    expected = F.dropout(torch.tensor(x), p, training=False).numpy()
    np.testing.assert_array_equal(inverted_dropout(x, mask, p, training=False), expected)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"p": 1.0}, "[0.0, 1.0)"),
        ({"p": -0.1}, "-0.1"),
        ({"p": float("nan")}, "nan"),
        ({"mask": [1, 0.5]}, "only 0 and 1, got 0.5"),
        ({"mask": [1, 0, 1]}, "(2,) and (3,)"),
    ],
)
def test_invalid_input(kwargs, fragment):
    kwargs = {"x": [1.0, 2.0], "mask": [1, 0], "p": 0.5, **kwargs}
    with pytest.raises(ValueError) as error:
        inverted_dropout(**kwargs)
    assert fragment in str(error.value)


def test_torch_also_rejects_p_outside_unit_interval():
    with pytest.raises(ValueError):
        F.dropout(torch.ones(2), -0.1)
