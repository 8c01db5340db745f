"""The card list of browse: one row per study item with what its columns show and sort by.

Data only: the browse screen turns rows into cells. Sorting keeps cards without a value (new cards have no
due date, interval, difficulty or recall) after the others in either direction, as Anki's browser does.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from quizapp.deck.model import StudyItem
from quizapp.study.scheduling import Scheduling
from quizapp.study.store import CardMarks, Store

__all__ = ["SORTS", "ListedCard", "list_cards", "sort_cards"]

DAY_MS = 86_400_000
SORTS = ("deck", "due", "interval", "difficulty", "lapses", "recall", "topic")


@dataclass(frozen=True, slots=True)
class ListedCard:
    item: StudyItem
    order: int  # position in deck order
    due_ms: int | None  # None while new
    interval_days: float | None  # from the last review to the due date
    difficulty: float | None
    lapses: int
    recall: float | None  # retrievability now
    marks: CardMarks
    set_aside: bool = False  # today's queue leaves it out until the next study day: a sibling was answered today

    @property
    def key(self) -> str:
        return self.item.key

    def value(self, sort: str) -> object:
        """What the list sorts by for `sort` (one of SORTS); None sorts last."""
        if sort == "deck":
            return self.order
        if sort == "topic":
            return (self.item.topic, self.order)
        if sort == "recall":
            return self.recall
        return getattr(self, {"due": "due_ms", "interval": "interval_days"}.get(sort, sort))


def list_cards(items: Iterable[StudyItem], store: Store, scheduling: Scheduling, now: datetime,
               set_aside: Collection[str] = ()) -> list[ListedCard]:
    """A row for each item, in the order given; one read of the store's schedules and marks for all. `set_aside`:
    the items buried as siblings of a card answered today (`queue.buried_siblings`)."""
    schedules = {row.key: row for row in store.cards()}
    marks = store.marks()
    rows = []
    for order, item in enumerate(items):
        row = schedules.get(item.key)
        interval = None
        if row is not None and row.last_review_ms is not None:
            interval = max(0.0, (row.due_ms - row.last_review_ms) / DAY_MS)
        rows.append(ListedCard(
            item=item, order=order,
            due_ms=row.due_ms if row else None,
            interval_days=interval,
            difficulty=row.difficulty if row else None,
            lapses=store.lapses(item.key) if row else 0,  # a card never reviewed has lapsed never
            recall=scheduling.retrievability(row, now) if row and row.last_review_ms is not None else None,
            marks=marks.get(item.key, CardMarks()),
            set_aside=item.key in set_aside,
        ))
    return rows


def sort_cards(rows: Sequence[ListedCard], sort: str, *, reverse: bool = False) -> list[ListedCard]:
    """`rows` ordered by `sort`, ties in deck order; rows without a value last either way."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; one of {', '.join(SORTS)}")
    valued = [row for row in rows if row.value(sort) is not None]
    missing = [row for row in rows if row.value(sort) is None]
    valued.sort(key=lambda row: row.order)
    valued.sort(key=lambda row: row.value(sort), reverse=reverse)  # stable: ties stay in deck order
    return valued + sorted(missing, key=lambda row: row.order)

