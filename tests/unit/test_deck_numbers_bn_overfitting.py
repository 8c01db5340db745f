"""Static numeric answers of the batch-norm, overfitting and overfitting-remedies topics, recomputed with the solvers."""
import numpy as np
from scipy.stats import binom, binomtest

import solvers
from tests.deck_answers import assert_numeric_answers, builtin_card

# One feature, a mini-batch of four values: mean 3, biased variance 3.5, unbiased variance 14/3.
_BATCH = np.array([[1.0], [2.0], [3.0], [6.0]])


def _bn_train_output_of_six():
    y = solvers.batch_norm(_BATCH, np.array([1.0]), np.array([0.0]), eps=1e-5).y
    return float(y[3, 0])


def _bn_running_var_after_one_step():
    running_var = solvers.batch_norm(
        _BATCH,
        np.array([1.0]),
        np.array([0.0]),
        momentum=0.1,
        running_mean=np.array([0.0]),
        running_var=np.array([1.0]),
        training=True,
    ).running_var
    return float(np.asarray(running_var).ravel()[0])


def _bn_eval_output():
    y = solvers.batch_norm(
        np.array([[5.0]]),
        np.array([1.5]),
        np.array([-1.0]),
        eps=1e-5,
        running_mean=np.array([2.0]),
        running_var=np.array([4.0]),
        training=False,
    ).y
    return float(y[0, 0])


def _inverted_dropout_kept_unit():
    out = solvers.inverted_dropout(np.array([3.0]), np.array([1.0]), 0.2, training=True)
    return float(np.asarray(out).ravel()[0])


EXPECTED = {
    # batch-norm
    "batch-norm/normalize-one-value": _bn_train_output_of_six,
    "batch-norm/running-var-update": _bn_running_var_after_one_step,
    "batch-norm/eval-mode-output": _bn_eval_output,
    "batch-norm/bn2d-param-count": lambda: 2 * 64,  # one gamma and one beta per channel
    # overfitting
    "overfitting/coin-laplace": lambda: solvers.coin_laplace(10, 10),
    "overfitting/fair-coin-ten-heads": lambda: 0.5**10,
    "overfitting/tosses-for-se": lambda: 0.5 * (1 - 0.5) / 0.05**2,
    "overfitting/bias-variance-sum": lambda: 0.1 + 0.2**2 + 0.05,
    # overfitting-remedies
    "overfitting-remedies/inverted-dropout-value": _inverted_dropout_kept_unit,
    "overfitting-remedies/ensemble-variance": lambda: 1.0 / 5 + (5 - 1) / 5 * 0.5,
    "overfitting-remedies/bootstrap-unique-fraction": lambda: 1 - (1 - 1 / 10) ** 10,
}


def test_numeric_answers_match_solvers():
    assert_numeric_answers(EXPECTED, topics=["batch-norm", "overfitting", "overfitting-remedies"])


def test_coin_test_figures_quoted_in_tosses_for_se():
    """The explanation's power and p-value figures, recomputed by scipy's exact binomial test."""
    text = builtin_card("overfitting/tosses-for-se").explanation
    rejecting = [k for k in range(11) if binomtest(k, 10, 0.5).pvalue <= 0.05]
    assert rejecting == [0, 1, 9, 10] and "0, 1, 9 or 10 heads" in text
    power = sum(binom.pmf(k, 10, 0.6) for k in rejecting)
    assert f"about {100 * power:.1f}% of the time" in text
    assert f"p-value of about {binomtest(10, 10, 0.5).pvalue:.3f}" in text
