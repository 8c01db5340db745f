"""Check a user's code against a drill, in a separate Python process with limits.

The code runs under ``python -I`` (the same interpreter, numpy available) in a temporary working
folder, with no standard input, its output captured and cut, and limits on wall time, CPU time and
memory (RLIMIT_AS); the process is killed when it passes one. These limits guard against mistakes
(an endless loop, a huge allocation), not against an attacker: it is the user's own code on the
user's own machine.

The child (:mod:`solvers.drills.harness`) compares the results with the reference itself and
sends back plain JSON, so nothing the user's code made is ever unpickled here. No Textual in here:
the TUI calls :func:`check_code` from a worker thread and may cancel it with an event.
"""

from __future__ import annotations

import ast
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from quizapp.safetext import visible

__all__ = ["MEMORY_LIMIT", "Status", "Verdict", "check_code"]

MEMORY_LIMIT = 1 << 30  # RLIMIT_AS of the child: about 1 GiB
OUTPUT_KEEP = 4_000  # characters of the user's output kept for the verdict
OUTPUT_LIMIT = 1_000_000  # characters the user's code may print before it is stopped
STARTUP_LIMIT = 20.0  # seconds for the child to import numpy and the drill (slow on a loaded machine)
RANDOM_CASES = 200
TIMING_LIMIT = 8.0  # wall seconds for timing the growth after the cases pass (apart from the drill's time limit)
REPORT_OUTPUT = 1_500  # characters of output a report shows
_CUT_NOTE = re.compile(r"\n\.\.\. \(([\d,]+) more (?:characters|bytes) cut\)$")  # the end of an output already cut

Status = Literal["pass", "fail", "error", "timeout", "invalid"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of one check.

    ``status`` is pass, fail (``case`` is the smallest failing input found, with ``expected`` and
    ``got``), error (``message`` is the exception, ``line`` the line in the user's code), timeout,
    or invalid (a syntax error, a missing function, the wrong signature). ``warnings`` are about
    speed (a pass that grows faster than the drill's expected complexity). ``output`` is what the
    code printed, cut; ``seconds`` the time the code ran (process start and imports excluded).
    ``to_dict``/``from_dict`` store it as JSON next to the code.
    """

    status: Status
    message: str
    cases: int = 0
    total: int = 0
    case: str | None = None
    expected: str | None = None
    got: str | None = None
    line: int | None = None
    column: int | None = None
    source_line: str | None = None
    warnings: tuple[str, ...] = ()
    output: str = ""
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @property
    def exit_code(self) -> int:
        """For the CLI: 0 pass, 2 invalid, 1 anything else."""
        return {"pass": 0, "invalid": 2}.get(self.status, 1)

    @property
    def suggested_rating(self) -> int:
        """The FSRS rating to suggest: Good (3) after a pass, Again (1) otherwise."""
        return 3 if self.passed else 1

    @property
    def headline(self) -> str:
        """The verdict in one line, as plain text: the message may hold what the user's code raised or printed,
        so its control and bidi characters are written out (it is shown, logged and put in reports)."""
        where = f" (line {self.line})" if self.line else ""
        message = self.message
        if self.expected is not None and message == f"expected {self.expected}, got {self.got}":
            message = "a wrong result"  # the Expected/Got lines say the rest
        label = {"pass": "Pass", "fail": "Fail", "error": "Error", "timeout": "Timeout", "invalid": "Invalid"}
        return visible(f"{label[self.status]}{where}: {message}")

    def report(self) -> str:
        """The verdict as plain text, for a terminal or a widget (never markup)."""
        parts = [self.headline]
        if self.source_line:
            parts.append(f"    {self.source_line}")
        if self.case:
            label = "Smallest failing input:" if self.status == "fail" else "Input:"
            parts.append(label + "\n" + _indent(self.case))
        if self.expected is not None:
            parts.append(f"Expected: {self.expected}\nGot:      {self.got}")
        if self.status == "timeout" and self.total:
            parts.append(f"Stopped during case {self.cases + 1} of {self.total}.")
        elif self.cases and self.cases == self.total and self.status == "fail":
            parts.append(f"All {self.total} cases gave the right result.")
        elif self.cases and self.status in ("fail", "error"):
            parts.append(f"{self.cases} of {self.total} cases passed before this one.")
        parts.extend(f"Warning: {warning}" for warning in self.warnings)
        if self.output.strip():
            shown = self.output.rstrip()
            if len(shown) > REPORT_OUTPUT:
                shown = _cut_output(shown)
            parts.append("Output:\n" + _indent(shown))
        return visible("\n".join(parts))

    def to_dict(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.__slots__}
        data["warnings"] = list(self.warnings)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        known = {name: data[name] for name in cls.__slots__ if name in data}
        known["warnings"] = tuple(known.get("warnings", ()))
        return cls(**known)




def _cut_output(text: str) -> str:
    """The first REPORT_OUTPUT characters of the output and how many more there were, counting those the
    checking process had already cut (its note ends the text it kept)."""
    note = _CUT_NOTE.search(text)
    kept = text[: note.start()] if note else text
    earlier = int(note.group(1).replace(",", "")) if note else 0
    return kept[:REPORT_OUTPUT] + f"\n... ({max(len(kept) - REPORT_OUTPUT, 0) + earlier:,} more characters cut)"


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def check_code(
    source: str,
    checker: str,
    *,
    function: str | None = None,
    time_limit: float | None = None,
    seed: int = 0,
    random_cases: int = RANDOM_CASES,
    memory_limit: int = MEMORY_LIMIT,
    filename: str = "solution.py",
    cancel: threading.Event | None = None,
) -> Verdict:
    """Check ``source`` against the drill ``checker``.

    ``function`` is the name the code must define (default: the drill's), ``time_limit`` the seconds
    for all the cases (default: the drill's), ``seed`` picks the random cases. Setting ``cancel``
    stops the child and returns a timeout verdict saying so.

    Raises
    ------
    KeyError
        If there is no drill called ``checker``.
    """
    import solvers.drills.harness as harness
    from solvers.drills import get_drill

    drill = get_drill(checker)
    harness_path = Path(harness.__file__).resolve()
    function = function or drill.function
    limit = float(time_limit if time_limit is not None else drill.time_limit)
    problem = _syntax_problem(source, filename)
    if problem is not None:
        return problem
    with tempfile.TemporaryDirectory(prefix="quizapp-drill-") as tmp:
        folder = Path(tmp)
        work = folder / "work"
        work.mkdir()
        source_path = folder / filename
        source_path.write_text(source, encoding="utf-8")
        read_fd, write_fd = os.pipe()
        config = {
            "root": str(harness_path.parents[2]), "drill": drill.name, "function": function, "source_path": str(source_path),
            "display_name": filename, "seed": int(seed), "random_cases": int(random_cases), "time_limit": limit,
            "timing_limit": TIMING_LIMIT, "cpu_limit": limit + 1 + TIMING_LIMIT, "memory_limit": int(memory_limit), "output_keep": OUTPUT_KEEP,
            "output_limit": OUTPUT_LIMIT, "status_fd": write_fd,
        }
        config_path = folder / "config.json"
        config_path.write_text(json.dumps(config), encoding="utf-8")
        try:
            process = subprocess.Popen(
                [sys.executable, "-I", str(harness_path), str(config_path)],
                cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                pass_fds=(write_fd,), start_new_session=True, env=_child_env(),
            )
        finally:
            os.close(write_fd)
        return _Supervisor(process, read_fd, limit, cancel).verdict()


def _syntax_problem(source: str, filename: str) -> Verdict | None:
    """An invalid verdict for code that does not parse, found without starting a process."""
    try:
        ast.parse(source, filename=filename)
    except SyntaxError as exc:
        lines = source.splitlines()
        text = lines[exc.lineno - 1].strip() if exc.lineno and 0 < exc.lineno <= len(lines) else None
        return Verdict("invalid", f"SyntaxError: {exc.msg}", line=exc.lineno, column=exc.offset, source_line=text)
    except ValueError as exc:  # a NUL byte
        return Verdict("invalid", f"the code cannot be read: {exc}")
    except (MemoryError, RecursionError):  # Python's parser on `x = ------...1` or `1+1+...` thousands deep
        return Verdict("invalid", "the code is nested too deeply for Python to read: split the expression")
    return None


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = "1"  # one thread: fewer surprises under the memory limit, and fair timings
    return env


class _Supervisor:
    """Watches one child: its report pipe, its output, the clock and the cancel event."""

    def __init__(self, process: subprocess.Popen, report_fd: int, limit: float,
                 cancel: threading.Event | None) -> None:
        self.process = process
        self.limit = limit
        self.cancel = cancel
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.timing = threading.Event()  # the cases passed: the growth is being timed, on its own clock
        self.output = bytearray()
        self.output_total = 0
        self.started = time.monotonic()
        self.code_started: float | None = None  # when the user's code began to run (the limit counts from here)
        self.readers = [threading.Thread(target=self._read_report, args=(report_fd,), daemon=True),
                        threading.Thread(target=self._read_output, daemon=True)]
        for reader in self.readers:
            reader.start()

    def _read_report(self, fd: int) -> None:
        with os.fdopen(fd, "r", encoding="utf-8", errors="replace") as stream:
            for line in stream:
                self.lines.append(line.rstrip("\n"))
                if line.startswith("ready"):
                    self.ready.set()
                elif line.startswith("timing"):
                    self.timing.set()

    def _read_output(self) -> None:
        assert self.process.stdout is not None
        while chunk := self.process.stdout.read1(65536):
            self.output_total += len(chunk)
            if len(self.output) < OUTPUT_KEEP:
                self.output += chunk[: OUTPUT_KEEP - len(self.output)]
            if self.output_total > OUTPUT_LIMIT:
                self._kill()

    def verdict(self) -> Verdict:
        try:
            stopped = self._wait()
        finally:
            self._kill()
            self.process.wait()
            for reader in self.readers:
                reader.join(timeout=2)
            if self.process.stdout is not None:
                self.process.stdout.close()
        return stopped or self._from_report()

    def _wait(self) -> Verdict | None:
        """Wait for the child; a verdict if it had to be stopped, None if it ended by itself."""
        deadline = self.started + STARTUP_LIMIT
        counting = False  # the limit counts from the user's code, not from the imports
        timing = False
        while True:
            if self.process.poll() is not None:
                return None
            if self.cancel is not None and self.cancel.is_set():
                return self._timeout("the check was cancelled")
            now = time.monotonic()
            if self.ready.is_set() and not counting:
                deadline, counting = now + self.limit, True
                self.code_started = now
            if self.timing.is_set() and not timing:
                deadline, timing = now + TIMING_LIMIT + 1, True  # the child stops its timing before this
            if now >= deadline:
                if timing:
                    return self._timeout(f"timing its growth did not end within {TIMING_LIMIT:g} s (the cases had "
                                         "passed): a call on a large input that never stops?")
                if not self.ready.is_set():
                    return Verdict("error", f"the checking process did not start within {STARTUP_LIMIT:g} s")
                return self._timeout(f"did not finish within the {self.limit:g} s time limit: "
                                     "an endless loop, or a much slower algorithm?")
            try:
                self.process.wait(timeout=min(0.05, max(deadline - now, 0.001)))
            except subprocess.TimeoutExpired:
                pass

    def _timeout(self, message: str) -> Verdict:
        progress = [line for line in self.lines if line.startswith("case ")]
        cases = total = 0
        if progress:
            _, index, count = progress[-1].split()
            cases, total = int(index) - 1, int(count)
        since = self.code_started if self.code_started is not None else self.started
        return Verdict("timeout", message, cases=cases, total=total, output=self._output_text(),
                       seconds=round(time.monotonic() - since, 3))

    def _from_report(self) -> Verdict:
        results = [line[len("result "):] for line in self.lines if line.startswith("result ")]
        if results:
            data = json.loads(results[-1])
            output = data.get("output", "")
            extra = self._output_text()
            data["output"] = output + ("\n" if output and extra else "") + extra
            return Verdict.from_dict(data)
        code = self.process.returncode
        if self.output_total > OUTPUT_LIMIT:
            return Verdict("error", f"wrote more than {OUTPUT_LIMIT:,} bytes of output and was stopped",
                           output=self._output_text())
        if code is not None and code < 0 and -code in (signal.SIGXCPU, signal.SIGKILL):
            return self._timeout(f"used more than the {self.limit:g} s of CPU time allowed")
        how = f"signal {signal.Signals(-code).name}" if code is not None and code < 0 else f"exit code {code}"
        return Verdict("error", f"the checking process stopped with {how} before reporting a result",
                       output=self._output_text())

    def _output_text(self) -> str:
        text = self.output.decode("utf-8", errors="replace")
        if self.output_total > len(self.output):
            text += f"\n... ({self.output_total - len(self.output):,} more bytes cut)"
        return text

    def _kill(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session: children of the code go too
            except (ProcessLookupError, PermissionError):
                pass
