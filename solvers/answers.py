"""Reading a typed answer and judging it against an expected value.

The parser is a small hand-written grammar (never ``eval``): numbers such as ``0.75``, ``.5``,
``+3``, ``2.5E4``, fractions ``5/6``, percentages ``83.3%`` and vectors written as
``[0.1, -0.2]``, ``(0.1, -0.2)``, ``0.1, -0.2``, ``0.1; -0.2`` or ``0.1 -0.2``. The same checker
serves generated problems and static ``numeric`` cards in content files.

Tolerance semantics
-------------------
A :class:`Tolerance` has up to three criteria and an answer passes when it meets *any* of them:

- ``rel``: ``|given - expected| <= rel * |expected|``;
- ``abs``: ``|given - expected| <= abs``;
- ``sig_figs=n``: within one unit of the n-th significant figure of the expected value, so both
  the rounded and the truncated answer pass (0.70588 to 3 figures: 0.706 and 0.705).

An absolute floor of ``ABS_FLOOR`` (1e-12) always applies so that an expected 0 can be matched.
In a vector the floor scales with the vector's magnitude: an entry smaller than half of what the
largest entry may be off by (one that rounds to 0 at the vector's precision) may be off by that
much, so that ``0`` is accepted for a component of ``-0.002`` among entries of size 1 at 3
significant figures. Larger entries keep their own tolerance.
``DEFAULT_TOLERANCE`` (3 significant figures) is used when a content card gives none; cards whose
answer is an exact count should say ``abs: 0``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Literal, Union

from ._format import fmt, fmt_vector
from ._validate import short_repr

__all__ = [
    "ABS_FLOOR",
    "ACCEPTED_FORMS",
    "DEFAULT_TOLERANCE",
    "MAX_ANSWER_LENGTH",
    "AnswerFormatError",
    "Tolerance",
    "Verdict",
    "check_answer",
    "format_answer",
    "parse_answer",
]

Value = Union[float, list[float]]

ABS_FLOOR = 1e-12
MAX_ANSWER_LENGTH = 1000
ACCEPTED_FORMS = (
    "a number like 0.75, 3/4, 75% or 7.5e-1; a vector like [0.1, -0.2] or 0.1, -0.2"
)
# Float rounding must not turn a truncated answer sitting exactly on the margin into a miss.
_SLACK = 1e-9


class AnswerFormatError(ValueError):
    """The text could not be read as a number or a vector of numbers."""


@dataclass(frozen=True)
class Tolerance:
    """How far a given answer may be from the expected one (see the module docstring).

    >>> Tolerance(sig_figs=3).accepts(0.70588, 0.705)
    True
    >>> Tolerance(rel=0.01).accepts(100.0, 102.0)
    False
    """

    rel: float | None = None
    abs: float | None = None
    sig_figs: int | None = None

    def __post_init__(self) -> None:
        problems = _tolerance_problems(self.rel, self.abs, self.sig_figs)
        if problems:
            raise ValueError("Invalid tolerance: " + "; ".join(problems) + ".")

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Tolerance:
        """Build from a mapping with any of the keys ``rel``, ``abs``, ``sig_figs``."""
        if not isinstance(data, Mapping):
            raise ValueError(f"Invalid tolerance: expected a mapping, got {type(data).__name__}.")
        known = ("rel", "abs", "sig_figs")
        problems = [f"unknown key {key!r} (use rel, abs or sig_figs)" for key in data if key not in known]
        values = {key: data.get(key) for key in known}
        problems += _tolerance_problems(values["rel"], values["abs"], values["sig_figs"])
        if problems:
            raise ValueError("Invalid tolerance: " + "; ".join(problems) + ".")
        return cls(**values)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, float | int | None]:
        """The three fields as a plain, JSON-serialisable dict."""
        return {"rel": self.rel, "abs": self.abs, "sig_figs": self.sig_figs}

    def margin(self, expected: float) -> float:
        """The largest accepted ``|given - expected|`` for this expected value."""
        size = math.fabs(expected)
        margin = ABS_FLOOR
        if self.rel is not None:
            margin = max(margin, self.rel * size)
        if self.abs is not None:
            margin = max(margin, self.abs)
        if self.sig_figs is not None and size > 0:
            margin = max(margin, 10.0 ** (math.floor(math.log10(size)) - self.sig_figs + 1))
        return margin * (1 + _SLACK)

    def accepts(self, expected: float, given: float, floor: float = 0.0) -> bool:
        """Whether ``given`` is close enough to ``expected``; an ``expected`` no larger than ``floor`` in
        magnitude may be off by ``floor`` (see :meth:`vector_floor`)."""
        margin = self.margin(expected)
        if math.fabs(expected) <= floor:
            margin = max(margin, floor)
        return math.fabs(given - expected) <= margin

    def vector_floor(self, expected: Sequence[float]) -> float:
        """The margin of the near-zero entries of the vector ``expected``: half its largest entry's.

        >>> Tolerance(sig_figs=3).vector_floor([1.2, -0.002]) > 0.002
        True
        """
        if len(expected) < 2:
            return 0.0
        return self.margin(max(math.fabs(e) for e in expected)) / 2

    def describe(self) -> str:
        """A short phrase such as ``"3 significant figures"`` for messages."""
        parts = []
        if self.sig_figs is not None:
            parts.append(f"{self.sig_figs} significant figures")
        if self.rel is not None:
            parts.append(f"relative error {fmt(self.rel)}")
        if self.abs is not None:
            parts.append("exact" if self.abs == 0 else f"absolute error {fmt(self.abs)}")
        return " or ".join(parts)


def _tolerance_problems(rel: object, abs_: object, sig_figs: object) -> list[str]:
    problems = []
    for name, value in (("rel", rel), ("abs", abs_)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{name} must be a number, got {value!r}")
        elif not math.isfinite(value) or value < 0:
            problems.append(f"{name} must be a finite non-negative number, got {value!r}")
    if sig_figs is not None:
        if isinstance(sig_figs, bool) or not isinstance(sig_figs, int):
            problems.append(f"sig_figs must be an integer, got {sig_figs!r}")
        elif not 1 <= sig_figs <= 15:
            problems.append(f"sig_figs must be between 1 and 15, got {sig_figs}")
    if rel is None and abs_ is None and sig_figs is None:
        problems.append("give at least one of rel, abs or sig_figs (abs: 0 means exact)")
    return problems


DEFAULT_TOLERANCE = Tolerance(sig_figs=3)


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one answer.

    ``status`` is ``"correct"``, ``"incorrect"`` or ``"invalid"`` (could not be read: not counted
    as wrong). ``error`` is the absolute difference; for a vector, the largest one among the entries
    that failed (or among all entries when none failed).
    """

    status: Literal["correct", "incorrect", "invalid"]
    message: str
    expected: Value
    given: Value | None = None
    error: float | None = None

    @property
    def is_correct(self) -> bool:
        return self.status == "correct"


# --- parsing ---------------------------------------------------------------------------------

_DECIMAL = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"  # unambiguous: no backtracking blow-up
_NUMBER_RE = re.compile(rf"[+-]?{_DECIMAL}(?:[eE][+-]?[0-9]+)?")
_FRACTION_RE = re.compile(rf"([+-]?{_DECIMAL})/({_DECIMAL})")
_ALLOWED_RE = re.compile(r"[0-9eE.+\-/%,;\[\]()\s]*")
_SPACED_SLASH_RE = re.compile(r"\s*/\s*")
_SPACED_PERCENT_RE = re.compile(r"\s+%")
_SEPARATOR_RE = re.compile(r"[,;]")


def parse_answer(text: str) -> Value:
    """Read a number or a vector of numbers from typed text, without evaluating it.

    Returns a float for a single number and a list of floats for a vector (a bracketed single
    number such as ``[0.5]`` is a one-element list).

    Raises
    ------
    AnswerFormatError
        With a message saying what could not be read.

    Examples
    --------
    >>> parse_answer("3/4"), parse_answer("83.3%"), parse_answer("[0.1, \u22120.2]")
    (0.75, 0.833, [0.1, -0.2])
    """
    if not isinstance(text, str):
        raise AnswerFormatError(f"expected text, got {type(text).__name__}")
    if len(text) > MAX_ANSWER_LENGTH:
        raise AnswerFormatError(f"the answer is too long ({len(text)} characters, at most {MAX_ANSWER_LENGTH})")
    body = text.replace("\u2212", "-").strip()
    if body.endswith(".") and len(body) > 1:
        body = body[:-1].rstrip()  # a sentence-ending period, "0.75."
    if not body:
        raise AnswerFormatError("the answer is empty")
    lowered = body.lower()
    if "nan" in lowered or "inf" in lowered:
        raise AnswerFormatError("not-a-number and infinity are not accepted")
    if not _ALLOWED_RE.fullmatch(body):
        bad = next(ch for ch in body if not _ALLOWED_RE.fullmatch(ch))
        raise AnswerFormatError(f"unexpected character {bad!r}")
    body = _SPACED_PERCENT_RE.sub("%", _SPACED_SLASH_RE.sub("/", body))

    bracketed = body[0] in "[("
    if bracketed:
        closing = "]" if body[0] == "[" else ")"
        if body[-1] != closing:
            raise AnswerFormatError(f"the opening {body[0]!r} has no matching {closing!r} at the end")
        body = body[1:-1].strip()
    if any(ch in body for ch in "[]()"):
        raise AnswerFormatError("brackets may only enclose the whole vector")
    if not body:
        raise AnswerFormatError("the vector is empty")

    if _SEPARATOR_RE.search(body):
        tokens = [token.strip() for token in _SEPARATOR_RE.split(body)]
        if "" in tokens:
            raise AnswerFormatError("an item between separators is empty")
    else:
        tokens = body.split()
    values = [_parse_scalar(token) for token in tokens]
    if len(values) == 1 and not bracketed:
        return values[0]
    return values


def _parse_scalar(token: str) -> float:
    shown = short_repr(token)
    percent = token.endswith("%")
    core = token[:-1] if percent else token
    if _NUMBER_RE.fullmatch(core):
        value = float(core)
    elif not percent and (match := _FRACTION_RE.fullmatch(core)):
        numerator, denominator = float(match.group(1)), float(match.group(2))
        if denominator == 0:
            raise AnswerFormatError(f"{shown} divides by zero")
        value = numerator / denominator
    else:
        raise AnswerFormatError(f"{shown} is not a number")
    if percent:
        value /= 100
    if not math.isfinite(value):
        raise AnswerFormatError(f"{shown} is too large")
    return value + 0.0  # -0.0 reads as 0.0


# --- checking --------------------------------------------------------------------------------


def check_answer(text: str, expected: Value, tolerance: Tolerance | None = None) -> Verdict:
    """Judge typed text against an expected number or vector.

    Parameters
    ----------
    text : str
        What the user typed; never raises on it (unreadable text gives ``status="invalid"``).
    expected : float or list of float
        The expected answer; must be finite.
    tolerance : Tolerance, optional
        Defaults to ``DEFAULT_TOLERANCE`` (3 significant figures).

    Examples
    --------
    >>> check_answer("3/4", 0.75).status
    'correct'
    >>> check_answer("0.7", 0.75).message
    'Incorrect: the expected answer is 0.75; you gave 0.7 (off by 0.05).'
    """
    expected_list, is_vector = _expected_values(expected)
    expected = expected_list if is_vector else expected_list[0]
    tolerance = DEFAULT_TOLERANCE if tolerance is None else tolerance
    try:
        given = parse_answer(text)
    except AnswerFormatError as error:
        return Verdict("invalid", f"Could not read your answer: {error}. Accepted forms: {ACCEPTED_FORMS}.", expected)

    given_list = given if isinstance(given, list) else [given]
    if len(given_list) != len(expected_list):
        return Verdict("invalid", _length_message(len(expected_list), len(given_list)), expected, given)
    if not is_vector:
        given = given_list[0]  # "[0.5]" answers a scalar question

    deviations = [math.fabs(g - e) for g, e in zip(given_list, expected_list)]
    floor = tolerance.vector_floor(expected_list)
    failing = [
        i for i, (g, e) in enumerate(zip(given_list, expected_list)) if not tolerance.accepts(e, g, floor)
    ]
    shown_expected = format_answer(expected)
    if not failing:
        return Verdict(
            "correct", f"Correct: the expected answer is {shown_expected}.", expected, given, max(deviations)
        )
    error = max(deviations[i] for i in failing)
    message = (
        f"Incorrect: the expected answer is {shown_expected}; you gave {format_answer(given)} "
        f"({_miss_text(failing, deviations, is_vector)})."
    )
    return Verdict("incorrect", message, expected, given, error)


def _miss_text(failing: list[int], deviations: list[float], is_vector: bool) -> str:
    """How far off the failing entries are (1-based entry numbers for a vector)."""
    if not is_vector:
        return f"off by {fmt(deviations[0], 3)}"
    if len(failing) == 1:
        return f"entry {failing[0] + 1} is off by {fmt(deviations[failing[0]], 3)}"
    numbers = ", ".join(str(i + 1) for i in failing[:-1]) + f" and {failing[-1] + 1}"
    return f"entries {numbers} are off, by up to {fmt(max(deviations[i] for i in failing), 3)}"


def _expected_values(expected: Value) -> tuple[list[float], bool]:
    """The expected numbers as floats, and whether they form a vector."""
    if hasattr(expected, "tolist"):  # a numpy array or scalar
        expected = expected.tolist()  # type: ignore[union-attr]
    is_vector = isinstance(expected, Sequence) and not isinstance(expected, str)
    values = list(expected) if is_vector else [expected]  # type: ignore[arg-type]
    if not values:
        raise ValueError("expected answer is an empty vector")
    out = []
    for value in values:
        number = _finite_float(value)
        if number is None:
            raise ValueError(f"expected answer must be finite numbers, got {value!r:.60}")
        out.append(number)
    return out, is_vector


def _finite_float(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, Real):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int beyond float range
        return None
    return number if math.isfinite(number) else None


def _length_message(n_expected: int, n_given: int) -> str:
    if n_expected == 1:
        return (
            f"Expected a single number but read {n_given}; write numbers without thousands "
            f"separators (1000, not 1,000). Accepted forms: {ACCEPTED_FORMS}."
        )
    return f"Expected {n_expected} numbers but read {n_given}; give a vector like [0.1, -0.2, ...]."


def format_answer(value: Value) -> str:
    """An answer as quizapp shows it: ``0.75``, ``1507328`` (never ``1.50733e+06``), ``[0.1, -0.2]``.

    >>> format_answer(0.75), format_answer(1507328.0), format_answer([0.1, -0.2])
    ('0.75', '1507328', '[0.1, -0.2]')
    """
    return fmt_vector(value) if isinstance(value, list) else fmt(value)
