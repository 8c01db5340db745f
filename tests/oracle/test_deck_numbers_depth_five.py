"""Numbers and claims of the cards added for issue #19 (depth in auc-roc, conv-1x1, class-imbalance,
generative-discriminative and vanishing-exploding-gradients), recomputed by scikit-learn, scipy and torch.

`EXPECTED` holds the new numeric cards (the topics' older tests count them as checked here), and
`TEMPLATE_ORACLES` the new template cards (test_template_cards_oracle runs them, 100 seeds per difficulty); the other
tests check figures quoted in the cards' text.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.spatial.distance import jensenshannon
from scipy.stats import ks_2samp, mannwhitneyu
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis, QuadraticDiscriminantAnalysis
from sklearn.calibration import calibration_curve
from sklearn.metrics import balanced_accuracy_score, brier_score_loss, log_loss, roc_auc_score, roc_curve
from sklearn.naive_bayes import MultinomialNB
from torch import nn

from quizapp.deck import load_deck
from quizapp.deck.templates import template_problem
from quizapp.paths import builtin_content_dir
from tests.deck_answers import assert_numeric_values, builtin_card

TOPICS = ["auc-roc", "conv-1x1", "class-imbalance", "generative-discriminative", "vanishing-exploding-gradients"]


def _parameters(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def _tensor(values) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float64)


# ---- auc-roc

GINI_POSITIVES = [0.9, 0.8, 0.7, 0.45, 0.3]
GINI_NEGATIVES = [0.6, 0.4, 0.35, 0.2, 0.1]
GAUC_USERS = {  # user: (labels, scores); impressions are the number of entries
    "A": ([1, 0, 0, 1, 0], [0.8, 0.3, 0.5, 0.4, 0.1]),
    "B": ([0, 1, 0], [0.6, 0.7, 0.9]),
    "C": ([0, 0], [0.2, 0.05]),
}


def _split_auc(positives, negatives) -> float:
    return float(roc_auc_score([1] * len(positives) + [0] * len(negatives), [*positives, *negatives]))


def _gini_ks() -> list[float]:
    return [2 * _split_auc(GINI_POSITIVES, GINI_NEGATIVES) - 1, ks_2samp(GINI_POSITIVES, GINI_NEGATIVES).statistic]


def _user_aucs() -> dict[str, float]:
    """Per-user AUC by scikit-learn; a user without both classes gets NaN (with a warning) and is dropped."""
    aucs = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for user, (labels, scores) in GAUC_USERS.items():
            auc = roc_auc_score(labels, scores)
            if not np.isnan(auc):
                aucs[user] = float(auc)
    return aucs


def _gauc() -> float:
    aucs = _user_aucs()
    return float(np.average(list(aucs.values()), weights=[len(GAUC_USERS[u][0]) for u in aucs]))


def _hard_predictions(tp: int, fn: int, fp: int, tn: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels and 0/1 predictions with exactly these confusion counts."""
    y_true = np.repeat([1, 1, 0, 0], [tp, fn, fp, tn])
    y_pred = np.repeat([1, 0, 1, 0], [tp, fn, fp, tn])
    return y_true, y_pred


def auc_of_hard_predictions(p) -> float:
    y_true, y_pred = _hard_predictions(p["tp"], p["fn"], p["fp"], p["tn"])
    auc = float(roc_auc_score(y_true, y_pred))
    assert auc == pytest.approx(balanced_accuracy_score(y_true, y_pred), rel=1e-12)  # the card's claim
    return auc


# ---- conv-1x1

def _inverted_residual(cin: int, t: int, k: int, cout: int) -> nn.Module:
    wide = t * cin
    return nn.Sequential(nn.Conv2d(cin, wide, 1, bias=False),
                         nn.Conv2d(wide, wide, k, padding=k // 2, groups=wide, bias=False),
                         nn.Conv2d(wide, cout, 1, bias=False))


def inverted_residual_params(p) -> float:
    return float(_parameters(_inverted_residual(p["cin"], p["t"], p["k"], p["cout"])))


def _group_1x1() -> list[int]:
    return [_parameters(nn.Conv2d(240, 240, 1, groups=g, bias=False)) for g in (1, 3)]


def _fpn_laterals() -> int:
    return sum(_parameters(nn.Conv2d(c, 256, 1)) for c in (256, 512, 1024, 2048))


# ---- class-imbalance

def logit_adjusted_loss(p) -> float:
    prior = _tensor(p["counts"]) / sum(p["counts"])
    return float(F.cross_entropy((_tensor(p["z"]) + p["tau"] * prior.log()).unsqueeze(0), torch.tensor([p["y"] - 1])))


def _effective_number(n: int, beta: float) -> float:
    """Cui et al.'s recurrence E_1 = 1, E_n = 1 + beta E_(n-1), not the closed form the card states."""
    effective = 1.0
    for _ in range(n - 1):
        effective = 1 + beta * effective
    return effective


# ---- generative-discriminative

HAM = [[0, 0, 3, 1, 2], [0, 0, 1, 2, 1]]  # [free, win, meeting, report, lunch]
SPAM = [[3, 2, 0, 0, 0]]


def _ham_word_probabilities(alpha: float) -> np.ndarray:
    model = MultinomialNB(alpha=alpha).fit(np.array(HAM + SPAM), np.array([0] * len(HAM) + [1] * len(SPAM)))
    return np.exp(model.feature_log_prob_[0])


# ---- vanishing-exploding-gradients

def _output_gradients(z: float, y: float) -> list[float]:
    grads = []
    for loss in (lambda v: F.mse_loss(torch.sigmoid(v), _tensor(y)),
                 lambda v: F.binary_cross_entropy_with_logits(v, _tensor(y))):
        logit = _tensor(z).requires_grad_()
        loss(logit).backward()
        grads.append(float(logit.grad))
    return grads


EXPECTED = {
    "auc-roc/gini-ks-numeric": _gini_ks,
    "auc-roc/gauc-numeric": _gauc,
    "conv-1x1/group-1x1-params": _group_1x1,
    "conv-1x1/fpn-lateral-params": _fpn_laterals,
    "generative-discriminative/nb-laplace-smoothing": lambda: _ham_word_probabilities(1.0)[0],
    "vanishing-exploding-gradients/mse-vs-ce-output-gradient": lambda: _output_gradients(-3.0, 1.0),
}

TEMPLATE_ORACLES = {
    "auc-roc/template-auc-hard-predictions": (auc_of_hard_predictions, 1e-12),
    "conv-1x1/template-mobilenetv2-block-params": (inverted_residual_params, 0.0),
    "class-imbalance/template-logit-adjusted-loss": (logit_adjusted_loss, 1e-12),
}


@pytest.fixture(scope="module")
def deck():
    return load_deck([builtin_content_dir()])


def test_numeric_answers_match_the_libraries() -> None:
    assert_numeric_values(EXPECTED)


# ---- auc-roc, figures in the text

def test_constant_scorer_and_hard_predictions() -> None:
    rng = np.random.default_rng(0)
    for _ in range(20):
        y = rng.integers(0, 2, 50)
        y[:2] = [0, 1]
        assert roc_auc_score(y, np.full(50, 0.5)) == 0.5
    y_true, y_pred = _hard_predictions(30, 10, 20, 140)
    assert roc_auc_score(y_true, y_pred) == balanced_accuracy_score(y_true, y_pred) == 0.8125
    text = builtin_card("auc-roc/auc-constant-and-hard-scores").explanation
    assert all(f"${v}$" in text for v in ("TP = 30", "FN = 10", "FP = 20", "TN = 140", "0.8125"))
    assert r"\text{TPR} = 0.75$" in text and r"\text{TNR} = 0.875$" in text
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert np.isnan(roc_auc_score([0, 0, 0], [0.1, 0.2, 0.3]))  # one class only: NaN and a warning
    assert caught


def test_brier_and_log_loss_reward_discrimination_as_well_as_calibration() -> None:
    """auc-not-calibration: two perfectly calibrated models, the base rate for everyone and a model that
    separates the classes, get very different Brier scores and log losses, so neither measures calibration alone."""
    rng = np.random.default_rng(3)
    informative = rng.choice([0.1, 0.9], 200_000)
    y = (rng.random(informative.size) < informative).astype(int)
    base_rate = np.full(y.size, y.mean())
    for p in (base_rate, informative):
        prob_true, prob_pred = calibration_curve(y, p, n_bins=10)
        assert np.abs(prob_true - prob_pred).max() < 0.01  # calibrated
    assert brier_score_loss(y, informative) < 0.4 * brier_score_loss(y, base_rate)
    assert log_loss(y, informative) < 0.5 * log_loss(y, base_rate)
    text = " ".join(builtin_card("auc-roc/auc-not-calibration").explanation.split())
    assert "do not measure calibration alone" in text


def test_ks_is_the_largest_tpr_minus_fpr_and_auc_is_mann_whitney() -> None:
    rng = np.random.default_rng(1)
    for _ in range(20):
        positives, negatives = rng.normal(1, 1, 40), rng.normal(0, 1.5, 60)
        y, s = np.r_[np.ones(40), np.zeros(60)], np.r_[positives, negatives]
        fpr, tpr, _ = roc_curve(y, s)
        assert max(tpr - fpr) == pytest.approx(ks_2samp(positives, negatives).statistic, abs=1e-12)
        u = mannwhitneyu(positives, negatives).statistic
        assert roc_auc_score(y, s) == pytest.approx(u / (40 * 60), rel=1e-12)
    fpr, tpr, _ = roc_curve([1] * 5 + [0] * 5, GINI_NEGATIVES + [v + 1 for v in GINI_POSITIVES])  # negatives on top
    assert max(tpr - fpr) == 0 and ks_2samp(GINI_NEGATIVES, [v + 1 for v in GINI_POSITIVES]).statistic == 1
    cloze = " ".join(builtin_card("auc-roc/gini-ks-cloze").explanation.split())
    assert r"$\max_t |\text{TPR} - \text{FPR}|$" in cloze and r"\max_t (\text{TPR} - \text{FPR}) = 0$" in cloze
    text = builtin_card("auc-roc/gini-ks-numeric").explanation
    auc = _split_auc(GINI_POSITIVES, GINI_NEGATIVES)
    wins = mannwhitneyu(GINI_POSITIVES, GINI_NEGATIVES).statistic
    assert f"${wins:.0f}/25 = {auc:.2f}$" in text and f"{2 * auc - 1:.2f}$" in text
    fpr, tpr, thresholds = roc_curve([1] * 5 + [0] * 5, GINI_POSITIVES + GINI_NEGATIVES)
    best = {float(t) for t, gap in zip(thresholds, tpr - fpr) if gap == pytest.approx(max(tpr - fpr))}
    assert best == {0.7, 0.45} and "threshold 0.7" in text and "at 0.45" in text


def test_one_vs_one_macro_ignores_the_class_proportions_one_vs_rest_does_not() -> None:
    rng = np.random.default_rng(2)
    y = np.repeat([0, 1, 2], 60)
    proba = rng.dirichlet(np.ones(3), len(y)) + np.eye(3)[y] * rng.uniform(0, 1, (len(y), 1))
    proba /= proba.sum(axis=1, keepdims=True)
    copies = np.r_[np.arange(len(y)), np.tile(np.flatnonzero(y == 0), 4)]  # class 0 five times as frequent
    for multi_class, average, unchanged in (("ovo", "macro", True), ("ovr", "macro", False), ("ovr", "weighted", False)):
        before = roc_auc_score(y, proba, multi_class=multi_class, average=average)
        after = roc_auc_score(y[copies], proba[copies], multi_class=multi_class, average=average)
        assert (after == pytest.approx(before, abs=1e-12)) is unchanged, (multi_class, average, before, after)


def test_gauc_figures() -> None:
    aucs = _user_aucs()
    assert set(aucs) == {"A", "B"} and f"{aucs['A']:.3f}$" in builtin_card("auc-roc/gauc-numeric").explanation
    text = builtin_card("auc-roc/gauc-numeric").explanation
    assert f"${aucs['B']:.1f}$" in text and f"{_gauc():.3f}$" in text
    pooled = roc_auc_score(sum((u[0] for u in GAUC_USERS.values()), []), sum((u[1] for u in GAUC_USERS.values()), []))
    assert f"${pooled:.3f}$" in text and pooled > _gauc()


# ---- conv-1x1, figures in the text

def test_inverted_residual_formula_and_figures() -> None:
    for c in (16, 64, 160):
        for t in (2, 6):
            wide = t * c
            assert _parameters(_inverted_residual(c, t, 3, c)) == wide * (2 * c + 9)  # the card's tc(2c + 9)
            assert _parameters(nn.Conv2d(wide, wide, 3, bias=False)) == 9 * wide**2
    x = torch.randn(1, 24, 8, 8)
    assert _inverted_residual(24, 6, 3, 24)(x).shape == x.shape  # same shape: the shortcut can be added


def test_inverted_residual_template_is_several_times_cheaper_than_a_wide_convolution(deck) -> None:
    """The template card's explanation: against a k×k convolution at the expanded width, at least 4 times fewer
    weights in every instance (the channel pairs stay within a factor of 2, as in MobileNetV2's Table 2)."""
    key = "conv-1x1/template-mobilenetv2-block-params"
    card = {c.key: c.card for c in deck.cards(["conv-1x1"])}[key]
    assert "several times cheaper" in card.explanation
    for difficulty in (1, 2, 3):
        for seed in range(120):
            p = template_problem(card, key, seed, difficulty, strict=True).params
            wide = nn.Conv2d(p["t"] * p["cin"], p["t"] * p["cin"], p["k"], bias=False)
            assert _parameters(wide) >= 4 * inverted_residual_params(p), p


def test_group_conv_weight_shape_and_channel_shuffle() -> None:
    assert tuple(nn.Conv2d(240, 240, 1, groups=3, bias=False).weight.shape) == (240, 80, 1, 1)
    assert "$(240, 240/3, 1, 1)$" in builtin_card("conv-1x1/group-1x1-params").explanation
    shuffled = nn.ChannelShuffle(3)(torch.arange(240.0).reshape(1, 240, 1, 1)).flatten()
    for group in shuffled.reshape(3, 80):  # every group of the next layer sees every group of this one
        assert set((group // 80).long().tolist()) == {0, 1, 2}
    manual = torch.arange(240.0).reshape(3, 80).t().flatten()  # reshape to (g, n), transpose, flatten
    assert torch.equal(shuffled, manual)


def test_ffn_is_two_kernel_size_one_convolutions() -> None:
    torch.manual_seed(0)
    ffn = nn.Sequential(nn.Linear(512, 2048), nn.ReLU(), nn.Linear(2048, 512))
    convs = nn.Sequential(nn.Conv1d(512, 2048, 1), nn.ReLU(), nn.Conv1d(2048, 512, 1))
    with torch.no_grad():
        for linear, conv in ((ffn[0], convs[0]), (ffn[2], convs[2])):
            conv.weight.copy_(linear.weight.unsqueeze(-1))
            conv.bias.copy_(linear.bias)
        tokens = torch.randn(2, 7, 512)
        assert torch.allclose(ffn(tokens), convs(tokens.transpose(1, 2)).transpose(1, 2), atol=1e-5)
    count = _parameters(ffn)
    text = builtin_card("conv-1x1/ffn-as-1x1-cloze").text
    assert "{{c2::2048}}" in text and f"{{{{c3::{count}}}}}" in text
    assert f"{count:,}".replace(",", "{,}") in builtin_card("conv-1x1/ffn-as-1x1-cloze").explanation


def test_se_and_fpn_figures() -> None:
    excitation = nn.Sequential(nn.Conv2d(256, 256 // 16, 1, bias=False), nn.Conv2d(256 // 16, 256, 1, bias=False))
    assert _parameters(excitation) == 2 * 256**2 // 16 == 8192
    assert "8,192 for $C = 256$" in builtin_card("conv-1x1/se-block").back
    weights = sum(_parameters(nn.Conv2d(c, 256, 1, bias=False)) for c in (256, 512, 1024, 2048))
    assert f"= {weights} + {_fpn_laterals() - weights} = {_fpn_laterals()}$" in builtin_card(
        "conv-1x1/fpn-lateral-params").explanation


# ---- class-imbalance, figures in the text

def test_class_balanced_effective_numbers() -> None:
    beta = 0.999
    large, small = _effective_number(1000, beta), _effective_number(10, beta)
    assert large == pytest.approx((1 - beta**1000) / (1 - beta), rel=1e-12)  # the card's closed form
    back = builtin_card("class-imbalance/class-balanced-effective-number").back
    assert f"{large:.1f}$" in back and f"${small:.3f}$" in back and f"about {large / small:.1f} instead of 100" in back
    assert _effective_number(1000, 0.0) == _effective_number(10, 0.0) == 1.0  # beta = 0: no reweighting
    near_one = 1 - 1e-9
    assert _effective_number(1000, near_one) / _effective_number(10, near_one) == pytest.approx(100, rel=1e-4)


# ---- generative-discriminative, figures in the text

def test_laplace_smoothing_figures() -> None:
    assert _ham_word_probabilities(1.0)[0] == pytest.approx(1 / 15)
    assert _ham_word_probabilities(1.0).sum() == pytest.approx(1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn warns that alpha this small can be numerically unstable
        assert _ham_word_probabilities(1e-10)[0] < 1e-10  # unsmoothed: "free" is (almost) impossible for ham
    assert "(0 + 1)/(10 + 1 \\cdot 5) = 1/15" in builtin_card("generative-discriminative/nb-laplace-smoothing").explanation


def test_qda_log_odds_is_quadratic_and_lda_log_odds_linear() -> None:
    rng = np.random.default_rng(3)
    x = np.r_[rng.normal(0, 1, (200, 2)), rng.normal(1, 2, (200, 2)) @ [[1, 0.5], [0, 1]]]
    y = np.r_[np.zeros(200), np.ones(200)]
    points = rng.uniform(-3, 3, (50, 2))
    linear = np.c_[np.ones(50), points]
    quadratic = np.c_[linear, points**2, points[:, :1] * points[:, 1:]]
    for model, features, fits in ((QuadraticDiscriminantAnalysis(), quadratic, True),
                                  (QuadraticDiscriminantAnalysis(), linear, False),
                                  (LinearDiscriminantAnalysis(), linear, True)):
        log_odds = model.fit(x, y).decision_function(points)
        residual = log_odds - features @ np.linalg.lstsq(features, log_odds, rcond=None)[0]
        assert bool(np.abs(residual).max() < 1e-8) is fits, (type(model).__name__, features.shape)


# ---- vanishing-exploding-gradients, figures in the text

def test_mse_vs_cross_entropy_figures() -> None:
    mse, ce = _output_gradients(-3.0, 1.0)
    p = float(torch.sigmoid(_tensor(-3.0)))
    text = builtin_card("vanishing-exploding-gradients/mse-vs-ce-output-gradient").explanation
    assert f"\\approx {p:.3f}" in text and f"\\approx {mse:.3f}$" in text and f"\\approx {ce:.3f}$" in text
    assert round(ce / mse) == 11 and "eleven times larger" in text


def test_float16_underflow_and_grad_scaler_behaviour() -> None:
    tiny = 2.0**-24
    assert torch.tensor(tiny, dtype=torch.float16).item() == tiny  # the smallest subnormal
    assert torch.tensor(tiny / 2, dtype=torch.float16).item() == 0.0  # half of it rounds (to even) to 0
    assert torch.tensor(tiny / 2 * 1.01, dtype=torch.float16).item() == tiny  # just above half: up, not to 0
    assert f"{tiny / 2:.0e}" == "3e-08"
    assert torch.tensor(2e-8, dtype=torch.float16).item() == 0.0
    assert torch.tensor(2e-8 * 2**16, dtype=torch.float16).item() > 0  # scaled, it survives
    assert f"{torch.finfo(torch.float16).smallest_normal:.2g}" == "6.1e-05"
    assert torch.finfo(torch.bfloat16).max == pytest.approx(torch.finfo(torch.float32).max, rel=0.01)
    text = " ".join(o.why for o in builtin_card("vanishing-exploding-gradients/fp16-loss-scaling").options)
    assert "below about $3 \\times 10^{-8}$, half the smallest subnormal" in builtin_card(
        "vanishing-exploding-gradients/fp16-loss-scaling").options[0].why
    assert f"{tiny:.3g}".replace("e-08", r" \times 10^{-8}") in text and "$6.1 \\times 10^{-5}$" in text

    weight = nn.Parameter(torch.ones(1))
    optimizer = torch.optim.SGD([weight], lr=0.1)
    scaler = torch.amp.GradScaler("cpu")
    assert scaler.get_scale() == 2.0**16 and scaler.get_growth_interval() == 2000
    assert "2000 clean steps, starting from $2^{16}$" in text
    scaler.scale((weight * float("inf")).sum()).backward()
    scaler.step(optimizer)
    scaler.update()
    assert weight.item() == 1.0 and scaler.get_scale() == 2.0**15  # overflow: step skipped, scale halved
    scaler.set_growth_factor(2.0)
    for _ in range(2000):
        optimizer.zero_grad()
        scaler.scale(weight.sum() * 0).backward()
        scaler.step(optimizer)
        scaler.update()
    assert scaler.get_scale() == 2.0**16  # doubled after 2000 clean steps


def test_new_cards_quote_their_chinese_terms_in_the_glossary(deck) -> None:
    glossary = {entry.zh for topic in deck.topics if topic.slug in TOPICS for entry in topic.glossary}
    quoted = {"平衡准确率", "基尼系数", "KS统计量", "一对其余", "一对一", "宏平均", "加权平均", "分组AUC", "倒残差",
              "线性瓶颈", "分组卷积", "通道混洗", "逐位置前馈网络", "挤压-激励", "通道注意力", "特征金字塔网络",
              "长尾分布", "logit调整", "有效样本数", "类别平衡损失", "拉普拉斯平滑", "零概率问题", "二次判别分析",
              "前向算法", "维特比算法", "饱和", "混合精度训练", "损失缩放", "下溢", "神经元死亡", "高斯误差线性单元",
              "截断的随时间反向传播", "证据下界", "模式崩溃"}
    for term in quoted:
        assert any(term in zh for zh in glossary), term
    texts = [re.sub(r"\s+", " ", str(card.card.model_dump())) for topic in TOPICS for card in deck.cards([topic])]
    for term in quoted:
        assert any(term in text for text in texts), f"{term} is in the glossary but no card uses it"


def test_gan_value_at_the_optimal_discriminator_is_a_jensen_shannon_divergence() -> None:
    """deep-generative-objectives: with D* = p / (p + q), V(D*, G) = -log 4 + 2 JS(p, q)."""
    rng = np.random.default_rng(4)
    for _ in range(10):
        p, q = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
        optimal = p / (p + q)
        value = p @ np.log(optimal) + q @ np.log(1 - optimal)
        assert value == pytest.approx(-np.log(4) + 2 * jensenshannon(p, q) ** 2, rel=1e-12)


# ---- vanishing-exploding-gradients, the added activation, initialisation and BPTT cards

def test_gelu_figures_and_dead_relu_units() -> None:
    x = _tensor(-1.0).requires_grad_()
    F.gelu(x).backward()
    grid = torch.linspace(-3, 0, 300_001, dtype=torch.float64)
    values = F.gelu(grid)
    why = " ".join(o.why for o in builtin_card("vanishing-exploding-gradients/dying-relu-gelu").options)
    assert f"${float(x.grad):.3f}$ at $x = -1$" in why
    assert f"about ${float(values.min()):.2f}$ near $x = {float(grid[values.argmin()]):.2f}$" in why

    layer = nn.Linear(4, 3).double()
    with torch.no_grad():
        layer.bias[0] = -100.0  # unit 0 is negative on every input: dead
    F.relu(layer(torch.randn(64, 4, dtype=torch.float64))).sum().backward()
    assert torch.all(layer.weight.grad[0] == 0) and layer.bias.grad[0] == 0
    assert torch.all(layer.weight.grad[1:].abs().sum(dim=1) > 0)
    norm = nn.BatchNorm1d(1).double().train()
    assert torch.allclose(norm(torch.zeros(64, 1, dtype=torch.float64)), norm.bias)  # BN of a constant 0 is β


def test_dead_relu_option_claims_no_gradient_not_no_update() -> None:
    """A dead unit gets zero gradient, yet an optimizer with weight decay still changes its weights: the right
    option says backpropagation never moves it, not that no update ever reaches it."""
    layer = nn.Linear(4, 3).double()
    with torch.no_grad():
        layer.bias[0] = -100.0
    before = layer.weight[0].detach().clone()
    optimizer = torch.optim.SGD(layer.parameters(), lr=0.1, weight_decay=0.1)
    F.relu(layer(torch.randn(64, 4, dtype=torch.float64))).sum().backward()
    optimizer.step()
    assert torch.all(layer.weight.grad[0] == 0) and not torch.equal(layer.weight[0].detach(), before)
    right = [o.text for o in builtin_card("vanishing-exploding-gradients/dying-relu-gelu").options if o.correct]
    assert any("zero gradient" in text and "backpropagation never moves them" in text for text in right)
    assert not any("no update ever" in text for text in right)


def test_init_gains_and_the_linear_default() -> None:
    text = builtin_card("vanishing-exploding-gradients/init-gain-cloze").text
    clozes = dict(re.findall(r"\{\{(c\d)::(.*?)\}\}", text))
    assert nn.init.calculate_gain("relu") == pytest.approx(2**0.5) and clozes["c1"] == r"$\sqrt{2}$"
    assert nn.init.calculate_gain("tanh") == pytest.approx(5 / 3) and clozes["c2"] == "5/3"
    for a in (0.01, 0.2, 1.0):
        assert nn.init.calculate_gain("leaky_relu", a) == pytest.approx((2 / (1 + a**2)) ** 0.5)
    torch.manual_seed(0)
    fan_in = 1000
    weight = torch.empty(2000, fan_in, dtype=torch.float64)
    nn.init.kaiming_normal_(weight, nonlinearity="relu")
    assert float(weight.std()) == pytest.approx(2**0.5 / fan_in**0.5, rel=0.01)
    default = nn.Linear(fan_in, 2000).weight.detach()
    assert float(default.abs().max()) <= 1 / fan_in**0.5
    assert float(default.var()) == pytest.approx(1 / (3 * fan_in), rel=0.02)


def test_detaching_the_state_truncates_backpropagation_through_time() -> None:
    torch.manual_seed(0)
    cell = nn.RNNCell(3, 5).double()
    inputs = torch.randn(12, 1, 3, dtype=torch.float64, requires_grad=True)
    h = torch.zeros(1, 5, dtype=torch.float64)
    for step in range(12):
        if step % 4 == 0:
            h = h.detach()  # k = 4
        h = cell(inputs[step], h)
    h.sum().backward()
    reached = inputs.grad.abs().sum(dim=(1, 2)) > 0
    assert reached.tolist() == [False] * 8 + [True] * 4  # the last chunk only
    assert "`h = h.detach()`" in builtin_card("vanishing-exploding-gradients/truncated-bptt").back
