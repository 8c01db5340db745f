"""Precision, recall and F-beta (binary, micro, macro, weighted), and their problem generator.

A ratio whose denominator is zero is 0, as in scikit-learn with ``zero_division=0.0``. F-beta is
computed from the counts, ``(1 + b^2) TP / ((1 + b^2) TP + b^2 FN + FP)``, which is the weighted
harmonic mean of precision and recall whenever both are defined.

Precision depends on the prevalence, recall and the false-positive rate do not:
``precision = TPR pi / (TPR pi + FPR (1 - pi))`` (Bayes' rule) gives it at any prevalence ``pi``.
"""

from __future__ import annotations

import math

import numpy as np

from ._format import fmt, fmt_vector, md_table, precision_note
from ._validate import as_labels, check_count, check_number
from .answers import Tolerance
from .problem import Draft, Solver, pick

__all__ = ["AVERAGES", "SOLVERS", "precision_at_prevalence", "precision_recall_fscore", "prf_from_counts"]

AVERAGES = ("binary", "micro", "macro", "weighted")


def _divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Element-wise ratio with 0 where the denominator is 0."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    safe = np.where(denominator == 0, 1.0, denominator)
    return np.where(denominator == 0, 0.0, numerator / safe)


def _scores(tp: np.ndarray, pred: np.ndarray, true: np.ndarray, beta: float) -> tuple[np.ndarray, ...]:
    """Per-label precision, recall and F-beta from TP, predicted and true counts."""
    precision = _divide(tp, pred)
    recall = _divide(tp, true)
    if math.isinf(beta):
        return precision, recall, recall
    if beta == 0:
        return precision, recall, precision
    beta2 = beta**2
    return precision, recall, _divide((1 + beta2) * tp, beta2 * true + pred)


def prf_from_counts(tp: int, fp: int, fn: int, *, beta: float = 1.0) -> tuple[float, float, float]:
    """Precision, recall and F-beta of one class from its confusion counts.

    Examples
    --------
    >>> p, r, f = prf_from_counts(30, 5, 20)
    >>> round(p, 3), r, round(f, 3)
    (0.857, 0.6, 0.706)
    """
    tp = check_count("tp", tp)
    fp = check_count("fp", fp)
    fn = check_count("fn", fn)
    beta = check_number("beta", beta, low=0.0, allow_inf=True)
    p, r, f = _scores(np.array([tp]), np.array([tp + fp]), np.array([tp + fn]), beta)
    return float(p[0]), float(r[0]), float(f[0])


def _per_label_counts(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, ...]:
    """Labels present in either array, with TP, predicted and true counts for each."""
    labels, codes = np.unique(np.concatenate([y_true, y_pred]), return_inverse=True)
    true_codes, pred_codes = codes[: y_true.size], codes[y_true.size :]
    k = labels.size
    true = np.bincount(true_codes, minlength=k)
    pred = np.bincount(pred_codes, minlength=k)
    tp = np.bincount(true_codes[true_codes == pred_codes], minlength=k)
    return labels, tp, pred, true


def _check_label_kinds(y_true: np.ndarray, y_pred: np.ndarray) -> None:
    text_true, text_pred = y_true.dtype.kind in "US", y_pred.dtype.kind in "US"
    if text_true != text_pred:
        raise ValueError(
            f"y_true and y_pred mix label types: {y_true.dtype} and {y_pred.dtype}; use all numbers or all strings"
        )


def precision_recall_fscore(
    y_true: object,
    y_pred: object,
    *,
    beta: float = 1.0,
    average: str = "binary",
    pos_label: object = 1,
) -> tuple[float, float, float]:
    """Precision, recall and F-beta score of a classification.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels (integers, booleans or strings).
    beta : float, default=1.0
        Weight of recall in the F-score (0 gives precision, ``inf`` gives recall).
    average : {"binary", "micro", "macro", "weighted"}, default="binary"
        ``binary`` scores the ``pos_label`` class only (at most two labels allowed); ``micro``
        pools the counts of all labels; ``macro`` averages the per-label scores; ``weighted``
        averages them weighted by each label's number of true samples.
    pos_label : int or str, default=1
        The positive class for ``average="binary"``; ignored otherwise.

    Returns
    -------
    (precision, recall, fscore) : tuple of float
        Equal to ``sklearn.metrics.precision_recall_fscore_support(..., zero_division=0.0)[:3]``.

    Examples
    --------
    >>> precision_recall_fscore([0, 1, 1, 0], [0, 1, 0, 1])
    (0.5, 0.5, 0.5)
    >>> precision_recall_fscore([0, 1, 2, 2], [0, 2, 2, 2], average="micro")
    (0.75, 0.75, 0.75)
    """
    true_labels = as_labels("y_true", y_true)
    pred_labels = as_labels("y_pred", y_pred)
    if true_labels.shape != pred_labels.shape:
        raise ValueError(f"y_true and y_pred must have the same shape, got {true_labels.shape} and {pred_labels.shape}")
    _check_label_kinds(true_labels, pred_labels)
    beta = check_number("beta", beta, low=0.0, allow_inf=True)
    if average not in AVERAGES:
        raise ValueError(f"average must be one of {AVERAGES}, got {average!r}")

    labels, tp, pred, true = _per_label_counts(true_labels, pred_labels)
    if average == "binary":
        if labels.size > 2:
            raise ValueError(
                f"average='binary' needs at most two labels, got {labels.size}: {labels.tolist()[:10]}; "
                "use 'micro', 'macro' or 'weighted'"
            )
        is_pos = labels == pos_label
        if not is_pos.any():
            if labels.size == 2:
                raise ValueError(f"pos_label={pos_label!r} is not one of the labels {labels.tolist()}")
            return 0.0, 0.0, 0.0  # the positive class never occurs: every ratio is 0/0
        tp, pred, true = tp[is_pos], pred[is_pos], true[is_pos]
    elif average == "micro":
        tp, pred, true = tp.sum(keepdims=True), pred.sum(keepdims=True), true.sum(keepdims=True)

    precision, recall, fscore = _scores(tp, pred, true, beta)
    weights = true if average == "weighted" else None
    p, r, f = (float(np.average(s, weights=weights)) for s in (precision, recall, fscore))
    return p, r, f


# --- generator -------------------------------------------------------------------------------

_NAMES = {"precision": "the precision", "recall": "the recall"}


def _f_name(beta: float) -> str:
    return "$F_1$" if beta == 1 else f"$F_{{{fmt(beta)}}}$"


_TP, _FP, _FN, _TN = (f"\\mathrm{{{name}}}" for name in ("TP", "FP", "FN", "TN"))  # upright, not T times P


def _counts_solution(
    tp: int, fp: int, fn: int, beta: float, p: float, r: float, f: float, ask: str = "all"
) -> str:
    """The worked answer, showing only what ``ask`` needs ("precision", "recall", or all three for "f"/"all")."""
    b2 = beta**2
    lines = []
    if ask != "recall":
        lines.append(f"$$P = \\frac{{{_TP}}}{{{_TP} + {_FP}}} = \\frac{{{tp}}}{{{tp + fp}}} = {fmt(p, 4)}$$")
    if ask != "precision":
        lines.append(f"$$R = \\frac{{{_TP}}}{{{_TP} + {_FN}}} = \\frac{{{tp}}}{{{tp + fn}}} = {fmt(r, 4)}$$")
    if ask in ("f", "all"):
        lines.append(
            f"$$F_{{\\beta}} = \\frac{{(1 + \\beta^2) P R}}{{\\beta^2 P + R}} = "
            f"\\frac{{(1 + \\beta^2) {_TP}}}{{(1 + \\beta^2) {_TP} + \\beta^2 {_FN} + {_FP}}} = "
            f"\\frac{{{fmt(1 + b2)} \\cdot {tp}}}{{{fmt(1 + b2)} \\cdot {tp} + {fmt(b2)} \\cdot {fn} + {fp}}} = "
            f"{fmt(f, 4)}$$ with $\\beta = {fmt(beta)}$."
        )
    return "\n\n".join(lines)


def _question(ask: str, beta: float, prefix: str = "") -> tuple[str, int]:
    if ask == "all":
        return f"Compute the {prefix}precision, recall and {_f_name(beta)} score as a vector [P, R, F].", 3
    if ask == "f":
        return f"Compute the {prefix}{_f_name(beta)} score.", 1
    return f"Compute the {prefix}{ask}.", 1


def _answer(ask: str, p: float, r: float, f: float) -> float | list[float]:
    return {"precision": p, "recall": r, "f": f, "all": [p, r, f]}[ask]


def _build_counts(rng: np.random.Generator) -> Draft:
    tp = int(rng.integers(5, 61))
    fp, fn, tn = (int(v) for v in rng.integers(0, 31, size=3))
    beta = pick(rng, [1.0, 1.0, 0.5, 2.0])
    ask = pick(rng, ["precision", "recall", "f", "all"] if beta == 1 else ["f"])
    p, r, f = prf_from_counts(tp, fp, fn, beta=beta)
    question, length = _question(ask, beta)
    prompt = (
        f"A binary classifier's confusion counts on a test set are ${_TP} = {tp}$, ${_FP} = {fp}$, "
        f"${_FN} = {fn}$ and ${_TN} = {tn}$.\n\n{question} {precision_note(3, length=length)}"
    )
    params = {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "beta": beta, "average": "binary", "ask": ask}
    solution = _counts_solution(tp, fp, fn, beta, p, r, f, ask)
    return Draft(prompt, params, _answer(ask, p, r, f), Tolerance(sig_figs=3), solution)


def _labels_table(y_true: np.ndarray, y_pred: np.ndarray) -> str:
    headers = ["example"] + [str(i + 1) for i in range(y_true.size)]
    return md_table(headers, [["true"] + y_true.tolist(), ["predicted"] + y_pred.tolist()])


def _build_binary_lists(rng: np.random.Generator) -> Draft:
    n = int(rng.integers(10, 15))
    y_true = rng.integers(0, 2, size=n)
    y_true[:2] = [0, 1]
    flip = rng.random(n) < 0.3
    y_pred = np.where(flip, 1 - y_true, y_true)
    y_pred[int(np.flatnonzero(y_true == 1)[0])] = 1  # at least one true positive
    beta = pick(rng, [1.0, 1.0, 2.0])
    ask = pick(rng, ["precision", "recall", "f", "all"] if beta == 1 else ["f"])
    tp = int(np.sum((y_true == 1) & (y_pred == 1)))
    fp = int(np.sum((y_true == 0) & (y_pred == 1)))
    fn = int(np.sum((y_true == 1) & (y_pred == 0)))
    p, r, f = prf_from_counts(tp, fp, fn, beta=beta)
    question, length = _question(ask, beta)
    prompt = (
        f"True and predicted labels of {n} examples (1 is the positive class):\n\n{_labels_table(y_true, y_pred)}\n\n"
        f"{question} {precision_note(3, length=length)}"
    )
    solution = f"Counting: ${_TP} = {tp}$, ${_FP} = {fp}$, ${_FN} = {fn}$.\n\n" + _counts_solution(
        tp, fp, fn, beta, p, r, f, ask
    )
    params = {"y_true": y_true.tolist(), "y_pred": y_pred.tolist(), "beta": beta, "average": "binary", "ask": ask}
    return Draft(prompt, params, _answer(ask, p, r, f), Tolerance(sig_figs=3), solution)


_METRIC = {
    "precision": ("precision", "precisions"),
    "recall": ("recall", "recalls"),
    "f": ("$F_1$ score", "$F_1$ scores"),
}
_SYMBOL = {"precision": "P", "recall": "R", "f": "F_1"}


def _never_predicted(y_true: np.ndarray, y_pred: np.ndarray) -> list[int]:
    """Classes present in ``y_true`` but never predicted: their precision is 0/0."""
    return sorted(set(y_true.tolist()) - set(y_pred.tolist()))


def _zero_division_note(classes: list[int]) -> str:
    which = " and ".join(str(c) for c in classes)
    verb = "is" if len(classes) == 1 else "are"
    return (
        f"Class {which} {verb} never predicted, so its precision is $0/0$ (undefined); count every $0/0$ as 0, "
        "as scikit-learn does with `zero_division=0`."
    )


def _multiclass_question(average: str, ask: str) -> str:
    name, plural = _METRIC[ask]
    if average == "micro":
        return (
            f"Compute the micro-averaged {name}: pool TP, FP and FN over the three classes (each class versus the "
            f"rest) and compute it from the totals, as scikit-learn's `average='micro'`."
        )
    if average == "macro":
        return (
            f"Compute the macro-averaged {name}: the unweighted mean of the three per-class {plural} (each class "
            "versus the rest), as scikit-learn's `average='macro'`."
        )
    return (
        f"Compute the weighted-average {name}: the mean of the three per-class {plural} (each class versus the "
        "rest) weighted by support, the number of true examples of each class, as scikit-learn's "
        "`average='weighted'`."
    )


def _multiclass_solution(
    y_true: np.ndarray, y_pred: np.ndarray, average: str, ask: str, p: float, r: float, f: float
) -> str:
    labels, tp, pred, true = _per_label_counts(y_true, y_pred)
    pc, rc, fc = _scores(tp, pred, true, 1.0)
    rows = [
        (int(lab), int(t), int(pr - t), int(tr - t), int(tr), *(round(float(v), 4) for v in (a, b, c)))
        for lab, t, pr, tr, a, b, c in zip(labels, tp, pred, true, pc, rc, fc)
    ]
    table = md_table(["class", "TP", "FP", "FN", "support", "P", "R", "F1"], rows)
    symbol = _SYMBOL[ask]
    per_class = {"precision": pc, "recall": rc, "f": fc}[ask]
    value = {"precision": p, "recall": r, "f": f}[ask]
    if average == "micro":
        how = (
            f"Micro averaging pools the counts: ${_TP} = {int(tp.sum())}$, ${_FP} = {int((pred - tp).sum())}$, "
            f"${_FN} = {int((true - tp).sum())}$, so $P = R = F_1 = {fmt(p, 4)}$ (the accuracy)."
        )
    elif average == "macro":
        terms = " + ".join(fmt(float(v), 4) for v in per_class)
        how = (
            f"Macro averaging takes the unweighted mean over the {labels.size} classes:\n\n"
            f"$${symbol} = \\frac{{{terms}}}{{{labels.size}}} = {fmt(value, 4)}$$"
        )
    else:
        terms = " + ".join(f"{int(t)} \\cdot {fmt(float(v), 4)}" for t, v in zip(true, per_class))
        how = (
            f"Weighted averaging weights each class by its support (true count) {fmt_vector(true)}:\n\n"
            f"$${symbol} = \\frac{{{terms}}}{{{int(true.sum())}}} = {fmt(value, 4)}$$"
        )
    missing = _never_predicted(y_true, y_pred)
    note = f"\n\n{_zero_division_note(missing)}" if missing and average != "micro" and ask != "recall" else ""
    return f"Per class (one versus the rest):\n\n{table}{note}\n\n{how}"


def _build_multiclass(rng: np.random.Generator) -> Draft:
    n = int(rng.integers(12, 17))
    y_true = rng.integers(0, 3, size=n)
    y_true[:3] = [0, 1, 2]
    wrong = rng.random(n) < 0.35
    y_pred = np.where(wrong, (y_true + rng.integers(1, 3, size=n)) % 3, y_true)
    average = pick(rng, ["macro", "micro", "weighted"])
    ask = pick(rng, ["precision", "recall", "f"]) if average != "micro" else "f"
    p, r, f = precision_recall_fscore(y_true, y_pred, average=average)
    question = _multiclass_question(average, ask)
    missing = _never_predicted(y_true, y_pred)
    if missing and average != "micro" and ask != "recall":  # only then can a 0/0 enter the answer
        question += " " + _zero_division_note(missing)
    prompt = (
        f"True and predicted labels of {n} examples from classes 0, 1 and 2:\n\n{_labels_table(y_true, y_pred)}\n\n"
        f"{question} {precision_note(3)}"
    )
    params = {"y_true": y_true.tolist(), "y_pred": y_pred.tolist(), "beta": 1.0, "average": average, "ask": ask}
    solution = _multiclass_solution(y_true, y_pred, average, ask, p, r, f)
    return Draft(prompt, params, _answer(ask, p, r, f), Tolerance(sig_figs=3), solution)


def _build(rng: np.random.Generator, difficulty: int) -> Draft:
    return {1: _build_counts, 2: _build_binary_lists, 3: _build_multiclass}[difficulty](rng)


def precision_at_prevalence(tpr: float, fpr: float, prevalence: float) -> float:
    """Precision of a classifier with the given TPR (recall) and FPR on data with this share of positives.

    ``TPR pi / (TPR pi + FPR (1 - pi))``; 0 when nothing is predicted positive (zero_division=0).

    >>> round(precision_at_prevalence(0.9, 0.05, 0.01), 4)
    0.1538
    """
    tpr = check_number("tpr", tpr, low=0.0, high=1.0)
    fpr = check_number("fpr", fpr, low=0.0, high=1.0)
    prevalence = check_number("prevalence", prevalence, low=0.0, high=1.0)
    flagged = tpr * prevalence + fpr * (1 - prevalence)
    return 0.0 if flagged == 0 else tpr * prevalence / flagged


def _percent(x: float) -> str:
    return fmt(round(100 * x, 10)) + "%"


def _build_prevalence(rng: np.random.Generator, difficulty: int) -> Draft:
    """Difficulty 1: precision from TPR, FPR and the prevalence; 2: the FPR a target precision needs;
    3: precision at deployment from a validation confusion matrix at another prevalence."""
    formula = "$$P = \\frac{\\text{TPR} \\cdot \\pi}{\\text{TPR} \\cdot \\pi + \\text{FPR} \\cdot (1 - \\pi)}$$"
    if difficulty == 1:
        tpr = pick(rng, [0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95])
        fpr = pick(rng, [0.01, 0.02, 0.05, 0.1, 0.2])
        pi = pick(rng, [0.001, 0.01, 0.02, 0.05, 0.1, 0.2])
        answer = precision_at_prevalence(tpr, fpr, pi)
        prompt = (
            f"A screening test has recall (TPR) {fmt(tpr)} and false-positive rate {fmt(fpr)}. In a population "
            f"where {_percent(pi)} are positive ($\\pi = {fmt(pi)}$), what is its precision? " + precision_note(3)
        )
        lines = [
            "Bayes' rule over one person drawn from the population: of all who test positive, the share truly "
            "positive is", formula,
            f"$$P = \\frac{{{fmt(tpr)} \\cdot {fmt(pi)}}}{{{fmt(tpr)} \\cdot {fmt(pi)} + {fmt(fpr)} \\cdot "
            f"{fmt(1 - pi)}}} = {fmt(answer, 6)}$$",
            "Recall and FPR are rates within one class; precision also depends on $\\pi$, so quote it at the "
            "prevalence where the model will be used."
            + (" Here the negatives' false alarms outnumber the true hits, although the FPR looks low." if answer < 0.5 else ""),
        ]
        params = {"ask": "precision", "tpr": tpr, "fpr": fpr, "prevalence": pi}
    elif difficulty == 2:
        tpr = pick(rng, [0.6, 0.7, 0.8, 0.9])
        target = pick(rng, [0.5, 0.75, 0.8, 0.9])
        pi = pick(rng, [0.005, 0.01, 0.02, 0.05, 0.1])
        answer = tpr * pi * (1 - target) / (target * (1 - pi))
        prompt = (
            f"A fraud model catches a fraction {fmt(tpr)} of fraud (recall). Fraud is {_percent(pi)} of transactions "
            f"($\\pi = {fmt(pi)}$). What false-positive rate must the model not exceed for its precision to reach "
            f"{fmt(target)}? " + precision_note(3)
        )
        lines = [
            formula,
            "Solve for the FPR at precision $P$:",
            "$$\\text{FPR} = \\frac{\\text{TPR} \\cdot \\pi \\cdot (1 - P)}{P \\cdot (1 - \\pi)} = "
            f"\\frac{{{fmt(tpr)} \\cdot {fmt(pi)} \\cdot {fmt(1 - target)}}}{{{fmt(target)} \\cdot {fmt(1 - pi)}}} = "
            f"{fmt(answer, 6)}$$",
            "The rarer the positives, the smaller the FPR a given precision demands: this is why rare-event "
            "detectors are judged at very low FPR (the left edge of the ROC curve).",
        ]
        params = {"ask": "fpr", "tpr": tpr, "target_precision": target, "prevalence": pi}
    else:
        n_pos = int(rng.integers(5, 21)) * 10
        n_neg = int(rng.integers(4, 13)) * 100
        tp = int(rng.integers(n_pos // 2, n_pos))
        fp = int(rng.integers(1, n_neg // 10))
        pi = pick(rng, [0.001, 0.002, 0.005, 0.01])
        tpr, fpr = tp / n_pos, fp / n_neg
        answer = precision_at_prevalence(tpr, fpr, pi)
        table = md_table(["", "predicted positive", "predicted negative"],
                         [("actual positive", tp, n_pos - tp), ("actual negative", fp, n_neg - fp)])
        val_precision = tp / (tp + fp)
        prompt = (
            f"On a validation set with {n_pos} positives and {n_neg} negatives a model's confusion matrix is\n\n"
            f"{table}\n\nIn deployment only {_percent(pi)} of cases are positive ($\\pi = {fmt(pi)}$), and the "
            "model behaves the same way within each class. What precision should you expect in deployment? "
            + precision_note(3)
        )
        lines = [
            f"Validation precision is $\\frac{{{tp}}}{{{tp + fp}}} = {fmt(val_precision, 4)}$, but it is tied to the "
            f"validation prevalence ${fmt(n_pos / (n_pos + n_neg), 4)}$. The rates within each class carry over: "
            f"$\\text{{TPR}} = \\frac{{{tp}}}{{{n_pos}}} = {fmt(tpr, 6)}$, "
            f"$\\text{{FPR}} = \\frac{{{fp}}}{{{n_neg}}} = {fmt(fpr, 6)}$.",
            formula,
            f"$$P = \\frac{{{fmt(tpr, 6)} \\cdot {fmt(pi)}}}{{{fmt(tpr, 6)} \\cdot {fmt(pi)} + {fmt(fpr, 6)} \\cdot "
            f"{fmt(1 - pi)}}} = {fmt(answer, 6)}$$",
        ]
        params = {"ask": "deployment", "tp": tp, "fn": n_pos - tp, "fp": fp, "tn": n_neg - fp, "prevalence": pi}
    return Draft(prompt, params, answer, Tolerance(sig_figs=3), "\n\n".join(lines))


SOLVERS = (
    Solver("prf", "precision-recall-f1", "Precision, recall and F-beta", _build),
    Solver("prevalence-precision", "precision-recall-f1", "Precision at another prevalence", _build_prevalence),
)
