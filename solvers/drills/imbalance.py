"""Drills on class imbalance: balanced class weights and a SMOTE synthetic point.

The references are :func:`solvers.balanced_class_weights` (proven against scikit-learn's
``compute_class_weight``) and :func:`solvers.smote_point` (against imbalanced-learn), in tests/oracle.
"""

from __future__ import annotations

import numpy as np

from ..imbalance import balanced_class_weights, smote_point
from .base import N_LOG_N, Case, Complexity, Drill

__all__ = ["DRILLS"]


def _weights_case(rng: np.random.Generator) -> Case:
    k = int(rng.integers(1, 6))
    n = int(rng.integers(1, 40))
    p = rng.dirichlet(np.ones(k) * 0.7)
    return {"y": rng.choice(k, size=n, p=p)}


def _weights_large(rng: np.random.Generator, n: int) -> Case:
    return {"y": rng.integers(0, 5, size=n)}


_WEIGHTS_SOLUTION = '''\
import numpy as np


def balanced_class_weights(y):
    """{label: n_samples / (n_classes * count)}: every class then carries the same total weight,
    n_samples / n_classes (scikit-learn's class_weight="balanced")."""
    labels, counts = np.unique(y, return_counts=True)
    weights = len(y) / (len(labels) * counts)
    return {label.item(): float(w) for label, w in zip(labels, weights)}
'''

WEIGHTS = Drill(
    name="class-weights",
    topic="class-imbalance",
    title="Balanced class weights",
    function="balanced_class_weights",
    params=("y",),
    reference=balanced_class_weights,
    edge_cases=(
        {"y": np.array([0, 0, 0, 1])},
        {"y": np.array([2, 2, 2])},
        {"y": np.array([0, 1, 2, 0, 1, 0])},
        {"y": np.array([5, 1, 5, 5, 5, 5, 5, 5, 5, 1])},
    ),
    generate=_weights_case,
    solution=_WEIGHTS_SOLUTION,
    rows=("y",),
    valid=lambda case: len(case["y"]) >= 1,
    complexity=Complexity(*N_LOG_N, make=_weights_large),
)


def _smote_case(rng: np.random.Generator) -> Case:
    d = int(rng.integers(1, 6))
    return {"x": np.round(rng.normal(size=d), 2), "neighbor": np.round(rng.normal(size=d), 2),
            "gap": round(float(rng.random()), 3)}


_SMOTE_SOLUTION = '''\
import numpy as np


def smote_point(x, neighbor, gap):
    """SMOTE's synthetic sample: the point a fraction gap of the way from x towards its minority
    neighbour (gap 0 gives x itself, gap 1 the neighbour)."""
    return x + gap * (neighbor - x)
'''

SMOTE = Drill(
    name="smote-point",
    topic="class-imbalance",
    title="A SMOTE synthetic point",
    function="smote_point",
    params=("x", "neighbor", "gap"),
    reference=smote_point,
    edge_cases=(
        {"x": np.array([1.0, 2.0]), "neighbor": np.array([3.0, 0.0]), "gap": 0.25},
        {"x": np.array([1.0, 2.0]), "neighbor": np.array([3.0, 0.0]), "gap": 0.0},
        {"x": np.array([1.0, 2.0]), "neighbor": np.array([3.0, 0.0]), "gap": 1.0},
        {"x": np.array([-4.0]), "neighbor": np.array([4.0]), "gap": 0.9},
    ),
    generate=_smote_case,
    solution=_SMOTE_SOLUTION,
    rows=("x", "neighbor"),
    valid=lambda case: len(case["x"]) >= 1 and 0 <= case["gap"] <= 1,
)

DRILLS = (WEIGHTS, SMOTE)
