"""ROC AUC by the rank (Mann-Whitney) formula, and its problem generator.

``AUC = (R_+ - n_+ (n_+ + 1) / 2) / (n_+ n_-)`` where ``R_+`` is the sum of the positives' ranks
among all scores, tied scores sharing their average rank: the fraction of (positive, negative)
pairs the scores put in the right order, a tie counting one half.

Also the ROC points themselves, and a generator for the cost-optimal threshold among them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._format import fmt, md_table, precision_note
from ._validate import as_float_array, as_labels
from .answers import Tolerance
from .problem import Draft, Solver, pick

__all__ = ["SOLVERS", "RocPoints", "average_ranks", "mann_whitney_u", "roc_auc", "roc_points"]


def average_ranks(values: object) -> np.ndarray:
    """1-based ranks of ``values``, tied values sharing the average of their ranks.

    >>> average_ranks([0.1, 0.4, 0.4, 0.8]).tolist()
    [1.0, 2.5, 2.5, 4.0]
    """
    x = as_float_array("values", values, ndims=(1,))
    order = np.argsort(x, kind="stable")
    sorted_x = x[order]
    starts = np.flatnonzero(np.concatenate(([True], sorted_x[1:] != sorted_x[:-1])))
    sizes = np.diff(np.append(starts, x.size))
    ranks = np.empty(x.size)
    ranks[order] = np.repeat(starts + (sizes + 1) / 2, sizes)
    return ranks


def _split_scores(y_true: object, y_score: object) -> tuple[np.ndarray, np.ndarray]:
    """Validated (all scores, positive mask); the larger of the two labels is positive."""
    labels = as_labels("y_true", y_true)
    scores = as_float_array("y_score", y_score, ndims=(1,))
    if labels.shape != scores.shape:
        raise ValueError(f"y_true and y_score must have the same shape, got {labels.shape} and {scores.shape}")
    if labels.dtype.kind in "biu":  # min/max is a linear pass; np.unique would sort
        positive = labels == labels.max()
        if positive.all() or not (positive | (labels == labels.min())).all():
            _raise_not_binary(labels)
        return scores, positive
    classes = np.unique(labels)
    if classes.size != 2:
        _raise_not_binary(labels)
    return scores, labels == classes[1]


def _raise_not_binary(labels: np.ndarray) -> None:
    classes = np.unique(labels)
    raise ValueError(f"y_true must contain exactly two classes, got {classes.size}: {classes.tolist()[:10]}")


def _twice_u(scores: np.ndarray, positive: np.ndarray) -> tuple[int, int, int]:
    """``2U`` as an exact integer, with the class sizes.

    A positive at sorted positions [lo, hi) has average 1-based rank (lo + hi + 1) / 2, so twice
    the rank sum is an integer and the only rounding is the final division.
    """
    all_sorted = np.sort(scores)
    pos_sorted = np.sort(scores[positive])  # sorted queries keep the binary searches cache-friendly
    n_pos = pos_sorted.size
    n_neg = scores.size - n_pos
    lo = np.searchsorted(all_sorted, pos_sorted, side="left")
    hi = np.searchsorted(all_sorted, pos_sorted, side="right")
    twice_rank_sum = int(lo.sum(dtype=np.int64)) + int(hi.sum(dtype=np.int64)) + n_pos
    return twice_rank_sum - n_pos * (n_pos + 1), n_pos, n_neg


def roc_auc(y_true: object, y_score: object) -> float:
    """Area under the ROC curve from the ranks of the scores (average ranks for ties).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Two distinct labels; the larger one (1 in 0/1 labels) is the positive class.
    y_score : array-like of shape (n_samples,)
        Finite scores, higher meaning more likely positive.

    Returns
    -------
    float
        Equal to ``sklearn.metrics.roc_auc_score(y_true, y_score)``.

    Raises
    ------
    ValueError
        If the shapes differ, a score is not finite or ``y_true`` does not have exactly two classes.

    Examples
    --------
    >>> roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    twice_u, n_pos, n_neg = _twice_u(*_split_scores(y_true, y_score))
    return twice_u / (2 * n_pos * n_neg)


def mann_whitney_u(y_true: object, y_score: object) -> float:
    """The Mann-Whitney U statistic of the positives' scores against the negatives' (ties count 1/2).

    Equal to ``roc_auc(y_true, y_score) * n_pos * n_neg`` and to
    ``scipy.stats.mannwhitneyu(pos, neg).statistic``.

    >>> mann_whitney_u([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    3.0
    """
    return _twice_u(*_split_scores(y_true, y_score))[0] / 2


@dataclass(frozen=True, slots=True)
class RocPoints:
    """The ROC curve at every distinct score, read by name: predicting positive when
    ``score >= thresholds[k]`` gives ``fpr[k]`` and ``tpr[k]``; thresholds descend."""

    thresholds: np.ndarray
    fpr: np.ndarray
    tpr: np.ndarray


def roc_points(y_true: object, y_score: object) -> RocPoints:
    """ROC points at each distinct score, highest threshold first (the larger label is positive).

    Equal to ``sklearn.metrics.roc_curve(y_true, y_score, drop_intermediate=False)`` without its
    first point (threshold infinity, where nothing is predicted positive).

    >>> r = roc_points([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> r.thresholds.tolist(), r.fpr.tolist(), r.tpr.tolist()
    ([0.8, 0.4, 0.35, 0.1], [0.0, 0.5, 0.5, 1.0], [0.5, 0.5, 1.0, 1.0])
    """
    scores, positive = _split_scores(y_true, y_score)
    thresholds = np.unique(scores)[::-1]
    # count of scores >= t for each t, by binary search in the sorted scores of each class
    pos_sorted, neg_sorted = np.sort(scores[positive]), np.sort(scores[~positive])
    tp = pos_sorted.size - np.searchsorted(pos_sorted, thresholds, side="left")
    fp = neg_sorted.size - np.searchsorted(neg_sorted, thresholds, side="left")
    return RocPoints(thresholds=thresholds, fpr=fp / neg_sorted.size, tpr=tp / pos_sorted.size)


# --- generator -------------------------------------------------------------------------------


def _draw_labels(rng: np.random.Generator, n: int) -> np.ndarray:
    n_pos = int(rng.integers(1, n))  # _informative rejects fewer than two of a class
    labels = np.zeros(n, dtype=np.int64)
    labels[rng.choice(n, size=n_pos, replace=False)] = 1
    return labels


def _draw_scores(rng: np.random.Generator, n: int, difficulty: int) -> np.ndarray:
    if difficulty == 1:  # distinct scores on a 0.01 grid
        return rng.choice(np.arange(1, 100), size=n, replace=False) / 100
    top = 10 if difficulty == 2 else 7
    scores = rng.integers(1, top, size=n) / 10
    if len(set(scores.tolist())) == n:  # make sure there is a tie to handle
        scores[1] = scores[0]
    return scores


def _informative(labels: np.ndarray, scores: np.ndarray) -> bool:
    """At least two examples of each class (with one, AUC is a rank lookup) and an AUC strictly between
    0 and 1 (no perfect or reversed ranking)."""
    n_pos = int(labels.sum())
    if n_pos < 2 or labels.size - n_pos < 2:
        return False
    twice_u, n_pos, n_neg = _twice_u(scores, labels == 1)
    return 0 < twice_u < 2 * n_pos * n_neg


def _build(rng: np.random.Generator, difficulty: int) -> Draft:
    n = int(rng.integers(*{1: (4, 6), 2: (6, 9), 3: (9, 13)}[difficulty]))
    while True:  # redraw degenerate instances (a lone positive or negative, or every pair ordered the same way)
        labels = _draw_labels(rng, n)
        scores = _draw_scores(rng, n, difficulty)
        if _informative(labels, scores):
            break
    ask_u = difficulty > 1 and rng.random() < 0.4
    twice_u, n_pos, n_neg = _twice_u(scores, labels == 1)
    auc = twice_u / (2 * n_pos * n_neg)
    u = twice_u / 2

    label_list, score_list = labels.tolist(), scores.tolist()  # plain Python: faster to format
    rows = [(i + 1, y, s) for i, (y, s) in enumerate(zip(label_list, score_list))]
    table = md_table(["example", "label", "score"], rows)
    intro = f"A classifier gives these scores to {n} examples (label 1 is the positive class):\n\n{table}\n\n"
    if ask_u:
        question = (
            "Compute the Mann-Whitney $U$ statistic of the positives against the negatives: the number "
            "of (positive, negative) pairs in which the positive has the higher score, a tie counting 1/2. "
            + precision_note(None)
        )
        answer, tolerance = u, Tolerance(abs=0.0)
    else:
        question = "Compute the ROC AUC (a tie in score counts as half a correctly ordered pair). " + precision_note(3)
        answer, tolerance = auc, Tolerance(sig_figs=3)

    ranks = average_ranks(scores).tolist()
    order = sorted(range(n), key=score_list.__getitem__)  # stable: the rank table's row order
    rank_table = md_table(["score", "label", "rank"], [(score_list[i], label_list[i], ranks[i]) for i in order])
    pos_ranks = [ranks[i] for i in order if label_list[i] == 1]  # in the table's order
    r_pos = sum(pos_ranks)
    offset = n_pos * (n_pos + 1) / 2
    rank_sum = " + ".join(fmt(r) for r in pos_ranks)
    rank_sum += f" = {fmt(r_pos)}" if n_pos > 1 else ""  # one positive: its rank is the sum
    lines = [
        "Sort by score; tied scores share the average of their ranks:\n\n" + rank_table,
        f"Sum of the positives' ranks (top to bottom in the table): $R_+ = {rank_sum}$, "
        f"with $n_+ = {n_pos}$ and $n_- = {n_neg}$.",
        f"$$U = R_+ - \\frac{{n_+ (n_+ + 1)}}{{2}} = {fmt(r_pos)} - {fmt(offset)} = {fmt(u)}$$",
    ]
    if ask_u:
        lines.append(
            f"$U$ counts the correctly ordered (positive, negative) pairs out of $n_+ n_- = {n_pos * n_neg}$, "
            f"ties counting 1/2.\n\n**Answer:** $U = {fmt(u)}$"
        )
    else:
        lines.append(
            f"$$\\text{{AUC}} = \\frac{{U}}{{n_+ n_-}} = \\frac{{{fmt(u)}}}{{{n_pos * n_neg}}} = {fmt(auc, 4)}$$"
        )
    solution = "\n\n".join(lines)
    params = {"y_true": labels.tolist(), "y_score": scores.tolist(), "ask": "u" if ask_u else "auc"}
    return Draft(intro + question, params, answer, tolerance, solution)


# --- the cost-optimal threshold ------------------------------------------------------------------


def _draw_roc_instance(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    # class sizes whose rates are short decimals (1/4, 1/5, 1/8, 1/10 steps); scores on a 0.1 grid
    n_pos, n_neg = pick(rng, [4, 5, 8]), pick(rng, [5, 8, 10])
    labels = np.array([1] * n_pos + [0] * n_neg)
    means = np.where(labels == 1, 5.5, 4.5)  # overlapping classes: no threshold separates them cleanly
    scores = np.clip(np.round(rng.normal(means, 2.0)), 1, 9) / 10
    return labels, scores


def _build_cost(rng: np.random.Generator, difficulty: int) -> Draft:
    """Difficulty 1: equal costs (fewest errors); 2: unequal costs, the threshold or the cost asked;
    3: unequal costs at a deployment prevalence that differs from the test set's."""
    while True:  # redraw until one threshold is strictly cheapest and the curve has a few points
        labels, scores = _draw_roc_instance(rng)
        roc = roc_points(labels, scores)
        if not 4 <= roc.thresholds.size <= 8:
            continue
        n_pos, n_neg = int(labels.sum()), int((labels == 0).sum())
        c_fp, c_fn = (1, 1) if difficulty == 1 else pick(rng, [(1, 2), (1, 3), (1, 5), (1, 10), (2, 1), (5, 1)])
        pi = pick(rng, [0.02, 0.05, 0.1, 0.3]) if difficulty == 3 else None
        if pi is None:
            costs = c_fp * roc.fpr * n_neg + c_fn * (1 - roc.tpr) * n_pos
        else:
            costs = c_fp * roc.fpr * (1 - pi) + c_fn * (1 - roc.tpr) * pi
        costs = np.round(costs, 10)  # rates on short decimals: rounding only removes float noise
        best = int(np.argmin(costs))
        if (costs == costs[best]).sum() == 1:
            break
    ask = "cost" if difficulty == 2 and rng.random() < 0.5 else "threshold"
    table = md_table(["threshold t", "TPR", "FPR"],
                     [(t, tp, fp) for t, tp, fp in zip(roc.thresholds.tolist(), roc.tpr.tolist(), roc.fpr.tolist())])
    if pi is None:
        setting = (
            f"The test set has {n_pos} positives and {n_neg} negatives. A false positive costs {c_fp} and a false "
            f"negative costs {c_fn}; correct decisions cost nothing."
        )
    else:
        setting = (
            f"It was measured on a test set with {n_pos} positives and {n_neg} negatives, but it will be used where "
            f"a fraction $\\pi = {fmt(pi)}$ of cases are positive (the model behaves the same within each class). "
            f"A false positive costs {c_fp} and a false negative {c_fn}."
        )
    question = {
        "threshold": "Which threshold minimises the " + ("expected cost per case" if pi else "total cost") + "? "
        + precision_note(None),
        "cost": "What is the smallest total cost any of these thresholds achieves? " + precision_note(None),
    }[ask]
    prompt = (
        "A classifier predicts positive when its score is at least $t$. Its ROC points at each candidate "
        f"threshold:\n\n{table}\n\n{setting} {question}"
    )
    if pi is None:
        rule = (
            f"Total cost $= C_{{FP}} \\cdot \\text{{FPR}} \\cdot N + C_{{FN}} \\cdot (1 - \\text{{TPR}}) \\cdot P = "
            f"{c_fp} \\cdot \\text{{FPR}} \\cdot {n_neg} + {c_fn} \\cdot (1 - \\text{{TPR}}) \\cdot {n_pos}$:"
        )
        slope = c_fp * n_neg / (c_fn * n_pos)
        slope_text = f"\\frac{{C_{{FP}} N}}{{C_{{FN}} P}} = \\frac{{{c_fp} \\cdot {n_neg}}}{{{c_fn} \\cdot {n_pos}}}"
    else:
        rule = (
            f"Expected cost per case $= C_{{FP}} \\cdot \\text{{FPR}} \\cdot (1 - \\pi) + C_{{FN}} \\cdot "
            f"(1 - \\text{{TPR}}) \\cdot \\pi = {c_fp} \\cdot \\text{{FPR}} \\cdot {fmt(1 - pi)} + {c_fn} \\cdot "
            f"(1 - \\text{{TPR}}) \\cdot {fmt(pi)}$ (the test set's own class ratio plays no part):"
        )
        slope = c_fp * (1 - pi) / (c_fn * pi)
        slope_text = f"\\frac{{C_{{FP}} (1 - \\pi)}}{{C_{{FN}} \\pi}} = \\frac{{{c_fp} \\cdot {fmt(1 - pi)}}}{{{c_fn} \\cdot {fmt(pi)}}}"
    cost_table = md_table(["threshold t", "cost"], [(t, fmt(c, 6)) for t, c in zip(roc.thresholds.tolist(), costs)])
    best_t = float(roc.thresholds[best])
    lines = [
        rule, cost_table,
        f"The cheapest is $t = {fmt(best_t)}$ with cost {fmt(costs[best], 6)}. Geometrically it is the ROC point "
        f"first touched by an iso-cost line of slope ${slope_text} = {fmt(slope, 4)}$ "
        "swept down from the top-left corner: costly misses make the line flatter and push the choice to a lower "
        "threshold, costly false alarms to a higher one.",
    ]
    answer = best_t if ask == "threshold" else float(costs[best])
    lines.append(f"**Answer:** {fmt(answer)}")
    params = {"ask": ask, "y_true": labels.tolist(), "y_score": scores.tolist(), "c_fp": c_fp, "c_fn": c_fn,
              "prevalence": pi}
    return Draft(prompt, params, answer, Tolerance(abs=0.0), "\n\n".join(lines))


SOLVERS = (
    Solver("auc", "auc-roc", "ROC AUC from ranks", _build),
    Solver("cost-threshold", "auc-roc", "The cost-optimal ROC threshold", _build_cost),
)
