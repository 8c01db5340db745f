"""What the user does to cards besides answering them: suspend, bury, reset (forget), flag.

One place turns an action on some keys into card events for the store, for the CLI, the review session and
browse alike. Burying lasts until the next study day begins; unburying also brings back a card set aside as
the sibling of one answered today; a reset puts a card back to new and keeps its history; a flag is one of
four colours (0 clears it).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from quizapp.study.clock import StudyDay, to_ms
from quizapp.study.store import FLAG_COLOURS, CardMarks, EventRow, NewEvent, Store

__all__ = ["ACTIONS", "FLAG_NAMES", "describe_marks", "leech_events", "mark"]

ACTIONS = ("suspend", "unsuspend", "bury", "unbury", "reset", "flag")
FLAG_NAMES = {name: number for number, name in FLAG_COLOURS.items()} | {"none": 0}


def mark(store: Store, keys: Iterable[str], action: str, day: StudyDay, at_ms: int,
         flag: int | None = None, set_aside: Collection[str] = ()) -> list[EventRow]:
    """Apply `action` to every key in one transaction; the events written (a no-op writes none).

    `set_aside`: the cards today's queue leaves out as siblings of a card answered today (`queue.buried_siblings`);
    unburying one brings it back today, as Anki's unbury does, even when it was not buried by hand, until another
    of its siblings is answered."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    if action == "flag" and flag is None:
        raise ValueError("flag needs a colour: 0 (none) or 1-4")
    value = {"bury": to_ms(day.end), "flag": flag}.get(action)
    return store.apply((NewEvent(key, action, at_ms, value) for key in keys), set_aside=set_aside)


def leech_events(store: Store, key: str, at_ms: int, threshold: int, action: str) -> tuple[list[NewEvent], bool]:
    """After a lapse of `key`: the events that make it a leech, and whether to warn the user now.

    A card becomes a leech when its lapses reach `threshold` and is warned about again every half
    threshold after that (8, 12, 16 ...), as Anki does; with `action == "suspend"` it is suspended each time.
    """
    lapses = store.lapses(key)
    step = max(1, threshold // 2)
    if lapses < threshold or (lapses - threshold) % step:
        return [], False
    events = [NewEvent(key, "leech", at_ms)]
    if action == "suspend":
        events.append(NewEvent(key, "suspend", at_ms))
    return events, True


def describe_marks(marks: CardMarks, now_ms: int, set_aside_by: str | None = None) -> list[str]:
    """Words for a card's marks, e.g. ["suspended", "flag: red"], for card info and plain mode; `set_aside_by`:
    the sibling answered today for which today's queue leaves the card out (`queue.set_aside_by`)."""
    words = []
    if marks.suspended:
        words.append("suspended")
    if marks.buried(now_ms):
        words.append("buried")
    if set_aside_by is not None:
        words.append(f"set aside until tomorrow (sibling of {set_aside_by})")
    if marks.leech:
        words.append("leech")
    if marks.flag:
        words.append(f"flag: {FLAG_COLOURS[marks.flag]}")
    return words
