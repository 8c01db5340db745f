"""The real program in a real terminal: start quizapp in tmux, answer with keys, read the screen."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.study_helpers import FIXTURE_DECK


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def wait_for(session: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        try:
            screen = tmux("capture-pane", "-p", "-t", session)
        except subprocess.CalledProcessError:
            raise AssertionError(f"quizapp exited before {text!r} appeared; last screen:\n{screen}") from None
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


@pytest.fixture
def session(tmp_path: Path):
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")  # fails in CI, where .ci/run installs it
    name = f"quizapp-e2e-{tmp_path.name}"
    command = f"{sys.executable} -m quizapp --no-builtin --content {FIXTURE_DECK} --data-dir {tmp_path / 'data'}"
    tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", f"env TERM=xterm-256color {command}")
    yield name
    subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def test_answer_a_question_in_a_real_terminal(session: str, tmp_path: Path) -> None:
    wait_for(session, "A small deck with every card type")
    tmux("send-keys", "-t", session, "r")
    wait_for(session, "What does BN normalise over?")
    tmux("send-keys", "-t", session, "Space")
    wait_for(session, "The mini-batch, per feature.")
    tmux("send-keys", "-t", session, "3")
    screen = wait_for(session, "Which metric ignores the class ratio?")
    assert "New 8" in screen
    tmux("send-keys", "-t", session, "1", "Enter")
    wait_for(session, "✓ Correct.")
    tmux("send-keys", "-t", session, "C-q")
    time.sleep(1)
    rows = sqlite3.connect(tmp_path / "data" / "quizapp.db").execute("SELECT key, rating FROM review_log").fetchall()
    assert rows == [("mini/flash", 3)]
