"""The drills' references and model solutions against torch, scikit-learn and imbalanced-learn.

The references that exist only for the drills (batch-norm backward, softmax cross-entropy) are proven
here against torch autograd and ``F.cross_entropy``; every model solution is run on hypothesis inputs
against the trusted library directly, and the random-case generators only make inputs the library accepts.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.metrics import f1_score, precision_recall_fscore_support, roc_auc_score
from sklearn.utils.class_weight import compute_class_weight

from solvers.drills import drills, get_drill
from solvers.drills.layers import batch_norm_backward, softmax_cross_entropy

pytestmark = pytest.mark.solvers


def model(name: str):
    """The drill's model solution, as a function (our own code, run in this process)."""
    namespace: dict = {}
    exec(get_drill(name).solution, namespace)
    return namespace[get_drill(name).function]


def t(a, grad: bool = False):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


@st.composite
def bn_batches(draw):
    n, c = draw(st.integers(2, 7)), draw(st.integers(1, 4))
    values = st.one_of(st.integers(-3, 3).map(float), st.floats(-50, 50))
    x = draw(arrays(np.float64, (n, c), elements=values))
    dy = draw(arrays(np.float64, (n, c), elements=st.floats(-5, 5)))
    gamma = draw(arrays(np.float64, c, elements=st.floats(-3, 3)))
    eps = draw(st.sampled_from([1e-5, 1e-3, 0.1]))
    return dy, x, gamma, eps


@settings(max_examples=150, deadline=None)
@given(bn_batches())
def test_batch_norm_backward_matches_torch_autograd(batch) -> None:
    dy, x, gamma, eps = batch
    xt, gt, bt = t(x, True), t(gamma, True), t(np.zeros_like(gamma), True)
    y = F.batch_norm(xt, None, None, gt, bt, training=True, eps=eps)
    y.backward(t(dy))
    for name, fn in (("reference", batch_norm_backward), ("model", model("batchnorm-backward"))):
        dx, dgamma, dbeta = fn(dy, x, gamma, eps)
        scale = 1 + np.abs(xt.grad.numpy()).max()
        np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-7, atol=1e-9 * scale, err_msg=name)
        np.testing.assert_allclose(dgamma, gt.grad.numpy(), rtol=1e-7, atol=1e-9, err_msg=name)
        np.testing.assert_allclose(dbeta, bt.grad.numpy(), rtol=1e-7, atol=1e-9, err_msg=name)


@settings(max_examples=150, deadline=None)
@given(bn_batches())
def test_batch_norm_forward_model_matches_torch(batch) -> None:
    _, x, gamma, eps = batch
    beta = gamma[::-1].copy()
    want = F.batch_norm(t(x), None, None, t(gamma), t(beta), training=True, eps=eps).numpy()
    np.testing.assert_allclose(model("batchnorm-forward")(x, gamma, beta, eps), want, rtol=1e-9, atol=1e-9)


@st.composite
def logits_and_labels(draw):
    n, k = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    scale = draw(st.sampled_from([1.0, 100.0, 1000.0, 5000.0]))
    logits = draw(arrays(np.float64, (n, k), elements=st.floats(-1, 1))) * scale
    labels = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    return logits, labels


@settings(max_examples=200, deadline=None)
@given(logits_and_labels())
def test_softmax_cross_entropy_matches_torch_even_for_large_logits(case) -> None:
    logits, labels = case
    want = F.cross_entropy(t(logits), torch.tensor(labels)).item()
    assert softmax_cross_entropy(logits, labels) == pytest.approx(want, rel=1e-9, abs=1e-9)
    assert model("softmax-cross-entropy")(logits, labels) == pytest.approx(want, rel=1e-9, abs=1e-9)


@st.composite
def binary_scores(draw):
    n = draw(st.integers(2, 40))
    labels = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    labels[:2] = [0, 1]
    scores = np.array(draw(st.lists(st.integers(0, 5).map(float) | st.floats(-3, 3), min_size=n, max_size=n)))
    return labels, scores


@settings(max_examples=200, deadline=None)
@given(binary_scores())
def test_auc_model_matches_scikit_learn(case) -> None:
    labels, scores = case
    assert model("auc")(labels, scores) == pytest.approx(roc_auc_score(labels, scores), abs=1e-12)


labels_strategy = st.integers(1, 30).flatmap(
    lambda n: st.tuples(*(arrays(np.int64, n, elements=st.integers(0, k)) for k in (1, 1)))
)


@settings(max_examples=200, deadline=None)
@given(labels_strategy)
def test_precision_recall_f1_model_matches_scikit_learn(case) -> None:
    y_true, y_pred = case
    p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, average="binary", pos_label=1, zero_division=0.0)
    assert model("precision-recall-f1")(y_true, y_pred) == pytest.approx((p, r, f), abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30).flatmap(lambda n: st.tuples(arrays(np.int64, n, elements=st.integers(0, 4)),
                                                      arrays(np.int64, n, elements=st.integers(0, 5)))))
def test_macro_f1_model_matches_scikit_learn(case) -> None:
    y_true, y_pred = case
    want = f1_score(y_true, y_pred, average="macro", zero_division=0.0)
    assert model("macro-f1")(y_true, y_pred) == pytest.approx(want, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(arrays(np.int64, st.integers(1, 40), elements=st.integers(0, 5)))
def test_class_weights_model_matches_scikit_learn(y) -> None:
    classes = np.unique(y)
    want = dict(zip(classes.tolist(), compute_class_weight("balanced", classes=classes, y=y)))
    got = model("class-weights")(y)
    assert got.keys() == want.keys() and all(got[c] == pytest.approx(want[c]) for c in want)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 3), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4))
def test_conv1x1_model_matches_torch_conv2d(n, c_in, c_out, h, w) -> None:
    rng = np.random.default_rng(n * 1000 + c_in * 100 + c_out * 10 + h + w)
    x, weight, bias = rng.normal(size=(n, c_in, h, w)), rng.normal(size=(c_out, c_in)), rng.normal(size=c_out)
    want = F.conv2d(t(x), t(weight[:, :, None, None]), t(bias)).numpy()
    np.testing.assert_allclose(model("conv1x1")(x, weight, bias), want, rtol=1e-10, atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 40), st.integers(1, 7), st.integers(1, 4), st.integers(0, 3), st.integers(1, 3))
def test_conv_output_size_model_matches_torch(h, k, stride, padding, dilation) -> None:
    if h + 2 * padding < dilation * (k - 1) + 1:
        return
    layer = torch.nn.Conv2d(1, 1, k, stride=stride, padding=padding, dilation=dilation)
    want = layer(torch.zeros(1, 1, h, h)).shape[-1]
    assert model("conv-output-size")(h, k, stride, padding, dilation) == want


@settings(max_examples=150, deadline=None)
@given(st.lists(arrays(np.float64, st.integers(1, 5), elements=st.floats(-10, 10)), min_size=1, max_size=4),
       st.floats(0.01, 20))
def test_clip_grad_norm_model_matches_torch(grads, max_norm) -> None:
    params = [torch.nn.Parameter(torch.zeros(len(g), dtype=torch.float64)) for g in grads]
    for p, g in zip(params, grads):
        p.grad = t(g)
    torch.nn.utils.clip_grad_norm_(params, max_norm)
    for ours, p in zip(model("clip-grad-norm")(grads, max_norm), params):
        np.testing.assert_allclose(ours, p.grad.numpy(), rtol=1e-9, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, st.integers(1, 10), elements=st.floats(-5, 5)), st.floats(0, 3))
def test_soft_threshold_model_matches_the_lasso_proximal_step(w, threshold) -> None:
    # torch's softshrink is the same operator
    want = F.softshrink(t(w), threshold).numpy() if threshold > 0 else w
    np.testing.assert_allclose(model("soft-threshold")(w, threshold), want, rtol=1e-12, atol=1e-12)


def test_dropout_model_matches_torch_with_its_own_mask() -> None:
    torch.manual_seed(0)
    x = torch.randn(6, 5, dtype=torch.float64)
    for p in (0.1, 0.5, 0.8):
        y = F.dropout(x, p, training=True)
        mask = (y != 0).double().numpy()
        np.testing.assert_allclose(model("dropout")(x.numpy(), mask, p), y.numpy(), rtol=1e-12)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 6).flatmap(lambda d: st.tuples(*[arrays(np.float64, d, elements=st.floats(-1e3, 1e3))] * 2)),
       st.floats(0, 1))
def test_smote_model_matches_imbalanced_learn_generate_samples(points, gap) -> None:
    from imblearn.over_sampling import SMOTE

    x, neighbor = points
    want = SMOTE()._generate_samples(
        x[None, :], neighbor[None, :], np.array([[0]]), np.array([0]), np.array([0]), np.array([[gap]])
    )[0]
    np.testing.assert_allclose(model("smote-point")(x, neighbor, gap), want, rtol=1e-12, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 4).flatmap(lambda k: st.tuples(
    arrays(np.float64, k, elements=st.floats(0.05, 1)),
    arrays(np.float64, (k, 3), elements=st.floats(0.01, 1)))))
def test_naive_bayes_model_matches_scikit_learn_categorical_nb(case) -> None:
    from sklearn.naive_bayes import CategoricalNB

    priors, likelihoods = case
    priors = priors / priors.sum()
    k, d = likelihoods.shape
    # a CategoricalNB whose fitted tables hold these numbers: category 0 of feature j has p(x_j = 0 | c)
    nb = CategoricalNB(class_prior=priors).fit(np.zeros((k, d), int) + np.eye(k, d, dtype=int), np.arange(k))
    nb.feature_log_prob_ = [np.log(np.c_[likelihoods[:, j], 1 - likelihoods[:, j] + 1e-12]) for j in range(d)]
    nb.class_log_prior_ = np.log(priors)
    want = nb.predict_proba(np.zeros((1, d), int))[0]
    np.testing.assert_allclose(model("naive-bayes")(priors, likelihoods), want, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", sorted(drills()))
def test_generated_cases_are_accepted_by_the_reference(name: str) -> None:
    drill = get_drill(name)
    rng = np.random.default_rng(11)
    cases = [drill.generate(rng) for _ in range(300)]
    assert all(drill.valid(case) for case in cases)
    for case in cases:
        drill.expected(case)


def _categorical_nb_posterior(priors, likelihoods):
    from sklearn.naive_bayes import CategoricalNB

    k, d = likelihoods.shape
    nb = CategoricalNB(class_prior=priors).fit(np.zeros((k, d), int) + np.eye(k, d, dtype=int), np.arange(k))
    with np.errstate(divide="ignore"):
        nb.feature_log_prob_ = [np.log(np.c_[likelihoods[:, j], 1 - likelihoods[:, j] + 1e-12]) for j in range(d)]
    nb.class_log_prior_ = np.log(priors)
    return nb.predict_proba(np.zeros((1, d), int))[0]


def test_naive_bayes_cases_whose_product_underflows_match_scikit_learn() -> None:
    """The drill's cases with hundreds of small likelihoods (and its random ones like them): the
    reference and the model solution agree with CategoricalNB, which works in logs."""
    drill = get_drill("naive-bayes")
    rng = np.random.default_rng(5)
    cases = [case for case in list(drill.edge_cases) + [drill.generate(rng) for _ in range(300)] if drill.explain(case)]
    assert len(cases) >= 10
    for case in cases:
        priors, likelihoods = np.asarray(case["priors"]), np.asarray(case["likelihoods"])
        want = _categorical_nb_posterior(priors, likelihoods)
        np.testing.assert_allclose(drill.expected(case), want, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(model("naive-bayes")(priors, likelihoods), want, rtol=1e-9, atol=1e-12)
