"""Generative versus discriminative classifiers: naive Bayes posteriors (from priors and
class-conditional likelihoods) next to the logistic-regression probability, with their
problem generators.

Naive Bayes models ``p(x | c)`` as a product over features and applies Bayes' rule,
``P(c | x) = P(c) prod_j p(x_j | c) / sum_k P(k) prod_j p(x_j | k)``; logistic regression models
``P(y = 1 | x) = sigmoid(w . x + b)`` directly.
"""

from __future__ import annotations

import math

import numpy as np

from ._format import fmt, fmt_factor, fmt_vector, md_table, precision_note
from ._validate import as_float_array, check_count, check_number
from .answers import Tolerance
from .gradients import sigmoid
from .problem import Draft, Solver, pick

__all__ = [
    "SOLVERS",
    "gaussian_nb_posterior",
    "logistic_proba",
    "naive_bayes_posterior",
    "smoothed_likelihood",
]


def _priors(priors: object, n_classes: int | None = None) -> np.ndarray:
    p = as_float_array("priors", priors, ndims=(1,))
    if p.size == 0:
        raise ValueError("priors is empty")
    if n_classes is not None and p.size != n_classes:
        raise ValueError(f"priors must have one entry per class ({n_classes}), got shape {p.shape}")
    if (p < 0).any():
        raise ValueError(f"priors must be non-negative, got {p[p < 0][0]}")
    if p.sum() == 0:
        raise ValueError("priors must not all be 0")
    return p / p.sum()


def _normalise_log(log_joint: np.ndarray) -> np.ndarray:
    """Posterior from log joint probabilities (log-sum-exp, so tiny likelihoods do not underflow)."""
    top = log_joint.max()
    if top == -np.inf:
        raise ValueError("every class has probability 0 for this input (the evidence is 0)")
    weights = np.exp(log_joint - top)
    return weights / weights.sum()


def smoothed_likelihood(count: int, class_count: int, n_categories: int, alpha: float = 1.0) -> float:
    """Additively smoothed ``p(x_j = v | c)``: ``(count + alpha) / (class_count + alpha * n_categories)``.

    ``count`` is how often value ``v`` occurs in class ``c``; ``alpha = 1`` is Laplace smoothing,
    which keeps a value never seen in a class from zeroing the whole posterior. Equal to
    ``exp(CategoricalNB(alpha=alpha).feature_log_prob_[j][c, v])``.

    >>> smoothed_likelihood(0, 8, 3)
    0.09090909090909091
    """
    class_count = check_count("class_count", class_count)
    count = check_count("count", count)
    if count > class_count:
        raise ValueError(f"count ({count}) cannot exceed class_count ({class_count})")
    n_categories = check_count("n_categories", n_categories, minimum=1)
    alpha = check_number("alpha", alpha, low=0.0)
    if class_count + alpha * n_categories == 0:
        raise ValueError("with alpha=0 and class_count=0 the likelihood is 0/0; use alpha > 0")
    return (count + alpha) / (class_count + alpha * n_categories)


def naive_bayes_posterior(priors: object, likelihoods: object) -> np.ndarray:
    """Class posteriors from priors and per-feature class-conditional likelihoods.

    Parameters
    ----------
    priors : array-like of shape (K,)
        Class priors (non-negative; normalised to sum to 1).
    likelihoods : array-like of shape (K,) or (K, d)
        ``likelihoods[c, j] = p(x_j | c)`` for the observed value of feature j.

    Returns
    -------
    numpy.ndarray of shape (K,)
        ``P(c | x)``, equal to scikit-learn's ``CategoricalNB.predict_proba`` given its fitted
        priors and smoothed likelihoods.

    Examples
    --------
    >>> naive_bayes_posterior([0.3, 0.7], [[0.6], [0.1]]).round(4).tolist()
    [0.72, 0.28]
    """
    lik = as_float_array("likelihoods", likelihoods, ndims=(1, 2))
    if lik.ndim == 1:
        lik = lik[:, None]
    p = _priors(priors, lik.shape[0])
    if (lik < 0).any():
        raise ValueError(f"likelihoods must be non-negative, got {lik[lik < 0][0]}")
    with np.errstate(divide="ignore"):  # log 0 = -inf: that class is impossible
        log_joint = np.log(p) + np.log(lik).sum(axis=1)
    return _normalise_log(log_joint)


def gaussian_nb_posterior(x: object, means: object, variances: object, priors: object) -> np.ndarray:
    """Gaussian naive Bayes posteriors ``P(c | x)``.

    Parameters
    ----------
    x : array-like of shape (d,)
    means, variances : array-like of shape (K, d)
        Per-class feature means and (positive) variances.
    priors : array-like of shape (K,)

    Returns
    -------
    numpy.ndarray of shape (K,)
        Equal to ``GaussianNB.predict_proba`` when ``variances`` is its ``var_`` (which already
        includes ``var_smoothing``).

    Examples
    --------
    >>> gaussian_nb_posterior([0.0], [[0.0], [2.0]], [[1.0], [1.0]], [0.5, 0.5]).round(4).tolist()
    [0.8808, 0.1192]
    """
    x = as_float_array("x", x, ndims=(1,))
    mu = as_float_array("means", means, ndims=(2,))
    var = as_float_array("variances", variances, ndims=(2,))
    if mu.shape != var.shape or mu.shape[1] != x.size:
        raise ValueError(
            f"means and variances must both have shape (K, {x.size}) for x of shape {x.shape}, "
            f"got {mu.shape} and {var.shape}"
        )
    if (var <= 0).any():
        raise ValueError(f"variances must be positive, got {var[var <= 0][0]}")
    p = _priors(priors, mu.shape[0])
    log_lik = -0.5 * (np.log(2 * np.pi * var) + (x - mu) ** 2 / var).sum(axis=1)
    with np.errstate(divide="ignore"):
        return _normalise_log(np.log(p) + log_lik)


def logistic_proba(x: object, w: object, b: float) -> float | np.ndarray:
    """Logistic-regression probability of the positive class, ``sigmoid(w . x + b)``.

    ``x`` of shape (d,) gives a float; shape (n, d) gives one probability per row, equal to
    ``LogisticRegression.predict_proba(x)[:, 1]`` with ``coef_ = [w]`` and ``intercept_ = [b]``.

    >>> logistic_proba([1.0, 2.0], [0.5, -0.25], 0.0)
    0.5
    """
    x = as_float_array("x", x, ndims=(1, 2))
    w = as_float_array("w", w, ndims=(1,))
    if x.shape[-1] != w.size:
        raise ValueError(f"x has {x.shape[-1]} features but w has {w.size} (shapes {x.shape} and {w.shape})")
    b = check_number("b", b)
    return sigmoid(x @ w + b)


# --- generators ------------------------------------------------------------------------------


# Word likelihoods are drawn by kind, so tables look like real mail: a spam word is common in spam
# and rare in ham, a ham word the reverse (never P('winner' | ham) = 0.89).
_SPAM_WORDS = ["free", "winner", "prize", "offer"]
_HAM_WORDS = ["meeting", "invoice", "report", "schedule"]


def _word_likelihoods(rng: np.random.Generator, word: str) -> tuple[float, float]:
    common, rare = float(rng.integers(15, 61) / 100), float(rng.integers(1, 11) / 100)
    return (common, rare) if word in _SPAM_WORDS else (rare, common)


def _build_discrete(rng: np.random.Generator, n_words: int, n_absent: int = 0) -> Draft:
    """``n_words`` words in the table; the last ``n_absent`` of them are missing from the email, which
    (Bernoulli naive Bayes) contributes ``1 - P(word | class)``: every word shown is used."""
    while True:  # redraw near-certain posteriors: nothing to weigh when one class wins by 1000 to 1
        words = [str(w) for w in rng.permutation(_SPAM_WORDS + _HAM_WORDS)[:n_words]]
        pairs = [_word_likelihoods(rng, w) for w in words]
        lik = np.array(pairs).T  # (class, word): P(word present | class)
        prior_spam = float(rng.integers(10, 61) / 100)
        priors = [prior_spam, round(1 - prior_spam, 2)]  # the complement exactly as shown
        present = [True] * (n_words - n_absent) + [False] * n_absent
        used = np.where(present, lik, np.round(1 - lik, 2))  # the factor each word contributes
        posterior = naive_bayes_posterior(priors, used)
        if 0.02 <= posterior[0] <= 0.98:
            break
    table = md_table(["word", "P(word given spam)", "P(word given ham)"],
                     [(f"'{w}'", s, h) for w, s, h in zip(words, lik[0], lik[1])])
    shown = [repr(w) for w in words]
    if n_words == 1:
        contents = f"contains the word {shown[0]}"
    elif n_absent == 0:
        contents = "contains each of the words " + ", ".join(shown)
    else:
        contents = (
            "contains " + " and ".join(shown[: n_words - n_absent]) + " but not " + " or ".join(shown[n_words - n_absent:])
        )
    model = "A Bernoulli naive Bayes" if n_absent else "A naive Bayes"
    prompt = (
        f"{model} spam filter has prior $P(\\text{{spam}}) = {fmt(prior_spam)}$ and these word likelihoods "
        f"(the probability that an email of the class contains the word):\n\n{table}\n\n"
        f"An email {contents} (no other word is in the model). What is "
        "$P(\\text{spam} \\mid \\text{email})$? " + precision_note(3)
    )
    joint = [priors[c] * float(np.prod(used[c])) for c in range(2)]
    terms = [" \\cdot ".join(fmt(v) for v in [priors[c], *used[c]]) for c in range(2)]
    lines = []
    if n_words > 1:
        lines.append(
            "The naive assumption (words independent given the class) makes each class's likelihood the product "
            "of one factor per word."
        )
    if n_absent:
        absent = ", ".join(shown[n_words - n_absent:])
        lines.append(
            f"A word that is missing counts too: for {absent} the factor is $1 - P(\\text{{word}} \\mid c)$ "
            "(Bernoulli naive Bayes models presence and absence)."
        )
    lines += [
        f"Joint with spam: ${terms[0]} = {fmt(joint[0], 6)}$.",
        f"Joint with ham: ${terms[1]} = {fmt(joint[1], 6)}$.",
        f"$$P(\\text{{spam}} \\mid \\text{{email}}) = \\frac{{{fmt(joint[0], 6)}}}{{{fmt(joint[0], 6)} + "
        f"{fmt(joint[1], 6)}}} = {fmt(posterior[0], 6)}$$",
        "The model is generative: it models how each class produces the words and inverts that with Bayes' rule.",
    ]
    params = {"ask": "discrete", "priors": priors, "likelihoods": lik.tolist(), "words": words, "present": present}
    return Draft(prompt, params, float(posterior[0]), Tolerance(sig_figs=3), "\n\n".join(lines))


def _gaussian_density(x: float, mean: float, var: float) -> float:
    return math.exp(-((x - mean) ** 2) / (2 * var)) / math.sqrt(2 * math.pi * var)


def _build_gaussian(rng: np.random.Generator) -> Draft:
    """Two features, so the class likelihood is a product of two densities (the naive assumption)."""
    while True:  # redraw near-certain posteriors, as for the word tables
        means = rng.integers(-20, 21, size=(2, 2)) / 10
        while (means[0] == means[1]).any():
            means[1] = rng.integers(-20, 21, size=2) / 10
        variances = rng.integers(5, 31, size=(2, 2)) / 10
        prior = float(rng.integers(20, 81) / 100)
        priors = [prior, round(1 - prior, 2)]
        x = rng.integers(-20, 21, size=2) / 10
        posterior = gaussian_nb_posterior(x, means, variances, priors)
        if 0.02 <= posterior[0] <= 0.98:
            break
    table = md_table(
        ["class", "prior", "mean of x1", "variance of x1", "mean of x2", "variance of x2"],
        [(name, priors[c], means[c, 0], variances[c, 0], means[c, 1], variances[c, 1]) for c, name in enumerate("AB")],
    )
    prompt = (
        "A Gaussian naive Bayes model with two features (each normal within a class, the two independent given "
        f"the class) has these parameters:\n\n{table}\n\nFor $x = ({fmt(x[0])}, {fmt(x[1])})$, what is "
        "$P(A \\mid x)$? " + precision_note(3)
    )
    dens = [[_gaussian_density(x[j], means[c, j], variances[c, j]) for j in range(2)] for c in range(2)]
    lines = [
        "$$p(x_j \\mid c) = \\frac{1}{\\sqrt{2 \\pi \\sigma_{cj}^2}} e^{-(x_j - \\mu_{cj})^2 / (2 \\sigma_{cj}^2)}$$",
        "Naive assumption: $p(x \\mid c) = p(x_1 \\mid c)\\, p(x_2 \\mid c)$.",
    ]
    for c, name in enumerate("AB"):
        lines.append(
            f"Class {name}: $p(x_1 \\mid {name}) = {fmt(dens[c][0], 6)}$, $p(x_2 \\mid {name}) = {fmt(dens[c][1], 6)}$, "
            f"joint with the prior ${fmt(priors[c])} \\cdot {fmt(dens[c][0], 6)} \\cdot {fmt(dens[c][1], 6)} = "
            f"{fmt(priors[c] * dens[c][0] * dens[c][1], 6)}$."
        )
    joint = [priors[c] * dens[c][0] * dens[c][1] for c in range(2)]
    lines.append(
        f"$$P(A \\mid x) = \\frac{{{fmt(joint[0], 6)}}}{{{fmt(joint[0], 6)} + {fmt(joint[1], 6)}}} = "
        f"{fmt(posterior[0], 6)}$$"
    )
    params = {"ask": "gaussian", "x": x.tolist(), "means": means.tolist(), "variances": variances.tolist(),
              "priors": priors}
    return Draft(prompt, params, float(posterior[0]), Tolerance(sig_figs=3), "\n\n".join(lines))


def _build_naive_bayes(rng: np.random.Generator, difficulty: int) -> Draft:
    if difficulty == 1:
        return _build_discrete(rng, 1)
    if difficulty == 2:
        return _build_discrete(rng, int(rng.integers(2, 4)))
    return _build_gaussian(rng) if rng.random() < 0.5 else _build_discrete(rng, 3, n_absent=1)


def _build_logistic(rng: np.random.Generator, difficulty: int) -> Draft:
    d = {1: 1, 2: int(rng.integers(2, 4)), 3: 4}[difficulty]
    w = rng.integers(-20, 21, size=d) / 10
    x = rng.integers(-30, 31, size=d) / 10
    b = float(rng.integers(-20, 21) / 10)
    ask = "proba" if difficulty == 1 else pick(rng, ["proba", "proba", "logit"])
    z = round(float(x @ w + b), 10) + 0.0  # inputs on a 0.1 grid: rounding removes float noise (2.2e-16 for 0)
    proba = float(logistic_proba(x, w, b))
    vec = (lambda v: fmt(v[0])) if d == 1 else fmt_vector
    setup = (
        f"A logistic-regression model has weights $w = {vec(w)}$ and bias $b = {fmt(b)}$. "
        f"For the input $x = {vec(x)}$, "
    )
    if ask == "proba":
        prompt = setup + "what is $P(y = 1 | x) = \\sigma(w \\cdot x + b)$? " + precision_note(3)
        answer = proba
    else:
        prompt = (
            setup + "what are the log-odds $\\ln \\frac{P(y = 1 \\mid x)}{P(y = 0 \\mid x)}$ (natural logarithm)? "
            + precision_note(3)
        )
        answer = z
    products = " + ".join(f"{fmt_factor(wi)} \\cdot {fmt_factor(xi)}" for wi, xi in zip(w, x))
    solution = (
        f"$$z = w \\cdot x + b = {products} + {fmt_factor(b)} = {fmt(z, 6)}$$\n\n"
        f"$$\\sigma(z) = \\frac{{1}}{{1 + e^{{-z}}}} = {fmt(proba, 6)}$$\n\n"
        "The log-odds are $z$ itself: $\\ln \\frac{\\sigma(z)}{1 - \\sigma(z)} = z$ (natural logarithm). "
        "The model is discriminative: it models $P(y \\mid x)$ directly."
    )
    params = {"ask": ask, "x": x.tolist(), "w": w.tolist(), "b": b}
    return Draft(prompt, params, answer, Tolerance(sig_figs=3), solution)


SOLVERS = (
    Solver("naive-bayes", "generative-discriminative", "Naive Bayes posterior", _build_naive_bayes),
    Solver("logistic", "generative-discriminative", "Logistic-regression probability", _build_logistic),
)
