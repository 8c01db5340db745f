"""Every template card of the built-in deck, recomputed by a trusted library from the drawn params.

100 seeds at each difficulty (`tests.deck_answers.assert_template_matches_oracle`): the card's answer must
equal the oracle's (to float precision), and the oracle's own answer, typed to the card's precision, must
check as correct. The overfitting-depth templates have their oracles in test_deck_numbers_overfitting_depth.
"""

from __future__ import annotations

import importlib
import math
import pkgutil

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.stats import beta as beta_dist
from sklearn.linear_model import Ridge
from sklearn.metrics import fbeta_score, precision_score, roc_auc_score
from sklearn.utils.class_weight import compute_class_weight
from torch import nn

from quizapp.deck.templates import template_problem
from tests import oracle as oracle_tests
from tests.deck_answers import assert_template_matches_oracle, builtin_template_cards


def tensor(values):
    return torch.tensor(values, dtype=torch.float64)


def softmax_entry(p):
    return float(torch.softmax(tensor(p["z"]), 0)[p["k"] - 1])


def cross_entropy(p):
    return float(F.cross_entropy(tensor([p["z"]]), torch.tensor([p["y"] - 1])))


def sigmoid_derivative(p):
    x = tensor(p["x"]).requires_grad_()
    torch.sigmoid(x).backward()
    return float(x.grad)


def clip_grad_norm(p):
    weight = nn.Parameter(torch.zeros(len(p["g"]), dtype=torch.float64))
    weight.grad = tensor(p["g"])
    nn.utils.clip_grad_norm_([weight], p["c"])  # adds 1e-6 to the norm: compared at 1e-5 below
    return weight.grad.tolist()


def weight_decay_step(p):
    weight = nn.Parameter(tensor(p["w"]))
    optimizer = torch.optim.SGD([weight], lr=p["lr"], weight_decay=p["lam"])
    weight.grad = tensor(p["g"])
    optimizer.step()
    return weight.detach().tolist()


def soft_threshold(p):
    return F.softshrink(tensor(p["v"]), p["lr"] * p["lam"]).tolist()


def _population(positives: int, negatives: int, tp: int, fp: int):
    y_true = np.r_[np.ones(positives, int), np.zeros(negatives, int)]
    y_pred = np.r_[np.ones(tp, int), np.zeros(positives - tp, int), np.ones(fp, int), np.zeros(negatives - fp, int)]
    return y_true, y_pred


def precision_new_prevalence(p):
    # A population of 100,000 with exactly those rates (every count is a whole number at these decimals).
    n = 100_000
    positives = round(p["p1"] * n)
    negatives = n - positives
    y_true, y_pred = _population(positives, negatives, round(p["tpr"] * positives), round(p["fpr"] * negatives))
    return float(precision_score(y_true, y_pred))


def fbeta_counts(p):
    tp, fp, fn = p["tp"], p["fp"], p["fn"]
    y_true = np.r_[np.ones(tp + fn, int), np.zeros(fp, int)]
    y_pred = np.r_[np.ones(tp, int), np.zeros(fn, int), np.ones(fp, int)]
    return float(fbeta_score(y_true, y_pred, beta=p["beta"]))


def bn_eval_output(p):
    layer = nn.BatchNorm1d(1, eps=1e-5).double().eval()
    with torch.no_grad():
        layer.running_mean[:] = p["mu"]
        layer.running_var[:] = p["v"]
        layer.weight[:] = p["gamma"]
        layer.bias[:] = p["beta"]
        return float(layer(tensor([[p["x"]]]))[0, 0])


def bn_running_stats(p):
    layer = nn.BatchNorm1d(1, momentum=p["momentum"]).double().train()
    with torch.no_grad():
        layer.running_mean[:] = p["rm"]
        layer.running_var[:] = p["rv"]
        layer(tensor(p["x"]).reshape(-1, 1))
    return [float(layer.running_mean[0]), float(layer.running_var[0])]


def conv_output_size(p):
    conv = nn.Conv2d(1, 1, p["k"], stride=p["stride"], padding=p["pad"], dilation=p["dil"], bias=False)
    with torch.no_grad():
        return float(conv(torch.zeros(1, 1, p["h"], p["h"])).shape[-1])


def conv1x1_params(p):
    conv = nn.Conv2d(p["cin"], p["cout"], 1)
    return float(sum(t.numel() for t in conv.parameters()))


def auc_small_sample(p):
    return float(roc_auc_score(p["y"], p["score"]))


def balanced_weight(p):
    y = np.r_[np.ones(p["npos"], int), np.zeros(p["n"] - p["npos"], int)]
    return float(compute_class_weight("balanced", classes=np.array([0, 1]), y=y)[1])


def beta_posterior_mean(p):
    return float(beta_dist(p["h"] + p["a"], p["n"] - p["h"] + p["a"]).mean())


def ridge_1d(p):
    model = Ridge(alpha=p["lam"], fit_intercept=False).fit(np.reshape(p["x"], (-1, 1)), p["y"])
    return float(model.coef_[0])


def layer_norm_entry(p):
    return float(F.layer_norm(tensor(p["x"]), (len(p["x"]),), eps=1e-5)[p["k"] - 1])


def rms_norm_entry(p):
    weight = torch.full((len(p["x"]),), float(p["g"]), dtype=torch.float64)
    return float(F.rms_norm(tensor(p["x"]), (len(p["x"]),), weight=weight, eps=1e-6)[p["k"] - 1])


def softmax_ce_gradient(p):
    z = tensor([p["z"]]).requires_grad_()
    F.cross_entropy(z, torch.tensor([p["y"] - 1])).backward()
    return z.grad[0].tolist()


def label_smoothing_ce(p):
    return float(F.cross_entropy(tensor([p["z"]]), torch.tensor([p["y"] - 1]), label_smoothing=p["eps"]))


def adamw_two_steps(p):
    weight = nn.Parameter(tensor([p["p0"]]))
    optimizer = torch.optim.AdamW([weight], lr=p["lr"], weight_decay=p["wd"])
    for g in p["g"]:
        weight.grad = tensor([g])
        optimizer.step()
    return float(weight.detach()[0])


def _lr_after_calls(make_scheduler, lr: float, calls: int) -> float:
    optimizer = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=lr)
    scheduler = make_scheduler(optimizer)
    for _ in range(calls):
        optimizer.step()
        scheduler.step()
    return optimizer.param_groups[0]["lr"]


def warmup_linear_decay(p):
    def make(optimizer):
        warm_up = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=p["s0"], total_iters=p["w"])
        decay = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1.0, end_factor=p["ef"], total_iters=p["d"])
        return torch.optim.lr_scheduler.SequentialLR(optimizer, [warm_up, decay], milestones=[p["w"]])

    return _lr_after_calls(make, p["lr"], p["t"])


def scaled_warmup(p):
    target = p["ref_lr"] * p["b"] / p["ref_b"]  # the linear scaling rule, as the prompt states it
    make = lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=p["ref_lr"] / target, total_iters=p["w"])  # noqa: E731
    return _lr_after_calls(make, target, p["t"])


ORACLES = {
    "generative-discriminative/template-softmax-entry": (softmax_entry, 1e-12),
    "generative-discriminative/template-cross-entropy": (cross_entropy, 1e-12),
    "vanishing-exploding-gradients/template-sigmoid-derivative": (sigmoid_derivative, 1e-12),
    "vanishing-exploding-gradients/template-clip-grad-norm": (clip_grad_norm, 1e-5),
    "l1-l2/template-weight-decay-step": (weight_decay_step, 1e-12),
    "l1-l2/template-soft-threshold": (soft_threshold, 1e-12),
    "precision-recall-f1/template-precision-new-prevalence": (precision_new_prevalence, 1e-12),
    "precision-recall-f1/template-fbeta-counts": (fbeta_counts, 1e-12),
    "batch-norm/template-bn-eval-output": (bn_eval_output, 1e-12),
    "batch-norm/template-bn-running-stats": (bn_running_stats, 1e-12),
    "conv-1x1/template-conv-output-size": (conv_output_size, 0.0),
    "conv-1x1/template-conv1x1-params": (conv1x1_params, 0.0),
    "auc-roc/template-auc-small-sample": (auc_small_sample, 1e-12),
    "class-imbalance/template-balanced-weight": (balanced_weight, 1e-12),
    "overfitting/template-beta-posterior-mean": (beta_posterior_mean, 1e-12),
    "overfitting-remedies/template-ridge-1d": (ridge_1d, 1e-9),
    "normalization/template-layer-norm-entry": (layer_norm_entry, 1e-12),
    "normalization/template-rms-norm-entry": (rms_norm_entry, 1e-12),
    "loss-functions/template-softmax-ce-gradient": (softmax_ce_gradient, 1e-12),
    "loss-functions/template-label-smoothing": (label_smoothing_ce, 1e-12),
    "optimizers/template-adamw-two-steps": (adamw_two_steps, 1e-12),
    "optimizers/template-warmup-linear-decay": (warmup_linear_decay, 1e-9),
    "optimizers/template-scaled-warmup": (scaled_warmup, 1e-9),
}


def _oracles_of_topic_files() -> dict:
    """A topic's own numbers file (test_deck_numbers_*.py) may keep its template oracles as TEMPLATE_ORACLES."""
    found: dict = {}
    for module in pkgutil.iter_modules(oracle_tests.__path__):
        if module.name.startswith("test_deck_numbers_"):
            oracles = getattr(importlib.import_module(f"{oracle_tests.__name__}.{module.name}"), "TEMPLATE_ORACLES", {})
            assert not set(oracles) & set(found), f"{module.name}: template oracles defined twice"
            found.update(oracles)
    return found


_TOPIC_ORACLES = _oracles_of_topic_files()
assert not set(_TOPIC_ORACLES) & set(ORACLES), "a template oracle is defined both here and in a topic's file"
ORACLES.update(_TOPIC_ORACLES)


@pytest.fixture(scope="module")
def templates():
    return builtin_template_cards()


def test_every_builtin_template_has_an_oracle(templates) -> None:
    assert len(templates) >= 12
    assert set(templates) == set(ORACLES)
    assert len({key.partition("/")[0] for key in templates}) >= 8, "templates spread across the topics"


@pytest.mark.parametrize("key", sorted(ORACLES))
def test_template_answer_matches_the_oracle(templates, key: str) -> None:
    oracle, rel = ORACLES[key]
    assert_template_matches_oracle(templates[key], key, oracle, rel)


def test_difficulty_changes_the_problem(templates) -> None:
    """A harder instance is bigger or wider somewhere: across 20 seeds the params differ by difficulty."""
    for key, card in templates.items():
        easy = [template_problem(card, key, s, 1, strict=True).params for s in range(20)]
        hard = [template_problem(card, key, s, 3, strict=True).params for s in range(20)]
        assert easy != hard, key


def test_answers_are_finite_and_shown_numbers_are_the_computed_ones(templates) -> None:
    for key, card in templates.items():
        problem = template_problem(card, key, 1, strict=True)
        assert all(math.isfinite(a) for a in np.atleast_1d(problem.answer))
        for name, value in problem.params.items():
            if isinstance(value, list) and f"{{{name}}}" in card.prompt:
                shown = "[" + ", ".join(str(int(v)) if float(v).is_integer() else repr(float(v)) for v in value) + "]"
                assert shown in problem.prompt, (key, name)
