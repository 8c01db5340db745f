"""Overfitting with too little data: the coin-toss maximum-likelihood estimate versus the
Laplace-smoothed (Beta-prior posterior mean) estimate, with the problem generator.

After 3 heads in 3 tosses the MLE says P(heads) = 1, a certainty the data cannot support; the
Laplace estimate ``(h + 1) / (n + 2)`` (the posterior mean under a uniform Beta(1, 1) prior) says
0.8. A Beta(a, b) prior gives ``(h + a) / (n + a + b)``.
"""

from __future__ import annotations

import numpy as np

from ._format import fmt, precision_note
from ._validate import check_count, check_number
from .answers import Tolerance
from .problem import Draft, Solver, pick

__all__ = ["SOLVERS", "beta_posterior_mean", "coin_laplace", "coin_mle"]


def _check_tosses(heads: int, tosses: int, *, minimum: int) -> tuple[int, int]:
    heads = check_count("heads", heads)
    tosses = check_count("tosses", tosses, minimum=minimum)
    if heads > tosses:
        raise ValueError(f"heads ({heads}) cannot exceed tosses ({tosses})")
    return heads, tosses


def coin_mle(heads: int, tosses: int) -> float:
    """Maximum-likelihood estimate of P(heads): ``heads / tosses``.

    >>> coin_mle(3, 3)
    1.0
    """
    heads, tosses = _check_tosses(heads, tosses, minimum=1)
    return heads / tosses


def beta_posterior_mean(heads: int, tosses: int, a: float = 1.0, b: float = 1.0) -> float:
    """Posterior mean of P(heads) under a Beta(a, b) prior: ``(heads + a) / (tosses + a + b)``.

    Equal to ``scipy.stats.beta(heads + a, tosses - heads + b).mean()``.

    >>> beta_posterior_mean(3, 3, 2.0, 2.0)
    0.7142857142857143
    """
    heads, tosses = _check_tosses(heads, tosses, minimum=0)
    a = check_number("a", a, low=0.0, low_open=True)
    b = check_number("b", b, low=0.0, low_open=True)
    return (heads + a) / (tosses + a + b)


def coin_laplace(heads: int, tosses: int) -> float:
    """Laplace-smoothed estimate ``(heads + 1) / (tosses + 2)`` (the Beta(1, 1) posterior mean).

    >>> coin_laplace(3, 3)
    0.8
    """
    return beta_posterior_mean(heads, tosses, 1.0, 1.0)


# --- generator -------------------------------------------------------------------------------


def _build(rng: np.random.Generator, difficulty: int) -> Draft:
    tosses = int(rng.integers(1, 6)) if difficulty == 1 else int(rng.integers(5, 31))
    heads = pick(rng, [0, tosses, int(rng.integers(0, tosses + 1))])
    a = b = 1.0
    if difficulty == 3:
        a, b = (float(v) for v in rng.integers(1, 6, size=2))
    variants = ["mle", "smoothed"] + (["difference"] if difficulty > 1 else [])
    ask = pick(rng, variants)
    mle = coin_mle(heads, tosses)
    smoothed = beta_posterior_mean(heads, tosses, a, b)
    estimate = "the Laplace-smoothed estimate $(h + 1) / (n + 2)$" if difficulty < 3 else (
        f"the posterior mean under a Beta({fmt(a)}, {fmt(b)}) prior"
    )
    setup = f"A coin lands heads {heads} times in {tosses} tosses. "
    if ask == "mle":
        question = "What is the maximum-likelihood estimate of $P(heads)$?"
        answer = mle
    elif ask == "smoothed":
        question = f"What is {estimate} of $P(heads)$?"
        answer = smoothed
    else:
        question = (
            f"By how much does {estimate} exceed the maximum-likelihood estimate "
            "(a negative number if it is smaller)?"
        )
        answer = smoothed - mle
    solution = (
        f"MLE: $\\hat p = h / n = {heads} / {tosses} = {fmt(mle, 6)}$.\n\n"
        f"Smoothed: $\\frac{{h + a}}{{n + a + b}} = \\frac{{{heads} + {fmt(a)}}}{{{tosses} + {fmt(a)} + {fmt(b)}}} = "
        f"{fmt(smoothed, 6)}$" + (" (with $a = b = 1$ this is Laplace's rule)." if a == b == 1 else ".") + "\n\n"
        "With few tosses the MLE overfits (it can say 0 or 1 outright); the prior pulls the estimate "
        "towards $a / (a + b)$ and matters less as $n$ grows."
    )
    params = {"ask": ask, "heads": heads, "tosses": tosses, "a": a, "b": b}
    return Draft(setup + question + " " + precision_note(3), params, answer, Tolerance(sig_figs=3), solution)


SOLVERS = (Solver("coin-mle", "overfitting", "Coin-toss MLE versus Laplace smoothing", _build),)
