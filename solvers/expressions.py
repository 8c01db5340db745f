"""A small, safe expression language for questions written in content files.

Content authors write formulas such as ``exp(z[k-1]) / sum(exp(z))``; this module reads them without
``eval``, ``exec`` or ``compile``. The text is parsed by :func:`ast.parse` in "eval" mode (after its length
and bracket depth are checked, so hostile nesting never reaches the parser) and every node is checked
against a closed whitelist: numbers, names of parameters, ``+ - * / // % **``, unary ``-``/``+``/``not``,
comparisons, ``and``/``or``, ``a if c else b``, list literals, indexing and slicing, and calls of the
functions in :data:`FUNCTIONS`. Anything else (attributes, strings, lambdas, comprehensions, starred or
unknown keyword arguments, unknown names) is refused with the column where it starts.

The checked tree is turned into nested Python closures (our own code, over our own node set), which an
:class:`Evaluation` runs under a budget of steps and time. Values are Python ints (exact, at most
:data:`MAX_INT_BITS` bits), floats (always finite) and 1-D float vectors of at most :data:`MAX_VECTOR`
entries with numpy's elementwise semantics. Every failure is an :class:`ExpressionError` carrying the
0-based column of the part that failed.

>>> parse_expression("exp(z[k-1]) / sum(exp(z))").evaluate({"z": [0.0, 1.0], "k": 2})
0.7310585786300049
"""

from __future__ import annotations

import ast
import difflib
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Union

import numpy as np

from ._validate import LARGEST_NUMBER, short_repr, too_large_number

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_INT_BITS",
    "MAX_LENGTH",
    "MAX_STEPS",
    "MAX_SECONDS",
    "MAX_VECTOR",
    "Evaluation",
    "Expression",
    "ExpressionError",
    "parse_expression",
]

MAX_LENGTH = 1000  # characters of one expression
MAX_DEPTH = 40  # brackets inside one another, and levels of the parsed tree
MAX_VECTOR = 10_000  # entries of any vector
MAX_INT_BITS = 1024  # about 1.8e308, the float range: larger integers cannot become answers anyway
MAX_FACTORIAL = 170  # 171! is not a finite float
MAX_COMB = 1000
MAX_STEPS = 1_000_000  # per instance, shared by every expression and draw of it
MAX_SECONDS = 1.0  # per instance
_CHECK_EVERY = 2048  # steps between clock readings
_SHORT = 64  # below this many entries, plain Python beats numpy's per-call overhead

Value = Union[int, float, bool, np.ndarray]
Scalar = Union[int, float, bool]


class ExpressionError(ValueError):
    """An expression that cannot be read or evaluated; ``offset`` is the 0-based column in its text."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class Evaluation:
    """The budget of one instance: every expression and draw of it spends from the same steps and time."""

    __slots__ = ("deadline", "limit", "next_check", "steps")

    def __init__(self, max_steps: int = MAX_STEPS, max_seconds: float = MAX_SECONDS) -> None:
        self.steps = 0
        self.limit = max_steps
        self.deadline = time.perf_counter() + max_seconds
        self.next_check = min(_CHECK_EVERY, max_steps)

    def spend(self, steps: int, offset: int = 0) -> None:
        """Count `steps`; raise when the step or time budget is used up."""
        self.steps += steps
        if self.steps >= self.next_check:
            self.checkpoint(offset)

    def checkpoint(self, offset: int = 0) -> None:
        if self.steps > self.limit:
            raise ExpressionError(f"too much work: over {self.limit:,} evaluation steps for one question", offset)
        if time.perf_counter() > self.deadline:
            raise ExpressionError("too slow: one question took over its time budget to compute", offset)
        self.next_check = min(self.steps + _CHECK_EVERY, self.limit + 1)


_Run = Callable[[dict, Evaluation], Any]


@dataclass(frozen=True, slots=True)
class Expression:
    """A checked expression: its text, the names it reads (with the column of each's first use), and its code."""

    text: str
    names: Mapping[str, int]
    run: _Run

    def evaluate(self, names: Mapping[str, Any], evaluation: Evaluation | None = None) -> Value:
        """The value for these parameter values; vectors come back as float arrays.

        Raises
        ------
        ExpressionError
            For any failure (a division by zero, an unknown name, a budget used up, ...).
        """
        scope = {name: _as_value(value) for name, value in names.items()}
        with np.errstate(all="ignore"):
            return self.evaluate_in(scope, evaluation or Evaluation())

    def evaluate_in(self, scope: dict[str, Value], evaluation: Evaluation) -> Value:
        """Like :meth:`evaluate` for a scope already holding values (vectors as float arrays); the caller
        silences numpy's warnings (``np.errstate``), since every result is checked anyway."""
        try:
            return self.run(scope, evaluation)
        except ExpressionError:
            raise
        except RecursionError:
            raise ExpressionError("expression is nested too deeply") from None
        except MemoryError:
            raise ExpressionError("expression needs too much memory") from None
        except Exception as exc:  # a safety net: every failure is a content error, never a traceback
            raise ExpressionError(f"cannot evaluate: {exc}") from None


def _as_value(value: Any) -> Value:
    if isinstance(value, (list, tuple)):
        return np.asarray(value, dtype=np.float64)
    if isinstance(value, np.generic):
        return value.item()
    return value


# --- parsing ---------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def parse_expression(text: str) -> Expression:
    """Check `text` and turn it into an :class:`Expression` (cached by text).

    >>> parse_expression("2 ** 10").evaluate({})
    1024
    >>> parse_expression("().__class__")
    Traceback (most recent call last):
    ...
    solvers.expressions.ExpressionError: attribute access (`.`) is not allowed
    """
    if not isinstance(text, str):
        raise ExpressionError(f"an expression is text, got {type(text).__name__}")
    if not text.strip():
        raise ExpressionError("empty expression")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is too long ({len(text):,} characters; the limit is {MAX_LENGTH:,})")
    _check_brackets(text)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        offset = max(0, (exc.offset or 1) - 1) + (len(text) - len(text.lstrip()))
        raise ExpressionError(f"syntax error: {exc.msg}", min(offset, len(text))) from None
    except (ValueError, MemoryError, RecursionError, OverflowError) as exc:
        raise ExpressionError(f"cannot read expression: {exc}") from None
    shift = len(text) - len(text.lstrip())
    builder = _Builder(shift)
    run = builder.node(tree.body, 1)
    return Expression(text, dict(builder.names), run)


def _check_brackets(text: str) -> None:
    depth = 0
    for offset, char in enumerate(text):
        if char in "([{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExpressionError(f"brackets are nested too deeply (the limit is {MAX_DEPTH})", offset)
        elif char in ")]}":
            depth -= 1


_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**"}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_REFUSED = {
    ast.Attribute: "attribute access (`.`) is not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.Starred: "starred arguments (`*`) are not allowed",
    ast.Tuple: "tuples are not allowed: write a list like [1, 2]",
    ast.Dict: "dictionaries are not allowed",
    ast.Set: "sets are not allowed",
    ast.JoinedStr: "strings are not allowed",
    ast.NamedExpr: "assignment (`:=`) is not allowed",
    ast.Await: "await is not allowed",
}


class _Builder:
    """Checks each node against the whitelist and returns the closure that evaluates it."""

    def __init__(self, shift: int) -> None:
        self.shift = shift
        self.names: dict[str, int] = {}

    def at(self, node: ast.AST) -> int:
        return getattr(node, "col_offset", 0) + self.shift

    def node(self, node: ast.AST, depth: int) -> _Run:
        if depth > MAX_DEPTH:
            raise ExpressionError(f"expression is nested too deeply (the limit is {MAX_DEPTH} levels)", self.at(node))
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            message = _REFUSED.get(type(node), f"`{type(node).__name__}` is not allowed in an expression")
            raise ExpressionError(message, self.at(node))
        return method(node, depth + 1)

    def _Constant(self, node: ast.Constant, depth: int) -> _Run:
        value = node.value
        if type(value) not in (bool, int, float):
            kind = "strings are" if isinstance(value, (str, bytes)) else f"`{value!r:.20}` is"
            raise ExpressionError(f"{kind} not allowed: expressions hold numbers", self.at(node))
        value = _checked(value, self.at(node))
        return lambda scope, ev: value

    def _Name(self, node: ast.Name, depth: int) -> _Run:
        name, offset = node.id, self.at(node)
        if name in CONSTANTS:
            constant = CONSTANTS[name]
            return lambda scope, ev: constant
        if name in FUNCTIONS:
            raise ExpressionError(f"`{name}` is a function: call it, like {name}(x)", offset)
        self.names.setdefault(name, offset)

        def run(scope: dict, ev: Evaluation) -> Any:
            try:
                return scope[name]
            except KeyError:
                raise ExpressionError(f"unknown name `{name}`", offset) from None

        return run

    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> _Run:
        operand, offset = self.node(node.operand, depth), self.at(node)
        if isinstance(node.op, ast.USub):
            def run(scope: dict, ev: Evaluation) -> Any:
                ev.spend(1, offset)
                return -operand(scope, ev)
        elif isinstance(node.op, ast.UAdd):
            def run(scope: dict, ev: Evaluation) -> Any:
                ev.spend(1, offset)
                return +operand(scope, ev)
        elif isinstance(node.op, ast.Not):
            def run(scope: dict, ev: Evaluation) -> Any:
                ev.spend(1, offset)
                return not _scalar(operand(scope, ev), "`not`", offset)
        else:
            raise ExpressionError("bitwise `~` is not allowed", offset)
        return run

    def _BinOp(self, node: ast.BinOp, depth: int) -> _Run:
        symbol = _BINARY.get(type(node.op))
        if symbol is None:
            raise ExpressionError("bitwise and matrix operators are not allowed", self.at(node))
        left, right = self.node(node.left, depth), self.node(node.right, depth)
        # a division by zero points at the divisor; other failures at the operation
        offset = self.at(node.right) if symbol in ("/", "//", "%") else self.at(node)
        operate = _OPERATIONS[symbol]

        def run(scope: dict, ev: Evaluation) -> Any:
            a, b = left(scope, ev), right(scope, ev)
            ev.steps += (len(a) if type(a) is np.ndarray else 1) + (len(b) if type(b) is np.ndarray else 1)
            if ev.steps >= ev.next_check:
                ev.checkpoint(offset)
            try:
                return operate(a, b, offset)
            except (OverflowError, TypeError, ValueError) as exc:
                if isinstance(exc, ExpressionError):
                    raise
                raise ExpressionError(f"cannot compute `{symbol}`: {exc}", offset) from None

        return run

    def _BoolOp(self, node: ast.BoolOp, depth: int) -> _Run:
        parts, offset = [self.node(v, depth) for v in node.values], self.at(node)
        word = "`and`" if isinstance(node.op, ast.And) else "`or`"
        want = not isinstance(node.op, ast.And)  # `and` stops at the first false, `or` at the first true

        def run(scope: dict, ev: Evaluation) -> Any:
            ev.spend(1, offset)
            for part in parts:
                if bool(_scalar(part(scope, ev), word, offset)) == want:
                    return want
            return not want

        return run

    def _Compare(self, node: ast.Compare, depth: int) -> _Run:
        for op in node.ops:
            if type(op) not in _COMPARE:
                raise ExpressionError("only < <= > >= == != compare values (no `in` or `is`)", self.at(node))
        parts = [self.node(node.left, depth)] + [self.node(c, depth) for c in node.comparators]
        symbols, offset = [_COMPARE[type(op)] for op in node.ops], self.at(node)

        def run(scope: dict, ev: Evaluation) -> Any:
            left = parts[0](scope, ev)
            result: Any = True
            for symbol, part in zip(symbols, parts[1:]):
                right = part(scope, ev)
                ev.spend(_cost(left) + _cost(right), offset)
                outcome = _compare(symbol, left, right, offset)
                result = outcome if result is True else _logical_and(result, outcome, offset)
                left = right
            return result

        return run

    def _IfExp(self, node: ast.IfExp, depth: int) -> _Run:
        test, body, orelse = self.node(node.test, depth), self.node(node.body, depth), self.node(node.orelse, depth)
        offset = self.at(node)

        def run(scope: dict, ev: Evaluation) -> Any:
            ev.spend(1, offset)
            return body(scope, ev) if _scalar(test(scope, ev), "a condition", offset) else orelse(scope, ev)

        return run

    def _List(self, node: ast.List, depth: int) -> _Run:
        items, offset = [self.node(item, depth) for item in node.elts], self.at(node)
        item_offsets = [self.at(item) for item in node.elts]

        def run(scope: dict, ev: Evaluation) -> Any:
            ev.spend(len(items) + 1, offset)
            values = [_scalar(item(scope, ev), "a list item", at) for item, at in zip(items, item_offsets)]
            return np.array(values, dtype=np.float64)

        return run

    def _Subscript(self, node: ast.Subscript, depth: int) -> _Run:
        target, offset = self.node(node.value, depth), self.at(node)
        if isinstance(node.slice, ast.Slice):
            bounds = [None if part is None else self.node(part, depth)
                      for part in (node.slice.lower, node.slice.upper, node.slice.step)]

            def run(scope: dict, ev: Evaluation) -> Any:
                vector = _vector(target(scope, ev), "slicing", offset)
                lower, upper, step = (None if b is None else _integer(b(scope, ev), "a slice bound", offset)
                                      for b in bounds)
                if step == 0:
                    raise ExpressionError("a slice step cannot be zero", offset)
                ev.spend(len(vector), offset)
                return vector[lower:upper:step].copy()

            return run
        index = self.node(node.slice, depth)

        def run(scope: dict, ev: Evaluation) -> Any:
            vector = _vector(target(scope, ev), "indexing", offset)
            position = _integer(index(scope, ev), "an index", offset)
            ev.spend(1, offset)
            if not -len(vector) <= position < len(vector):
                raise ExpressionError(
                    f"index {position} is out of range for a vector of {len(vector)} (indexes start at 0)", offset)
            return float(vector[position])

        return run

    @staticmethod
    def _call_one(name: str, implementation: Callable[..., Any], arg: _Run, offset: int) -> _Run:
        """The common case, a call with one argument, without building lists of arguments."""

        def run(scope: dict, ev: Evaluation) -> Any:
            value = arg(scope, ev)
            ev.steps += len(value) + 1 if type(value) is np.ndarray else 2
            if ev.steps >= ev.next_check:
                ev.checkpoint(offset)
            return _apply(name, implementation, (value,), {}, offset)

        return run

    def _Call(self, node: ast.Call, depth: int) -> _Run:
        offset = self.at(node)
        if not isinstance(node.func, ast.Name):
            if isinstance(node.func, ast.Attribute):
                raise ExpressionError(_REFUSED[ast.Attribute], self.at(node.func))
            raise ExpressionError("only the listed functions can be called, by name", offset)
        name = node.func.id
        function = FUNCTIONS.get(name)
        if function is None:
            close = difflib.get_close_matches(name, list(FUNCTIONS), n=3)
            hint = f"; did you mean {' or '.join(close)}?" if close else " (see the list of functions in the README)"
            raise ExpressionError(f"unknown function `{name}`{hint}", offset)
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise ExpressionError(_REFUSED[ast.Starred], self.at(arg))
        keywords = {}
        for keyword in node.keywords:
            if keyword.arg is None:
                raise ExpressionError("`**` arguments are not allowed", offset)
            if keyword.arg not in function.keywords:
                allowed = f"; it takes {', '.join(f'{k}=' for k in function.keywords)}" if function.keywords else ""
                raise ExpressionError(f"{name}() has no argument `{keyword.arg}=`{allowed}", offset)
            keywords[keyword.arg] = self.node(keyword.value, depth)
        if not function.low <= len(node.args) <= function.high:
            count = (f"{function.low}" if function.low == function.high
                     else f"{function.low} to {function.high}" if function.high < 99 else f"at least {function.low}")
            raise ExpressionError(f"{name}() takes {count} argument{'s' * (count != '1')}, got {len(node.args)}",
                                  offset)
        args = [self.node(arg, depth) for arg in node.args]
        implementation = function.run
        if len(args) == 1 and not keywords:
            return self._call_one(name, implementation, args[0], offset)

        def run(scope: dict, ev: Evaluation) -> Any:
            values = [arg(scope, ev) for arg in args]
            options = {key: part(scope, ev) for key, part in keywords.items()}
            ev.spend(1 + sum(_cost(v) for v in values), offset)
            return _apply(name, implementation, values, options, offset)

        return run


def _apply(name: str, implementation: Callable[..., Any], values: Any, options: dict[str, Any], offset: int) -> Any:
    """Call a listed function; its failures become content errors at the call."""
    try:
        result = implementation(*values, **options)
    except ExpressionError as exc:
        raise ExpressionError(f"{name}(): {exc.message}", offset) from None
    except OverflowError:  # its text is the C library's: "(34, 'Numerical result out of range')"
        raise ExpressionError(f"{name}(): a number overflows (too large for a float)", offset) from None
    except (ValueError, TypeError, ArithmeticError) as exc:
        raise ExpressionError(f"{name}(): {exc}", offset) from None
    return _checked(result, offset)


# --- values and operations -------------------------------------------------------------------------


def _cost(value: Any) -> int:
    return len(value) if type(value) is np.ndarray else 1


def _checked(value: Any, offset: int) -> Any:
    """Every value is finite and within size: overflow is refused where it happens."""
    kind = type(value)
    if kind is float:
        if not math.isfinite(value):
            raise ExpressionError(_not_finite(value), offset)
        return value
    if kind is int:
        if value.bit_length() > MAX_INT_BITS:
            raise ExpressionError(too_large_number(value), offset)
        return value
    if kind is np.ndarray:
        if value.ndim != 1:
            raise ExpressionError("only flat vectors are supported", offset)
        if len(value) > MAX_VECTOR:
            raise ExpressionError(f"vector too long ({len(value):,} entries; the limit is {MAX_VECTOR:,})", offset)
        if value.dtype != np.float64:
            value = value.astype(np.float64)
        # numpy's reductions cost microseconds of overhead; short vectors are checked faster in Python
        finite = all(map(math.isfinite, value.tolist())) if len(value) < _SHORT else np.isfinite(value).all()
        if not finite:
            bad = value[~np.isfinite(value)][0]
            raise ExpressionError(_not_finite(float(bad)), offset)
        return value
    if kind is bool:
        return value
    if isinstance(value, np.generic):
        return _checked(value.item(), offset)
    raise ExpressionError(f"unexpected value of type {kind.__name__}", offset)


def _not_finite(value: float) -> str:
    return "result is not a number (e.g. 0/0 or inf - inf)" if math.isnan(value) else "result overflows (infinite)"


def _scalar(value: Any, what: str, offset: int) -> Scalar:
    if type(value) is np.ndarray:
        raise ExpressionError(f"{what} must be a single number, not a vector", offset)
    return value


def _vector(value: Any, what: str, offset: int) -> np.ndarray:
    if type(value) is not np.ndarray:
        raise ExpressionError(f"{what} needs a vector, got the number {short_repr(value)}", offset)
    return value


def _integer(value: Any, what: str, offset: int) -> int:
    value = _scalar(value, what, offset)
    if isinstance(value, float):
        if not value.is_integer():
            raise ExpressionError(f"{what} must be a whole number, got {short_repr(value)}", offset)
        return int(value)
    return int(value)


def _same_length(a: Any, b: Any, offset: int) -> None:
    if type(a) is np.ndarray and type(b) is np.ndarray and len(a) != len(b):
        raise ExpressionError(f"vectors of different lengths ({len(a)} and {len(b)})", offset)


def _add(a: Any, b: Any, offset: int) -> Any:
    _same_length(a, b, offset)
    return _checked(a + b, offset)


def _sub(a: Any, b: Any, offset: int) -> Any:
    _same_length(a, b, offset)
    return _checked(a - b, offset)


def _mul(a: Any, b: Any, offset: int) -> Any:
    _same_length(a, b, offset)
    return _checked(a * b, offset)


def _no_zero(b: Any, offset: int) -> None:
    if (b == 0).any() if type(b) is np.ndarray else b == 0:
        raise ExpressionError("division by zero", offset)


def _div(a: Any, b: Any, offset: int) -> Any:
    _same_length(a, b, offset)
    _no_zero(b, offset)
    try:
        return _checked(a / b, offset)
    except OverflowError:
        raise ExpressionError(_not_finite(math.inf), offset) from None


def _floordiv(a: Any, b: Any, offset: int) -> Any:
    _same_length(a, b, offset)
    _no_zero(b, offset)
    if type(a) is np.ndarray or type(b) is np.ndarray:
        return _checked(np.floor_divide(a, b), offset)
    return _checked(a // b, offset)


def _mod(a: Any, b: Any, offset: int) -> Any:
    _same_length(a, b, offset)
    _no_zero(b, offset)
    if type(a) is np.ndarray or type(b) is np.ndarray:
        return _checked(np.mod(a, b), offset)
    return _checked(a % b, offset)


def _pow(a: Any, b: Any, offset: int) -> Any:
    _same_length(a, b, offset)
    if type(a) is np.ndarray or type(b) is np.ndarray:
        base, exponent = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        if ((base == 0) & (exponent < 0)).any():
            raise ExpressionError("division by zero (0 to a negative power)", offset)
        if ((base < 0) & (exponent != np.round(exponent))).any():
            raise ExpressionError("a negative number to a fractional power", offset)
        return _checked(np.power(base, exponent), offset)
    if a == 0 and b < 0:
        raise ExpressionError("division by zero (0 to a negative power)", offset)
    if isinstance(a, int) and isinstance(b, int) and b >= 0:
        if abs(a) > 1 and b * math.log2(abs(a)) > MAX_INT_BITS:
            raise ExpressionError(f"power too large: {short_repr(a)}**{short_repr(b)} is over {LARGEST_NUMBER}", offset)
        return _checked(a**b, offset)
    if a < 0 and not float(b).is_integer():
        raise ExpressionError("a negative number to a fractional power", offset)
    try:
        return _checked(math.pow(a, b), offset)
    except OverflowError:
        raise ExpressionError(f"power too large: {short_repr(a)}**{short_repr(b)} overflows", offset) from None


_OPERATIONS: dict[str, Callable[[Any, Any, int], Any]] = {
    "+": _add, "-": _sub, "*": _mul, "/": _div, "//": _floordiv, "%": _mod, "**": _pow,
}

_COMPARISONS = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
}


def _compare(symbol: str, a: Any, b: Any, offset: int) -> Any:
    _same_length(a, b, offset)
    result = _COMPARISONS[symbol](a, b)
    return result.astype(np.float64) if type(result) is np.ndarray else bool(result)


def _logical_and(a: Any, b: Any, offset: int) -> Any:
    if type(a) is np.ndarray or type(b) is np.ndarray:
        _same_length(a, b, offset)
        return np.logical_and(a, b).astype(np.float64)
    return a and b


# --- functions -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Function:
    run: Callable[..., Any]
    low: int
    high: int
    keywords: tuple[str, ...] = ()
    doc: str = ""


def _float_array(value: Any, what: str = "the argument") -> np.ndarray:
    if type(value) is np.ndarray:
        return value
    raise ExpressionError(f"{what} must be a vector, got the number {short_repr(value)}")


def _nonempty(value: Any) -> np.ndarray:
    vector = _float_array(value)
    if len(vector) == 0:
        raise ExpressionError("the vector is empty")
    return vector


def _elementwise(scalar: Callable[[float], float], vector: Callable[[np.ndarray], np.ndarray],
                 check: Callable[[np.ndarray], str | None] | None = None) -> Callable[[Any], Any]:
    def run(x: Any) -> Any:
        array = x if type(x) is np.ndarray else np.array([float(x)])
        if check is not None:
            problem = check(array)
            if problem:
                raise ExpressionError(problem)
        if type(x) is np.ndarray:
            return vector(x)
        return scalar(float(x))

    return run


def _domain(low_ok: Callable[[np.ndarray], np.ndarray], what: str) -> Callable[[np.ndarray], str | None]:
    def check(array: np.ndarray) -> str | None:
        bad = array[~low_ok(array)]
        return what.format(_show(float(bad[0]))) if bad.size else None

    return check


def _show(x: float) -> str:
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)  # 1e300 is not 301 digits


def _sigmoid_scalar(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _sigmoid_vector(x: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softmax(x: Any) -> np.ndarray:
    vector = _nonempty(x)
    e = np.exp(vector - vector.max())
    return e / e.sum()


def _exp_scalar(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        raise ExpressionError(f"exp({_show(x)}) overflows") from None


def _abs(x: Any) -> Any:
    return np.abs(x) if type(x) is np.ndarray else abs(x)


def _extreme(pick: Callable[..., Any], pairwise: Callable[..., np.ndarray]) -> Callable[..., Any]:
    def run(*values: Any) -> Any:
        if len(values) == 1:
            only = values[0]
            return float(pick(_nonempty(only).tolist())) if type(only) is np.ndarray else only
        if any(type(v) is np.ndarray for v in values):
            result = values[0]
            for value in values[1:]:
                _same_length(result, value, 0)
                result = pairwise(result, value)
            return result
        return pick(values)

    return run


def _sum(x: Any) -> Any:
    if type(x) is not np.ndarray:
        return x
    return math.fsum(x.tolist()) if len(x) < _SHORT else float(np.sum(x))


def _mean(x: Any) -> float:
    vector = _nonempty(x)
    return math.fsum(vector.tolist()) / len(vector) if len(vector) < _SHORT else float(np.mean(vector))


def _median(x: Any) -> float:
    return float(np.median(_nonempty(x)))


def _spread(kind: str) -> Callable[..., float]:
    def run(x: Any, ddof: Any = 0) -> float:
        vector = _nonempty(x)
        if isinstance(ddof, bool) or ddof not in (0, 1):
            raise ExpressionError(f"ddof must be 0 (population) or 1 (sample), got {short_repr(ddof)}")
        if len(vector) <= ddof:
            raise ExpressionError(f"ddof={int(ddof)} needs at least {int(ddof) + 1} values")
        if len(vector) < _SHORT:
            values = vector.tolist()
            center = math.fsum(values) / len(values)
            variance = math.fsum([(v - center) ** 2 for v in values]) / (len(values) - int(ddof))
        else:
            variance = float(np.var(vector, ddof=int(ddof)))
        return variance if kind == "var" else math.sqrt(variance)

    return run


def _round(x: Any, digits: Any = None) -> Any:
    if digits is None:
        return np.round(x) if type(x) is np.ndarray else int(np.round(float(x)))
    places = _integer(digits, "the number of digits", 0)
    if not -15 <= places <= 15:
        raise ExpressionError(f"round() keeps -15 to 15 digits, got {short_repr(places)}")
    return np.round(x, places) if type(x) is np.ndarray else float(np.round(float(x), places))


def _floor(x: Any) -> Any:
    return np.floor(x) if type(x) is np.ndarray else math.floor(x)


def _ceil(x: Any) -> Any:
    return np.ceil(x) if type(x) is np.ndarray else math.ceil(x)


def _len(x: Any) -> int:
    return len(_float_array(x))


def _dot(a: Any, b: Any) -> float:
    a, b = _float_array(a, "the first argument"), _float_array(b, "the second argument")
    if len(a) != len(b):
        raise ExpressionError(f"vectors of different lengths ({len(a)} and {len(b)})")
    return float(np.dot(a, b))


def _norm(x: Any, p: Any = 2) -> float:
    vector = _float_array(x)
    if isinstance(p, bool) or p not in (1, 2):
        raise ExpressionError(f"norm() computes the 1- or 2-norm, got p={short_repr(p)}")
    return float(np.abs(vector).sum() if p == 1 else np.sqrt(np.dot(vector, vector)))


def _sort(x: Any) -> np.ndarray:
    return np.sort(_float_array(x))


def _rank(x: Any) -> np.ndarray:
    vector = _float_array(x)
    if len(vector) < _SHORT:
        return np.array(_short_ranks(vector.tolist()), dtype=np.float64)
    from .auc import average_ranks

    return average_ranks(vector)



def _short_ranks(values: list[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank (what `solvers.average_ranks` computes, for short lists)."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in order[start:end + 1]:
            ranks[position] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def _clip(x: Any, low: Any, high: Any) -> Any:
    low, high = _scalar(low, "the lower bound", 0), _scalar(high, "the upper bound", 0)
    if low > high:
        raise ExpressionError(f"the lower bound {short_repr(low)} is above the upper bound {short_repr(high)}")
    return np.clip(x, low, high) if type(x) is np.ndarray else min(max(x, low), high)


def _cumsum(x: Any) -> np.ndarray:
    return np.cumsum(_float_array(x))


def _comb(n: Any, k: Any) -> int:
    n, k = _integer(n, "n", 0), _integer(k, "k", 0)
    if not 0 <= n <= MAX_COMB or k < 0:
        raise ExpressionError(f"comb(n, k) needs 0 <= n <= {MAX_COMB} and k >= 0, "
                              f"got n={short_repr(n)}, k={short_repr(k)}")
    return math.comb(n, k)


def _factorial(n: Any) -> int:
    n = _integer(n, "n", 0)
    if not 0 <= n <= MAX_FACTORIAL:
        raise ExpressionError(f"factorial(n) needs 0 <= n <= {MAX_FACTORIAL}, got {short_repr(n)}")
    return math.factorial(n)


def _labels(value: Any, what: str) -> np.ndarray:
    vector = _float_array(value, what)
    if not np.all(vector == np.round(vector)):
        raise ExpressionError(f"{what} must hold whole-number labels")
    return vector.astype(np.int64)


def _roc_auc(y_true: Any, y_score: Any) -> float:
    labels, scores = _labels(y_true, "y_true"), _float_array(y_score, "y_score")
    if len(labels) >= _SHORT or len(labels) != len(scores):
        from .auc import roc_auc

        return roc_auc(labels, scores)  # its checks and messages, and numpy for long vectors
    classes = sorted(set(labels.tolist()))
    if len(classes) != 2:
        raise ExpressionError(f"y_true needs exactly two classes, got {len(classes)}")
    positive = [label == classes[1] for label in labels.tolist()]
    ranks = _short_ranks(scores.tolist())
    n_pos = sum(positive)
    n_neg = len(positive) - n_pos
    rank_sum = math.fsum(rank for rank, is_positive in zip(ranks, positive) if is_positive)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def _prf(index: int) -> Callable[..., float]:
    def run(y_true: Any, y_pred: Any, beta: Any = 1.0) -> float:
        from .prf import precision_recall_fscore

        beta = _scalar(beta, "beta", 0)
        return precision_recall_fscore(_labels(y_true, "y_true"), _labels(y_pred, "y_pred"), beta=beta)[index]

    return run


def _class_weights(y: Any) -> np.ndarray:
    from .imbalance import balanced_class_weights

    return np.array(list(balanced_class_weights(_labels(y, "y")).values()), dtype=np.float64)


def _conv_output_size(h: Any, k: Any, stride: Any = 1, padding: Any = 0, dilation: Any = 1) -> int:
    from .conv import conv2d_output_size

    numbers = [_integer(v, name, 0) for v, name in
               ((h, "h"), (k, "k"), (stride, "stride"), (padding, "padding"), (dilation, "dilation"))]
    return conv2d_output_size(numbers[0], numbers[1], stride=numbers[2], padding=numbers[3], dilation=numbers[4])


def _positive(array: np.ndarray) -> np.ndarray:
    return array > 0


CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}

FUNCTIONS: dict[str, _Function] = {
    "abs": _Function(_abs, 1, 1, doc="absolute value"),
    "min": _Function(_extreme(min, np.minimum), 1, 99, doc="smallest entry of a vector, or of the arguments"),
    "max": _Function(_extreme(max, np.maximum), 1, 99, doc="largest entry of a vector, or of the arguments"),
    "sum": _Function(_sum, 1, 1, doc="sum of a vector"),
    "mean": _Function(_mean, 1, 1, doc="mean of a vector"),
    "median": _Function(_median, 1, 1, doc="median of a vector"),
    "var": _Function(_spread("var"), 1, 1, ("ddof",), doc="variance (ddof=0 population, ddof=1 sample)"),
    "std": _Function(_spread("std"), 1, 1, ("ddof",), doc="standard deviation (ddof=0 or 1)"),
    "sign": _Function(_elementwise(lambda x: float(np.sign(x)), np.sign), 1, 1, doc="-1, 0 or 1"),
    "sqrt": _Function(_elementwise(math.sqrt, np.sqrt, _domain(lambda a: a >= 0,
                                                               "square root of a negative number ({})")), 1, 1),
    "exp": _Function(_elementwise(_exp_scalar, np.exp), 1, 1),
    "log": _Function(_elementwise(math.log, np.log, _domain(_positive, "log of {} (it needs a positive number)")),
                     1, 1, doc="natural logarithm"),
    "log2": _Function(_elementwise(math.log2, np.log2, _domain(_positive, "log2 of {} (it needs a positive number)")),
                      1, 1),
    "log10": _Function(_elementwise(math.log10, np.log10,
                                    _domain(_positive, "log10 of {} (it needs a positive number)")), 1, 1),
    "sigmoid": _Function(_elementwise(_sigmoid_scalar, _sigmoid_vector), 1, 1, doc="1 / (1 + exp(-x))"),
    "softmax": _Function(_softmax, 1, 1, doc="softmax of a vector"),
    "tanh": _Function(_elementwise(math.tanh, np.tanh), 1, 1),
    "relu": _Function(_elementwise(lambda x: max(x, 0.0), lambda v: np.maximum(v, 0.0)), 1, 1),
    "round": _Function(_round, 1, 2, doc="round(x) or round(x, digits), half to even"),
    "floor": _Function(_floor, 1, 1),
    "ceil": _Function(_ceil, 1, 1),
    "len": _Function(_len, 1, 1, doc="number of entries of a vector"),
    "dot": _Function(_dot, 2, 2, doc="dot product of two vectors"),
    "norm": _Function(_norm, 1, 2, doc="norm(v) is the 2-norm; norm(v, 1) the 1-norm"),
    "sort": _Function(_sort, 1, 1, doc="a vector in ascending order"),
    "rank": _Function(_rank, 1, 1, doc="1-based ranks, ties sharing their average rank"),
    "clip": _Function(_clip, 3, 3, doc="clip(x, low, high)"),
    "cumsum": _Function(_cumsum, 1, 1, doc="running sums of a vector"),
    "comb": _Function(_comb, 2, 2, doc=f"binomial coefficient, n up to {MAX_COMB}"),
    "factorial": _Function(_factorial, 1, 1, doc=f"n!, n up to {MAX_FACTORIAL}"),
    "roc_auc": _Function(_roc_auc, 2, 2, doc="roc_auc(y_true, y_score), ties counted half"),
    "precision": _Function(_prf(0), 2, 2, doc="precision(y_true, y_pred) of the labels 0/1"),
    "recall": _Function(_prf(1), 2, 2, doc="recall(y_true, y_pred)"),
    "f1": _Function(_prf(2), 2, 2, doc="f1(y_true, y_pred)"),
    "fbeta": _Function(_prf(2), 2, 2, ("beta",), doc="fbeta(y_true, y_pred, beta=2)"),
    "class_weights": _Function(_class_weights, 1, 1, doc="balanced class weights, in sorted label order"),
    "conv_output_size": _Function(_conv_output_size, 2, 5,
                                  doc="conv_output_size(h, k, stride, padding, dilation)"),
}
