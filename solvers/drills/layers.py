"""Drills on network layers: batch norm forward and backward, inverted dropout, conv2d output size,
a 1x1 convolution as a matrix product, and a numerically stable softmax cross-entropy.

The forward references are :func:`solvers.batch_norm`, :func:`solvers.inverted_dropout`,
:func:`solvers.conv2d_output_size` and :func:`solvers.conv1x1` (proven against torch in
tests/oracle); :func:`batch_norm_backward` and :func:`softmax_cross_entropy` are defined here and
proven against torch autograd and ``torch.nn.functional.cross_entropy`` in tests/oracle.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, check_number
from ..batchnorm import batch_norm
from ..conv import conv1x1, conv2d_output_size
from ..dropout import inverted_dropout
from .base import Case, Drill, compare_exact_int

__all__ = ["DRILLS", "batch_norm_backward", "softmax_cross_entropy"]

EPS = 1e-5


def batch_norm_backward(
    dy: object, x: object, gamma: object, eps: float = EPS
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of training-mode batch norm on (N, C) input: ``(dx, dgamma, dbeta)``.

    With ``x_hat = (x - mean) / sqrt(var + eps)`` (biased variance) and ``y = gamma x_hat + beta``:
    ``dx = gamma / (N sqrt(var + eps)) (N dy - sum(dy) - x_hat sum(dy x_hat))``, sums over the batch.

    >>> dx, dgamma, dbeta = batch_norm_backward([[1.0], [0.0]], [[1.0], [3.0]], [2.0])
    >>> dgamma.round(4).tolist(), dbeta.tolist()
    ([-1.0], [1.0])
    """
    x = as_float_array("x", x, ndims=(2,))
    dy = as_float_array("dy", dy, ndims=(2,))
    gamma = as_float_array("gamma", gamma, ndims=(1,))
    if dy.shape != x.shape or gamma.shape != (x.shape[1],):
        raise ValueError(f"dy must have the shape of x {x.shape} and gamma ({x.shape[1]},); "
                         f"got {dy.shape} and {gamma.shape}")
    if x.shape[0] < 2:
        raise ValueError(f"training-mode batch norm needs at least 2 samples, got x of shape {x.shape}")
    eps = check_number("eps", eps, low=0.0, low_open=True)
    n = x.shape[0]
    std = np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - x.mean(axis=0)) / std
    dbeta = dy.sum(axis=0)
    dgamma = (dy * x_hat).sum(axis=0)
    dx = gamma / (n * std) * (n * dy - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta


def softmax_cross_entropy(logits: object, labels: object) -> float:
    """Mean over the batch of ``-log softmax(logits[i])[labels[i]]``, through log-sum-exp.

    >>> round(softmax_cross_entropy([[1000.0, 0.0]], [1]), 6)
    1000.0
    """
    z = as_float_array("logits", logits, ndims=(2,))
    y = np.asarray(labels)
    if y.shape != (z.shape[0],) or y.dtype.kind not in "iu" or (y < 0).any() or (y >= z.shape[1]).any():
        raise ValueError(f"labels must be {z.shape[0]} class indices in [0, {z.shape[1]}), got {y.tolist()}")
    shifted = z - z.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(shifted).sum(axis=1))
    return float(np.mean(log_norm - shifted[np.arange(z.shape[0]), y]))


def _at_least_two_rows(case: Case) -> bool:
    return len(case["x"]) >= 2


def _matrix(*rows: tuple[float, ...]) -> np.ndarray:
    return np.array(rows, dtype=np.float64)


# --- batch norm ------------------------------------------------------------------------------------


def _bn_x(rng: np.random.Generator) -> np.ndarray:
    n, c = int(rng.integers(2, 9)), int(rng.integers(1, 5))
    return np.round(rng.normal(rng.uniform(-3, 3), rng.uniform(0.5, 4), size=(n, c)), 2)


def _bn_forward_case(rng: np.random.Generator) -> Case:
    x = _bn_x(rng)
    c = x.shape[1]
    return {"x": x, "gamma": np.round(rng.uniform(0.5, 2, c), 2), "beta": np.round(rng.uniform(-1, 1, c), 2),
            "eps": EPS}


def _bn_forward(x: object, gamma: object, beta: object, eps: float) -> np.ndarray:
    return batch_norm(x, gamma, beta, eps=eps, training=True).y


_BN_FORWARD_SOLUTION = '''\
import numpy as np


def batch_norm_forward(x, gamma, beta, eps):
    """Training-mode batch norm of x (N, C): each channel normalised with its batch mean and its
    biased variance (divide by N), then scaled and shifted."""
    mean = x.mean(axis=0)
    var = ((x - mean) ** 2).mean(axis=0)  # biased: np.var's default ddof=0
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma * x_hat + beta
'''

BN_FORWARD = Drill(
    name="batchnorm-forward",
    topic="batch-norm",
    title="Batch norm forward in training mode",
    function="batch_norm_forward",
    params=("x", "gamma", "beta", "eps"),
    reference=_bn_forward,
    edge_cases=(
        {"x": _matrix((1.0,), (2.0,), (3.0,), (4.0,)), "gamma": np.ones(1), "beta": np.zeros(1), "eps": EPS},
        {"x": _matrix((1.0, 5.0), (3.0, 5.0)), "gamma": np.array([2.0, 1.0]), "beta": np.array([0.5, -1.0]),
         "eps": EPS},  # two samples; a constant channel normalises to beta
        {"x": _matrix((1e3, -2.0), (1e3 + 1, 2.0), (1e3 + 2, 0.0)), "gamma": np.array([1.0, 0.5]),
         "beta": np.zeros(2), "eps": 1e-3},
    ),
    generate=_bn_forward_case,
    solution=_BN_FORWARD_SOLUTION,
    rows=("x",),
    valid=_at_least_two_rows,
)


def _bn_backward_case(rng: np.random.Generator) -> Case:
    x = _bn_x(rng)
    return {"dy": np.round(rng.normal(size=x.shape), 2), "x": x,
            "gamma": np.round(rng.uniform(0.5, 2, x.shape[1]), 2), "eps": EPS}


_BN_BACKWARD_SOLUTION = '''\
import numpy as np


def batch_norm_backward(dy, x, gamma, eps):
    """Gradients of y = gamma * x_hat + beta, x_hat = (x - mean) / sqrt(var + eps), with the batch
    mean and biased variance of x (N, C). The mean and the variance depend on every x, which gives
    dx its two correction terms."""
    n = x.shape[0]
    std = np.sqrt(x.var(axis=0) + eps)
    x_hat = (x - x.mean(axis=0)) / std
    dbeta = dy.sum(axis=0)
    dgamma = (dy * x_hat).sum(axis=0)
    dx_hat = dy * gamma
    dx = (n * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0)) / (n * std)
    return dx, dgamma, dbeta
'''

BN_BACKWARD = Drill(
    name="batchnorm-backward",
    topic="batch-norm",
    title="Batch norm backward: dx, dgamma, dbeta",
    function="batch_norm_backward",
    params=("dy", "x", "gamma", "eps"),
    reference=batch_norm_backward,
    edge_cases=(
        {"dy": _matrix((1.0,), (0.0,)), "x": _matrix((1.0,), (3.0,)), "gamma": np.array([2.0]), "eps": EPS},
        {"dy": np.ones((3, 2)), "x": _matrix((1.0, 0.0), (2.0, 4.0), (4.0, -1.0)), "gamma": np.array([1.0, 3.0]),
         "eps": EPS},  # a constant dy: dx is zero
        {"dy": _matrix((0.5, -1.0), (2.0, 0.0), (-1.0, 1.0), (0.0, 3.0)),
         "x": _matrix((0.0, 2.0), (1.0, 2.0), (2.0, 2.0), (3.0, 2.0)), "gamma": np.array([0.5, 2.0]), "eps": 0.1},
    ),
    generate=_bn_backward_case,
    solution=_BN_BACKWARD_SOLUTION,
    rows=("dy", "x"),
    valid=_at_least_two_rows,
)


# --- dropout ---------------------------------------------------------------------------------------


def _dropout_case(rng: np.random.Generator) -> Case:
    shape = (int(rng.integers(1, 6)), int(rng.integers(1, 6)))
    p = float(rng.choice([0.1, 0.2, 0.25, 0.3, 0.5, 0.8]))
    mask = (rng.random(shape) >= p).astype(np.float64)
    return {"x": np.round(rng.normal(size=shape), 2), "mask": mask, "p": p}


def _valid_p(case: Case) -> bool:
    return 0 <= case["p"] < 1 and len(case["x"]) >= 1


_DROPOUT_SOLUTION = '''\
import numpy as np


def inverted_dropout(x, mask, p):
    """Training-time inverted dropout: keep where mask is 1 and divide by the keep probability
    1 - p, so the expected activation is unchanged and inference needs no rescaling."""
    return x * mask / (1 - p)
'''

DROPOUT = Drill(
    name="dropout",
    topic="overfitting-remedies",
    title="Inverted dropout with a given mask",
    function="inverted_dropout",
    params=("x", "mask", "p"),
    reference=inverted_dropout,
    edge_cases=(
        {"x": np.array([1.0, 2.0, 3.0, 4.0]), "mask": np.array([1.0, 0.0, 1.0, 0.0]), "p": 0.5},
        {"x": _matrix((1.0, -2.0), (0.5, 3.0)), "mask": np.ones((2, 2)), "p": 0.0},
        {"x": _matrix((1.0, -2.0), (0.5, 3.0)), "mask": np.zeros((2, 2)), "p": 0.8},
        {"x": _matrix((2.0, 4.0, 6.0),), "mask": _matrix((1.0, 1.0, 0.0),), "p": 0.25},
    ),
    generate=_dropout_case,
    solution=_DROPOUT_SOLUTION,
    rows=("x", "mask"),
    valid=_valid_p,
)


# --- convolutions -----------------------------------------------------------------------------------


def _conv_size_case(rng: np.random.Generator) -> Case:
    while True:
        case = {"h": int(rng.integers(1, 65)), "k": int(rng.choice([1, 2, 3, 5, 7])),
                "stride": int(rng.integers(1, 4)), "padding": int(rng.integers(0, 4)),
                "dilation": int(rng.choice([1, 1, 2, 3]))}
        if case["h"] + 2 * case["padding"] >= case["dilation"] * (case["k"] - 1) + 1:
            return case


def _conv_size(h: int, k: int, stride: int, padding: int, dilation: int) -> int:
    return conv2d_output_size(h, k, stride=stride, padding=padding, dilation=dilation)


_CONV_SIZE_SOLUTION = '''\
def conv2d_output_size(h, k, stride, padding, dilation):
    """Output length along one axis. A dilated kernel spans dilation * (k - 1) + 1 input pixels;
    count the positions where that span fits in the padded input, stepping by stride."""
    span = dilation * (k - 1) + 1
    return (h + 2 * padding - span) // stride + 1
'''

CONV_SIZE = Drill(
    name="conv-output-size",
    topic="conv-1x1",
    title="Conv2d output size with stride, padding and dilation",
    function="conv2d_output_size",
    params=("h", "k", "stride", "padding", "dilation"),
    reference=_conv_size,
    edge_cases=(
        {"h": 32, "k": 3, "stride": 1, "padding": 1, "dilation": 1},
        {"h": 224, "k": 7, "stride": 2, "padding": 3, "dilation": 1},
        {"h": 7, "k": 1, "stride": 1, "padding": 0, "dilation": 1},
        {"h": 10, "k": 3, "stride": 3, "padding": 0, "dilation": 1},  # the last window does not fit
        {"h": 5, "k": 3, "stride": 1, "padding": 0, "dilation": 2},  # the kernel spans the whole input
        {"h": 17, "k": 3, "stride": 2, "padding": 2, "dilation": 2},
    ),
    generate=_conv_size_case,
    solution=_CONV_SIZE_SOLUTION,
    compare=compare_exact_int,
    time_limit=3.0,
)


def _conv1x1_case(rng: np.random.Generator) -> Case:
    n, c_in, c_out = (int(v) for v in rng.integers(1, 4, size=3))
    h, w = (int(v) for v in rng.integers(1, 4, size=2))
    return {"x": np.round(rng.normal(size=(n, c_in, h, w)), 2), "w": np.round(rng.normal(size=(c_out, c_in)), 2),
            "b": np.round(rng.normal(size=c_out), 2)}


def _one_sample(case: Case) -> bool:
    return len(case["x"]) >= 1


_CONV1X1_SOLUTION = '''\
import numpy as np


def conv1x1(x, w, b):
    """A 1x1 convolution of x (N, C_in, H, W) with w (C_out, C_in) and bias b (C_out,): the same
    matrix product at every pixel. Move the channels last, multiply, move them back."""
    pixels = x.transpose(0, 2, 3, 1)             # (N, H, W, C_in)
    y = pixels @ w.T + b                         # (N, H, W, C_out)
    return y.transpose(0, 3, 1, 2)               # (N, C_out, H, W)
'''

CONV1X1 = Drill(
    name="conv1x1",
    topic="conv-1x1",
    title="A 1x1 convolution as a matrix product",
    function="conv1x1",
    params=("x", "w", "b"),
    reference=conv1x1,
    edge_cases=(
        {"x": np.array([[[[1.0]], [[2.0]]]]), "w": _matrix((0.5, -1.0)), "b": np.array([0.25])},
        {"x": np.arange(24, dtype=np.float64).reshape(2, 3, 2, 2), "w": _matrix((1.0, 0.0, -1.0), (0.5, 0.5, 0.5)),
         "b": np.zeros(2)},
        {"x": np.ones((1, 2, 1, 3)), "w": np.eye(2), "b": np.array([1.0, -1.0])},
    ),
    generate=_conv1x1_case,
    solution=_CONV1X1_SOLUTION,
    rows=("x",),
    valid=_one_sample,
)


# --- softmax cross-entropy ----------------------------------------------------------------------------


def _ce_case(rng: np.random.Generator) -> Case:
    n, k = int(rng.integers(1, 7)), int(rng.integers(2, 7))
    scale = float(rng.choice([1.0, 10.0, 1000.0]))
    return {"logits": np.round(rng.normal(size=(n, k)) * scale, 2), "labels": rng.integers(0, k, size=n)}


def _valid_labels(case: Case) -> bool:
    logits, labels = np.asarray(case["logits"]), np.asarray(case["labels"])
    return len(labels) >= 1 and labels.shape == (logits.shape[0],)


_CE_SOLUTION = '''\
import numpy as np


def softmax_cross_entropy(logits, labels):
    """Mean cross-entropy of softmax(logits) (N, K) against integer labels (N,).

    log softmax(z)_y = z_y - logsumexp(z), and logsumexp(z) = m + log(sum(exp(z - m))) with m the
    row maximum: every exponent is <= 0, so nothing overflows even for logits in the thousands."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_sum_exp = np.log(np.exp(shifted).sum(axis=1))
    correct = shifted[np.arange(len(labels)), labels]
    return float(np.mean(log_sum_exp - correct))
'''

SOFTMAX_CE = Drill(
    name="softmax-cross-entropy",
    topic="generative-discriminative",
    title="Numerically stable softmax cross-entropy",
    function="softmax_cross_entropy",
    params=("logits", "labels"),
    reference=softmax_cross_entropy,
    edge_cases=(
        {"logits": _matrix((1000.0, 0.0), (0.0, 1000.0)), "labels": np.array([0, 0])},
        {"logits": _matrix((1000.0, 1001.0, 999.0),), "labels": np.array([1])},
        {"logits": _matrix((-1000.0, -1002.0),), "labels": np.array([1])},
        {"logits": _matrix((0.0, 0.0, 0.0, 0.0),), "labels": np.array([3])},
        {"logits": _matrix((2.0, 1.0, 0.1), (0.5, 2.5, 0.3)), "labels": np.array([0, 2])},
    ),
    generate=_ce_case,
    solution=_CE_SOLUTION,
    rows=("logits", "labels"),
    valid=_valid_labels,
)

DRILLS = (BN_FORWARD, BN_BACKWARD, DROPOUT, CONV_SIZE, CONV1X1, SOFTMAX_CE)
