"""What the built-in coding drills' cards say, against torch, scikit-learn and the drills' own checks.

A code card is asked at the end of every long mock interview, so its prompt must pin down what the checker
tests and its hints and explanation must hold; each test proves one statement with the library and then
looks for it in the card.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.stats import rankdata
from sklearn.metrics import roc_auc_score

from solvers.drills import get_drill
from tests.deck_answers import builtin_card

pytestmark = pytest.mark.solvers


def _flat(text: str) -> str:
    return " ".join(text.split())


def _drill_cases(name: str, count: int = 10_000, seed: int = 3) -> list[dict]:
    drill = get_drill(name)
    rng = np.random.default_rng(seed)
    return list(drill.edge_cases) + [drill.generate(rng) for _ in range(count)]


def _fails_somewhere(name: str, function) -> bool:
    drill = get_drill(name)
    return any(drill.compare(drill.expected(case), function(*case.values())) for case in _drill_cases(name))


def test_batch_norm_drills_say_that_eps_sits_inside_the_square_root() -> None:
    x = torch.tensor([[2.0], [4.0]], dtype=torch.float64)
    y = F.batch_norm(x, None, None, training=True, eps=0.1)
    centred = x - x.mean(0)
    assert torch.allclose(y, centred / torch.sqrt(x.var(0, unbiased=False) + 0.1))
    assert not torch.allclose(y, centred / (x.std(0, unbiased=False) + 0.1))

    # the checker tells the two apart, so the prompt has to say which one it wants
    def eps_outside(x, gamma, beta, eps):
        return gamma * (x - x.mean(0)) / (x.std(0) + eps) + beta

    assert _fails_somewhere("batchnorm-forward", eps_outside)
    for key in ("batch-norm/write-batchnorm-forward", "batch-norm/write-batchnorm-backward"):
        assert "x_hat = (x - mean) / sqrt(var + eps)" in _flat(builtin_card(key).prompt), key


def test_clip_drill_states_torchs_clamped_factor_not_a_threshold() -> None:
    def torch_clip(grads, max_norm):
        params = [torch.nn.Parameter(torch.zeros(len(g), dtype=torch.float64)) for g in grads]
        for p, g in zip(params, grads):
            p.grad = torch.tensor(g, dtype=torch.float64)
        torch.nn.utils.clip_grad_norm_(params, max_norm)
        return [p.grad.numpy() for p in params]

    # a norm equal to max_norm does not exceed it, yet torch scales it (by 0.01 / (0.01 + 1e-6))
    assert torch_clip([np.array([0.01])], 0.01)[0][0] < 0.01
    # a small gradient is left as it is, not scaled up to max_norm
    np.testing.assert_array_equal(torch_clip([np.array([0.3, 0.4])], 1.0)[0], [0.3, 0.4])

    # the checker's random cases include norms equal to max_norm: "scale only when it exceeds" fails them
    def only_when_exceeding(grads, max_norm):
        total = np.sqrt(sum(float((g ** 2).sum()) for g in grads))
        return [g * (max_norm / (total + 1e-6)) if total > max_norm else g for g in grads]

    assert _fails_somewhere("clip-grad-norm", only_when_exceeding)
    card = builtin_card("vanishing-exploding-gradients/write-clip-grad-norm")
    assert "min(1, max_norm / (total_norm + 1e-6))" in card.prompt and "exceeds" not in card.prompt
    explanation = _flat(card.explanation)
    assert "shrinks good updates" not in explanation and "blows small updates up" in explanation


def test_naive_softmax_cross_entropy_gives_nan_or_inf() -> None:
    def naive(logits, label):
        p = np.exp(logits) / np.exp(logits).sum()
        return -np.log(p[label])

    with np.errstate(all="ignore"):
        assert np.isnan(naive(np.array([1000.0, 0.0]), 0))  # inf / inf
        assert np.isinf(naive(np.array([1000.0, 0.0]), 1))  # log of a probability that is 0
    card = builtin_card("generative-discriminative/write-softmax-cross-entropy")
    assert "returns nan (or inf)" in _flat(card.explanation)


def test_dropout_without_rescaling_is_one_minus_p_times_as_large() -> None:
    torch.manual_seed(0)
    x = torch.ones(200_000, dtype=torch.float64)
    p = 0.3
    kept = (F.dropout(x, p, training=True) != 0).double()
    assert abs(float((x * kept).mean()) - (1 - p)) < 0.01  # unscaled: (1 - p) times the test-time value
    explanation = _flat(builtin_card("overfitting-remedies/write-inverted-dropout").explanation)
    assert "only (1 - p) times as large in training" in explanation and "times smaller" not in explanation


def test_auc_rank_hint_ranks_from_the_lowest_score() -> None:
    y = np.array([0, 1, 0, 1, 1, 0, 0])
    s = np.array([0.1, 0.7, 0.7, 0.4, 0.9, 0.2, 0.5])
    n_pos, n_neg = int(y.sum()), int((1 - y).sum())

    def from_ranks(ranks):
        return (ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)

    assert from_ranks(rankdata(s)) == pytest.approx(roc_auc_score(y, s))
    assert from_ranks(rankdata(-s)) == pytest.approx(1 - roc_auc_score(y, s))  # ranking from the top flips it
    hint = builtin_card("auc-roc/write-roc-auc").hints[0]
    assert "from 1 (the lowest)" in hint and "sum of the positives' ranks" in hint
