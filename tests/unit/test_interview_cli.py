"""`quizapp interview --plain` driven from stdin end to end, its Markdown report, and `--history`."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

INTERVIEW_DECK = Path(__file__).parent.parent / "fixtures" / "interview"


def quizapp(tmp: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "--no-builtin", "--content", str(INTERVIEW_DECK), "--data-dir",
         str(tmp / "data"), *args],
        input=stdin, capture_output=True, text=True, timeout=120, cwd=REPO,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp), "PYTHONPATH": str(REPO),
             "QUIZAPP_CONFIG": str(tmp / "config.toml"), "QUIZAPP_ENABLE_FUZZING": "false"},
    )


def logged(tmp: Path) -> list[tuple]:
    db = sqlite3.connect(tmp / "data" / "quizapp.db")
    return db.execute("SELECT key, rating, mode, answer, detail FROM review_log ORDER BY id").fetchall()


def test_an_interview_taken_from_stdin(tmp_path: Path) -> None:
    answers = [
        "It keeps the distribution", "of each layer stable", "",  # why-bn: typed in two lines, ended by a blank
        "1 2",                    # the points made: 2 of 4, Hard, a pass
        "a",                      # small-batch: right
        "z", "a",                 # which-norm: unreadable, asked again; right (depth 3: ln-axis is not asked)
        "", "",                   # bn-eval: no answer twice shows it, a miss
    ]
    report = tmp_path / "report.md"
    result = quizapp(tmp_path, "interview", "--plain", "--topic", "norms", "--questions", "1", "--seed", "3",
                     "--report", str(report), stdin="\n".join(answers) + "\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Mock interview: 1 starting question, 45 min." in out
    assert "--- Chain 1 of 1 · depth 1 · norms · interview left 45:00 · this question 1:00" in out
    assert "Why does batch normalization make deep networks easier to train?" in out
    assert "(keyword found in your answer)" in out  # "distribution" is a keyword of point 1
    assert "[Enter: none]" in out  # the keyword found is a hint, never the default
    assert "✓ 2 of 4 points: Hard" in out
    assert "--- Chain 1 of 1 · depth 3 · norms" in out and "Could not read 'z'" in out
    assert "Over which axis does layer norm normalise?" not in out  # depth 4
    assert "recorded: norms/bn-eval ✗ not answered" in out
    assert "Score 62% over 4 questions in 1 chain" in out  # (0.5 + 1 + 1 + 0) / 4
    assert f"wrote the report to {report}" in out
    text = report.read_text()
    assert text.startswith("# Mock interview, ") and "| 1 | why-bn (norms) | 3 of 3 | 4 | at a miss |" in text
    assert text.endswith("## To revisit\n\n- norms/why-bn\n- norms/bn-eval\n")
    rows = logged(tmp_path)
    assert [(key, rating, mode) for key, rating, mode, _, _ in rows] == [
        ("norms/why-bn", 2, "interview"), ("norms/small-batch", 3, "interview"),
        ("norms/which-norm", 3, "interview"), ("norms/bn-eval", 1, "interview")]
    assert rows[0][3] == "It keeps the distribution\nof each layer stable"
    first = json.loads(rows[0][4])
    assert first["points"] == [0, 1] and first["of"] == 4 and first["depth"] == 1 and first["credit"] == 0.5
    assert [json.loads(row[4])["depth"] for row in rows] == [1, 2, 3, 2]

    history = quizapp(tmp_path, "interview", "--history")
    assert history.returncode == 0, history.stderr
    lines = history.stdout.splitlines()
    assert lines[0] == "Past interviews (score: credit over questions):"
    assert " 62%   4 questions  deepest chain 3" in lines[1]
    assert lines[2] == "Trend: none yet (first interview: 62%); the next interview starts one."

    again = quizapp(tmp_path, "interview", "--plain", "--report", str(report), stdin="")
    assert again.returncode == 2 and "already exists; nothing was written (add --force" in again.stderr
    assert len(logged(tmp_path)) == 4  # refused before anything was asked


def test_stopping_with_q_keeps_the_answers_and_reports(tmp_path: Path) -> None:
    result = quizapp(tmp_path, "interview", "--plain", "--topic", "norms", "--questions", "1", "--seed", "3",
                     stdin="\n1 2 3 4\n:q\n")
    assert result.returncode == 0, result.stderr
    assert "interview stopped." in result.stdout and "(ended early)" in result.stdout
    assert [row[0] for row in logged(tmp_path)] == ["norms/why-bn"]
    assert "stopped by the user" in result.stdout and "no more follow-ups" not in result.stdout  # at depth 2


def test_the_report_file_of_a_stopped_chain_says_the_user_stopped_it(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    result = quizapp(tmp_path, "interview", "--plain", "--topic", "norms", "--questions", "1", "--seed", "3",
                     "--report", str(report), stdin="\n1 2 3 4\n:q\n")
    assert result.returncode == 0, result.stderr
    assert "| 1 | why-bn (norms) | 1 of 3 | 1 | stopped by the user |" in report.read_text(encoding="utf-8")


def test_bad_interview_arguments(tmp_path: Path) -> None:
    result = quizapp(tmp_path, "interview", "--plain", "--minutes", "0")
    assert result.returncode == 2 and "must be at least 1, not 0" in result.stderr
    result = quizapp(tmp_path, "interview", "--plain", "--minutes", "100000")  # the setup screen's limit too
    assert result.returncode == 2 and "at most 600 minutes, not 100000" in result.stderr
    result = quizapp(tmp_path, "interview", "--plain", "--topic", "nope")
    assert result.returncode == 2 and "no topic 'nope'" in result.stderr
    assert "No interviews yet" in quizapp(tmp_path, "interview", "--history").stdout


def test_an_interview_of_the_cards_a_search_finds(tmp_path: Path) -> None:
    result = quizapp(tmp_path, "interview", "--plain", "--filter", "type:numeric", "--seed", "3", stdin="2\n")
    assert result.returncode == 0, result.stderr
    assert "Mock interview: 1 starting question" in result.stdout  # the search found one card to start from
    assert ("1 starting question, not the 9 of a 45-minute interview (one per 5 minutes): the search finds only 1 "
            "card that can start an interview") in result.stdout
    assert "What does BN output in eval mode?" in result.stdout
    assert [key for key, *_ in logged(tmp_path)] == ["norms/bn-eval"]
    nothing = quizapp(tmp_path, "interview", "--plain", "--filter", "tag:nope")
    assert nothing.returncode == 2 and "no card matches the search 'tag:nope'" in nothing.stderr
    flashcards = quizapp(tmp_path, "interview", "--plain", "--filter", "type:flashcard")
    assert flashcards.returncode == 2 and "among the cards the search finds" in flashcards.stderr


def test_fewer_starting_questions_than_asked_and_a_question_cut_to_the_time_left(tmp_path: Path) -> None:
    result = quizapp(tmp_path, "interview", "--plain", "--topic", "metrics", "--minutes", "1", "--questions", "50",
                     "--seed", "3", stdin="\n:q\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert ("3 starting questions, not the 50 asked for: the topic metrics has only 3 cards that can start an "
            "interview") in out
    # what-auc's own 2:00 is longer than the interview: it gets the minute left, and is told so.
    assert "interview left 1:00 · this question 1:00 (cut from 2:00: the interview ends first)" in out
    assert "(open question: 1:00 to answer;" in out


def test_plain_mode_summary_says_the_clock_cut_the_starting_questions(tmp_path: Path) -> None:
    """The clock runs out during the first question of three asked for: the report printed at the end says so."""
    import io

    from quizapp.deck import load_deck
    from quizapp.interview_report import report_markdown
    from quizapp.plain import PlainIO, run_plain_interview
    from quizapp.study.interview import InterviewSession
    from quizapp.study.store import Store
    from tests.study_helpers import fixed_clock, settings

    clock = fixed_clock()

    class LateStdin(io.StringIO):
        """Empty answers; the first one comes after the interview's minute is over."""

        def readline(self, *args) -> str:
            clock.advance(seconds=61)
            return "\n"

    out = io.StringIO()
    with Store.open(tmp_path / "data") as store:
        session = InterviewSession(load_deck([INTERVIEW_DECK]), store, settings(), clock, minutes=1, questions=3,
                                   seed=1)
        run_plain_interview(session, PlainIO(LateStdin(), out),
                            report=lambda done: report_markdown(done.report(), clock.tz))
    text = " ".join(out.getvalue().split())
    assert "Time is up." in text
    assert ("1 starting question asked of the 3 asked for: the 1 minute allowed no more (2 starting questions "
            "left unasked).") in text


BN_SOLUTION = ("import numpy as np\n\n\ndef batch_norm_forward(x, gamma, beta, eps):\n"
               "    return gamma * (x - x.mean(0)) / np.sqrt(x.var(0) + eps) + beta\n")


def _plain_drill_interview(tmp_path: Path, *files: Path) -> subprocess.CompletedProcess:
    """A plain interview of one choice (answered "a") and the batch-norm drill, given these files in turn."""
    drills = Path(__file__).parent.parent / "fixtures" / "interview_drills"
    paths = "".join(f"{path}\n" for path in files)
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "--no-builtin", "--content", str(drills), "--data-dir", str(tmp_path / "data"),
         "interview", "--plain", "--minutes", "30", "--questions", "1", "--drills", "1", "--seed", "3",
         "--filter", "key:coding/bn-choice OR key:coding/write-bn"],
        input=f"a\n{paths}", capture_output=True, text=True, timeout=120, cwd=REPO,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "PYTHONPATH": str(REPO),
             "QUIZAPP_CONFIG": str(tmp_path / "config.toml")})


def test_a_coding_drill_answered_from_a_file_in_plain_mode(tmp_path: Path) -> None:
    """The drill comes after the chain (its choice answered "a", right or not); the candidate names the file with
    their code, which the checks run."""
    solution = tmp_path / "bn.py"
    solution.write_text(BN_SOLUTION)
    result = _plain_drill_interview(tmp_path, solution)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Mock interview: 1 starting question then 1 coding drill, 30 min." in out
    assert "--- Coding drill 1 of 1 · coding · interview left" in out and "this question 15:00" in out
    assert "recorded: coding/write-bn ✓ passed the checks" in out
    assert out.count("✓ Pass: all") == 1 and out.count("Pass: all") == 2  # the verdict once, and in the report
    assert "over 2 questions in 1 chain and 1 coding drill" in out
    rows = logged(tmp_path)
    assert [(key, mode) for key, _, mode, _, _ in rows] == [("coding/bn-choice", "interview"),
                                                            ("coding/write-bn", "interview")]
    assert rows[1][3] == solution.read_text()  # the code is the answer


def test_a_coding_drill_passed_at_the_third_file_in_plain_mode_says_so(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.py"
    wrong.write_text("import numpy as np\n\n\ndef batch_norm_forward(x, gamma, beta, eps):\n    return x\n")
    solution = tmp_path / "bn.py"
    solution.write_text(BN_SOLUTION)
    result = _plain_drill_interview(tmp_path, wrong, wrong, solution)
    assert result.returncode == 0, result.stderr
    assert "recorded: coding/write-bn ✓ passed the checks after 2 failed attempts in " in result.stdout
    report = result.stdout.split("recorded: coding/write-bn", 1)[1].split("\n", 1)[1]
    row = [line for line in report.splitlines() if line.startswith("2  write-bn (coding)")]  # its table's row
    assert row and row[0].endswith("✓ passed the checks after 2 failed attempts"), report


def test_a_negative_drill_count_is_refused_with_the_accepted_form(tmp_path: Path) -> None:
    result = quizapp(tmp_path, "interview", "--plain", "--drills", "-1")
    assert result.returncode == 2 and "--drills: must be at least 0, not -1" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_help_says_what_each_coding_drill_takes_from_the_starting_questions(tmp_path: Path) -> None:
    result = quizapp(tmp_path, "interview", "--help")
    words = " ".join(result.stdout.split())  # argparse wraps its help to the terminal
    assert "starting questions (default: one per 5 minutes, less 15 minutes for each coding drill)" in words
