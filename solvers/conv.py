"""Convolution arithmetic: parameter counts, output sizes and the 1x1 convolution, with the
problem generator for 1x1 convolutions and bottlenecks.

A 1x1 convolution is a per-pixel linear map across channels, ``y[o, i, j] = sum_c W[o, c]
x[c, i, j] + b[o]``; a bottleneck (1x1 down, 3x3, 1x1 up) uses it to cut the parameters of a
3x3 convolution on many channels.
"""

from __future__ import annotations

import numpy as np

from ._format import fmt, fmt_factor, fmt_vector, md_table, precision_note
from ._validate import as_float_array, check_count
from .answers import Tolerance
from .problem import Draft, Solver, pick

__all__ = ["SOLVERS", "conv1x1", "conv2d_output_size", "conv2d_params"]


def _kernel_size(k: object) -> tuple[int, int]:
    if isinstance(k, (tuple, list)):
        if len(k) != 2:
            raise ValueError(f"k must be an integer or a pair (kh, kw), got {k!r}")
        return check_count("k[0]", k[0], minimum=1), check_count("k[1]", k[1], minimum=1)
    size = check_count("k", k, minimum=1)
    return size, size


def conv2d_params(c_in: int, c_out: int, k: int | tuple[int, int], *, bias: bool = True, groups: int = 1) -> int:
    """Number of learnable parameters of ``torch.nn.Conv2d(c_in, c_out, k, bias=bias, groups=groups)``.

    ``c_out * (c_in / groups) * kh * kw`` weights, plus ``c_out`` biases.

    >>> conv2d_params(256, 64, 1, bias=False), conv2d_params(3, 16, 3)
    (16384, 448)
    """
    c_in = check_count("c_in", c_in, minimum=1)
    c_out = check_count("c_out", c_out, minimum=1)
    groups = check_count("groups", groups, minimum=1)
    kh, kw = _kernel_size(k)
    if c_in % groups or c_out % groups:
        raise ValueError(f"c_in ({c_in}) and c_out ({c_out}) must both be divisible by groups ({groups})")
    return c_out * (c_in // groups) * kh * kw + (c_out if bias else 0)


def conv2d_output_size(h: int, k: int, *, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Output length along one spatial axis: ``floor((h + 2p - d (k - 1) - 1) / s) + 1``.

    >>> conv2d_output_size(32, 3, padding=1), conv2d_output_size(224, 7, stride=2, padding=3)
    (32, 112)
    """
    h = check_count("h", h, minimum=1)
    k = check_count("k", k, minimum=1)
    stride = check_count("stride", stride, minimum=1)
    padding = check_count("padding", padding)
    dilation = check_count("dilation", dilation, minimum=1)
    span = dilation * (k - 1) + 1
    if h + 2 * padding < span:
        raise ValueError(
            f"the kernel spans {span} pixels (k={k}, dilation={dilation}) but the padded input has only "
            f"{h + 2 * padding} (h={h}, padding={padding})"
        )
    return (h + 2 * padding - span) // stride + 1


def conv1x1(x: object, w: object, b: object = None) -> np.ndarray:
    """A 1x1 convolution: ``y[n, o, i, j] = sum_c w[o, c] x[n, c, i, j] + b[o]``.

    Parameters
    ----------
    x : array-like of shape (N, C_in, H, W) or (C_in, H, W)
    w : array-like of shape (C_out, C_in) or (C_out, C_in, 1, 1)
    b : array-like of shape (C_out,), optional

    Returns
    -------
    numpy.ndarray of shape (N, C_out, H, W) or (C_out, H, W)
        Equal to ``torch.nn.functional.conv2d(x, w, b)`` with a 1x1 kernel.

    Examples
    --------
    >>> conv1x1([[[1.0]], [[2.0]]], [[0.5, -1.0]], [0.25]).tolist()
    [[[-1.25]]]
    """
    x = as_float_array("x", x, ndims=(3, 4))
    w = as_float_array("w", w, ndims=(2, 4))
    if w.ndim == 4:
        if w.shape[2:] != (1, 1):
            raise ValueError(f"w must be a 1x1 kernel of shape (C_out, C_in, 1, 1), got {w.shape}")
        w = w[:, :, 0, 0]
    channel_axis = x.ndim - 3
    if w.shape[1] != x.shape[channel_axis]:
        raise ValueError(f"w has {w.shape[1]} input channels but x has {x.shape[channel_axis]} (shape {x.shape})")
    y = np.moveaxis(np.tensordot(w, x, axes=([1], [channel_axis])), 0, channel_axis)
    if b is not None:
        bias = as_float_array("b", b, ndims=(1,))
        if bias.shape != (w.shape[0],):
            raise ValueError(f"b must have shape ({w.shape[0]},) to match w, got {bias.shape}")
        y = y + bias.reshape((-1, 1, 1))
    return y


# --- generator -------------------------------------------------------------------------------


def _build_bottleneck(rng: np.random.Generator, difficulty: int) -> Draft:
    # Each difficulty draws from its own instances, so one seed never gives the same card twice:
    # 1: a 3x3 convolution on up to 512 channels; 2: wider layers (up to ResNet-50's 2048), and the
    # ratio may be asked; 3: a 5x5 convolution, where the bottleneck saves even more.
    channels = pick(rng, {1: [64, 128, 256, 512], 2: [384, 768, 1024, 2048], 3: [128, 256, 512, 768]}[difficulty])
    mid = channels // pick(rng, [2, 4] if difficulty < 3 else [2, 4, 8])
    k = 5 if difficulty == 3 else 3
    direct = conv2d_params(channels, channels, k, bias=False)
    parts = [
        conv2d_params(channels, mid, 1, bias=False),
        conv2d_params(mid, mid, k, bias=False),
        conv2d_params(mid, channels, 1, bias=False),
    ]
    bottleneck = sum(parts)
    ask_ratio = difficulty > 1 and rng.random() < 0.5
    prompt = (
        f"A {k}x{k} convolution maps {channels} channels to {channels} channels (no bias). A bottleneck replaces it "
        f"with a 1x1 convolution down to {mid} channels, a {k}x{k} convolution {mid} to {mid}, and a 1x1 "
        f"convolution back up to {channels} (no biases). "
    )
    if ask_ratio:
        prompt += "How many times fewer weights does the bottleneck have (direct / bottleneck)? " + precision_note(3)
        answer, tolerance = direct / bottleneck, Tolerance(sig_figs=3)
    else:
        prompt += "How many weights does the bottleneck save? " + precision_note(None)
        answer, tolerance = float(direct - bottleneck), Tolerance(abs=0.0)
    lines = [
        f"Direct: ${k} \\cdot {k} \\cdot {channels} \\cdot {channels} = {direct}$.",
        f"Bottleneck: ${channels} \\cdot {mid} + {k} \\cdot {k} \\cdot {mid} \\cdot {mid} + {mid} \\cdot "
        f"{channels} = {parts[0]} + {parts[1]} + {parts[2]} = {bottleneck}$.",
    ]
    if ask_ratio:
        lines.append(f"Ratio: $\\frac{{{direct}}}{{{bottleneck}}} = {fmt(direct / bottleneck, 4)}$.")
    else:
        lines.append(f"Saved: ${direct} - {bottleneck} = {direct - bottleneck}$ weights.")
    params = {"ask": "ratio" if ask_ratio else "saved", "channels": channels, "mid": mid, "k": k}
    return Draft(prompt, params, answer, tolerance, "\n\n".join(lines))


def _build_params(rng: np.random.Generator, difficulty: int) -> Draft:
    if difficulty < 3:
        c_in = pick(rng, [16, 32, 64, 128, 192, 256])
        c_out = pick(rng, [8, 16, 32, 64, 96])
        k = 1 if difficulty == 1 else pick(rng, [3, 5])  # 3 or 5 at difficulty 2, so it never repeats 1
    else:  # wider layers and larger kernels only, so difficulty 3 never repeats difficulty 2
        c_in = pick(rng, [96, 160, 320, 384, 512, 768])
        c_out = pick(rng, [128, 160, 256, 384, 512])
        k = pick(rng, [3, 5, 7])
    bias = bool(rng.random() < 0.5)
    count = conv2d_params(c_in, c_out, k, bias=bias)
    prompt = (
        f"How many learnable parameters does `nn.Conv2d({c_in}, {c_out}, kernel_size={k}, bias={bias})` have? "
        + precision_note(None)
    )
    weights = c_out * c_in * k * k
    solution = (
        f"Weights: $C_{{\\text{{out}}}} \\cdot C_{{\\text{{in}}}} \\cdot k \\cdot k = "
        f"{c_out} \\cdot {c_in} \\cdot {k} \\cdot {k} = {weights}$"
    )
    solution += f"; plus {c_out} biases: ${weights} + {c_out} = {count}$." if bias else f"; no biases: {count}."
    params = {"ask": "params", "c_in": c_in, "c_out": c_out, "k": k, "bias": bias}
    return Draft(prompt, params, float(count), Tolerance(abs=0.0), solution)


def _build_output_size(rng: np.random.Generator, difficulty: int) -> Draft:
    h = pick(rng, [14, 28, 32, 56, 64, 224])
    k = pick(rng, [1, 3, 5, 7] if difficulty < 3 else [3, 5, 7])  # dilation does nothing to a 1x1 kernel
    # stride 1 at difficulty 1, always 2 at difficulty 2 (so the two never coincide), either at 3
    stride = difficulty if difficulty < 3 else pick(rng, [1, 2])
    padding = int(rng.integers(0, k // 2 + 1))
    dilation = 1
    if difficulty == 3:  # always dilated, so difficulty 3 never repeats difficulty 2
        dilation = pick(rng, [2, 3])
        if dilation * (k - 1) + 1 > h + 2 * padding:
            dilation = 2
    size = conv2d_output_size(h, k, stride=stride, padding=padding, dilation=dilation)
    dilation_text = f", dilation={dilation}" if dilation != 1 else ""
    prompt = (
        f"An input of shape (N, C, {h}, {h}) goes through `nn.Conv2d(C, C_out, kernel_size={k}, stride={stride}, "
        f"padding={padding}{dilation_text})`. What is the output height? " + precision_note(None)
    )
    solution = (
        f"$$H_{{\\text{{out}}}} = \\left\\lfloor \\frac{{H + 2p - d(k - 1) - 1}}{{s}} \\right\\rfloor + 1 = "
        f"\\left\\lfloor \\frac{{{h} + {2 * padding} - {dilation * (k - 1)} - 1}}{{{stride}}} \\right\\rfloor + 1 "
        f"= {size}$$"
    )
    params = {"ask": "output_size", "h": h, "k": k, "stride": stride, "padding": padding, "dilation": dilation}
    return Draft(prompt, params, float(size), Tolerance(abs=0.0), solution)


def _build_value(rng: np.random.Generator, difficulty: int) -> Draft:
    c_in, c_out, spatial = {1: (2, 1, 1), 2: (3, 2, 1), 3: (2, 2, 2)}[difficulty]
    x = rng.integers(-5, 6, size=(c_in, spatial, spatial)).astype(np.float64)
    w = rng.integers(-10, 11, size=(c_out, c_in)) / 10
    b = rng.integers(-5, 6, size=c_out) / 10
    # Inputs are on a 0.1 grid, so the exact outputs are too: rounding only removes float noise
    # (an exact 0 must not show as -1.11022e-16).
    y = np.round(conv1x1(x, w, b), 10) + 0.0
    weight_rows = md_table(["output channel"] + [f"w from input {c}" for c in range(c_in)] + ["bias"],
                           [[o] + w[o].tolist() + [b[o]] for o in range(c_out)])
    if spatial == 1:
        pixel = f"The input pixel has channel values $x = {fmt_vector(x[:, 0, 0])}$."
        answer = y[:, 0, 0].tolist()
        question = "Give the output at that pixel" + (" (one value per output channel)." if c_out > 1 else ".")
    else:
        pixel = "The input has 2 channels of 2x2 pixels:\n\n" + "\n".join(
            f"- channel {c}: `{x[c].astype(int).tolist()}`" for c in range(c_in))
        o = int(rng.integers(0, c_out))
        answer = y[o].ravel().tolist()
        question = f"Give output channel {o} as the 4 values in row-major order [y00, y01, y10, y11]."
    prompt = (
        f"A 1x1 convolution has these weights and biases:\n\n{weight_rows}\n\n{pixel}\n\n{question} "
        + precision_note(3, length=len(answer))
    )
    solution = (
        "A 1x1 convolution mixes channels pixel by pixel: $y_o = \\sum_c w_{oc} x_c + b_o$.\n\n"
        + "\n".join(
            f"- pixel ({i}, {j}), channel {o}: "
            + " + ".join(f"{fmt_factor(w[o, c])} · {fmt_factor(x[c, i, j])}" for c in range(c_in))
            + f" + {fmt_factor(b[o])} = {fmt(y[o, i, j])}"
            for i in range(spatial) for j in range(spatial) for o in range(c_out)
        )
    )
    params = {"ask": "value", "x": x.tolist(), "w": w.tolist(), "b": b.tolist()}
    if spatial > 1:
        params["channel"] = o
    return Draft(prompt, params, answer[0] if len(answer) == 1 else answer, Tolerance(sig_figs=3), solution)


def _build(rng: np.random.Generator, difficulty: int) -> Draft:
    variant = [_build_bottleneck, _build_params, _build_output_size, _build_value][int(rng.integers(0, 4))]
    return variant(rng, difficulty)


SOLVERS = (Solver("conv1x1", "conv-1x1", "1x1 convolutions and bottlenecks", _build),)
