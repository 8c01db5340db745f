"""Static numeric answers of the normalization and loss-functions topics, recomputed by torch, kornia,
scikit-learn and scipy (never by re-typing the card's formula); figures quoted in explanations are checked too."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from kornia.losses import binary_focal_loss_with_logits
from scipy.optimize import minimize_scalar
from scipy.stats import entropy
from sklearn.dummy import DummyRegressor
from sklearn.metrics import hinge_loss
from torch import nn

from tests.deck_answers import assert_numeric_answers, builtin_card

TOKEN = [2.0, -1.0, 0.0, 3.0]  # the normalization cards' feature vector; the asked entry is the last one
TARGETS = [1.0, 2.0, 3.0, 4.0, 100.0]  # best-constant-l1-l2
P, Q = [0.5, 0.3, 0.2], [0.4, 0.4, 0.2]  # kl-value


def tensor(values) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float64)


def _layer_norm_entry() -> float:
    layer = nn.LayerNorm(4, eps=1e-5).double()  # fresh: weight 1, bias 0
    with torch.no_grad():
        return float(layer(tensor(TOKEN))[3])


def _rms_norm_entry() -> float:
    layer = nn.RMSNorm(4, eps=1e-6).double()
    with torch.no_grad():
        return float(layer(tensor(TOKEN))[3])


def _parameter_count(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def _group_norm_means() -> int:
    n, c, h, w, groups = 8, 64, 32, 32, 16
    _, mean, _ = torch.native_group_norm(torch.randn(n, c, h, w), None, None, n, c, h * w, groups, 1e-5)
    return mean.numel()


def _logit_grad(loss) -> float:
    z = tensor([-4.0]).requires_grad_()
    loss(z).backward()
    return float(z.grad[0])


def _saturated_gradients() -> list[float]:
    y = tensor([1.0])
    bce = _logit_grad(lambda z: F.binary_cross_entropy_with_logits(z, y))
    mse = _logit_grad(lambda z: F.mse_loss(torch.sigmoid(z), y))
    return [bce, mse]


def _double_softmax_floor() -> float:
    probabilities = torch.softmax(tensor([[1000.0] + [0.0] * 9]), dim=1)  # exactly one-hot: the best case
    return float(F.cross_entropy(probabilities, torch.tensor([0])))


def _label_smoothing_loss() -> float:
    return float(F.cross_entropy(tensor([[2.0, 0.0, -1.0]]), torch.tensor([0]), label_smoothing=0.1))


def _focal_value() -> float:
    logit = torch.logit(tensor([[0.9]]))
    return float(binary_focal_loss_with_logits(logit, tensor([[1.0]]), alpha=0.25, gamma=2.0, reduction="none"))


def _best_constants() -> list[float]:
    x = np.zeros((len(TARGETS), 1))
    median = DummyRegressor(strategy="median").fit(x, TARGETS).constant_
    mean = DummyRegressor(strategy="mean").fit(x, TARGETS).constant_
    return [float(np.ravel(median)[0]), float(np.ravel(mean)[0])]


def _huber_values() -> list[float]:
    pred, target = tensor([3.0]), tensor([0.0])
    return [float(F.huber_loss(pred, target, delta=2.0)), float(F.smooth_l1_loss(pred, target, beta=2.0))]


EXPECTED = {
    "normalization/layer-norm-one-value": _layer_norm_entry,
    "normalization/rms-norm-one-value": _rms_norm_entry,
    "normalization/group-norm-params": lambda: _parameter_count(nn.GroupNorm(32, 256)),
    "normalization/layer-norm-params": lambda: _parameter_count(nn.LayerNorm(768)),
    "normalization/group-norm-statistics-count": _group_norm_means,
    "loss-functions/saturated-gradient-values": _saturated_gradients,
    "loss-functions/double-softmax-floor": _double_softmax_floor,
    "loss-functions/kl-value": lambda: float(entropy(P, Q)),
    "loss-functions/label-smoothing-loss-value": _label_smoothing_loss,
    "loss-functions/focal-loss-value": _focal_value,
    "loss-functions/best-constant-l1-l2": _best_constants,
    "loss-functions/huber-values": _huber_values,
    "loss-functions/hinge-values": lambda: float(hinge_loss([1, 1, 1, -1], [2.0, 0.3, -0.5, 0.4])),
}


def test_numeric_answers_match_the_oracles() -> None:
    assert_numeric_answers(EXPECTED, topics=["normalization", "loss-functions"])


def test_best_constants_are_the_minimisers() -> None:
    """The median and the mean really minimise the summed absolute and squared errors (found numerically)."""
    y = tensor(TARGETS)
    for loss, want in ((F.l1_loss, 3.0), (F.mse_loss, 22.0)):
        found = minimize_scalar(lambda c: float(loss(torch.full_like(y, c), y, reduction="sum")),
                                bounds=(0, 100), method="bounded", options={"xatol": 1e-9})
        assert found.x == pytest.approx(want, abs=1e-6)
    assert builtin_card("loss-functions/best-constant-l1-l2").answer == [3.0, 22.0]


def test_label_smoothing_target_quoted_in_the_choice_card() -> None:
    """PyTorch's smoothed target, read off the gradient (softmax - target) of `F.cross_entropy`."""
    z = tensor([[0.3, -1.2, 2.0, 0.1, 0.7]]).requires_grad_()
    F.cross_entropy(z, torch.tensor([1]), label_smoothing=0.1).backward()
    target = (torch.softmax(z, 1) - z.grad)[0].tolist()
    assert target[1] == pytest.approx(0.92) and target[0] == pytest.approx(0.02)
    card = builtin_card("loss-functions/label-smoothing-target")
    right = [option.text for option in card.options if option.correct]
    assert right == [f"{target[1]:.2f} for class 2 and {target[0]:.2f} for each of the other four."]


def test_figures_quoted_in_explanations() -> None:
    bce, mse = _saturated_gradients()
    assert f"about {bce / mse:.0f} times" in builtin_card("loss-functions/saturated-gradient-values").explanation
    reverse = float(entropy(Q, P))
    assert f"KL(q ‖ p) ≈ {reverse:.4f}" in " ".join(
        o.why or "" for o in builtin_card("loss-functions/kl-div-argument-order").options)
    hard = float(binary_focal_loss_with_logits(torch.logit(tensor([[0.1]])), tensor([[1.0]]), alpha=0.25,
                                               gamma=2.0, reduction="none"))
    focal = builtin_card("loss-functions/focal-loss-value").explanation
    assert f"\\approx {hard:.3f}" in focal
    ce = float(F.binary_cross_entropy(tensor([0.9]), tensor([1.0])))
    assert f"{ce / _focal_value():.0f} times smaller" in focal
    unbiased = (TOKEN[3] - np.mean(TOKEN)) / math.sqrt(np.var(TOKEN, ddof=1) + 1e-5)
    assert f"${unbiased:.3f}$" in builtin_card("normalization/layer-norm-one-value").explanation
    ln = builtin_card("normalization/rms-norm-one-value").explanation
    assert f"${_layer_norm_entry():.3f}$" in ln


@pytest.mark.parametrize("seed", range(20))
def test_rmsnorm_and_layernorm_invariances_claimed_by_the_choice_card(seed: int) -> None:
    """Both are invariant to x -> c x (c > 0); only LayerNorm to x -> x + c (the card's correct option)."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(6, generator=generator, dtype=torch.float64)
    ln, rms = nn.LayerNorm(6, eps=0.0).double(), nn.RMSNorm(6, eps=0.0).double()
    with torch.no_grad():
        assert torch.allclose(ln(3.7 * x), ln(x)) and torch.allclose(rms(3.7 * x), rms(x))
        assert torch.allclose(ln(x + 2.5), ln(x)) and not torch.allclose(rms(x + 2.5), rms(x))
        assert torch.allclose(rms(-x), -rms(x))


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32])
def test_rmsnorm_default_eps_is_the_one_the_cloze_names(dtype: torch.dtype) -> None:
    """rmsnorm-cloze: with eps=None, torch adds float32's machine epsilon for half and single inputs alike
    (the card once said "the input's dtype", which float16's eps, 1e-3, would make a visibly different output)."""
    x = torch.full((1, 4), 1e-2, dtype=dtype)
    out = nn.RMSNorm(4, elementwise_affine=False)(x).double()
    xd = x.double()
    for eps, expected in ((torch.finfo(torch.float32).eps, True), (torch.finfo(dtype).eps, dtype == torch.float32)):
        manual = xd / torch.sqrt((xd * xd).mean() + eps)
        assert torch.allclose(out, manual, rtol=1e-2) is expected
    explanation = " ".join(builtin_card("normalization/rmsnorm-cloze").explanation.split())
    assert "float32's for float16, bfloat16 and float32 inputs" in explanation
