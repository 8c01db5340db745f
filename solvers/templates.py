"""Questions written as data: parameters drawn at random, an answer expression, and text with placeholders.

A :class:`Template` is built from plain values (what a content file's ``type: template`` card holds) and
turns ``(seed, difficulty)`` into a :class:`solvers.Problem`, deterministic in (key, seed, difficulty), so
checking reuses the solvers' tolerant answer parser and :class:`solvers.Verdict` unchanged.

Parameters are drawn in order (later ones may use earlier ones and ``difficulty``)::

    integers: [lo, hi]          inclusive bounds            uniform: [lo, hi]   with round: digits
    normal: [mean, sd]          with round: digits          choice: [a, b, c]   one of the items
    shuffle: [a, b, c]          a random order of a vector  expr: "sum(z)"      a derived value
    size: n                     (any but expr) a vector of n draws; n may be a number or an expression

Every bound or item may be a number or an expression. ``where`` is redrawn until true, at most
:data:`MAX_DRAWS` times. Text holds ``{name}`` (a declared parameter; ``answer`` too in the solution),
``{=expr}`` and ``{=expr:.3g}``; ``{{`` is a literal ``{``; any other brace is text, so LaTeX such as
``\\mathrm{softmax}(z)_{i}`` keeps working. Every problem is a :class:`TemplateError` naming the field
(a path inside the card, e.g. ``("params", "z", "size")``) and the column inside that field's text.
"""

from __future__ import annotations

import difflib
import keyword
import math
import random
import re
import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

import numpy as np

from .answers import DEFAULT_TOLERANCE, Tolerance, format_answer
from .expressions import (
    CONSTANTS,
    FUNCTIONS,
    MAX_INT_BITS,
    MAX_VECTOR,
    Evaluation,
    Expression,
    ExpressionError,
    parse_expression,
)
from ._validate import short_repr, too_large_number
from .problem import DIFFICULTIES, Problem

__all__ = [
    "DISTRIBUTIONS",
    "MAX_ANSWER_LENGTH",
    "MAX_DRAWS",
    "Template",
    "TemplateError",
    "TemplateErrors",
    "format_value",
    "parse_text",
]

MAX_DRAWS = 1000
MAX_ANSWER_LENGTH = 100  # entries of a vector answer: more cannot be typed
MAX_TEXT = 20_000
MAX_RENDERED = 100_000  # characters of a prompt or solution once its placeholders are filled in
DISTRIBUTIONS = ("integers", "uniform", "normal", "choice", "shuffle", "expr")
_OPTIONS = ("size", "round")
_RESERVED = frozenset({"answer", "difficulty", *FUNCTIONS, *CONSTANTS, *keyword.kwlist})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,31}\Z")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FORMAT = re.compile(r"[<>^]?[+\- ]?0?[0-9]{0,2},?(?:\.[0-9]{1,2})?[eEfFgGd%]?\Z")

Path = tuple[Union[str, int], ...]
Number = Union[int, float]


@dataclass(frozen=True)
class TemplateError(ValueError):
    """One problem of a template: what, in which field (a path in the card) and where in that field's text.

    ``offset`` is the 0-based column inside the field's text (None: the field as a whole); ``seed`` and
    ``difficulty`` are set for problems found while computing an instance.
    """

    message: str
    path: Path = ()
    offset: int | None = None
    seed: int | None = None
    difficulty: int | None = None

    def __str__(self) -> str:
        return self.message + (f" (seed {self.seed}, difficulty {self.difficulty})" if self.seed is not None else "")


class TemplateErrors(ValueError):
    """Every problem found while reading a template."""

    def __init__(self, errors: Sequence[TemplateError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = tuple(errors)


# --- text with placeholders ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Slot:
    """A placeholder: a parameter name or an expression, with an optional format spec."""

    expression: Expression
    spec: str | None
    offset: int  # where the expression starts in the text


Piece = Union[str, _Slot]


def parse_text(text: str, names: frozenset[str] | set[str], path: Path = ()) -> tuple[Piece, ...]:
    """Split text into literal pieces and placeholders, counting braces (no regular expression can).

    ``{name}`` is a placeholder only for a name in `names`; ``{=expr}`` and ``{=expr:spec}`` always are;
    ``{{`` writes ``{``; every other brace is literal text.

    >>> parse_text("$z_{i}$ is {z}", {"z"})[0]
    '$z_{i}$ is '
    """
    pieces: list[Piece] = []
    literal: list[str] = []
    i, n = 0, len(text)
    while i < n:
        start = text.find("{", i)
        if start < 0:
            literal.append(text[i:])
            break
        literal.append(text[i:start])
        if text.startswith("{{", start):
            literal.append("{")
            i = start + 2
        elif text.startswith("{=", start):
            end = _closing_brace(text, start, path)
            body_start = start + 2
            body, spec = _split_spec(text[body_start:end])
            if spec is not None and not _FORMAT.match(spec):
                raise TemplateError(
                    f"format `{spec}` is not supported: use a spec like .3g, .2f, .1% or d", path,
                    body_start + len(body) + 1)
            pieces.extend(("".join(literal), _Slot(_parse(body, path, body_start), spec, body_start)))
            literal = []
            i = end + 1
        else:
            match = _IDENTIFIER.match(text, start + 1)
            if match and text.startswith("}", match.end()) and match.group() in names:
                name = match.group()
                pieces.extend(("".join(literal), _Slot(_parse(name, path, start + 1), None, start + 1)))
                literal = []
                i = match.end() + 1
            elif match and match.group() in names and (spec := _name_format(text, match.end())) is not None:
                # `{p:.0%}` was left as written, braces and all: only `{=...}` formats
                raise TemplateError(f"`{{{match.group()}:{spec}}}` would be shown as written: to format a "
                                    f"parameter write `{{={match.group()}:{spec}}}`", path, start)
            else:
                literal.append("{")
                i = start + 1
    pieces.append("".join(literal))
    return tuple(piece for piece in pieces if piece != "")


def _name_format(text: str, index: int) -> str | None:
    """The format spec of `:spec}` at `index`, if that is what the text holds there."""
    end = text.find("}", index)
    if not text.startswith(":", index) or end < 0 or not _FORMAT.match(text[index + 1:end]):
        return None
    return text[index + 1:end]


def _closing_brace(text: str, start: int, path: Path) -> int:
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
    raise TemplateError("`{=` is never closed: end the expression with `}`", path, start)


def _split_spec(body: str) -> tuple[str, str | None]:
    """`expr:spec` -> (expr, spec), splitting at the first `:` outside brackets (slices use `:` too)."""
    depth = 0
    for index, char in enumerate(body):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == ":" and depth == 0:
            return body[:index], body[index + 1:]
    return body, None


def _parse(text: str, path: Path, shift: int = 0) -> Expression:
    try:
        return parse_expression(text)
    except ExpressionError as exc:
        raise TemplateError(exc.message, path, shift + exc.offset) from None


def format_value(value: Any, spec: str | None = None) -> str:
    """How a number or a vector is shown in text: exactly (``0.1``, ``3``, ``[1, -0.5]``) or with `spec`."""
    if type(value) is np.ndarray:
        return "[" + ", ".join([_format_number(v, spec) for v in value.tolist()]) + "]"
    return _format_number(value, spec)


def _format_number(value: Number, spec: str | None) -> str:
    if type(value) is float and not spec:
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if spec:
        if spec.endswith("d"):
            value = int(round(value))
        return format(value, spec)
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if value == 0:
        return "0"
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _render(pieces: tuple[Piece, ...], scope: dict[str, Any], evaluation: Evaluation, path: Path) -> str:
    parts = []
    size = 0
    for piece in pieces:
        if type(piece) is str:
            parts.append(piece)
            size += len(piece)
            continue
        value = _evaluate(piece.expression, scope, evaluation, path, piece.offset)
        if type(value) is np.ndarray:
            evaluation.spend(len(value), piece.offset)
        try:
            text = format_value(value, piece.spec)
        except (ValueError, TypeError, OverflowError) as exc:
            raise TemplateError(f"cannot format with `{piece.spec}`: {exc}", path, piece.offset) from None
        size += len(text)
        if size > MAX_RENDERED:
            raise TemplateError(f"the text is too long once filled in (over {MAX_RENDERED:,} characters)", path,
                                piece.offset)
        parts.append(text)
    return "".join(parts)


def _evaluate(expression: Expression, scope: dict[str, Any], evaluation: Evaluation, path: Path,
              shift: int = 0) -> Any:
    try:
        return expression.evaluate_in(scope, evaluation)
    except ExpressionError as exc:
        raise TemplateError(exc.message, path, shift + exc.offset) from None


# --- parameters ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Argument:
    """A number or an expression written where a number is expected, and its place in the card."""

    path: Path
    number: Number | None = None
    expression: Expression | None = None

    def value(self, scope: dict[str, Any], evaluation: Evaluation) -> Any:
        if self.expression is None:
            return self.number
        return _evaluate(self.expression, scope, evaluation, self.path)


@dataclass(frozen=True, slots=True)
class _Param:
    name: str
    kind: str
    args: tuple[_Argument, ...]  # bounds, items, or the one expression (expr; choice/shuffle of a vector)
    size: _Argument | None
    digits: int | None
    path: Path
    source: bool = False  # choice/shuffle over the entries of a vector expression, not a list of items

    def draw(self, rng: random.Random, scope: dict[str, Any], evaluation: Evaluation) -> Any:
        count = None if self.size is None else self._count(scope, evaluation)
        evaluation.spend(count or 1)  # under a constant `where`, the draws are the only work counted
        kind = self.kind
        if kind == "expr":
            value = self.args[0].value(scope, evaluation)
            return self._rounded(value) if self.digits is not None else value
        if kind == "choice" or kind == "shuffle":
            return self._pick(rng, scope, evaluation, count)
        low = self._number(self.args[0], scope, evaluation)
        high = self._number(self.args[1], scope, evaluation)
        if kind == "integers":
            low, high = self._whole(low, 0), self._whole(high, 1)
            if low > high:
                raise TemplateError(f"integers: [{short_repr(low)}, {short_repr(high)}] is empty "
                                    "(the bounds are inclusive)", self.path + (kind,))
            if count is None:
                return rng.randint(low, high)
            draws = [rng.randint(low, high) for _ in range(count)]
        elif kind == "uniform":
            if low > high:
                raise TemplateError(f"uniform: the low bound {short_repr(low)} is above the high bound "
                                    f"{short_repr(high)}", self.path + (kind,))
            draws = [rng.uniform(low, high) for _ in range(count or 1)]
        else:
            if high < 0:
                raise TemplateError(f"normal: the standard deviation {short_repr(high)} is negative",
                                    self.path + (kind, 1))
            draws = [rng.gauss(low, high) for _ in range(count or 1)]
        if kind != "integers" and not all(map(math.isfinite, draws)):  # [-1e308, 1e308] spans more than a float
            raise TemplateError(f"{kind}: a draw overflows (infinite or not a number): make the numbers smaller",
                                self.path + (kind,))
        if self.digits is not None and kind != "integers":
            digits = self.digits
            draws = [round(d, digits) for d in draws]
        if count is None:
            return draws[0]
        return np.array(draws, dtype=np.float64)

    def _count(self, scope: dict[str, Any], evaluation: Evaluation) -> int | None:
        if self.size is None:
            return None
        value = self.size.value(scope, evaluation)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if type(value) is np.ndarray:
            raise TemplateError(f"size must be a whole number, not a vector of {len(value):,} entries", self.size.path)
        if type(value) is not int:
            raise TemplateError(f"size must be a whole number, got {format_value(value)}", self.size.path)
        count = value
        if not 0 <= count <= MAX_VECTOR:
            raise TemplateError(f"size must be between 0 and {MAX_VECTOR:,}, got {count:,}", self.size.path)
        return count

    def _number(self, arg: _Argument, scope: dict[str, Any], evaluation: Evaluation) -> Number:
        if arg.expression is None:
            return arg.number
        value = arg.value(scope, evaluation)
        if isinstance(value, np.ndarray):
            raise TemplateError("a bound must be a single number, not a vector", arg.path)
        return value

    def _whole(self, value: Number, index: int) -> int:
        if isinstance(value, float) and not value.is_integer():
            raise TemplateError(f"integers: bounds must be whole numbers, got {short_repr(value)}",
                                self.path + ("integers", index))
        return int(value)

    def _pick(self, rng: random.Random, scope: dict[str, Any], evaluation: Evaluation, count: int | None) -> Any:
        if self.source:
            source = self.args[0].value(scope, evaluation)
            items = [float(v) for v in source] if isinstance(source, np.ndarray) else [source]
        else:
            items = [self._number(arg, scope, evaluation) for arg in self.args]
        if not items:
            raise TemplateError(f"{self.kind}: there is nothing to choose from", self.path + (self.kind,))
        if self.kind == "shuffle":  # with a size: that many items without replacement
            rng.shuffle(items)
            if count is not None and count > len(items):
                raise TemplateError(f"shuffle: size {count} is more than the {len(items)} items", self.size.path)
            return np.array(items if count is None else items[:count], dtype=np.float64)
        if count is None:
            return items[rng.randrange(len(items))]
        return np.array([items[rng.randrange(len(items))] for _ in range(count)], dtype=np.float64)

    def _rounded(self, value: Any) -> Any:
        if isinstance(value, np.ndarray):
            return np.array([round(float(v), self.digits) for v in value], dtype=np.float64)
        return round(float(value), self.digits)


# --- the template ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """A compiled template; build it with :meth:`build`, make problems with :meth:`generate`."""

    key: str
    params: tuple[_Param, ...]
    where: Expression | None
    answer: Expression
    prompt: tuple[Piece, ...]
    solution: tuple[Piece, ...] | None
    tolerance: Tolerance
    difficulty: int = 1
    _salt: int = field(default=0, repr=False)

    @classmethod
    def build(cls, key: str, *, params: Mapping[str, Mapping[str, Any]], prompt: str, answer: str | Number,
              where: str | None = None, solution: str | None = None, tolerance: Tolerance | None = None,
              difficulty: int = 1) -> Template:
        """Check every part and compile it.

        Raises
        ------
        TemplateErrors
            With every problem found, each naming its field and column.
        """
        errors: list[TemplateError] = []
        compiled: list[_Param] = []
        declared: set[str] = set()
        if not isinstance(params, Mapping):
            errors.append(TemplateError("params is a mapping of names to distributions", ("params",)))
            params = {}
        for name, spec in params.items():
            try:
                param = _build_param(name, spec, declared)
            except TemplateError as error:
                errors.append(error)
                declared.add(str(name))  # later uses of it are not unknown names too
                continue
            compiled.append(param)
            declared.add(name)
        available = frozenset(declared | {"difficulty"})
        where_expression = _collect(errors, lambda: _checked_expression(where, ("where",), available)) \
            if where is not None else None
        answer_expression = _collect(errors, lambda: _checked_expression(answer, ("answer",), available))
        prompt_pieces = _collect(errors, lambda: _text(prompt, ("prompt",), available))
        solution_pieces = _collect(errors, lambda: _text(solution, ("solution",), available | {"answer"})) \
            if solution is not None else None
        if difficulty not in DIFFICULTIES:
            errors.append(TemplateError(f"difficulty must be 1, 2 or 3, got {short_repr(difficulty)}", ("difficulty",)))
        if errors:
            raise TemplateErrors(errors)
        return cls(key, tuple(compiled), where_expression, answer_expression, prompt_pieces, solution_pieces,
                   tolerance or DEFAULT_TOLERANCE, difficulty, zlib.crc32(key.encode()))

    def generate(self, seed: int, difficulty: int | None = None) -> Problem:
        """The problem for `seed` at `difficulty` (default: the template's own).

        Raises
        ------
        TemplateError
            When this instance cannot be computed (it carries the seed and difficulty).
        ValueError
            For a negative or non-integer seed, or a difficulty other than 1, 2 or 3.
        """
        difficulty = self.difficulty if difficulty is None else difficulty
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**63:
            raise ValueError(f"seed must be a non-negative integer below 2**63, got {seed!r}")
        if isinstance(difficulty, bool) or difficulty not in DIFFICULTIES:
            raise ValueError(f"difficulty must be 1, 2 or 3, got {difficulty!r}")
        seed, difficulty = int(seed), int(difficulty)
        try:
            with np.errstate(all="ignore"):
                return self._generate(seed, difficulty)
        except TemplateError as error:
            raise TemplateError(error.message, error.path, error.offset, seed, difficulty) from None
        except ExpressionError as error:  # a budget used up outside any one expression
            raise TemplateError(error.message, (), None, seed, difficulty) from None
        except (ArithmeticError, ValueError, TypeError, MemoryError, RecursionError) as error:
            # a safety net: whatever the content, a question that cannot be made is a content error
            raise TemplateError(f"cannot compute this question: {error}", (), None, seed, difficulty) from None

    def _generate(self, seed: int, difficulty: int) -> Problem:
        rng = random.Random((self._salt << 72) | (seed << 2) | difficulty)
        evaluation = Evaluation()
        scope = self._draw(rng, difficulty, evaluation)
        answer = self._answer(scope, evaluation)
        scope["answer"] = answer
        prompt = _render(self.prompt, scope, evaluation, ("prompt",))
        plain_answer = [float(v) for v in answer] if isinstance(answer, np.ndarray) else float(answer)
        if self.solution is not None:
            solution = _render(self.solution, scope, evaluation, ("solution",))
        else:  # as the answer is shown (15.2, not 15.200000000000001)
            solution = f"The answer is {format_answer(plain_answer)}."
        params = {param.name: _plain(scope[param.name]) for param in self.params}
        return Problem(solver=self.key, seed=seed, difficulty=difficulty, prompt=prompt, params=params,
                       answer=plain_answer, tolerance=self.tolerance, solution=solution)

    def _draw(self, rng: random.Random, difficulty: int, evaluation: Evaluation) -> dict[str, Any]:
        for _ in range(MAX_DRAWS):
            scope: dict[str, Any] = {"difficulty": difficulty}
            for param in self.params:
                scope[param.name] = param.draw(rng, scope, evaluation)
            if self.where is None:
                return scope
            holds = _evaluate(self.where, scope, evaluation, ("where",))
            if isinstance(holds, np.ndarray):
                raise TemplateError("`where` must be true or false, not a vector", ("where",), 0)
            if holds:
                return scope
        raise TemplateError(f"`where` is still false after {MAX_DRAWS:,} draws: loosen it or the parameters",
                            ("where",), 0)

    def _answer(self, scope: dict[str, Any], evaluation: Evaluation) -> Any:
        answer = _evaluate(self.answer, scope, evaluation, ("answer",))
        if isinstance(answer, np.ndarray):
            if not 1 <= len(answer) <= MAX_ANSWER_LENGTH:
                raise TemplateError(f"the answer is a vector of {len(answer)} entries; an answer has 1 to "
                                    f"{MAX_ANSWER_LENGTH}", ("answer",), 0)
        return answer

    def sample_errors(self, seeds: int = 50, *, deadline: float | None = None) -> list[TemplateError]:
        """Compute `seeds` instances at each difficulty; the first problem found at each, if any.

        Besides failing instances, a vector answer whose length changes between seeds is a problem. The
        same problem found at several difficulties is reported once, with its first seed. Past `deadline`
        (a `time.perf_counter()` value) sampling stops, and that is the one problem.
        """
        errors: list[TemplateError] = []
        for difficulty in DIFFICULTIES:
            length = None
            for seed in range(seeds):
                if deadline is not None and time.perf_counter() > deadline:
                    return [TemplateError("checking ran out of time", (), None, seed, difficulty)]
                try:
                    answer = self.generate(seed, difficulty).answer
                except TemplateError as error:
                    errors.append(error)
                    break
                size = len(answer) if isinstance(answer, list) else None
                if seed and size != length:
                    shown = lambda s: "a number" if s is None else f"a vector of {s}"  # noqa: E731
                    errors.append(TemplateError(
                        f"the answer's shape changes between seeds: {shown(length)} for seed 0, "
                        f"{shown(size)} here", ("answer",), 0, seed, difficulty))
                    break
                length = size
        unique: dict[tuple[Path, int | None], TemplateError] = {}
        for error in errors:
            unique.setdefault((error.path, error.offset), error)
        return list(unique.values())


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return [int(v) if v.is_integer() and abs(v) < 2**53 else float(v) for v in value.tolist()]
    if isinstance(value, bool):
        return int(value)
    return value


def _collect(errors: list[TemplateError], make: Any) -> Any:
    try:
        return make()
    except TemplateError as error:
        errors.append(error)
        return None


def _checked_expression(text: Any, path: Path, available: frozenset[str]) -> Expression:
    if isinstance(text, bool) or isinstance(text, (int, float)):
        text = repr(text)
    if not isinstance(text, str):
        raise TemplateError(f"expected an expression (text), got {type(text).__name__}", path)
    expression = _parse(text, path)
    _check_names(expression, available, path, 0)
    return expression


def _check_names(expression: Expression, available: frozenset[str], path: Path, shift: int) -> None:
    for name, offset in expression.names.items():
        if name not in available:
            close = difflib.get_close_matches(name, sorted(available), n=2)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            if name == "answer":  # the prompt is shown, and the parameters are drawn, before there is one
                hint = ": `answer` is a name in the solution only"
            raise TemplateError(f"unknown name `{name}`{hint}", path, shift + offset)


def _text(text: Any, path: Path, available: frozenset[str]) -> tuple[Piece, ...]:
    if not isinstance(text, str):
        raise TemplateError(f"expected text, got {type(text).__name__}", path)
    if len(text) > MAX_TEXT:
        raise TemplateError(f"text is too long (the limit is {MAX_TEXT:,} characters)", path)
    pieces = parse_text(text, available, path)
    for piece in pieces:
        if type(piece) is _Slot:
            _check_names(piece.expression, available, path, piece.offset)
    return pieces


def _build_param(name: Any, spec: Any, declared: set[str]) -> _Param:
    path: Path = ("params", str(name))
    if not isinstance(name, str) or not _NAME.match(name):
        raise TemplateError(f"parameter name {short_repr(name)} must be a word of letters, digits and _ "
                            "(not starting with a digit)", path)
    if name in _RESERVED:
        raise TemplateError(f"`{name}` is a reserved name (a function, a constant or a keyword): "
                            "choose another parameter name", path)
    if not isinstance(spec, Mapping):
        raise TemplateError(f"parameter `{name}`: give a distribution, like {{integers: [1, 5]}}", path)
    kinds = [key for key in spec if key in DISTRIBUTIONS]
    unknown = [key for key in spec if key not in DISTRIBUTIONS and key not in _OPTIONS]
    if unknown:
        close = difflib.get_close_matches(str(unknown[0]), DISTRIBUTIONS + _OPTIONS, n=1)
        hint = f"; did you mean {close[0]}?" if close else f"; use one of {', '.join(DISTRIBUTIONS)}"
        raise TemplateError(f"unknown key {short_repr(unknown[0])}{hint}", path + (unknown[0],))
    if len(kinds) != 1:
        found = " and ".join(kinds) if kinds else "none"
        raise TemplateError(f"parameter `{name}` needs exactly one of {', '.join(DISTRIBUTIONS)} (found {found})",
                            path)
    kind = kinds[0]
    available = frozenset(declared | {"difficulty"})
    raw = spec[kind]
    args = _arguments(kind, raw, path + (kind,), available)
    size = None
    if "size" in spec:
        if kind == "expr":
            raise TemplateError("size applies to drawn parameters; an expr has the size it computes",
                                path + ("size",))
        size = _argument(spec["size"], path + ("size",), available)
    digits = spec.get("round")
    if digits is not None:
        if isinstance(digits, bool) or not isinstance(digits, int) or not -6 <= digits <= 12:
            raise TemplateError(f"round is a number of decimals from -6 to 12, got {short_repr(digits)}",
                                path + ("round",))
        if kind in ("integers", "choice", "shuffle"):
            raise TemplateError(f"round applies to uniform, normal and expr, not {kind}", path + ("round",))
    return _Param(name, kind, args, size, digits, path, source=kind in ("choice", "shuffle") and isinstance(raw, str))


def _arguments(kind: str, raw: Any, path: Path, available: frozenset[str]) -> tuple[_Argument, ...]:
    if kind == "expr":
        return (_argument(raw, path, available, expression_only=True),)
    if kind in ("choice", "shuffle"):
        if isinstance(raw, str):
            return (_argument(raw, path, available, expression_only=True),)
        if not isinstance(raw, list) or not raw:
            raise TemplateError(f"{kind}: give a list of items like [1, 2, 3], or an expression for a vector", path)
        return tuple(_argument(item, path + (i,), available) for i, item in enumerate(raw))
    if not isinstance(raw, list) or len(raw) != 2:
        shape = {"integers": "[lo, hi]", "uniform": "[lo, hi]", "normal": "[mean, sd]"}[kind]
        raise TemplateError(f"{kind}: give two numbers, {shape}", path)
    return tuple(_argument(item, path + (i,), available) for i, item in enumerate(raw))


def _argument(raw: Any, path: Path, available: frozenset[str], *, expression_only: bool = False) -> _Argument:
    if not expression_only and not isinstance(raw, bool) and isinstance(raw, (int, float)):
        if isinstance(raw, int) and raw.bit_length() > MAX_INT_BITS:  # math.isfinite would overflow on it
            raise TemplateError(too_large_number(raw), path)
        if not math.isfinite(raw):
            raise TemplateError(f"not a finite number: {raw!r}", path)
        return _Argument(path, number=raw)
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise TemplateError(f"expected a number or an expression, got {type(raw).__name__}", path)
    return _Argument(path, expression=_checked_expression(raw, path, available))
