"""Today's queue: due learning cards, then due reviews (most overdue first), then new cards in deck order.

A session builds its queue once and then changes it as it goes (a rated card leaves it; a card still in
learning comes back at its due time); it is built again only when another process has written to the store,
after an undo, or when a new study day begins.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from quizapp.config import Settings
from quizapp.deck.model import Deck, StudyItem
from quizapp.study.clock import StudyDay, from_ms, to_ms
from quizapp.study.store import CardRow, CardState, Store

__all__ = ["LEARN_AHEAD", "Queue", "QueueCounts", "build_queue", "unseen_items"]

# When nothing else is left, a learning card due within this window is shown early (as Anki does).
LEARN_AHEAD = timedelta(minutes=20)
_LEARNING = (CardState.LEARNING, CardState.RELEARNING)


@dataclass(frozen=True, slots=True)
class QueueCounts:
    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass(slots=True)
class Queue:
    """What is left to study today. `learning` holds (due_ms, item), soonest first, up to the day's end."""

    learning: list[tuple[int, StudyItem]] = field(default_factory=list)
    review: list[StudyItem] = field(default_factory=list)
    new: list[StudyItem] = field(default_factory=list)
    day_end_ms: int = 0

    def head(self, now: datetime) -> StudyItem | None:
        """The next item: a learning card due now, then reviews, then new cards, then learning ahead."""
        now_ms = to_ms(now)
        if self.learning and self.learning[0][0] <= now_ms:
            return self.learning[0][1]
        if self.review:
            return self.review[0]
        if self.new:
            return self.new[0]
        if self.learning and self.learning[0][0] <= to_ms(now + LEARN_AHEAD):
            return self.learning[0][1]
        return None

    def counts(self, now: datetime) -> QueueCounts:
        now_ms = to_ms(now)
        due = sum(1 for due_ms, _ in self.learning if due_ms <= now_ms)
        return QueueCounts(new=len(self.new), learning=due, review=len(self.review))

    def next_learning_due(self, now: datetime) -> datetime | None:
        """When the soonest learning card not yet due comes back, if it does today."""
        now_ms = to_ms(now)
        later = [due_ms for due_ms, _ in self.learning if due_ms > now_ms]
        return from_ms(min(later)).astimezone(now.tzinfo) if later else None

    def answered(self, key: str, state: CardRow | None, item: StudyItem) -> None:
        """A card was rated: it leaves the queue, and comes back at its due time if still learning today."""
        self.learning = [pair for pair in self.learning if pair[1].key != key]
        self.review = [i for i in self.review if i.key != key]
        self.new = [i for i in self.new if i.key != key]
        if state is not None and state.state in _LEARNING and state.due_ms < self.day_end_ms:
            bisect.insort(self.learning, (state.due_ms, item), key=lambda pair: pair[0])

    def __iter__(self) -> Iterator[StudyItem]:
        yield from (item for _, item in self.learning)
        yield from self.review
        yield from self.new


def build_queue(deck: Deck, store: Store, settings: Settings, now: datetime, day: StudyDay,
                topics: Sequence[str] | None = None) -> Queue:
    wanted = set(topics) if topics else None
    learning: list[tuple[int, StudyItem]] = []
    review: list[tuple[int, StudyItem]] = []
    end_ms = to_ms(day.end)
    for key, state, due_ms in store.due_keys(until_ms=end_ms):
        item = deck.item(key)
        if item is None or (wanted and item.topic not in wanted):
            continue  # orphaned (no longer in the content) or filtered out
        (learning if state in _LEARNING else review).append((due_ms, item))
    _, new_done, review_cards_done = store.review_counts_since(to_ms(day.start))
    review_slots = max(0, settings.reviews_per_day - review_cards_done)
    new_slots = max(0, settings.new_per_day - new_done)
    return Queue(
        learning=learning,  # already soonest first: due_keys sorts by due time
        review=[item for _, item in review[:review_slots]],
        new=unseen_items(deck, store.scheduled_keys(), topics, new_slots),
        day_end_ms=end_ms,
    )


def unseen_items(deck: Deck, scheduled: Collection[str], topics: Sequence[str] | None, limit: int) -> list[StudyItem]:
    """The first `limit` study items, in deck order, that have no schedule yet."""
    found: list[StudyItem] = []
    for topic in (deck.topics if not topics else [deck.topic(slug) for slug in topics]):
        for item in topic.items:
            if len(found) >= limit:
                return found
            if item.key not in scheduled:
                found.append(item)
    return found
