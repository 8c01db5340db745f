"""A drill on generative classifiers: the naive Bayes posterior from priors and likelihoods.

The reference is :func:`solvers.naive_bayes_posterior`, proven against scikit-learn's
``CategoricalNB`` in tests/oracle.
"""

from __future__ import annotations

import numpy as np

from ..generative import naive_bayes_posterior
from .base import Case, Drill

__all__ = ["DRILLS"]


def _nb_case(rng: np.random.Generator) -> Case:
    k = int(rng.integers(2, 5))
    if rng.random() < 0.1:
        return {"priors": np.round(rng.dirichlet(np.ones(k)), 3), "likelihoods": _many_small(rng, k)}
    d = int(rng.integers(1, 6))
    likelihoods = np.round(rng.uniform(0.05, 0.95, size=(k, d)), 2)
    if rng.random() < 0.2:  # a value never seen with one class (no smoothing): that class is impossible
        likelihoods[int(rng.integers(k)), int(rng.integers(d))] = 0.0
    return {"priors": np.round(rng.dirichlet(np.ones(k)), 3), "likelihoods": likelihoods}


def _many_small(rng: np.random.Generator, k: int) -> np.ndarray:
    """Hundreds of features near 1e-3 (each class repeats one value, so a failing case prints short):
    their product underflows float64 to 0, while the posterior stays well defined."""
    base = 10.0 ** rng.uniform(-4, -2)
    per_class = base * (1 + np.round(rng.uniform(-0.004, 0.004, size=(k, 1)), 4))
    return np.repeat(per_class, int(rng.integers(300, 600)), axis=1)


def _log_joint(case: Case) -> np.ndarray:
    priors, likelihoods = np.asarray(case["priors"], float), np.asarray(case["likelihoods"], float)
    with np.errstate(divide="ignore"):
        return np.log(priors) + np.log(likelihoods.reshape(len(likelihoods), -1)).sum(axis=1)


def _possible(case: Case) -> bool:
    """At least one class with a positive probability (summed in logs: a product may underflow)."""
    return len(case["priors"]) >= 1 and bool(np.isfinite(_log_joint(case)).any())


def _explain(case: Case) -> str | None:
    priors, likelihoods = np.asarray(case["priors"], float), np.asarray(case["likelihoods"], float)
    with np.errstate(under="ignore"):
        product = priors * likelihoods.reshape(len(likelihoods), -1).prod(axis=1)
    if (product == 0).all():
        top = float(_log_joint(case).max()) / np.log(10)
        return (f"here prior x product of the likelihoods is about 1e{top:.0f} for the likeliest class, which "
                "underflows float64 to 0 for every class: add logs instead of multiplying")
    return None


_NB_SOLUTION = '''\
import numpy as np


def naive_bayes_posterior(priors, likelihoods):
    """P(class | x) from priors (K,) and likelihoods (K, d), likelihoods[c, j] = p(x_j | c).

    Naive Bayes: p(x | c) is the product over the features. Add logs instead of multiplying (many
    small factors underflow), then normalise with the maximum subtracted."""
    with np.errstate(divide="ignore"):  # log 0 = -inf: that class is impossible
        log_joint = np.log(priors) + np.log(likelihoods).sum(axis=1)
    joint = np.exp(log_joint - log_joint.max())
    return joint / joint.sum()
'''

NAIVE_BAYES = Drill(
    name="naive-bayes",
    topic="generative-discriminative",
    title="Naive Bayes posterior from priors and likelihoods",
    function="naive_bayes_posterior",
    params=("priors", "likelihoods"),
    reference=naive_bayes_posterior,
    edge_cases=(
        {"priors": np.array([0.3, 0.7]), "likelihoods": np.array([[0.6], [0.1]])},
        {"priors": np.array([0.5, 0.5]), "likelihoods": np.array([[0.2, 0.9], [0.2, 0.9]])},
        {"priors": np.array([0.2, 0.3, 0.5]), "likelihoods": np.array([[0.5, 0.5], [0.0, 0.9], [0.1, 0.3]])},
        {"priors": np.array([0.9, 0.1]), "likelihoods": np.array([[0.1, 0.2, 0.1], [0.8, 0.9, 0.7]])},
        # 400 features near 1e-3: each product is about 1e-1200, 0 in float64; the posterior is about (0.4, 0.6)
        {"priors": np.array([0.6, 0.4]), "likelihoods": np.repeat(np.array([[1e-3], [1.002e-3]]), 400, axis=1)},
        {"priors": np.array([0.4, 0.6]), "likelihoods": np.array([[1e-200, 1e-150], [1e-180, 1e-171]])},
        {"priors": np.array([0.5, 0.3, 0.2]),  # one class impossible, the others underflow
         "likelihoods": np.repeat(np.array([[0.0], [2e-3], [1.99e-3]]), 300, axis=1)},
    ),
    generate=_nb_case,
    solution=_NB_SOLUTION,
    rows=("priors", "likelihoods"),
    valid=_possible,
    explain=_explain,
)

DRILLS = (NAIVE_BAYES,)
