"""Known worked examples from the notes, and the ValueError cases (the message names the bad value)."""

import numpy as np
import pytest

import solvers
from solvers import (
    balanced_class_weights,
    batch_norm,
    clip_grad_norm,
    coin_laplace,
    coin_mle,
    conv2d_output_size,
    conv2d_params,
    inverted_dropout,
    l1_one_sided_derivatives,
    naive_bayes_posterior,
    precision_recall_fscore,
    prf_from_counts,
    roc_auc,
    sigmoid_chain_grad,
    smote_count,
    soft_threshold,
)


def test_auc_of_the_four_point_example():
    assert roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75


def test_auc_with_a_tie_counts_half():
    assert roc_auc([0, 1], [0.5, 0.5]) == 0.5
    assert roc_auc([0, 0, 1], [0.2, 0.5, 0.5]) == 0.75


def test_precision_recall_f1_from_counts():
    p, r, f = prf_from_counts(tp=30, fp=5, fn=20)
    assert round(p, 3) == 0.857 and r == 0.6 and round(f, 3) == 0.706
    y_true = [1] * 30 + [1] * 20 + [0] * 5
    y_pred = [1] * 30 + [0] * 20 + [1] * 5
    assert precision_recall_fscore(y_true, y_pred) == pytest.approx((p, r, f))


def test_micro_average_of_single_label_multiclass_is_accuracy():
    y_true, y_pred = [0, 1, 2, 2, 1], [0, 2, 2, 2, 1]
    assert precision_recall_fscore(y_true, y_pred, average="micro") == pytest.approx((0.8, 0.8, 0.8))


def test_batch_norm_of_one_to_four():
    result = batch_norm(np.array([[1.0], [2.0], [3.0], [4.0]]), [1.0], [0.0], momentum=0.1)
    assert result.mean.tolist() == [2.5]
    assert result.var.tolist() == [1.25]
    assert result.running_mean.tolist() == pytest.approx([0.25])
    assert result.running_var.tolist() == pytest.approx([1.0667], abs=1e-4)
    assert result.y[:, 0] == pytest.approx((np.array([1, 2, 3, 4]) - 2.5) / np.sqrt(1.25 + 1e-5))


def test_l1_at_zero():
    assert l1_one_sided_derivatives(0.3, 0.5) == pytest.approx((-0.2, 0.8))  # brackets 0: w = 0 is optimal
    assert soft_threshold(0.3, 0.5) == 0.0


def test_balanced_weights_of_a_90_10_split():
    assert balanced_class_weights([0] * 90 + [1] * 10) == pytest.approx({0: 100 / 180, 1: 5.0})


def test_smote_count_to_half():
    assert smote_count(100, 10, 0.5) == 40


def test_clip_three_four_five():
    clipped, norm = clip_grad_norm([np.array([3.0, 4.0])], 1.0)
    assert norm == 5.0
    assert clipped[0] == pytest.approx([0.6, 0.8], rel=1e-6)


def test_sigmoid_chain_at_zero_shrinks_by_a_quarter_per_layer():
    assert sigmoid_chain_grad([1.0] * 4, [0.0] * 4) == 0.25**4


def test_resnet_stem_and_bottleneck():
    assert conv2d_output_size(224, 7, stride=2, padding=3) == 112
    assert conv2d_params(256, 256, 3, bias=False) == 589_824
    bottleneck = sum(conv2d_params(i, o, k, bias=False) for i, o, k in ((256, 64, 1), (64, 64, 3), (64, 256, 1)))
    assert bottleneck == 69_632


def test_inverted_dropout_scales_kept_units():
    assert inverted_dropout([1.0, 2.0, 3.0, 4.0], [1, 0, 1, 1], 0.25).tolist() == pytest.approx([4 / 3, 0, 4, 16 / 3])


def test_spam_posterior():
    assert naive_bayes_posterior([0.3, 0.7], [[0.6], [0.1]])[0] == pytest.approx(0.72)


def test_three_heads_in_three_tosses():
    assert coin_mle(3, 3) == 1.0 and coin_laplace(3, 3) == 0.8


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: roc_auc([1, 1, 1], [0.1, 0.2, 0.3]), "exactly two classes, got 1"),
        (lambda: roc_auc([0, 1], [0.1, 0.2, 0.3]), "(2,) and (3,)"),
        (lambda: roc_auc([0, 1], [0.1, float("nan")]), "nan at index 1"),
        (lambda: precision_recall_fscore([0, 1], [0, 1], average="average"), "'average'"),
        (lambda: batch_norm(np.ones((4, 2)), None, None, momentum=-0.5), "-0.5"),
        (lambda: batch_norm(np.ones((4, 2, 3)), np.ones(3), None), "gamma must have shape (2,)"),
        (lambda: inverted_dropout([1.0], [1], 1.0), "p must be in [0.0, 1.0), got 1.0"),
        (lambda: smote_count(100, 60, 0.5), "already"),
        (lambda: smote_count(-5, 1, 0.5), "n_majority must be at least 1, got -5"),
        (lambda: coin_mle(5, 3), "heads (5) cannot exceed tosses (3)"),
        (lambda: balanced_class_weights([0.5, 1.0]), "non-integer 0.5"),
        (lambda: clip_grad_norm([np.array([np.nan])], 1.0), "grads[0] must be finite, got nan"),
        (lambda: conv2d_params(3, 16, 0), "k must be at least 1, got 0"),
    ],
)
def test_invalid_input_names_the_bad_value(call, fragment):
    with pytest.raises(ValueError) as error:
        call()
    assert fragment in str(error.value)


def test_public_api_is_exported():
    assert set(solvers.__all__) <= set(dir(solvers))
    for name in solvers.__all__:
        assert getattr(solvers, name) is not None
