"""The plain-text front end, driven through stdin as a script or a screen-reader user would."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.study_helpers import FIXTURE_DECK


def quizapp(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "--no-builtin", "--content", str(FIXTURE_DECK), "--data-dir", str(data),
         *args],
        input=stdin, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "QUIZAPP_ENABLE_FUZZING": "false", "HOME": str(data)},
    )


def logged(data: Path) -> list[tuple[str, int, str]]:
    db = sqlite3.connect(data / "quizapp.db")
    return db.execute("SELECT key, rating, mode FROM review_log ORDER BY id").fetchall()


def test_review_every_card_type(tmp_path: Path) -> None:
    answers = [
        "", "3",             # flashcard: Enter shows the back; rate Good
        "z", "a", "",        # choice: unreadable, asked again; 'a' is right; Enter takes the suggestion
        "b", "1",            # multiple choice: wrong; rate Again
        "x", "0.75", "4",    # numeric: unreadable, asked again; right; rate Easy
        "", "2",             # cloze deletion 1: rate Hard
        ":q",
    ]
    result = quizapp(tmp_path, "review", "--plain", "--topic", "mini", "--seed", "3", stdin="\n".join(answers) + "\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "What does BN normalise over?" in out and "Answer: The mini-batch, per feature." in out
    assert "Could not read 'z': answer with letters a-c or numbers 1-3" in out
    assert "✓ Correct." in out and "TPR and FPR are each computed within one class." in out
    assert "(choose all that apply)" in out and "✗ Not quite: the answer is a, c." in out
    assert "What is 3/4?" in out  # math shown as Unicode
    assert "Accepted forms: a number like 0.75, 3/4, 75%" in out
    assert "BN normalizes each [...] over the mini-batch." in out
    assert "stopped; 5 reviews recorded." in out and out.count("recorded: mini/") == 5
    assert logged(tmp_path) == [
        ("mini/flash", 3, "review"),
        ("mini/pick-one", 3, "review"),
        ("mini/pick-many", 1, "review"),
        ("mini/number", 4, "review"),
        ("mini/blanks#c1", 2, "review"),
    ]


def test_end_of_input_keeps_every_review(tmp_path: Path) -> None:
    result = quizapp(tmp_path, "review", "--plain", "--topic", "second", stdin="\n3\n\n")
    assert result.returncode == 0
    assert "recorded: second/one rated Good" in result.stdout
    assert "1 review recorded." in result.stdout  # one review, not "1 review(s)"
    assert logged(tmp_path) == [("second/one", 3, "review")]


def test_quiz_prints_a_score(tmp_path: Path) -> None:
    result = quizapp(tmp_path, "quiz", "--plain", "--topic", "mini", "--type", "numeric", "-n", "1", stdin="0.7\n")
    assert result.returncode == 0, result.stderr
    assert "✗ Incorrect: the expected answer is 0.75" in result.stdout
    assert "Expected:" not in result.stdout  # the verdict says it; a line under it said it again
    assert "Score: 0/1 (0%)" in result.stdout
    assert logged(tmp_path) == [("mini/number", 1, "quiz")]


def test_a_quiz_stopped_before_any_answer_has_no_score(tmp_path: Path) -> None:
    result = quizapp(tmp_path, "quiz", "--plain", "--topic", "mini", "--type", "numeric", "-n", "1", stdin=":q\n")
    assert result.returncode == 0, result.stderr
    assert "No score: no question was answered." in result.stdout
    assert "Score: 0/0" not in result.stdout and "(0%)" not in result.stdout


def test_stats_json(tmp_path: Path) -> None:
    quizapp(tmp_path, "review", "--plain", "--topic", "second", stdin="\n3\n")
    result = quizapp(tmp_path, "stats", "--json")
    stats = json.loads(result.stdout)
    assert stats["reviews_today"] == 1 and stats["streak"] == 1
    assert stats["topic_accuracy"] == {"second": [1, 1]}
    assert stats["cards_by_state"]["new"] == 8 and stats["topic_unseen"] == {"mini": 7, "second": 1}


def test_unknown_topic_is_a_clear_error(tmp_path: Path) -> None:
    result = quizapp(tmp_path, "review", "--plain", "--topic", "minni")
    assert result.returncode == 2
    assert "no topic 'minni' (did you mean 'mini'?)" in result.stderr and "Traceback" not in result.stderr


def test_a_locked_database_is_said_and_the_rating_asked_again(tmp_path: Path) -> None:
    """Another process holds the write lock while a rating is recorded: not recorded, asked again, then kept."""
    import io

    from quizapp.plain import PlainIO, run_plain_review
    from quizapp.study.review import ReviewSession
    from quizapp.study.store import Store
    from tests.study_helpers import fixed_clock, fixture_deck, settings

    class LockedOnce(io.StringIO):
        """stdin that takes the lock before the first rating is read, and lets it go before the second."""

        def __init__(self, lines: list[str], holder: sqlite3.Connection) -> None:
            super().__init__("\n".join(lines) + "\n")
            self.holder, self.reads = holder, 0

        def readline(self, *args) -> str:
            self.reads += 1
            if self.reads == 2:
                self.holder.execute("BEGIN IMMEDIATE")
            elif self.reads == 3:
                self.holder.execute("ROLLBACK")
            return super().readline(*args)

    with Store.open(tmp_path) as store:
        holder = sqlite3.connect(tmp_path / "quizapp.db", isolation_level=None, timeout=0)
        session = ReviewSession(fixture_deck(), store, settings(), fixed_clock(), topics=["second"])
        out = io.StringIO()
        run_plain_review(session, PlainIO(LockedOnce(["", "3", "3", ":q"], holder), out))
        holder.close()
        text = out.getvalue()
        assert "not recorded:" in text and "locked by another quizapp" in text
        assert "recorded: second/one rated Good" in text
        assert [row.key for row in store.log()] == ["second/one"]


def test_many_sessions_starting_at_once_never_die_on_a_lock(tmp_path: Path) -> None:
    """Opening an up-to-date database takes no write lock, so many concurrent starts all get going."""
    quizapp(tmp_path, "stats")  # creates nothing (read-only); the first review creates the database
    first = quizapp(tmp_path, "review", "--plain", "--topic", "second", stdin="\n3\n:q\n")
    assert first.returncode == 0, first.stderr
    command = [sys.executable, "-m", "quizapp", "--no-builtin", "--content", str(FIXTURE_DECK), "--data-dir",
               str(tmp_path)]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    runs = [subprocess.Popen([*command, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
            for args in [("review", "--plain", "--topic", "mini")] * 20 + [("stats",)] * 10]
    for process in runs:
        out, err = process.communicate(":q\n", timeout=120)
        assert process.returncode == 0 and "locked" not in err, err


def test_an_empty_answer_twice_shows_it_as_a_miss(tmp_path: Path) -> None:
    answers = ["", "3", "a", "", "a c", "", "", "", "", ":q"]  # flashcard, choice, choice, numeric given up
    result = quizapp(tmp_path, "review", "--plain", "--topic", "mini", "--seed", "3", stdin="\n".join(answers) + "\n")
    assert result.returncode == 0, result.stderr
    assert "press Enter again to see it (counted as a miss)" in result.stdout
    assert "Not answered: here is the answer." in result.stdout and "[suggested: Again; Enter accepts it]" in result.stdout
    assert logged(tmp_path)[-1] == ("mini/number", 1, "review")


def test_quiz_in_the_app_refuses_bad_types_and_counts_before_it_starts(tmp_path: Path) -> None:
    """The app's set-up screen is preset from --type and -n, so they are checked first, as in plain mode."""
    for args, problem in ((["--type", "essay"], "unknown card type(s) essay; choose from flashcard, cloze"),
                          (["-n", "0"], "a quiz needs at least one question, not 0")):
        result = quizapp(tmp_path, "quiz", *args)
        assert result.returncode == 2 and problem in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_a_choice_question_can_be_given_up_as_a_typed_one_can(tmp_path: Path) -> None:
    """An empty line twice at a choice question shows the answer (a miss), as ctrl+s does in the app; it said
    'No option chosen' for ever, so a candidate who did not know had to guess."""
    answers = ["", "3", "", "", "", ":q"]  # the flashcard, then the choice question given up, then its rating
    result = quizapp(tmp_path, "review", "--plain", "--topic", "mini", "--seed", "3", stdin="\n".join(answers) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Your answer (letters): Type your answer, or press Enter again" in result.stdout
    assert "No option chosen" not in result.stdout and "Not answered: here is the answer." in result.stdout
    assert logged(tmp_path)[-1] == ("mini/pick-one", 1, "review")
