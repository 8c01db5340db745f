"""Class imbalance: balanced class weights and SMOTE arithmetic, with their problem generators.

- Balanced weights: ``n_samples / (n_classes * count_c)`` (scikit-learn's ``"balanced"``).
- SMOTE makes a synthetic point on the segment from a minority point to one of its minority
  neighbours, ``x + gap * (neighbor - x)`` with ``gap`` uniform in [0, 1), and with a float
  ``sampling_strategy`` generates ``int(ratio * n_majority - n_minority)`` points, exactly as
  imbalanced-learn computes it (truncating, in floating point).
- Focal loss (Lin et al. 2017): ``-alpha_t (1 - p_t)^gamma ln p_t``, cross-entropy scaled down on
  examples the model already gets right (``p_t`` near 1).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ._format import fmt, fmt_vector, md_table, precision_note
from ._validate import as_float_array, as_labels, check_count, check_number
from .answers import Tolerance
from .problem import Draft, Solver, pick

__all__ = ["SOLVERS", "balanced_class_weights", "focal_loss", "smote_count", "smote_point"]


def balanced_class_weights(y: object) -> dict[object, float]:
    """Weight of each class so that every class carries the same total weight.

    Returns
    -------
    dict
        ``{label: n_samples / (n_classes * count)}`` in sorted label order, labels as plain
        Python values; equal to ``sklearn.utils.class_weight.compute_class_weight("balanced", ...)``.

    Examples
    --------
    >>> balanced_class_weights([0, 0, 0, 1])
    {0: 0.6666666666666666, 1: 2.0}
    """
    labels = as_labels("y", y)
    classes, counts = np.unique(labels, return_counts=True)
    weights = labels.size / (classes.size * counts.astype(np.float64))
    return {label: float(w) for label, w in zip(classes.tolist(), weights)}


def smote_point(x: object, neighbor: object, gap: float) -> np.ndarray | float:
    """SMOTE's synthetic sample ``x + gap * (neighbor - x)``.

    Parameters
    ----------
    x, neighbor : array-like of the same shape
        A minority sample and one of its minority-class nearest neighbours.
    gap : float in [0, 1]
        Position along the segment (0 gives ``x``, 1 gives ``neighbor``).

    Examples
    --------
    >>> smote_point([1.0, 2.0], [3.0, 0.0], 0.25).tolist()
    [1.5, 1.5]
    """
    x = as_float_array("x", x)
    neighbor = as_float_array("neighbor", neighbor)
    if x.shape != neighbor.shape:
        raise ValueError(f"x and neighbor must have the same shape, got {x.shape} and {neighbor.shape}")
    gap = check_number("gap", gap, low=0.0, high=1.0)
    point = x + gap * (neighbor - x)
    return float(point) if point.ndim == 0 else point


def smote_count(n_majority: int, n_minority: int, ratio: float) -> int:
    """Number of synthetic samples SMOTE generates for a float ``sampling_strategy``.

    The target is ``minority / majority = ratio`` after resampling; imbalanced-learn computes
    ``int(ratio * n_majority - n_minority)`` in floating point, and so does this.

    Raises
    ------
    ValueError
        If ``ratio`` is not in (0, 1], the counts are not positive with
        ``n_minority <= n_majority``, or the ratio is already reached (imbalanced-learn refuses
        to remove samples when over-sampling).

    Examples
    --------
    >>> smote_count(100, 10, 0.5)
    40
    """
    n_majority = check_count("n_majority", n_majority, minimum=1)
    n_minority = check_count("n_minority", n_minority, minimum=1)
    ratio = check_number("ratio", ratio, low=0.0, high=1.0, low_open=True)
    if n_minority > n_majority:
        raise ValueError(f"n_minority ({n_minority}) must not exceed n_majority ({n_majority})")
    count = int(ratio * n_majority - n_minority)
    if count <= 0:
        raise ValueError(
            f"ratio={ratio} asks for {ratio * n_majority:g} minority samples but there are already "
            f"{n_minority}; increase the ratio"
        )
    return count


def focal_loss(p: float, y: int, gamma: float = 2.0, alpha: float | None = None) -> float:
    """Binary focal loss of one example with predicted ``P(y = 1) = p``.

    ``p_t = p`` if ``y == 1`` else ``1 - p``; ``alpha_t = alpha`` if ``y == 1`` else ``1 - alpha``
    (no weighting when ``alpha`` is None). With ``gamma = 0`` and no alpha it is cross-entropy.
    Equal to ``kornia.losses.binary_focal_loss_with_logits`` on the logit of ``p``.

    >>> round(focal_loss(0.9, 1, gamma=2.0), 6), round(-math.log(0.9) * 0.1 ** 2, 6)
    (0.001054, 0.001054)
    """
    p = check_number("p", p, low=0.0, high=1.0, low_open=True, high_open=True)
    if isinstance(y, bool) or y not in (0, 1):
        raise ValueError(f"y must be 0 or 1, got {y!r}")
    gamma = check_number("gamma", gamma, low=0.0)
    p_t = p if y == 1 else 1 - p
    weight = 1.0 if alpha is None else check_number("alpha", alpha, low=0.0, high=1.0)
    if alpha is not None and y == 0:
        weight = 1 - weight
    return -weight * (1 - p_t) ** gamma * math.log(p_t)


# --- generators ------------------------------------------------------------------------------

_CLASS_NAMES = ("A", "B", "C", "D")


def _build_weights(rng: np.random.Generator, difficulty: int) -> Draft:
    k = difficulty + 1
    counts = rng.integers(1, 20, size=k) * pick(rng, [5, 10, 50])
    labels = np.repeat(np.arange(k), counts)
    weights = balanced_class_weights(labels)
    n = int(counts.sum())
    ask_all = difficulty > 1 and rng.random() < 0.5
    target = int(rng.integers(0, k))
    table = md_table(["class", "samples"], [(_CLASS_NAMES[i], int(c)) for i, c in enumerate(counts)])
    if ask_all:
        question = "Give the weight of every class, in the order " + ", ".join(_CLASS_NAMES[:k]) + "."
        answer: float | list[float] = [weights[i] for i in range(k)]
    else:
        question = f"Give the weight of class {_CLASS_NAMES[target]}."
        answer = weights[target]
    prompt = (
        f"A training set has these class counts:\n\n{table}\n\nWith balanced class weights "
        f"(as `class_weight=\"balanced\"` in scikit-learn), each class gets $n / (k \\cdot n_c)$. "
        f"{question} {precision_note(3, length=k if ask_all else 1)}"
    )
    rows = [(_CLASS_NAMES[i], int(c), f"{n} / ({k} · {int(c)})", round(weights[i], 6)) for i, c in enumerate(counts)]
    solution = (
        f"$n = {n}$ samples in $k = {k}$ classes:\n\n"
        + md_table(["class", "samples", "n / (k · n_c)", "weight"], rows)
        + "\n\nEach class's weights now sum to $n / k$, so the classes count equally in the loss."
    )
    params = {"counts": counts.tolist(), "ask": "all" if ask_all else "one", "target": target}
    return Draft(prompt, params, answer, Tolerance(sig_figs=3), solution)


def _exact_count(n_majority: int, n_minority: int, ratio: float) -> int:
    """The count in exact decimal arithmetic (to avoid prompts where float truncation bites)."""
    return int(Fraction(str(ratio)) * n_majority - n_minority)


def _build_smote(rng: np.random.Generator, difficulty: int) -> Draft:
    if rng.random() < 0.5:
        return _build_smote_count(rng, difficulty)
    dims = difficulty + 1
    x = rng.integers(-50, 51, size=dims) / 10
    neighbor = rng.integers(-50, 51, size=dims) / 10
    gap = float(rng.integers(1, 100) / 100)
    point = smote_point(x, neighbor, gap)
    prompt = (
        f"SMOTE picks the minority sample $x = {fmt_vector(x)}$ and one of its minority-class nearest "
        f"neighbours, $x_{{\\text{{nn}}}} = {fmt_vector(neighbor)}$, and draws the gap $u = {fmt(gap)}$ uniformly from "
        "$[0, 1]$. The synthetic sample lies on the segment from $x$ towards $x_{\\text{nn}}$: "
        "$x_{\\text{new}} = x + u \\cdot (x_{\\text{nn}} - x)$. Give $x_{\\text{new}}$. "
        f"{precision_note(3, length=dims)}"
    )
    solution = (
        f"$$x_{{\\text{{new}}}} = x + u \\cdot (x_{{\\text{{nn}}}} - x) = "
        f"{fmt_vector(x)} + {fmt(gap)} \\cdot {fmt_vector(neighbor - x)} = {fmt_vector(point)}$$\n\n"
        "The new point lies on the segment between the two minority samples, "
        f"a fraction {fmt(gap)} of the way from $x$ to $x_{{\\text{{nn}}}}$."
    )
    params = {"ask": "point", "x": x.tolist(), "neighbor": neighbor.tolist(), "gap": gap}
    return Draft(prompt, params, point.tolist(), Tolerance(sig_figs=3), solution)


def _build_smote_count(rng: np.random.Generator, difficulty: int) -> Draft:
    scale = {1: 10, 2: 37, 3: 173}[difficulty]
    while True:
        n_majority = int(rng.integers(5, 30)) * scale
        n_minority = int(rng.integers(1, n_majority // 5 + 1))
        ratio = float(rng.integers(2, 21) / 20) if difficulty == 1 else float(rng.integers(10, 100) / 100)
        exact = _exact_count(n_majority, n_minority, ratio)
        if exact > 0 and exact == int(ratio * n_majority - n_minority):
            break
    count = smote_count(n_majority, n_minority, ratio)
    prompt = (
        f"A binary data set has {n_majority} majority and {n_minority} minority samples. SMOTE with "
        f"`sampling_strategy={fmt(ratio)}` over-samples the minority class until minority / majority "
        f"$= {fmt(ratio)}$ (the count is truncated to an integer). How many synthetic samples does it "
        f"generate? {precision_note(None)}"
    )
    solution = (
        f"Target minority count: ${fmt(ratio)} \\cdot {n_majority} = {fmt(ratio * n_majority, 10)}$; it already has "
        f"{n_minority}, so it generates $\\lfloor {fmt(ratio * n_majority, 10)} - {n_minority} \\rfloor = {count}$ "
        "samples."
    )
    params = {"ask": "count", "n_majority": n_majority, "n_minority": n_minority, "ratio": ratio}
    return Draft(prompt, params, float(count), Tolerance(abs=0.0), solution)


def _focal_setup(gamma: float, alpha: float | None) -> str:
    weighting = "" if alpha is None else (
        f", $\\alpha_t = \\alpha = {fmt(alpha)}$ for a positive and $1 - \\alpha = {fmt(1 - alpha)}$ for a negative"
    )
    factor = "" if alpha is None else "\\alpha_t "
    return (
        f"The focal loss is $\\text{{FL}}(p_t) = -{factor}(1 - p_t)^\\gamma \\ln p_t$ with $\\gamma = {fmt(gamma)}$, "
        f"where $p_t$ is the probability the model gives the true class{weighting}; cross-entropy is "
        "$\\text{CE}(p_t) = -\\ln p_t$. "
    )


def _build_focal(rng: np.random.Generator, difficulty: int) -> Draft:
    """1: one positive (the loss, or FL / CE); 2: a negative (p_t = 1 - p), or how much more a hard example
    counts than an easy one under FL than under CE; 3: alpha-balanced (RetinaNet's 0.25), one example or a batch."""
    gamma = float(pick(rng, [1, 2, 5])) if difficulty < 3 else 2.0
    alpha = 0.25 if difficulty == 3 else None
    ask = pick(rng, {1: ["fl", "ratio"], 2: ["negative", "relative"], 3: ["alpha", "batch"]}[difficulty])
    probs = [0.05, 0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99]
    setup = _focal_setup(gamma, alpha)
    lines: list[str] = []
    if ask in ("fl", "ratio", "negative", "alpha"):
        y = 1 if ask in ("fl", "ratio") else (0 if ask == "negative" else int(rng.integers(0, 2)))
        p = pick(rng, probs)
        p_t = p if y == 1 else 1 - p
        fl = focal_loss(p, y, gamma, alpha)
        ce = -math.log(p_t)
        example = f"A {'positive' if y == 1 else 'negative'} example ($y = {y}$) gets $P(y = 1) = {fmt(p)}$ from the model. "
        if ask == "ratio":
            question = "By what factor is its focal loss smaller than its cross-entropy (give FL / CE)? "
            answer = fl / ce
        else:
            question = "What is its focal loss? "
        if ask != "ratio":
            answer = fl
        weight = "" if alpha is None else f"{fmt(alpha if y == 1 else 1 - alpha)} \\cdot "
        lines = [
            f"$p_t = {'p' if y == 1 else '1 - p'} = {fmt(p_t)}$, so $\\text{{CE}} = -\\ln {fmt(p_t)} = {fmt(ce, 6)}$.",
            f"$$\\text{{FL}} = -{weight}(1 - {fmt(p_t)})^{{{fmt(gamma)}}} \\ln {fmt(p_t)} = {weight}"
            f"{fmt((1 - p_t) ** gamma, 6)} \\cdot {fmt(ce, 6)} = {fmt(fl, 6)}$$",
        ]
        if ask == "ratio":
            lines.append(f"$$\\frac{{\\text{{FL}}}}{{\\text{{CE}}}} = (1 - p_t)^\\gamma = {fmt(answer, 6)}$$")
        params = {"ask": ask, "p": p, "y": y, "gamma": gamma, "alpha": alpha}
    elif ask == "relative":
        easy, hard = pick(rng, [0.8, 0.9, 0.95, 0.99]), pick(rng, [0.1, 0.2, 0.3, 0.4, 0.5])
        example = (
            f"Two positive examples get $P(y = 1) = {fmt(easy)}$ (easy) and ${fmt(hard)}$ (hard). "
        )
        question = (
            "The hard example's loss is a larger multiple of the easy one's under focal loss than under "
            "cross-entropy. By what factor larger, i.e. $\\frac{\\text{FL}_{\\text{hard}} / \\text{FL}_{\\text{easy}}}{\\text{CE}_{\\text{hard}} / \\text{CE}_{\\text{easy}}}$? "
        )
        answer = ((1 - hard) / (1 - easy)) ** gamma
        fl = [focal_loss(q, 1, gamma) for q in (easy, hard)]
        ce = [-math.log(q) for q in (easy, hard)]
        lines = [
            f"CE: easy ${fmt(ce[0], 6)}$, hard ${fmt(ce[1], 6)}$ (ratio {fmt(ce[1] / ce[0], 6)}). "
            f"FL: easy ${fmt(fl[0], 6)}$, hard ${fmt(fl[1], 6)}$ (ratio {fmt(fl[1] / fl[0], 6)}).",
            "The $\\ln p_t$ factors cancel in the quotient, leaving the modulating factors:",
            f"$$\\left(\\frac{{1 - {fmt(hard)}}}{{1 - {fmt(easy)}}}\\right)^{{{fmt(gamma)}}} = {fmt(answer, 6)}$$",
        ]
        params = {"ask": ask, "easy": easy, "hard": hard, "gamma": gamma, "alpha": None}
    else:
        ys = [int(v) for v in rng.integers(0, 2, size=3)]
        ps = [pick(rng, probs) for _ in ys]
        losses = [focal_loss(p, y, gamma, alpha) for p, y in zip(ps, ys)]
        answer = sum(losses) / 3
        rows = [(i + 1, y, p) for i, (y, p) in enumerate(zip(ys, ps))]
        example = f"A batch of three examples:\n\n{md_table(['example', 'label y', 'P(y = 1)'], rows)}\n\n"
        question = "What is the mean focal loss over the batch? "
        lines = [
            "Per example: $p_t = p$ for $y = 1$, $1 - p$ for $y = 0$, and $\\alpha_t$ = 0.25 or 0.75:",
            md_table(["example", "p_t", "alpha_t", "FL"],
                     [(i + 1, fmt(p if y else 1 - p), 0.25 if y else 0.75, fmt(fl, 6))
                      for i, (y, p, fl) in enumerate(zip(ys, ps, losses))]),
            f"Mean: ${fmt(answer, 6)}$.",
        ]
        params = {"ask": ask, "ps": ps, "ys": ys, "gamma": gamma, "alpha": alpha}
    lines.append(
        "The factor $(1 - p_t)^\\gamma$ is near 0 for well-classified examples and near 1 for misclassified ones, so "
        "the many easy negatives of a detector stop dominating the loss (Lin et al. 2017)."
        + (" $\\alpha = 0.25$ then weights the rare positives *down*: the modulating factor already shifted the "
           "balance, and 0.25 worked best with $\\gamma = 2$." if alpha is not None else "")
    )
    prompt = setup + example + question + precision_note(3)
    return Draft(prompt, params, float(answer), Tolerance(sig_figs=3), "\n\n".join(lines))


SOLVERS = (
    Solver("class-weights", "class-imbalance", "Balanced class weights", _build_weights),
    Solver("focal-loss", "class-imbalance", "Focal loss against cross-entropy", _build_focal),
    Solver("smote", "class-imbalance", "SMOTE interpolation and counts", _build_smote),
)
