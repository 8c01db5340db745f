"""Answer parsing, tolerance semantics and verdicts of solvers.answers."""

import builtins
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solvers import ACCEPTED_FORMS, DEFAULT_TOLERANCE, AnswerFormatError, Tolerance, Verdict, check_answer, parse_answer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", 3.0),
        ("+3", 3.0),
        ("-0.5", -0.5),
        (".5", 0.5),
        ("5.", 5.0),
        ("1e-3", 1e-3),
        ("2.5E4", 2.5e4),
        ("7.5e-1", 0.75),
        ("5/6", 5 / 6),
        ("-1/3", -1 / 3),
        ("1 / 4", 0.25),
        ("83.3%", 0.833),
        ("75 %", 0.75),
        ("\u22120.25", -0.25),
        ("  0.75  ", 0.75),
        ("0.75.", 0.75),
        ("-0", 0.0),
        ("[0.1, -0.2]", [0.1, -0.2]),
        ("(0.1, -0.2)", [0.1, -0.2]),
        ("0.1, -0.2", [0.1, -0.2]),
        ("0.1 -0.2", [0.1, -0.2]),
        ("0.1; -0.2", [0.1, -0.2]),
        ("[1/2, 25%, 3e-1]", [0.5, 0.25, 0.3]),
        ("[0.5]", [0.5]),
        ("[0.1, \u22120.2].", [0.1, -0.2]),
    ],
)
def test_accepted_forms(text, expected):
    value = parse_answer(text)
    assert value == pytest.approx(expected, rel=1e-15)
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (".", "not a number"),
        ("abc", "unexpected character 'a'"),
        ("nan", "not-a-number and infinity"),
        ("-inf", "not-a-number and infinity"),
        ("1e999", "too large"),
        ("1/0", "divides by zero"),
        ("[1, 2", "no matching ']'"),
        ("[1, [2]]", "brackets may only enclose"),
        ("1,,2", "empty"),
        ("[]", "empty"),
        ("2+3", "'2+3' is not a number"),
        ("--1", "not a number"),
        ("1e", "not a number"),
        ("0x10", "unexpected character 'x'"),
        ("1_000", "unexpected character '_'"),
        ("\u0661\u0662", "unexpected character"),
        ("1/2%", "not a number"),
        ("1" * 1001, "too long (1001 characters"),
    ],
)
def test_rejected_forms(text, fragment):
    with pytest.raises(AnswerFormatError) as error:
        parse_answer(text)
    assert fragment in str(error.value)


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('echo hacked')",
        "eval('1')",
        "exec('x=1')",
        "(lambda: 1)()",
        "1 if True else 0",
        "2**10",
    ],
)
def test_code_is_never_evaluated(text, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("evaluated!")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    monkeypatch.setattr(builtins, "__import__", refuse)
    verdict = check_answer(text, 1.0)
    monkeypatch.undo()
    assert verdict.status == "invalid"


def test_non_text_is_invalid_not_a_crash():
    assert check_answer(0.75, 0.75).status == "invalid"  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | st.text(alphabet="0123456789.,;-+eE%/[]() \u2212", max_size=40))
def test_parser_only_raises_answer_format_error(text):
    try:
        value = parse_answer(text)
    except AnswerFormatError as error:
        assert str(error)
        return
    values = value if isinstance(value, list) else [value]
    assert values and all(type(v) is float and math.isfinite(v) for v in values)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60) | st.text(alphabet="0123456789.,-e%/[] ", max_size=30),
       st.floats(-1e6, 1e6) | st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=4))
def test_checker_always_returns_a_verdict(text, expected):
    verdict = check_answer(text, expected)
    assert isinstance(verdict, Verdict)
    assert verdict.status in {"correct", "incorrect", "invalid"}
    assert verdict.message
    if verdict.status == "invalid":
        assert verdict.error is None
    else:
        assert verdict.given is not None and verdict.error is not None


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_repr_round_trips(x):
    assert parse_answer(repr(x)) == x
    assert check_answer(repr(x), x, Tolerance(abs=0.0)).status == "correct"


def test_long_text_is_rejected_before_parsing():
    with pytest.raises(AnswerFormatError, match="too long"):
        parse_answer("1," * 10**6)


# --- tolerance ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "status"),
    [
        ("0.706", "correct"),   # rounded
        ("0.705", "correct"),   # truncated
        ("0.7059", "correct"),
        ("0.707", "incorrect"),  # 1.1 units of the 3rd figure away
        ("0.704", "incorrect"),
        ("0.71", "incorrect"),
    ],
)
def test_sig_figs_accept_rounded_and_truncated(given, status):
    assert check_answer(given, 30 / 42.5, Tolerance(sig_figs=3)).status == status


@pytest.mark.parametrize(
    ("expected", "given"),
    [(0.99951, "1.00"), (0.99951, "0.999"), (123456.0, "123000"), (0.0012345, "1.23e-3"), (-2.5, "-2.50")],
)
def test_sig_figs_near_powers_of_ten_and_signs(expected, given):
    assert check_answer(given, expected, Tolerance(sig_figs=3)).status == "correct"


def test_rel_and_abs():
    assert check_answer("101", 100.0, Tolerance(rel=0.01)).status == "correct"
    assert check_answer("101.5", 100.0, Tolerance(rel=0.01)).status == "incorrect"
    assert check_answer("0.35", 0.3, Tolerance(abs=0.05)).status == "correct"
    assert check_answer("0.36", 0.3, Tolerance(abs=0.05)).status == "incorrect"


def test_passing_any_one_criterion_suffices():
    tolerance = Tolerance(rel=1e-6, abs=0.1)
    assert check_answer("1.05", 1.0, tolerance).status == "correct"  # fails rel, passes abs


def test_absolute_floor_lets_zero_match():
    for tolerance in (Tolerance(rel=1e-3), Tolerance(sig_figs=3), Tolerance(abs=0.0)):
        assert check_answer("0", 0.0, tolerance).status == "correct"
        assert check_answer("0", 1e-17, tolerance).status == "correct"
        assert check_answer("0.001", 0.0, tolerance).status == "incorrect"


def test_exact_tolerance_for_counts():
    assert check_answer("128", 128.0, Tolerance(abs=0.0)).status == "correct"
    assert check_answer("127", 128.0, Tolerance(abs=0.0)).status == "incorrect"


def test_default_tolerance_is_three_significant_figures():
    assert DEFAULT_TOLERANCE == Tolerance(sig_figs=3)
    assert check_answer("0.706", 0.70588).status == "correct"
    assert check_answer("0.71", 0.70588).status == "incorrect"


def test_tolerance_collects_every_problem():
    with pytest.raises(ValueError) as error:
        Tolerance(rel=-1.0, abs=float("nan"), sig_figs=0)
    message = str(error.value)
    assert "rel must be a finite non-negative number, got -1.0" in message
    assert "abs must be a finite non-negative number, got nan" in message
    assert "sig_figs must be between 1 and 15, got 0" in message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({}, "at least one of rel, abs or sig_figs"),
        ({"sig_figs": 16}, "between 1 and 15, got 16"),
        ({"sig_figs": 2.5}, "integer, got 2.5"),
        ({"rel": "0.1"}, "rel must be a number, got '0.1'"),
        ({"abs": True}, "abs must be a number, got True"),
        ({"relative": 0.1, "sig_figs": 3}, "unknown key 'relative'"),
    ],
)
def test_tolerance_from_dict_validation(data, fragment):
    with pytest.raises(ValueError) as error:
        Tolerance.from_dict(data)
    assert fragment in str(error.value)


def test_tolerance_dict_round_trip():
    tolerance = Tolerance(rel=1e-3, sig_figs=4)
    data = tolerance.to_dict()
    assert json.loads(json.dumps(data)) == data == {"rel": 1e-3, "abs": None, "sig_figs": 4}
    assert Tolerance.from_dict(data) == tolerance
    assert Tolerance.from_dict({"abs": 0}) == Tolerance(abs=0)


# --- verdicts -------------------------------------------------------------------------------


def test_correct_verdict():
    verdict = check_answer("3/4", 0.75)
    assert verdict == Verdict("correct", verdict.message, 0.75, 0.75, 0.0)
    assert "0.75" in verdict.message


def test_incorrect_verdict_says_expected_and_how_far_off():
    verdict = check_answer("0.7", 0.75)
    assert verdict.status == "incorrect"
    assert verdict.given == 0.7
    assert verdict.error == pytest.approx(0.05)
    assert "0.75" in verdict.message and "off by 0.05" in verdict.message


def test_invalid_verdict_says_why_and_lists_accepted_forms():
    verdict = check_answer("zero point seven", 0.75)
    assert verdict.status == "invalid"
    assert verdict.given is None and verdict.error is None
    assert "unexpected character 'z'" in verdict.message
    assert ACCEPTED_FORMS in verdict.message
    assert "3/4" in ACCEPTED_FORMS and "75%" in ACCEPTED_FORMS and "[0.1, -0.2]" in ACCEPTED_FORMS


def test_vectors():
    expected = [0.857142857, 0.6, 0.705882353]
    assert check_answer("[0.857, 0.6, 0.706]", expected).status == "correct"
    assert check_answer("0.857 0.6 0.706", expected).status == "correct"
    wrong = check_answer("[0.857, 0.7, 0.706]", expected)
    assert wrong.status == "incorrect" and wrong.error == pytest.approx(0.1)


def test_wrong_vector_length_is_invalid_and_says_how_many():
    verdict = check_answer("[0.1, 0.2]", [0.1, 0.2, 0.3])
    assert verdict.status == "invalid"
    assert "Expected 3 numbers but read 2" in verdict.message
    scalar = check_answer("1,000", 1000.0)
    assert scalar.status == "invalid" and "single number" in scalar.message and "1,000" in scalar.message


def test_bracketed_single_number_answers_a_scalar_question():
    verdict = check_answer("[0.5]", 0.5)
    assert verdict.status == "correct" and verdict.given == 0.5


@pytest.mark.parametrize("expected", [float("nan"), [], [1.0, float("inf")], "0.5", True])
def test_bad_expected_value_is_a_programming_error(expected):
    with pytest.raises(ValueError, match="expected answer"):
        check_answer("0.5", expected)


def test_vector_floor_scales_with_the_largest_entry():
    """0 answers a component of -0.002 among entries of size 1 (3 significant figures of the vector),
    yet a real miss in that component, or a small vector's own precision, still counts."""
    assert check_answer("[1.2, 0, 0.8]", [1.2, -0.002, 0.8]).status == "correct"
    assert check_answer("[1.2, 0.1, 0.8]", [1.2, -0.002, 0.8]).status == "incorrect"
    assert check_answer("[0.0012, 0]", [0.0012, -0.002]).status == "incorrect"  # the floor is relative
    assert check_answer("0", -0.002).status == "incorrect"  # a scalar keeps its own significant figures
    # entries that do not round to 0 at the vector's precision keep their own tolerance
    assert check_answer("[0.7975, 25.2]", [0.75, 25.2]).status == "incorrect"
    assert check_answer("[0.751, 25.2]", [0.75, 25.2]).status == "correct"


def test_off_by_reports_the_failing_entry_not_the_largest_deviation():
    # entry 1 deviates by 0.9 but passes (3 sig figs of 250 allow 1); entry 2 fails by 0.6
    verdict = check_answer("[250.9, 0.2]", [250.0, 0.8])
    assert verdict.status == "incorrect"
    assert "entry 2 is off by 0.6" in verdict.message and "off by 0.9" not in verdict.message
    assert verdict.error == pytest.approx(0.6)
    several = check_answer("[1, 2, 3]", [1.5, 2.0, 3.5])
    assert "entries 1 and 3 are off, by up to 0.5" in several.message
