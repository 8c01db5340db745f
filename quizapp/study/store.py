"""SQLite store: the schedule of every study item and an append-only review log.

Durability: WAL journal, `synchronous=FULL`, and one short `BEGIN IMMEDIATE` transaction per review, so a
review is on disk before the caller shows it as recorded. Concurrency: a second process waits on the busy
timeout instead of failing with "database is locked". A database from a newer quizapp, or a file that is
not a quizapp database, is refused with a clear message and never written to.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from quizapp.errors import UserError

__all__ = ["SCHEMA_VERSION", "CardRow", "LogRow", "Store", "StoreError"]

DB_NAME = "quizapp.db"
QUARTER_MS = 15 * 60 * 1000
BUSY_TIMEOUT_MS = 15_000

_PASSED = "CASE WHEN correct IS NULL THEN rating > 1 ELSE correct END"
_REBUILD_TOTALS = f"""
    DELETE FROM review_quarters;
    INSERT INTO review_quarters (quarter, reviews, passed)
        SELECT reviewed_ms / 900000, COUNT(*), SUM({_PASSED}) FROM review_log GROUP BY 1;
    DELETE FROM review_topics;
    INSERT INTO review_topics (topic, reviews, passed)
        SELECT substr(key, 1, instr(key, '/') - 1), COUNT(*), SUM({_PASSED}) FROM review_log GROUP BY 1;
    UPDATE review_log SET first_of_day = (mode = 'review' AND NOT EXISTS (
        SELECT 1 FROM review_log AS earlier
        WHERE earlier.key = review_log.key AND earlier.mode = 'review'
          AND earlier.reviewed_ms >= review_log.reviewed_ms / 86400000 * 86400000
          AND (earlier.reviewed_ms < review_log.reviewed_ms
               OR (earlier.reviewed_ms = review_log.reviewed_ms AND earlier.id < review_log.id))));
"""

# Each entry moves the schema one version forward; never edit a released entry, append a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: card schedules and the review log
    """
    CREATE TABLE card_state (
        key TEXT PRIMARY KEY,
        card_id INTEGER NOT NULL,
        topic TEXT NOT NULL,
        state INTEGER NOT NULL,
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due_ms INTEGER NOT NULL,
        last_review_ms INTEGER,
        content_hash TEXT
    );
    CREATE INDEX card_state_due ON card_state (due_ms);
    CREATE TABLE review_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        card_id INTEGER NOT NULL,
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        reviewed_ms INTEGER NOT NULL,
        duration_ms INTEGER,
        mode TEXT NOT NULL CHECK (mode IN ('review', 'quiz', 'cram')),
        correct INTEGER,
        answer TEXT,
        seed INTEGER,
        content_hash TEXT,
        state_before TEXT
    );
    CREATE INDEX review_log_key ON review_log (key, reviewed_ms);
    """,
    # 2: time-ordered statistics, and a place for settings the app learns (e.g. optimised FSRS weights)
    """
    CREATE INDEX review_log_time ON review_log (reviewed_ms);
    CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 3: statistics without scanning the whole log: the previous state as plain columns, whether a review
    # was the card's first of its (UTC) day, and running totals per quarter hour (every time zone's offset is
    # a multiple of 15 minutes, so local days can be summed exactly) and per topic, kept by every write
    """
    ALTER TABLE review_log ADD COLUMN prev_state INTEGER;
    ALTER TABLE review_log ADD COLUMN prev_interval_ms INTEGER;
    ALTER TABLE review_log ADD COLUMN first_of_day INTEGER NOT NULL DEFAULT 0;
    UPDATE review_log SET
        prev_state = json_extract(state_before, '$.state'),
        prev_interval_ms = json_extract(state_before, '$.due_ms') - json_extract(state_before, '$.last_review_ms')
        WHERE state_before IS NOT NULL;
    CREATE INDEX review_log_retention ON review_log (reviewed_ms, prev_interval_ms, rating)
        WHERE first_of_day = 1 AND prev_state = 2;
    CREATE TABLE review_quarters (quarter INTEGER PRIMARY KEY, reviews INTEGER NOT NULL, passed INTEGER NOT NULL);
    CREATE TABLE review_topics (topic TEXT PRIMARY KEY, reviews INTEGER NOT NULL, passed INTEGER NOT NULL);
    """ + _REBUILD_TOTALS,
)
SCHEMA_VERSION = len(MIGRATIONS)

_CARD_COLUMNS = "key, card_id, topic, state, step, stability, difficulty, due_ms, last_review_ms, content_hash"
_LOG_COLUMNS = (
    "id, key, card_id, rating, reviewed_ms, duration_ms, mode, correct, answer, seed, content_hash, state_before"
)


class StoreError(UserError):
    """The database cannot be used as it is; it has been left untouched."""


class CardRow(NamedTuple):
    key: str
    card_id: int
    topic: str
    state: int  # fsrs.State: 1 learning, 2 review, 3 relearning
    step: int | None
    stability: float | None
    difficulty: float | None
    due_ms: int
    last_review_ms: int | None
    content_hash: str | None

    def to_json(self) -> str:
        import json  # here, not at the top: only reviewing needs it, and starting the app should not wait

        return json.dumps(self._asdict(), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> CardRow:
        import json

        return cls(**json.loads(text))


class LogRow(NamedTuple):
    id: int
    key: str
    card_id: int
    rating: int
    reviewed_ms: int
    duration_ms: int | None
    mode: str
    correct: bool | None
    answer: str | None
    seed: int | None
    content_hash: str | None
    state_before: str | None  # the CardRow as JSON before this review; None when the card was new


class NewReview(NamedTuple):
    key: str
    card_id: int
    rating: int
    reviewed_ms: int
    duration_ms: int | None
    mode: str
    correct: bool | None = None
    answer: str | None = None
    seed: int | None = None
    content_hash: str | None = None


class Store:
    """One SQLite database; open with `Store.open(data_dir)` and close when done."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        self._known: set[str] | None = None  # keys with a schedule (see known_keys)
        self._known_version = 0

    # --- opening ---------------------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path) -> Store:
        path = data_dir / DB_NAME
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data folder {data_dir}: {exc.strerror or exc}") from None
        return cls.open_file(path)

    @classmethod
    def open_file(cls, path: Path) -> Store:
        if not _writable(path):
            raise StoreError(
                f"cannot write to {path if path.exists() else path.parent}: it is read-only. quizapp records "
                "every review there; make it writable, or point --data-dir (or $QUIZAPP_DATA_DIR) elsewhere."
            )
        try:
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {path}: {exc}") from None
        store = cls(connection, path)
        try:
            store._prepare()
        except sqlite3.OperationalError as exc:
            connection.close()
            if "readonly" in str(exc) or "read-only" in str(exc) or "unable to open" in str(exc):
                raise StoreError(f"cannot write to {path}: {exc}. Make the data folder writable, or "
                                 "point --data-dir elsewhere; the file was left untouched.") from None
            raise _unusable(path, exc) from None
        except sqlite3.DatabaseError as exc:
            connection.close()
            raise _unusable(path, exc) from None
        except StoreError:
            connection.close()
            raise
        return store

    def _prepare(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer quizapp (schema {version}; this one knows {SCHEMA_VERSION}). "
                "Upgrade quizapp; the file was left untouched."
            )
        self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if version < SCHEMA_VERSION:
            self._check_writable()
        if self._db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.execute("PRAGMA foreign_keys = ON")
        self._migrate(version)

    def _check_writable(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot write to {self.path}: {exc} (is the data folder read-only?)") from None

    def _migrate(self, version: int) -> None:
        with self._write():
            # Re-read inside the lock: another process may have migrated meanwhile.
            current = self._db.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
                for statement in filter(str.strip, script.split(";")):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot write to {self.path}: {exc}") from None
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- reading ---------------------------------------------------------------------------------

    def card(self, key: str) -> CardRow | None:
        row = self._db.execute(f"SELECT {_CARD_COLUMNS} FROM card_state WHERE key = ?", (key,)).fetchone()
        return CardRow(*row) if row else None

    def cards(self) -> list[CardRow]:
        return [CardRow(*row) for row in self._db.execute(f"SELECT {_CARD_COLUMNS} FROM card_state")]

    def due_keys(self, until_ms: int) -> list[tuple[str, int, int]]:
        """(key, state, due_ms) of every card due by `until_ms`, soonest first."""
        return self._db.execute(
            "SELECT key, state, due_ms FROM card_state WHERE due_ms <= ? ORDER BY due_ms", (until_ms,)
        ).fetchall()

    def log(self, key: str | None = None, *, modes: Iterable[str] | None = None) -> list[LogRow]:
        clauses, args = [], []
        if key is not None:
            clauses.append("key = ?")
            args.append(key)
        if modes is not None:
            modes = list(modes)
            clauses.append(f"mode IN ({','.join('?' * len(modes))})")
            args.extend(modes)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._db.execute(f"SELECT {_LOG_COLUMNS} FROM review_log {where} ORDER BY reviewed_ms, id", args)
        return [_log_row(row) for row in rows]

    def log_between(self, start_ms: int, end_ms: int) -> list[LogRow]:
        rows = self._db.execute(
            f"SELECT {_LOG_COLUMNS} FROM review_log WHERE reviewed_ms >= ? AND reviewed_ms < ? ORDER BY reviewed_ms, id",
            (start_ms, end_ms),
        )
        return [_log_row(row) for row in rows]

    def review_counts_since(self, start_ms: int) -> tuple[int, int, int]:
        """Scheduled reviews since `start_ms`: all, first reviews of new cards, reviews of review-state cards."""
        row = self._db.execute(
            "SELECT COUNT(*), COALESCE(SUM(state_before IS NULL), 0), COALESCE(SUM(prev_state = 2), 0) "
            "FROM review_log WHERE mode = 'review' AND reviewed_ms >= ?",
            (start_ms,),
        ).fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def known_keys(self) -> set[str]:
        """Keys that have a schedule. Read once and kept in step with this store's own writes; read again
        whenever another connection has committed (PRAGMA data_version), so two processes agree."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if self._known is None or version != self._known_version:
            self._known = {row[0] for row in self._db.execute("SELECT key FROM card_state")}
            self._known_version = version
        return self._known

    def quarter_counts(self) -> list[tuple[int, int]]:
        """(start of a quarter hour in ms since the epoch, reviews in it) for every quarter with reviews."""
        return self._db.execute(
            "SELECT quarter * ?, reviews FROM review_quarters WHERE reviews > 0 ORDER BY quarter", (QUARTER_MS,)
        ).fetchall()

    def topic_pass_counts(self) -> dict[str, tuple[int, int]]:
        """topic -> (passed, reviews) over every mode; auto-checked cards count `correct`, others rating > Again."""
        rows = self._db.execute("SELECT topic, reviews, passed FROM review_topics WHERE reviews > 0")
        return {topic: (int(passed or 0), int(total)) for topic, total, passed in rows}

    def retention_counts(self, since_ms: int, mature_days: int = 21) -> dict[str, tuple[int, int]]:
        """Anki's true retention: a card's first review of the (UTC) day while in review state, young/mature."""
        rows = self._db.execute(
            "SELECT prev_interval_ms >= ? * 86400000 AS mature, COUNT(*), SUM(rating > 1) FROM review_log "
            "WHERE first_of_day = 1 AND prev_state = 2 AND reviewed_ms >= ? GROUP BY mature",
            (mature_days, since_ms),
        )
        result = {"young": (0, 0), "mature": (0, 0)}
        for mature, total, passed in rows:
            result["mature" if mature else "young"] = (int(passed or 0), int(total))
        return result

    def due_per_day(self, start_ms: int, days: int) -> list[int]:
        """Scheduled cards due on each of `days` days from `start_ms`; overdue ones count on day 0."""
        counts = [0] * days
        rows = self._db.execute(
            "SELECT MAX(0, (due_ms - ?) / 86400000) AS day, COUNT(*) FROM card_state "
            "WHERE due_ms < ? GROUP BY day",
            (start_ms, start_ms + days * 86_400_000),
        )
        for day, count in rows:
            counts[int(day)] += int(count)
        return counts

    def state_counts(self, mature_days: int = 21) -> dict[str, int]:
        """Scheduled cards by state, review cards split young/mature by their current interval."""
        row = self._db.execute(
            "SELECT COALESCE(SUM(state = 1), 0), COALESCE(SUM(state = 3), 0), "
            "COALESCE(SUM(state = 2 AND due_ms - last_review_ms >= ? * 86400000), 0), "
            "COALESCE(SUM(state = 2 AND NOT due_ms - last_review_ms >= ? * 86400000), 0) FROM card_state",
            (mature_days, mature_days),
        ).fetchone()
        return {"learning": row[0], "relearning": row[1], "mature": row[2], "young": row[3]}

    def meta(self, name: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def integrity_ok(self) -> bool:
        return self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # --- writing ---------------------------------------------------------------------------------

    def record(self, review: NewReview, new_state: CardRow | None) -> LogRow:
        """Append a review and (for scheduled reviews) the card's new state, in one durable transaction."""
        with self._write() as db:
            before = self.card(review.key) if new_state is not None else None
            cursor = db.execute(
                f"INSERT INTO review_log ({_LOG_COLUMNS.removeprefix('id, ')}, prev_state, prev_interval_ms, "
                "first_of_day) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    review.key,
                    review.card_id,
                    review.rating,
                    review.reviewed_ms,
                    review.duration_ms,
                    review.mode,
                    None if review.correct is None else int(review.correct),
                    review.answer,
                    review.seed,
                    review.content_hash,
                    before.to_json() if before else None,
                    before.state if before else None,
                    before.due_ms - before.last_review_ms if before and before.last_review_ms is not None else None,
                    int(review.mode == "review" and not self._reviewed_today(db, review)),
                ),
            )
            self._add_to_totals(db, review.key, review.reviewed_ms, _passed(review.rating, review.correct), +1)
            if new_state is not None:
                db.execute(
                    f"INSERT OR REPLACE INTO card_state ({_CARD_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    tuple(new_state),
                )
            log_id = cursor.lastrowid
        if new_state is not None and self._known is not None:
            self._known.add(review.key)
        return self.log_entry(log_id)

    def log_entry(self, log_id: int) -> LogRow:
        row = self._db.execute(f"SELECT {_LOG_COLUMNS} FROM review_log WHERE id = ?", (log_id,)).fetchone()
        return _log_row(row)

    def undo(self, log_id: int) -> LogRow | None:
        """Remove a review and put its card back exactly as it was; None if it is already gone."""
        with self._write() as db:
            row = db.execute(f"SELECT {_LOG_COLUMNS} FROM review_log WHERE id = ?", (log_id,)).fetchone()
            if row is None:
                return None
            entry = _log_row(row)
            db.execute("DELETE FROM review_log WHERE id = ?", (log_id,))
            self._add_to_totals(db, entry.key, entry.reviewed_ms, _passed(entry.rating, entry.correct), -1)
            if entry.mode == "review":
                if entry.state_before is None:
                    db.execute("DELETE FROM card_state WHERE key = ?", (entry.key,))
                    if self._known is not None:
                        self._known.discard(entry.key)
                else:
                    state = CardRow.from_json(entry.state_before)
                    db.execute(
                        f"INSERT OR REPLACE INTO card_state ({_CARD_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                        tuple(state),
                    )
        return entry

    @staticmethod
    def _add_to_totals(db: sqlite3.Connection, key: str, reviewed_ms: int, passed: bool, sign: int) -> None:
        upsert = "ON CONFLICT DO UPDATE SET reviews = reviews + excluded.reviews, passed = passed + excluded.passed"
        db.execute(f"INSERT INTO review_quarters (quarter, reviews, passed) VALUES (?, ?, ?) {upsert}",
                   (reviewed_ms // QUARTER_MS, sign, sign * int(passed)))
        db.execute(f"INSERT INTO review_topics (topic, reviews, passed) VALUES (?, ?, ?) {upsert}",
                   (key.split("/", 1)[0], sign, sign * int(passed)))

    @staticmethod
    def _reviewed_today(db: sqlite3.Connection, review: NewReview) -> bool:
        """Whether this card already had a scheduled review earlier on the same UTC day."""
        day_start = review.reviewed_ms // 86_400_000 * 86_400_000
        return db.execute(
            "SELECT 1 FROM review_log WHERE key = ? AND mode = 'review' AND reviewed_ms >= ? LIMIT 1",
            (review.key, day_start),
        ).fetchone() is not None

    def set_meta(self, name: str, value: str) -> None:
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))

    def bulk_load(self, cards: Iterable[CardRow], reviews: Iterable[NewReview]) -> None:
        """Fast insert for benchmarks and imports (one transaction; no per-row durability)."""
        with self._write() as db:
            db.executemany(
                f"INSERT OR REPLACE INTO card_state ({_CARD_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (tuple(card) for card in cards),
            )
            db.executemany(
                f"INSERT INTO review_log ({_LOG_COLUMNS.removeprefix('id, ')}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    (r.key, r.card_id, r.rating, r.reviewed_ms, r.duration_ms, r.mode,
                     None if r.correct is None else int(r.correct), r.answer, r.seed, r.content_hash, None)
                    for r in reviews
                ),
            )
            for statement in filter(str.strip, _REBUILD_TOTALS.split(";")):
                db.execute(statement)
        self._known = None


def _passed(rating: int, correct: bool | None) -> bool:
    return rating > 1 if correct is None else bool(correct)


def _log_row(row: tuple) -> LogRow:
    values = list(row)
    values[7] = None if values[7] is None else bool(values[7])
    return LogRow(*values)


def _writable(path: Path) -> bool:
    """The database file (or, before it exists, its folder) can be written; SQLite's WAL needs both."""
    folder_ok = os.access(path.parent, os.W_OK | os.X_OK)
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))


def _unusable(path: Path, exc: sqlite3.DatabaseError) -> StoreError:
    return StoreError(
        f"{path} is not a usable quizapp database ({exc}). It was left untouched: move it aside "
        "to start afresh, or point --data-dir elsewhere."
    )
