"""Static numeric answers of the precision-recall-f1, vanishing-exploding-gradients, conv-1x1 and
generative-discriminative topics, recomputed with the solvers (or plain arithmetic from the givens)."""

import math

import numpy as np

import solvers
from tests.deck_answers import assert_numeric_answers

TOPICS = ["precision-recall-f1", "vanishing-exploding-gradients", "conv-1x1", "generative-discriminative"]


def _labels_from_counts(tp, fn, fp, tn):
    """y_true / y_pred with class 1 positive, realising the given confusion counts."""
    y_true = [1] * tp + [1] * fn + [0] * fp + [0] * tn
    y_pred = [1] * tp + [0] * fn + [1] * fp + [0] * tn
    return y_true, y_pred


def _labels_from_matrix(matrix):
    """y_true / y_pred realising a confusion matrix with true classes in rows, predictions in columns."""
    y_true, y_pred = [], []
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            y_true += [i] * count
            y_pred += [j] * count
    return y_true, y_pred


# The running binary example: 1000 examples, 50 positive; TP=30, FN=20, FP=5, TN=945.
RUNNING = _labels_from_counts(tp=30, fn=20, fp=5, tn=945)


EXPECTED = {
    # --- precision-recall-f1 ---
    "precision-recall-f1/precision-from-counts": lambda: solvers.precision_recall_fscore(*RUNNING)[0],
    "precision-recall-f1/f1-from-counts": lambda: solvers.precision_recall_fscore(*RUNNING)[2],
    "precision-recall-f1/f2-from-counts": lambda: solvers.precision_recall_fscore(*RUNNING, beta=2.0)[2],
    "precision-recall-f1/f1-lopsided": lambda: solvers.precision_recall_fscore(
        *_labels_from_counts(tp=2, fn=98, fp=0, tn=0)
    )[2],
    "precision-recall-f1/swap-positive-class": lambda: solvers.precision_recall_fscore(*RUNNING, pos_label=0)[1],
    "precision-recall-f1/macro-f1-example": lambda: solvers.precision_recall_fscore(
        *_labels_from_matrix([[76, 2, 2], [5, 9, 1], [3, 1, 1]]), average="macro"
    )[2],
    # --- vanishing-exploding-gradients ---
    "vanishing-exploding-gradients/sigmoid-chain-numeric": lambda: solvers.sigmoid_chain_grad([1.0] * 10, [0.0] * 10),
    "vanishing-exploding-gradients/weight-scale-numeric": lambda: 1.1**50,
    "vanishing-exploding-gradients/xavier-uniform-bound": lambda: math.sqrt(6 / (256 + 512)),
    "vanishing-exploding-gradients/he-std-numeric": lambda: math.sqrt(2 / (3 * 3 * 128)),
    "vanishing-exploding-gradients/clip-norm-numeric": lambda: np.concatenate(
        solvers.clip_grad_norm([np.array([3.0, 4.0]), np.array([12.0])], max_norm=5.0)[0]
    ).tolist(),
    # --- conv-1x1 ---
    "conv-1x1/params-1x1": lambda: solvers.conv2d_params(256, 64, 1),
    "conv-1x1/per-pixel-numeric": lambda: solvers.conv1x1(
        np.array([1.0, 2.0]).reshape(2, 1, 1), [[1.0, 0.0], [1.0, -1.0], [0.5, 0.5]], [0.0, 1.0, 0.0]
    )[:, 0, 0].tolist(),
    "conv-1x1/inception-reduction": lambda: 28 * 28 * (1 * 1 * 192 * 16) + 28 * 28 * (5 * 5 * 16 * 32),
    "conv-1x1/resnet-bottleneck": lambda: (
        solvers.conv2d_params(256, 64, 1, bias=False)
        + solvers.conv2d_params(64, 64, 3, bias=False)
        + solvers.conv2d_params(64, 256, 1, bias=False)
    ),
    "conv-1x1/depthwise-separable": lambda: (
        solvers.conv2d_params(128, 128, 3, bias=False, groups=128) + solvers.conv2d_params(128, 256, 1, bias=False)
    ),
    "conv-1x1/output-size-stride": lambda: solvers.conv2d_output_size(56, 1, stride=2),
    # --- generative-discriminative ---
    # Bayes' rule from the two Gaussian class-conditionals (class 1 first), not from the derived sigmoid.
    "generative-discriminative/gaussian-nb-to-logistic": lambda: float(
        solvers.gaussian_nb_posterior([1.5], [[2.0], [0.0]], [[1.0], [1.0]], [0.5, 0.5])[0]
    ),
    # Classes (goat, sheep); features (has a beard, seen on a steep slope), both observed.
    "generative-discriminative/nb-posterior-numeric": lambda: float(
        solvers.naive_bayes_posterior([0.3, 0.7], [[0.8, 0.5], [0.2, 0.4]])[0]
    ),
    "generative-discriminative/logistic-numeric": lambda: float(solvers.logistic_proba([2.0, 1.0], [1.5, -2.0], 0.5)),
}


def test_numeric_answers_match_solvers():
    assert_numeric_answers(EXPECTED, topics=TOPICS)


def test_accuracy_vs_precision_figures():
    """The 准确率 / 精确率 card's correct option quotes scikit-learn's accuracy and precision and the
    distractor quotes its recall, for the screening example in the prompt (20 flagged, 15 of them sick,
    30 sick out of 1000)."""
    from sklearn.metrics import accuracy_score, precision_score, recall_score

    from tests.deck_answers import builtin_card

    y_true, y_pred = _labels_from_counts(tp=15, fn=15, fp=5, tn=965)
    card = builtin_card("precision-recall-f1/accuracy-vs-precision-zh")
    texts = {option.text: option.correct for option in card.options}
    right = next(text for text, correct in texts.items() if correct)
    assert f"= {accuracy_score(y_true, y_pred):g}" in right
    assert f"= {precision_score(y_true, y_pred):g}" in right
    assert any(f"= {recall_score(y_true, y_pred):g}" in text for text, correct in texts.items() if not correct)
