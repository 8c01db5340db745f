"""`quizapp export reviews`: the review log as CSV in the layout the FSRS optimizer tools read.

Columns (see the fsrs-optimizer README, "Review Logs Schema"): card_id, review_time (ms since the epoch,
UTC), review_rating (1-4), review_state (the state *before* the review: 0 new, 1 learning, 2 review,
3 relearning) and review_duration (ms). One row per review, oldest first.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

from quizapp.safewrite import atomic_write, check_target, database_files
from quizapp.study.store import LogRow, Store

__all__ = ["ALL_MODES", "COLUMNS", "SCHEDULED_MODES", "review_rows", "write_reviews_csv"]

COLUMNS = ("card_id", "review_time", "review_rating", "review_state", "review_duration")
SCHEDULED_MODES = ("review",)
ALL_MODES = ("review", "quiz", "cram")
NEW = 0


def write_reviews_csv(store: Store, out: Path, modes: Sequence[str] = SCHEDULED_MODES, *,
                      force: bool = False, keys: Collection[str] | None = None) -> int:
    """Write the log to `out` (replacing a file only with `force`, never the store's database); returns the
    number of reviews written. With `keys` (as a search chose them), only the reviews of those cards."""
    protected = database_files(store.path)
    check_target(out, force=force, protected=protected)
    log = store.log() if keys is None else [entry for entry in store.log() if entry.key in keys]
    rows = review_rows(log, {row.key: row.state for row in store.cards()}, modes)
    with atomic_write(out, force=force, protected=protected) as partial:
        with partial.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows(rows)
    return len(rows)


def review_rows(log: Sequence[LogRow], current_states: dict[str, int], modes: Iterable[str]) -> list[tuple]:
    """CSV rows for the reviews in `modes`, from the whole log (oldest first) and each card's current state.

    A scheduled review stores the card as it was before; a quiz or cram review does not, so its state is
    the one the card had then: the state before the next scheduled review, or the current one. Walking the
    log backwards gives exactly that.
    """
    wanted = set(modes)
    state_now = dict(current_states)
    rows = []
    for entry in reversed(log):
        if entry.mode == "review":
            state = json.loads(entry.state_before)["state"] if entry.state_before else NEW
            state_now[entry.key] = state
        else:
            state = state_now.get(entry.key, NEW)
        if entry.mode in wanted:
            duration = "" if entry.duration_ms is None else entry.duration_ms
            rows.append((entry.card_id, entry.reviewed_ms, entry.rating, state, duration))
    rows.reverse()
    return rows
