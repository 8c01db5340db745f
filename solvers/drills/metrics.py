"""Drills on classification metrics: ROC AUC with ties, precision/recall/F1, macro F1.

The references are :func:`solvers.roc_auc` and :func:`solvers.precision_recall_fscore`, proven
against scikit-learn in tests/oracle.
"""

from __future__ import annotations

import numpy as np

from ..auc import roc_auc
from ..prf import precision_recall_fscore
from .base import N_LOG_N, Case, Complexity, Drill

__all__ = ["DRILLS"]


def _labels(*values: int) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def _scores(*values: float) -> np.ndarray:
    return np.array(values, dtype=np.float64)


# --- roc_auc ------------------------------------------------------------------------------------


def _binary_labels(rng: np.random.Generator, n: int) -> np.ndarray:
    labels = (rng.random(n) < rng.uniform(0.2, 0.8)).astype(np.int64)
    first = int(rng.integers(n))
    labels[first], labels[(first + 1 + int(rng.integers(n - 1))) % n] = 0, 1  # both classes, always
    return labels


def _auc_case(rng: np.random.Generator) -> Case:
    n = int(rng.integers(2, 40))
    if rng.random() < 0.5:  # a coarse grid: many ties across the classes
        scores = rng.integers(0, int(rng.integers(2, 6)), size=n) / 4
    else:
        scores = np.round(rng.random(n), 3)
    return {"y_true": _binary_labels(rng, n), "y_score": scores}


def _auc_large(rng: np.random.Generator, n: int) -> Case:
    return {"y_true": _binary_labels(rng, n), "y_score": rng.random(n)}


def _both_classes(case: Case) -> bool:
    labels = np.asarray(case["y_true"])
    return bool((labels == 1).any() and (labels == 0).any())


_AUC_SOLUTION = '''\
import numpy as np


def roc_auc(y_true, y_score):
    """ROC AUC as the Mann-Whitney statistic: the share of (positive, negative) pairs in the right
    order, a tie counting one half. One sort: O(n log n)."""
    y_true = np.asarray(y_true)
    y_score = np.asarray(y_score, dtype=float)
    n = len(y_score)
    order = np.argsort(y_score, kind="stable")
    sorted_scores = y_score[order]
    # Each group of equal scores occupies ranks start+1 .. end; all of them get the average.
    starts = np.flatnonzero(np.r_[True, sorted_scores[1:] != sorted_scores[:-1]])
    ends = np.r_[starts[1:], n]
    ranks = np.empty(n)
    ranks[order] = np.repeat((starts + 1 + ends) / 2, ends - starts)
    positive = y_true == 1
    n_pos = int(positive.sum())
    n_neg = n - n_pos
    u = ranks[positive].sum() - n_pos * (n_pos + 1) / 2
    return float(u / (n_pos * n_neg))
'''

AUC = Drill(
    name="auc",
    topic="auc-roc",
    title="ROC AUC in O(n log n), ties counting 1/2",
    function="roc_auc",
    params=("y_true", "y_score"),
    reference=roc_auc,
    edge_cases=(
        {"y_true": _labels(0, 1), "y_score": _scores(0.5, 0.5)},
        {"y_true": _labels(0, 0, 1, 1), "y_score": _scores(0.1, 0.4, 0.35, 0.8)},
        {"y_true": _labels(1, 1, 0, 0), "y_score": _scores(0.9, 0.8, 0.2, 0.1)},
        {"y_true": _labels(1, 1, 0, 0), "y_score": _scores(0.1, 0.2, 0.8, 0.9)},
        {"y_true": _labels(0, 1, 0, 1, 0), "y_score": _scores(0.3, 0.3, 0.3, 0.7, 0.7)},
        {"y_true": _labels(0, 0, 0, 0, 1), "y_score": _scores(2.0, -1.0, 5.0, 5.0, 5.0)},
    ),
    generate=_auc_case,
    solution=_AUC_SOLUTION,
    rows=("y_true", "y_score"),
    valid=_both_classes,
    complexity=Complexity(*N_LOG_N, make=_auc_large, required=True),  # the task says O(n log n)
)


# --- precision, recall, F1 ------------------------------------------------------------------------


def _prf_case(rng: np.random.Generator) -> Case:
    n = int(rng.integers(1, 30))
    rate = rng.uniform(0.1, 0.9)
    y_true = (rng.random(n) < rate).astype(np.int64)
    flip = rng.random(n) < rng.uniform(0.0, 0.6)
    return {"y_true": y_true, "y_pred": np.where(flip, 1 - y_true, y_true)}


def _binary_prf(y_true: object, y_pred: object) -> tuple[float, float, float]:
    return precision_recall_fscore(y_true, y_pred, average="binary", pos_label=1)


_PRF_SOLUTION = '''\
import numpy as np


def precision_recall_f1(y_true, y_pred):
    """Precision, recall and F1 of the positive class 1; a ratio with nothing to count is 0."""
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    tp = int(np.sum((y_pred == 1) & (y_true == 1)))
    predicted = int(np.sum(y_pred == 1))
    actual = int(np.sum(y_true == 1))
    precision = tp / predicted if predicted else 0.0
    recall = tp / actual if actual else 0.0
    # the harmonic mean, 2PR / (P + R), written with counts so that 0/0 cannot happen
    f1 = 2 * tp / (predicted + actual) if predicted + actual else 0.0
    return precision, recall, f1
'''

PRF = Drill(
    name="precision-recall-f1",
    topic="precision-recall-f1",
    title="Precision, recall and F1 of a binary classifier",
    function="precision_recall_f1",
    params=("y_true", "y_pred"),
    reference=_binary_prf,
    edge_cases=(
        {"y_true": _labels(0, 1, 1, 0), "y_pred": _labels(0, 1, 0, 1)},
        {"y_true": _labels(1, 1, 0), "y_pred": _labels(0, 0, 0)},  # nothing predicted positive
        {"y_true": _labels(0, 0, 0), "y_pred": _labels(1, 0, 1)},  # no positives at all
        {"y_true": _labels(0, 0), "y_pred": _labels(0, 0)},
        {"y_true": _labels(1, 0, 1, 1, 0, 1), "y_pred": _labels(1, 1, 1, 0, 0, 1)},
    ),
    generate=_prf_case,
    solution=_PRF_SOLUTION,
    rows=("y_true", "y_pred"),
)


def _macro_case(rng: np.random.Generator) -> Case:
    n = int(rng.integers(1, 30))
    k = int(rng.integers(2, 6))
    y_true = rng.integers(0, k, size=n)
    wrong = rng.random(n) < rng.uniform(0.1, 0.7)
    return {"y_true": y_true, "y_pred": np.where(wrong, rng.integers(0, k + 1, size=n), y_true)}


def _macro_large(rng: np.random.Generator, n: int) -> Case:
    y_true = rng.integers(0, 5, size=n)
    return {"y_true": y_true, "y_pred": np.where(rng.random(n) < 0.3, rng.integers(0, 5, size=n), y_true)}


def _macro_f1(y_true: object, y_pred: object) -> float:
    return precision_recall_fscore(y_true, y_pred, average="macro")[2]


_MACRO_SOLUTION = '''\
import numpy as np


def macro_f1(y_true, y_pred):
    """The unweighted mean of the per-class F1 over every label in y_true or y_pred."""
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    scores = []
    for label in np.union1d(y_true, y_pred):
        tp = np.sum((y_pred == label) & (y_true == label))
        predicted = np.sum(y_pred == label)
        actual = np.sum(y_true == label)
        scores.append(2 * tp / (predicted + actual))  # F1 = 2TP / (2TP + FP + FN); never 0/0 here
    return float(np.mean(scores))
'''

MACRO_F1 = Drill(
    name="macro-f1",
    topic="precision-recall-f1",
    title="Macro-averaged F1 over several classes",
    function="macro_f1",
    params=("y_true", "y_pred"),
    reference=_macro_f1,
    edge_cases=(
        {"y_true": _labels(0, 1, 2, 2), "y_pred": _labels(0, 2, 2, 2)},
        {"y_true": _labels(0, 0, 1, 1), "y_pred": _labels(0, 0, 1, 2)},  # a label only in y_pred
        {"y_true": _labels(3, 3, 3), "y_pred": _labels(3, 3, 3)},
        {"y_true": _labels(0, 1, 2), "y_pred": _labels(1, 2, 0)},
        {"y_true": _labels(0, 0, 0, 0, 1), "y_pred": _labels(0, 0, 0, 0, 0)},
    ),
    generate=_macro_case,
    solution=_MACRO_SOLUTION,
    rows=("y_true", "y_pred"),
    complexity=Complexity(*N_LOG_N, make=_macro_large),
)

DRILLS = (AUC, PRF, MACRO_F1)
