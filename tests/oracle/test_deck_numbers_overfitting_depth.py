"""The cards added for depth in the overfitting and overfitting-remedies topics (issue #19), checked
against trusted libraries: torch (optimisation, losses, dropout layers, swa_utils), scikit-learn
(GaussianNB's priors for label shift) and scipy (linprog for shattering, brentq). Its two template cards'
oracles are in TEMPLATE_ORACLES, which test_template_cards_oracle runs on 100 seeds at every difficulty;
numbers quoted in texts are checked against the same runs.
"""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.optimize import brentq, linprog
from scipy.stats import beta
from sklearn.naive_bayes import GaussianNB
from torch import nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn, update_bn

from tests.deck_answers import (
    assert_numeric_answers,
    builtin_card,
)

TOPICS = ["overfitting", "overfitting-remedies"]


def _float64(values) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float64)


# --- numeric cards -------------------------------------------------------------------------------------

def _gradient_descent_fit(x, y, w0, steps: int = 500, lr: float = 0.05) -> np.ndarray:
    """torch.optim.SGD on the squared error of one example, from w0."""
    w = nn.Parameter(_float64(w0))
    optimizer = torch.optim.SGD([w], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        ((w @ _float64(x) - y) ** 2).backward()
        optimizer.step()
    return w.detach().numpy()


def _smoothed_optimal_logit_gap(eps: float = 0.1, classes: int = 10) -> float:
    """Minimise nn.CrossEntropyLoss(label_smoothing=eps) over the logits of one example of class 0."""
    z = nn.Parameter(torch.zeros(1, classes, dtype=torch.float64))
    loss_fn = nn.CrossEntropyLoss(label_smoothing=eps)
    optimizer = torch.optim.LBFGS([z], max_iter=500, tolerance_grad=1e-15, tolerance_change=1e-18,
                                  line_search_fn="strong_wolfe")
    target = torch.tensor([0])

    def closure():
        optimizer.zero_grad()
        loss = loss_fn(z, target)
        loss.backward()
        return loss

    optimizer.step(closure)
    gaps = (z[0, 0] - z[0, 1:]).detach()
    assert torch.allclose(gaps, gaps[0], rtol=1e-10), "every other logit sits at the same distance"
    return float(gaps[0])


_MIXUP_LOGITS = [[2.0, 0.0, 1.0]]


def _mixup_soft_target_loss() -> float:
    return float(F.cross_entropy(_float64(_MIXUP_LOGITS), _float64([[0.7, 0.0, 0.3]])))


EXPECTED = {
    "overfitting/min-norm-gradient-descent": lambda: _gradient_descent_fit([1.0, 2.0], 5.0, [0.0, 0.0]).tolist(),
    "overfitting-remedies/label-smoothing-logit-gap": _smoothed_optimal_logit_gap,
    "overfitting-remedies/mixup-loss": _mixup_soft_target_loss,
}


def _numeric_cards_checked_in_the_unit_table() -> set[str]:
    from tests.unit.test_deck_numbers_bn_overfitting import ORACLE, TYPO_GUARD

    return {key for key in {**ORACLE, **TYPO_GUARD} if key.partition("/")[0] in TOPICS}


def test_numeric_answers_match_the_libraries() -> None:
    assert_numeric_answers(EXPECTED, topics=TOPICS, checked_elsewhere=_numeric_cards_checked_in_the_unit_table())


def test_min_norm_figures_and_the_start_point_claim() -> None:
    x, y = np.array([1.0, 2.0]), 5.0
    lstsq = np.linalg.lstsq(x.reshape(1, -1), [y], rcond=None)[0]  # LAPACK's minimum-norm least squares
    assert _gradient_descent_fit(x, y, [0.0, 0.0]) == pytest.approx(lstsq, abs=1e-12)
    text = builtin_card("overfitting/min-norm-gradient-descent").explanation
    assert f"$\\sqrt{{5}} \\approx {np.linalg.norm(lstsq):.3f}$" in text
    assert float(np.linalg.norm([5.0, 0.0])) == 5.0 and float(np.array([5.0, 0.0]) @ x) == y  # "(5, 0)" fits
    # From w0, gradient descent ends at the exact fit nearest to w0: w0 plus the minimum-norm fix.
    w0 = np.array([3.0, -1.0])
    nearest = w0 + np.linalg.lstsq(x.reshape(1, -1), [y - w0 @ x], rcond=None)[0]
    assert _gradient_descent_fit(x, y, w0) == pytest.approx(nearest, abs=1e-12)
    assert not np.allclose(nearest, lstsq)


def test_label_smoothing_targets_and_gap_quoted() -> None:
    z = _float64([[1.3, -0.2, 0.4, 2.0, 0.0, -1.0, 0.5, 0.1, -0.3, 0.8]])
    smoothed = F.cross_entropy(z, torch.tensor([0]), label_smoothing=0.1)
    assert float(smoothed) == pytest.approx(float(F.cross_entropy(z, _float64([[0.91] + [0.01] * 9]))), rel=1e-12)
    gap = _smoothed_optimal_logit_gap()
    text = builtin_card("overfitting-remedies/label-smoothing-logit-gap").explanation
    assert "= 0.91$" in text and "= 0.01$" in text
    assert gap == pytest.approx(math.log(91), rel=1e-9) and f"\\ln 91 \\approx {gap:.3f}" in text


def test_mixup_loss_is_linear_in_the_target_and_the_quoted_figures() -> None:
    z = _float64(_MIXUP_LOGITS)
    by_labels = 0.7 * F.cross_entropy(z, torch.tensor([0])) + 0.3 * F.cross_entropy(z, torch.tensor([2]))
    assert float(by_labels) == pytest.approx(_mixup_soft_target_loss(), rel=1e-12)
    text = builtin_card("overfitting-remedies/mixup-loss").explanation
    assert f"\\approx {float(torch.logsumexp(z, 1)):.3f}$" in text
    assert f"\\approx {_mixup_soft_target_loss():.4f}$" in text


# --- template cards ------------------------------------------------------------------------------------

_NB_X = np.array([[-2.0], [0.0], [0.0], [2.0]])  # class means -1 and +1, equal variances: log-odds linear in x
_NB_Y = np.array([0, 0, 1, 1])


@functools.lru_cache(maxsize=None)
def _gaussian_nb(positive_prior: float) -> GaussianNB:
    return GaussianNB(priors=[1 - positive_prior, positive_prior]).fit(_NB_X, _NB_Y)


def _label_shift_posterior(p: dict) -> float:
    """Find the x where a GaussianNB fitted with the training prior says p, then ask it with the new prior."""
    trained = _gaussian_nb(p["pt"])
    x = brentq(lambda v: trained.predict_proba([[v]])[0, 1] - p["p"], -60, 60, xtol=1e-14, rtol=1e-15)
    return float(_gaussian_nb(p["pd"]).predict_proba([[x]])[0, 1])


def test_label_shift_correction_is_reweighting_by_the_prior_ratio_then_renormalising() -> None:
    """distribution-shift-kinds: with p(x | y) fixed, the new posterior is p(y | x) pi_new / pi_old, renormalised
    (checked on three classes, where the binary odds form of the template does not apply)."""
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(90, 2)) + np.repeat(np.eye(3, 2) * 2, 30, axis=0), np.repeat([0, 1, 2], 30)
    old, new = np.array([0.5, 0.3, 0.2]), np.array([0.1, 0.2, 0.7])
    points = rng.normal(size=(20, 2))
    before = GaussianNB(priors=old).fit(x, y).predict_proba(points)
    reweighted = before * new / old
    assert GaussianNB(priors=new).fit(x, y).predict_proba(points) == pytest.approx(
        reweighted / reweighted.sum(axis=1, keepdims=True), rel=1e-9)
    text = " ".join(builtin_card("overfitting/distribution-shift-kinds").explanation.split())
    assert "by the ratio of new to old prior of its class and renormalise" in text


def _ema_of_weights(p: dict) -> float:
    model = nn.Linear(1, 1, bias=False).double()
    ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(p["beta"]))
    for value in p["w"]:
        with torch.no_grad():
            model.weight.fill_(value)
        ema.update_parameters(model)
    return float(ema.module.weight.detach())


TEMPLATE_ORACLES = {
    "overfitting/template-label-shift-posterior": (_label_shift_posterior, 1e-9),
    "overfitting-remedies/template-ema-weights": (_ema_of_weights, 1e-12),
}


def test_label_shift_example_in_the_explanation() -> None:
    corrected = _label_shift_posterior({"pt": 0.5, "pd": 0.01, "p": 0.9})
    assert corrected < 0.1
    text = builtin_card("overfitting/template-label-shift-posterior").explanation
    assert "from 50% to 1%" in text and "a confident 0.9 into a probability well below" in text


def test_ema_window_is_about_one_over_one_minus_beta() -> None:
    """swa-update-bn: EMA with beta 0.999 lags a weight that grows by 1 per step by about 1,000 steps."""
    steps = 10_000  # beta^steps is negligible: the lag has settled
    final = _ema_of_weights({"beta": 0.999, "w": [float(t) for t in range(steps)]})
    lag = (steps - 1) - final
    assert lag == pytest.approx(1 / (1 - 0.999), rel=0.01)
    text = builtin_card("overfitting-remedies/swa-update-bn").explanation
    assert "$\\beta$ such as 0.999" in text and "$1/(1 - \\beta)$ steps (about 1,000 here)" in text


# --- claims in the other new cards -----------------------------------------------------------------------

def _separable(points: np.ndarray, labels: tuple[int, ...]) -> bool:
    """Is there (w, b) with sign(w . x + b) = label for all points? A feasibility linear programme."""
    signs = np.where(np.array(labels) == 1, 1.0, -1.0)
    a_ub = -signs[:, None] * np.c_[points, np.ones(len(points))]  # -s (w . x + b) <= -1
    result = linprog(np.zeros(points.shape[1] + 1), A_ub=a_ub, b_ub=-np.ones(len(points)), bounds=(None, None))
    return result.status == 0


def _shattered(points: np.ndarray) -> bool:
    return all(_separable(points, labels) for labels in itertools.product((0, 1), repeat=len(points)))


def test_capacity_card_half_planes_shatter_three_points_but_not_four() -> None:
    assert _shattered(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]))
    rng = np.random.default_rng(0)
    assert not _shattered(np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]]))  # XOR
    for _ in range(30):  # Radon: any 4 points in the plane have a labelling no line realises
        assert not _shattered(rng.normal(size=(4, 2)))
    text = builtin_card("overfitting/capacity-vs-parameters").options[0].why
    assert "three parameters, shatter 3" in text and "no set of 4" in text


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_capacity_card_one_frequency_shatters_n_points(n: int) -> None:
    """ESL 7.9: the points 10^-i are shattered by 1[sin(alpha x) > 0] with alpha = pi(1 + sum (1 - y_i) 10^i)."""
    x = 10.0 ** -np.arange(1, n + 1)
    for labels in itertools.product((0, 1), repeat=n):
        alpha = math.pi * (1 + sum((1 - y) * 10**i for i, y in enumerate(labels, start=1)))
        assert tuple((np.sin(alpha * x) > 0).astype(int)) == labels


def test_rescaling_a_relu_network_keeps_the_function_and_changes_the_sharpness() -> None:
    """sharp-flat-minima (Dinh et al.): W1 -> a W1, W2 -> W2 / a computes the same function, other curvature."""
    generator = torch.Generator().manual_seed(0)
    w1 = torch.randn(4, 3, generator=generator, dtype=torch.float64)
    w2 = torch.randn(1, 4, generator=generator, dtype=torch.float64)
    x = torch.randn(16, 3, generator=generator, dtype=torch.float64)
    y = torch.randn(16, 1, generator=generator, dtype=torch.float64)

    def loss(first, second):
        return F.mse_loss(torch.relu(x @ first.T) @ second.T, y)

    a = 10.0
    assert torch.allclose(torch.relu(x @ (a * w1).T) @ (w2 / a).T, torch.relu(x @ w1.T) @ w2.T)
    curvature = torch.autograd.functional.hessian(lambda second: loss(w1, second), w2)
    rescaled = torch.autograd.functional.hessian(lambda second: loss(a * w1, second), w2 / a)
    assert torch.allclose(rescaled, a**2 * curvature)  # the same minimum, 100 times sharper along W2


def test_stochastic_depth_linear_rule_gives_about_40_of_54_blocks() -> None:
    blocks = (110 - 2) // 2  # a CIFAR ResNet of depth 6n + 2 has 3n two-layer residual blocks
    survival = 1 - np.arange(1, blocks + 1) / blocks * (1 - 0.5)
    torch.manual_seed(0)
    active = torch.bernoulli(torch.tensor(survival).expand(20_000, blocks)).sum(1).mean()
    assert blocks == 54 and float(active) == pytest.approx(survival.sum(), rel=0.01)
    assert round(survival.sum()) == 40
    text = builtin_card("overfitting-remedies/stochastic-depth").explanation
    assert "110-layer ResNet (54 residual" in text and "about 40 blocks are active" in text and "p_L = 0.5" in text


def test_dropout2d_zeroes_whole_channels_and_scales_the_rest() -> None:
    torch.manual_seed(0)
    x = torch.rand(8, 16, 5, 5, dtype=torch.float64) + 0.5
    layer = nn.Dropout2d(p=0.25)
    out = layer(x)
    ratio = (out / x).reshape(8, 16, -1)
    per_map = ratio[:, :, :1]
    assert torch.allclose(ratio, per_map.expand_as(ratio))  # one decision per (example, channel)
    kept = per_map != 0
    assert 0 < kept.float().mean() < 1 and torch.allclose(per_map[kept], torch.tensor(1 / (1 - 0.25)).double())
    assert torch.equal(layer.eval()(x), x)


def test_mc_dropout_recipe_keeps_batch_norm_in_eval_mode() -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 1)).double()
    x = torch.randn(5, 4, dtype=torch.float64)
    model.eval()
    for module in model.modules():
        if isinstance(module, nn.Dropout):
            module.train()
    running_mean = model[1].running_mean.clone()
    with torch.no_grad():
        samples = torch.stack([model(x) for _ in range(50)])
    assert samples.std(0).min() > 0  # the passes differ: dropout is sampling
    assert torch.equal(model[1].running_mean, running_mean)  # batch norm neither normalised by nor learned from x
    model.train()
    with torch.no_grad():
        model(x)
    assert not torch.equal(model[1].running_mean, running_mean)  # what model.train() would have done


def test_update_bn_refreshes_running_statistics_and_leaves_the_weights() -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1)).double()
    swa = AveragedModel(model)
    for _ in range(3):
        with torch.no_grad():
            for parameter in model.parameters():
                parameter.add_(torch.randn_like(parameter))
        swa.update_parameters(model)
    weights = [p.clone() for p in swa.parameters()]
    before = swa.module[1].running_mean.clone()
    data = [torch.randn(32, 3, dtype=torch.float64) for _ in range(4)]
    update_bn(data, swa)
    assert all(torch.equal(a, b) for a, b in zip(weights, swa.parameters()))
    assert not torch.allclose(swa.module[1].running_mean, before)
    with torch.no_grad():
        hidden = swa.module[0](torch.cat(data))
    assert torch.allclose(swa.module[1].running_mean, hidden.mean(0))  # a cumulative average over the pass


def test_averaging_weights_differs_from_averaging_predictions() -> None:
    """swa-update-bn's last option: for a nonlinear network the two averages are different models."""
    x = _float64([[1.0], [-1.0]])
    first, second = _float64([[2.0]]), _float64([[-2.0]])
    averaged_weights = torch.relu(x @ ((first + second) / 2))
    averaged_predictions = (torch.relu(x @ first) + torch.relu(x @ second)) / 2
    assert not torch.allclose(averaged_weights, averaged_predictions)


def test_small_mixup_alpha_keeps_most_mixes_near_one_example() -> None:
    """mixup-loss: Beta(alpha, alpha) is U-shaped below 1, and at 0.2 most lambdas are within 0.1 of 0 or 1."""
    for alpha in (0.1, 0.2, 0.5, 0.9):
        assert beta(alpha, alpha).pdf(0.05) > beta(alpha, alpha).pdf(0.5)
    within = beta(0.2, 0.2).cdf(0.1) + beta(0.2, 0.2).sf(0.9)
    assert within > 0.5 and beta(0.9, 0.9).cdf(0.1) + beta(0.9, 0.9).sf(0.9) < 0.5  # "most" needs a small alpha
    text = " ".join(builtin_card("overfitting-remedies/mixup-loss").explanation.split())
    assert "$\\alpha$ between 0.1 and 0.4 beats" in text and "at $\\alpha = 0.2$ most mixes are" in text
    assert "For $\\alpha < 1$ the density piles up near 0 and 1" in text and "within 0.1 of one of the two" in text


def _after_noisy_steps(optimizer_class, noise: float, extra_l2: float = 0.0, **options) -> float:
    """One weight at 1.0 whose loss gradient alternates +noise, -noise (+ the gradient of extra_l2 / 2 * w**2)."""
    w = nn.Parameter(_float64([1.0]))
    optimizer = optimizer_class([w], lr=0.001, **options)
    for step in range(200):
        optimizer.zero_grad()
        (noise * (-1) ** step * w + extra_l2 / 2 * w**2).sum().backward()
        optimizer.step()
    return float(w.detach())


def test_l2_is_weight_decay_for_sgd_but_not_for_adam() -> None:
    """l1-vs-l2-remedy: Adam(weight_decay) is the L2 penalty passed through the adaptive step, so a weight with
    large gradients is decayed less; AdamW's decoupled decay shrinks it by the same amount either way."""
    lam = 0.1
    for optimizer_class in (torch.optim.SGD, torch.optim.Adam):
        assert _after_noisy_steps(optimizer_class, 1.0, weight_decay=lam) == pytest.approx(
            _after_noisy_steps(optimizer_class, 1.0, lam))

    def decay(optimizer_class, noise: float) -> float:
        return _after_noisy_steps(optimizer_class, noise) - _after_noisy_steps(optimizer_class, noise, weight_decay=lam)

    assert 0 < decay(torch.optim.Adam, 10.0) < decay(torch.optim.Adam, 0.1) / 10  # large gradients: little decay
    assert decay(torch.optim.AdamW, 10.0) == pytest.approx(decay(torch.optim.AdamW, 0.1), rel=0.01)
    text = " ".join(builtin_card("overfitting-remedies/l1-vs-l2-remedy").explanation.split())
    assert "holds for plain SGD only" in text and "decayed less than others" in text and "`AdamW`" in text
    remedy_map = " ".join(builtin_card("overfitting-remedies/remedy-map").back.split())
    assert "same thing for plain SGD but not for Adam" in remedy_map
