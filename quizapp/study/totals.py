"""Running statistics kept beside the review log, so the home screen and Stats never scan the whole log.

- `review_quarters`: reviews and passes per quarter hour (every time zone's offset is a multiple of 15 minutes,
  so any local day is an exact sum of quarters);
- `review_topics`: reviews and passes per topic;
- `review_log.first_of_day`: whether a scheduled review was the card's first of its UTC day (true retention).

Every write of the log goes through `add` or `remove` inside the store's transaction.
"""

from __future__ import annotations

import sqlite3

__all__ = ["DAY_MS", "FIRST_OF_DAY", "PASSED", "QUARTER_MS", "REBUILD", "add", "add_after", "first_of_day",
           "refresh_first_of_day", "remove"]

QUARTER_MS = 15 * 60 * 1000
DAY_MS = 86_400_000

# The one rule for "passed": an auto-checked answer by its check, any other by a rating above Again.
PASSED = "(CASE WHEN correct IS NULL THEN rating > 1 ELSE correct END)"

# Whether a row of review_log is its card's first scheduled review of its UTC day.
FIRST_OF_DAY = f"""(mode = 'review' AND NOT EXISTS (
        SELECT 1 FROM review_log AS earlier
        WHERE earlier.key = review_log.key AND earlier.mode = 'review'
          AND earlier.reviewed_ms >= review_log.reviewed_ms / {DAY_MS} * {DAY_MS}
          AND (earlier.reviewed_ms < review_log.reviewed_ms
               OR (earlier.reviewed_ms = review_log.reviewed_ms AND earlier.id < review_log.id))))"""

# Recomputes every total from the log (after a bulk load).
REBUILD = f"""
    DELETE FROM review_quarters;
    INSERT INTO review_quarters (quarter, reviews, passed)
        SELECT reviewed_ms / {QUARTER_MS}, COUNT(*), SUM({PASSED}) FROM review_log GROUP BY 1;
    DELETE FROM review_topics;
    INSERT INTO review_topics (topic, reviews, passed)
        SELECT substr(key, 1, instr(key, '/') - 1), COUNT(*), SUM({PASSED}) FROM review_log GROUP BY 1;
    UPDATE review_log SET first_of_day = {FIRST_OF_DAY};
"""

_UPSERT = "ON CONFLICT DO UPDATE SET reviews = reviews + excluded.reviews, passed = passed + excluded.passed"


def add_after(db: sqlite3.Connection, last_id: int) -> None:
    """Count every review inserted after the row `last_id` (a batch imported by sync), and set `first_of_day`
    again on every review of the same card and UTC day (an imported review may come first)."""
    db.execute(f"INSERT INTO review_quarters (quarter, reviews, passed) SELECT reviewed_ms / {QUARTER_MS}, COUNT(*), "
               f"SUM({PASSED}) FROM review_log WHERE id > ? GROUP BY 1 {_UPSERT}", (last_id,))
    db.execute(f"INSERT INTO review_topics (topic, reviews, passed) SELECT substr(key, 1, instr(key, '/') - 1), "
               f"COUNT(*), SUM({PASSED}) FROM review_log WHERE id > ? GROUP BY 1 {_UPSERT}", (last_id,))
    days = db.execute(f"SELECT DISTINCT key, reviewed_ms / {DAY_MS} FROM review_log WHERE id > ? AND mode = 'review'",
                      (last_id,)).fetchall()
    refresh_first_of_day(db, days)


def refresh_first_of_day(db: sqlite3.Connection, days: list[tuple[str, int]]) -> None:
    """Set `first_of_day` again on the reviews of each (card key, UTC day number)."""
    db.executemany(f"UPDATE review_log SET first_of_day = {FIRST_OF_DAY} "
                   f"WHERE key = ? AND reviewed_ms >= ? * {DAY_MS} AND reviewed_ms < (? + 1) * {DAY_MS}",
                   ((key, day, day) for key, day in days))


def add(db: sqlite3.Connection, log_id: int) -> None:
    """Count a review just inserted into the log."""
    _change(db, log_id, +1)


def remove(db: sqlite3.Connection, log_id: int) -> None:
    """Uncount a review about to be deleted from the log."""
    _change(db, log_id, -1)


def first_of_day(db: sqlite3.Connection, key: str, mode: str, reviewed_ms: int) -> bool:
    """Whether a review about to be logged is the card's first scheduled review of its UTC day."""
    if mode != "review":
        return False
    day_start = reviewed_ms // DAY_MS * DAY_MS
    earlier = db.execute("SELECT 1 FROM review_log WHERE key = ? AND mode = 'review' AND reviewed_ms >= ? LIMIT 1",
                         (key, day_start)).fetchone()
    return earlier is None


def _change(db: sqlite3.Connection, log_id: int, sign: int) -> None:
    db.execute(f"INSERT INTO review_quarters (quarter, reviews, passed) SELECT reviewed_ms / {QUARTER_MS}, ?, "
               f"? * {PASSED} FROM review_log WHERE id = ? {_UPSERT}", (sign, sign, log_id))
    db.execute(f"INSERT INTO review_topics (topic, reviews, passed) SELECT substr(key, 1, instr(key, '/') - 1), ?, "
               f"? * {PASSED} FROM review_log WHERE id = ? {_UPSERT}", (sign, sign, log_id))
