"""Inverted dropout and its problem generator.

In training each unit is kept with probability ``1 - p`` and the kept ones are scaled by
``1 / (1 - p)``, so the expected output equals the input and evaluation needs no rescaling: at
evaluation dropout is the identity.
"""

from __future__ import annotations

import numpy as np

from ._format import fmt, fmt_vector, precision_note
from ._validate import as_float_array, check_number
from .answers import Tolerance
from .problem import Draft, Solver, pick

__all__ = ["SOLVERS", "inverted_dropout"]


def inverted_dropout(x: object, mask: object, p: float, *, training: bool = True) -> np.ndarray:
    """Apply inverted dropout with a given keep mask: ``x * mask / (1 - p)`` in training, ``x`` in eval.

    Parameters
    ----------
    x : array-like
    mask : array-like of the same shape, entries 0 (dropped) or 1 (kept)
    p : float in [0, 1)
        Drop probability.
    training : bool, default=True

    Returns
    -------
    numpy.ndarray
        Matches ``torch.nn.functional.dropout(x, p, training)`` when torch drew the same mask.

    Examples
    --------
    >>> inverted_dropout([1.0, 2.0, 3.0, 4.0], [1, 0, 1, 0], 0.5).tolist()
    [2.0, 0.0, 6.0, 0.0]
    """
    x = as_float_array("x", x)
    keep = as_float_array("mask", mask)
    if keep.shape != x.shape:
        raise ValueError(f"x and mask must have the same shape, got {x.shape} and {keep.shape}")
    bad = (keep != 0) & (keep != 1)
    if bad.any():
        raise ValueError(f"mask must hold only 0 and 1, got {keep[bad].flat[0]}")
    p = check_number("p", p, low=0.0, high=1.0, high_open=True)
    if not training:
        return x.copy()
    return x * keep / (1 - p) + 0.0


# --- generator -------------------------------------------------------------------------------

_RATES = [0.1, 0.2, 0.25, 0.3, 0.4, 0.5]  # the drop rates people use (0.5 for wide hidden layers, less elsewhere)


def _build(rng: np.random.Generator, difficulty: int) -> Draft:
    size = {1: 4, 2: 6, 3: 8}[difficulty]
    x = rng.integers(-20, 21, size=size) / 10
    p = pick(rng, _RATES)
    mask = (rng.random(size) >= p).astype(np.int64)
    while mask.sum() < 2:  # a kept unit to ask about, and a vector that is not almost all zeros
        mask = (rng.random(size) >= p).astype(np.int64)
    variants = ["vector", "element", "eval"] + (["scale"] if difficulty == 1 else [])
    ask = pick(rng, variants)
    kept = np.flatnonzero(mask).tolist()
    index = pick(rng, kept)  # a dropped unit's output is 0 whatever p is: nothing to compute
    training = ask != "eval"
    y = inverted_dropout(x, mask, p, training=training)
    setup = (
        f"Inverted dropout with drop probability $p = {fmt(p)}$ is applied to the activations "
        f"$x = {fmt_vector(x)}$. "
    )
    if ask == "scale":
        prompt = setup + "By what factor are the kept activations multiplied during training? " + precision_note(3)
        answer: float | list[float] = 1 / (1 - p)
        solution = (
            f"$$\\frac{{1}}{{1 - p}} = \\frac{{1}}{{{fmt(1 - p)}}} = {fmt(answer, 6)}$$ "
            "so the expected output equals $x$."
        )
    elif ask == "eval":
        prompt = setup + "The network is in evaluation mode. Give the output. " + precision_note(3, length=size)
        answer = y.tolist()
        solution = (
            "In evaluation dropout is the identity (the scaling was already done in training): the output is $x$."
        )
    else:
        prompt = setup + f"In training, the keep mask drawn is $m = {fmt_vector(mask)}$ (1 = kept). "
        if ask == "vector":
            prompt += "Give the output. " + precision_note(3, length=size)
            answer = y.tolist()
        else:
            prompt += f"Give output number {index + 1} (counting from 1). " + precision_note(3)
            answer = float(y[index])
        solution = (
            "Multiply $x$ by the mask element-wise ($\\odot$ is the element-wise product, $y_i = x_i m_i / (1 - p)$, "
            "not a dot product) and rescale:\n\n"
            f"$$y = \\frac{{x \\odot m}}{{1 - p}} = \\frac{{x \\odot m}}{{{fmt(1 - p)}}} = {fmt_vector(y)}$$\n\n"
            "Dropped units are 0 and kept ones grow so that the expected value is unchanged."
        )
    params = {"ask": ask, "x": x.tolist(), "mask": mask.tolist(), "p": p, "training": training, "index": index}
    return Draft(prompt, params, answer, Tolerance(sig_figs=3), solution)


SOLVERS = (Solver("dropout", "overfitting-remedies", "Inverted dropout", _build),)
