"""The scheduled review session: one question at a time from today's queue, recorded as it is rated."""

from __future__ import annotations

import random
from functools import cached_property
from dataclasses import dataclass
from datetime import datetime, timedelta

from fsrs import Rating

from quizapp.config import Settings
from quizapp.deck.model import Deck, StudyItem
from quizapp.study.clock import Clock, StudyDay, from_ms, to_ms
from quizapp.study.queue import Queue, build_queue
from quizapp.study.questions import Outcome, Question, build_question, suggest_rating
from quizapp.study.scheduling import Scheduling, card_id_for
from quizapp.study.store import LogRow, NewReview, Store

__all__ = ["QueueCounts", "Recorded", "ReviewSession"]


@dataclass(frozen=True)
class QueueCounts:
    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class Recorded:
    """A review that is on disk."""

    log: LogRow
    question: Question
    rating: Rating
    next_due: datetime | None  # None in cram mode, which leaves the schedule alone


class ReviewSession:
    """Drive with `current`, `check` (auto-checked cards), `rate`, and `undo`.

    In cram mode ("review ahead") it walks studied cards soonest-due first and logs them as `cram`
    without changing any schedule.
    """

    def __init__(
        self,
        deck: Deck,
        store: Store,
        settings: Settings,
        clock: Clock,
        *,
        topics: list[str] | None = None,
        seed: int | None = None,
        cram: bool = False,
    ) -> None:
        self.deck = deck
        self.store = store
        self.settings = settings
        self.clock = clock
        self.topics = topics or None
        self.cram = cram
        self.scheduling = Scheduling(settings)
        self._rng = random.Random(seed)
        self._undo_stack: list[int] = []
        self._cram_seen: set[str] = set()
        self._question: Question | None = None
        self._shown_at: datetime | None = None
        self._outcome: Outcome | None = None
        self._queue = Queue()
        self.reviewed = 0
        self._advance()

    # --- what to show ----------------------------------------------------------------------------

    @property
    def current(self) -> Question | None:
        return self._question

    @property
    def outcome(self) -> Outcome | None:
        """The checked response to the current question, if any."""
        return self._outcome

    @property
    def finished(self) -> bool:
        return self._question is None

    @property
    def next_learning_due(self) -> datetime | None:
        return self._queue.next_learning_due

    def counts(self) -> QueueCounts:
        queue = self._queue
        return QueueCounts(new=len(queue.new), learning=len(queue.learning), review=len(queue.review))

    def intervals(self) -> dict[Rating, timedelta]:
        """What each rating would schedule for the current question (shown on the rating buttons)."""
        if self._question is None:
            return {}
        key = self._question.key
        return self.scheduling.preview(key, self.store.card(key), self.clock.now())

    def edited_since_review(self) -> bool:
        if self._question is None:
            return False
        row = self.store.card(self._question.key)
        return bool(row and row.content_hash and row.content_hash != self._question.item.card.content_hash)

    # --- answering -------------------------------------------------------------------------------

    def check(self, response: str) -> Outcome:
        """Check a typed response; an invalid one is not recorded, so the user can try again."""
        question = self._require_question()
        outcome = question.check(response)
        if outcome.status != "invalid":
            self._outcome = outcome
        return outcome

    def check_choice(self, chosen: frozenset[int]) -> Outcome:
        outcome = self._require_question().check_choice(chosen)
        if outcome.status != "invalid":
            self._outcome = outcome
        return outcome

    def suggested_rating(self) -> Rating | None:
        if self._question is None or self._outcome is None:
            return None
        return suggest_rating(self._outcome, self._elapsed_seconds(), self._question.kind)

    def rate(self, rating: Rating) -> Recorded:
        question = self._require_question()
        if question.auto_checked and self._outcome is None:
            raise ValueError("check the answer before rating an auto-checked card")
        now = self.clock.now()
        item = question.item
        before = self.store.card(item.key)
        new_state = None
        if not self.cram:
            new_state = self.scheduling.review(item.key, item.topic, before, rating, now, item.card.content_hash)
        review = NewReview(
            key=item.key,
            card_id=before.card_id if before else card_id_for(item.key),
            rating=int(rating),
            reviewed_ms=to_ms(now),
            duration_ms=int(self._elapsed_seconds() * 1000),
            mode="cram" if self.cram else "review",
            correct=self._outcome.correct if self._outcome else None,
            answer=self._outcome.response if self._outcome else None,
            seed=question.seed,
            content_hash=item.card.content_hash,
        )
        log = self.store.record(review, new_state)
        self._undo_stack.append(log.id)
        self._cram_seen.add(item.key)
        self.reviewed += 1
        self._advance()
        return Recorded(log, question, rating, from_ms(new_state.due_ms) if new_state else None)

    def undo(self) -> LogRow | None:
        """Undo this session's last review: the card's schedule is restored and it is asked again."""
        while self._undo_stack:
            entry = self.store.undo(self._undo_stack.pop())
            if entry is None:
                continue
            self._cram_seen.discard(entry.key)
            self.reviewed -= 1
            item = self.deck.item(entry.key)
            self._advance(first=item)
            return entry
        return None

    @property
    def can_undo(self) -> bool:
        return bool(self._undo_stack)

    # --- internals -------------------------------------------------------------------------------

    def _advance(self, first: StudyItem | None = None) -> None:
        now = self.clock.now()
        day = StudyDay.containing(now, self.clock.tz, self.settings.day_starts_at)
        if self.cram:
            self._queue = self._cram_queue()
        else:
            self._queue = build_queue(self.deck, self.store, self.settings, now, day, self.topics)
        item = first or self._queue.head
        self._question = build_question(item, self._rng) if item is not None else None
        self._shown_at = now
        self._outcome = None

    def _cram_queue(self) -> Queue:
        return Queue(review=tuple(item for item in self._cram_order if item.key not in self._cram_seen))

    @cached_property
    def _cram_order(self) -> tuple[StudyItem, ...]:
        """Studied cards, soonest due first; read once, since cramming never changes a schedule."""
        rows = sorted(self.store.cards(), key=lambda row: row.due_ms)
        items = (self.deck.item(row.key) for row in rows)
        return tuple(i for i in items if i is not None and (not self.topics or i.topic in self.topics))

    def _elapsed_seconds(self) -> float:
        if self._shown_at is None:
            return 0.0
        return max((self.clock.now() - self._shown_at).total_seconds(), 0.0)

    def _require_question(self) -> Question:
        if self._question is None:
            raise ValueError("the session is finished: there is nothing to answer")
        return self._question

