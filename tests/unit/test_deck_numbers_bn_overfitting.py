"""Static numeric answers of the batch-norm, overfitting and overfitting-remedies topics.

`ORACLE` takes each expected number from a trusted library (torch, scipy); `TYPO_GUARD` re-types the
prompt's arithmetic where no library computes the quantity, so it guards against typos only.
"""
from itertools import count

import numpy as np
import torch
from scipy.stats import beta, binom, binomtest

from tests.deck_answers import assert_numeric_answers, builtin_card
from tests.oracle.test_deck_numbers_overfitting_depth import EXPECTED as DEPTH_CARDS  # the issue #19 cards

TOPICS = ["batch-norm", "overfitting", "overfitting-remedies"]
# One feature, a mini-batch of four values: mean 3, biased variance 3.5, unbiased variance 14/3.
_BATCH = torch.tensor([[1.0], [2.0], [3.0], [6.0]], dtype=torch.float64)


def _batch_norm(**options) -> torch.nn.BatchNorm1d:
    return torch.nn.BatchNorm1d(1, dtype=torch.float64, **options)


def _bn_train_output_of_six():
    with torch.no_grad():
        return float(_batch_norm(eps=1e-5).train()(_BATCH)[3, 0])


def _bn_running_var_after_one_step():
    layer = _batch_norm(momentum=0.1).train()  # running mean 0 and variance 1 to start
    with torch.no_grad():
        layer(_BATCH)
    return float(layer.running_var[0])


def _bn_eval_output():
    layer = _batch_norm(eps=1e-5).eval()
    with torch.no_grad():
        layer.weight.fill_(1.5)
        layer.bias.fill_(-1.0)
        layer.running_mean.fill_(2.0)
        layer.running_var.fill_(4.0)
        return float(layer(torch.tensor([[5.0]], dtype=torch.float64))[0, 0])


def _inverted_dropout_kept_unit():
    torch.manual_seed(0)
    out = torch.nn.functional.dropout(torch.full((1000,), 3.0, dtype=torch.float64), p=0.2, training=True)
    kept = out[out != 0].unique()
    assert len(kept) == 1
    return float(kept[0])


def _tosses_for_standard_error(target: float):
    """The fewest fair-coin tosses whose share of heads has scipy's binomial standard error <= target."""
    return next(n for n in count(1) if binom(n, 0.5).std() / n <= target)


ORACLE = {
    # batch-norm
    "batch-norm/normalize-one-value": _bn_train_output_of_six,
    "batch-norm/running-var-update": _bn_running_var_after_one_step,
    "batch-norm/eval-mode-output": _bn_eval_output,
    "batch-norm/bn2d-param-count": lambda: sum(p.numel() for p in torch.nn.BatchNorm2d(64).parameters()),
    # overfitting: Laplace smoothing is the mean of the Beta(1 + heads, 1 + tails) posterior
    "overfitting/coin-laplace": lambda: beta(1 + 10, 1 + 0).mean(),
    "overfitting/fair-coin-ten-heads": lambda: binom.pmf(10, 10, 0.5),
    "overfitting/tosses-for-se": lambda: _tosses_for_standard_error(0.05),
    # overfitting-remedies
    "overfitting-remedies/inverted-dropout-value": _inverted_dropout_kept_unit,
    # an example is in a bootstrap sample of 10 unless all 10 draws (p = 1/10 each) miss it
    "overfitting-remedies/bootstrap-unique-fraction": lambda: 1 - binom.pmf(0, 10, 1 / 10),
}

# No library computes these: the prompt's own arithmetic, re-typed.
TYPO_GUARD = {
    "overfitting/bias-variance-sum": lambda: 0.1 + 0.2**2 + 0.05,  # noise + bias^2 + variance
    # the variance of the mean of five errors, each of variance 1 with pairwise covariance 0.5: w^T C w
    "overfitting-remedies/ensemble-variance": lambda: float(np.full(5, 1 / 5) @ (np.full((5, 5), 0.5)
                                                                              + 0.5 * np.eye(5)) @ np.full(5, 1 / 5)),
}


def test_numeric_answers_match_trusted_libraries():
    assert_numeric_answers(ORACLE, topics=TOPICS, checked_elsewhere={**TYPO_GUARD, **DEPTH_CARDS})


def test_arithmetic_answers_guard_against_typos_only():
    assert_numeric_answers(TYPO_GUARD, topics=TOPICS, checked_elsewhere={**ORACLE, **DEPTH_CARDS})


def test_coin_test_figures_quoted_in_tosses_for_se():
    """The explanation's power and p-value figures, recomputed by scipy's exact binomial test."""
    text = builtin_card("overfitting/tosses-for-se").explanation
    rejecting = [k for k in range(11) if binomtest(k, 10, 0.5).pvalue <= 0.05]
    assert rejecting == [0, 1, 9, 10] and "0, 1, 9 or 10 heads" in text
    power = sum(binom.pmf(k, 10, 0.6) for k in rejecting)
    assert f"about {100 * power:.1f}% of the time" in text
    assert f"p-value of about {binomtest(10, 10, 0.5).pvalue:.3f}" in text
