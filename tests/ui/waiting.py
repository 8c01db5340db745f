"""Waiting for what a Textual app does in its own time (a Markdown widget's blocks, a screen pushed by a
worker, a timer's redraw), by a condition rather than a fixed sleep: a fixed sleep is too short on a busy CI
machine and too long everywhere else."""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["until"]


async def until(pilot, condition: Callable[[], object], timeout: float = 20.0) -> None:
    """Let the app run until `condition()` is true; fail the test if it is not within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out after {timeout:g} s waiting for {condition.__qualname__}"
        await pilot.pause(0.05)
