"""SQLite store: the schedule of every study item and an append-only review log.

Durability: WAL journal, `synchronous=FULL`, and one short `BEGIN IMMEDIATE` transaction per review, so a
review is on disk before the caller shows it as recorded. A file is inspected through a read-only
connection before anything writes to it: a database from a newer quizapp, another application's SQLite
file or a damaged one is refused with a clear message and left exactly as it was. Opening an up-to-date
database takes no write lock, and `Store.open(..., readonly=True)` (statistics, exports) never writes.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, KeysView
from contextlib import closing, contextmanager
from dataclasses import asdict, astuple, dataclass
from enum import IntEnum
from pathlib import Path
from types import MappingProxyType
from urllib.parse import quote

from quizapp.errors import UserError
from quizapp.study import totals

__all__ = ["DB_NAME", "MIGRATIONS", "SCHEMA_VERSION", "CardRow", "CardState", "LogRow", "NewReview", "Store",
           "StoreError", "UndoConflict", "Written"]

DB_NAME = "quizapp.db"
# Long enough to wait out another process's review (milliseconds), short enough that a stuck lock is
# reported to the user instead of freezing the app.
BUSY_TIMEOUT_MS = 3_000


class CardState(IntEnum):
    """A scheduled card's state, as fsrs numbers it (fsrs.State)."""

    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


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
    DELETE FROM review_quarters;
    INSERT INTO review_quarters (quarter, reviews, passed)
        SELECT reviewed_ms / 900000, COUNT(*), SUM(CASE WHEN correct IS NULL THEN rating > 1 ELSE correct END)
        FROM review_log GROUP BY 1;
    DELETE FROM review_topics;
    INSERT INTO review_topics (topic, reviews, passed)
        SELECT substr(key, 1, instr(key, '/') - 1), COUNT(*),
               SUM(CASE WHEN correct IS NULL THEN rating > 1 ELSE correct END)
        FROM review_log GROUP BY 1;
    UPDATE review_log SET first_of_day = (mode = 'review' AND NOT EXISTS (
        SELECT 1 FROM review_log AS earlier
        WHERE earlier.key = review_log.key AND earlier.mode = 'review'
          AND earlier.reviewed_ms >= review_log.reviewed_ms / 86400000 * 86400000
          AND (earlier.reviewed_ms < review_log.reviewed_ms
               OR (earlier.reviewed_ms = review_log.reviewed_ms AND earlier.id < review_log.id))));
    """,
    # 4: cards counted by state and current interval (young or mature) from an index, not the whole table
    """
    CREATE INDEX card_state_interval ON card_state (state, due_ms - last_review_ms);
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
# The tables each schema version has: a file at a version without them is not ours.
_TABLES = {1: {"card_state", "review_log"}, 2: {"meta"}, 3: {"review_quarters", "review_topics"}, 4: set()}

_CARD_COLUMNS = "key, card_id, topic, state, step, stability, difficulty, due_ms, last_review_ms, content_hash"
_LOG_COLUMNS = (
    "id, key, card_id, rating, reviewed_ms, duration_ms, mode, correct, answer, seed, content_hash, state_before"
)
_UPSERT_CARD = f"INSERT OR REPLACE INTO card_state ({_CARD_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)"


class StoreError(UserError):
    """The database cannot be used as it is, or a write did not happen; nothing was changed."""


class UndoConflict(UserError):
    """An undo that would lose a later review of the same card (made by another session)."""


@dataclass(frozen=True, slots=True)
class CardRow:
    key: str
    card_id: int
    topic: str
    state: int  # a CardState
    step: int | None
    stability: float | None
    difficulty: float | None
    due_ms: int
    last_review_ms: int | None
    content_hash: str | None

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> CardRow:
        return cls(**json.loads(text))


@dataclass(frozen=True, slots=True)
class LogRow:
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


@dataclass(frozen=True, slots=True)
class NewReview:
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


@dataclass(frozen=True, slots=True)
class Written:
    """A review on disk, and the card's schedule after it (None when the schedule was left alone)."""

    log: LogRow
    state: CardRow | None


class Store:
    """One SQLite database; open with `Store.open(data_dir)` and close when done."""

    def __init__(self, connection: sqlite3.Connection, path: Path, *, readonly: bool = False) -> None:
        self._db = connection
        self.path = path
        self.readonly = readonly
        self._scheduled: dict[str, None] | None = None  # keys with a schedule, kept in step with our writes
        self._scheduled_version = 0

    # --- opening ---------------------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path, *, readonly: bool = False) -> Store:
        existing = next((folder for folder in (data_dir, *data_dir.parents) if folder.exists()), None)
        if existing is not None and not existing.is_dir():
            raise StoreError(f"cannot use the data folder {data_dir}: {existing} is not a directory")
        if not readonly:
            try:
                data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the data folder {data_dir}: {exc.strerror or exc}") from None
        return cls.open_file(data_dir / DB_NAME, readonly=readonly)

    @classmethod
    def open_file(cls, path: Path, *, readonly: bool = False) -> Store:
        if path.exists():
            _inspect(path)
        if readonly:
            return cls(_connect_read_only(path), path, readonly=True)
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
        except sqlite3.DatabaseError as exc:
            connection.close()
            text = str(exc)
            if "readonly" in text or "read-only" in text or "unable to open" in text:
                raise StoreError(f"cannot write to {path}: {exc}. Make the data folder writable, or "
                                 "point --data-dir elsewhere; the file was left untouched.") from None
            if "locked" in text or "busy" in text:
                raise StoreError(f"{path} is locked by another quizapp that is writing to it; try again in a "
                                 "moment") from None
            raise _unusable(path, exc) from None
        except StoreError:
            connection.close()
            raise
        return store

    def _prepare(self) -> None:
        self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if self._db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")
        if self._db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            self._migrate()

    def _migrate(self) -> None:
        with self._write():
            # Read again inside the lock: another process may have migrated meanwhile.
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
        """One transaction; a locked or full database is a StoreError, and nothing of it is written."""
        if self.readonly:
            raise StoreError(f"{self.path} was opened read-only")
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(_write_failure(self.path, exc)) from None
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                raise StoreError(_write_failure(self.path, exc)) from None
            raise

    # --- reading ---------------------------------------------------------------------------------

    def card(self, key: str) -> CardRow | None:
        row = self._db.execute(f"SELECT {_CARD_COLUMNS} FROM card_state WHERE key = ?", (key,)).fetchone()
        return CardRow(*row) if row else None

    def cards(self) -> list[CardRow]:
        return [CardRow(*row) for row in self._db.execute(f"SELECT {_CARD_COLUMNS} FROM card_state")]

    def due_cards(self, until_ms: int) -> list[CardRow]:
        """Every card due by `until_ms`, soonest first."""
        rows = self._db.execute(
            f"SELECT {_CARD_COLUMNS} FROM card_state WHERE due_ms <= ? ORDER BY due_ms", (until_ms,))
        return [CardRow(*row) for row in rows]

    def due_keys(self, until_ms: int) -> list[tuple[str, int, int, int | None, float | None]]:
        """(key, state, due_ms, last_review_ms, stability) of every card due by `until_ms`, soonest first: what
        today's queue needs, as plain rows (thousands of them, read at every start)."""
        return self._db.execute(
            "SELECT key, state, due_ms, last_review_ms, stability FROM card_state WHERE due_ms <= ? ORDER BY due_ms",
            (until_ms,),
        ).fetchall()

    def keys_reviewed_since(self, start_ms: int) -> set[str]:
        """Keys with a scheduled review since `start_ms` (whose siblings are buried for the day)."""
        # No DISTINCT: it would make SQLite walk the whole log in key order instead of today's rows by time.
        rows = self._db.execute("SELECT key FROM review_log WHERE reviewed_ms >= ? AND mode = 'review'", (start_ms,))
        return {key for (key,) in rows}

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

    def log_entry(self, log_id: int) -> LogRow | None:
        row = self._db.execute(f"SELECT {_LOG_COLUMNS} FROM review_log WHERE id = ?", (log_id,)).fetchone()
        return _log_row(row) if row else None

    def review_counts_since(self, start_ms: int) -> tuple[int, int, int]:
        """Scheduled reviews since `start_ms`: all, first reviews of new cards, reviews of review-state cards."""
        row = self._db.execute(
            "SELECT COUNT(*), COALESCE(SUM(state_before IS NULL), 0), "
            f"COALESCE(SUM(prev_state = {CardState.REVIEW}), 0) "
            "FROM review_log WHERE mode = 'review' AND reviewed_ms >= ?",
            (start_ms,),
        ).fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def data_version(self) -> int:
        """Changes whenever another connection commits (SQLite's PRAGMA data_version)."""
        return self._db.execute("PRAGMA data_version").fetchone()[0]

    def scheduled_keys(self) -> KeysView[str]:
        """Keys that have a schedule (every other key of the deck is new), as a read-only view that follows
        this store's writes. Read again whenever another connection has committed, so two processes agree."""
        version = self.data_version()
        if self._scheduled is None or version != self._scheduled_version:
            self._scheduled = dict.fromkeys(row[0] for row in self._db.execute("SELECT key FROM card_state"))
            self._scheduled_version = version
        return MappingProxyType(self._scheduled).keys()

    def quarter_range(self) -> tuple[int, int] | None:
        """From the start of the first quarter hour with totals (zero after an undo, maybe) to the end of the
        last, in ms; None before the first review."""
        first, last = self._db.execute("SELECT MIN(quarter), MAX(quarter) FROM review_quarters").fetchone()
        return None if first is None else (first * totals.QUARTER_MS, (last + 1) * totals.QUARTER_MS)

    def reviews_between(self, start_ms: int, end_ms: int) -> int:
        """Reviews in the quarter hours from `start_ms` up to `end_ms` (bounds of a local day: whole quarters)."""
        row = self._db.execute(
            "SELECT COALESCE(SUM(reviews), 0) FROM review_quarters WHERE quarter >= ? AND quarter < ?",
            (start_ms // totals.QUARTER_MS, end_ms // totals.QUARTER_MS),
        ).fetchone()
        return int(row[0])

    def topic_pass_counts(self) -> dict[str, tuple[int, int]]:
        """topic -> (passed, reviews) over every mode (see `totals.PASSED`)."""
        rows = self._db.execute("SELECT topic, reviews, passed FROM review_topics WHERE reviews > 0")
        return {topic: (int(passed or 0), int(total)) for topic, total, passed in rows}

    def retention_counts(self, since_ms: int, mature_days: int = 21) -> dict[str, tuple[int, int]]:
        """Anki's true retention: a card's first review of the (UTC) day while in review state, young/mature."""
        rows = self._db.execute(
            "SELECT prev_interval_ms >= ? * 86400000 AS mature, COUNT(*), SUM(rating > 1) FROM review_log "
            f"WHERE first_of_day = 1 AND prev_state = {CardState.REVIEW} AND reviewed_ms >= ? GROUP BY mature",
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
        review = f"state = {CardState.REVIEW} AND due_ms - last_review_ms"
        row = self._db.execute(  # each count reads one range of the card_state_interval index
            f"SELECT (SELECT COUNT(*) FROM card_state WHERE state = {CardState.LEARNING}), "
            f"(SELECT COUNT(*) FROM card_state WHERE state = {CardState.RELEARNING}), "
            f"(SELECT COUNT(*) FROM card_state WHERE {review} >= ?), "
            f"(SELECT COUNT(*) FROM card_state WHERE {review} < ?)",
            (mature_days * totals.DAY_MS, mature_days * totals.DAY_MS),
        ).fetchone()
        return {"learning": row[0], "relearning": row[1], "mature": row[2], "young": row[3]}

    def meta(self, name: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def integrity_ok(self) -> bool:
        return self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # --- writing ---------------------------------------------------------------------------------

    def record(self, review: NewReview, schedule: Callable[[CardRow | None], CardRow] | None = None) -> Written:
        """Append a review and, with `schedule`, the card's new state, in one durable transaction.

        `schedule` receives the card's state as it is inside the transaction (another process may have
        reviewed it since it was shown) and returns the state after this review.
        """
        with self._write() as db:
            before = self.card(review.key) if schedule is not None else None
            new_state = schedule(before) if schedule is not None else None
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
                    int(totals.first_of_day(db, review.key, review.mode, review.reviewed_ms)),
                ),
            )
            log_id = cursor.lastrowid
            totals.add(db, log_id)
            if new_state is not None:
                db.execute(_UPSERT_CARD, astuple(new_state))
        if new_state is not None and self._scheduled is not None:
            self._scheduled[review.key] = None
        return Written(self.log_entry(log_id), new_state)

    def undo(self, log_id: int) -> LogRow | None:
        """Remove a review and put its card back exactly as it was; None if it is already gone.

        A scheduled review is undone only while it is its card's newest: if another session has reviewed
        the card since, the earlier state would throw that review's schedule away, so UndoConflict is raised
        and nothing changes.
        """
        with self._write() as db:
            entry = self.log_entry(log_id)
            if entry is None:
                return None
            if entry.mode == "review":
                newest = db.execute("SELECT id FROM review_log WHERE key = ? AND mode = 'review' "
                                    "ORDER BY reviewed_ms DESC, id DESC LIMIT 1", (entry.key,)).fetchone()[0]
                if newest != log_id:
                    raise UndoConflict(f"{entry.key} was reviewed again after this answer (in another session); "
                                       "undoing it now would lose that review, so it stays")
            totals.remove(db, log_id)
            db.execute("DELETE FROM review_log WHERE id = ?", (log_id,))
            if entry.mode == "review":
                if entry.state_before is None:
                    db.execute("DELETE FROM card_state WHERE key = ?", (entry.key,))
                else:
                    db.execute(_UPSERT_CARD, astuple(CardRow.from_json(entry.state_before)))
        if entry.mode == "review" and self._scheduled is not None and entry.state_before is None:
            self._scheduled.pop(entry.key, None)
        return entry

    def set_meta(self, name: str, value: str) -> None:
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))

    def bulk_load(self, cards: Iterable[CardRow], reviews: Iterable[NewReview]) -> None:
        """Fast insert for benchmarks and imports (one transaction; no per-row durability)."""
        with self._write() as db:
            db.executemany(_UPSERT_CARD, (astuple(card) for card in cards))
            db.executemany(
                f"INSERT INTO review_log ({_LOG_COLUMNS.removeprefix('id, ')}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    (r.key, r.card_id, r.rating, r.reviewed_ms, r.duration_ms, r.mode,
                     None if r.correct is None else int(r.correct), r.answer, r.seed, r.content_hash, None)
                    for r in reviews
                ),
            )
            for statement in filter(str.strip, totals.REBUILD.split(";")):
                db.execute(statement)
        self._scheduled = None


def _log_row(row: tuple) -> LogRow:
    values = list(row)
    values[7] = None if values[7] is None else bool(values[7])
    return LogRow(*values)


def _inspect(path: Path) -> None:
    """Refuse, through a read-only connection that changes nothing, a file that is not a quizapp database
    this version can use."""
    try:
        with closing(_connect_read_only(path)) as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = {name for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    except sqlite3.DatabaseError as exc:
        raise _unusable(path, exc) from None
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer quizapp (schema {version}; this one knows {SCHEMA_VERSION}). "
            "Upgrade quizapp; the file was left untouched."
        )
    if version == 0 and tables:
        raise StoreError(f"{path} is another application's SQLite database (tables {', '.join(sorted(tables))}), "
                         "not quizapp's. It was left untouched: move it aside, or point --data-dir elsewhere.")
    expected = set().union(*(_TABLES[v] for v in range(1, version + 1)))
    if expected - tables:
        raise StoreError(f"{path} says it is a quizapp database (schema {version}) but has no "
                         f"{', '.join(sorted(expected - tables))} table; it was left untouched: move it aside "
                         "to start afresh, or point --data-dir elsewhere.")


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write. In a read-only folder a WAL database cannot get its shared-memory
    file, so it is then opened as immutable (nobody can be writing to it)."""
    if not path.exists():
        return _empty_database()
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        connection.execute("PRAGMA user_version").fetchone()
        return connection
    except sqlite3.OperationalError:
        if os.access(path.parent, os.W_OK):
            raise
    return sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None)


def _empty_database() -> sqlite3.Connection:
    """An in-memory database with the current schema: what a data dir with no reviews yet reads as."""
    connection = sqlite3.connect(":memory:", isolation_level=None)
    for script in MIGRATIONS:
        for statement in filter(str.strip, script.split(";")):
            connection.execute(statement)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return connection


def _writable(path: Path) -> bool:
    """The database file (or, before it exists, its folder) can be written; SQLite's WAL needs both."""
    folder_ok = os.access(path.parent, os.W_OK | os.X_OK)
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))


def _write_failure(path: Path, exc: sqlite3.OperationalError) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"{path} is locked by another quizapp; nothing was recorded. Try again in a moment"
    if "full" in text:
        return f"the disk holding {path} is full; nothing was recorded. Free some space and try again"
    return f"cannot write to {path}: {exc}; nothing was recorded"


def _unusable(path: Path, exc: sqlite3.DatabaseError) -> StoreError:
    return StoreError(
        f"{path} is not a usable quizapp database ({exc}). It was left untouched: move it aside "
        "to start afresh, or point --data-dir elsewhere."
    )
