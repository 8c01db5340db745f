"""Static numeric answers of the precision-recall-f1, vanishing-exploding-gradients, conv-1x1 and
generative-discriminative topics.

`ORACLE` takes each expected number from a trusted library (scikit-learn, torch).
"""

import numpy as np
import pytest
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import fbeta_score, precision_score, recall_score
from sklearn.naive_bayes import BernoulliNB, GaussianNB
from torch.utils.flop_counter import FlopCounterMode

from tests.deck_answers import assert_numeric_answers
from tests.oracle.test_deck_numbers_depth_five import EXPECTED as DEPTH_FIVE

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


def _chain_gradient(layers, step):
    """d h_L / d h_0 by torch autograd through `layers` applications of `step`."""
    h0 = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    h = h0
    for _ in range(layers):
        h = step(h)
    h.backward()
    return float(h0.grad)


def _sigmoid_unit(h):
    # weight 1, and the bias that makes the pre-activation 0: h_0 = 0 enters, every later h is sigmoid(0) = 0.5
    return torch.sigmoid(h - h.detach())


def _init_scale(init, shape, draw):
    """The bound or standard deviation torch's `init` uses for a tensor of `shape`: the value at which
    `draw` (uniform bound or normal std) reproduces init's own sample from the same random state."""
    weights = torch.empty(shape, dtype=torch.float64)
    init(weights, generator=torch.Generator().manual_seed(0))
    unit = torch.empty(shape, dtype=torch.float64)
    draw(unit, 1.0, torch.Generator().manual_seed(0))
    scale = float((weights / unit).median())
    assert torch.allclose(weights, unit * scale, rtol=1e-12, atol=0)
    return scale


def _uniform(tensor, bound, generator):
    return tensor.uniform_(-bound, bound, generator=generator)


def _normal(tensor, std, generator):
    return tensor.normal_(0.0, std, generator=generator)


def _parameters(*layers):
    return sum(p.numel() for layer in layers for p in layer.parameters())


def _clipped(grads, max_norm):
    parameters = [torch.nn.Parameter(torch.zeros(len(g), dtype=torch.float64)) for g in grads]
    for parameter, grad in zip(parameters, grads):
        parameter.grad = torch.tensor(grad, dtype=torch.float64)
    torch.nn.utils.clip_grad_norm_(parameters, max_norm)
    return torch.cat([p.grad for p in parameters]).tolist()


def _conv1x1(pixel, weights, bias):
    conv = torch.nn.Conv2d(len(pixel), len(weights), 1, dtype=torch.float64)
    with torch.no_grad():
        conv.weight.copy_(torch.tensor(weights, dtype=torch.float64).reshape(len(weights), len(pixel), 1, 1))
        conv.bias.copy_(torch.tensor(bias, dtype=torch.float64))
        return conv(torch.tensor(pixel, dtype=torch.float64).reshape(1, -1, 1, 1))[0, :, 0, 0].tolist()


def _inception_5x5_macs():
    """Multiply-accumulates of the 1x1 reduction and the 5x5 convolution: torch's FLOP counter, halved."""
    branch = torch.nn.Sequential(torch.nn.Conv2d(192, 16, 1, bias=False),
                                 torch.nn.Conv2d(16, 32, 5, padding=2, bias=False))
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        branch(torch.zeros(1, 192, 28, 28))
    return counter.get_total_flops() // 2


def _output_size(size, kernel, stride):
    return torch.nn.Conv2d(1, 1, kernel, stride=stride)(torch.zeros(1, 1, size, size)).shape[-1]


def _gaussian_nb(x, means, variances, priors):
    """P(class 1 | x) from scikit-learn's GaussianNB given its fitted parameters (class 1 listed first)."""
    model = GaussianNB()
    model.classes_ = np.array([1, 0])
    model.theta_, model.var_ = np.array(means), np.array(variances)
    model.class_prior_ = np.array(priors)
    return float(model.predict_proba([x])[0, 0])


def _bernoulli_nb_all_present(priors, likelihoods):
    """P(first class | every feature observed) from scikit-learn's BernoulliNB given its parameters."""
    model = BernoulliNB()
    model.classes_ = np.arange(len(priors))
    model.class_log_prior_ = np.log(priors)
    model.feature_log_prob_ = np.log(likelihoods)
    model.n_features_in_ = len(likelihoods[0])
    return float(model.predict_proba([[1] * len(likelihoods[0])])[0, 0])


def _logistic(x, w, b):
    model = LogisticRegression()
    model.classes_ = np.array([0, 1])
    model.coef_, model.intercept_ = np.array([w]), np.array([b])
    return float(model.predict_proba([x])[0, 1])


ORACLE = {
    # --- precision-recall-f1 ---
    "precision-recall-f1/precision-from-counts": lambda: precision_score(*RUNNING),
    "precision-recall-f1/f1-from-counts": lambda: fbeta_score(*RUNNING, beta=1.0),
    "precision-recall-f1/f2-from-counts": lambda: fbeta_score(*RUNNING, beta=2.0),
    "precision-recall-f1/f1-lopsided": lambda: fbeta_score(*_labels_from_counts(tp=2, fn=98, fp=0, tn=0), beta=1.0),
    "precision-recall-f1/swap-positive-class": lambda: recall_score(*RUNNING, pos_label=0),
    "precision-recall-f1/macro-f1-example": lambda: fbeta_score(
        *_labels_from_matrix([[76, 2, 2], [5, 9, 1], [3, 1, 1]]), beta=1.0, average="macro"
    ),
    # --- vanishing-exploding-gradients ---
    "vanishing-exploding-gradients/sigmoid-chain-numeric": lambda: _chain_gradient(10, _sigmoid_unit),
    "vanishing-exploding-gradients/weight-scale-numeric": lambda: _chain_gradient(50, lambda h: 1.1 * h),
    # a 256 -> 512 linear layer's weight is (512, 256); a 3x3 conv from 128 channels has fan-in 3 * 3 * 128
    "vanishing-exploding-gradients/xavier-uniform-bound": lambda: _init_scale(
        torch.nn.init.xavier_uniform_, (512, 256), _uniform),
    "vanishing-exploding-gradients/he-std-numeric": lambda: _init_scale(
        lambda t, generator: torch.nn.init.kaiming_normal_(t, nonlinearity="relu", generator=generator),
        (64, 128, 3, 3), _normal),
    "vanishing-exploding-gradients/clip-norm-numeric": lambda: _clipped([[3.0, 4.0], [12.0]], max_norm=5.0),
    # --- conv-1x1 ---
    "conv-1x1/params-1x1": lambda: _parameters(torch.nn.Conv2d(256, 64, 1)),
    "conv-1x1/per-pixel-numeric": lambda: _conv1x1([1.0, 2.0], [[1.0, 0.0], [1.0, -1.0], [0.5, 0.5]], [0.0, 1.0, 0.0]),
    "conv-1x1/inception-reduction": _inception_5x5_macs,
    "conv-1x1/resnet-bottleneck": lambda: _parameters(
        torch.nn.Conv2d(256, 64, 1, bias=False), torch.nn.Conv2d(64, 64, 3, bias=False),
        torch.nn.Conv2d(64, 256, 1, bias=False)),
    "conv-1x1/depthwise-separable": lambda: _parameters(
        torch.nn.Conv2d(128, 128, 3, groups=128, bias=False), torch.nn.Conv2d(128, 256, 1, bias=False)),
    "conv-1x1/output-size-stride": lambda: _output_size(56, 1, stride=2),
    # --- generative-discriminative ---
    # Bayes' rule from the two Gaussian class-conditionals (class 1 first), not from the derived sigmoid.
    "generative-discriminative/gaussian-nb-to-logistic": lambda: _gaussian_nb(
        [1.5], [[2.0], [0.0]], [[1.0], [1.0]], [0.5, 0.5]),
    # Classes (goat, sheep); features (has a beard, seen on a steep slope), both observed.
    "generative-discriminative/nb-posterior-numeric": lambda: _bernoulli_nb_all_present(
        [0.3, 0.7], [[0.8, 0.5], [0.2, 0.4]]),
    "generative-discriminative/logistic-numeric": lambda: _logistic([2.0, 1.0], [1.5, -2.0], 0.5),
}



def test_numeric_answers_match_trusted_libraries():
    # every answer of these topics has an oracle; those of the cards added for issue #19 in
    # tests/oracle/test_deck_numbers_depth_five.py
    depth_five = {key for key in DEPTH_FIVE if key.split("/", 1)[0] in TOPICS}
    assert_numeric_answers(ORACLE, topics=TOPICS, checked_elsewhere=depth_five)


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


def test_pr_auc_estimates_told_apart_in_threshold_tradeoff():
    """The card says average precision is the step sum and that the trapezoidal area differs: scikit-learn
    agrees; with tied scores (one threshold adds a positive and three negatives at once) the straight line
    between two PR points overstates the area, 0.85 against 0.7."""
    from sklearn.metrics import auc, average_precision_score, precision_recall_curve

    from tests.deck_answers import builtin_card

    y_true, scores = [1, 0, 1, 0, 0, 0], [0.9, 0.5, 0.5, 0.5, 0.5, 0.1]
    precision, recall, _ = precision_recall_curve(y_true, scores)
    step_sum = -np.sum(np.diff(recall) * precision[:-1])  # recall comes in decreasing order
    assert average_precision_score(y_true, scores) == pytest.approx(step_sum, rel=1e-12) == 0.7
    assert auc(recall, precision) == pytest.approx(0.85, rel=1e-12)
    text = builtin_card("precision-recall-f1/threshold-tradeoff").explanation
    assert "`average_precision_score`) is the step sum $\\sum_n (R_n - R_{n-1}) P_n$" in text
    assert "trapezoidal `auc(recall, precision)`" in text and "the two numbers differ" in text
