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


def _times(count: int) -> str:
    return f"{count} time" if count == 1 else f"{count} times"


def _tosses(count: int) -> str:
    return f"{count} toss" if count == 1 else f"{count} tosses"


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
    p_heads = "$p = P(\\text{heads})$"
    if difficulty < 3:
        prior = ""
        estimate = "the Laplace-smoothed estimate $(h + 1) / (n + 2)$ of " + p_heads
    else:
        prior = (
            f"Put a $\\operatorname{{Beta}}({fmt(a)}, {fmt(b)})$ prior on {p_heads} ($a = {fmt(a)}$ acts as a "
            f"pseudo-count of heads, $b = {fmt(b)}$ of tails). "
        )
        estimate = "the posterior mean of $p$"
    setup = f"A coin lands heads {_times(heads)} in {_tosses(tosses)} ($h = {heads}$, $n = {tosses}$). "
    if ask == "mle":
        question = f"What is the maximum-likelihood estimate of {p_heads}?"
        answer = mle
    elif ask == "smoothed":
        question = prior + f"What is {estimate}?"
        answer = smoothed
    else:
        question = (
            prior + f"By how much does {estimate} exceed the maximum-likelihood estimate "
            "(a negative number if it is smaller)?"
        )
        answer = smoothed - mle
    mle_line = f"MLE: $\\hat p = \\frac{{h}}{{n}} = \\frac{{{heads}}}{{{tosses}}} = {fmt(mle, 6)}$."
    if ask == "mle":
        laplace = coin_laplace(heads, tosses)
        lines = [
            mle_line,
            "With few tosses the MLE overfits: after a run of all heads or all tails it says 1 or 0 outright. "
            "For comparison (not asked), Laplace smoothing adds one pseudo-head and one pseudo-tail, which is the "
            "posterior mean under a uniform $\\operatorname{Beta}(1, 1)$ prior: "
            f"$\\frac{{h + 1}}{{n + 2}} = \\frac{{{heads} + 1}}{{{tosses} + 2}} = {fmt(laplace, 6)}$.",
        ]
    else:
        if difficulty < 3:
            smoothed_line = (
                "Laplace smoothing adds one pseudo-head and one pseudo-tail (the posterior mean under a uniform "
                f"$\\operatorname{{Beta}}(1, 1)$ prior): $\\frac{{h + 1}}{{n + 2}} = "
                f"\\frac{{{heads} + 1}}{{{tosses} + 2}} = {fmt(smoothed, 6)}$."
            )
            pull = "towards $1/2$"
        else:
            smoothed_line = (
                f"The posterior is $\\operatorname{{Beta}}(h + a, n - h + b) = "
                f"\\operatorname{{Beta}}({fmt(heads + a)}, {fmt(tosses - heads + b)})$, whose mean is "
                f"$\\frac{{h + a}}{{n + a + b}} = \\frac{{{heads} + {fmt(a)}}}{{{tosses} + {fmt(a)} + {fmt(b)}}} = "
                f"{fmt(smoothed, 6)}$" + (" (with $a = b = 1$ this is Laplace's rule)." if a == b == 1 else ".")
            )
            pull = f"towards the prior mean $a / (a + b) = {fmt(a / (a + b), 4)}$"
        lines = [mle_line, smoothed_line]
        if ask == "difference":
            lines.append(f"Difference: ${fmt(smoothed, 6)} - {fmt(mle, 6)} = {fmt(smoothed - mle, 6)}$.")
        lines.append(
            f"With few tosses the MLE overfits (it can say 0 or 1 outright); the prior pulls the estimate {pull} "
            "and matters less as $n$ grows."
        )
    solution = "\n\n".join(lines)
    params = {"ask": ask, "heads": heads, "tosses": tosses, "a": a, "b": b}
    return Draft(setup + question + " " + precision_note(3), params, answer, Tolerance(sig_figs=3), solution)


SOLVERS = (Solver("coin-mle", "overfitting", "Coin-toss MLE versus Laplace smoothing", _build),)
