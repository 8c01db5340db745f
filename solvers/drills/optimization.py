"""Drills on optimisation steps: gradient-norm clipping and soft-thresholding (the L1 proximal step).

The references are :func:`solvers.clip_grad_norm` (proven against ``torch.nn.utils.clip_grad_norm_``)
and :func:`solvers.soft_threshold` (proven against scikit-learn's Lasso coordinate step), in tests/oracle.
"""

from __future__ import annotations

import numpy as np

from ..gradients import clip_grad_norm
from ..regularization import soft_threshold
from .base import Case, Drill

__all__ = ["DRILLS"]


def _clip_case(rng: np.random.Generator) -> Case:
    count = int(rng.integers(1, 4))
    grads = [np.round(rng.normal(size=tuple(int(s) for s in rng.integers(1, 4, size=int(rng.integers(1, 3))))), 2)
             for _ in range(count)]
    total = float(np.sqrt(sum(float((g**2).sum()) for g in grads)))
    max_norm = round(float(total * rng.choice([0.3, 0.5, 0.9, 1.5, 3.0])), 2) or 0.5
    return {"grads": grads, "max_norm": max_norm}


def _clipped(grads: list[np.ndarray], max_norm: float) -> list[np.ndarray]:
    return clip_grad_norm(grads, max_norm)[0]


def _valid_clip(case: Case) -> bool:
    return len(case["grads"]) >= 1 and case["max_norm"] >= 0


_CLIP_SOLUTION = '''\
import numpy as np


def clip_grad_norm(grads, max_norm):
    """Scale all the gradients together so that their joint L2 norm is at most max_norm, as
    torch.nn.utils.clip_grad_norm_ does (the 1e-6 keeps the division safe). One norm over all the
    tensors: clipping each tensor on its own would change the direction of the update."""
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads))
    scale = min(1.0, max_norm / (total + 1e-6))
    return [g * scale for g in grads]
'''

CLIP = Drill(
    name="clip-grad-norm",
    topic="vanishing-exploding-gradients",
    title="Gradient-norm clipping over several tensors",
    function="clip_grad_norm",
    params=("grads", "max_norm"),
    reference=_clipped,
    edge_cases=(
        {"grads": [np.array([3.0, 4.0])], "max_norm": 1.0},
        {"grads": [np.array([3.0]), np.array([[4.0]])], "max_norm": 1.0},  # norm over both tensors
        {"grads": [np.array([0.3, 0.4]), np.array([0.0])], "max_norm": 1.0},  # already small: unchanged
        {"grads": [np.zeros(3)], "max_norm": 1.0},
        {"grads": [np.array([6.0, 8.0]), np.array([1.0, -1.0, 0.5])], "max_norm": 5.0},
    ),
    generate=_clip_case,
    solution=_CLIP_SOLUTION,
    valid=_valid_clip,
)


def _soft_case(rng: np.random.Generator) -> Case:
    n = int(rng.integers(1, 12))
    w = np.round(rng.normal(scale=2.0, size=n), 2)
    t = round(float(rng.uniform(0, 2)), 2)
    if rng.random() < 0.3 and n:  # a weight exactly at the threshold
        w[0] = t * rng.choice([-1, 1])
    return {"w": w, "t": t}


_SOFT_SOLUTION = '''\
import numpy as np


def soft_threshold(w, t):
    """The L1 proximal step: shrink every weight towards 0 by t, and set those within t of 0 to
    exactly 0 (that is where L1's sparsity comes from)."""
    return np.sign(w) * np.maximum(np.abs(w) - t, 0.0)
'''

SOFT_THRESHOLD = Drill(
    name="soft-threshold",
    topic="l1-l2",
    title="Soft-thresholding, the L1 proximal step",
    function="soft_threshold",
    params=("w", "t"),
    reference=soft_threshold,
    edge_cases=(
        {"w": np.array([1.5, 0.2, -0.75]), "t": 0.5},
        {"w": np.array([0.5, -0.5, 0.0]), "t": 0.5},  # exactly at the threshold
        {"w": np.array([-3.0, 2.0]), "t": 0.0},
        {"w": np.array([-0.1, 0.1, -0.2]), "t": 1.0},
    ),
    generate=_soft_case,
    solution=_SOFT_SOLUTION,
    rows=("w",),
    valid=lambda case: case["t"] >= 0,
)

DRILLS = (CLIP, SOFT_THRESHOLD)
