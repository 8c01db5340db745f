"""The SQLite store: migrations, refusal of files it must not touch, undo, durability settings."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quizapp.study.store import MIGRATIONS, SCHEMA_VERSION, CardRow, NewReview, Store, StoreError


def review(key: str = "t/a", rating: int = 3, at: int = 1_000) -> NewReview:
    return NewReview(key=key, card_id=7, rating=rating, reviewed_ms=at, duration_ms=1200, mode="review")


def state(key: str = "t/a", due: int = 5_000) -> CardRow:
    return CardRow(key, 7, "t", 2, None, 3.0, 5.0, due, 1_000, "abc")


def test_new_database_is_current_and_in_wal_mode(tmp_path: Path) -> None:
    with Store.open(tmp_path / "data") as store:
        assert store.integrity_ok()
    db = sqlite3.connect(tmp_path / "data" / "quizapp.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_migrates_a_database_of_the_first_schema(tmp_path: Path) -> None:
    path = tmp_path / "quizapp.db"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    db.execute("INSERT INTO card_state VALUES ('t/a', 7, 't', 2, NULL, 3.0, 5.0, 5000, 1000, 'abc')")
    db.execute("INSERT INTO review_log (key, card_id, rating, reviewed_ms, mode) VALUES ('t/a', 7, 3, 1000, 'review')")
    db.commit()
    db.close()
    with Store.open_file(path) as store:
        assert store.card("t/a") == state()
        assert [row.rating for row in store.log()] == [3]
        store.set_meta("weights", "[1]")
        assert store.meta("weights") == "[1]"
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_refuses_a_newer_schema_and_leaves_it_untouched(tmp_path: Path) -> None:
    path = tmp_path / "quizapp.db"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer quizapp"):
        Store.open_file(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", [b"this is not a database" * 100, b"SQLite format 3\x00" + b"\x07" * 5000])
def test_refuses_a_corrupt_file_and_leaves_it_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "quizapp.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="not a usable quizapp database.*left untouched"):
        Store.open_file(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quizapp.db"]


def test_read_only_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    if hasattr(__import__("os"), "geteuid") and __import__("os").geteuid() == 0:
        # root ignores permission bits; a data dir under a regular file cannot be created either way
        blocker = tmp_path / "file"
        blocker.write_text("x")
        with pytest.raises(StoreError, match="cannot create the data folder"):
            Store.open(blocker / "data")
        return
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(StoreError):
            Store.open(tmp_path / "data")
    finally:
        tmp_path.chmod(0o700)


def test_record_and_undo_restore_the_exact_previous_state(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        first = store.record(review(at=1_000), lambda before: state(due=5_000)).log
        assert first.state_before is None
        second = store.record(review(at=6_000), lambda before: state(due=90_000)).log
        assert CardRow.from_json(second.state_before) == state(due=5_000)
        store.undo(second.id)
        assert store.card("t/a") == state(due=5_000)
        assert [row.id for row in store.log()] == [first.id]
        store.undo(first.id)
        assert store.card("t/a") is None and store.log() == []
        assert store.undo(first.id) is None


def test_quiz_reviews_do_not_touch_schedules(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.record(review(), lambda before: state())
        quiz = NewReview("t/a", 7, 1, 2_000, 500, "quiz", correct=False, answer="0.3", seed=11)
        entry = store.record(quiz).log
        assert store.card("t/a") == state()
        assert (entry.mode, entry.correct, entry.answer, entry.seed) == ("quiz", False, "0.3", 11)
