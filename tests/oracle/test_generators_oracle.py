"""Every generator's answer, recomputed by the trusted library from the problem's params."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import torch
import torch.nn.functional as F
from kornia.losses import binary_focal_loss_with_logits
from imblearn.utils import check_sampling_strategy
from scipy.linalg import eigvalsh
from scipy.linalg import solve as scipy_solve
from scipy.optimize import brentq, minimize_scalar
from scipy.stats import beta as beta_dist
from scipy.stats import binom, mannwhitneyu
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import (
    confusion_matrix,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
    roc_auc_score,
    roc_curve,
)
from sklearn.naive_bayes import BernoulliNB, CategoricalNB, GaussianNB
from sklearn.utils.class_weight import compute_class_weight
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval
from torch.utils.flop_counter import FlopCounterMode

import solvers
from solvers import registry

pytestmark = pytest.mark.solvers

SEEDS = range(40)


def tensor(values):
    return torch.tensor(values, dtype=torch.float64)


def oracle_auc(p):
    y, s = np.array(p["y_true"]), np.array(p["y_score"])
    if p["ask"] == "u":
        return mannwhitneyu(s[y == 1], s[y == 0]).statistic
    return roc_auc_score(y, s)


def oracle_cost_threshold(p):
    """scikit-learn's ROC curve gives the candidate thresholds; its confusion matrix at each gives the
    errors, priced by the problem's costs (per case at the deployment prevalence when one is given)."""
    y, s = np.array(p["y_true"]), np.array(p["y_score"])
    _, _, thresholds = roc_curve(y, s, drop_intermediate=False)
    costs = {}
    for t in thresholds[np.isfinite(thresholds)]:
        tn, fp, fn, tp = confusion_matrix(y, (s >= t).astype(int), labels=[0, 1]).ravel()
        if p["prevalence"] is None:
            costs[float(t)] = p["c_fp"] * fp + p["c_fn"] * fn
        else:
            pi = p["prevalence"]
            costs[float(t)] = p["c_fp"] * fp / (fp + tn) * (1 - pi) + p["c_fn"] * fn / (fn + tp) * pi
    best = min(costs, key=costs.get)
    return best if p["ask"] == "threshold" else costs[best]


def oracle_prf(p):
    if "tp" in p:
        y_true = [1] * p["tp"] + [0] * p["fp"] + [1] * p["fn"] + [0] * p["tn"]
        y_pred = [1] * p["tp"] + [1] * p["fp"] + [0] * p["fn"] + [0] * p["tn"]
    else:
        y_true, y_pred = p["y_true"], p["y_pred"]
    prf = precision_recall_fscore_support(y_true, y_pred, beta=p["beta"], average=p["average"], zero_division=0.0)
    return {"precision": prf[0], "recall": prf[1], "f": prf[2], "all": list(prf[:3])}[p["ask"]]


def weighted_precision(tpr, fpr, prevalence):
    """scikit-learn's precision on a four-cell population (TP, FN, FP, TN) weighted to the prevalence."""
    y_true, y_pred = [1, 1, 0, 0], [1, 0, 1, 0]
    weights = [tpr * prevalence, (1 - tpr) * prevalence, fpr * (1 - prevalence), (1 - fpr) * (1 - prevalence)]
    return precision_score(y_true, y_pred, sample_weight=weights, zero_division=0.0)


def oracle_prevalence_precision(p):
    if p["ask"] == "precision":
        return weighted_precision(p["tpr"], p["fpr"], p["prevalence"])
    if p["ask"] == "fpr":  # the FPR at which the weighted precision hits the target, found by root finding
        gap = lambda fpr: weighted_precision(p["tpr"], fpr, p["prevalence"]) - p["target_precision"]  # noqa: E731
        return brentq(gap, 1e-12, 1.0, xtol=1e-15, rtol=1e-13)
    y_true = [1] * (p["tp"] + p["fn"]) + [0] * (p["fp"] + p["tn"])
    y_pred = [1] * p["tp"] + [0] * p["fn"] + [1] * p["fp"] + [0] * p["tn"]
    tpr = recall_score(y_true, y_pred)
    fpr = 1 - recall_score(y_true, y_pred, pos_label=0)
    return weighted_precision(tpr, fpr, p["prevalence"])


def oracle_batchnorm(p):
    x = tensor(p["x"])
    channels = x.shape[1]
    rm = tensor(p["running_mean"]) if p["running_mean"] is not None else torch.zeros(channels, dtype=torch.float64)
    rv = tensor(p["running_var"]) if p["running_var"] is not None else torch.ones(channels, dtype=torch.float64)
    y = F.batch_norm(x, rm, rv, tensor(p["gamma"]), tensor(p["beta"]), p["training"], p["momentum"], p["eps"])
    c = p["channel"]
    values = x.transpose(0, 1)[c].reshape(-1)
    return {
        "stats": lambda: [values.mean().item(), values.var(unbiased=False).item()],
        "output": lambda: y[tuple(p["index"])].item(),
        "eval": lambda: y[tuple(p["index"])].item(),
        "running_mean": lambda: rm[c].item(),
        "running_var": lambda: rv[c].item(),
    }[p["ask"]]()


def oracle_bn_fold(p):
    weight = tensor(p["weight"])
    c_out, c_in = weight.shape
    conv = nn.Conv2d(c_in, c_out, 1, bias=p["bias"] is not None).double()
    bn = nn.BatchNorm2d(c_out, eps=p["eps"]).double().eval()
    with torch.no_grad():
        conv.weight.copy_(weight[:, :, None, None])
        if p["bias"] is not None:
            conv.bias.copy_(tensor(p["bias"]))
        bn.weight.copy_(tensor(p["gamma"]))
        bn.bias.copy_(tensor(p["beta"]))
        bn.running_mean.copy_(tensor(p["running_mean"]))
        bn.running_var.copy_(tensor(p["running_var"]))
    fused = fuse_conv_bn_eval(conv.eval(), bn)
    o = p["channel"]
    if p["ask"] == "bias":
        return fused.bias[o].item()
    return fused.weight[o, :, 0, 0].tolist() + [fused.bias[o].item()]


def oracle_bn_backward(p):
    x = tensor(p["x"]).requires_grad_()
    gamma = tensor([p["gamma"]]).requires_grad_()
    beta = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    F.batch_norm(x, None, None, gamma, beta, training=True, eps=p["eps"]).backward(tensor(p["dy"]))
    return {
        "dgamma": lambda: gamma.grad.item(),
        "dbeta": lambda: beta.grad.item(),
        "dx": lambda: x.grad[p["index"], 0].item(),
        "dx_all": lambda: x.grad[:, 0].tolist(),
    }[p["ask"]]()


def oracle_l1l2(p):
    ask = p["ask"]
    if ask in ("l1_grad", "l2_grad"):
        w = tensor(p["w"]).requires_grad_()
        penalty = (p["lam"] * w.abs()).sum() if p["kind"] == "l1" else (p["lam"] * w.pow(2)).sum()
        penalty.backward()
        return w.grad.tolist()
    if ask == "one_sided":
        sides = []
        for w0 in (-1e-9, 1e-9):
            w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
            (p["d0"] * w + p["lam"] * w.abs()).backward()
            sides.append(w.grad.item())
        return sides
    if ask == "soft_threshold":
        return F.softshrink(tensor(p["w"]), p["t"]).tolist()
    if ask == "ista":  # a plain SGD step on L, then torch's soft-shrink at eta * lambda
        param = nn.Parameter(tensor(p["w"]))
        param.grad = tensor(p["grad"])
        torch.optim.SGD([param], lr=p["lr"]).step()
        return F.softshrink(param.detach(), p["lr"] * p["lam"]).tolist()
    param = nn.Parameter(tensor(p["w"]))
    param.grad = tensor(p["grad"])
    torch.optim.SGD([param], lr=p["lr"], weight_decay=2 * p["lam"]).step()
    return param.detach().tolist()


def hat_eigenvalues(x, lam):
    """The non-zero eigenvalues of ridge's hat matrix X (X^T X + lam I)^-1 X^T, largest first (scipy)."""
    hat = x @ scipy_solve(x.T @ x + lam * np.eye(x.shape[1]), x.T, assume_a="pos")
    return eigvalsh(hat)[::-1][: x.shape[1]]


def oracle_ridge(p):
    x, lam = np.array(p["X"]), p["lam"]
    if p["ask"] == "coefficient":
        model = Ridge(alpha=lam, fit_intercept=False, solver="cholesky").fit(x, np.array(p["y"]))
        return model.coef_[p["column"]]
    values = hat_eigenvalues(x, lam)
    if p["ask"] == "factor":  # orthogonal columns: the hat matrix maps column j to a multiple of itself
        column = x[:, p["column"]]
        hat = x @ scipy_solve(x.T @ x + lam * np.eye(x.shape[1]), x.T, assume_a="pos")
        return (column @ hat @ column) / (column @ column)
    return float(values.sum()) if p["ask"] == "df" else values.tolist()


def oracle_class_weights(p):
    y = np.repeat(np.arange(len(p["counts"])), p["counts"])
    weights = compute_class_weight("balanced", classes=np.unique(y), y=y)
    return weights.tolist() if p["ask"] == "all" else weights[p["target"]]


def oracle_smote(p):
    if p["ask"] == "count":
        y = np.array([0] * p["n_majority"] + [1] * p["n_minority"])
        return check_sampling_strategy(p["ratio"], y, "over-sampling")[1]
    # smote_point itself is proven against imbalanced-learn's public fit_resample (test_imbalance_oracle.py)
    return np.asarray(solvers.smote_point(p["x"], p["neighbor"], p["gap"])).tolist()


def kornia_focal(ps, ys, gamma, alpha):
    """kornia's binary focal loss per example, from the logits of the given probabilities."""
    logits = torch.logit(tensor(ps)).reshape(-1, 1)
    return binary_focal_loss_with_logits(logits, tensor(ys).reshape(-1, 1), alpha=alpha, gamma=gamma,
                                         reduction="none").reshape(-1)


def oracle_focal(p):
    if p["ask"] == "relative":
        fl = kornia_focal([p["easy"], p["hard"]], [1.0, 1.0], p["gamma"], None)
        ce = F.binary_cross_entropy(tensor([p["easy"], p["hard"]]), tensor([1.0, 1.0]), reduction="none")
        return ((fl[1] / fl[0]) / (ce[1] / ce[0])).item()
    if p["ask"] == "batch":
        return kornia_focal(p["ps"], [float(y) for y in p["ys"]], p["gamma"], p["alpha"]).mean().item()
    fl = kornia_focal([p["p"]], [float(p["y"])], p["gamma"], p["alpha"])[0]
    if p["ask"] == "ratio":
        return (fl / F.binary_cross_entropy(tensor([p["p"]]), tensor([float(p["y"])]))).item()
    return fl.item()


def oracle_grad_clip(p):
    params = []
    for g in p["grads"]:
        param = nn.Parameter(torch.zeros(len(g), dtype=torch.float64))
        param.grad = tensor(g)
        params.append(param)
    norm_type = math.inf if p["norm_type"] == "inf" else p["norm_type"]
    total = torch.nn.utils.clip_grad_norm_(params, p["max_norm"], norm_type=norm_type).item()
    return total if p["ask"] == "norm" else params[p["target"]].grad.tolist()


def oracle_vanishing(p):
    weights = tensor(p["weights"])
    if p["ask"] == "bound":
        # the largest slope of the sigmoid, found numerically by autograd + scipy, once per layer
        def minus_slope(v):
            z = torch.tensor(v, dtype=torch.float64, requires_grad=True)
            torch.sigmoid(z).backward()
            return -z.grad.item()

        slope = -minimize_scalar(minus_slope).fun
        return float(weights.abs().prod()) * slope ** len(p["weights"])
    x = torch.tensor(p["x"], dtype=torch.float64, requires_grad=True)
    a = x
    for w in weights:
        a = torch.sigmoid(w * a)
    a.backward()
    return x.grad.item()


def conv_params(*args, **kwargs):
    return sum(q.numel() for q in nn.Conv2d(*args, device="meta", **kwargs).parameters())


def conv_macs(h, layers):
    """Multiply-accumulates of a chain of stride-1 'same' convolutions, counted by torch's FLOP counter
    (which counts a multiply-add as 2 FLOPs) on meta tensors."""
    x = torch.zeros(1, layers[0][0], h, h, device="meta")
    with FlopCounterMode(display=False) as counter:
        for c_in, c_out, k in layers:
            x = F.conv2d(x, torch.zeros(c_out, c_in, k, k, device="meta"), padding=k // 2)
    return counter.get_total_flops() // 2


def oracle_conv1x1(p):
    ask = p["ask"]
    if ask in ("saved", "ratio"):
        c, m, size = p["channels"], p["mid"], p.get("k", 3)
        direct = conv_params(c, c, size, bias=False)
        bottleneck = sum(conv_params(i, o, k, bias=False) for i, o, k in ((c, m, 1), (m, m, size), (m, c, 1)))
        return direct - bottleneck if ask == "saved" else direct / bottleneck
    if ask == "params":
        return conv_params(p["c_in"], p["c_out"], p["k"], bias=p["bias"])
    if ask == "macs":
        return conv_macs(p["h"], [(p["c_in"], p["c_out"], 1)])
    if ask in ("separable", "separable_ratio"):
        c_in, c_out = p["c_in"], p["c_out"]
        separable = conv_params(c_in, c_in, 3, bias=False, groups=c_in) + conv_params(c_in, c_out, 1, bias=False)
        return separable if ask == "separable" else conv_params(c_in, c_out, 3, bias=False) / separable
    if ask in ("reduction", "reduction_ratio"):
        direct = conv_macs(p["h"], [(p["c_in"], p["c_out"], 5)])
        reduced = conv_macs(p["h"], [(p["c_in"], p["mid"], 1), (p["mid"], p["c_out"], 5)])
        return direct - reduced if ask == "reduction" else direct / reduced
    w = tensor(p["w"])
    y = F.conv2d(tensor(p["x"])[None], w[:, :, None, None], tensor(p["b"]))[0]
    if "channel" in p:
        return y[p["channel"]].reshape(-1).tolist()
    values = y[:, 0, 0].tolist()
    return values[0] if len(values) == 1 else values


def oracle_dropout(p):
    x, mask, scale = tensor(p["x"]), torch.tensor(p["mask"], dtype=torch.bool), 1 / (1 - p["p"])
    if p["ask"] == "eval":
        return F.dropout(x, p["p"], training=False).tolist()
    if p["ask"] == "scale":
        torch.manual_seed(0)
        out = F.dropout(torch.ones(1000, dtype=torch.float64), p["p"], training=True)
        return out[out != 0][0].item()
    y = torch.ops.aten.native_dropout_backward(x, mask, scale)  # torch's own kernel, with our mask
    return y.tolist() if p["ask"] == "vector" else y[p["index"]].item()


def oracle_naive_bayes(p):
    if p["ask"] == "gaussian":
        d = len(p["x"])
        model = GaussianNB().fit(np.array([[0.0] * d, [1.0] * d, [0.0] * d, [1.0] * d]), np.array([0, 0, 1, 1]))
        model.theta_, model.var_ = np.array(p["means"]), np.array(p["variances"])
        model.class_prior_ = np.array(p["priors"])
        return model.predict_proba(np.array([p["x"]]))[0, 0]
    likelihoods = np.array(p["likelihoods"])
    n_classes, n_features = likelihoods.shape
    if not all(p["present"]):  # presence and absence: scikit-learn's Bernoulli model
        model = BernoulliNB().fit(np.eye(2, n_features, dtype=int), np.arange(n_classes))
        model.class_log_prior_ = np.log(p["priors"])
        model.feature_log_prob_ = np.log(likelihoods)
        return model.predict_proba(np.array([p["present"]], dtype=int))[0, 0]
    model = CategoricalNB().fit(np.zeros((n_classes, n_features), dtype=int), np.arange(n_classes))
    model.class_log_prior_ = np.log(p["priors"])
    model.feature_log_prob_ = [np.log(likelihoods[:, [j]]) for j in range(n_features)]
    return model.predict_proba(np.zeros((1, n_features), dtype=int))[0, 0]


def oracle_logistic(p):
    model = LogisticRegression()
    model.classes_ = np.array([0, 1])
    model.coef_, model.intercept_ = np.array([p["w"]]), np.array([p["b"]])
    x = np.array([p["x"]])
    return model.predict_proba(x)[0, 1] if p["ask"] == "proba" else model.decision_function(x)[0]


def oracle_coin(p):
    h, n = p["heads"], p["tosses"]
    mle = minimize_scalar(lambda q: -binom.logpmf(h, n, q), bounds=(0, 1), method="bounded",
                          options={"xatol": 1e-12}).x
    posterior = beta_dist(h + p["a"], n - h + p["b"])
    mean = posterior.mean()
    mode = minimize_scalar(lambda q: -posterior.logpdf(q), bounds=(0, 1), method="bounded",
                           options={"xatol": 1e-12}).x
    return {"mle": mle, "smoothed": mean, "mean": mean, "map": mode, "both": [mode, mean],
            "difference": mean - mle}[p["ask"]]


ORACLES = {
    "auc": oracle_auc,
    "cost-threshold": oracle_cost_threshold,
    "prf": oracle_prf,
    "prevalence-precision": oracle_prevalence_precision,
    "batchnorm": oracle_batchnorm,
    "bn-fold": oracle_bn_fold,
    "bn-backward": oracle_bn_backward,
    "l1l2": oracle_l1l2,
    "ridge-shrinkage": oracle_ridge,
    "class-weights": oracle_class_weights,
    "smote": oracle_smote,
    "focal-loss": oracle_focal,
    "grad-clip": oracle_grad_clip,
    "vanishing": oracle_vanishing,
    "conv1x1": oracle_conv1x1,
    "dropout": oracle_dropout,
    "naive-bayes": oracle_naive_bayes,
    "logistic": oracle_logistic,
    "coin-mle": oracle_coin,
}
NUMERICAL = {"coin-mle": 1e-6, "vanishing": 1e-8}  # oracles that search numerically


def test_every_generator_has_an_oracle():
    assert set(ORACLES) == set(registry())


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("name", sorted(ORACLES))
def test_generator_answer_equals_oracle(name, difficulty):
    solver = registry()[name]
    for seed in SEEDS:
        problem = solver.generate(seed, difficulty)
        expected = ORACLES[name](problem.params)
        tolerance = NUMERICAL.get(name, 1e-12)
        assert np.size(problem.answer) == np.size(expected), (seed, problem.params)
        np.testing.assert_allclose(
            np.ravel(problem.answer), np.ravel(expected), rtol=1e-9, atol=tolerance, err_msg=f"seed {seed}"
        )


REASONING = ["bn-fold", "bn-backward", "prevalence-precision", "cost-threshold", "focal-loss", "ridge-shrinkage"]


@pytest.mark.parametrize("name", REASONING)
@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), difficulty=st.sampled_from([1, 2, 3]))
def test_reasoning_generators_equal_their_oracles_on_any_seed(name, seed, difficulty):
    """The generators that test reasoning, on seeds hypothesis picks (beyond the fixed range above)."""
    problem = registry()[name].generate(seed, difficulty)
    expected = ORACLES[name](problem.params)
    assert np.size(problem.answer) == np.size(expected), problem.params
    np.testing.assert_allclose(np.ravel(problem.answer), np.ravel(expected), rtol=1e-9, atol=1e-12)
