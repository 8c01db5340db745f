"""Static numeric answers of the l1-l2, class-imbalance and auc-roc topics.

`ORACLE` takes each expected number from a trusted library (torch, scikit-learn, imbalanced-learn);
`TYPO_GUARD` re-types the prompt's arithmetic where no library computes the quantity, so it guards against
typos only.
"""

import numpy as np
import torch
from imblearn.over_sampling import SMOTE
from sklearn.linear_model import Lasso, Ridge
from sklearn.metrics import average_precision_score, confusion_matrix, roc_auc_score
from sklearn.utils.class_weight import compute_class_weight

from tests.deck_answers import assert_numeric_answers
from tests.oracle.test_deck_numbers_depth_five import EXPECTED as DEPTH_FIVE

TOPICS = ["l1-l2", "class-imbalance", "auc-roc"]


def _one_sided_derivatives(d0, lam):
    """[left, right] derivative at 0 of J(w) = d0 * w + lam * |w| (L is linear near 0), by torch autograd on
    either side of the kink, where J is linear."""
    slopes = []
    for w in (-1e-3, 1e-3):
        point = torch.tensor(w, dtype=torch.float64, requires_grad=True)
        (d0 * point + lam * point.abs()).backward()
        slopes.append(float(point.grad))
    return slopes


def _ista_step(w, grad, eta, lam):
    """A gradient step by torch's SGD, then torch's soft-thresholding (softshrink) at eta * lam."""
    parameter = torch.nn.Parameter(torch.tensor([w], dtype=torch.float64))
    parameter.grad = torch.tensor([grad], dtype=torch.float64)
    torch.optim.SGD([parameter], lr=eta).step()
    return float(torch.nn.functional.softshrink(parameter.detach(), eta * lam)[0])


def _soft_threshold(values, lam):
    return torch.nn.functional.softshrink(torch.tensor(values, dtype=torch.float64), lam).tolist()


def _ridge_and_lasso(beta_ols, lam):
    """One feature with X^T X = 1: scikit-learn's Ridge (||y - Xb||^2 + lam ||b||^2) and Lasso
    ((1 / 2n) ||y - Xb||^2 + lam ||b||_1, n = 1) on X = [[1]], y = [beta_ols]."""
    x, y = np.array([[1.0]]), np.array([beta_ols])
    ridge = Ridge(alpha=lam, fit_intercept=False).fit(x, y).coef_[0]
    lasso = Lasso(alpha=lam, fit_intercept=False).fit(x, y).coef_[0]
    return [float(ridge), float(lasso)]


def _decoupled_decay(lr, weight_decay):
    """lambda' in w <- (1 - lambda') w: one step of torch's SGD(weight_decay=...) with a zero loss gradient."""
    parameter = torch.nn.Parameter(torch.tensor([1.0], dtype=torch.float64))
    parameter.grad = torch.zeros(1, dtype=torch.float64)
    torch.optim.SGD([parameter], lr=lr, weight_decay=weight_decay).step()
    return float(1.0 - parameter.detach()[0])


def _weight_decay_for_penalty(lam):
    """The `weight_decay` whose SGD step equals the step on the penalty lam * w^2, found by torch:
    differentiate the penalty with autograd, step one parameter with the penalty and one with
    weight_decay=1, and read off the ratio of the two steps."""
    with_penalty = torch.nn.Parameter(torch.tensor([1.0], dtype=torch.float64))
    (lam * with_penalty.pow(2)).sum().backward()
    torch.optim.SGD([with_penalty], lr=1.0).step()
    unit_decay = torch.nn.Parameter(torch.tensor([1.0], dtype=torch.float64))
    unit_decay.grad = torch.zeros(1, dtype=torch.float64)
    torch.optim.SGD([unit_decay], lr=1.0, weight_decay=1.0).step()
    return float((1.0 - with_penalty.detach()) / (1.0 - unit_decay.detach()))


def _smote_count(n_majority, n_minority, ratio):
    """How many rows imbalanced-learn's SMOTE(sampling_strategy=ratio) adds to such a data set."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n_majority + n_minority, 2))
    y = np.array([0] * n_majority + [1] * n_minority)
    resampled, _ = SMOTE(sampling_strategy=ratio, random_state=0).fit_resample(x, y)
    return len(resampled) - len(x)


def _balanced(y):
    return compute_class_weight("balanced", classes=np.unique(y), y=np.array(y)).tolist()


def _roc_point(y_true, y_score, threshold):
    """[FPR, TPR] when predicting positive for score >= threshold, from scikit-learn's confusion matrix."""
    y_pred = [int(s >= threshold) for s in y_score]
    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
    return [fp / (fp + tn), tp / (tp + fn)]


ORACLE = {
    # l1-l2
    "l1-l2/l1-one-sided-derivatives": lambda: _one_sided_derivatives(0.3, 0.5),
    "l1-l2/soft-threshold-vector": lambda: _soft_threshold([0.7, -0.2, -1.5], 0.5),
    "l1-l2/ista-step": lambda: _ista_step(0.9, 0.5, eta=0.2, lam=1.0),
    "l1-l2/orthonormal-ridge-vs-lasso": lambda: _ridge_and_lasso(0.4, 0.5),
    "l1-l2/sgd-l2-equals-decay": lambda: _decoupled_decay(lr=0.1, weight_decay=0.0005),
    "l1-l2/l2-convention-weight-decay": lambda: _weight_decay_for_penalty(0.0005),
    # class-imbalance
    "class-imbalance/smote-count": lambda: _smote_count(950, 50, 0.5),
    "class-imbalance/balanced-weights-binary": lambda: _balanced([0] * 900 + [1] * 100),
    "class-imbalance/balanced-weights-three-class": lambda: _balanced([0] * 60 + [1] * 30 + [2] * 10)[2],
    # auc-roc
    "auc-roc/small-auc": lambda: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
    "auc-roc/auc-with-ties": lambda: roc_auc_score([0, 1, 0, 1, 1, 0], [0.2, 0.6, 0.6, 0.9, 0.4, 0.1]),
    # positives at ascending ranks 7, 4, 2 among 7 untied scores: use the ranks as the scores
    "auc-roc/rank-sum-auc": lambda: roc_auc_score([0, 1, 0, 1, 0, 0, 1], [1, 2, 3, 4, 5, 6, 7]),
    "auc-roc/roc-point": lambda: _roc_point([1, 0, 1, 1, 0, 0, 1, 0], [0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2], 0.5),
    "auc-roc/average-precision-small": lambda: average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
}

# No library computes these: the prompt's own arithmetic, re-typed.
TYPO_GUARD = {
    # a SMOTE sample a + gap * (b - a) for a fixed gap (the library draws the gap at random)
    "class-imbalance/smote-point": lambda: [1.0 + 0.25 * (3.0 - 1.0), 2.0 + 0.25 * (1.0 - 2.0)],
    # Bayes threshold with costs C_FP = 1, C_FN = 9: C_FP / (C_FP + C_FN)
    "class-imbalance/cost-threshold": lambda: 1 / (1 + 9),
    # Dal Pozzolo et al. (2015): p = beta p_s / (beta p_s - p_s + 1), beta = 0.1, p_s = 0.5
    "class-imbalance/undersampling-probability-correction": lambda: (0.1 * 0.5) / (0.1 * 0.5 - 0.5 + 1),
}


# The cards added for issue #19 are checked in tests/oracle/test_deck_numbers_depth_five.py.
CHECKED_ELSEWHERE = {key for key in DEPTH_FIVE if key.split("/", 1)[0] in TOPICS}


def test_numeric_answers_match_trusted_libraries():
    assert_numeric_answers(ORACLE, topics=TOPICS, checked_elsewhere={*TYPO_GUARD, *CHECKED_ELSEWHERE})


def test_arithmetic_answers_guard_against_typos_only():
    assert_numeric_answers(TYPO_GUARD, topics=TOPICS, checked_elsewhere={*ORACLE, *CHECKED_ELSEWHERE})
