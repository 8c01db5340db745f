"""Plausible wrong solutions to the built-in drills, each with the size its shrunk counterexample must reach.

Each entry: drill name -> (source, check of the shrunk case). The check receives the case as a dict and
returns True when it is as small as the mistake allows.
"""

from __future__ import annotations

import numpy as np

WRONG: dict[str, tuple[str, object]] = {
    # no tie averaging: a tied (positive, negative) pair counts 0 instead of 1/2
    "auc": ('''
import numpy as np
def roc_auc(y_true, y_score):
    pos = y_score[y_true == 1]; neg = y_score[y_true == 0]
    return float((pos[:, None] > neg[None, :]).mean())
''', lambda case: len(case["y_true"]) == 2),
    # F1 as the arithmetic mean of precision and recall
    "precision-recall-f1": ('''
import numpy as np
def precision_recall_f1(y_true, y_pred):
    tp = np.sum((y_true == 1) & (y_pred == 1))
    p = tp / max(np.sum(y_pred == 1), 1); r = tp / max(np.sum(y_true == 1), 1)
    return p, r, (p + r) / 2
''', lambda case: len(case["y_true"]) <= 3),
    # only the labels of y_true: a label that is only predicted is left out of the mean
    "macro-f1": ('''
import numpy as np
def macro_f1(y_true, y_pred):
    scores = []
    for c in np.unique(y_true):
        tp = np.sum((y_true == c) & (y_pred == c))
        scores.append(2 * tp / (np.sum(y_true == c) + np.sum(y_pred == c)))
    return float(np.mean(scores))
''', lambda case: len(case["y_true"]) <= 2),
    # the unbiased variance (ddof=1) in training mode
    "batchnorm-forward": ('''
import numpy as np
def batch_norm_forward(x, gamma, beta, eps):
    return gamma * (x - x.mean(0)) / np.sqrt(x.var(0, ddof=1) + eps) + beta
''', lambda case: len(case["x"]) == 2),
    # treats the batch statistics as constants
    "batchnorm-backward": ('''
import numpy as np
def batch_norm_backward(dy, x, gamma, eps):
    std = np.sqrt(x.var(0) + eps); x_hat = (x - x.mean(0)) / std
    return dy * gamma / std, (dy * x_hat).sum(0), dy.sum(0)
''', lambda case: len(case["x"]) == 2),
    # forgets to rescale the kept units
    "dropout": ('''
def inverted_dropout(x, mask, p):
    return x * mask
''', lambda case: len(case["x"]) == 1),
    # ignores the dilation
    "conv-output-size": ('''
def conv2d_output_size(h, k, stride, padding, dilation):
    return (h + 2 * padding - k) // stride + 1
''', lambda case: case["dilation"] >= 2 and case["stride"] == 1 and case["padding"] == 0),
    # reshapes (N, C, H, W) to (C, N*H*W) without moving the channel axis
    "conv1x1": ('''
import numpy as np
def conv1x1(x, w, b):
    n, c, h, ww = x.shape
    return (w @ x.reshape(c, -1)).reshape(n, -1, h, ww) + b[None, :, None, None]
''', lambda case: len(case["x"]) == 2),
    # the textbook formula without subtracting the maximum: exp(1000) overflows
    "softmax-cross-entropy": ('''
import numpy as np
def softmax_cross_entropy(logits, labels):
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return float(-np.mean(np.log(p[np.arange(len(labels)), labels])))
''', lambda case: len(case["logits"]) == 1 and float(np.abs(case["logits"]).max()) >= 700),
    # clips every tensor by its own norm
    "clip-grad-norm": ('''
import numpy as np
def clip_grad_norm(grads, max_norm):
    return [g * min(1.0, max_norm / (np.sqrt(np.sum(g ** 2)) + 1e-6)) for g in grads]
''', lambda case: len(case["grads"]) == 2),
    # forgets the negative side
    "soft-threshold": ('''
import numpy as np
def soft_threshold(w, t):
    return np.maximum(w - t, 0.0)
''', lambda case: len(case["w"]) == 1 and case["w"][0] < 0),
    # the class frequencies instead of their inverse
    "class-weights": ('''
import numpy as np
def balanced_class_weights(y):
    labels, counts = np.unique(y, return_counts=True)
    return {int(c): n / len(y) for c, n in zip(labels, counts)}
''', lambda case: len(case["y"]) == 2),
    # interpolates from the neighbour towards x
    "smote-point": ('''
def smote_point(x, neighbor, gap):
    return neighbor + gap * (x - neighbor)
''', lambda case: len(case["x"]) == 1),
    # forgets to normalise the joint probabilities
    "naive-bayes": ('''
import numpy as np
def naive_bayes_posterior(priors, likelihoods):
    return priors * likelihoods.prod(axis=1)
''', lambda case: len(case["priors"]) <= 2),
}
