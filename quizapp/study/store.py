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
import time
import uuid
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator, KeysView, Sequence
from contextlib import closing, contextmanager
from dataclasses import asdict, astuple, dataclass, replace
from enum import IntEnum
from pathlib import Path
from types import MappingProxyType
from urllib.parse import quote

from quizapp.errors import UserError
from quizapp.safetext import shown_path
from quizapp.study import totals

__all__ = [
    "DB_NAME",
    "EVENTS",
    "FLAG_COLOURS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "CardMarks",
    "CardRow",
    "CardState",
    "EventRow",
    "LogRow",
    "NewEvent",
    "NewReview",
    "ReviewDone",
    "Store",
    "StoreError",
    "UndoConflict",
    "Written",
    "apply_event",
    "forget",
    "json_keys",
    "write_card",
    "write_cards",
    "write_many_marks",
    "write_marks",
]

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
    # 4: the review log accepts interview answers and keeps an answer's details (JSON: the key points ticked,
    # an interview's chain); marks (suspended, buried, flagged, leech) and resets are entries in their own
    # log, `card_event`, with the marks they produce in `card_mark`. SQLite cannot change a CHECK in place,
    # so the review log is copied into a new table.
    """
    CREATE TABLE review_log_v4 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        card_id INTEGER NOT NULL,
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        reviewed_ms INTEGER NOT NULL,
        duration_ms INTEGER,
        mode TEXT NOT NULL CHECK (mode IN ('review', 'quiz', 'cram', 'interview')),
        correct INTEGER,
        answer TEXT,
        seed INTEGER,
        content_hash TEXT,
        state_before TEXT,
        prev_state INTEGER,
        prev_interval_ms INTEGER,
        first_of_day INTEGER NOT NULL DEFAULT 0,
        detail TEXT
    );
    INSERT INTO review_log_v4 (id, key, card_id, rating, reviewed_ms, duration_ms, mode, correct, answer, seed,
                               content_hash, state_before, prev_state, prev_interval_ms, first_of_day)
        SELECT id, key, card_id, rating, reviewed_ms, duration_ms, mode, correct, answer, seed,
               content_hash, state_before, prev_state, prev_interval_ms, first_of_day FROM review_log;
    DROP TABLE review_log;
    ALTER TABLE review_log_v4 RENAME TO review_log;
    CREATE INDEX review_log_key ON review_log (key, reviewed_ms);
    CREATE INDEX review_log_time ON review_log (reviewed_ms);
    CREATE INDEX review_log_retention ON review_log (reviewed_ms, prev_interval_ms, rating)
        WHERE first_of_day = 1 AND prev_state = 2;
    CREATE TABLE card_event (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        event TEXT NOT NULL CHECK (event IN ('suspend', 'unsuspend', 'bury', 'unbury', 'reset', 'flag', 'leech')),
        value INTEGER,
        at_ms INTEGER NOT NULL,
        marks_before TEXT NOT NULL,
        state_before TEXT
    );
    CREATE INDEX card_event_key ON card_event (key, at_ms);
    CREATE INDEX card_event_time ON card_event (at_ms);
    CREATE TABLE card_mark (
        key TEXT PRIMARY KEY,
        suspended INTEGER NOT NULL DEFAULT 0,
        buried_until_ms INTEGER,
        flag INTEGER NOT NULL DEFAULT 0 CHECK (flag BETWEEN 0 AND 4),
        leech INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 5: cards counted by state and current interval (young or mature) from an index, not the whole table
    """
    CREATE INDEX card_state_interval ON card_state (state, due_ms - last_review_ms);
    """,
    # 6: sync between devices (quizapp/study/sync.py). Every entry gets a UUID that travels (`uid`; `origin` is
    # the device an imported entry came from, NULL for this one's), a scheduled review keeps the due date its
    # device chose (`due_ms`: fuzz makes it random, so replay takes it from the entry), an undo leaves a
    # tombstone (`undone`) so that it travels too, and `sync_file` remembers how far each device's file was read.
    # Old entries get fresh UUIDs, and each card's newest review the due date its schedule has. The partial
    # indexes find this device's entries not yet exported without walking the imported ones.
    """
    ALTER TABLE review_log ADD COLUMN uid TEXT;
    ALTER TABLE review_log ADD COLUMN due_ms INTEGER;
    ALTER TABLE review_log ADD COLUMN origin TEXT;
    ALTER TABLE card_event ADD COLUMN uid TEXT;
    ALTER TABLE card_event ADD COLUMN origin TEXT;
    UPDATE review_log SET uid = {UUID};
    UPDATE card_event SET uid = {UUID};
    UPDATE review_log SET due_ms = (SELECT card.due_ms FROM card_state AS card
                                    WHERE card.key = review_log.key AND card.last_review_ms = review_log.reviewed_ms)
        WHERE mode = 'review';
    CREATE UNIQUE INDEX review_log_uid ON review_log (uid);
    CREATE UNIQUE INDEX card_event_uid ON card_event (uid);
    CREATE INDEX review_log_local ON review_log (id) WHERE origin IS NULL;
    CREATE INDEX card_event_local ON card_event (id) WHERE origin IS NULL;
    CREATE TABLE undone (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        uid TEXT NOT NULL UNIQUE,
        origin TEXT,
        at_ms INTEGER NOT NULL
    );
    CREATE TABLE sync_file (
        path TEXT PRIMARY KEY,
        offset INTEGER NOT NULL,
        line INTEGER NOT NULL,
        device TEXT,
        last_ms INTEGER,
        imported INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        read_ms INTEGER
    );
    """.replace("{UUID}", "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) "
                "|| '-' || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2) || '-' "
                "|| hex(randomblob(6)))"),
    # 7: today's queue reads the cards due by a moment from an index alone (one that covers the columns it
    # reads): at 100,000 cards, looking each due card up in the table was half the time the queue took. It
    # serves every query on due_ms, so the narrower index goes.
    """
    CREATE INDEX card_state_queue ON card_state (due_ms, key, state, last_review_ms, stability);
    DROP INDEX card_state_due;
    """,
    # 8: the search language's prop:d, prop:s and prop:r read an index that covers the columns they compare
    # (a range of it for prop:d), not the whole table
    """
    CREATE INDEX card_state_props ON card_state (difficulty, stability, last_review_ms, key);
    """,
    # 9: a card's reps and lapses (card info, browse, leeches, prop:reps and prop:lapses) are counted from an
    # index of just the reviews each counts: over a million reviews prop:lapses read the whole log (1.1 s).
    # `mode` is in the reps index although its WHERE fixes it: SQLite reads a partial index as covering only
    # then, and otherwise fetched each of the million rows (prop:reps<10: 103 ms -> about 80)
    """
    CREATE INDEX review_log_reps ON review_log (key, mode) WHERE mode = 'review';
    CREATE INDEX review_log_lapses ON review_log (key, reviewed_ms) WHERE mode = 'review' AND prev_state = 2 AND rating = 1;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
# The tables each schema version has: a file at a version without them is not ours.
_TABLES = {1: {"card_state", "review_log"}, 2: {"meta"}, 3: {"review_quarters", "review_topics"},
           4: {"card_event", "card_mark"}, 5: set(), 6: {"undone", "sync_file"}, 7: set(), 8: set(), 9: set()}

_CARD_COLUMNS = "key, card_id, topic, state, step, stability, difficulty, due_ms, last_review_ms, content_hash"
_LOG_COLUMNS = (
    "id, key, card_id, rating, reviewed_ms, duration_ms, mode, correct, answer, seed, content_hash, state_before, "
    "detail, uid, due_ms, origin"
)
_UPSERT_CARD = f"INSERT OR REPLACE INTO card_state ({_CARD_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)"
_EVENT_COLUMNS = "id, key, event, value, at_ms, marks_before, state_before, uid, origin"
_MARK_COLUMNS = "suspended, buried_until_ms, flag, leech"

# What a card event does. `value` is the flag's colour for "flag" (0 clears it) and the end of the burial
# (ms since the epoch) for "bury"; the other events take none.
EVENTS = ("suspend", "unsuspend", "bury", "unbury", "reset", "flag", "leech")
# Flag colours as Anki numbers them (ctrl+1..4); 0 is no flag.
FLAG_COLOURS = {1: "red", 2: "orange", 3: "green", 4: "blue"}


# What `Store.keys_marked` and `Store.keys_within` may ask for (the only SQL they put together).
_MARK_CONDITIONS = {"suspended": "suspended = 1", "buried": "buried_until_ms > ?", "leech": "leech = 1",
                    "flagged": "flag > 0", **{f"flag{n}": f"flag = {n}" for n in FLAG_COLOURS}}
_QUANTITIES = {"difficulty": "difficulty", "stability": "stability", "due_ms": "due_ms",
               "elapsed": "MAX(0, (? - last_review_ms) / 86400000)",
               "interval": "(due_ms - last_review_ms) / 86400000"}
# What a card's counts count, as Anki's reps and lapses, for card info, browse, leeches and the search language
# alike: its scheduled reviews; the times it was answered Again in review state since its last reset. Each is
# read through the partial index of its rows (named: without statistics SQLite takes the wrong one).
_COUNTS = {
    "reps": ("review_log_reps", "mode = 'review'"),
    "lapses": ("review_log_lapses", f"mode = 'review' AND prev_state = {int(CardState.REVIEW)} AND rating = 1 "
               "AND reviewed_ms >= COALESCE((SELECT MAX(at_ms) FROM card_event WHERE card_event.key = review_log.key "
               "AND event = 'reset'), 0)"),
}


def _comparisons(template: str, bounds: Iterable[tuple[str, float]],
                 values: Callable[[float], tuple[object, ...]] = lambda value: (value,)) -> tuple[str, list[object]]:
    """Every (operator, value) bound as `template` with its operator (< <= > >=), joined by AND, and their
    arguments (`values` of each bound's value)."""
    clauses, args = ["1"], []
    for op, value in bounds:
        if op not in ("<", "<=", ">", ">="):
            raise ValueError(f"unknown comparison {op!r}")
        clauses.append(template.format(op=op))
        args.extend(values(value))
    return " AND ".join(clauses), args


class StoreError(UserError):
    """The database cannot be used as it is, or a write did not happen; nothing was changed."""


class UndoConflict(UserError):
    """An undo that would lose a later review of the same card (made by another session)."""


@dataclass(frozen=True, slots=True)
class ReviewDone:
    """A scheduled review, as today's queue reads it (`Store.reviews_since`)."""

    key: str
    prev_state: int | None  # the card's CardState before it (None: it was new)
    was_new: bool
    at_ms: int


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
        # Not dataclasses.asdict, which deep-copies every field: sync writes this for every imported review.
        return json.dumps({name: getattr(self, name) for name in self.__slots__}, separators=(",", ":"))

    def values(self) -> tuple:
        """The fields in order, as the card_state columns (`astuple` without its deep copies)."""
        return tuple(getattr(self, name) for name in self.__slots__)

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
    detail: str | None = None  # JSON: what else the answer recorded (an open question's ticked key points)
    uid: str | None = None  # the entry's UUID, the same on every device
    due_ms: int | None = None  # a scheduled review: the due date its device chose (fuzz included)
    origin: str | None = None  # the device an imported entry came from; None for this device's own


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
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class CardMarks:
    """What the user has set on a card besides its schedule. A card with none has `CardMarks()`."""

    suspended: bool = False
    buried_until_ms: int | None = None  # buried until this moment (the start of a later study day)
    flag: int = 0  # 0 none, else a key of FLAG_COLOURS
    leech: bool = False

    def buried(self, now_ms: int) -> bool:
        return self.buried_until_ms is not None and now_ms < self.buried_until_ms

    def hidden(self, now_ms: int) -> bool:
        """Left out of study now: suspended, or buried until later."""
        return self.suspended or self.buried(now_ms)

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> CardMarks:
        return cls(**json.loads(text))


@dataclass(frozen=True, slots=True)
class NewEvent:
    """A change the user (or a leech) makes to a card: one of EVENTS."""

    key: str
    event: str
    at_ms: int
    value: int | None = None


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    key: str
    event: str
    value: int | None
    at_ms: int
    marks_before: str  # CardMarks as JSON, for undo
    state_before: str | None  # a reset's CardRow as JSON (None when the card had no schedule)
    uid: str | None = None  # the entry's UUID, the same on every device
    origin: str | None = None  # the device an imported entry came from; None for this device's own


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
        self._scheduled_epoch = 0  # counts the times a key may have lost its schedule (see `scheduled_epoch`)

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
                f"cannot write to {shown_path(path if path.exists() else path.parent)}: it is read-only. "
                "quizapp records "
                "every review there; make it writable, or point --data-dir (or $QUIZAPP_DATA_DIR) elsewhere."
            )
        try:
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {shown_path(path)}: {exc}") from None
        store = cls(connection, path)
        try:
            store._prepare()
        except sqlite3.DatabaseError as exc:
            connection.close()
            text = str(exc)
            if "readonly" in text or "read-only" in text or "unable to open" in text:
                raise StoreError(f"cannot write to {shown_path(path)}: {exc}. Make the data folder writable, or "
                                 "point --data-dir elsewhere; the file was left untouched.") from None
            if "locked" in text or "busy" in text:
                raise StoreError(f"{shown_path(path)} is locked by another quizapp that is writing to it; try "
                                 "again in a "
                                 "moment") from None
            raise _unusable(path, exc) from None
        except StoreError:
            connection.close()
            raise
        return store

    def _prepare(self) -> None:
        self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._use_wal()
        self._db.execute("PRAGMA synchronous = FULL")
        if self._db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            self._migrate()

    def _use_wal(self) -> None:
        """Switch a new database to WAL. SQLite does not wait (busy_timeout) for the lock the switch takes: two
        quizapps started at once on a fresh data dir, one of them making the file, failed with "locked" at once."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                if self._db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    self._db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

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
            raise StoreError(f"{shown_path(self.path)} was opened read-only")
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
        # rowid breaks ties as the table's order did before the covering index (so the queue's order stays)
        return self._db.execute(
            "SELECT key, state, due_ms, last_review_ms, stability FROM card_state WHERE due_ms <= ? "
            "ORDER BY due_ms, rowid",
            (until_ms,),
        ).fetchall()

    def reviews_since(self, start_ms: int) -> list[ReviewDone]:
        """Each scheduled review since `start_ms`: what today's queue needs to know of today (buried siblings, new
        cards and reviews done, per topic)."""
        rows = self._db.execute("SELECT key, prev_state, state_before IS NULL, reviewed_ms FROM review_log "
                                "WHERE reviewed_ms >= ? AND mode = 'review'", (start_ms,))
        return [ReviewDone(key, prev_state, bool(was_new), at_ms) for key, prev_state, was_new, at_ms in rows]

    def unburied_since(self, start_ms: int) -> dict[str, int]:
        """Key -> the time of its latest unbury since `start_ms`: a sibling answered before then no longer sets
        the card aside (see `queue.set_aside_by`)."""
        rows = self._db.execute("SELECT key, MAX(at_ms) FROM card_event WHERE event = 'unbury' AND at_ms >= ? "
                                "GROUP BY key", (start_ms,))
        return dict(rows.fetchall())

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

    def interview_log(self) -> list[LogRow]:
        """Every answer given in a mock interview (its detail names the interview), oldest first."""
        rows = self._db.execute(f"SELECT {_LOG_COLUMNS} FROM review_log WHERE detail IS NOT NULL "
                                "AND json_valid(detail) AND json_extract(detail, '$.interview') IS NOT NULL "
                                "ORDER BY reviewed_ms, id")
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
            self._scheduled_epoch += 1
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

    def scheduled_epoch(self) -> int:
        """Changes whenever a key may have lost its schedule (an undo of a first review, a reset, a write by
        another process): a list of new keys made from `scheduled_keys` holds while this stays the same (keys
        only gain schedules meanwhile)."""
        self.scheduled_keys()  # notices another process's writes
        return self._scheduled_epoch

    def _unschedule(self, key: str) -> None:
        if self._scheduled is not None:
            self._scheduled.pop(key, None)
        self._scheduled_epoch += 1

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

    def due_per_day(self, starts_ms: Sequence[int]) -> list[int]:
        """Scheduled cards due on each study day, the days starting at `starts_ms` (ascending; the last is the end
        of the last day, so there is one day fewer): local study days, 23 or 25 hours long where the clocks change,
        as the queue and the forecast count them. Overdue cards count on day 0, suspended ones on none (they are
        not studied until unsuspended, as Anki's load balancer leaves them out)."""
        first, offsets = starts_ms[0], [(start - starts_ms[0]) // totals.QUARTER_MS for start in starts_ms]
        counts = [0] * (len(starts_ms) - 1)
        # Counted by quarter hour from the first day's start (every day starts at a local hour, and every time
        # zone's offset is a multiple of 15 minutes), then each quarter put in its day.
        rows = self._db.execute(
            "SELECT MAX(0, (due_ms - ?) / ?) AS quarter, COUNT(*) FROM card_state WHERE due_ms < ? "
            "AND key NOT IN (SELECT key FROM card_mark WHERE suspended = 1) GROUP BY quarter",
            (first, totals.QUARTER_MS, starts_ms[-1]),
        )
        for quarter, count in rows:
            counts[bisect_right(offsets, quarter) - 1] += int(count)
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

    def marks_of(self, key: str) -> CardMarks:
        row = self._db.execute(f"SELECT {_MARK_COLUMNS} FROM card_mark WHERE key = ?", (key,)).fetchone()
        return _marks(row) if row else CardMarks()

    def marks(self) -> dict[str, CardMarks]:
        """Every card with a mark (suspended, buried now or before, flagged, leech); the others have none."""
        return {row[0]: _marks(row[1:]) for row in self._db.execute(f"SELECT key, {_MARK_COLUMNS} FROM card_mark")}

    def hidden_keys(self, now_ms: int) -> set[str]:
        """Cards left out of study at `now_ms`: suspended, or buried until later."""
        rows = self._db.execute("SELECT key FROM card_mark WHERE suspended = 1 OR buried_until_ms > ?", (now_ms,))
        return {key for (key,) in rows}

    # --- searching (quizapp.study.query reads only what a query's terms need) ---------------------
    # Each takes `among`: when given, only those keys are looked at (one by one, through the primary key or the
    # review log's key index), which beats a scan when they are few.

    def keys_marked(self, mark: str, now_ms: int = 0, among: Collection[str] | None = None) -> set[str]:
        """Cards with a mark: "suspended", "buried" (at `now_ms`), "leech", "flagged" (any colour), or
        "flag1" .. "flag4" (one colour)."""
        condition = _MARK_CONDITIONS.get(mark)
        if condition is None:
            raise ValueError(f"unknown mark {mark!r}; one of {', '.join(_MARK_CONDITIONS)}")
        args = (now_ms,) if "?" in condition else ()
        return self._keys("card_mark", condition, args, among)

    def keys_due(self, until_ms: int, among: Collection[str] | None = None) -> set[str]:
        """Scheduled cards due by `until_ms`."""
        return self._keys("card_state", "due_ms <= ?", (until_ms,), among)

    def keys_in_state(self, states: Iterable[int], among: Collection[str] | None = None) -> set[str]:
        """Scheduled cards in any of these CardStates."""
        wanted = [int(state) for state in states]
        return self._keys("card_state", f"state IN ({','.join('?' * len(wanted))})", wanted, among)

    def keys_reviewed_since(self, start_ms: int, *, rating: int | None = None,
                            among: Collection[str] | None = None) -> set[str]:
        """Keys with a scheduled review since `start_ms` (whose siblings are buried for the day); with `rating`,
        only reviews answered so (1 Again .. 4 Easy)."""
        # No DISTINCT: it would make SQLite walk the whole log in key order instead of today's rows by time.
        answered, args = (" AND rating = ?", (start_ms, int(rating))) if rating is not None else ("", (start_ms,))
        return self._keys("review_log", f"reviewed_ms >= ? AND mode = 'review'{answered}", args, among)

    def keys_introduced_since(self, start_ms: int, among: Collection[str] | None = None) -> set[str]:
        """Keys whose first scheduled review ever (a reset does not make a card new to this) is since `start_ms`:
        the recent reviews by time, each looked back on through the log's key index."""
        return self._keys("review_log AS recent", "reviewed_ms >= ? AND mode = 'review' AND NOT EXISTS (SELECT 1 "
                          "FROM review_log AS earlier WHERE earlier.key = recent.key AND earlier.reviewed_ms < ? "
                          "AND earlier.mode = 'review')", (start_ms, start_ms), among)

    def keys_within(self, quantity: str, bounds: Iterable[tuple[str, float]], now_ms: int = 0,
                    among: Collection[str] | None = None) -> set[str]:
        """Scheduled cards whose `quantity` meets every (operator, value) bound (operators < <= > >=).

        `quantity` is "difficulty", "stability", "due_ms", "interval" (whole days from the last review to the
        due date), or "elapsed": whole days since the last review, compared with value x stability (a point on
        the forgetting curve, so that retrievability is searched in SQL without computing it for every card).
        """
        expression = _QUANTITIES.get(quantity)
        if expression is None:
            raise ValueError(f"unknown quantity {quantity!r}; one of {', '.join(_QUANTITIES)}")
        if quantity == "elapsed":
            clause, args = _comparisons(f"{expression} {{op}} ? * stability", bounds, lambda value: (now_ms, value))
        else:
            clause, args = _comparisons(f"{expression} {{op}} ?", bounds)
        return self._keys("card_state", clause, args, among)

    def keys_counted(self, count: str, bounds: Iterable[tuple[str, float]],
                     among: Collection[str] | None = None, *, failing: bool = False) -> set[str]:
        """Cards with at least one of `count` ("reps" or "lapses", as `reps` and `lapses` count them) whose
        number meets every (operator, value) bound (operators < <= > >=), or with `failing`, misses one; a card
        with none is never among them."""
        if count not in _COUNTS:
            raise ValueError(f"unknown count {count!r}; one of {', '.join(_COUNTS)}")
        index, condition = _COUNTS[count]
        having, args = _comparisons("COUNT(*) {op} ?", bounds)
        if among is not None:
            condition = f"({condition}) AND key IN (SELECT value FROM json_each(?))"
            args.insert(0, json_keys(among))
        counted = f"(SELECT key FROM review_log INDEXED BY {index} WHERE {condition} GROUP BY key HAVING {'NOT ' * failing}({having}))"
        return self._keys(counted, "1", args, None)

    def _keys(self, table: str, condition: str, args: Sequence[object], among: Collection[str] | None) -> set[str]:
        """The keys of `table`'s rows that meet `condition`, read as one string: with tens of thousands of rows,
        making a tuple of each was most of a search's time. A key never holds NUL (ids are slugs)."""
        if among is not None:
            condition = f"({condition}) AND key IN (SELECT value FROM json_each(?))"
            args = [*args, json_keys(among)]
        joined = self._db.execute(f"SELECT group_concat(key, char(0)) FROM {table} WHERE {condition}",
                                  args).fetchone()[0]
        return set(joined.split("\0")) if joined else set()

    def events(self, key: str | None = None) -> list[EventRow]:
        where, args = ("WHERE key = ?", (key,)) if key is not None else ("", ())
        rows = self._db.execute(f"SELECT {_EVENT_COLUMNS} FROM card_event {where} ORDER BY at_ms, id", args)
        return [EventRow(*row) for row in rows]

    def event(self, event_id: int) -> EventRow | None:
        row = self._db.execute(f"SELECT {_EVENT_COLUMNS} FROM card_event WHERE id = ?", (event_id,)).fetchone()
        return EventRow(*row) if row else None

    def lapses(self, key: str) -> int:
        """Times a card in review state was answered Again, since its last reset (Anki's lapses)."""
        return self._count("lapses", key)

    def reps(self, key: str) -> int:
        """A card's scheduled reviews (Anki's reps)."""
        return self._count("reps", key)

    def _count(self, count: str, key: str) -> int:
        index, condition = _COUNTS[count]
        return int(self._db.execute(f"SELECT COUNT(*) FROM review_log INDEXED BY {index} WHERE key = ? AND "
                                    f"{condition}", (key,)).fetchone()[0])

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
                "first_of_day) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
                    review.detail,
                    str(uuid.uuid4()),
                    new_state.due_ms if new_state is not None else None,
                    None,
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
            forget(db, entry.uid, entry.reviewed_ms)
            if entry.mode == "review":
                if entry.state_before is None:
                    db.execute("DELETE FROM card_state WHERE key = ?", (entry.key,))
                else:
                    db.execute(_UPSERT_CARD, astuple(CardRow.from_json(entry.state_before)))
        if entry.mode == "review" and entry.state_before is None:
            self._unschedule(entry.key)
        return entry

    def apply(self, events: Iterable[NewEvent], *, set_aside: Collection[str] = ()) -> list[EventRow]:
        """Append card events and set the marks they produce, all in one transaction.

        A reset puts the card back to new (its schedule goes, its history stays); the others set marks.
        An event that would change nothing (suspending a suspended card) is not written, except the unbury of a
        card in `set_aside` (left out today as the sibling of a card answered today): its time brings it back.
        """
        written = []
        with self._write() as db:
            for event in events:
                row = self._apply_one(db, event, event.event == "unbury" and event.key in set_aside)
                if row is not None:
                    written.append(row)
        for row in written:
            if row.event == "reset":
                self._unschedule(row.key)
        return written

    def _apply_one(self, db: sqlite3.Connection, event: NewEvent, write_unchanged: bool = False) -> EventRow | None:
        if event.event not in EVENTS:
            raise ValueError(f"unknown card event {event.event!r}; one of {', '.join(EVENTS)}")
        before = self.marks_of(event.key)
        state = self.card(event.key) if event.event == "reset" else None
        after = apply_event(before, event)
        if after == before and (event.event != "reset" or state is None) and not write_unchanged:
            return None
        cursor = db.execute(
            f"INSERT INTO card_event ({_EVENT_COLUMNS.removeprefix('id, ')}) VALUES (?,?,?,?,?,?,?,?)",
            (event.key, event.event, event.value, event.at_ms, before.to_json(), state.to_json() if state else None,
             str(uuid.uuid4()), None),
        )
        if event.event == "reset":
            db.execute("DELETE FROM card_state WHERE key = ?", (event.key,))
        write_marks(db, event.key, after)
        return self.event(cursor.lastrowid)

    def undo_event(self, event_id: int) -> EventRow | None:
        """Take back a card event: the card's marks (and a reset's schedule) as they were; None if gone.

        Like a review's undo, it refuses to throw away a later change of the same card made elsewhere.
        """
        with self._write() as db:
            entry = self.event(event_id)
            if entry is None:
                return None
            later = db.execute("SELECT 1 FROM card_event WHERE key = ? AND (at_ms > ? OR (at_ms = ? AND id > ?))",
                               (entry.key, entry.at_ms, entry.at_ms, entry.id)).fetchone()
            reviewed = entry.event == "reset" and db.execute(
                "SELECT 1 FROM review_log WHERE key = ? AND mode = 'review' AND reviewed_ms >= ?",
                (entry.key, entry.at_ms)).fetchone()
            if later or reviewed:
                raise UndoConflict(f"{entry.key} was changed again after this {entry.event}; undoing it now "
                                   "would lose that change, so it stays")
            db.execute("DELETE FROM card_event WHERE id = ?", (event_id,))
            forget(db, entry.uid, entry.at_ms)
            write_marks(db, entry.key, CardMarks.from_json(entry.marks_before))
            if entry.state_before is not None:
                db.execute(_UPSERT_CARD, astuple(CardRow.from_json(entry.state_before)))
        if entry.state_before is not None and self._scheduled is not None:
            self._scheduled[entry.key] = None
        return entry

    def set_meta(self, name: str, value: str) -> None:
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction on the raw connection, for a module that keeps its own tables and writes many
        entries at once (sync); the caller keeps every table consistent, as the methods here do."""
        try:
            with self._write() as db:
                yield db
        finally:
            self._scheduled = None

    def rows(self, sql: str, args: Sequence[object] = ()) -> list[tuple]:
        """The rows of one read-only query (sync's status)."""
        return self._db.execute(sql, args).fetchall()

    def bulk_load(self, cards: Iterable[CardRow], reviews: Iterable[NewReview]) -> None:
        """Fast insert for benchmarks and imports (one transaction; no per-row durability)."""
        with self._write() as db:
            db.executemany(_UPSERT_CARD, (astuple(card) for card in cards))
            db.executemany(
                f"INSERT INTO review_log ({_LOG_COLUMNS.removeprefix('id, ')}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    (r.key, r.card_id, r.rating, r.reviewed_ms, r.duration_ms, r.mode,
                     None if r.correct is None else int(r.correct), r.answer, r.seed, r.content_hash, None, r.detail,
                     str(uuid.uuid4()), None, None)
                    for r in reviews
                ),
            )
            for statement in filter(str.strip, totals.REBUILD.split(";")):
                db.execute(statement)
        self._scheduled = None
        self._scheduled_epoch += 1


def forget(db: sqlite3.Connection, uid: str | None, at_ms: int, origin: str | None = None) -> None:
    """Leave a tombstone for an undone entry, so the undo reaches other devices and the entry, if it comes
    back from one of them, stays undone. `origin` is the device the undo came from (None: this one)."""
    if uid is not None:
        db.execute("INSERT OR IGNORE INTO undone (uid, origin, at_ms) VALUES (?, ?, ?)", (uid, origin, at_ms))


def _marks(row: tuple) -> CardMarks:
    suspended, buried_until_ms, flag, leech = row
    return CardMarks(bool(suspended), buried_until_ms, int(flag), bool(leech))


def apply_event(marks: CardMarks, event: NewEvent) -> CardMarks:
    """The marks after `event`."""
    if event.event in ("suspend", "unsuspend"):
        return replace(marks, suspended=event.event == "suspend")
    if event.event == "bury":
        if event.value is None:
            raise ValueError("a bury event needs the end of the burial as its value")
        return replace(marks, buried_until_ms=event.value)
    if event.event == "unbury":
        return replace(marks, buried_until_ms=None)
    if event.event == "flag":
        if event.value not in (0, *FLAG_COLOURS):
            raise ValueError(f"flag {event.value!r}: use 0 (none) or 1-4 ({', '.join(FLAG_COLOURS.values())})")
        return replace(marks, flag=event.value)
    if event.event == "leech":
        return replace(marks, leech=True)
    return marks  # reset: the schedule goes, marks stay


def json_keys(keys: Iterable[str]) -> str:
    """`keys` as one JSON array, a single parameter that `json_each` reads: one statement for any number of keys
    (`IN (?, ?, ...)` has a limit on parameters). Sorted, so that they are looked up in index order."""
    return json.dumps(sorted(keys))


def write_card(db: sqlite3.Connection, key: str, state: CardRow | None) -> None:
    """Store a card's schedule (None: it has none, it is new)."""
    write_cards(db, {key: state})


def write_cards(db: sqlite3.Connection, states: dict[str, CardRow | None]) -> None:
    """Store the schedule of each card (None: it has none), with one statement for all of them."""
    db.executemany("DELETE FROM card_state WHERE key = ?", [(key,) for key, state in states.items() if state is None])
    db.executemany(_UPSERT_CARD, [state.values() for state in states.values() if state is not None])


def write_marks(db: sqlite3.Connection, key: str, marks: CardMarks) -> None:
    write_many_marks(db, {key: marks})


def write_many_marks(db: sqlite3.Connection, marks: dict[str, CardMarks]) -> None:
    """Store the marks of each card (`CardMarks()`: it has none), with one statement for all of them."""
    db.executemany("DELETE FROM card_mark WHERE key = ?", [(key,) for key, mark in marks.items() if mark == CardMarks()])
    db.executemany(f"INSERT OR REPLACE INTO card_mark (key, {_MARK_COLUMNS}) VALUES (?,?,?,?,?)",
                   [(key, int(mark.suspended), mark.buried_until_ms, mark.flag, int(mark.leech))
                    for key, mark in marks.items() if mark != CardMarks()])


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
            f"{shown_path(path)} was written by a newer quizapp (schema {version}; this one knows {SCHEMA_VERSION}). "
            "Upgrade quizapp; the file was left untouched."
        )
    if version == 0 and tables:
        raise StoreError(f"{shown_path(path)} is another application's SQLite database (tables "
                         f"{', '.join(sorted(tables))}), "
                         "not quizapp's. It was left untouched: move it aside, or point --data-dir elsewhere.")
    expected = set().union(*(_TABLES[v] for v in range(1, version + 1)))
    if expected - tables:
        raise StoreError(f"{shown_path(path)} says it is a quizapp database (schema {version}) but has no "
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
        return f"{shown_path(path)} is locked by another quizapp; nothing was recorded. Try again in a moment"
    if "full" in text:
        return f"the disk holding {shown_path(path)} is full; nothing was recorded. Free some space and try again"
    return f"cannot write to {shown_path(path)}: {exc}; nothing was recorded"


def _unusable(path: Path, exc: sqlite3.DatabaseError) -> StoreError:
    return StoreError(
        f"{shown_path(path)} is not a usable quizapp database ({exc}). It was left untouched: move it aside "
        "to start afresh, or point --data-dir elsewhere."
    )
