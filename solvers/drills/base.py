"""What a coding drill is: inputs, a reference, a comparison, a model solution.

A :class:`Drill` says everything needed to grade a user's function without trusting it: fixed edge
cases and a seeded random-input generator, the reference implementation (one of the solvers, proven
against scikit-learn and torch in tests/oracle), how close an answer must be, how to make a failing
input smaller, and optionally the expected growth of the running time. Content files only name a
drill; the checking itself happens in :mod:`solvers.drills.harness`, in a separate process.

A *case* is a dict of argument name to value, in the order of :attr:`Drill.params`; the user's
function is called with the values positionally.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "Case",
    "Complexity",
    "Drill",
    "N_LOG_N",
    "LINEAR",
    "compare_close",
    "compare_exact_int",
    "show",
    "show_case",
]

Case = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Complexity:
    """The expected growth of the running time, checked by timing the function at n and ``factor`` * n.

    ``make(rng, n)`` builds a case of size ``n``; ``growth(n)`` is the cost model. The harness doubles n
    from ``start`` until one call takes tens of milliseconds (the larger size staying within
    ``largest``), then compares the time at ``factor`` * n with :meth:`expected_ratio`. ``required``:
    the task states this complexity, so a function whose time grows clearly faster fails; otherwise
    it passes with a warning.
    """

    label: str
    growth: Callable[[int], float]
    make: Callable[[np.random.Generator, int], Case]
    start: int = 1_000
    factor: int = 8
    largest: int = 1 << 22
    required: bool = False

    def expected_ratio(self, n: int) -> float:
        """How many times longer a call with ``factor`` * n inputs should take than one with n."""
        return self.growth(self.factor * n) / self.growth(n)


def _n_log_n(n: int) -> float:
    return n * math.log2(n)


def _linear(n: int) -> float:
    return float(n)


N_LOG_N = ("O(n log n)", _n_log_n)
LINEAR = ("O(n)", _linear)


def compare_close(rtol: float = 1e-6, atol: float = 1e-9) -> Callable[[object, object], str | None]:
    """A comparison: None when ``got`` matches ``expected`` elementwise within the tolerance, else why not.

    ``expected`` may be a number, an array, a tuple or list of those, or a dict of them; ``got`` must
    have the same structure (any sequence for a tuple, any mapping for a dict).
    """

    def compare(expected: object, got: object) -> str | None:
        return _mismatch(expected, got, "", rtol, atol)

    compare.tolerance = f"within a relative {rtol:g} or an absolute {atol:g}"  # type: ignore[attr-defined]
    return compare


def compare_exact_int(expected: object, got: object) -> str | None:
    """Equal to the integer ``expected`` (an int, or a float with an integral value)."""
    if isinstance(got, bool) or not isinstance(got, (int, float, np.integer, np.floating)):
        return f"returned {_type_name(got)}, expected an integer"
    if not math.isfinite(float(got)) or float(got) != int(expected):  # type: ignore[call-overload]
        return f"expected {expected}, got {show(got)}"
    return None


compare_exact_int.tolerance = "exactly"  # type: ignore[attr-defined]


def _type_name(value: object) -> str:
    if value is None:
        return "None (a missing `return`?)"
    return f"a {type(value).__name__}"


def _mismatch(expected: object, got: object, where: str, rtol: float, atol: float) -> str | None:
    at = f" at {where}" if where else ""
    if isinstance(expected, Mapping):
        if not isinstance(got, Mapping):
            return f"returned {_type_name(got)}{at}, expected a dict"
        got_keys = {_plain(k): v for k, v in got.items()}
        want_keys = {_plain(k) for k in expected}
        if set(got_keys) != want_keys:
            return f"keys{at}: expected {sorted(want_keys, key=repr)}, got {sorted(got_keys, key=repr)}"
        for key, value in expected.items():
            problem = _mismatch(value, got_keys[_plain(key)], f"{where}[{_plain(key)!r}]", rtol, atol)
            if problem:
                return problem
        return None
    if isinstance(expected, (tuple, list)) and not _is_numeric_list(expected):
        if isinstance(got, (str, bytes)) or not isinstance(got, Sequence) and not isinstance(got, np.ndarray):
            return f"returned {_type_name(got)}{at}, expected {len(expected)} values"
        if len(got) != len(expected):
            return f"returned {len(got)} values{at}, expected {len(expected)}"
        for index, (want, have) in enumerate(zip(expected, got)):
            problem = _mismatch(want, have, f"{where}[{index}]", rtol, atol)
            if problem:
                return problem
        return None
    return _array_mismatch(np.asarray(expected, dtype=np.float64), got, where, rtol, atol)


def _is_numeric_list(value: Sequence[object]) -> bool:
    return all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in value)


_SCALARS = (int, float, np.integer, np.floating)


def _array_mismatch(want: np.ndarray, got: object, where: str, rtol: float, atol: float) -> str | None:
    at = f" at {where}" if where else ""
    if want.ndim == 0 and isinstance(got, _SCALARS) and not isinstance(got, bool):  # the common case, fast
        a, b = float(got), float(want)
        if math.isfinite(a) and abs(a - b) <= atol + rtol * abs(b):
            return None
    if got is None or isinstance(got, (str, bytes, dict)):
        return f"returned {_type_name(got)}{at}, expected {'a number' if want.ndim == 0 else 'an array'}"
    try:
        have = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return f"returned {_type_name(got)}{at}, which is not a number or an array of numbers"
    if have.shape != want.shape and not (want.ndim == 0 and have.shape == (1,)):
        return f"shape{at}: expected {want.shape}, got {have.shape}"
    have = have.reshape(want.shape)
    bad = ~np.isclose(have, want, rtol=rtol, atol=atol, equal_nan=False)
    if not bad.any():
        return None
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    spot = where + ("[" + ", ".join(map(str, index)) + "]" if index else "")
    return f"{'at ' + spot + ': ' if spot else ''}expected {show(float(want[index]))}, got {show(float(have[index]))}"


def _plain(key: object) -> object:
    return key.item() if isinstance(key, np.generic) else key


# --- showing values ---------------------------------------------------------------------------------

MAX_SHOWN = 2_000


def show(value: object) -> str:
    """Python source for ``value`` that a user can paste (numpy arrays as ``np.array([...])``)."""
    text = _show(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 15] + " ... (cut)"


def _show(value: object) -> str:
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return _show(value.item())
        if value.size > _SUMMARISED:
            compact = _show_repeated(value)
            if compact:
                return compact
        body = np.array2string(value, separator=", ", threshold=_SUMMARISED, max_line_width=10_000,
                               floatmode="maxprec", precision=10)
        return f"np.array({' '.join(body.split())})"
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return _show_float(float(value))
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_show(k)}: {_show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple):
        inner = ", ".join(_show(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if value is None:
        return "None"
    text = repr(value)
    return text if len(text) <= 200 else text[:185] + " ... (cut)"


_SUMMARISED = 200  # numpy shows a larger array with "..." in it, which is not Python to paste


def _show_repeated(value: np.ndarray) -> str | None:
    """A large array whose rows repeat one value along the last axis, as the call that builds it."""
    if value.dtype.kind not in "biuf":
        return None
    if (value == value.flat[0]).all():
        return f"np.full({value.shape}, {_show(value.flat[0])})"
    first = value[..., :1]
    if not np.array_equal(value, np.broadcast_to(first, value.shape)):
        return None
    return f"np.repeat({_show(first)}, {value.shape[-1]}, axis=-1)"


def _show_float(x: float) -> str:
    if not math.isfinite(x):
        return {math.inf: "inf", -math.inf: "-inf"}.get(x, "nan")
    text = f"{x:.10g}"
    return text if any(c in text for c in ".en") else text + ".0"


def show_case(function: str, case: Mapping[str, object]) -> str:
    """The case as assignments and a call: what the user pastes into a shell to reproduce it."""
    lines = [f"{name} = {show(value)}" for name, value in case.items()]
    lines.append(f"{function}({', '.join(case)})")
    return "\n".join(lines)


# --- the drill ----------------------------------------------------------------------------------------


def _always(case: Case) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Drill:
    """One coding drill; see the module docstring.

    ``rows`` names the array arguments that share their first axis (the samples): the shrinker drops
    rows from all of them together. ``valid`` rejects shrunk cases the task does not allow (a single
    class for AUC). ``solution`` is the readable model solution, a complete module. ``explain(case)``,
    when given, says what makes a failing case hard (a product that underflows), or None.
    """

    name: str
    topic: str
    title: str
    function: str
    params: tuple[str, ...]
    reference: Callable[..., object]
    edge_cases: tuple[Case, ...]
    generate: Callable[[np.random.Generator], Case]
    solution: str
    compare: Callable[[object, object], str | None] = field(default_factory=compare_close)
    rows: tuple[str, ...] = ()
    valid: Callable[[Case], bool] = _always
    complexity: Complexity | None = None
    time_limit: float = 5.0
    explain: Callable[[Case], str | None] | None = None

    @property
    def tolerance(self) -> str:
        return str(getattr(self.compare, "tolerance", "as the reference"))

    def solution_for(self, function: str) -> str:
        """The model solution with its function renamed to ``function`` (a card may pick its own name)."""
        if function == self.function:
            return self.solution
        return self.solution.replace(f"def {self.function}(", f"def {function}(", 1)

    def expected(self, case: Case) -> object:
        return self.reference(*case.values())

    def shrink(self, case: Case) -> Iterator[Case]:
        """Smaller or simpler cases to try in place of ``case``, the most promising first."""
        yield from _drop_rows(case, self.rows)
        yield from _drop_list_items(case)
        yield from _smaller_ints(case)
        yield from _simplify_floats(case)


def _drop_rows(case: Case, rows: tuple[str, ...]) -> Iterator[Case]:
    if not rows:
        return
    n = len(case[rows[0]])
    if n <= 1:
        return
    keeps = [np.arange(n // 2), np.arange(n // 2, n)]  # halves first: big steps while they work
    keeps += [np.delete(np.arange(n), i) for i in range(n)]
    for keep in keeps:
        smaller = dict(case)
        for name in rows:
            smaller[name] = np.asarray(case[name])[keep]
        yield smaller


def _drop_list_items(case: Case) -> Iterator[Case]:
    """For an argument that is a list (of arrays), the case without one of its items."""
    for name, value in case.items():
        if isinstance(value, list) and len(value) > 1:
            for i in range(len(value)):
                yield {**case, name: value[:i] + value[i + 1:]}


def _smaller_ints(case: Case) -> Iterator[Case]:
    """For an integer argument, the case with a smaller value: 0, 1, half of it, one less."""
    for name, value in case.items():
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            for smaller in sorted({0, 1, value // 2, value - 1} - {value}):
                yield {**case, name: smaller}


def _simplify_floats(case: Case) -> Iterator[Case]:
    """The same case with its floats rounded: first to integers, then to one decimal."""
    for decimals in (0, 1):
        simpler = {name: _rounded(value, decimals) for name, value in case.items()}
        if any(not _same(simpler[name], case[name]) for name in case):
            yield simpler


def _rounded(value: object, decimals: int) -> object:
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return np.round(value, decimals) + 0.0
    if isinstance(value, float):
        return round(value, decimals) + 0.0
    if isinstance(value, list):
        return [_rounded(v, decimals) for v in value]
    return value


def _same(a: object, b: object) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(a, b))
    return a == b
