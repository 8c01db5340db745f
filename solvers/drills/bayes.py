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
    k, d = int(rng.integers(2, 5)), int(rng.integers(1, 6))
    likelihoods = np.round(rng.uniform(0.05, 0.95, size=(k, d)), 2)
    if rng.random() < 0.2:  # a value never seen with one class (no smoothing): that class is impossible
        likelihoods[int(rng.integers(k)), int(rng.integers(d))] = 0.0
    return {"priors": np.round(rng.dirichlet(np.ones(k)), 3), "likelihoods": likelihoods}


def _possible(case: Case) -> bool:
    priors, likelihoods = np.asarray(case["priors"]), np.asarray(case["likelihoods"])
    return len(priors) >= 1 and float((priors * likelihoods.prod(axis=1)).sum()) > 0


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
    ),
    generate=_nb_case,
    solution=_NB_SOLUTION,
    rows=("priors", "likelihoods"),
    valid=_possible,
)

DRILLS = (NAIVE_BAYES,)
