"""Static numeric answers of the l1-l2, class-imbalance and auc-roc topics, recomputed with the solvers."""

import torch
from sklearn.metrics import average_precision_score

import solvers
from tests.deck_answers import assert_numeric_answers


def _roc_point(y_true, y_score, threshold):
    """[FPR, TPR] when predicting positive for score >= threshold: TPR is the recall of class 1,
    FPR is 1 - recall of class 0 (the true negative rate)."""
    y_pred = [1 if s >= threshold else 0 for s in y_score]
    _, tpr, _ = solvers.precision_recall_fscore(y_true, y_pred, pos_label=1)
    _, tnr, _ = solvers.precision_recall_fscore(y_true, y_pred, pos_label=0)
    return [1.0 - float(tnr), float(tpr)]


def _balanced(y):
    weights = solvers.balanced_class_weights(y)
    return [float(weights[c]) for c in sorted(weights)]


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


EXPECTED = {
    # l1-l2
    "l1-l2/l1-one-sided-derivatives": lambda: [float(v) for v in solvers.l1_one_sided_derivatives(0.3, 0.5)],
    "l1-l2/soft-threshold-vector": lambda: [float(solvers.soft_threshold(w, 0.5)) for w in (0.7, -0.2, -1.5)],
    # one ISTA step: gradient step w - eta * L'(w), then soft-threshold at eta * lambda
    "l1-l2/ista-step": lambda: float(solvers.soft_threshold(0.9 - 0.2 * 0.5, 0.2 * 1.0)),
    # orthonormal design: ridge = beta_ols / (1 + lambda), lasso = soft-threshold(beta_ols, lambda)
    "l1-l2/orthonormal-ridge-vs-lasso": lambda: [0.4 / (1 + 0.5), float(solvers.soft_threshold(0.4, 0.5))],
    # plain SGD on L + (lambda/2) w^2: w - eta (grad + lambda w) = (1 - eta lambda) w - eta grad
    "l1-l2/sgd-l2-equals-decay": lambda: 0.1 * 0.0005,
    "l1-l2/l2-convention-weight-decay": lambda: _weight_decay_for_penalty(0.0005),
    # class-imbalance
    "class-imbalance/smote-point": lambda: [float(v) for v in solvers.smote_point([1.0, 2.0], [3.0, 1.0], 0.25)],
    "class-imbalance/smote-count": lambda: solvers.smote_count(950, 50, 0.5),
    "class-imbalance/balanced-weights-binary": lambda: _balanced([0] * 900 + [1] * 100),
    "class-imbalance/balanced-weights-three-class": lambda: _balanced([0] * 60 + [1] * 30 + [2] * 10)[2],
    # Bayes threshold with costs C_FP = 1, C_FN = 9: C_FP / (C_FP + C_FN)
    "class-imbalance/cost-threshold": lambda: 1 / (1 + 9),
    # Dal Pozzolo et al. (2015): p = beta p_s / (beta p_s - p_s + 1), beta = 0.1, p_s = 0.5
    "class-imbalance/undersampling-probability-correction": lambda: (0.1 * 0.5) / (0.1 * 0.5 - 0.5 + 1),
    # auc-roc
    "auc-roc/small-auc": lambda: solvers.roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
    "auc-roc/auc-with-ties": lambda: solvers.roc_auc([0, 1, 0, 1, 1, 0], [0.2, 0.6, 0.6, 0.9, 0.4, 0.1]),
    # positives at ascending ranks 7, 4, 2 among 7 untied scores: use the ranks as the scores
    "auc-roc/rank-sum-auc": lambda: solvers.roc_auc([0, 1, 0, 1, 0, 0, 1], [1, 2, 3, 4, 5, 6, 7]),
    "auc-roc/roc-point": lambda: _roc_point(
        [1, 0, 1, 1, 0, 0, 1, 0], [0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2], 0.5
    ),
    # No solver computes AP; scikit-learn (a test dependency) is the trusted oracle for it.
    "auc-roc/average-precision-small": lambda: average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
}


def test_numeric_answers_match_solvers():
    assert_numeric_answers(EXPECTED, topics=["l1-l2", "class-imbalance", "auc-roc"])
