"""Sync files written by a hostile or broken device: a forged line is skipped with file:line and what is
wrong, never a traceback, and the entries around it are still imported."""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest

from quizapp.config import Settings
from quizapp.study.clock import to_ms
from quizapp.study.scheduling import card_id_for
from quizapp.study.store import NewReview, Store
from quizapp.study import sync as sync_module
from quizapp.study.sync import FOLDER, device_id, sync
from tests.study_helpers import START

T0 = to_ms(START)
GOOD = {"v": 1, "device": "dev1", "type": "review", "key": "t/x", "time": "2026-03-02T09:00:00.000Z",
        "rating": 3, "mode": "review"}


@pytest.fixture
def store(tmp_path: Path):
    opened = Store.open(tmp_path / "data")
    yield opened
    opened.close()


def write_lines(tmp_path: Path, *lines: dict | bytes) -> Path:
    folder = tmp_path / "Sync"
    (folder / FOLDER).mkdir(parents=True, exist_ok=True)
    data = b"".join(line if isinstance(line, bytes) else json.dumps(line).encode() + b"\n" for line in lines)
    (folder / FOLDER / "dev1.jsonl").write_bytes(data)
    return folder


def sync_lines(tmp_path: Path, store: Store, *lines: dict | bytes):
    return sync(store, tmp_path / "data", write_lines(tmp_path, *lines), Settings(), now_ms=T0)


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


def test_an_over_long_line_is_skipped_without_being_read_into_memory(tmp_path: Path, store: Store) -> None:
    folder = write_lines(tmp_path, {**GOOD, "id": "huge", "answer": "x" * 30_000_000},
                         {**GOOD, "id": "fine", "key": "t/y"})
    tracemalloc.start()
    try:
        report = sync(store, tmp_path / "data", folder, Settings(), now_ms=T0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000
    assert report.imported == 1 and store.card("t/y") is not None
    (problem,) = report.problems
    assert problem.startswith(f"{tmp_path / 'Sync' / FOLDER / 'dev1.jsonl'}:1: a line of 30,000")
    assert "longer than" in problem


def test_an_over_long_line_still_being_copied_waits(tmp_path: Path, store: Store) -> None:
    partial = json.dumps({**GOOD, "id": "huge", "answer": "x" * 3_000_000}).encode()[:-10]
    report = sync_lines(tmp_path, store, {**GOOD, "id": "fine"}, partial)
    assert report.imported == 1 and report.problems == ()


def test_one_sync_reads_a_bounded_amount_and_the_next_reads_on(tmp_path: Path, store: Store, monkeypatch) -> None:
    monkeypatch.setattr(sync_module, "_READ_AT_ONCE", 2_000)
    lines = [{**GOOD, "id": f"e{n}", "key": f"t/c{n}"} for n in range(40)]  # about 5,000 bytes
    first = sync_lines(tmp_path, store, *lines)
    assert 0 < first.imported < 40
    assert any("run `quizapp sync` again" in warning for warning in first.warnings)
    folder = tmp_path / "Sync"
    total = first.imported
    while total < 40:
        total += sync(store, tmp_path / "data", folder, Settings(), now_ms=T0).imported
    assert store.rows("SELECT COUNT(*) FROM review_log")[0][0] == 40


@pytest.mark.parametrize("replace", ["link", "pipe"])
def test_this_devices_file_replaced_by_a_link_or_a_pipe_is_never_opened(tmp_path: Path, store: Store,
                                                                        replace: str) -> None:
    # A git repository or Syncthing carries links: a sharer could swap this device's file for one to ~/.bashrc,
    # and every sync appended to it. Opening a named pipe to write waits for a reader: every sync hung.
    target = tmp_path / "bashrc"
    target.write_text("echo hi\n")
    folder = tmp_path / "Sync"
    (folder / FOLDER).mkdir(parents=True)
    own = folder / FOLDER / f"{device_id(tmp_path / 'data')}.jsonl"
    if replace == "link":
        own.symlink_to(target)
    else:
        os.mkfifo(own)
    store.record(NewReview("t/x", card_id_for("t/x"), 3, T0, 4000, "cram"), None)
    report = sync(store, tmp_path / "data", folder, Settings(), now_ms=T0)
    assert target.read_text() == "echo hi\n"
    assert report.exported == 0
    what = "a symbolic link" if replace == "link" else "not a regular file"
    assert any(f"{own} is {what}" in warning for warning in report.warnings)


def test_a_link_among_the_other_devices_files_is_not_read(tmp_path: Path, store: Store) -> None:
    elsewhere = tmp_path / "elsewhere.jsonl"
    elsewhere.write_text(json.dumps({**GOOD, "id": "linked"}) + "\n")
    folder = write_lines(tmp_path, {**GOOD, "id": "fine", "key": "t/y"})
    (folder / FOLDER / "dev2.jsonl").symlink_to(elsewhere)
    report = sync(store, tmp_path / "data", folder, Settings(), now_ms=T0)
    assert report.imported == 1 and store.card("t/x") is None
    assert any(f"{folder / FOLDER / 'dev2.jsonl'} is a symbolic link" in warning for warning in report.warnings)


def test_a_deeply_nested_line_is_skipped(tmp_path: Path, store: Store) -> None:
    report = sync_lines(tmp_path, store, b"[" * 100_000 + b"\n", {**GOOD, "id": "fine"})
    assert report.imported == 1
    (problem,) = report.problems
    assert problem.endswith(":1: not a JSON line (a damaged or half-copied entry); skipped")


def test_an_entry_dated_ahead_of_this_machine_waits_for_its_time(tmp_path: Path, store: Store) -> None:
    # Replay goes in time order: a review forged for 2199 would overrule every review made here until then
    day = 86_400_000
    ahead = {**GOOD, "id": "ahead", "time": "2026-03-04T09:00:00.000Z", "rating": 1}
    later = {**GOOD, "id": "later", "key": "t/y"}
    report = sync_lines(tmp_path, store, {**GOOD, "id": "fine"}, ahead, later)
    assert report.imported == 1
    (problem,) = report.problems
    assert problem.startswith(f"{tmp_path / 'Sync' / FOLDER / 'dev1.jsonl'}:2: dated 2026-03-04T09:00:00.000Z, "
                              "more than a day ahead of this machine's clock")
    folder = tmp_path / "Sync"
    assert sync(store, tmp_path / "data", folder, Settings(), now_ms=T0 + day // 2).imported == 0
    report = sync(store, tmp_path / "data", folder, Settings(), now_ms=T0 + 2 * day)
    assert report.imported == 2 and report.problems == ()
    assert store.card("t/x").last_review_ms == T0 + 2 * day and store.card("t/y") is not None
