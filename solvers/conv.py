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


def _saving(
    prompt: str, lines: list[str], direct: int, cheaper: int, ask_ratio: bool, noun: str, design: str
) -> tuple[str, float, Tolerance, list[str]]:
    """The question, answer and last solution line of "how much does the cheaper design save": the ratio
    direct / cheaper to 3 significant figures, or the exact number of ``noun`` saved."""
    if ask_ratio:
        prompt += f"How many times fewer {noun} does the {design} need (direct / {design})? " + precision_note(3)
        lines.append(f"Ratio: $\\frac{{{direct}}}{{{cheaper}}} = {fmt(direct / cheaper, 4)}$.")
        return prompt, direct / cheaper, Tolerance(sig_figs=3), lines
    prompt += f"How many {noun} does the {design} save? " + precision_note(None)
    lines.append(f"Saved: ${direct} - {cheaper} = {direct - cheaper}$ {noun}.")
    return prompt, float(direct - cheaper), Tolerance(abs=0.0), lines


def _build_bottleneck(rng: np.random.Generator, difficulty: int) -> Draft:
    # ResNet's bottleneck block: 1x1 down to mid channels, 3x3, 1x1 back up (He et al. 2016).
    channels = pick(rng, [256, 384, 512, 768, 1024, 2048])
    mid = channels // pick(rng, [2, 4])
    k = 3
    direct = conv2d_params(channels, channels, k, bias=False)
    parts = [
        conv2d_params(channels, mid, 1, bias=False),
        conv2d_params(mid, mid, k, bias=False),
        conv2d_params(mid, channels, 1, bias=False),
    ]
    bottleneck = sum(parts)
    ask_ratio = rng.random() < 0.5
    prompt = (
        f"A {k}x{k} convolution maps {channels} channels to {channels} channels (no bias). A bottleneck replaces it "
        f"with a 1x1 convolution down to {mid} channels, a {k}x{k} convolution {mid} to {mid}, and a 1x1 "
        f"convolution back up to {channels} (no biases). "
    )
    lines = [
        f"Direct: ${k} \\cdot {k} \\cdot {channels} \\cdot {channels} = {direct}$.",
        f"Bottleneck: ${channels} \\cdot {mid} + {k} \\cdot {k} \\cdot {mid} \\cdot {mid} + {mid} \\cdot "
        f"{channels} = {parts[0]} + {parts[1]} + {parts[2]} = {bottleneck}$.",
    ]
    prompt, answer, tolerance, lines = _saving(prompt, lines, direct, bottleneck, ask_ratio, "weights", "bottleneck")
    params = {"ask": "ratio" if ask_ratio else "saved", "channels": channels, "mid": mid, "k": k}
    return Draft(prompt, params, answer, tolerance, "\n\n".join(lines))


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
    o = int(rng.integers(0, c_out))
    if spatial == 1:
        pixel = f"The input pixel has channel values $x = {fmt_vector(x[:, 0, 0])}$."
        answer = y[:, 0, 0].tolist()
        question = "Give the output at that pixel" + (" (one value per output channel)." if c_out > 1 else ".")
    else:
        pixel = "The input has 2 channels of 2x2 pixels:\n\n" + "\n".join(
            f"- channel {c}: `{x[c].astype(int).tolist()}`" for c in range(c_in))
        answer = y[o].ravel().tolist()
        question = f"Give output channel {o} as the 4 values in row-major order [y00, y01, y10, y11]."
    prompt = (
        f"A 1x1 convolution has these weights and biases:\n\n{weight_rows}\n\n{pixel}\n\n{question} "
        + precision_note(3, length=len(answer))
    )
    shown = [o] if spatial > 1 else list(range(c_out))  # only the channel asked
    solution = (
        "A 1x1 convolution mixes channels pixel by pixel: $y_o = \\sum_c w_{oc} x_c + b_o$.\n\n"
        + "\n".join(
            f"- pixel ({i}, {j}), channel {o}: "
            + " + ".join(f"{fmt_factor(w[o, c])} · {fmt_factor(x[c, i, j])}" for c in range(c_in))
            + f" + {fmt_factor(b[o])} = {fmt(y[o, i, j])}"
            for o in shown for i in range(spatial) for j in range(spatial)
        )
    )
    params = {"ask": "value", "x": x.tolist(), "w": w.tolist(), "b": b.tolist()}
    if spatial > 1:
        params["channel"] = o
    return Draft(prompt, params, answer[0] if len(answer) == 1 else answer, Tolerance(sig_figs=3), solution)


def _build_macs(rng: np.random.Generator, difficulty: int) -> Draft:
    """Multiply-accumulates of a 1x1 convolution: one C_in-long dot product per output channel and pixel."""
    h = pick(rng, [7, 14, 28, 56])
    c_in = pick(rng, [64, 128, 192, 256, 512])
    c_out = pick(rng, [32, 64, 128, 256])
    macs = h * h * c_in * c_out
    prompt = (
        f"A 1x1 convolution (stride 1, no bias) maps a {h}x{h} feature map with {c_in} channels to {c_out} channels. "
        "How many multiply-accumulate operations (MACs) does one forward pass over one image take? "
        + precision_note(None)
    )
    solution = (
        f"Each of the $H W = {h * h}$ pixels and each of the {c_out} output channels needs one dot product over the "
        f"{c_in} input channels:\n\n$$H \\cdot W \\cdot C_{{\\text{{in}}}} \\cdot C_{{\\text{{out}}}} = "
        f"{h} \\cdot {h} \\cdot {c_in} \\cdot {c_out} = {macs}$$\n\nA $k \\times k$ kernel would multiply this by "
        f"$k^2$ ({9 * macs} for 3x3), which is why 1x1 layers are the cheap place to change the channel count; "
        f"FLOPs are often quoted as twice the MACs ({2 * macs}). One forward pass takes {macs} MACs."
    )
    params = {"ask": "macs", "h": h, "c_in": c_in, "c_out": c_out}
    return Draft(prompt, params, float(macs), Tolerance(abs=0.0), solution)


def _build_separable(rng: np.random.Generator, difficulty: int) -> Draft:
    """MobileNet's depthwise-separable convolution: a 3x3 depthwise conv, then a 1x1 pointwise one."""
    c_in = pick(rng, [32, 64, 128, 256, 512])
    c_out = pick(rng, [64, 128, 256, 512, 1024])
    standard = conv2d_params(c_in, c_out, 3, bias=False)
    depthwise = conv2d_params(c_in, c_in, 3, bias=False, groups=c_in)
    pointwise = conv2d_params(c_in, c_out, 1, bias=False)
    separable = depthwise + pointwise
    ask_ratio = rng.random() < 0.5
    prompt = (
        f"A standard 3x3 convolution maps {c_in} channels to {c_out} (no bias). MobileNet replaces it with a "
        f"depthwise 3x3 convolution (`groups={c_in}`, one 3x3 filter per input channel) followed by a 1x1 "
        f"(pointwise) convolution to {c_out} channels, no biases. "
    )
    if ask_ratio:
        prompt += "How many times fewer weights does the separable version have (standard / separable)? "
        prompt += precision_note(3)
        answer, tolerance = standard / separable, Tolerance(sig_figs=3)
    else:
        prompt += "How many weights does the separable version have? " + precision_note(None)
        answer, tolerance = float(separable), Tolerance(abs=0.0)
    lines = [
        f"Standard: $3 \\cdot 3 \\cdot {c_in} \\cdot {c_out} = {standard}$.",
        f"Depthwise: $3 \\cdot 3 \\cdot {c_in} = {depthwise}$ (each filter sees one channel); pointwise: "
        f"${c_in} \\cdot {c_out} = {pointwise}$; together ${depthwise} + {pointwise} = {separable}$.",
    ]
    if ask_ratio:
        lines.append(
            f"Ratio: $\\frac{{{standard}}}{{{separable}}} = {fmt(standard / separable, 4)}$, exactly "
            f"$\\frac{{1}}{{1/C_{{\\text{{out}}}} + 1/9}}$: the pointwise convolution does all the channel mixing, and "
            "the saving approaches 9 times as the channel count grows."
        )
    else:
        lines.append(f"Most of them sit in the pointwise convolution; the separable version has {separable} weights.")
    params = {"ask": "separable_ratio" if ask_ratio else "separable", "c_in": c_in, "c_out": c_out}
    return Draft(prompt, params, answer, tolerance, "\n\n".join(lines))


def _build_reduction(rng: np.random.Generator, difficulty: int) -> Draft:
    """GoogLeNet's 1x1 reduction before a 5x5 convolution, counted in multiplications."""
    h = pick(rng, [14, 28])
    c_in = pick(rng, [192, 256, 480, 512])
    c_out = pick(rng, [32, 64, 128])
    mid = pick(rng, [16, 24, 32, 48])
    direct = h * h * 25 * c_in * c_out
    reduced = h * h * c_in * mid + h * h * 25 * mid * c_out
    ask_ratio = rng.random() < 0.5
    prompt = (
        f"A {h}x{h} feature map with {c_in} channels goes through a 5x5 convolution to {c_out} channels "
        f"(stride 1, 'same' padding, no bias). An Inception module first applies a 1x1 convolution down to {mid} "
        "channels, then the 5x5 convolution. Count one multiplication per weight per output pixel. "
    )
    lines = [
        f"Direct: $H W \\cdot 5 \\cdot 5 \\cdot C_{{\\text{{in}}}} \\cdot C_{{\\text{{out}}}} = {h * h} \\cdot 25 "
        f"\\cdot {c_in} \\cdot {c_out} = {direct}$.",
        f"Reduced: ${h * h} \\cdot {c_in} \\cdot {mid} + {h * h} \\cdot 25 \\cdot {mid} \\cdot {c_out} = "
        f"{h * h * c_in * mid} + {h * h * 25 * mid * c_out} = {reduced}$.",
    ]
    prompt, answer, tolerance, lines = _saving(prompt, lines, direct, reduced, ask_ratio, "multiplications", "reduced path")
    params = {"ask": "reduction_ratio" if ask_ratio else "reduction", "h": h, "c_in": c_in, "c_out": c_out, "mid": mid}
    return Draft(prompt, params, answer, tolerance, "\n\n".join(lines))


def _build_1x1_params(rng: np.random.Generator, difficulty: int) -> Draft:
    c_in = pick(rng, [16, 32, 64, 128, 192, 256])
    c_out = pick(rng, [8, 16, 32, 64, 96])
    bias = bool(rng.random() < 0.5)
    count = conv2d_params(c_in, c_out, 1, bias=bias)
    prompt = (
        f"How many learnable parameters does `nn.Conv2d({c_in}, {c_out}, kernel_size=1, bias={bias})` have? "
        + precision_note(None)
    )
    weights = c_out * c_in
    solution = (
        f"A 1x1 kernel is a $C_{{\\text{{out}}}} \\times C_{{\\text{{in}}}}$ matrix applied at every pixel: "
        f"${c_out} \\cdot {c_in} = {weights}$ weights"
    )
    solution += f"; plus {c_out} biases: ${weights} + {c_out} = {count}$." if bias else f"; no biases: {count}."
    params = {"ask": "params", "c_in": c_in, "c_out": c_out, "k": 1, "bias": bias}
    return Draft(prompt, params, float(count), Tolerance(abs=0.0), solution)


# Difficulty means more reasoning about 1x1 convolutions: 1 counts one layer and evaluates one pixel;
# 2 costs a layer over a feature map and prices ResNet's bottleneck; 3 compares whole designs
# (MobileNet's depthwise-separable block, GoogLeNet's reduction) and evaluates a 2x2 map.
_VARIANTS = {
    1: (_build_1x1_params, _build_value),
    2: (_build_macs, _build_bottleneck, _build_value),
    3: (_build_separable, _build_reduction, _build_value),
}


def _build(rng: np.random.Generator, difficulty: int) -> Draft:
    variants = _VARIANTS[difficulty]
    return variants[int(rng.integers(0, len(variants)))](rng, difficulty)


SOLVERS = (Solver("conv1x1", "conv-1x1", "1x1 convolutions and bottlenecks", _build),)
