"""The child side of a drill check: run the user's function on the cases, compare, shrink, time.

Started by ``quizapp.drills.runner`` as ``python -I harness.py CONFIG.json`` in a temporary folder,
it limits its own memory and CPU time, loads the user's file, and reports on a pipe (the file
descriptor in the config) as text lines: ``ready`` before the user's code runs, ``case I N`` as it
goes, and one ``result {json}`` at the end. The result is plain JSON made of strings and numbers
formatted here, so the parent never unpickles or evaluates anything from this process.

Expected values are computed before the user's code is loaded, and every call gets fresh copies of
the arguments, so a function that changes its input in place cannot change the reference.
"""

from __future__ import annotations

import copy
import inspect
import io
import json
import math
import os
import signal
import sys
import time
import traceback
import types
from typing import Any

__all__ = ["main"]

SHRINK_CALLS = 400  # most calls spent on making a failing case smaller
COMPLEXITY_SLACK = 2.5  # too slow when the time grows this many times more than the expected ratio
TIMING_TARGET = 0.015  # CPU seconds of one call at the smaller size (n doubles until it takes this long)
REPEATS = 3  # calls at the smaller size; the fastest counts
LARGE_TRIES = 2  # calls at the larger size (while time is left): one within the limit passes


class OutputLimit(BaseException):
    """Raised inside the user's code when it prints too much (a BaseException: `except Exception` lets it by)."""


class TooSlow(BaseException):
    """Raised by the timer when a timed call uses more CPU time than its budget."""


class OutOfTime(BaseException):
    """Raised by the timer when the check's deadline comes during a timed call."""


class _Raised:
    """What :meth:`_Checker.call` returns when the function raised: the error's fields."""

    __slots__ = ("fields",)

    def __init__(self, fields: dict[str, Any]) -> None:
        self.fields = fields


class _BoundedOutput(io.TextIOBase):
    """sys.stdout and sys.stderr for the user's code: keeps the first `keep` characters, stops at `limit`."""

    def __init__(self, keep: int, limit: int) -> None:
        self.parts: list[str] = []
        self.kept = 0
        self.total = 0
        self.keep = keep
        self.limit = limit

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        self.total += len(text)
        if self.kept < self.keep:
            piece = text[: self.keep - self.kept]
            self.parts.append(piece)
            self.kept += len(piece)
        if self.total > self.limit:
            raise OutputLimit()
        return len(text)

    def text(self) -> str:
        body = "".join(self.parts)
        if self.total > self.kept:
            body += f"\n... ({self.total - self.kept:,} more characters cut)"
        return body


class _NoInput(io.TextIOBase):
    """sys.stdin: reading explains that the check gives no input."""

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        raise EOFError("the checks give your code no input: take the values as the function's arguments")

    readline = read


class _Report:
    def __init__(self, fd: int) -> None:
        self.stream = os.fdopen(fd, "w", buffering=1, encoding="utf-8")

    def line(self, text: str) -> None:
        self.stream.write(text + "\n")

    def result(self, **fields: Any) -> None:
        self.line("result " + json.dumps(fields))
        self.stream.close()


def _set_limits(memory: int, cpu_seconds: float) -> None:
    """Memory (address space), CPU time and no core files; a limit the system refuses (macOS and
    RLIMIT_AS) is skipped, and the parent's wall-clock limit still holds."""
    import resource

    cpu = max(1, math.ceil(cpu_seconds))
    for which, value in ((resource.RLIMIT_CORE, (0, 0)), (resource.RLIMIT_AS, (memory, memory)),
                         (resource.RLIMIT_CPU, (cpu, cpu + 1))):
        try:
            resource.setrlimit(which, value)
        except (ValueError, OSError):
            pass


def main(argv: list[str]) -> int:
    config = json.loads(open(argv[1], encoding="utf-8").read())
    sys.path.insert(0, config["root"])
    report = _Report(config["status_fd"])
    _set_limits(config["memory_limit"], config["cpu_limit"])

    import numpy as np

    from solvers.drills import get_drill

    drill = get_drill(config["drill"])
    rng = np.random.default_rng([config["seed"], 2026])
    cases = list(drill.edge_cases) + [drill.generate(rng) for _ in range(config["random_cases"])]
    cases = [case for case in cases if drill.valid(case)]
    expected = [drill.expected(fresh(case)) for case in cases]

    output = _BoundedOutput(config["output_keep"], config["output_limit"])
    checker = _Checker(drill, config, output, report)
    report.line("ready")
    started = time.monotonic()
    checker.deadline = started + config["time_limit"] * 0.95
    sys.stdin, sys.stdout, sys.stderr = _NoInput(), output, output
    try:
        fields = checker.run(cases, expected, rng)
    except OutputLimit:
        fields = {"status": "error", "message": f"printed more than {config['output_limit']:,} characters: "
                  "a print inside a loop? The output below is cut."}
    finally:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    fields.setdefault("cases", 0)
    fields["total"] = len(cases)
    fields["output"] = output.text()
    fields["seconds"] = round(time.monotonic() - started, 4)
    report.result(**fields)
    return 0


class _Checker:
    def __init__(self, drill: Any, config: dict[str, Any], output: _BoundedOutput, report: _Report) -> None:
        self.drill = drill
        self.function_name = config["function"]
        self.path = config["source_path"]
        self.display = config["display_name"]
        self.source = open(self.path, encoding="utf-8").read()
        self.report = report
        self.deadline = math.inf
        self.timing_limit = float(config.get("timing_limit", 8.0))
        self.function: Any = None

    # -- loading -------------------------------------------------------------------------------

    def load(self) -> dict[str, Any] | None:
        """Run the user's file; a problem as the result's fields, or None when the function is usable."""
        try:
            code = compile(self.source, self.display, "exec", dont_inherit=True)
        except SyntaxError as exc:
            return {"status": "invalid", "message": f"SyntaxError: {exc.msg}", "line": exc.lineno,
                    "column": exc.offset}
        module = types.ModuleType("solution")
        module.__file__ = self.display
        sys.modules["solution"] = module
        try:
            exec(code, module.__dict__)
        except MemoryError as exc:
            return self._memory_error(exc, None)
        except (Exception, SystemExit) as exc:
            return self._exception(exc, None, "while running the file's top level")
        function = module.__dict__.get(self.function_name)
        if function is None:
            defined = sorted(name for name, value in module.__dict__.items()
                             if inspect.isfunction(value) and value.__module__ == "solution")
            also = f"; it defines {', '.join(defined)}" if defined else ""
            return {"status": "invalid", "message": f"the code does not define `{self.function_name}`{also}"}
        if not callable(function):
            return {"status": "invalid", "message": f"`{self.function_name}` is a {type(function).__name__}, "
                    "not a function"}
        params = self.drill.params
        try:
            inspect.signature(function).bind(*params)
        except TypeError:
            return {"status": "invalid", "message": f"`{self.function_name}{_signature(function)}` cannot be "
                    f"called as {self.function_name}({', '.join(params)})"}
        except ValueError:
            pass  # no signature to read (a builtin): let the calls tell
        self.function = function
        return None

    # -- the cases -----------------------------------------------------------------------------

    def run(self, cases: list[dict], expected: list[object], rng: Any) -> dict[str, Any]:
        problem = self.load()
        if problem is not None:
            return problem
        for index, (case, want) in enumerate(zip(cases, expected)):
            self.report.line(f"case {index + 1} {len(cases)}")
            outcome = self.call(case)
            if isinstance(outcome, _Raised):
                return {**outcome.fields, "cases": index}
            reason = self.drill.compare(want, outcome)
            if reason:
                return {**self.shrunk_failure(case, want, outcome, reason), "cases": index}
        fields: dict[str, Any] = {"status": "pass", "cases": len(cases),
                                  "message": f"all {len(cases)} cases pass ({self.drill.tolerance})"}
        slow = self.complexity(rng)
        if slow and "warning" in slow:
            fields["warnings"] = [slow["warning"]]
        elif slow:
            fields.update(slow)
        return fields

    def call(self, case: dict) -> object:
        """The function's result on a copy of the case, or the error's fields if it raised."""
        try:
            return self.function(*fresh(list(case.values())))
        except MemoryError as exc:
            return _Raised(self._memory_error(exc, case))
        except (Exception, SystemExit) as exc:  # SystemExit: a stray exit() is the user's error, not the end
            return _Raised(self._exception(exc, case, ""))

    def shrunk_failure(self, case: dict, want: object, got: object, reason: str) -> dict[str, Any]:
        calls = 0
        improved = True
        while improved and calls < SHRINK_CALLS and time.monotonic() < self.deadline:
            improved = False
            for candidate in self.drill.shrink(case):
                if calls >= SHRINK_CALLS or time.monotonic() >= self.deadline:
                    break
                if not self.drill.valid(candidate):
                    continue
                try:
                    candidate_want = self.drill.expected(fresh(candidate))
                except (ValueError, ZeroDivisionError, FloatingPointError):
                    continue  # not an input the task allows
                calls += 1
                candidate_got = self.call(candidate)
                if isinstance(candidate_got, _Raised):
                    continue  # it raises there: a different problem, keep the wrong answer
                candidate_reason = self.drill.compare(candidate_want, candidate_got)
                if candidate_reason:
                    case, want, got, reason = candidate, candidate_want, candidate_got, candidate_reason
                    improved = True
                    break
        from solvers.drills.base import show, show_case

        note = self.drill.explain(case) if self.drill.explain else None
        if note:
            reason = f"{reason} ({note})"
        return {"status": "fail", "message": reason, "case": show_case(self.function_name, case),
                "expected": show(want), "got": show(got)}

    # -- complexity ----------------------------------------------------------------------------

    def complexity(self, rng: Any) -> dict[str, Any] | None:
        """The growth of the function's time: None when it is as expected (or cannot be measured),
        else the result's fields, a fail when the task requires the complexity and a warning otherwise.

        Robust on a busy machine: it counts CPU time (not wall time, which other processes stretch),
        times sizes n and 8n with n grown until one call takes tens of milliseconds, keeps the fastest
        of a few calls (noise only ever adds time), and compares the two sizes' ratio with the expected
        one, so the machine's speed cancels out. The limit is far above what an O(n log n) function
        reaches (a ratio of about 10) and far below an O(n^2) one's (about 64).
        """
        spec = self.drill.complexity
        if spec is None:
            return None
        self.report.line("timing")  # the cases are done: the timing has a clock of its own
        self.deadline = time.monotonic() + self.timing_limit * 0.9
        try:
            wall, cpu = time.monotonic(), time.process_time()
            n, small = self._smaller_size(spec, rng)
            busy = max((time.monotonic() - wall) / max(time.process_time() - cpu, 1e-3), 1.0)  # wall per CPU second
        except TooSlow:
            return self._too_slow(spec, f"one call with only {spec.start:,} inputs used more than a third of the "
                                  "time left")
        except (OutOfTime, Exception):
            return None  # it passed every case; an error on a large input is not ours to report here
        large_n = n * spec.factor
        limit = spec.expected_ratio(n) * COMPLEXITY_SLACK
        budget = max(small, 1e-4) * limit
        over = 0  # calls at the larger size stopped when they used the budget
        try:
            large_case = spec.make(rng, large_n)
            for _ in range(LARGE_TRIES):
                if self.deadline - time.monotonic() < 1.5 * busy * budget + 0.3:
                    break  # no time for another call: a C loop cannot be stopped, and the check must end in time
                try:
                    self.cpu_time(large_case, budget)
                    return None  # one call within the limit settles it: a slower one was noise
                except TooSlow:
                    over += 1
        except MemoryError:
            return self._too_slow(spec, f"with {large_n:,} inputs it ran out of memory (does it build an n x n table?)")
        except OutOfTime:
            pass
        except Exception:
            return None
        if over:
            tries = "" if over == 1 else f", in each of {over} tries"
            return self._too_slow(spec, f"going from {n:,} to {large_n:,} inputs made it more than {limit:.0f} times "
                                  f"slower (CPU time{tries}), where {spec.label} would be about "
                                  f"{spec.expected_ratio(n):.0f} times")
        if spec.required:
            return {"warning": f"its growth against {spec.label} is unchecked: no time was left to time it with "
                    f"{large_n:,} inputs (a busy machine?)"}
        return None

    def _smaller_size(self, spec: Any, rng: Any) -> tuple[int, float]:
        """The size n to compare with factor * n: doubled from ``spec.start`` until one call takes
        TIMING_TARGET of CPU time; with the fastest of REPEATS calls there."""
        n = spec.start
        case = spec.make(rng, n)
        small = self.cpu_time(case, (self.deadline - time.monotonic()) / 3)
        while small < TIMING_TARGET and 2 * n * spec.factor <= spec.largest:
            n *= 2
            case = spec.make(rng, n)
            small = self.cpu_time(case, (self.deadline - time.monotonic()) / 3)
        return n, min([small] + [self.cpu_time(case, math.inf) for _ in range(REPEATS - 1)])

    def _too_slow(self, spec: Any, why: str) -> dict[str, Any]:
        if spec.required:
            return {"status": "fail", "message": f"too slow: every case is right, but the task asks for "
                    f"{spec.label} and {why}. It would not scale, so it does not pass."}
        return {"warning": f"Expected {spec.label}: {why}. It passes, but it would not scale."}

    def cpu_time(self, case: dict, budget: float) -> float:
        """The CPU time of one call on ``case``; TooSlow once it uses more than ``budget`` CPU seconds,
        OutOfTime when the check's deadline comes first."""

        def too_slow(signum: int, frame: object) -> None:
            raise TooSlow()

        def out_of_time(signum: int, frame: object) -> None:
            raise OutOfTime()

        args = fresh(list(case.values()))
        wall = self.deadline - time.monotonic()
        if wall <= 0:
            raise OutOfTime()
        previous = signal.signal(signal.SIGPROF, too_slow), signal.signal(signal.SIGALRM, out_of_time)
        if math.isfinite(budget):
            signal.setitimer(signal.ITIMER_PROF, max(budget, 0.001))
        signal.setitimer(signal.ITIMER_REAL, wall)
        try:
            start = time.process_time()
            self.function(*args)
            return time.process_time() - start
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGPROF, previous[0])
            signal.signal(signal.SIGALRM, previous[1])

    # -- errors --------------------------------------------------------------------------------

    def _exception(self, exc: BaseException, case: dict | None, when: str) -> dict[str, Any]:
        line = self._user_line(exc)
        message = f"{type(exc).__name__}: {exc}"
        if len(message) > 500:
            message = message[:485] + " ... (cut)"
        fields: dict[str, Any] = {"status": "error", "message": message + (f" ({when})" if when else "")}
        if line is not None:
            fields["line"] = line
            lines = self.source.splitlines()
            if 0 < line <= len(lines):
                fields["source_line"] = lines[line - 1].strip()
        if case is not None:
            from solvers.drills.base import show_case

            fields["case"] = show_case(self.function_name, case)
        return fields

    def _memory_error(self, exc: MemoryError, case: dict | None) -> dict[str, Any]:
        fields = self._exception(exc, case, "")
        fields["message"] = ("MemoryError: the code asked for more memory than the check allows "
                             f"(about {_gib(self_limit())}); a huge array, or a list that never stops growing?")
        return fields

    def _user_line(self, exc: BaseException) -> int | None:
        line = None
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename == self.display:
                line = lineno  # the deepest frame in the user's file
        if line is None and isinstance(exc, SyntaxError) and exc.filename == self.display:
            line = exc.lineno
        return line


def fresh(value: Any) -> Any:
    """A copy that shares nothing mutable with ``value`` (arrays, lists, dicts); faster than deepcopy."""
    import numpy as np

    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list):
        return [fresh(v) for v in value]
    if isinstance(value, dict):
        return {k: fresh(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(fresh(v) for v in value)
    return value if isinstance(value, (int, float, str, bool, type(None), np.generic)) else copy.deepcopy(value)


def _signature(function: Any) -> str:
    try:
        return str(inspect.signature(function))
    except (TypeError, ValueError):
        return "(...)"


def self_limit() -> int:
    import resource

    return resource.getrlimit(resource.RLIMIT_AS)[0]


def _gib(n: int) -> str:
    return f"{n / 2**30:.1f} GiB" if n >= 2**30 else f"{n / 2**20:.0f} MiB"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
