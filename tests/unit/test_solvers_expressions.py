"""The expression language: every operator and function, its bounds, and every hostile input refused."""

from __future__ import annotations

import math
import time
import tracemalloc

import numpy as np
import pytest
import scipy.special
import scipy.stats
from sklearn.metrics import f1_score, fbeta_score, precision_score, recall_score, roc_auc_score
from sklearn.utils.class_weight import compute_class_weight

from solvers.expressions import FUNCTIONS, MAX_DEPTH, Evaluation, ExpressionError, parse_expression

Z = [0.5, -1.25, 2.0, 2.0, 0.0]
Y = [1, 0, 1, 0, 1]


def ev(text: str, **names):
    return parse_expression(text).evaluate({"z": Z, "y": Y, **names})


def test_arithmetic_follows_python_for_numbers() -> None:
    for text in ["7 + 2 * 3", "7 - 2 ** 3", "7 / 2", "7 // 2", "-7 // 2", "7 % 3", "-7 % 3", "2 ** -1", "-3 ** 2",
                 "+4", "(1 + 2) * 3", "1 < 2 < 3", "3 > 2 > 2", "1 == 1.0", "2 != 2", "not 0", "1 and 0", "0 or 3 > 2",
                 "5 if 2 > 1 else 6", "2.5e-3 * 4", "True + 1"]:
        assert ev(text) == eval(text), text  # noqa: S307 - the reference: plain Python on our own literals


def test_vectors_are_elementwise_with_numpy_semantics() -> None:
    z = np.array(Z)
    assert ev("z * 2 + 1").tolist() == (z * 2 + 1).tolist()
    assert ev("z - z").tolist() == [0.0] * 5
    assert ev("z ** 2").tolist() == (z**2).tolist()
    assert ev("z > 0").tolist() == [1.0, 0.0, 1.0, 1.0, 0.0]
    assert ev("sum(z > 0)") == 3
    assert ev("[1, 2, 3] // 2").tolist() == [0.0, 1.0, 1.0]
    assert ev("z[0]") == 0.5 and ev("z[-1]") == 0.0 and ev("z[k - 1]", k=3) == 2.0
    assert ev("z[1:3]").tolist() == [-1.25, 2.0] and ev("z[::-2]").tolist() == z[::-2].tolist()
    assert ev("len([])") == 0


@pytest.mark.parametrize(("text", "reference"), [
    ("abs(z)", lambda z, y: np.abs(z)),
    ("min(z)", lambda z, y: z.min()), ("max(z)", lambda z, y: z.max()),
    ("min(3, 1, 2)", lambda z, y: 1), ("max(z, 0)", lambda z, y: np.maximum(z, 0)),
    ("sum(z)", lambda z, y: z.sum()), ("mean(z)", lambda z, y: z.mean()), ("median(z)", lambda z, y: np.median(z)),
    ("var(z)", lambda z, y: np.var(z)), ("var(z, ddof=1)", lambda z, y: scipy.stats.tvar(z)),
    ("std(z)", lambda z, y: np.std(z)), ("std(z, ddof=1)", lambda z, y: scipy.stats.tstd(z)),
    ("sqrt(abs(z))", lambda z, y: np.sqrt(np.abs(z))), ("exp(z)", lambda z, y: np.exp(z)),
    ("log(abs(z) + 1)", lambda z, y: np.log1p(np.abs(z))), ("log2(8)", lambda z, y: 3.0),
    ("log10(1000)", lambda z, y: 3.0), ("sigmoid(z)", lambda z, y: scipy.special.expit(z)),
    ("sigmoid(-800)", lambda z, y: 0.0), ("softmax(z)", lambda z, y: scipy.special.softmax(z)),
    ("tanh(z)", lambda z, y: np.tanh(z)), ("relu(z)", lambda z, y: np.maximum(z, 0)),
    ("round(2.5)", lambda z, y: 2), ("round(z, 1)", lambda z, y: np.round(z, 1)), ("round(1.2345, 2)", lambda z, y: 1.23),
    ("floor(z)", lambda z, y: np.floor(z)), ("ceil(-1.5)", lambda z, y: -1), ("len(z)", lambda z, y: 5),
    ("dot(z, z)", lambda z, y: z @ z), ("norm(z)", lambda z, y: np.linalg.norm(z)),
    ("norm(z, 1)", lambda z, y: np.linalg.norm(z, 1)), ("sort(z)", lambda z, y: np.sort(z)),
    ("rank(z)", lambda z, y: scipy.stats.rankdata(z)), ("clip(z, -1, 1)", lambda z, y: np.clip(z, -1, 1)),
    ("cumsum(z)", lambda z, y: np.cumsum(z)), ("comb(10, 3)", lambda z, y: 120), ("factorial(6)", lambda z, y: 720),
    ("sign(z)", lambda z, y: np.sign(z)),
    ("roc_auc(y, z)", lambda z, y: roc_auc_score(y, z)),
    ("precision(y, z > 0)", lambda z, y: precision_score(y, z > 0)),
    ("recall(y, z > 0)", lambda z, y: recall_score(y, z > 0)),
    ("f1(y, z > 0)", lambda z, y: f1_score(y, z > 0)),
    ("fbeta(y, z > 0, beta=2)", lambda z, y: fbeta_score(y, z > 0, beta=2)),
    ("class_weights(y)", lambda z, y: compute_class_weight("balanced", classes=np.array([0, 1]), y=y)),
    ("conv_output_size(32, 3, 2, 1)", lambda z, y: 16),
    ("pi + e", lambda z, y: math.pi + math.e),
])
def test_function_matches_its_reference(text: str, reference) -> None:
    got = ev(text)
    want = reference(np.array(Z), np.array(Y))
    assert np.allclose(got, want, rtol=1e-12, atol=1e-15), (text, got, want)


def test_every_function_is_tested() -> None:
    source = open(__file__).read()
    assert [name for name in FUNCTIONS if f'"{name}(' not in source] == []


@pytest.mark.parametrize(("text", "message", "column"), [
    ("__import__('os')", "unknown function `__import__`", 0),
    ("().__class__.__bases__", "attribute access", 0),
    ("z.real", "attribute access", 0),
    ("9**9**9**9", "power too large", 3),
    ("sum(range(10**12))", "unknown function `range`", 4),
    ("lambda: 1", "lambda is not allowed", 0),
    ("[x for x in z]", "comprehensions", 0),
    ("{1: 2}", "dictionaries", 0),
    ("(1, 2)", "tuples", 0),
    ("'text'", "strings are not allowed", 0),
    ("foo + 1", "unknown name `foo`", 0),
    ("factorial(10**7)", "factorial(n) needs", 0),
    ("comb(10**6, 3)", "comb(n, k) needs", 0),
    ("1 / 0", "division by zero", 4),
    ("z / (z - z)", "division by zero", 5),
    ("5 % 0", "division by zero", 4),
    ("log(-1)", "log of -1", 0),
    ("sqrt(-4)", "square root of a negative number", 0),
    ("exp(1000)", "overflows", 0),
    ("10.0 ** 400", "overflows", 0),
    ("fbeta([1], [1], beta=10.0**300)", "fbeta(): a number overflows (too large for a float)", 0),  # was "(34, '...')"
    ("(-8) ** 0.5", "negative number to a fractional power", 0),
    ("z + [1, 2]", "different lengths", 0),
    ("z[10]", "out of range", 0),
    ("z[0.5]", "whole number", 0),
    ("z[::0]", "step cannot be zero", 0),
    ("max([])", "empty", 0),
    ("var(z, ddof=2)", "ddof must be 0", 0),
    ("sum(z, axis=0)", "no argument `axis=`", 0),
    ("sum(*z)", "starred", 4),
    ("sum(**z)", "`**` arguments", 0),
    ("abs(z).sum()", "attribute access", 0),
    ("z if z else 1", "single number", 0),
    ("1 @ 2", "matrix", 0),
    ("1 << 2", "bitwise", 0),
    ("~1", "bitwise", 0),
    ("x in z", "no `in`", 0),
    ("(y := 2)", "assignment", 1),
    ("sum", "is a function", 0),
    ("1 +", "syntax error", None),
    ("", "empty expression", 0),
    ("9" * 400, "too large a number (400 digits)", 0),
    ("(" * 100 + "1" + ")" * 100, "nested too deeply", MAX_DEPTH),
    ("-" * 200 + "1", "nested too deeply", MAX_DEPTH),
    ("1" + " + 1" * 300, "too long", 0),
])
def test_hostile_or_wrong_input_is_a_content_error_with_its_column(text: str, message: str, column: int | None) -> None:
    with pytest.raises(ExpressionError) as caught:
        ev(text)
    assert message in caught.value.message
    assert column is None or caught.value.offset == column


def test_ten_thousand_nested_parentheses_are_refused_before_parsing() -> None:
    text = "(" * 10_000 + "1" + ")" * 10_000
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(ExpressionError):
        parse_expression(text[:999])
    with pytest.raises(ExpressionError, match="too long"):
        parse_expression(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert time.perf_counter() - start < 1.0 and peak < 10_000_000


def test_vector_length_is_bounded() -> None:
    big = np.zeros(10_000)
    assert ev("len(v + 1)", v=big) == 10_000
    with pytest.raises(ExpressionError, match="vector too long"):
        parse_expression("cumsum(v)").evaluate({"v": np.zeros(10_001)})


def test_the_step_budget_stops_long_work() -> None:
    expression = parse_expression("sum(v * v * v * v * v * v * v)")
    evaluation = Evaluation(max_steps=50_000)
    with pytest.raises(ExpressionError, match="too much work"):
        for _ in range(10):
            expression.evaluate({"v": np.ones(10_000)}, evaluation)


def test_the_time_budget_stops_slow_work() -> None:
    expression = parse_expression("sort(v)")
    evaluation = Evaluation(max_seconds=0.0)
    with pytest.raises(ExpressionError, match="too slow"):
        for _ in range(5000):
            expression.evaluate({"v": np.ones(1000)}, evaluation)


def test_names_used_are_listed_with_their_column() -> None:
    assert parse_expression("exp(z[k-1]) / s").names == {"z": 4, "k": 6, "s": 14}


@pytest.mark.parametrize("size", [2, 7, 63, 64, 300])
def test_ranks_auc_and_spreads_agree_with_the_references_on_both_sides_of_the_short_cut(size: int) -> None:
    rng = np.random.default_rng(size)
    for _ in range(40):
        scores = np.round(rng.random(size), 1)  # ties everywhere
        labels = rng.integers(0, 2, size)
        labels[:2] = [0, 1]
        names = {"s": scores, "y": labels.astype(float)}
        assert np.allclose(parse_expression("rank(s)").evaluate(names), scipy.stats.rankdata(scores))
        assert math.isclose(parse_expression("roc_auc(y, s)").evaluate(names), roc_auc_score(labels, scores),
                            rel_tol=1e-12)
        for ddof in (0, 1):
            got = parse_expression(f"var(s, ddof={ddof})").evaluate(names)
            assert math.isclose(got, np.var(scores, ddof=ddof), rel_tol=1e-9, abs_tol=1e-15)
        assert math.isclose(parse_expression("mean(s) + sum(s)").evaluate(names), scores.mean() + scores.sum(),
                            rel_tol=1e-12)


def test_roc_auc_needs_two_classes() -> None:
    with pytest.raises(ExpressionError, match="two classes"):
        parse_expression("roc_auc([1, 1, 1], [0.1, 0.2, 0.3])").evaluate({})
    with pytest.raises(ExpressionError, match="whole-number labels"):
        parse_expression("roc_auc([0.5, 1, 0], [0.1, 0.2, 0.3])").evaluate({})
