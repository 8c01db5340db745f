"""Numeric solvers for ML/DL interview drills: answer checking, formulas proven against trusted
libraries in tests/oracle, and seeded problem generators.

Importing this package imports only numpy and the standard library.

>>> from solvers import get_solver
>>> problem = get_solver("auc").generate(seed=7, difficulty=1)
>>> problem.check(repr(problem.answer)).status
'correct'
"""

from .answers import (
    ACCEPTED_FORMS,
    DEFAULT_TOLERANCE,
    AnswerFormatError,
    Tolerance,
    Verdict,
    check_answer,
    parse_answer,
    format_answer,
)
from .auc import RocPoints, average_ranks, mann_whitney_u, roc_auc, roc_points
from .batchnorm import BatchNormGrads, BatchNormResult, FoldedConv, batch_norm, batch_norm_backward, fold_bn_into_conv
from .conv import conv1x1, conv2d_output_size, conv2d_params
from .dropout import inverted_dropout
from .generative import gaussian_nb_posterior, logistic_proba, naive_bayes_posterior, smoothed_likelihood
from .gradients import clip_grad_norm, sigmoid, sigmoid_chain_forward, sigmoid_chain_grad
from .imbalance import balanced_class_weights, focal_loss, smote_count, smote_point
from .overfitting import beta_map, beta_posterior_mean, coin_laplace, coin_mle
from .prf import precision_at_prevalence, precision_recall_fscore, prf_from_counts
from .problem import Problem, Solver
from ._validate import short_repr, too_large_number
from .registry import get_solver, registry
from .regularization import (
    l1_one_sided_derivatives,
    penalty,
    penalty_grad,
    ridge_coefficients,
    ridge_shrinkage,
    soft_threshold,
    weight_decay_step,
)

__all__ = [
    "ACCEPTED_FORMS",
    "DEFAULT_TOLERANCE",
    "AnswerFormatError",
    "BatchNormGrads",
    "BatchNormResult",
    "FoldedConv",
    "Problem",
    "RocPoints",
    "Solver",
    "Tolerance",
    "Verdict",
    "average_ranks",
    "balanced_class_weights",
    "batch_norm",
    "batch_norm_backward",
    "beta_map",
    "beta_posterior_mean",
    "check_answer",
    "focal_loss",
    "fold_bn_into_conv",
    "format_answer",
    "clip_grad_norm",
    "coin_laplace",
    "coin_mle",
    "conv1x1",
    "conv2d_output_size",
    "conv2d_params",
    "gaussian_nb_posterior",
    "get_solver",
    "inverted_dropout",
    "l1_one_sided_derivatives",
    "logistic_proba",
    "mann_whitney_u",
    "naive_bayes_posterior",
    "parse_answer",
    "penalty",
    "penalty_grad",
    "precision_at_prevalence",
    "precision_recall_fscore",
    "prf_from_counts",
    "registry",
    "ridge_coefficients",
    "ridge_shrinkage",
    "roc_auc",
    "roc_points",
    "short_repr",
    "sigmoid",
    "sigmoid_chain_forward",
    "sigmoid_chain_grad",
    "smoothed_likelihood",
    "smote_count",
    "smote_point",
    "soft_threshold",
    "too_large_number",
    "weight_decay_step",
]
