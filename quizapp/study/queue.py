"""Today's queue: learning cards when due, reviews and new cards (mixed as the settings say), siblings buried.

Reviews come most overdue first; when more are due than today's limit allows, the ones least likely to be
recalled come first (Anki's FSRS order). New cards come in turn from each topic (or in deck order, or in an
order drawn for the study day). When one card of a note is answered (a cloze deletion), its siblings wait
until the next study day, as Anki buries them; which notes were answered today is read from the log, so a
restart the same day keeps them buried.

A session builds its queue once and then changes it as it goes (a rated card leaves it; a card still in
learning comes back at its due time); it is built again only when another process has written to the store,
after an undo, when siblings were buried, or when a new study day begins.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from collections import deque
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import chain, filterfalse

from quizapp.config import Settings
from quizapp.study import plan
from quizapp.deck.model import Deck, StudyItem, Topic
from quizapp.study.clock import StudyDay, from_ms, to_ms
from quizapp.study.scheduling import Scheduling
from quizapp.study.store import CardRow, CardState, Store

__all__ = ["LEARN_AHEAD", "Queue", "QueueCounts", "build_queue", "note_of", "unseen_items"]

# When nothing else is left, a learning card due within this window is shown early (as Anki does).
LEARN_AHEAD = timedelta(minutes=20)
_LEARNING = (CardState.LEARNING, CardState.RELEARNING)


def note_of(key: str) -> str:
    """The note a study item belongs to (`topic/id` for every deletion of a cloze card): siblings share it."""
    return key.split("#", 1)[0]


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
    order: str = "mixed"  # new cards among reviews: "mixed", "new_first" or "reviews_first"
    bury_new: bool = False
    bury_review: bool = False
    new_every: int = 1  # "mixed": one new card after every new_every - 1 reviews
    answered_count: int = 0

    def head(self, now: datetime) -> StudyItem | None:
        """The next item: a learning card due now, then reviews and new cards, then learning ahead."""
        now_ms = to_ms(now)
        if self.learning and self.learning[0][0] <= now_ms:
            return self.learning[0][1]
        first = self._next_main()
        if first is not None:
            return first
        if self.learning and self.learning[0][0] <= to_ms(now + LEARN_AHEAD):
            return self.learning[0][1]
        return None

    def _next_main(self) -> StudyItem | None:
        if not (self.review and self.new):
            return (self.review or self.new or [None])[0]
        if self.order == "new_first":
            return self.new[0]
        if self.order == "reviews_first":
            return self.review[0]
        new_turn = self.answered_count % self.new_every == self.new_every - 1
        return self.new[0] if new_turn else self.review[0]

    def counts(self, now: datetime) -> QueueCounts:
        now_ms = to_ms(now)
        due = sum(1 for due_ms, _ in self.learning if due_ms <= now_ms)
        return QueueCounts(new=len(self.new), learning=due, review=len(self.review))

    def next_learning_due(self, now: datetime) -> datetime | None:
        """When the soonest learning card not yet due comes back, if it does today."""
        now_ms = to_ms(now)
        later = [due_ms for due_ms, _ in self.learning if due_ms > now_ms]
        return from_ms(min(later)).astimezone(now.tzinfo) if later else None

    def answered(self, key: str, state: CardRow | None, item: StudyItem) -> bool:
        """A card was rated: it leaves the queue, and comes back at its due time if still learning today.
        Its siblings are buried as the settings say; True if any was."""
        self.answered_count += 1
        note = note_of(key)
        self.learning = [pair for pair in self.learning if pair[1].key != key]
        self.review = [i for i in self.review if i.key != key]
        self.new = [i for i in self.new if i.key != key]
        before = len(self.review) + len(self.new)
        if self.bury_review:
            self.review = [i for i in self.review if note_of(i.key) != note]
        if self.bury_new:
            self.new = [i for i in self.new if note_of(i.key) != note]
        buried = len(self.review) + len(self.new) < before
        if state is not None and state.state in _LEARNING and state.due_ms < self.day_end_ms:
            bisect.insort(self.learning, (state.due_ms, item), key=lambda pair: pair[0])
        return buried

    def __iter__(self) -> Iterator[StudyItem]:
        yield from (item for _, item in self.learning)
        yield from self.review
        yield from self.new


def build_queue(deck: Deck, store: Store, settings: Settings, now: datetime, day: StudyDay,
                topics: Sequence[str] | None = None) -> Queue:
    wanted = set(topics) if topics else None
    start_ms, end_ms = to_ms(day.start), to_ms(day.end)
    answered_notes = {note_of(key) for key in store.keys_reviewed_since(start_ms)}
    hidden = store.hidden_keys(to_ms(now))  # suspended, or buried until a later day
    learning: list[tuple[int, StudyItem]] = []
    due: list[tuple[tuple, StudyItem]] = []
    for row in store.due_keys(until_ms=end_ms):  # soonest due first
        key, state, due_ms, last_review_ms, _ = row
        item = deck.item(key)
        if item is None or (wanted and item.topic not in wanted) or key in hidden:
            continue  # orphaned (no longer in the content), filtered out, suspended or buried
        if state in _LEARNING:
            from_earlier_day = last_review_ms is not None and last_review_ms < start_ms
            if not (settings.bury_interday_learning_siblings and from_earlier_day and note_of(key) in answered_notes):
                learning.append((due_ms, item))
        else:
            due.append((row, item))
    _, new_done, review_cards_done = store.review_counts_since(start_ms)
    review_slots = max(0, settings.reviews_per_day - review_cards_done)
    if len(due) > review_slots:  # a backlog: the cards most likely forgotten first
        recall = Scheduling(settings).recall
        due.sort(key=lambda pair: recall(pair[0][4], pair[0][3], now))
    bury_review, bury_new = settings.bury_review_siblings, settings.bury_new_siblings
    review_taken = set(answered_notes) if bury_review else set()
    review = list(_one_per_note((item for _, item in due), review_taken, review_slots, one=bury_review))
    review += plan.final_review(deck, store, settings, day, {item.key for item in review}, topics)  # interview plan
    new_taken = answered_notes | {note_of(item.key) for item in review} if bury_new else set()
    candidates = _new_order(deck, store.scheduled_keys(), topics, settings.new_card_order, day)
    if hidden:
        candidates = (item for item in candidates if item.key not in hidden)
    new_per_day = plan.new_limit(settings, day.day)  # the interview plan's pace until the day, else new_per_day
    new = list(_one_per_note(candidates, new_taken, max(0, new_per_day - new_done), one=bury_new))
    return Queue(
        learning=learning,
        review=review,
        new=new,
        day_end_ms=end_ms,
        order=settings.new_review_order,
        bury_new=bury_new,
        bury_review=bury_review,
        new_every=math.ceil((len(review) + len(new)) / len(new)) if new else 1,
    )


def unseen_items(deck: Deck, scheduled: Collection[str], topics: Sequence[str] | None, limit: int,
                 order: str = "deck", day: StudyDay | None = None) -> list[StudyItem]:
    """The first `limit` study items that have no schedule yet, in the given new-card order."""
    return list(_one_per_note(_new_order(deck, scheduled, topics, order, day), set(), limit, one=False))


def _new_order(deck: Deck, scheduled: Collection[str], topics: Sequence[str] | None, order: str,
               day: StudyDay | None) -> Iterator[StudyItem]:
    chosen: list[Topic] = list(deck.topics) if not topics else [deck.topic(slug) for slug in topics]
    # filterfalse over the keys runs in C: most of a large deck is scheduled, and is skipped fast
    per_topic = [map(topic.item, filterfalse(scheduled.__contains__, topic.item_keys)) for topic in chosen]
    if order == "deck":
        return chain.from_iterable(per_topic)
    if order == "random":  # the same order all study day, whichever cards have been seen meanwhile
        drawn = day.day.isoformat() if day else ""
        return iter(sorted(chain.from_iterable(per_topic),
                           key=lambda item: hashlib.blake2b(f"{drawn}/{item.key}".encode(), digest_size=8).digest()))
    return _round_robin(per_topic)  # interleaved


def _round_robin(iterators: list[Iterator[StudyItem]]) -> Iterator[StudyItem]:
    """One item from each iterator in turn, dropping those that run out; lazily, so that taking the first few
    new cards of a large deck looks into only as many topics as it needs."""
    active = deque(iterators)
    while active:
        iterator = active.popleft()
        item = next(iterator, None)
        if item is not None:
            yield item
            active.append(iterator)


def _one_per_note(items: Iterable[StudyItem], taken: set[str], limit: int, *, one: bool = True) -> Iterator[StudyItem]:
    """Up to `limit` items, skipping notes in `taken`; with `one`, a note's first item only (and it is taken)."""
    count = 0
    for item in items:
        if count >= limit:
            return
        note = note_of(item.key)
        if note in taken:
            continue
        if one:
            taken.add(note)
        count += 1
        yield item
