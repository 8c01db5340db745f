"""Every stored state from the logs alone: what undo, `card info` and sync rest on.

The review log and the card-event log together are the history; `card_state` and `card_mark` are what
replaying them gives. `replay` recomputes both from the entries, oldest first (reviews and events at the
same moment in the order they were written), so a test, or a device that imported another's entries, can
check or rebuild what is stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fsrs import Rating

from quizapp.study.clock import from_ms
from quizapp.study.scheduling import Scheduling
from quizapp.study.store import CardMarks, CardRow, EventRow, LogRow, NewEvent, apply_event

__all__ = ["Replayed", "replay"]


@dataclass(frozen=True, slots=True)
class Replayed:
    states: dict[str, CardRow]  # every scheduled card
    marks: dict[str, CardMarks]  # every card with a mark


def replay(reviews: Iterable[LogRow], events: Iterable[EventRow], scheduling: Scheduling) -> Replayed:
    """The card states and marks that `reviews` (only scheduled ones count) and `events` produce."""
    entries = [(row.reviewed_ms, 0, row.id, row) for row in reviews if row.mode == "review"]
    entries += [(row.at_ms, 1, row.id, row) for row in events]
    states: dict[str, CardRow] = {}
    marks: dict[str, CardMarks] = {}
    for _, _, _, entry in sorted(entries, key=lambda item: item[:3]):
        if isinstance(entry, LogRow):
            topic = entry.key.split("/", 1)[0]
            states[entry.key] = scheduling.review(entry.key, topic, states.get(entry.key), Rating(entry.rating),
                                                  from_ms(entry.reviewed_ms), entry.content_hash)
            continue
        if entry.event == "reset":
            states.pop(entry.key, None)
        after = apply_event(marks.get(entry.key, CardMarks()), NewEvent(entry.key, entry.event, entry.at_ms,
                                                                         entry.value))
        if after == CardMarks():
            marks.pop(entry.key, None)
        else:
            marks[entry.key] = after
    return Replayed(states, marks)
