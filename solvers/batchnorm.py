"""Batch normalisation, forward pass and running statistics, and its problem generator.

In training the batch statistics of each channel normalise the input: the mean and the *biased*
variance (divide by n), while the running variance is updated with the *unbiased* one
(divide by n - 1), as in PyTorch. In evaluation the running statistics normalise instead.

Also the backward pass of training-mode BN, and folding an evaluation-mode BN into the
convolution before it (``W' = gamma W / sigma``, ``b' = gamma (b - mu) / sigma + beta``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._format import fmt, fmt_factor, fmt_vector, md_table, precision_note
from ._validate import as_float_array, check_number
from .answers import Tolerance
from .problem import Draft, Solver, pick

__all__ = [
    "SOLVERS",
    "BatchNormGrads",
    "BatchNormResult",
    "FoldedConv",
    "batch_norm",
    "batch_norm_backward",
    "fold_bn_into_conv",
]


@dataclass(frozen=True, slots=True)
class BatchNormResult:
    """Output of :func:`batch_norm`, read by name; the statistics are per channel, shape (C,)."""

    y: np.ndarray
    mean: np.ndarray
    var: np.ndarray
    running_mean: np.ndarray
    running_var: np.ndarray


def _running_stats(mean: object, var: object, channels: int) -> tuple[np.ndarray, np.ndarray]:
    """Validated running mean and variance (defaults 0 and 1, their initial values)."""
    mean = _channel_param("running_mean", mean, channels, 0.0)
    var = _channel_param("running_var", var, channels, 1.0)
    if (var < 0).any():
        raise ValueError(f"running_var must be non-negative, got {var.tolist()}")
    return mean, var


def _channel_param(name: str, value: object, channels: int, default: float) -> np.ndarray:
    if value is None:
        return np.full(channels, default)
    array = as_float_array(name, value, ndims=(1,))
    if array.shape != (channels,):
        raise ValueError(f"{name} must have shape ({channels},) to match the channels of x, got {array.shape}")
    return array


def batch_norm(
    x: object,
    gamma: object,
    beta: object,
    *,
    eps: float = 1e-5,
    momentum: float = 0.1,
    running_mean: object = None,
    running_var: object = None,
    training: bool = True,
) -> BatchNormResult:
    """Batch-normalise ``x`` over every axis but the channel axis 1.

    Parameters
    ----------
    x : array-like of shape (N, C), (N, C, L) or (N, C, H, W)
    gamma, beta : array-like of shape (C,) or None
        Scale and shift; None means 1 and 0.
    eps : float, default=1e-5
        Added to the variance before the square root.
    momentum : float, default=0.1
        ``new_running = (1 - momentum) * running + momentum * batch_statistic``.
    running_mean, running_var : array-like of shape (C,) or None
        Running statistics before this step; None means 0 and 1 (their initial values).
    training : bool, default=True
        Normalise with the batch statistics and update the running ones; otherwise normalise
        with the running statistics and leave them unchanged.

    Returns
    -------
    BatchNormResult
        ``y`` (shape of ``x``), the batch ``mean`` and biased ``var`` of each channel, and the
        running mean and variance after this step. Matches ``torch.nn.functional.batch_norm``.

    Examples
    --------
    >>> r = batch_norm([[1.0], [2.0], [3.0], [4.0]], None, None)
    >>> float(r.mean[0]), float(r.var[0]), float(r.running_mean[0]), round(float(r.running_var[0]), 4)
    (2.5, 1.25, 0.25, 1.0667)
    """
    x = as_float_array("x", x, ndims=(2, 3, 4))
    channels = x.shape[1]
    if channels == 0 or x.shape[0] == 0:
        raise ValueError(f"x must have at least one sample and one channel, got shape {x.shape}")
    gamma = _channel_param("gamma", gamma, channels, 1.0)
    beta = _channel_param("beta", beta, channels, 0.0)
    running_mean, running_var = _running_stats(running_mean, running_var, channels)
    eps = check_number("eps", eps, low=0.0, low_open=True)
    momentum = check_number("momentum", momentum, low=0.0, high=1.0)
    count = x.size // channels
    if training and count < 2:
        raise ValueError(f"training needs more than 1 value per channel, got x of shape {x.shape}")

    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, channels) + (1,) * (x.ndim - 2)  # broadcast per-channel vectors against x
    mean = x.mean(axis=axes)
    var = ((x - mean.reshape(shape)) ** 2).mean(axis=axes)
    if training:
        norm_mean, norm_var = mean, var
        new_mean = (1 - momentum) * running_mean + momentum * mean
        new_var = (1 - momentum) * running_var + momentum * var * count / (count - 1)
    else:
        norm_mean, norm_var = running_mean, running_var
        new_mean, new_var = running_mean.copy(), running_var.copy()
    x_hat = (x - norm_mean.reshape(shape)) / np.sqrt(norm_var.reshape(shape) + eps)
    y = gamma.reshape(shape) * x_hat + beta.reshape(shape)
    return BatchNormResult(y=y, mean=mean, var=var, running_mean=new_mean, running_var=new_var)


@dataclass(frozen=True, slots=True)
class BatchNormGrads:
    """Gradients of a training-mode batch norm, read by name: ``dx`` has the shape of x, ``dgamma``
    and ``dbeta`` shape (C,)."""

    dx: np.ndarray
    dgamma: np.ndarray
    dbeta: np.ndarray


def batch_norm_backward(x: object, gamma: object, dy: object, *, eps: float = 1e-5) -> BatchNormGrads:
    """Backward pass of training-mode batch norm, given the upstream gradient ``dy``.

    With ``x_hat = (x - mu) / sigma`` over the m values of a channel,

    ``dbeta = sum dy``, ``dgamma = sum dy * x_hat`` and
    ``dx = gamma / sigma * (dy - mean(dy) - x_hat * mean(dy * x_hat))``,

    so ``dx`` sums to 0 over each channel (the mean was subtracted) and is orthogonal to ``x_hat``.
    Matches torch autograd through ``torch.nn.functional.batch_norm(training=True)``.

    >>> g = batch_norm_backward([[1.0], [2.0], [3.0], [4.0]], None, [[1.0], [0.0], [0.0], [0.0]])
    >>> round(float(g.dx.sum()), 12), float(g.dbeta[0])
    (0.0, 1.0)
    """
    x = as_float_array("x", x, ndims=(2, 3, 4))
    dy = as_float_array("dy", dy, ndims=(2, 3, 4))
    if dy.shape != x.shape:
        raise ValueError(f"x and dy must have the same shape, got {x.shape} and {dy.shape}")
    channels = x.shape[1]
    if x.size // max(channels, 1) < 2:
        raise ValueError(f"training needs more than 1 value per channel, got x of shape {x.shape}")
    gamma = _channel_param("gamma", gamma, channels, 1.0)
    eps = check_number("eps", eps, low=0.0, low_open=True)
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, channels) + (1,) * (x.ndim - 2)
    mean = x.mean(axis=axes).reshape(shape)
    sigma = np.sqrt(((x - mean) ** 2).mean(axis=axes).reshape(shape) + eps)
    x_hat = (x - mean) / sigma
    dbeta = dy.sum(axis=axes)
    dgamma = (dy * x_hat).sum(axis=axes)
    dy_mean = dy.mean(axis=axes).reshape(shape)
    proj = (dy * x_hat).mean(axis=axes).reshape(shape)
    dx = gamma.reshape(shape) / sigma * (dy - dy_mean - x_hat * proj)
    return BatchNormGrads(dx=dx, dgamma=dgamma, dbeta=dbeta)


@dataclass(frozen=True, slots=True)
class FoldedConv:
    """A convolution with an evaluation-mode batch norm folded in, read by name."""

    weight: np.ndarray
    bias: np.ndarray


def fold_bn_into_conv(
    weight: object,
    bias: object,
    gamma: object,
    beta: object,
    running_mean: object,
    running_var: object,
    *,
    eps: float = 1e-5,
) -> FoldedConv:
    """Fold ``BN(conv(x))`` (BN in evaluation mode) into one convolution.

    With ``sigma = sqrt(running_var + eps)`` per output channel o:
    ``W'[o] = gamma[o] / sigma[o] * W[o]`` and ``b'[o] = gamma[o] (b[o] - mu[o]) / sigma[o] + beta[o]``.

    Parameters
    ----------
    weight : array-like of shape (C_out, C_in, kh, kw) or (C_out, C_in)
    bias : array-like of shape (C_out,) or None (a convolution without bias, b = 0)
    gamma, beta, running_mean, running_var : array-like of shape (C_out,)

    Returns
    -------
    FoldedConv
        Equal to ``torch.nn.utils.fusion.fuse_conv_bn_eval(conv, bn)``'s weight and bias.

    >>> f = fold_bn_into_conv([[2.0]], [1.0], [3.0], [0.5], [1.0], [4.0], eps=0.0)
    >>> f.weight.tolist(), f.bias.tolist()
    ([[3.0]], [0.5])
    """
    w = as_float_array("weight", weight, ndims=(2, 4))
    out = w.shape[0]
    b = _channel_param("bias", bias, out, 0.0)
    gamma = _channel_param("gamma", gamma, out, 1.0)
    beta = _channel_param("beta", beta, out, 0.0)
    mu, var = _running_stats(running_mean, running_var, out)
    eps = check_number("eps", eps, low=0.0)
    if ((var + eps) == 0).any():
        raise ValueError("running_var + eps must be positive in every channel")
    scale = gamma / np.sqrt(var + eps)
    folded = w * scale.reshape((out,) + (1,) * (w.ndim - 1))
    return FoldedConv(weight=folded, bias=(b - mu) * scale + beta)


# --- generator -------------------------------------------------------------------------------

_EPS = 1e-5
_MOMENTUM = 0.1
_RUN_MEAN, _RUN_VAR = "\\mu_{\\text{run}}", "\\sigma^2_{\\text{run}}"


def _draw_x(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    while True:
        x = rng.integers(-5, 10, size=shape).astype(np.float64)
        spread = x.max(axis=(0,) + tuple(range(2, x.ndim))) - x.min(axis=(0,) + tuple(range(2, x.ndim)))
        if (spread > 0).all():  # a constant channel has variance 0: nothing to normalise
            return x


def _show_x(x: np.ndarray) -> str:
    if x.ndim == 2:
        headers = ["sample"] + [f"channel {c}" for c in range(x.shape[1])]
        return md_table(headers, [[n] + row.tolist() for n, row in enumerate(x)])
    lines = [
        f"- $x[{n}, {c}]$ = `{[[int(v) for v in row] for row in x[n, c]]}`"
        for n in range(x.shape[0])
        for c in range(x.shape[1])
    ]
    return "\n".join(lines)


def _layout_text(ndim: int) -> str:
    """How to read the shape of x and the indices of y."""
    if ndim == 2:
        return "in (N, C) layout: row $n$ is a sample, column $c$ a channel, and $y[n, c]$ is sample $n$, channel $c$"
    return (
        "in (N, C, H, W) layout (batch, channel, height, width): $x[n, c]$ is the $H \\times W$ feature map of "
        "sample $n$ "
        "in channel $c$, listed row by row, and $y[n, c, h, w]$ is sample $n$, channel $c$, row $h$, column $w$"
    )


def _index_text(index: tuple[int, ...]) -> str:
    return "y[" + ", ".join(str(i) for i in index) + "]"


def _build(rng: np.random.Generator, difficulty: int) -> Draft:
    shape = {1: (4, 1), 2: (int(rng.integers(4, 7)), 2), 3: (2, 2, 2, 2)}[difficulty]
    x = _draw_x(rng, shape)
    channels = shape[1]
    if difficulty == 1:
        gamma, beta = np.ones(1), np.zeros(1)
    else:
        gamma = rng.choice([0.5, 1.0, 1.5, 2.0], size=channels)
        beta = rng.choice([-1.0, -0.5, 0.0, 0.5, 1.0], size=channels)
    variants = ["stats", "output", "running_mean", "running_var"] + (["eval"] if difficulty > 1 else [])
    ask = pick(rng, variants)
    running_mean = running_var = None
    if ask == "eval":
        running_mean = rng.integers(-20, 41, size=channels) / 10
        running_var = rng.integers(5, 51, size=channels) / 10
    result = batch_norm(
        x, gamma, beta, eps=_EPS, momentum=_MOMENTUM, running_mean=running_mean,
        running_var=running_var, training=ask != "eval",
    )
    index = tuple(int(rng.integers(0, s)) for s in shape)
    c = index[1]
    count = x.size // channels

    setup = (
        f"A batch-norm layer (PyTorch conventions, $\\epsilon = 10^{{-5}}$, momentum $0.1$) receives "
        f"x of shape {shape} {_layout_text(x.ndim)} (indices count from 0):\n\n{_show_x(x)}\n\n"
        f"with $\\gamma = {fmt_vector(gamma)}$ and $\\beta = {fmt_vector(beta)}$ (one per channel). "
    )
    if ask == "stats":
        question = (
            f"In training mode, give the batch mean and the (biased) batch variance of channel {c} "
            "as a vector [mean, variance]."
        )
        answer: float | list[float] = [float(result.mean[c]), float(result.var[c])]
    elif ask == "output":
        question = (
            "In training mode the layer normalises each channel with its batch mean $\\mu$ and its biased batch "
            "variance $\\sigma^2 = \\frac{1}{m} \\sum_i (x_i - \\mu)^2$ over the $m$ values of that channel "
            f"(divide by $m$, not $m - 1$). Compute the output ${_index_text(index)}$."
        )
        answer = float(result.y[index])
    elif ask == "running_mean":
        question = (
            "The running statistics start at mean 0 and variance 1. After this training step, what is the "
            f"running mean of channel {c}?"
        )
        answer = float(result.running_mean[c])
    elif ask == "running_var":
        question = (
            f"The running statistics start at mean 0 and variance 1. After this training step, what is the "
            f"running variance of channel {c}? (PyTorch updates it with the unbiased batch variance.)"
        )
        answer = float(result.running_var[c])
    else:
        question = (
            f"The layer is in evaluation mode with running mean ${fmt_vector(running_mean)}$ and running "
            f"variance ${fmt_vector(running_var)}$. Compute the output ${_index_text(index)}$."
        )
        answer = float(result.y[index])
    length = 2 if ask == "stats" else 1
    prompt = setup + question + " " + precision_note(3, length=length)

    params = {
        "x": x.tolist(), "gamma": gamma.tolist(), "beta": beta.tolist(), "eps": _EPS, "momentum": _MOMENTUM,
        "running_mean": None if running_mean is None else running_mean.tolist(),
        "running_var": None if running_var is None else running_var.tolist(),
        "training": ask != "eval", "ask": ask, "channel": c, "index": list(index),
    }
    solution = _solution(x, gamma, beta, result, ask, index, count, running_mean, running_var)
    return Draft(prompt, params, answer, Tolerance(sig_figs=3), solution)


def _solution(
    x: np.ndarray,
    gamma: np.ndarray,
    beta: np.ndarray,
    result: BatchNormResult,
    ask: str,
    index: tuple[int, ...],
    count: int,
    running_mean: np.ndarray | None,
    running_var: np.ndarray | None,
) -> str:
    c = index[1]
    values = np.moveaxis(x, 1, 0)[c].ravel()
    mean, var = float(result.mean[c]), float(result.var[c])
    if running_mean is not None and running_var is not None:  # evaluation mode: the batch statistics play no part
        mu, v = float(running_mean[c]), float(running_var[c])
        lines = [
            "In evaluation mode batch norm uses the running statistics only; the batch's own mean and variance "
            f"are not computed or used. For channel {c}: ${_RUN_MEAN} = {fmt(mu)}$, ${_RUN_VAR} = {fmt(v)}$."
        ]
    else:
        mu, v = mean, var
        lines = [
            f"Channel {c} holds the $m = {count}$ values {fmt_vector(values)}.",
            f"$$\\mu = \\frac{{1}}{{m}} \\sum_i x_i = {fmt(mean, 6)}$$",
            f"$$\\sigma^2 = \\frac{{1}}{{m}} \\sum_i (x_i - \\mu)^2 = {fmt(var, 6)}$$",
        ]
    if ask == "output":
        lines.append(
            f"Normalised with these (biased) statistics, channel {c} reads "
            f"{fmt_vector(((values - mu) / np.sqrt(v + _EPS)).round(4))}."
        )
    if ask in ("output", "eval"):
        xi = float(x[tuple(index)])
        x_hat = (xi - mu) / np.sqrt(v + _EPS)
        mean_name, var_name = (_RUN_MEAN, _RUN_VAR) if ask == "eval" else ("\\mu", "\\sigma^2")
        lines.append(
            f"$$\\hat x = \\frac{{x - {mean_name}}}{{\\sqrt{{{var_name} + \\epsilon}}}} = "
            f"\\frac{{{fmt(xi)} - {fmt_factor(mu, 6)}}}"
            f"{{\\sqrt{{{fmt(v, 6)} + 10^{{-5}}}}}} = {fmt(x_hat, 6)}$$"
        )
        lines.append(
            f"$$y = \\gamma \\hat x + \\beta = {fmt(gamma[c])} \\cdot {fmt_factor(x_hat, 6)} + {fmt_factor(beta[c])} = "
            f"{fmt(result.y[tuple(index)], 6)}$$"
        )
    if ask == "running_mean":
        lines.append(
            f"$${_RUN_MEAN} = 0.9 \\cdot 0 + 0.1 \\cdot {fmt_factor(mean, 6)} = {fmt(result.running_mean[c], 6)}$$"
        )
    if ask == "running_var":
        unbiased = var * count / (count - 1)
        lines.append(
            f"The unbiased variance is $\\sigma^2 \\cdot \\frac{{m}}{{m - 1}} = {fmt(var, 6)} \\cdot "
            f"\\frac{{{count}}}{{{count - 1}}} = {fmt(unbiased, 6)}$, so"
        )
        lines.append(
            f"$${_RUN_VAR} = 0.9 \\cdot 1 + 0.1 \\cdot {fmt(unbiased, 6)} = {fmt(result.running_var[c], 6)}$$"
        )
    return "\n\n".join(lines)


# --- folding BN into the convolution before it --------------------------------------------------

_VARIANCES = [0.25, 0.64, 1.0, 1.44, 2.25, 4.0]  # sigma close to 0.5, 0.8, 1, 1.2, 1.5, 2


def _build_fold(rng: np.random.Generator, difficulty: int) -> Draft:
    c_in, c_out = {1: (2, 1), 2: (2, 2), 3: (3, 2)}[difficulty]
    has_bias = difficulty < 3  # conv layers followed by BN are usually built with bias=False
    w = rng.integers(-10, 11, size=(c_out, c_in)) / 10
    b = rng.integers(-5, 6, size=c_out) / 10 if has_bias else np.zeros(c_out)
    gamma = rng.choice([0.5, 1.0, 1.5, 2.0], size=c_out)
    beta = rng.integers(-5, 6, size=c_out) / 10
    mu = rng.integers(-10, 11, size=c_out) / 10
    var = rng.choice(_VARIANCES, size=c_out)
    folded = fold_bn_into_conv(w, b if has_bias else None, gamma, beta, mu, var, eps=_EPS)
    o = int(rng.integers(0, c_out))
    ask = "bias" if difficulty == 1 else "channel"
    headers = ["output channel"] + [f"w from input {c}" for c in range(c_in)] + (["bias"] if has_bias else [])
    rows = [[k] + w[k].tolist() + ([b[k]] if has_bias else []) for k in range(c_out)]
    bn_rows = [[k, gamma[k], beta[k], mu[k], var[k]] for k in range(c_out)]
    conv_text = f"`nn.Conv2d({c_in}, {c_out}, kernel_size=1, bias={has_bias})`"
    prompt = (
        f"For inference, a {conv_text} followed by `nn.BatchNorm2d({c_out})` in evaluation mode "
        "($\\epsilon = 10^{-5}$) is folded into a single convolution with weights $W'$ and bias $b'$.\n\n"
        f"Convolution:\n\n{md_table(headers, rows)}\n\n"
        f"Batch norm:\n\n{md_table(['channel', 'gamma', 'beta', 'running mean', 'running var'], bn_rows)}\n\n"
    )
    if ask == "bias":
        prompt += f"What is the folded bias $b'$ of output channel {o}? " + precision_note(3)
        answer: float | list[float] = float(folded.bias[o])
    else:
        prompt += (
            f"Give output channel {o} of the folded convolution as the vector "
            f"[{', '.join(f'W_{o}{c}' for c in range(c_in))}, b_{o}] (its weights, then its bias). "
            + precision_note(3, length=c_in + 1)
        )
        answer = folded.weight[o].tolist() + [float(folded.bias[o])]
    sigma = float(np.sqrt(var[o] + _EPS))
    scale = float(gamma[o] / sigma)
    lines = [
        "In evaluation mode BN is a fixed affine map per channel, $y = \\gamma \\frac{z - \\mu}{\\sigma} + \\beta$ "
        "with $\\sigma = \\sqrt{\\sigma^2_{\\text{run}} + \\epsilon}$, applied to the convolution's output "
        "$z = W x + b$. Substituting gives one convolution:",
        "$$W' = \\frac{\\gamma}{\\sigma} W, \\qquad b' = \\frac{\\gamma}{\\sigma} (b - \\mu) + \\beta$$",
        f"Channel {o}: $\\sigma = \\sqrt{{{fmt(var[o])} + 10^{{-5}}}} = {fmt(sigma, 7)}$, so "
        f"$\\frac{{\\gamma}}{{\\sigma}} = \\frac{{{fmt(gamma[o])}}}{{{fmt(sigma, 7)}}} = {fmt(scale, 6)}$.",
    ]
    if ask == "channel":
        lines.append(
            f"$W'_{o} = {fmt(scale, 6)} \\cdot {fmt_vector(w[o])} = {fmt_vector(folded.weight[o])}$."
        )
    b_text = fmt(b[o]) if has_bias else "0"
    lines.append(
        f"$b'_{o} = {fmt(scale, 6)} \\cdot ({b_text} - {fmt_factor(mu[o])}) + {fmt_factor(beta[o])} = "
        f"{fmt(folded.bias[o], 6)}$."
    )
    if not has_bias:
        lines.append("The convolution had no bias, yet the folded one needs one: BN's shift moves into it.")
    params = {
        "ask": ask, "weight": w.tolist(), "bias": b.tolist() if has_bias else None, "gamma": gamma.tolist(),
        "beta": beta.tolist(), "running_mean": mu.tolist(), "running_var": var.tolist(), "eps": _EPS, "channel": o,
    }
    return Draft(prompt, params, answer, Tolerance(sig_figs=3), "\n\n".join(lines))


# --- the backward pass ---------------------------------------------------------------------------


def _build_backward(rng: np.random.Generator, difficulty: int) -> Draft:
    m = 4 if difficulty < 3 else 5
    x = _draw_x(rng, (m, 1))
    gamma = float(pick(rng, [0.5, 1.0, 1.5, 2.0]))
    dy = rng.integers(-4, 5, size=(m, 1)) / 2
    while not dy.any():
        dy = rng.integers(-4, 5, size=(m, 1)) / 2
    grads = batch_norm_backward(x, [gamma], dy, eps=_EPS)
    ask = pick(rng, ["dgamma", "dbeta"]) if difficulty == 1 else ("dx" if difficulty == 2 else "dx_all")
    i = int(rng.integers(0, m))
    prompt = (
        f"A batch-norm layer in training mode ($\\epsilon = 10^{{-5}}$, $\\gamma = {fmt(gamma)}$) normalises one "
        f"feature over a batch of $m = {m}$ values $x = {fmt_vector(x[:, 0])}$, giving "
        "$y_i = \\gamma \\hat x_i + \\beta$ with $\\hat x_i = (x_i - \\mu) / \\sqrt{\\sigma^2 + \\epsilon}$ "
        "(batch mean, biased batch variance). The gradient of the loss with respect to the outputs is "
        f"$\\partial L / \\partial y = {fmt_vector(dy[:, 0])}$. "
    )
    if ask == "dgamma":
        prompt += "What is $\\partial L / \\partial \\gamma$? " + precision_note(3)
        answer: float | list[float] = float(grads.dgamma[0])
    elif ask == "dbeta":
        prompt += "What is $\\partial L / \\partial \\beta$? " + precision_note(3)
        answer = float(grads.dbeta[0])
    elif ask == "dx":
        prompt += (
            f"What is $\\partial L / \\partial x_{{{i + 1}}}$ (value number {i + 1}, counting from 1)? Remember that "
            "$\\mu$ and $\\sigma^2$ depend on every $x_j$. " + precision_note(3)
        )
        answer = float(grads.dx[i, 0])
    else:
        prompt += "Give $\\partial L / \\partial x$ for the whole batch. " + precision_note(3, length=m)
        answer = grads.dx[:, 0].tolist()
    result = batch_norm(x, [gamma], [0.0], eps=_EPS)
    x_hat = result.y[:, 0] / gamma
    sigma = float(np.sqrt(result.var[0] + _EPS))
    g = dy[:, 0]
    lines = [
        f"$\\mu = {fmt(result.mean[0], 6)}$, $\\sigma = \\sqrt{{\\sigma^2 + \\epsilon}} = {fmt(sigma, 6)}$, "
        f"$\\hat x = {fmt_vector(x_hat.round(4))}$ (rounded for display).",
    ]
    if ask == "dbeta":
        lines.append(f"$$\\frac{{\\partial L}}{{\\partial \\beta}} = \\sum_i \\frac{{\\partial L}}{{\\partial y_i}} = {fmt(grads.dbeta[0], 6)}$$")
    elif ask == "dgamma":
        lines.append(
            f"$$\\frac{{\\partial L}}{{\\partial \\gamma}} = \\sum_i \\frac{{\\partial L}}{{\\partial y_i}} \\hat x_i = "
            f"{fmt(grads.dgamma[0], 6)}$$"
        )
    else:
        lines += [
            "Differentiating through $\\mu$ and $\\sigma$ as well as $x_i$ gives",
            "$$\\frac{\\partial L}{\\partial x_i} = \\frac{\\gamma}{\\sigma} \\left( g_i - \\bar g - "
            "\\hat x_i c \\right)$$",
            f"with $g = \\partial L / \\partial y$, $\\bar g = \\frac{{1}}{{m}} \\sum_j g_j = {fmt(float(g.mean()), 6)}$ "
            f"and $c = \\frac{{1}}{{m}} \\sum_j g_j \\hat x_j = {fmt(float((g * x_hat).mean()), 6)}$.",
        ]
        if ask == "dx":
            lines.append(
                f"$$\\frac{{\\partial L}}{{\\partial x_{{{i + 1}}}}} = \\frac{{{fmt(gamma)}}}{{{fmt(sigma, 6)}}} "
                f"\\left( {fmt(g[i])} - {fmt_factor(float(g.mean()), 6)} - {fmt_factor(float(x_hat[i]), 6)} \\cdot "
                f"{fmt_factor(float((g * x_hat).mean()), 6)} \\right) = {fmt(grads.dx[i, 0], 6)}$$"
            )
        else:
            lines.append(f"$$\\frac{{\\partial L}}{{\\partial x}} = {fmt_vector(grads.dx[:, 0].round(6))}$$")
        lines.append(
            "The entries sum to 0 (adding the same amount to every $x_j$ leaves $\\hat x$ unchanged) and are "
            "orthogonal to $\\hat x$ (so does scaling every $x_j$): BN passes on only the part of the gradient "
            "that can change the normalised pattern."
        )
    params = {"ask": ask, "x": x.tolist(), "gamma": gamma, "dy": dy.tolist(), "eps": _EPS, "index": i}
    return Draft(prompt, params, answer, Tolerance(sig_figs=3), "\n\n".join(lines))


SOLVERS = (
    Solver("batchnorm", "batch-norm", "Batch normalisation by hand", _build),
    Solver("bn-fold", "batch-norm", "Folding batch norm into the convolution", _build_fold),
    Solver("bn-backward", "batch-norm", "The batch-norm backward pass", _build_backward),
)
