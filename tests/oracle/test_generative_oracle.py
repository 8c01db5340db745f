"""Naive Bayes posteriors against scikit-learn's CategoricalNB and GaussianNB; the
logistic-regression probability against LogisticRegression with set coefficients."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import CategoricalNB, GaussianNB

from solvers import gaussian_nb_posterior, logistic_proba, naive_bayes_posterior, smoothed_likelihood

pytestmark = pytest.mark.solvers

ALPHAS = st.sampled_from([1e-10, 0.5, 1.0, 2.0]) | st.floats(0.01, 10)


@st.composite
def categorical_data(draw):
    n_classes, n_features = draw(st.integers(2, 4)), draw(st.integers(1, 5))
    n = draw(st.integers(n_classes, 40))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_categories = rng.integers(2, 5, size=n_features)
    X = rng.integers(0, n_categories, size=(n, n_features))
    y = np.concatenate([np.arange(n_classes), rng.integers(0, n_classes, size=n - n_classes)])
    query = rng.integers(0, n_categories)
    return X, y, query, n_categories


@settings(max_examples=100, deadline=None)
@given(categorical_data(), ALPHAS)
def test_posterior_equals_categorical_nb(data, alpha):
    X, y, query, n_categories = data
    model = CategoricalNB(alpha=alpha, min_categories=n_categories).fit(X, y)
    likelihoods = np.array([[np.exp(model.feature_log_prob_[j][c, v]) for j, v in enumerate(query)]
                            for c in range(len(model.classes_))])
    ours = naive_bayes_posterior(np.exp(model.class_log_prior_), likelihoods)
    np.testing.assert_allclose(ours, model.predict_proba(query[None, :])[0], rtol=1e-9, atol=1e-15)


@settings(max_examples=100, deadline=None)
@given(categorical_data(), ALPHAS)
def test_smoothed_likelihood_equals_categorical_nb(data, alpha):
    X, y, _, n_categories = data
    model = CategoricalNB(alpha=alpha, min_categories=n_categories).fit(X, y)
    for j in range(X.shape[1]):
        counts = model.category_count_[j]
        for c in range(len(model.classes_)):
            for v in range(n_categories[j]):
                ours = smoothed_likelihood(int(counts[c, v]), int(counts[c].sum()), int(n_categories[j]), alpha)
                assert ours == pytest.approx(np.exp(model.feature_log_prob_[j][c, v]), rel=1e-12)


@st.composite
def gaussian_data(draw):
    n_classes, n_features = draw(st.integers(2, 4)), draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    scale = draw(st.sampled_from([1e-3, 1.0, 1e3]))
    rng = np.random.default_rng(seed)
    n = draw(st.integers(2 * n_classes, 60))
    y = np.concatenate([np.repeat(np.arange(n_classes), 2), rng.integers(0, n_classes, size=n - 2 * n_classes)])
    X = (rng.normal(size=(n, n_features)) + y[:, None]) * scale
    query = (rng.normal(size=n_features) * 2 + 1) * scale
    return X, y, query


@settings(max_examples=100, deadline=None)
@given(gaussian_data(), st.sampled_from([1e-9, 1e-3, 0.1]))
def test_gaussian_posterior_equals_gaussian_nb(data, var_smoothing):
    X, y, query = data
    model = GaussianNB(var_smoothing=var_smoothing).fit(X, y)
    ours = gaussian_nb_posterior(query, model.theta_, model.var_, model.class_prior_)
    np.testing.assert_allclose(ours, model.predict_proba(query[None, :])[0], rtol=1e-8, atol=1e-12)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 6).flatmap(lambda d: st.tuples(
        arrays(np.float64, (5, d), elements=st.floats(-50, 50)), arrays(np.float64, d, elements=st.floats(-5, 5)))),
    st.floats(-10, 10),
)
def test_logistic_proba_equals_sklearn(data, b):
    X, w = data
    model = LogisticRegression()
    model.classes_ = np.array([0, 1])
    model.coef_ = w[None, :]
    model.intercept_ = np.array([b])
    expected = model.predict_proba(X)[:, 1]
    np.testing.assert_allclose(logistic_proba(X, w, b), expected, rtol=1e-12, atol=1e-300)
    assert logistic_proba(X[0], w, b) == pytest.approx(expected[0], rel=1e-12, abs=1e-300)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: naive_bayes_posterior([0.5, 0.5], [[0.1], [0.2], [0.3]]), "one entry per class (3)"),
        (lambda: naive_bayes_posterior([0.5, -0.5], [[0.1], [0.2]]), "-0.5"),
        (lambda: naive_bayes_posterior([0.5, 0.5], [[0.0], [0.0]]), "evidence is 0"),
        (lambda: gaussian_nb_posterior([0.0], [[0.0], [1.0]], [[1.0], [0.0]], [0.5, 0.5]), "positive, got 0.0"),
        (lambda: logistic_proba([1.0, 2.0], [1.0], 0.0), "2 features but w has 1"),
        (lambda: smoothed_likelihood(5, 3, 2), "count (5) cannot exceed"),
    ],
)
def test_invalid_input(call, fragment):
    with pytest.raises(ValueError) as error:
        call()
    assert fragment in str(error.value)
