"""Static numbers of the evaluation-design topic, recomputed by scikit-learn's splitters and searches and by
scipy.stats (never by re-typing a card's formula); figures quoted in explanations, clozes and solutions are
checked against the same computations. TEMPLATE_ORACLES holds the oracles of the topic's template cards,
which tests/oracle/test_template_cards_oracle.py runs on 100 seeds per difficulty."""

from __future__ import annotations

import inspect
import math
import re

import numpy as np
import pytest
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline as ImbPipeline
from scipy import stats
from scipy.integrate import quad
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV, GroupKFold, KFold, StratifiedKFold, TimeSeriesSplit, check_cv, cross_val_score,
)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline, make_pipeline

import solvers
from tests.deck_answers import assert_numeric_answers, builtin_card

TOPIC = "evaluation-design"
Z_975, Z_80, Z_90 = stats.norm.ppf(0.975), stats.norm.ppf(0.8), stats.norm.ppf(0.9)
SIMPSON = {  # (conversions, users) per day and arm, as in simpson-ramp-up
    "control": [(4500, 90_000), (1000, 50_000)],
    "treatment": [(520, 10_000), (1100, 50_000)],
}


def card(name: str):
    return builtin_card(f"{TOPIC}/{name}")


def flat(text: str) -> str:
    """Card text with its line breaks and runs of spaces made single spaces."""
    return " ".join(text.split())


def _test_fold_sizes(splitter, n: int) -> list[int]:
    return [len(test) for _, test in splitter.split(np.zeros((n, 1)))]


def _train_sizes(splitter, n: int) -> list[int]:
    return [len(train) for train, _ in splitter.split(np.zeros((n, 1)))]


class _CountingClassifier(ClassifierMixin, BaseEstimator):
    """Predicts the first class; records each fit in FITS (clones copy their parameters, so not a parameter)."""

    FITS: list[int] = []

    def __init__(self, a: int = 0, b: int = 0) -> None:
        self.a, self.b = a, b

    def fit(self, X, y):
        self.FITS.append(1)
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def _nested_cv_fits() -> int:
    _CountingClassifier.FITS.clear()
    X, y = np.zeros((60, 2)), np.r_[np.zeros(30, int), np.ones(30, int)]
    search = GridSearchCV(_CountingClassifier(), {"a": [1, 2, 3, 4], "b": [1, 2, 3]}, cv=3)
    cross_val_score(search, X, y, cv=5)
    return len(_CountingClassifier.FITS)


def _expected_max_of_normals(m: int) -> float:
    density_of_max = lambda x: m * stats.norm.pdf(x) * stats.norm.cdf(x) ** (m - 1)  # noqa: E731
    value, _ = quad(lambda x: x * density_of_max(x), -np.inf, np.inf, epsabs=1e-13, epsrel=1e-13)
    return value


def _best_of_random_submissions(submissions: int = 50, labels: int = 100, correct: int = 60) -> float:
    one = stats.binom(labels, 0.5).sf(correct - 1)
    return float(stats.binom(submissions, one).sf(0))


def _ci_test_size(half_width: float = 0.01, accuracy: float = 0.9) -> int:
    """The smallest n whose normal-approximation 95% interval, from scipy's binomial sd, is this narrow."""
    n = 1
    while Z_975 * stats.binom(n, accuracy).std() / n > half_width:
        n = n * 2
    low, high = n // 2, n
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if Z_975 * stats.binom(middle, accuracy).std() / middle <= half_width else (middle, high)
    return high


def _ab_users_per_arm(p: float = 0.05, delta: float = 0.005, power_z: float = Z_80) -> int:
    return math.ceil(2 * (Z_975 + power_z) ** 2 * stats.bernoulli(p).var() / delta**2)


def _peeking_false_positive(looks: int) -> float:
    """P(some |Z_k| > 1.96) for the z-statistics of k equal batches: corr(Z_i, Z_j) = sqrt(i / j)."""
    t = np.arange(1, looks + 1)
    cov = np.sqrt(np.minimum.outer(t, t) / np.maximum.outer(t, t))
    mvn = stats.multivariate_normal(np.zeros(looks), cov, maxpts=100_000 * looks, abseps=1e-6, releps=1e-6, seed=0)
    return 1 - float(mvn.cdf(np.full(looks, Z_975), lower_limit=np.full(looks, -Z_975)))


def _pooled_rates() -> list[float]:
    return [sum(c for c, _ in SIMPSON[arm]) / sum(u for _, u in SIMPSON[arm]) for arm in ("control", "treatment")]


EXPECTED = {
    f"{TOPIC}/kfold-fold-sizes": lambda: _test_fold_sizes(KFold(n_splits=5), 103),
    f"{TOPIC}/time-series-split-sizes": lambda: _train_sizes(TimeSeriesSplit(n_splits=4), 103),
    f"{TOPIC}/nested-cv-fit-count": _nested_cv_fits,
    f"{TOPIC}/winners-curse-twenty-configs": lambda: _expected_max_of_normals(20),
    f"{TOPIC}/random-classifiers-on-test": _best_of_random_submissions,
    f"{TOPIC}/accuracy-standard-error": lambda: stats.binom(1000, 0.9).std() / 1000,
    f"{TOPIC}/test-size-for-ci": _ci_test_size,
    f"{TOPIC}/mcnemar-paired": lambda: stats.binomtest(15, 45, 0.5).pvalue,
    f"{TOPIC}/ab-sample-size": _ab_users_per_arm,
    f"{TOPIC}/many-metrics-fwer": lambda: stats.binom(20, 0.05).sf(0),
    f"{TOPIC}/srm-p-value": lambda: stats.chisquare([50_600, 49_400]).pvalue,
    f"{TOPIC}/simpson-ramp-up": _pooled_rates,
}
CHECKED_ELSEWHERE = {f"{TOPIC}/peeking-five-looks"}  # a quasi-Monte-Carlo integral: compared at 1e-4 below


def test_numeric_answers_match_sklearn_and_scipy() -> None:
    assert_numeric_answers(EXPECTED, topics=[TOPIC], checked_elsewhere=CHECKED_ELSEWHERE)


def test_peeking_false_positive_rates() -> None:
    """Armitage et al.'s repeated-test figures, as a multivariate normal probability and by simulation."""
    five, ten = _peeking_false_positive(5), _peeking_false_positive(10)
    assert card("peeking-five-looks").answer == pytest.approx(five, abs=1e-4)
    text = flat(card("peeking-five-looks").explanation)
    assert f"about {five:.2f}" in text and f"about {ten:.2f}" in text and f"$\\pm {Z_975:.2f}$" in text
    rng = np.random.default_rng(0)
    batches = rng.standard_normal((200_000, 5)).cumsum(axis=1) / np.sqrt(np.arange(1, 6))
    simulated = (np.abs(batches) > Z_975).any(axis=1).mean()
    assert simulated == pytest.approx(five, abs=0.003)


def test_two_significant_days_in_a_row_still_inflate_the_error() -> None:
    rng = np.random.default_rng(0)
    daily = rng.standard_normal((200_000, 14)).cumsum(axis=1) / np.sqrt(np.arange(1, 15))
    significant = np.abs(daily) > Z_975
    twice = (significant[:, 1:] & significant[:, :-1]).any(axis=1).mean()
    assert 0.05 < twice < significant.any(axis=1).mean()  # lower than plain peeking, still above 5%
    why = card("sequential-testing-fix").options[1].why
    assert "14 daily looks" in why and f"about {100 * twice:.0f}% of the time" in why


def test_esl_wrong_way_reproduces() -> None:
    """Screening on all the data gives a CV error far below 50%; inside the folds it gives about 50%."""
    wrong, right = [], []
    y = np.r_[np.zeros(25, int), np.ones(25, int)]
    for seed in range(4):
        X = np.random.default_rng(seed).standard_normal((50, 5000))
        cv = StratifiedKFold(5, shuffle=True, random_state=seed)
        screened = SelectKBest(f_classif, k=100).fit_transform(X, y)
        wrong.append(1 - cross_val_score(KNeighborsClassifier(1), screened, y, cv=cv).mean())
        pipeline = make_pipeline(SelectKBest(f_classif, k=100), KNeighborsClassifier(1))
        right.append(1 - cross_val_score(pipeline, X, y, cv=cv).mean())
    assert np.mean(wrong) < 0.1 and 0.35 < np.mean(right) < 0.65
    text = flat(card("esl-wrong-way").prompt) + flat(card("esl-wrong-way").explanation)
    assert "5,000 features" in text and "100 features" in text and "near 3%" in text and "3% over" in text


def test_smote_before_the_split_inflates_cv_and_needs_imblearns_pipeline() -> None:
    rng = np.random.default_rng(1)
    X = rng.standard_normal((300, 5))
    y = (rng.random(300) < 0.1).astype(int)  # labels independent of X
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    model = KNeighborsClassifier(1)
    X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
    before = cross_val_score(model, X_res, y_res, cv=cv, scoring="roc_auc").mean()
    inside = cross_val_score(ImbPipeline([("smote", SMOTE(random_state=0)), ("knn", model)]), X, y, cv=cv,
                             scoring="roc_auc").mean()
    assert before > 0.8 and abs(inside - 0.5) < 0.15
    with pytest.raises(TypeError):
        Pipeline([("smote", SMOTE()), ("lr", LogisticRegression())]).fit(X, y)
    text = flat(card("preprocessing-inside-the-fold").text)
    # The sampler's pipeline is described, not named: its name would show the c1 answer while it is asked.
    assert "{{c1::Pipeline}}" in text and "imbalanced-learn's own version of that object, which resamples during " \
        "`fit` only" in text and "pipeline" not in text.replace("{{c1::Pipeline}}", "").lower()
    assert any("imblearn.pipeline.Pipeline" in source for source in card("preprocessing-inside-the-fold").sources)


def test_splitter_claims() -> None:
    """Stratification is the default for classifiers; random folds starve rare classes; groups never straddle."""
    y = np.r_[np.ones(20, int), np.zeros(1980, int)]
    assert isinstance(check_cv(5, y, classifier=True), StratifiedKFold)
    assert isinstance(check_cv(5, y.astype(float) + 0.5, classifier=False), KFold)
    folds = stats.hypergeom(2000, 20, 200)  # positives in one random fold of 200 out of 2,000 rows
    assert folds.mean() == 2 and folds.cdf(1) > 0.3  # several of 10 folds get 0 or 1 positive
    assert "1% positives and 2,000 rows" in flat(card("stratified-kfold-when").prompt)
    groups = np.repeat(np.arange(40), 5)
    for train, test in GroupKFold(5).split(np.zeros((200, 1)), groups=groups):
        assert not set(groups[train]) & set(groups[test])
    # The card's call: groups go to split or cross_val_score, GroupKFold's constructor has no such argument.
    assert "groups" not in inspect.signature(GroupKFold).parameters
    assert "groups" in inspect.signature(GroupKFold.split).parameters
    assert "groups" in inspect.signature(cross_val_score).parameters
    assert "passing `groups=user_id` to `split` or `cross_val_score`" in flat(card("group-kfold-same-user").options[0].text)
    gapped = TimeSeriesSplit(n_splits=4, gap=5).split(np.zeros((103, 1)))
    for (train, test), plain in zip(gapped, _train_sizes(TimeSeriesSplit(n_splits=4), 103)):
        assert len(train) == plain - 5 and train.max() == test.min() - 6
    assert "$103 - 4 \\times 20 = 23$" in flat(card("time-series-split-sizes").explanation)


def test_one_grid_search_fits_37_times_and_the_named_options_exist() -> None:
    _CountingClassifier.FITS.clear()
    X, y = np.zeros((48, 2)), np.r_[np.zeros(24, int), np.ones(24, int)]
    GridSearchCV(_CountingClassifier(), {"a": [1, 2, 3, 4], "b": [1, 2, 3]}, cv=3).fit(X, y)
    assert len(_CountingClassifier.FITS) == 37 and "so 37" in flat(card("nested-cv-fit-count").explanation)
    assert inspect.signature(GridSearchCV).parameters["refit"].default is True
    assert {"gap", "max_train_size"} <= set(inspect.signature(TimeSeriesSplit).parameters)
    assert inspect.signature(KFold).parameters["shuffle"].default is False


def test_figures_quoted_in_the_test_set_cards() -> None:
    se = stats.binom(1000, 0.9).std() / 1000
    text = flat(card("accuracy-standard-error").explanation)
    assert f"\\approx {se:.4f}" in text and f"\\pm {100 * Z_975 * se:.1f}$" in text
    difference = stats.norm(0.01, math.hypot(se, stats.binom(1000, 0.91).std() / 1000))
    assert difference.cdf(0) > 0.025 and "90.0% and 91.0% on this test set are not clearly different" in text
    text = flat(card("test-size-for-ci").explanation)
    # The card writes z as 1.96, so its bound is 1.96^2 * 0.09 / 0.0001 (3457.4; the unrounded z gives 3457.3).
    bound = round(Z_975, 2) ** 2 * stats.bernoulli(0.9).var() / 0.01**2
    assert f"1.96^2 \\times 0.09 / 0.0001 \\approx {bound:.1f}$" in text and f"{_ci_test_size(0.005):,}" in text
    text = flat(card("mcnemar-paired").explanation)
    assert f"about {stats.binomtest(15, 45, 0.5).pvalue:.3f}" in text and "only 1.5 points" in text
    one = stats.binom(100, 0.5).sf(59)
    assert f"about {one:.3f}" in flat(card("random-classifiers-on-test").explanation)
    assert f"{_expected_max_of_normals(20):.2f}" in flat(card("winners-curse-twenty-configs").explanation)


def test_figures_quoted_in_the_ab_cards() -> None:
    n = _ab_users_per_arm()
    text = flat(card("ab-sample-size").explanation)
    formula = 2 * (Z_975 + Z_80) ** 2 * 0.05 * 0.95 / 0.005**2
    assert f"{Z_975:.2f}$" in text and f"{Z_80:.2f}$" in text and f"\\approx {formula:.1f}$, so {n:,} users" in text
    assert round(2 * n, -4) == 60_000 and "about 60,000" in text
    # The z values the card rounds to (1.96 and 0.84) give a smaller n, quoted and accepted by the tolerance.
    assert f"unrounded sum, {Z_975 + Z_80:.4f}," in text
    rounded = math.ceil(2 * (round(Z_975, 2) + round(Z_80, 2)) ** 2 * stats.bernoulli(0.05).var() / 0.005**2)
    assert f"rounded sum {round(Z_975, 2) + round(Z_80, 2):.2f} gives {rounded:,}, also accepted" in text
    sample_size = card("ab-sample-size")
    tolerance = solvers.Tolerance.from_dict(sample_size.tolerance.model_dump(exclude_none=True))
    assert solvers.check_answer(str(rounded), sample_size.answer, tolerance).status == "correct"
    assert solvers.check_answer(str(round(0.99 * n)), sample_size.answer, tolerance).status != "correct"
    # The exact two-proportion formula (pooled variance under H0) differs by a few per cent.
    p1, p2 = 0.05, 0.055
    pooled = stats.bernoulli((p1 + p2) / 2).var()
    exact = (Z_975 * math.sqrt(2 * pooled) + Z_80 * math.sqrt(stats.bernoulli(p1).var() + stats.bernoulli(p2).var())) ** 2
    assert 0.01 < exact / (p2 - p1) ** 2 / n - 1 < 0.1
    # The design has 80% power: a simulation of two-proportion z-tests at this n.
    rng = np.random.default_rng(0)
    control, treatment = rng.binomial(n, p1, 4000) / n, rng.binomial(n, p2, 4000) / n
    pooled_rate = (control + treatment) / 2
    z = (treatment - control) / np.sqrt(2 * pooled_rate * (1 - pooled_rate) / n)
    assert (np.abs(z) > Z_975).mean() == pytest.approx(0.8, abs=0.025)
    clozes = dict(re.findall(r"\{\{(c\d)::([^}]*)\}\}", flat(card("power-mde-cloze").text)))
    assert float(clozes["c1"]) == round(2 * (Z_975 + Z_80) ** 2)
    assert _ab_users_per_arm(delta=0.0025) / n == pytest.approx(float(clozes["c2"]), rel=1e-3)
    assert float(clozes["c3"]) == round((Z_975 + Z_90) ** 2 / (Z_975 + Z_80) ** 2, 2)
    assert f"\\approx {2 * (Z_975 + Z_80) ** 2:.1f}" in flat(card("power-mde-cloze").explanation)


def test_figures_quoted_in_the_multiple_testing_srm_and_simpson_cards() -> None:
    text = flat(card("many-metrics-fwer").explanation)
    bonferroni = 0.05 / 20
    assert f"\\approx {stats.binom(20, 0.05).sf(0):.2f}" in text and f"= {bonferroni}$" in text
    assert f"\\approx {stats.binom(20, bonferroni).sf(0):.3f}" in text
    result = stats.chisquare([50_600, 49_400])
    text = flat(card("srm-p-value").explanation)
    assert f"= {result.statistic:.1f}$" in text and f"about {result.pvalue:.5f}" in text
    million = stats.chisquare([502_500, 497_500]).statistic
    assert f"$\\chi^2 = {million:.0f}$" in flat(card("template-srm-chi-square").explanation)
    solution = flat(card("template-srm-chi-square").solution)
    assert f"is {stats.chi2.ppf(0.95, 1):.2f}" in solution and f"one {stats.chi2.ppf(0.999, 1):.2f}" in solution
    daily = {arm: [c / u for c, u in days] for arm, days in SIMPSON.items()}
    assert all(t > c for t, c in zip(daily["treatment"], daily["control"]))  # treatment wins each day...
    control, treatment = _pooled_rates()
    assert treatment < control  # ...and loses pooled
    text = flat(card("simpson-ramp-up").explanation)
    assert f"{100 * treatment:.1f}% against {100 * control:.2f}%" in text
    for arm in ("treatment", "control"):
        assert all(f"{100 * r:.1f}%" in text for r in daily[arm])


# ---- template cards: oracles run by tests/oracle/test_template_cards_oracle.py ------------------------------

def time_series_train_size(p) -> float:
    n, k, i, gap = (int(p[name]) for name in ("n", "k", "i", "g"))  # drawn as whole numbers, typed by the draw
    assert (n, k, i, gap) == (p["n"], p["k"], p["i"], p["g"])
    return float(_train_sizes(TimeSeriesSplit(n_splits=k, gap=gap), n)[i - 1])


def srm_chi_square(p) -> float:
    observed = [p["t"], p["n"] - p["t"]]
    return float(stats.chisquare(observed, f_exp=[p["n"] * p["q"], p["n"] * (1 - p["q"])]).statistic)


def accuracy_standard_error(p) -> float:
    return float(stats.binom(p["n"], p["k"] / p["n"]).std() / p["n"])


TEMPLATE_ORACLES = {
    f"{TOPIC}/template-time-series-train-size": (time_series_train_size, 0.0),
    f"{TOPIC}/template-srm-chi-square": (srm_chi_square, 1e-9),
    f"{TOPIC}/template-accuracy-se": (accuracy_standard_error, 1e-9),
}
