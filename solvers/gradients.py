"""Exploding and vanishing gradients: gradient-norm clipping and the sigmoid chain, with their
problem generators.

The sigmoid chain is a stack of scalar layers ``a_0 = x``, ``z_k = w_k a_{k-1}``,
``a_k = sigmoid(z_k)`` for ``k = 1..L``. Its input gradient is
``d a_L / d a_0 = prod_k w_k sigmoid'(z_k)`` and, since ``sigmoid' <= 1/4``, it shrinks at least
like ``prod_k |w_k| / 4``: the vanishing-gradient example.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ._format import fmt, fmt_vector, md_table, precision_note
from ._validate import as_float_array, check_number
from .answers import Tolerance
from .problem import Draft, Solver, pick

__all__ = [
    "CLIP_EPS",
    "SOLVERS",
    "clip_grad_norm",
    "sigmoid",
    "sigmoid_chain_forward",
    "sigmoid_chain_grad",
]

CLIP_EPS = 1e-6  # PyTorch adds it to the norm so that a zero gradient does not divide by zero


def _total_norm(grads: Sequence[np.ndarray], norm_type: float) -> float:
    if not grads:
        return 0.0
    if math.isinf(norm_type):
        return float(max(np.max(np.abs(g), initial=0.0) for g in grads))
    # The p-norm of the per-tensor p-norms is the p-norm of all entries together.
    per_tensor = np.array([_vector_norm(g.ravel(), norm_type) for g in grads])
    return float(_vector_norm(per_tensor, norm_type))


def _vector_norm(values: np.ndarray, norm_type: float) -> float:
    """The p-norm; of one entry, its absolute value exactly (squaring a tiny entry would underflow to 0,
    which torch avoids the same way)."""
    if values.size == 1:
        return float(np.abs(values[0]))
    return float(np.linalg.norm(values, ord=norm_type))


def _as_tensors(grads: object) -> list[object]:
    """One entry per tensor: an array is one tensor, and so is a flat list of numbers."""
    if isinstance(grads, (np.ndarray, int, float, np.number)):
        return [grads]
    try:
        tensors = list(grads)  # type: ignore[call-overload]
    except TypeError:
        raise ValueError(f"grads must be an array or a sequence of arrays, got {type(grads).__name__}") from None
    if tensors and all(isinstance(t, (int, float, np.number)) for t in tensors):
        return [tensors]
    return tensors


def clip_grad_norm(
    grads: object, max_norm: float, norm_type: float = 2.0
) -> tuple[list[np.ndarray], float]:
    """Scale gradients so that their joint norm is at most ``max_norm``, as PyTorch does.

    Parameters
    ----------
    grads : array-like or sequence of array-likes
        The gradient tensors (a single array counts as one tensor).
    max_norm : float
        Largest allowed total norm (non-negative).
    norm_type : float, default=2.0
        ``p`` of the p-norm, ``p > 0``, or ``inf`` for the largest absolute entry.

    Returns
    -------
    (clipped, total_norm)
        ``clipped`` are the gradients times ``min(1, max_norm / (total_norm + 1e-6))`` and
        ``total_norm`` is the norm *before* clipping, like the return value of
        ``torch.nn.utils.clip_grad_norm_``.

    Examples
    --------
    >>> clipped, norm = clip_grad_norm([[3.0, 4.0]], max_norm=1.0)
    >>> norm, [round(v, 6) for v in clipped[0].tolist()]
    (5.0, [0.6, 0.8])
    """
    arrays = [as_float_array(f"grads[{i}]", g) for i, g in enumerate(_as_tensors(grads))]
    max_norm = check_number("max_norm", max_norm, low=0.0)
    norm_type = check_number("norm_type", norm_type, low=0.0, low_open=True, allow_inf=True)
    total = _total_norm(arrays, norm_type)
    coef = min(max_norm / (total + CLIP_EPS), 1.0)
    return [g * coef for g in arrays], total


def sigmoid(z: object) -> np.ndarray | float:
    """The logistic function ``1 / (1 + e^{-z})``, without overflow for large ``|z|``.

    >>> sigmoid(0.0)
    0.5
    """
    z = as_float_array("z", z)
    e = np.exp(-np.abs(z))
    out = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return float(out) if out.ndim == 0 else out


def sigmoid_chain_forward(x: float, weights: object) -> tuple[np.ndarray, np.ndarray]:
    """Pre-activations ``z_1..z_L`` and activations ``a_1..a_L`` of the sigmoid chain from ``a_0 = x``.

    >>> z, a = sigmoid_chain_forward(0.0, [2.0])
    >>> z.tolist(), a.tolist()
    ([0.0], [0.5])
    """
    a = check_number("x", x)
    w = as_float_array("weights", weights, ndims=(1,))
    if w.size == 0:
        raise ValueError("weights must hold at least one layer, got shape (0,)")
    z_out, a_out = np.empty(w.size), np.empty(w.size)
    for k, w_k in enumerate(w):
        z_out[k] = w_k * a
        a = sigmoid(z_out[k])
        a_out[k] = a
    return z_out, a_out


def sigmoid_chain_grad(weights: object, pre_activations: object) -> float:
    """``d a_L / d a_0`` of the sigmoid chain: ``prod_k w_k * sigmoid(z_k) * (1 - sigmoid(z_k))``.

    Parameters
    ----------
    weights : array-like of shape (L,)
        ``w_1..w_L``.
    pre_activations : array-like of shape (L,)
        ``z_1..z_L`` from the forward pass (see :func:`sigmoid_chain_forward`).

    Returns
    -------
    float
        The derivative of the last activation with respect to the input, equal to what torch
        autograd gives for the same chain.

    Examples
    --------
    >>> sigmoid_chain_grad([1.0, 1.0], [0.0, 0.0])
    0.0625
    """
    w = as_float_array("weights", weights, ndims=(1,))
    z = as_float_array("pre_activations", pre_activations, ndims=(1,))
    if w.shape != z.shape:
        raise ValueError(f"weights and pre_activations must have the same shape, got {w.shape} and {z.shape}")
    if w.size == 0:
        raise ValueError("weights must hold at least one layer, got shape (0,)")
    s = np.asarray(sigmoid(z))
    return float(np.prod(w * s * (1 - s)))


# --- generators ------------------------------------------------------------------------------


def _build_clip(rng: np.random.Generator, difficulty: int) -> Draft:
    sizes = {1: [2], 2: [2, 3], 3: [2, 3]}[difficulty]
    grads = [rng.integers(-9, 10, size=s).astype(np.float64) for s in sizes]
    norm_type = pick(rng, [1.0, math.inf]) if difficulty == 3 else 2.0
    total = _total_norm(grads, norm_type)
    max_norm = pick(rng, [1.0, 2.0, 5.0, 10.0])
    if total == 0:
        grads[0][0] = 3.0
        total = _total_norm(grads, norm_type)
    ask = pick(rng, ["norm", "clipped"])
    clipped, _ = clip_grad_norm(grads, max_norm, norm_type)
    target = int(rng.integers(0, len(grads)))

    names = [f"g_{i + 1}" for i in range(len(grads))]
    shown = ", ".join(f"${n} = {fmt_vector(g)}$" for n, g in zip(names, grads))
    norm_name = {1.0: "L1", 2.0: "L2", math.inf: "max (L-infinity)"}[norm_type]
    norm_text = "float('inf')" if math.isinf(norm_type) else fmt(float(norm_type)) + ".0"
    setup = (
        f"The gradients of a model's parameters are {shown}. They are clipped with "
        f"`torch.nn.utils.clip_grad_norm_(..., max_norm={fmt(max_norm)}, norm_type={norm_text})`, "
        f"which takes the {norm_name} norm $\\|g\\|$ of all entries together and scales every gradient by "
        "$c = \\min\\left(1, \\frac{\\mathrm{max\\_norm}}{\\|g\\| + 10^{-6}}\\right)$. "
    )
    if ask == "norm":
        question = "What total norm does it return (the norm before clipping)?"
        answer: float | list[float] = total
        length = 1
    else:
        question = f"Give ${names[target]}$ after clipping."
        answer = clipped[target].tolist()
        length = len(answer)
    coef = min(max_norm / (total + 1e-6), 1.0)
    solution = (
        f"Total {norm_name} norm over all entries: ${fmt(total, 6)}$.\n\n"
        f"$$c = \\min\\left(1, \\frac{{{fmt(max_norm)}}}{{{fmt(total, 6)} + 10^{{-6}}}}\\right) = {fmt(coef, 6)}$$\n\n"
        + ("The norm is within the limit, so nothing changes." if coef == 1 else "Every gradient is multiplied by $c$.")
        + "\n\n" + "\n".join(f"- ${n} \\to {fmt_vector(c)}$" for n, c in zip(names, clipped))
    )
    params = {
        "grads": [g.tolist() for g in grads], "max_norm": max_norm,
        "norm_type": "inf" if math.isinf(norm_type) else norm_type, "ask": ask, "target": target,
    }
    prompt = setup + question + " " + precision_note(3, length=length)
    return Draft(prompt, params, answer, Tolerance(sig_figs=3), solution)


def _build_vanishing(rng: np.random.Generator, difficulty: int) -> Draft:
    layers = {1: 2, 2: 3, 3: 5}[difficulty]
    magnitudes = rng.integers(5, 31, size=layers) / 10
    weights = magnitudes * rng.choice([-1.0, 1.0], size=layers)
    x = float(rng.integers(-20, 21) / 10)
    ask = pick(rng, ["grad", "grad", "bound"])
    z, a = sigmoid_chain_forward(x, weights)
    chain = (
        f"A chain of {layers} scalar sigmoid layers computes $a_0 = x$, $z_k = w_k a_{{k-1}}$, "
        f"$a_k = \\sigma(z_k)$ for $k = 1..{layers}$, with weights $w = {fmt_vector(weights)}$. "
    )
    if ask == "grad":
        answer = sigmoid_chain_grad(weights, z)
        question = f"For the input $x = {fmt(x)}$, compute $\\frac{{d a_{layers}}}{{d x}}$."
        s_prime = a * (1 - a)
        rows = [
            (k + 1, weights[k], round(float(z[k]), 6), round(float(a[k]), 6), round(float(s_prime[k]), 6),
             round(float(weights[k] * s_prime[k]), 6))
            for k in range(layers)
        ]
        solution = (
            "Forward pass, then the chain rule $\\frac{d a_L}{d x} = \\prod_k w_k \\sigma'(z_k)$ with "
            "$\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$:\n\n"
            + md_table(["k", "w_k", "z_k", "a_k", "σ'(z_k)", "w_k σ'(z_k)"], rows)
            + f"\n\nThe product of the last column is ${fmt(answer, 6)}$. Since $\\sigma'(z) \\le 1/4$, each factor is "
            "at most $|w_k| / 4$ in magnitude (a factor is negative when $w_k$ is). Every $|w_k| < 4$ here, so "
            "every factor is smaller than 1 in magnitude and the gradient shrinks with depth; with weights of "
            "magnitude above 4 the bound would allow it to grow."
        )
        params = {"ask": ask, "x": x, "weights": weights.tolist()}
    else:
        answer = float(np.prod(np.abs(weights)) / 4**layers)
        question = (
            "Using $\\sigma'(z) \\le 1/4$ for every layer, give the resulting upper bound on "
            f"$|\\frac{{d a_{layers}}}{{d x}}|$ (it holds for every input $x$)."
        )
        solution = (
            f"$$\\left|\\frac{{d a_L}}{{d x}}\\right| = \\prod_k |w_k| \\sigma'(z_k) \\le "
            f"\\frac{{\\prod_k |w_k|}}{{4^{layers}}} = "
            f"\\frac{{{fmt(float(np.prod(np.abs(weights))), 6)}}}{{{4**layers}}} = {fmt(answer, 6)}$$"
        )
        params = {"ask": ask, "weights": weights.tolist()}
    return Draft(chain + question + " " + precision_note(3), params, answer, Tolerance(sig_figs=3), solution)


SOLVERS = (
    Solver("grad-clip", "vanishing-exploding-gradients", "Gradient-norm clipping", _build_clip),
    Solver("vanishing", "vanishing-exploding-gradients", "Vanishing gradients in a sigmoid chain", _build_vanishing),
)
