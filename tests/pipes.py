"""A named pipe where a file was checked: a reader must refuse it, never wait for a writer on it."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

__all__ = ["call_without_waiting", "looks_regular_by_name"]

T = TypeVar("T")


def looks_regular_by_name(pipe: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`os.stat` of `pipe` by name says a regular file, as when the pipe was put there after the check."""
    real_stat = os.stat
    empty = pipe.with_name(pipe.name + ".regular")
    empty.write_bytes(b"")
    monkeypatch.setattr(os, "stat", lambda path, *a, **k: real_stat(empty if Path(path) == pipe else path, *a, **k))


def call_without_waiting(call: Callable[[], T], pipe: Path, seconds: float = 10) -> T:
    """What `call()` returns (or raises); the test fails if it waits on `pipe` for a writer instead."""
    outcome: list[tuple[bool, object]] = []

    def run() -> None:
        try:
            outcome.append((True, call()))
        except BaseException as exc:  # noqa: BLE001 - raised again in the test's thread
            outcome.append((False, exc))

    reader = threading.Thread(target=run, daemon=True)
    reader.start()
    reader.join(seconds)
    if reader.is_alive():
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))  # the writer it waits for, so the test ends
        reader.join()
        pytest.fail(f"reading {pipe.name} waited for a writer")
    returned, value = outcome[0]
    if not returned:
        raise value  # type: ignore[misc]
    return value  # type: ignore[return-value]
