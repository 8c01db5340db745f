"""Open questions in the study engine and in plain mode: suggestions from typed keywords, the rating that
follows the share of points, and what the log keeps."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fsrs import Rating
from hypothesis import given
from hypothesis import strategies as st

from quizapp.deck import load_deck
from quizapp.deck.schema import KeyPoint
from quizapp.study.questions import parse_points, points_summary, rating_for_points, suggested_points, time_left
from quizapp.study.quiz import QuizSession
from quizapp.study.review import ReviewSession
from quizapp.study.store import Store
from tests.study_helpers import fixed_clock, settings

OPEN_DECK = Path(__file__).resolve().parent.parent / "fixtures" / "open"
POINTS = (KeyPoint(text="stable inputs", keywords=["distribution", "covariate shift"]),
          KeyPoint(text="smoother loss", keywords=["landscape"]),
          KeyPoint(text="no keywords here"))


@pytest.mark.parametrize("typed, expected", [
    ("The DISTRIBUTION stays put", {0}),
    ("covariate\n  shift and a smooth landscape.", {0, 1}),  # a phrase may wrap; punctuation ends a word
    ("distributions", set()),  # a whole word, not a prefix
    ("redistribution", set()),
    ("no keywords here", set()),  # a point without keywords is never suggested
    ("", set()),
])
def test_suggested_points_match_whole_words_ignoring_case(typed: str, expected: set[int]) -> None:
    assert suggested_points(POINTS, typed) == frozenset(expected)


@given(st.integers(2, 8).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
def test_the_rating_follows_the_share_of_points(case: tuple[int, int]) -> None:
    total, made = case
    rating = rating_for_points(made, total)
    assert rating == (Rating.Good if made == total else Rating.Hard if made / total >= 0.5 else Rating.Again)
    assert points_summary(made, total) == f"{made} of {total} points: {rating.name}"


def test_points_are_read_as_numbers_all_or_none() -> None:
    assert parse_points("1 3", 4) == frozenset({0, 2})
    assert parse_points("2,4", 4) == frozenset({1, 3})
    assert parse_points("ALL", 3) == frozenset({0, 1, 2})
    assert parse_points("none", 3) == frozenset()
    assert parse_points("5", 4) == "Could not read '5': type the numbers of the points you made (1-4), 'all' or 'none'."
    assert isinstance(parse_points("one", 4), str)


def test_time_left_counts_down_then_counts_the_overtime() -> None:
    assert time_left(120, 0) == ("2:00 left", False)
    assert time_left(120, 0.4) == ("2:00 left", False)
    assert time_left(120, 61) == ("0:59 left", False)
    assert time_left(120, 120) == ("0:00 left", False)
    assert time_left(120, 135.5) == ("0:15 over", True)


def _session(tmp_path: Path, cls=ReviewSession, **kwargs):
    deck = load_deck([OPEN_DECK])
    assert not deck.errors
    store = Store.open(tmp_path / "data")
    clock = fixed_clock()
    if cls is ReviewSession:
        return ReviewSession(deck, store, settings(), clock, seed=1), store, clock
    return QuizSession(deck, store, clock, seed=1, **kwargs), store, clock


def test_review_records_the_typed_answer_and_the_points(tmp_path: Path) -> None:
    session, store, clock = _session(tmp_path)
    question = session.current
    assert (question.kind, question.time_limit, len(question.key_points)) == ("open", 90, 4)
    assert question.answer.startswith("Normalizing each feature")
    clock.advance(seconds=75)  # answering: the time taken ends when the answer is revealed
    outcome = session.reveal_open("a smoother loss landscape; less sensitive to initialization")
    assert outcome.suggested == frozenset({1, 2})  # keyword matches: a hint, not ticked
    assert outcome.points == frozenset() and outcome.message == "0 of 4 points: Again"
    assert session.suggested_rating() == Rating.Again
    assert session.tick_points({1}).message == "1 of 4 points: Again"
    assert session.suggested_rating() == Rating.Again
    clock.advance(seconds=20)  # ticking the points made and rating are not answering
    session.rate(Rating.Hard)  # the user may differ from the suggestion
    [row] = store.log()
    assert (row.rating, row.correct, row.duration_ms) == (2, False, 75_000)
    assert row.answer == "a smoother loss landscape; less sensitive to initialization"
    assert json.loads(row.detail) == {"points": [1], "of": 4, "suggested": [1, 2]}
    store.close()


def test_only_open_questions_have_points(tmp_path: Path) -> None:
    session, store, _ = _session(tmp_path)
    session.reveal_open("")
    session.rate(Rating.Good)
    assert session.current.kind == "flashcard"
    with pytest.raises(ValueError, match="flashcard cards have no key points"):
        session.tick_points({0})
    store.close()


def test_a_quiz_judges_open_questions_by_their_points(tmp_path: Path) -> None:
    session, store, _ = _session(tmp_path, QuizSession, types=("open",), count=1)
    session.reveal_open("")
    outcome = session.judge_open({0, 1, 2, 3})
    assert outcome.correct and session.finished and session.results().score == 1
    [row] = store.log()
    assert (row.mode, row.rating) == ("quiz", 3)
    assert json.loads(row.detail) == {"points": [0, 1, 2, 3], "of": 4, "suggested": []}
    store.close()


def quizapp(data: Path, *args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "--no-builtin", "--content", str(OPEN_DECK), "--data-dir", str(data), *args],
        input=stdin, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "QUIZAPP_ENABLE_FUZZING": "false", "HOME": str(data),
             "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )


def test_plain_review_of_an_open_question_from_stdin(tmp_path: Path) -> None:
    answers = ["The input distribution stays stable,", "so the LEARNING RATE can be larger.", "",
               "1 9",      # unreadable: asked again
               "1 2 3",    # three of four points
               "",         # Enter accepts the suggested Hard
               ":q"]
    result = quizapp(tmp_path / "data", "review", "--plain", stdin="\n".join(answers) + "\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Why does batch normalization make deep networks easier to train?" in out
    assert "(open question: 1:30 to answer; answer aloud, or type your answer and end it with an empty line)" in out
    assert "took 0:00 of 1:30" in out  # the clock of a script does not move
    assert "Model answer: Normalizing each feature" in out
    assert "  1. Keeps each layer's input distribution stable  (keyword found in your answer)" in out
    assert "  4. Batch statistics add a mild [b]regularising[/b] noise\n" in out  # shown as written
    assert "Keywords found are a hint, not a verdict: type the points you made yourself." in out
    assert "[Enter: none]" in out and "[Enter: 1 2]" not in out  # the matches are never the default
    assert "Could not read '9': type the numbers of the points you made (1-4), 'all' or 'none'." in out
    assert "3 of 4 points: Hard" in out and "[suggested: Hard; Enter accepts it]" in out
    assert "recorded: interview/why-bn rated Hard" in out
    store = Store.open(tmp_path / "data")
    [row] = store.log()
    assert row.answer == "The input distribution stays stable,\nso the LEARNING RATE can be larger."
    assert json.loads(row.detail) == {"points": [0, 1, 2], "of": 4, "suggested": [0, 1]}
    store.close()


def test_plain_enter_makes_no_point_whatever_the_keywords_found(tmp_path: Path) -> None:
    """Keywords cannot see a negation: an answer with every keyword and each one denied made no point. Enter
    at the points prompt is 'none' (it took the keyword matches, and this answer was Hard, 2 of 4)."""
    answers = ["The distribution does not matter and the learning rate is no larger.", "",
               "",    # the points: none
               "",    # the rating: Enter accepts the suggested Again
               ":q"]
    result = quizapp(tmp_path / "data", "review", "--plain", stdin="\n".join(answers) + "\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.count("(keyword found in your answer)") == 2 and "[Enter: none]" in out
    assert "0 of 4 points: Again" in out and "recorded: interview/why-bn rated Again" in out
    store = Store.open(tmp_path / "data")
    [row] = store.log()
    assert row.rating == 1 and row.correct is False
    assert json.loads(row.detail) == {"points": [], "of": 4, "suggested": [0, 1]}
    store.close()


def test_plain_quiz_of_an_open_question_answered_aloud(tmp_path: Path) -> None:
    result = quizapp(tmp_path / "data", "quiz", "--plain", "--type", "open", "--count", "1", "--seed", "2",
                     stdin="\nall\n")
    assert result.returncode == 0, result.stderr
    assert "[Enter: none]" in result.stdout
    assert "✓ 4 of 4 points: Good" in result.stdout and "Score: 1/1 (100%)" in result.stdout


def test_a_key_point_written_twice_is_an_error_at_the_key_points(tmp_path: Path) -> None:
    """Ticking it would count one point as two, and the share of points would be wrong."""
    (tmp_path / "t.yaml").write_text(
        "topic: t\ntitle: T\ncards:\n  - id: o\n    type: open\n    prompt: Why?\n    key_points:\n"
        "      - text: It normalises\n      - text: it  Normalises\n    model_answer: Because.\n")
    deck = load_deck([tmp_path])
    assert deck.card_count == 0
    (error,) = deck.errors
    assert (error.line, error.column) == (8, 7) and "key point appears more than once: 'it  Normalises'" in str(error)
