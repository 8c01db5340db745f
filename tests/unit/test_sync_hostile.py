"""Sync files written by a hostile or broken device: a forged line is skipped with file:line and what is
wrong, never a traceback, and the entries around it are still imported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.config import Settings
from quizapp.study.clock import to_ms
from quizapp.study.store import Store
from quizapp.study.sync import FOLDER, sync
from tests.study_helpers import START

T0 = to_ms(START)
GOOD = {"v": 1, "device": "dev1", "type": "review", "key": "t/x", "time": "2026-03-02T09:00:00.000Z",
        "rating": 3, "mode": "review"}


@pytest.fixture
def store(tmp_path: Path):
    opened = Store.open(tmp_path / "data")
    yield opened
    opened.close()


def sync_lines(tmp_path: Path, store: Store, *lines: dict | bytes):
    folder = tmp_path / "Sync"
    (folder / FOLDER).mkdir(parents=True, exist_ok=True)
    data = b"".join(line if isinstance(line, bytes) else json.dumps(line).encode() + b"\n" for line in lines)
    (folder / FOLDER / "dev1.jsonl").write_bytes(data)
    return sync(store, tmp_path / "data", folder, Settings(), now_ms=T0)


@pytest.mark.parametrize("field, moment", [
    ("time", "9999-12-31T23:59:59.000Z"),  # the next due date is past the last date Python can hold
    ("time", "0001-01-01T00:00:00.000+23:59"),  # year 0 in UTC
    ("time", "1900-01-01T00:00:00.000Z"),
    ("due", "9999-12-31T23:59:59.000Z"),
])
def test_a_time_outside_the_years_quizapp_schedules_is_skipped(tmp_path: Path, store: Store, field: str,
                                                                moment: str) -> None:
    forged = {**GOOD, "id": "forged", field: moment}
    report = sync_lines(tmp_path, store, forged, {**GOOD, "id": "fine", "key": "t/y"})
    assert report.imported == 1
    (problem,) = report.problems
    assert problem.startswith(f"{tmp_path / 'Sync' / FOLDER / 'dev1.jsonl'}:1: '{field}' ")
    assert "between 1970 and 2200" in problem
    assert store.card("t/x") is None and store.card("t/y") is not None
