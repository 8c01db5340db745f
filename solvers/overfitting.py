"""Overfitting with too little data: the coin-toss maximum-likelihood estimate versus the
Laplace-smoothed (Beta-prior posterior mean) estimate, with the problem generator.

After 3 heads in 3 tosses the MLE says P(heads) = 1, a certainty the data cannot support; the
Laplace estimate ``(h + 1) / (n + 2)`` (the posterior mean under a uniform Beta(1, 1) prior) says
0.8. A Beta(a, b) prior gives the posterior mean ``(h + a) / (n + a + b)`` and the MAP estimate
(posterior mode) ``(h + a - 1) / (n + a + b - 2)``.
"""

from __future__ import annotations

import numpy as np

from ._format import fmt, precision_note
from ._validate import check_count, check_number
from .answers import Tolerance
from .problem import Draft, Solver, pick

__all__ = ["SOLVERS", "beta_map", "beta_posterior_mean", "coin_laplace", "coin_mle"]


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


def beta_map(heads: int, tosses: int, a: float, b: float) -> float:
    """MAP estimate of P(heads) under a Beta(a, b) prior, the posterior mode
    ``(heads + a - 1) / (tosses + a + b - 2)``; needs ``a, b >= 1`` and ``tosses + a + b > 2`` so
    that the mode is unique.

    Equal to the argmax of ``scipy.stats.beta(heads + a, tosses - heads + b).pdf``.

    >>> beta_map(3, 3, 2.0, 2.0)
    0.8
    """
    heads, tosses = _check_tosses(heads, tosses, minimum=0)
    a = check_number("a", a, low=1.0)
    b = check_number("b", b, low=1.0)
    if tosses + a + b <= 2:
        raise ValueError("the posterior Beta(1, 1) is flat: no unique MAP estimate; toss at least once")
    return (heads + a - 1) / (tosses + a + b - 2)


def coin_laplace(heads: int, tosses: int) -> float:
    """Laplace-smoothed estimate ``(heads + 1) / (tosses + 2)`` (the Beta(1, 1) posterior mean).

    >>> coin_laplace(3, 3)
    0.8
    """
    return beta_posterior_mean(heads, tosses, 1.0, 1.0)


# --- generator -------------------------------------------------------------------------------
#
# Heads are always strictly between 0 and n: an all-heads or all-tails sample makes the MLE a
# trivial 0 or 1. Difficulty 1 compares the MLE with Laplace's rule (the uniform prior, stated);
# from difficulty 2 a Beta(a, b) prior is stated and the MAP and posterior-mean estimates asked,
# symmetric at 2, lopsided at 3, where both estimates (or how the mean departs from the MLE) are asked.

_P_HEADS = "$p = P(\\text{heads})$"


def _times(count: int) -> str:
    return f"{count} time" if count == 1 else f"{count} times"


def _tosses(count: int) -> str:
    return f"{count} toss" if count == 1 else f"{count} tosses"


def _draw(rng: np.random.Generator, difficulty: int) -> tuple[int, int, float, float]:
    tosses = int(rng.integers(3, 9)) if difficulty == 1 else int(rng.integers(5, 21))
    heads = int(rng.integers(1, tosses))  # never 0 or n
    if difficulty < 3:
        while 2 * heads == tosses:  # with a symmetric prior every estimate would be 1/2
            heads = int(rng.integers(1, tosses))
    if difficulty == 1:
        return heads, tosses, 1.0, 1.0
    if difficulty == 2:
        a = float(pick(rng, [2, 3, 4, 5]))
        return heads, tosses, a, a
    a, b = (float(v) for v in rng.integers(2, 9, size=2))
    while a == b:
        b = float(rng.integers(2, 9))
    return heads, tosses, a, b


def _prior_text(a: float, b: float) -> str:
    if a == b == 1:
        return (
            f"Put a uniform $\\operatorname{{Beta}}(1, 1)$ prior on {_P_HEADS}: its posterior mean is Laplace's rule "
            "$(h + 1) / (n + 2)$, one pseudo-head and one pseudo-tail. "
        )
    return (
        f"Put a $\\operatorname{{Beta}}({fmt(a)}, {fmt(b)})$ prior on {_P_HEADS} (prior mean "
        f"$a / (a + b) = {fmt(a / (a + b), 4)}$; it acts like $a - 1 = {fmt(a - 1)}$ extra heads and "
        f"$b - 1 = {fmt(b - 1)}$ extra tails for the MAP estimate, $a$ and $b$ for the posterior mean). "
    )


def _build(rng: np.random.Generator, difficulty: int) -> Draft:
    heads, tosses, a, b = _draw(rng, difficulty)
    ask = pick(rng, {1: ["mle", "smoothed"], 2: ["map", "mean"], 3: ["both", "difference"]}[difficulty])
    mle = coin_mle(heads, tosses)
    mean = beta_posterior_mean(heads, tosses, a, b)
    mode = beta_map(heads, tosses, a, b)
    setup = f"A coin lands heads {_times(heads)} in {_tosses(tosses)} ($h = {heads}$, $n = {tosses}$). "
    setup += _prior_text(a, b)
    answer: float | list[float]
    if ask == "mle":
        question, answer = f"What is the maximum-likelihood estimate of {_P_HEADS}?", mle
    elif ask == "smoothed":
        question, answer = "What is the Laplace-smoothed estimate (the posterior mean)?", mean
    elif ask == "map":
        question, answer = "What is the MAP estimate of $p$ (the mode of the posterior)?", mode
    elif ask == "mean":
        question, answer = "What is the posterior-mean estimate of $p$?", mean
    elif ask == "both":
        question, answer = "Give the MAP estimate and the posterior mean of $p$ as a vector [MAP, mean].", [mode, mean]
    else:
        question = (
            "By how much does the posterior mean of $p$ exceed the maximum-likelihood estimate "
            "(a negative number if it is smaller)?"
        )
        answer = mean - mle
    length = 2 if ask == "both" else 1
    prompt = setup + question + " " + precision_note(3, length=length)
    params = {"ask": ask, "heads": heads, "tosses": tosses, "a": a, "b": b}
    solution = "\n\n".join(_solution_lines(ask, heads, tosses, a, b, mle, mode, mean))
    return Draft(prompt, params, answer, Tolerance(sig_figs=3), solution)


def _solution_lines(
    ask: str, heads: int, tosses: int, a: float, b: float, mle: float, mode: float, mean: float
) -> list[str]:
    lines = [f"MLE: $\\hat p = \\frac{{h}}{{n}} = \\frac{{{heads}}}{{{tosses}}} = {fmt(mle, 6)}$."]
    posterior = (
        f"The posterior is $\\operatorname{{Beta}}(h + a, n - h + b) = "
        f"\\operatorname{{Beta}}({fmt(heads + a)}, {fmt(tosses - heads + b)})$."
    )
    mean_line = (
        f"Posterior mean: $\\frac{{h + a}}{{n + a + b}} = \\frac{{{heads} + {fmt(a)}}}"
        f"{{{tosses} + {fmt(a)} + {fmt(b)}}} = {fmt(mean, 6)}$."
    )
    map_line = (
        f"MAP (the posterior mode): $\\frac{{h + a - 1}}{{n + a + b - 2}} = \\frac{{{heads} + {fmt(a - 1)}}}"
        f"{{{tosses} + {fmt(a + b - 2)}}} = {fmt(mode, 6)}$."
    )
    if ask == "mle":
        lines.append(
            "For comparison (not asked), Laplace's rule under the stated uniform prior gives "
            f"$\\frac{{h + 1}}{{n + 2}} = {fmt(mean, 6)}$: with few tosses the MLE trusts the sample completely, "
            "the prior pulls the estimate towards $1/2$."
        )
        return lines
    if ask == "smoothed":
        lines += [posterior, mean_line + " Under the uniform prior this is Laplace's rule."]
    elif ask == "map":
        lines += [posterior, map_line]
    elif ask == "mean":
        lines += [posterior, mean_line]
    elif ask == "both":
        lines += [posterior, map_line, mean_line]
    else:
        lines += [posterior, mean_line, f"Difference: ${fmt(mean, 6)} - {fmt(mle, 6)} = {fmt(mean - mle, 6)}$."]
    weight = tosses / (tosses + a + b)
    shrink = (
        f"The posterior mean is a weighted average of the MLE and the prior mean $a / (a + b) = {fmt(a / (a + b), 4)}$, "
        f"with weight $\\frac{{n}}{{n + a + b}} = {fmt(weight, 4)}$ on the MLE"
    )
    if ask in ("map", "both"):
        shrink += (
            "; the MAP estimate averages the MLE with the prior mode $(a - 1)/(a + b - 2) = "
            f"{fmt((a - 1) / (a + b - 2), 4)}$, with weight $\\frac{{n}}{{n + a + b - 2}} = "
            f"{fmt(tosses / (tosses + a + b - 2), 4)}$"
        )
    lines.append(shrink + ". The prior matters most for small $n$, exactly where the MLE overfits; its pull fades as $n$ grows.")
    return lines


SOLVERS = (Solver("coin-mle", "overfitting", "Coin-toss MLE, MAP and posterior mean", _build),)
