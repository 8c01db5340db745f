"""Coin-toss estimates: the MLE against a numerical maximiser of the binomial likelihood, the
Laplace / Beta-prior estimates against scipy.stats.beta posterior means."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar
from scipy.stats import beta, binom

from solvers import beta_map, beta_posterior_mean, coin_laplace, coin_mle

pytestmark = pytest.mark.solvers

TOSSES = st.integers(1, 10**6).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))
SMALL_TOSSES = st.integers(1, 200).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


@settings(max_examples=100, deadline=None)
@given(SMALL_TOSSES)
def test_mle_maximises_the_binomial_likelihood(data):
    heads, tosses = data
    found = minimize_scalar(lambda p: -binom.logpmf(heads, tosses, p), bounds=(0, 1), method="bounded",
                            options={"xatol": 1e-10}).x
    assert coin_mle(heads, tosses) == pytest.approx(found, abs=1e-4)


@settings(max_examples=150, deadline=None)
@given(TOSSES)
def test_laplace_is_the_uniform_prior_posterior_mean(data):
    heads, tosses = data
    assert coin_laplace(heads, tosses) == pytest.approx(beta(heads + 1, tosses - heads + 1).mean(), rel=1e-12)


@settings(max_examples=150, deadline=None)
@given(SMALL_TOSSES, st.floats(1.0, 50.0), st.floats(1.0, 50.0))
def test_beta_map_maximises_the_scipy_posterior_density(data, a, b):
    heads, tosses = data
    posterior = beta(heads + a, tosses - heads + b)
    found = minimize_scalar(lambda p: -posterior.logpdf(p), bounds=(0, 1), method="bounded",
                            options={"xatol": 1e-10}).x
    assert beta_map(heads, tosses, a, b) == pytest.approx(found, abs=1e-4)


def test_beta_map_needs_a_unique_mode():
    with pytest.raises(ValueError, match="a must be in"):
        beta_map(1, 3, 0.5, 2.0)
    with pytest.raises(ValueError, match="no unique MAP"):
        beta_map(0, 0, 1.0, 1.0)


@settings(max_examples=150, deadline=None)
@given(TOSSES | st.just((0, 0)), st.floats(1e-3, 1e3), st.floats(1e-3, 1e3))
def test_beta_posterior_mean_equals_scipy(data, a, b):
    heads, tosses = data
    expected = beta(heads + a, tosses - heads + b).mean()
    assert beta_posterior_mean(heads, tosses, a, b) == pytest.approx(expected, rel=1e-12)


def test_three_heads_in_three_tosses():
    assert coin_mle(3, 3) == 1.0
    assert coin_laplace(3, 3) == pytest.approx(beta(4, 1).mean()) == 0.8


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: coin_mle(4, 3), "heads (4) cannot exceed tosses (3)"),
        (lambda: coin_mle(0, 0), "tosses must be at least 1, got 0"),
        (lambda: coin_laplace(-1, 3), "heads must be at least 0, got -1"),
        (lambda: beta_posterior_mean(1, 3, 0.0, 1.0), "a must be in (0.0, inf]"),
    ],
)
def test_invalid_input(call, fragment):
    with pytest.raises(ValueError) as error:
        call()
    assert fragment in str(error.value)
