"""The SQLite store: migrations, refusal of files it must not touch, undo, durability settings."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from quizapp.study.store import MIGRATIONS, SCHEMA_VERSION, CardRow, NewReview, Store, StoreError
from tests.unprivileged import run_python_unprivileged


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


def test_a_search_on_difficulty_reads_a_range_of_the_props_index_alone(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        plan = store.rows("EXPLAIN QUERY PLAN SELECT key FROM card_state WHERE difficulty > ?", (4.0,))
        assert "COVERING INDEX card_state_props (difficulty>?)" in plan[-1][-1]
        store.bulk_load([state()], [])
        assert store.keys_within("difficulty", [(">", 4.0)]) == {"t/a"}
        assert store.keys_within("difficulty", [(">", 5.0)]) == set()


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


def test_read_only_data_dir_is_a_clear_error_and_still_readable(tmp_path: Path) -> None:
    """Run as a process that file modes apply to (also when the tests run as root, as CI does)."""
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.record(review(), lambda before: state())
    data.chmod(0o555)
    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parents[2])!r})\n"
            "from pathlib import Path\nfrom quizapp.study.store import Store, StoreError\n"
            f"data = Path({str(data)!r})\n"
            "try:\n    Store.open(data)\nexcept StoreError as error:\n    print('refused:', error)\n"
            "with Store.open(data, readonly=True) as store:\n    print('read:', [r.key for r in store.log()])\n"
            "with Store.open(data / 'none', readonly=True) as store:\n    print('empty:', store.log())\n")
    try:
        before = {p.name: p.read_bytes() for p in data.iterdir()}
        result = run_python_unprivileged(code)
        after = {p.name: p.read_bytes() for p in data.iterdir()}
    finally:
        data.chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert "refused: cannot write to" in result.stdout and "read-only" in result.stdout
    assert "read: ['t/a']" in result.stdout and "empty: []" in result.stdout
    assert after == before


def test_refuses_another_applications_database_untouched(tmp_path: Path) -> None:
    path = tmp_path / "quizapp.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="another application's SQLite database.*moz_places.*left untouched"):
        Store.open_file(path)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["quizapp.db"]


def test_refuses_a_file_at_our_version_without_our_tables(tmp_path: Path) -> None:
    path = tmp_path / "quizapp.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="has no card_event, card_mark, card_state, meta, review_log"):
        Store.open_file(path)
    assert path.read_bytes() == before


def test_a_newer_database_with_a_leftover_wal_is_left_exactly_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "quizapp.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("CREATE TABLE future (x)")
    writer.execute("INSERT INTO future VALUES (1)")
    writer.execute("PRAGMA user_version = 99")
    files = {name: (tmp_path / name).read_bytes() for name in ("quizapp.db", "quizapp.db-wal")}
    assert len(files["quizapp.db-wal"]) > 0
    with pytest.raises(StoreError, match="newer quizapp"):
        Store.open_file(path)
    assert {name: (tmp_path / name).read_bytes() for name in files} == files
    writer.close()


def test_opening_takes_no_write_lock(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.record(review(), lambda before: state())
    holder = sqlite3.connect(tmp_path / "quizapp.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Store.open(tmp_path) as store:
            assert store.card("t/a") == state()
            with pytest.raises(StoreError, match="locked by another quizapp; nothing was recorded"):
                store.record(review(at=2_000), lambda before: state(due=9_000))
            assert store.card("t/a") == state()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


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


def _open_when_released(path: Path, barrier, errors) -> None:
    barrier.wait()
    try:
        with Store.open(path):
            pass
    except StoreError as problem:
        errors.put(str(problem))


def test_two_quizapps_started_at_once_on_a_fresh_data_dir_both_open_it(tmp_path: Path) -> None:
    """The switch to WAL does not wait for the lock it takes: one of them failed with "locked" nearly every time."""
    context = multiprocessing.get_context("fork")  # a child shares this test's imports: they start together
    for attempt in range(20):
        data = tmp_path / f"data-{attempt}"
        barrier, errors = context.Barrier(2), context.Queue()
        children = [context.Process(target=_open_when_released, args=(data, barrier, errors)) for _ in range(2)]
        for child in children:
            child.start()
        for child in children:
            child.join(timeout=60)
        assert errors.empty(), f"attempt {attempt}: {errors.get()}"
        assert all(child.exitcode == 0 for child in children)
