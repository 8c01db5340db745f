"""L1 and L2 penalties: values, (sub)gradients, one-sided derivatives at 0, the soft-threshold
(L1 proximal) step and the weight-decay step, with their problem generator.

Conventions: the L1 penalty is ``lam * sum|w|`` with subgradient ``lam * sign(w)`` (0 at w = 0, as
autograd does); the L2 penalty is ``lam * sum w^2`` with gradient ``2 * lam * w``.

Ridge regression through the SVD ``X = U D V^T``: the fit ``X beta`` shrinks the component of y
along each ``u_j`` by ``d_j^2 / (d_j^2 + lam)`` (ESL sec. 3.4.1), and these factors sum to the
effective degrees of freedom.
"""

from __future__ import annotations

from typing import Literal, Union

import numpy as np

from ._format import fmt, fmt_vector, md_table, precision_note
from ._validate import as_float_array, check_number
from .answers import Tolerance
from .problem import Draft, Solver, pick

__all__ = [
    "SOLVERS",
    "l1_one_sided_derivatives",
    "penalty",
    "penalty_grad",
    "ridge_coefficients",
    "ridge_shrinkage",
    "soft_threshold",
    "weight_decay_step",
]

ArrayOrFloat = Union[np.ndarray, float]
_KINDS = ("l1", "l2")


def _same_kind(template: np.ndarray, result: np.ndarray) -> ArrayOrFloat:
    """A float for scalar input, an array otherwise."""
    return float(result) if template.ndim == 0 else result


def _check_kind(kind: str) -> None:
    if kind not in _KINDS:
        raise ValueError(f"kind must be 'l1' or 'l2', got {kind!r}")


def penalty(w: object, lam: float, kind: Literal["l1", "l2"]) -> float:
    """The penalty ``lam * sum|w|`` (l1) or ``lam * sum w^2`` (l2).

    >>> penalty([1.0, -2.0], 0.5, "l1"), penalty([1.0, -2.0], 0.5, "l2")
    (1.5, 2.5)
    """
    _check_kind(kind)
    w = as_float_array("w", w)
    lam = check_number("lam", lam, low=0.0)
    return float(lam * (np.abs(w).sum() if kind == "l1" else (w**2).sum()))


def penalty_grad(w: object, lam: float, kind: Literal["l1", "l2"]) -> ArrayOrFloat:
    """Gradient of :func:`penalty` with respect to ``w`` (for l1, the subgradient 0 at 0).

    >>> penalty_grad([1.5, 0.0, -2.0], 0.1, "l1").tolist()
    [0.1, 0.0, -0.1]
    >>> penalty_grad([1.5, 0.0, -2.0], 0.1, "l2").tolist()
    [0.30000000000000004, 0.0, -0.4]
    """
    _check_kind(kind)
    w = as_float_array("w", w)
    lam = check_number("lam", lam, low=0.0)
    grad = lam * np.sign(w) if kind == "l1" else 2 * lam * w
    return _same_kind(w, grad + 0.0)  # + 0.0 turns -0.0 into 0.0


def l1_one_sided_derivatives(d0: float, lam: float) -> tuple[float, float]:
    """Left and right derivatives of ``L(w) + lam * |w|`` at ``w = 0``, where ``d0 = L'(0)``.

    ``|w|`` has slope -1 on the left and +1 on the right, so the derivatives are ``d0 - lam``
    and ``d0 + lam``; 0 is a minimiser exactly when ``d0 - lam <= 0 <= d0 + lam``, i.e.
    ``|d0| <= lam``, which is why L1 produces exact zeros.

    >>> l1_one_sided_derivatives(0.3, 0.5)
    (-0.2, 0.8)
    """
    d0 = check_number("d0", d0)
    lam = check_number("lam", lam, low=0.0)
    return d0 - lam, d0 + lam


def soft_threshold(w: object, t: float) -> ArrayOrFloat:
    """The L1 proximal step ``sign(w) * max(|w| - t, 0)``: argmin of ``0.5 (x - w)^2 + t |x|``.

    >>> soft_threshold([1.5, 0.2, -0.75], 0.5).tolist()
    [1.0, 0.0, -0.25]
    """
    w = as_float_array("w", w)
    t = check_number("t", t, low=0.0)
    return _same_kind(w, np.sign(w) * np.maximum(np.abs(w) - t, 0.0) + 0.0)


def weight_decay_step(w: object, grad: object, lr: float, lam: float) -> ArrayOrFloat:
    """One gradient-descent step on ``loss + lam * sum w^2``: ``w - lr * (grad + 2 lam w)``.

    Equal to ``torch.optim.SGD(..., lr=lr, weight_decay=2 * lam)`` (PyTorch's weight decay adds
    ``weight_decay * w`` to the gradient).

    >>> float(weight_decay_step(1.0, 0.5, 0.1, 0.5))
    0.85
    """
    w = as_float_array("w", w)
    g = as_float_array("grad", grad)
    if g.shape != w.shape:
        raise ValueError(f"w and grad must have the same shape, got {w.shape} and {g.shape}")
    lr = check_number("lr", lr, low=0.0)
    lam = check_number("lam", lam, low=0.0)
    return _same_kind(w, w - lr * (g + 2 * lam * w))


def _design(X: object, lam: float) -> tuple[np.ndarray, float]:
    x = as_float_array("X", X, ndims=(2,))
    if x.size == 0:
        raise ValueError(f"X must not be empty, got shape {x.shape}")
    return x, check_number("lam", lam, low=0.0)


def ridge_shrinkage(X: object, lam: float) -> np.ndarray:
    """Ridge's shrinkage factors ``d_j^2 / (d_j^2 + lam)``, one per singular value of ``X``, largest first.

    They are the non-zero eigenvalues of the hat matrix ``X (X^T X + lam I)^-1 X^T``; their sum is the
    effective degrees of freedom. ``lam = 0`` gives 1 for every non-zero singular value.

    >>> ridge_shrinkage([[1.0, 0.0], [0.0, 2.0]], 4.0).tolist()
    [0.5, 0.2]
    """
    x, lam = _design(X, lam)
    d2 = np.linalg.svd(x, compute_uv=False) ** 2
    with np.errstate(invalid="ignore"):
        return np.where(d2 + lam == 0, 0.0, d2 / np.where(d2 + lam == 0, 1.0, d2 + lam))


def ridge_coefficients(X: object, y: object, lam: float) -> np.ndarray:
    """Ridge coefficients minimising ``||y - X beta||^2 + lam ||beta||^2`` (no intercept), via the SVD:
    ``beta = V diag(d / (d^2 + lam)) U^T y``. Equal to ``sklearn.linear_model.Ridge(alpha=lam,
    fit_intercept=False)``.

    >>> ridge_coefficients([[1.0, 0.0], [0.0, 2.0]], [1.0, 2.0], 4.0).tolist()
    [0.2, 0.5]
    """
    x, lam = _design(X, lam)
    target = as_float_array("y", y, ndims=(1,))
    if target.shape != (x.shape[0],):
        raise ValueError(f"y must have one entry per row of X ({x.shape[0]}), got shape {target.shape}")
    u, d, vt = np.linalg.svd(x, full_matrices=False)
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = np.where(d**2 + lam == 0, 0.0, d / (d**2 + lam))
    return vt.T @ (factor * (u.T @ target))


# --- generator -------------------------------------------------------------------------------


def _show(values: ArrayOrFloat) -> str:
    flat = np.atleast_1d(values)
    return fmt(flat[0]) if flat.size == 1 else fmt_vector(flat)


def _draw_w(rng: np.random.Generator, size: int, with_zero: bool) -> np.ndarray:
    w = rng.integers(-30, 31, size=size) / 10
    if with_zero:
        w[int(rng.integers(0, size))] = 0.0
    return w + 0.0


def _one_sided_verdict(d0: float, lam: float) -> str:
    """What the one-sided derivatives at 0 say about w = 0, honest about convexity and the tie |L'(0)| = lambda."""
    if abs(d0) < lam:
        return (
            "They bracket 0 strictly ($|L'(0)| < \\lambda$): the objective rises on both sides of 0, so $w = 0$ is a "
            "local minimiser (the global one if $L$ is convex). This is how L1 makes exact zeros."
        )
    if abs(d0) == lam:
        return (
            "One of them is exactly 0 ($|L'(0)| = \\lambda$): 0 lies in the subdifferential, so $w = 0$ passes the "
            "first-order test and is the global minimiser if $L$ is convex; without convexity the first-order "
            "test cannot decide on the side where the derivative is 0 (higher-order terms of $L$ do)."
        )
    return (
        "They do not bracket 0 ($|L'(0)| > \\lambda$): the objective decreases on one side of 0, so $w = 0$ is not a "
        "minimiser, not even a local one."
    )


# Difficulty means more reasoning, not only longer vectors: 1 applies one rule to a scalar; 2 adds the
# kink at 0, the one-sided test and PyTorch's convention; 3 chains steps (a proximal-gradient step) and
# asks the optimality and convention questions on vectors.
_ASKS = {
    1: ["l1_grad", "l2_grad", "soft_threshold"],
    2: ["l1_grad", "soft_threshold", "one_sided", "weight_decay"],
    3: ["one_sided", "weight_decay", "ista"],
}


def _build(rng: np.random.Generator, difficulty: int) -> Draft:
    size = {1: 1, 2: 3, 3: 5}[difficulty]
    ask = pick(rng, _ASKS[difficulty])
    lam = pick(rng, [0.05, 0.1, 0.2, 0.5, 1.0])
    w = _draw_w(rng, size, with_zero=difficulty > 1 and ask == "l1_grad")
    w_text = f"$w = {fmt(w[0])}$" if size == 1 else f"$w = {fmt_vector(w)}$"
    params: dict = {"ask": ask, "lam": lam, "w": w.tolist()}

    if ask in ("l1_grad", "l2_grad"):
        kind = ask[:2]
        answer = penalty_grad(w, lam, kind)  # type: ignore[arg-type]
        i = "_i" if size > 1 else ""  # a scalar w needs no index
        if kind == "l1":
            form = "\\lambda \\sum_i |w_i|" if size > 1 else "\\lambda |w|"
            convention = f" (use the subgradient 0 where $w{i} = 0$)"
            rule = f"\\lambda \\operatorname{{sign}}(w{i})"
            note = "($|w|$ has no derivative at 0; 0 is the subgradient autograd uses there)"
        else:
            form = "\\lambda \\sum_i w_i^2" if size > 1 else "\\lambda w^2"
            convention = ""  # L2 is differentiable everywhere: no subgradient convention needed
            rule = f"2 \\lambda w{i}"
            note = "(the penalty has no factor $\\frac{1}{2}$, so the 2 stays)"
        question = (
            f"The penalty is $P(w) = {form}$ with $\\lambda = {fmt(lam)}$ and {w_text}. Give its "
            f"{'derivative' if size == 1 else 'gradient'} with respect to $w${convention}."
        )
        result = "derivative" if size == 1 else "gradient"
        solution = (
            f"$$\\frac{{\\partial P}}{{\\partial w{i}}} = {rule}$$ {note}, so the {result} is ${_show(answer)}$."
        )
        params["kind"] = kind
    elif ask == "one_sided":
        d0 = float(rng.integers(-20, 21) / 10)
        left, right = l1_one_sided_derivatives(d0, lam)
        answer = np.array([left, right])
        question = (
            f"A loss $L(w)$ has derivative $L'(0) = {fmt(d0)}$. Add the penalty $\\lambda |w|$ with "
            f"$\\lambda = {fmt(lam)}$. Give the left and right derivatives of $L(w) + \\lambda |w|$ at "
            f"$w = 0$ as a vector [left, right]."
        )
        solution = (
            f"$|w|$ has slope $-1$ to the left of 0 and $+1$ to the right, so the left derivative is "
            f"$L'(0) - \\lambda = {fmt(left)}$ and the right one $L'(0) + \\lambda = {fmt(right)}$. "
            + _one_sided_verdict(d0, lam)
        )
        params = {"ask": ask, "lam": lam, "d0": d0}
    elif ask == "soft_threshold":
        t = pick(rng, [0.1, 0.2, 0.5, 1.0])
        answer = soft_threshold(w, t)
        objective = "\\frac{1}{2}(x - w)^2 + t |x|"
        if size == 1:
            question = (
                f"Apply the L1 proximal (soft-threshold) step with threshold $t = {fmt(t)}$ to {w_text}, i.e. "
                f"find $\\arg\\min_x {objective}$."
            )
            shrink = (
                f"Here $|w| = {fmt(abs(w[0]))} \\le {fmt(t)}$, so the result is 0"
                if abs(w[0]) <= t
                else f"Here $|w| = {fmt(abs(w[0]))} > {fmt(t)}$, so $w$ moves {fmt(t)} towards 0"
            )
            solution = (
                f"$$S_t(w) = \\operatorname{{sign}}(w) \\max(|w| - t, 0)$$ {shrink}: ${_show(answer)}$."
            )
        else:
            question = (
                f"Apply the L1 proximal (soft-threshold) step with threshold $t = {fmt(t)}$ to {w_text}, i.e. "
                f"find $x_i = \\arg\\min_x {objective.replace('w', 'w_i')}$ for each entry $w_i$."
            )
            solution = (
                f"$$S_t(w_i) = \\operatorname{{sign}}(w_i) \\max(|w_i| - t, 0)$$ Entries with "
                f"$|w_i| \\le {fmt(t)}$ become 0, the others move {fmt(t)} towards 0: ${_show(answer)}$."
            )
        params = {"ask": ask, "w": w.tolist(), "t": t}
    elif ask == "ista":
        grad = rng.integers(-20, 21, size=size) / 10
        lr = pick(rng, [0.1, 0.2, 0.5])
        lam = pick(rng, [0.5, 1.0, 2.0])  # a threshold of 0.05 to 1 against entries up to 3: some hit 0
        params["lam"] = lam
        threshold = lr * lam
        step = np.round(w - lr * grad, 10) + 0.0  # inputs on a grid: rounding removes float noise only
        answer = soft_threshold(step, threshold)
        question = (
            f"Minimise $L(w) + \\lambda \\sum_i |w_i|$ with $\\lambda = {fmt(lam)}$ by proximal gradient descent "
            f"(ISTA) with step size $\\eta = {fmt(lr)}$. At {w_text} the loss gradient is "
            f"$g = {fmt_vector(grad)}$. Give $w$ after one step: a gradient step on $L$ alone, then the L1 "
            "proximal (soft-threshold) step."
        )
        solution = (
            f"Gradient step: $z = w - \\eta g = {fmt_vector(step)}$.\n\n"
            f"Proximal step with threshold $\\eta \\lambda = {fmt(lr)} \\cdot {fmt(lam)} = {fmt(threshold)}$: "
            "$S_t(z_i) = \\operatorname{sign}(z_i) \\max(|z_i| - t, 0)$, so entries with "
            f"$|z_i| \\le {fmt(threshold)}$ become exactly 0 and the others move {fmt(threshold)} towards 0: "
            f"${_show(answer)}$. The threshold is $\\eta \\lambda$, not $\\lambda$: the proximal step "
            "solves $\\arg\\min_x \\frac{1}{2}\\|x - z\\|^2 + \\eta \\lambda \\|x\\|_1$."
        )
        params.update({"grad": grad.tolist(), "lr": lr})
    else:
        grad = rng.integers(-20, 21, size=size) / 10
        lr = pick(rng, [0.01, 0.05, 0.1, 0.5])
        answer = weight_decay_step(w, grad, lr, lam)
        g_text = f"$g = {fmt(grad[0])}$" if size == 1 else f"$g = {fmt_vector(grad)}$"
        sum_sq = "\\sum_i w_i^2" if size > 1 else "w^2"
        wd = "\\mathrm{wd}"
        question = (
            f"Take one gradient-descent step on $L(w) + \\lambda {sum_sq}$ with $\\lambda = {fmt(lam)}$, "
            f"learning rate $\\eta = {fmt(lr)}$, {w_text} and loss gradient {g_text}. Give the new $w$. "
            "(The penalty has no factor $\\frac{1}{2}$. For comparison, PyTorch's `weight_decay=wd` adds "
            f"${wd} \\cdot w$ to the gradient, which corresponds to the penalty "
            f"$\\frac{{{wd}}}{{2}} \\cdot {sum_sq}$.)"
        )
        solution = (
            f"The penalty's gradient is $2 \\lambda w$, so\n\n"
            f"$$w \\leftarrow w - \\eta (g + 2 \\lambda w) = (1 - 2 \\eta \\lambda) w - \\eta g = "
            f"{fmt(1 - 2 * lr * lam)} w - {fmt(lr)} g$$\n\ngiving ${_show(answer)}$. In PyTorch this is "
            f"`torch.optim.SGD(params, lr={fmt(lr)}, weight_decay={fmt(2 * lam)})`, i.e. ${wd} = 2 \\lambda$: "
            f"`weight_decay` adds ${wd} \\cdot w$ to the gradient, the gradient of "
            f"$\\frac{{{wd}}}{{2}} \\cdot {sum_sq}$, so a penalty $\\lambda {sum_sq}$ needs twice "
            "$\\lambda$."
        )
        params.update({"grad": grad.tolist(), "lr": lr})

    values = np.atleast_1d(np.asarray(answer, dtype=float))
    answer_out = float(values[0]) if values.size == 1 else values.tolist()
    prompt = question + " " + precision_note(3, length=values.size)
    return Draft(prompt, params, answer_out, Tolerance(sig_figs=3), solution)


# --- ridge shrinkage ---------------------------------------------------------------------------


def _orthogonal_design(rng: np.random.Generator) -> np.ndarray:
    """A 4 x 2 design with orthogonal integer columns [a, b, c, d] and [b, -a, d, -c] (their dot product is
    ab - ab + cd - cd = 0), so its singular values are the column norms."""
    while True:
        a, b, c, d = (int(v) for v in rng.integers(-3, 4, size=4))
        first = np.array([a, b, c, d], dtype=np.float64)
        second = np.array([b, -a, d, -c], dtype=np.float64)
        second = second * pick(rng, [1, 2])  # columns of different lengths: different shrinkage
        if first @ first > 0 and second @ second != first @ first:
            return np.column_stack([first, second])


def _matrix(x: np.ndarray) -> str:
    return md_table([f"x{j + 1}" for j in range(x.shape[1])], [[float(v) for v in row] for row in x])


def _build_ridge(rng: np.random.Generator, difficulty: int) -> Draft:
    """1: one shrinkage factor of an orthogonal design; 2: a ridge coefficient or the effective degrees of
    freedom there; 3: both factors of a correlated design (eigenvalues of X^T X)."""
    lam = float(pick(rng, [1, 2, 5, 10, 20]))
    x = _orthogonal_design(rng) if difficulty < 3 else rng.integers(-3, 4, size=(3, 2)).astype(np.float64)
    while difficulty == 3 and (abs(np.linalg.det(x.T @ x)) < 1 or x[:, 0] @ x[:, 1] == 0):
        x = rng.integers(-3, 4, size=(3, 2)).astype(np.float64)  # full rank and correlated columns
    factors = ridge_shrinkage(x, lam)
    gram = x.T @ x
    setup = (
        "Ridge regression minimises $\\|y - X\\beta\\|^2 + \\lambda \\|\\beta\\|^2$ (no intercept) with "
        f"$\\lambda = {fmt(lam)}$ and the design matrix\n\n{_matrix(x)}\n\n"
        "Writing $X = U D V^T$ (SVD), the fitted values shrink the component of $y$ along each $u_j$ by "
        "$\\frac{d_j^2}{d_j^2 + \\lambda}$. "
    )
    params: dict = {"X": x.tolist(), "lam": lam}
    norms = np.diag(gram)
    if difficulty == 1:
        j = int(rng.integers(0, 2))
        question = f"The columns of $X$ are orthogonal. What is the shrinkage factor of the direction of column x{j + 1}? "
        answer: float | list[float] = float(norms[j] / (norms[j] + lam))
        lines = [
            "With orthogonal columns the singular values are the column norms, $d_j^2 = \\|x_j\\|^2$, and $u_j$ is "
            f"column $j$ normalised. $\\|x_{j + 1}\\|^2 = {fmt(norms[j])}$, so",
            f"$$\\frac{{d^2}}{{d^2 + \\lambda}} = \\frac{{{fmt(norms[j])}}}{{{fmt(norms[j])} + {fmt(lam)}}} = "
            f"{fmt(answer, 6)}$$",
        ]
        params.update({"ask": "factor", "column": j})
    elif difficulty == 2 and rng.random() < 0.5:
        y = rng.integers(-3, 4, size=4).astype(np.float64)
        j = int(rng.integers(0, 2))
        coef = ridge_coefficients(x, y, lam)
        answer = float(coef[j])
        question = (
            f"The columns are orthogonal and $y = {fmt_vector(y)}$. What is the ridge coefficient $\\beta_{j + 1}$? "
        )
        xty = float(x[:, j] @ y)
        lines = [
            "Orthogonal columns decouple the problem: each coefficient is its least-squares value "
            "$x_j^T y / \\|x_j\\|^2$ times the shrinkage factor $\\|x_j\\|^2 / (\\|x_j\\|^2 + \\lambda)$, i.e. "
            "$\\beta_j = \\frac{x_j^T y}{\\|x_j\\|^2 + \\lambda}$.",
            f"$x_{j + 1}^T y = {fmt(xty)}$ and $\\|x_{j + 1}\\|^2 = {fmt(norms[j])}$, so "
            f"$\\beta_{j + 1} = \\frac{{{fmt(xty)}}}{{{fmt(norms[j])} + {fmt(lam)}}} = {fmt(answer, 6)}$ "
            f"(least squares: {fmt(xty / norms[j], 6)}).",
        ]
        params.update({"ask": "coefficient", "y": y.tolist(), "column": j})
    elif difficulty == 2:
        answer = float(factors.sum())
        question = (
            "The columns are orthogonal. What are the effective degrees of freedom "
            "$\\mathrm{df}(\\lambda) = \\sum_j \\frac{d_j^2}{d_j^2 + \\lambda}$ (2 for least squares)? "
        )
        terms = " + ".join(f"\\frac{{{fmt(n)}}}{{{fmt(n)} + {fmt(lam)}}}" for n in norms)
        lines = [
            "With orthogonal columns $d_j^2 = \\|x_j\\|^2$: " + ", ".join(
                f"$\\|x_{j + 1}\\|^2 = {fmt(n)}$" for j, n in enumerate(norms)) + ".",
            f"$$\\mathrm{{df}} = {terms} = {fmt(answer, 6)}$$",
        ]
        params.update({"ask": "df"})
    else:
        answer = factors.tolist()
        trace, det = float(np.trace(gram)), float(np.linalg.det(gram))
        question = (
            "The columns are not orthogonal. Give the two shrinkage factors as a vector, the one for the "
            "larger singular value first. "
        )
        d2 = np.linalg.eigvalsh(gram)[::-1]
        lines = [
            f"The $d_j^2$ are the eigenvalues of $X^T X$, which has diagonal entries {fmt(gram[0, 0])} and "
            f"{fmt(gram[1, 1])} and off-diagonal entry {fmt(gram[0, 1])}: with trace $T = {fmt(trace)}$ and "
            f"determinant $\\Delta = {fmt(round(det, 9))}$, $d^2 = \\frac{{T \\pm \\sqrt{{T^2 - 4\\Delta}}}}{{2}} = "
            f"{fmt(d2[0], 6)}, {fmt(d2[1], 6)}$.",
            "$$\\frac{d_j^2}{d_j^2 + \\lambda} = "
            + ", ".join(f"\\frac{{{fmt(v, 6)}}}{{{fmt(v, 6)} + {fmt(lam)}}}" for v in d2)
            + f" = {fmt_vector(np.round(factors, 6))}$$",
        ]
        params.update({"ask": "factors"})
    lines.append(
        "Directions of large variance (large $d_j$) are barely shrunk; ridge penalises the low-variance "
        "directions most, which is where least squares is least stable."
    )
    length = len(answer) if isinstance(answer, list) else 1
    prompt = setup + question + precision_note(3, length=length)
    return Draft(prompt, params, answer, Tolerance(sig_figs=3), "\n\n".join(lines))


SOLVERS = (
    Solver("l1l2", "l1-l2", "L1 and L2 penalties", _build),
    Solver("ridge-shrinkage", "l1-l2", "Ridge shrinkage through the SVD", _build_ridge),
)
