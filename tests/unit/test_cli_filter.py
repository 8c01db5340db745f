"""`--filter QUERY` on the command line: review (plain mode, from stdin), quiz, and the exports."""

from __future__ import annotations

import csv
import sqlite3
import zipfile
from pathlib import Path

import pytest

from quizapp.study.scheduling import card_id_for
from tests.unit.test_plain_frontend import logged, quizapp


def test_review_filter_reviews_exactly_the_cards_found(tmp_path: Path) -> None:
    first = quizapp(tmp_path, "review", "--plain", "--topic", "second", stdin="\n1\n\n4\n:q\n")
    assert first.returncode == 0, first.stderr
    assert logged(tmp_path) == [("second/one", 1, "review"), ("second/two", 4, "review")]
    result = quizapp(tmp_path, "review", "--plain", "--filter", "failed:1", stdin="\n4\n")
    assert result.returncode == 0, result.stderr
    assert "One?" in result.stdout and "Two?" not in result.stdout and "BN" not in result.stdout
    assert logged(tmp_path)[2:] == [("second/one", 4, "review")]  # a real review: it reschedules


def test_review_filter_reviews_cards_not_due_and_ahead_crams_them(tmp_path: Path) -> None:
    quizapp(tmp_path, "review", "--plain", "--topic", "second", stdin="\n4\n\n4\n:q\n")
    db = sqlite3.connect(tmp_path / "quizapp.db")
    due_before = db.execute("SELECT due_ms FROM card_state WHERE key = 'second/two'").fetchone()
    crammed = quizapp(tmp_path, "review", "--plain", "--ahead", "--filter", "key:second/two", stdin="\n1\n")
    assert crammed.returncode == 0, crammed.stderr
    assert logged(tmp_path)[-1] == ("second/two", 1, "cram")
    assert db.execute("SELECT due_ms FROM card_state WHERE key = 'second/two'").fetchone() == due_before
    reviewed = quizapp(tmp_path, "review", "--plain", "--filter", "key:second/two", stdin="\n1\n:q\n")
    assert reviewed.returncode == 0, reviewed.stderr
    assert logged(tmp_path)[-1] == ("second/two", 1, "review")  # due in days, reviewed now
    assert db.execute("SELECT state FROM card_state WHERE key = 'second/two'").fetchone() == (3,)  # relearning


def test_a_bad_filter_says_where_without_a_traceback(tmp_path: Path) -> None:
    for command in (["review", "--plain"], ["quiz", "--plain"], ["review"], ["export", "reviews", "x.csv"],
                    ["export", "anki", str(tmp_path / "x.apkg")]):
        result = quizapp(tmp_path, *command, "--filter", "tag:bn -is:xyz")
        assert result.returncode == 2, (command, result.stderr)
        assert "unknown is:xyz at column 9; use is:due, is:new" in result.stderr
        assert "  tag:bn -is:xyz\n          ^" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.apkg").exists()


def test_a_filter_that_finds_nothing_is_said(tmp_path: Path) -> None:
    result = quizapp(tmp_path, "review", "--plain", "--filter", "is:suspended")
    assert result.returncode == 2 and "no card matches the search 'is:suspended'" in result.stderr
    assert logged(tmp_path) == []


@pytest.mark.parametrize("command", ["review", "quiz", "interview"])
def test_a_filter_of_a_card_id_names_the_key_that_finds_it(tmp_path: Path, command: str) -> None:
    result = quizapp(tmp_path, command, "--plain", "--filter", "pick-one")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert ("no card matches the search 'pick-one': a bare word searches what cards say, not their ids; "
            "key:mini/pick-one finds the card with that id") in result.stderr


def test_quiz_filter_asks_only_the_cards_found_of_any_type(tmp_path: Path) -> None:
    result = quizapp(tmp_path, "quiz", "--plain", "--filter", "tag:bn", "-n", "5", stdin="\ny\n")
    assert result.returncode == 0, result.stderr
    assert "Question 1/1" in result.stdout and "What does BN normalise over?" in result.stdout  # a flashcard
    assert logged(tmp_path) == [("mini/flash", 3, "quiz")]


def test_export_anki_filter_writes_only_the_cards_found(tmp_path: Path) -> None:
    out = tmp_path / "second.apkg"
    result = quizapp(tmp_path, "export", "anki", str(out), "--filter", "topic:second OR type:cloze")
    assert result.returncode == 0, result.stderr
    assert "wrote 3 notes (4 cards) in 2 decks" in result.stdout  # the cloze note has two cards
    with zipfile.ZipFile(out) as package:
        (tmp_path / "collection.anki2").write_bytes(package.read("collection.anki2"))
    notes = sqlite3.connect(tmp_path / "collection.anki2").execute("SELECT flds FROM notes").fetchall()
    assert len(notes) == 3 and any("One?" in flds for (flds,) in notes)


def test_export_reviews_filter_writes_only_their_reviews(tmp_path: Path) -> None:
    quizapp(tmp_path, "review", "--plain", "--topic", "second", stdin="\n1\n\n4\n:q\n")
    out = tmp_path / "log.csv"
    result = quizapp(tmp_path, "export", "reviews", str(out), "--filter", "failed:1")
    assert result.returncode == 0, result.stderr
    with out.open() as handle:
        ids = {row["card_id"] for row in csv.DictReader(handle)}
    assert ids == {str(card_id_for("second/one"))}


def test_a_filtered_plain_review_counts_the_siblings_it_sets_aside(tmp_path: Path) -> None:
    """Two deletions of one cloze card found: "new 1" alone read as if the search had found one."""
    result = quizapp(tmp_path, "review", "--plain", "--filter", "type:cloze", stdin="\n4\n")
    assert result.returncode == 0, result.stderr
    assert "new 1 · learning 0 · review 0 · 1 set aside for another day (siblings)" in result.stdout
