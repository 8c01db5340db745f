"""Real processes: SIGKILL at random moments loses no acknowledged review; two processes share a data dir."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

KILLS = 30


def make_deck(folder: Path, cards: int = 400) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = "\n".join(f"  - {{id: c{i}, type: flashcard, front: q{i}, back: a{i}}}" for i in range(cards))
    (folder / "many.yaml").write_text(f"topic: many\ntitle: Many\ncards:\n{lines}\n")
    return folder


def start_review(deck: Path, data: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "QUIZAPP_NEW_PER_DAY": "10000", "QUIZAPP_REVIEWS_PER_DAY": "10000", "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "quizapp", "--no-builtin", "--content", str(deck), "--data-dir", str(data),
         "review", "--plain"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, bufsize=1,
    )


def feed_and_collect(process: subprocess.Popen[str], acknowledged: list[str], stop: threading.Event) -> None:
    """Answer every flashcard (Enter, then Good) and note each review the program says it recorded."""
    def writer() -> None:
        try:
            while not stop.is_set() and process.poll() is None:
                process.stdin.write("\n3\n")
                process.stdin.flush()
                time.sleep(0.002)
        except (BrokenPipeError, OSError, ValueError):
            pass

    threading.Thread(target=writer, daemon=True).start()
    for line in process.stdout:
        if "recorded: many/" in line:  # the rating prompt has no newline, so the ack may follow it
            acknowledged.append(line.split("recorded: ", 1)[1].split()[0])


def close_pipes(process: subprocess.Popen[str]) -> None:
    for pipe in (process.stdin, process.stdout, process.stderr):
        try:
            pipe.close()
        except OSError:
            pass  # the writer thread may have hit the dead pipe already


def logged_keys(data: Path) -> list[str]:
    if not (data / "quizapp.db").exists():
        return []  # killed before the database was first created
    db = sqlite3.connect(data / "quizapp.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    keys = [row[0] for row in db.execute("SELECT key FROM review_log ORDER BY id")]
    db.close()
    return keys


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing_acknowledged(tmp_path: Path) -> None:
    deck = make_deck(tmp_path / "deck")
    data = tmp_path / "data"
    rng = random.Random(2026)
    total_acknowledged = 0
    for attempt in range(KILLS):
        rows_before = len(logged_keys(data))
        process = start_review(deck, data)
        acknowledged: list[str] = []
        stop = threading.Event()
        reader = threading.Thread(target=feed_and_collect, args=(process, acknowledged, stop), daemon=True)
        reader.start()
        started = time.monotonic()
        while not acknowledged and process.poll() is None and time.monotonic() - started < 60:
            time.sleep(0.01)  # a loaded machine may take a while to start the program: kill it mid-review
        time.sleep(rng.uniform(0.0, 0.9))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        stop.set()
        reader.join(timeout=10)
        close_pipes(process)
        logged = logged_keys(data)
        # Keys repeat (learning steps), so count: every acknowledgement is a row this run added, in order.
        added = logged[rows_before:]
        assert len(added) >= len(acknowledged), (
            f"attempt {attempt}: {len(acknowledged)} reviews acknowledged, {len(added)} stored")
        assert added[:len(acknowledged)] == acknowledged, f"attempt {attempt}: stored reviews differ from acked"
        total_acknowledged += len(acknowledged)
    print(f"\nSIGKILL: {KILLS} kills, {total_acknowledged} acknowledged reviews, 0 lost")
    assert total_acknowledged > 0


@pytest.mark.slow
def test_two_processes_on_one_data_dir(tmp_path: Path) -> None:
    deck = make_deck(tmp_path / "deck")
    data = tmp_path / "data"
    runs = []
    for _ in range(2):
        process = start_review(deck, data)
        acknowledged: list[str] = []
        stop = threading.Event()
        reader = threading.Thread(target=feed_and_collect, args=(process, acknowledged, stop), daemon=True)
        reader.start()
        runs.append((process, acknowledged, stop, reader))
    time.sleep(3)
    for process, _, stop, _ in runs:
        try:
            process.stdin.write(":q\n")
            process.stdin.flush()
        except BrokenPipeError:
            pass  # it already finished every card and exited
    for process, acknowledged, stop, reader in runs:
        assert process.wait(timeout=30) == 0, process.stderr.read()
        stop.set()
        reader.join(timeout=10)
        assert "locked" not in process.stderr.read()
        close_pipes(process)
    logged = logged_keys(data)
    both = [key for _, acknowledged, _, _ in runs for key in acknowledged]
    assert all(len(run[1]) > 0 for run in runs)
    assert len(logged) == len(both), (len(logged), len(both))
    print(f"\ntwo processes: {len(runs[0][1])} + {len(runs[1][1])} acknowledged, {len(logged)} stored")
