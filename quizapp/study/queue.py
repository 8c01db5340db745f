"""Today's queue: due learning cards, then due reviews (most overdue first), then new cards in deck order."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from quizapp.config import Settings
from quizapp.deck.model import Deck, StudyItem
from quizapp.study.clock import StudyDay, to_ms
from quizapp.study.store import Store

__all__ = ["LEARN_AHEAD", "Queue", "build_queue"]

LEARNING_STATES = (1, 3)  # fsrs State.Learning, State.Relearning
REVIEW_STATE = 2
# When nothing else is left, a learning card due within this window is shown early (as Anki does).
LEARN_AHEAD = timedelta(minutes=20)


class Queue(NamedTuple):
    learning: tuple[StudyItem, ...] = ()
    review: tuple[StudyItem, ...] = ()
    new: tuple[StudyItem, ...] = ()
    next_learning_due: datetime | None = None  # the soonest learning card not yet shown

    @property
    def head(self) -> StudyItem | None:
        """The next item: learning first, then reviews, then new."""
        for part in (self.learning, self.review, self.new):
            if part:
                return part[0]
        return None


def build_queue(
    deck: Deck,
    store: Store,
    settings: Settings,
    now: datetime,
    day: StudyDay,
    topics: list[str] | None = None,
) -> Queue:
    wanted = set(topics) if topics else None
    learning: list[tuple[int, StudyItem]] = []
    review: list[tuple[int, StudyItem]] = []
    later: list[tuple[int, StudyItem]] = []
    now_ms, end_ms = to_ms(now), to_ms(day.end)
    for key, state, due_ms in store.due_keys(until_ms=end_ms):
        item = deck.item(key)
        if item is None or (wanted and item.topic not in wanted):
            continue  # orphaned (no longer in the content) or filtered out
        if state in LEARNING_STATES:
            (learning if due_ms <= now_ms else later).append((due_ms, item))
        else:
            review.append((due_ms, item))
    reviews_done, new_done, review_cards_done = store.review_counts_since(to_ms(day.start))
    review_slots = max(0, settings.reviews_per_day - review_cards_done)
    new_slots = max(0, settings.new_per_day - new_done)
    new = _new_items(deck, store, topics, new_slots)
    learning.sort(key=lambda pair: pair[0])
    review.sort(key=lambda pair: pair[0])
    later.sort(key=lambda pair: pair[0])
    queue_learning = [item for _, item in learning]
    queue_review = [item for _, item in review[:review_slots]]
    if not (queue_learning or queue_review or new) and later and later[0][0] <= to_ms(now + LEARN_AHEAD):
        queue_learning = [later.pop(0)[1]]
    return Queue(
        learning=tuple(queue_learning),
        review=tuple(queue_review),
        new=tuple(new),
        next_learning_due=datetime.fromtimestamp(later[0][0] / 1000, now.tzinfo) if later else None,
    )


def _new_items(deck: Deck, store: Store, topics: list[str] | None, limit: int) -> list[StudyItem]:
    if limit <= 0:
        return []
    return deck.first_unseen(store.known_keys(), topics, limit)
