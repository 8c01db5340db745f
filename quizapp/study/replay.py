"""Every stored state from the logs alone: what undo, `card info` and sync rest on.

The review log and the card-event log together are the history; `card_state` and `card_mark` are what
replaying them gives. `replay` recomputes both from the entries, oldest first, so a test, or a device that
imported another's entries, can check or rebuild what is stored.

The same entries give the same states on every device:
- entries are ordered by (time, reviews before events, entry UUID), never by a local row id;
- fsrs computes state, step, stability and difficulty, which are deterministic; the due date is not (fuzz, and
  load balancing that looks at the device's other cards), so a scheduled review's due date is the one its
  device chose and logged (`LogRow.due_ms`), and only an entry without one (logged before schema 5) gets the
  due date fsrs computes. Pass a `Scheduling` with fuzz off, so that due date is deterministic too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from fsrs import Rating

from quizapp.study.clock import from_ms
from quizapp.study.scheduling import Scheduling
from quizapp.study.store import (
    CardMarks,
    CardRow,
    EventRow,
    LogRow,
    NewEvent,
    apply_event,
)

__all__ = ["Replayed", "order_key", "replay", "step"]

Entry = LogRow | EventRow


@dataclass(frozen=True, slots=True)
class Replayed:
    states: dict[str, CardRow]  # every scheduled card
    marks: dict[str, CardMarks]  # every card with a mark


def order_key(entry: Entry) -> tuple[int, int, str, int]:
    """Where an entry goes in replay: its time, reviews first (a leech mark follows the review that made it),
    then its UUID, the same on every device (the local id only breaks ties between entries without one)."""
    if isinstance(entry, LogRow):
        return entry.reviewed_ms, 0, entry.uid or "", entry.id
    return entry.at_ms, 1, entry.uid or "", entry.id


def step(entry: Entry, state: CardRow | None, marks: CardMarks,
         scheduling: Scheduling) -> tuple[CardRow | None, CardMarks]:
    """A card's schedule and marks after one more of its entries. Unscheduled reviews change nothing."""
    if isinstance(entry, LogRow):
        if entry.mode != "review":
            return state, marks
        topic = entry.key.split("/", 1)[0]
        after = scheduling.review(entry.key, topic, state, Rating(entry.rating), from_ms(entry.reviewed_ms),
                                  entry.content_hash)
        return (after if entry.due_ms is None else replace(after, due_ms=entry.due_ms)), marks
    if entry.event == "reset":
        state = None
    return state, apply_event(marks, NewEvent(entry.key, entry.event, entry.at_ms, entry.value))


def replay(reviews: Iterable[LogRow], events: Iterable[EventRow], scheduling: Scheduling) -> Replayed:
    """The card states and marks that `reviews` (only scheduled ones count) and `events` produce."""
    entries: list[Entry] = [row for row in reviews if row.mode == "review"]
    entries += events
    states: dict[str, CardRow] = {}
    marks: dict[str, CardMarks] = {}
    for entry in sorted(entries, key=order_key):
        state, mark = step(entry, states.get(entry.key), marks.get(entry.key, CardMarks()), scheduling)
        if state is None:
            states.pop(entry.key, None)
        else:
            states[entry.key] = state
        if mark == CardMarks():
            marks.pop(entry.key, None)
        else:
            marks[entry.key] = mark
    return Replayed(states, marks)
