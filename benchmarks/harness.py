"""What every benchmark shares: the result row, the run settings, and robust timing helpers.

A target is always a ratio: a figure against a peer measured in the same run (a minimal Textual app,
PyYAML's C loader, scikit-learn), or against the issue's absolute budget when there is no peer (the
store's milliseconds). Figures are medians over repeats, because the machine is shared and noisy.
"""

from __future__ import annotations

import gc
import statistics
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Config", "Result", "interleaved", "median", "per_second", "percentile", "timed"]

_OPS: dict[str, Callable[[float, float], bool]] = {
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
}


@dataclass(frozen=True)
class Config:
    quick: bool
    workdir: Path  # a temporary folder for decks and databases, removed after the run
    repeats: int

    def size(self, full: int, quick: int) -> int:
        return quick if self.quick else full


@dataclass
class Result:
    """One row of the table: `ratio op limit` is the target; `figure` is what was measured."""

    name: str
    figure: float | None
    unit: str
    ratio: float | None
    op: str
    limit: float
    target: str  # what the ratio is taken against, in words
    status: str = ""  # pass / FAIL / not implemented / error; filled in from the ratio when empty
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.status:
            self.status = "pass" if self.ratio is not None and _OPS[self.op](self.ratio, self.limit) else "FAIL"

    @property
    def ok(self) -> bool:
        return self.status == "pass"

    @classmethod
    def missing(cls, name: str, unit: str, op: str, limit: float, target: str, why: str) -> Result:
        """A target whose subject does not exist yet: a failing row that says so."""
        return cls(name, None, unit, None, op, limit, target, status="not implemented", details={"why": why})

    @classmethod
    def error(cls, name: str, exc: BaseException) -> Result:
        frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        where = f" at {frame.filename}:{frame.lineno} ({frame.name})" if frame else ""
        return cls(name, None, "", None, "<=", 0.0, "the benchmark itself failed", status="error",
                   details={"error": f"{type(exc).__name__}: {exc}{where}"})

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between the nearest ranks."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds one call takes (garbage collection held off during the call), and its result."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        value = function()
        return time.perf_counter() - start, value
    finally:
        gc.enable()


def interleaved(functions: dict[str, Callable[[], Any]], repeats: int) -> dict[str, list[float]]:
    """Time each function `repeats` times, taking turns, so a slow spell of the machine hits all alike."""
    samples: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            samples[name].append(timed(function)[0])
    return samples


def per_second(batch: Callable[[], None], calls: int, repeats: int,
               clock: Callable[[], float] = time.perf_counter) -> float:
    """Calls per second of `batch` (which makes `calls` calls), the median over about half of `repeats`.

    `clock=time.process_time` counts the CPU time of this process only, which a busy shared machine
    disturbs far less than the wall clock (for single-threaded work that does no I/O).
    """
    seconds = []
    for _ in range(max(1, repeats // 2)):
        start = clock()
        batch()
        seconds.append(clock() - start)
    return calls / median(seconds)
