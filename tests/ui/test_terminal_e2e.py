"""The real program in a real terminal: start quizapp in tmux, answer with keys, read the screen."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile_corpus import BYPASS, HOSTILE
from tests.study_helpers import FIXTURE_DECK

REPO = Path(__file__).resolve().parents[2]
# Fixtures whose values are terminal commands: the clipboard (OSC 52), the title (OSC 0), a cursor report.
TERMINAL_ATTACKS = ("osc52-clipboard-title.yaml", "osc52-string-terminator.yaml", "osc0-window-title.yaml",
                    "dsr-reply-into-stdin.yaml")


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
    tmux("send-keys", "-t", session, "Enter")  # review the first topic only (new cards interleave topics)
    wait_for(session, "What does BN normalise over?")
    tmux("send-keys", "-t", session, "Space")
    wait_for(session, "The mini-batch, per feature.")
    tmux("send-keys", "-t", session, "3")
    screen = wait_for(session, "Which metric ignores the class ratio?")
    assert "New 5" in screen  # 7 cards in the topic, one answered, one cloze deletion buried until tomorrow
    tmux("send-keys", "-t", session, "1", "Enter")
    wait_for(session, "✓ Correct.")
    tmux("send-keys", "-t", session, "C-q")
    time.sleep(1)
    rows = sqlite3.connect(tmp_path / "data" / "quizapp.db").execute("SELECT key, rating FROM review_log").fetchall()
    assert rows == [("mini/flash", 3)]


def test_flag_bury_and_suspend_keys_work_in_a_real_terminal(session: str, tmp_path: Path) -> None:
    """tmux sends nothing for ctrl+1 and escape for ctrl+3: f5..f8 are the flag keys that work here."""
    wait_for(session, "A small deck with every card type")
    tmux("send-keys", "-t", session, "Enter")
    wait_for(session, "What does BN normalise over?")
    tmux("send-keys", "-t", session, "F8")
    wait_for(session, "■ blue flag")
    tmux("send-keys", "-t", session, "-")
    wait_for(session, "Which metric ignores the class ratio?")
    tmux("send-keys", "-t", session, "@")
    wait_for(session, "Which are generative models?")
    tmux("send-keys", "-t", session, "C-q")
    time.sleep(1)
    rows = sqlite3.connect(tmp_path / "data" / "quizapp.db").execute(
        "SELECT key, event, value FROM card_event ORDER BY id").fetchall()
    assert [(key, event) for key, event, _ in rows] == [("mini/flash", "flag"), ("mini/flash", "bury"),
                                                        ("mini/pick-one", "suspend")]
    assert rows[0][2] == 4


def test_hostile_content_cannot_reach_the_real_terminal(tmp_path: Path) -> None:
    """tmux with set-clipboard on honours OSC 52 (checked first, with printf); the hostile corpus, let past
    the loader's checks as a stored value would be, is drawn on every screen: the clipboard stays empty and
    the pane title unchanged."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    server = ["tmux", "-L", f"quizapp-hostile-{tmp_path.name}", "-f", "/dev/null"]

    def run(*args: str) -> str:
        return subprocess.run([*server, *args], capture_output=True, text=True, check=True).stdout

    run("new-session", "-d", "-s", "probe", "-x", "100", "-y", "30", "sh")
    try:
        run("set-option", "-s", "set-clipboard", "on")
        title = run("display-message", "-p", "-t", "probe", "#{pane_title}")
        run("send-keys", "-t", "probe", r"printf '\033]52;c;cHJvYmU=\007'", "Enter")
        _wait(lambda: "probe" in run("list-buffers"))  # this terminal does act on OSC 52
        run("delete-buffer")
        content = tmp_path / "content"
        content.mkdir()
        for name in TERMINAL_ATTACKS:
            shutil.copy(HOSTILE / name, content / name)
        code = BYPASS + "from quizapp.cli import main; raise SystemExit(main(__import__('sys').argv[1:]))"
        # COLUMNS and LINES unset: the app must fill the 120 columns, where a whole hostile title fits
        command = (f"cd {REPO} && env -u COLUMNS -u LINES TERM=xterm-256color PYTHONPATH={REPO} "
                   f"{sys.executable} -c \"{code}\" --no-builtin --content {content} --data-dir {tmp_path / 'data'}")
        run("new-session", "-d", "-s", "app", "-x", "120", "-y", "40", command)
        run("resize-window", "-t", "app", "-x", "120", "-y", "40")
        screen = _wait(lambda: run("capture-pane", "-p", "-t", "app"), "String terminator")
        for keys in (["b"], ["Escape", "s"], ["Escape", "r"], ["Space"], ["3"], ["Space"], ["3"], ["1", "Enter"]):
            run("send-keys", "-t", "app", *keys)
            time.sleep(0.8)
        assert run("list-buffers") == ""
        assert run("display-message", "-p", "-t", "app", "#{pane_title}") == title
        assert "\\x1b]52;c;" in screen  # the title was drawn, its escape shown
        run("send-keys", "-t", "app", "C-q")
    finally:
        subprocess.run([*server, "kill-server"], capture_output=True)


def _wait(probe, text: str | None = None, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        seen = probe()
        if (text in seen) if text is not None else seen:
            return seen
        if time.monotonic() > deadline:
            raise AssertionError(f"never saw {text!r}; last: {seen!r}")
        time.sleep(0.2)


def test_an_open_answer_sent_at_once_with_ctrl_s_is_read_whole(tmp_path: Path) -> None:
    """tmux delivers the answer and ctrl+s in one read: the reveal waits for every key before it, and no letter
    goes on as a key of the screen (the answer was read part typed, and an "i" among the rest opened the card info).
    Timing-bound; tests/ui/test_key_bursts.py checks the same order deterministically."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    name = f"quizapp-e2e-burst-{tmp_path.name}"
    deck = REPO / "tests" / "fixtures" / "open"
    command = f"{sys.executable} -m quizapp --no-builtin --content {deck} --data-dir {tmp_path / 'data'} review"
    tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", f"env TERM=xterm-256color {command}")
    try:
        wait_for(name, "Why does batch normalization")
        answer = ("the input distribution stays put, so a larger learning rate is fine; " * 3) + "review info edit undo"
        tmux("send-keys", "-t", name, "-l", answer)
        tmux("send-keys", "-t", name, "C-s")
        screen = wait_for(name, "points:")
        assert "review info edit undo" in screen and "Card info" not in screen
        assert "0 of 4 points" in screen  # an "r" among the letters would have recorded it: no key acted on the screen
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
