"""The scheduled review session: one question at a time from today's queue, recorded as it is rated."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from fsrs import Rating

from quizapp.config import Settings
from quizapp.deck.model import Deck, StudyItem
from quizapp.study.asking import Asking
from quizapp.study.balance import DueLoad
from quizapp.study.clock import Clock, StudyDay, from_ms, to_ms
from quizapp.study.queue import Queue, QueueCounts, build_queue, learn_more_new, more_new_available
from quizapp.study.questions import Outcome, Question, build_question, suggest_rating
from quizapp.study.scheduling import Scheduling
from quizapp.study.store import CardRow, LogRow, Store

__all__ = ["QueueCounts", "Recorded", "ReviewSession"]


@dataclass(frozen=True, slots=True)
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
        self._asking: Asking | None = None
        self._load: DueLoad | None = None  # cards due per day ahead, read at the first rating (fuzz on)
        self._load_version = 0
        self.reviewed = 0
        self._queue, self._queue_version, self._day = self._build_queue()
        self._show(self._queue.head(clock.now()))

    # --- what to show ----------------------------------------------------------------------------

    @property
    def current(self) -> Question | None:
        return self._asking.question if self._asking else None

    @property
    def outcome(self) -> Outcome | None:
        """The checked response to the current question, if any."""
        return self._asking.outcome if self._asking else None

    @property
    def finished(self) -> bool:
        return self._asking is None

    @property
    def next_learning_due(self) -> datetime | None:
        return None if self.cram else self._queue.next_learning_due(self.clock.now())

    def counts(self) -> QueueCounts:
        return self._queue.counts(self.clock.now())

    def intervals(self) -> dict[Rating, timedelta]:
        """What each rating would schedule for the current question (shown on the rating buttons)."""
        if self._asking is None:
            return {}
        key = self._asking.question.key
        return self.scheduling.preview(key, self.store.card(key), self.clock.now())

    def edited_since_review(self) -> bool:
        if self._asking is None:
            return False
        question = self._asking.question
        row = self.store.card(question.key)
        return bool(row and row.content_hash and row.content_hash != question.item.card.content_hash)

    # --- answering -------------------------------------------------------------------------------

    def check(self, response: str) -> Outcome:
        """Check a typed response; an invalid one is not recorded, so the user can try again."""
        return self._require().check(response)

    def check_choice(self, chosen: frozenset[int]) -> Outcome:
        return self._require().check_choice(chosen)

    def show_answer(self) -> Outcome:
        """The user does not know a typed answer: show it, as a miss (Again is suggested)."""
        return self._require().show_answer()

    def code_checked(self, code: str, passed: bool, message: str) -> Outcome:
        """The verdict on the code written for the current coding drill."""
        return self._require().code_checked(code, passed, message)

    def last_code(self) -> str | None:
        """The code of the last attempt at the current coding drill, to open the editor with."""
        if self._asking is None:
            return None
        attempts = [row.answer for row in self.store.log(self._asking.question.key) if row.answer]
        return attempts[-1] if attempts else None

    def suggested_rating(self) -> Rating | None:
        asking = self._asking
        if asking is None or asking.outcome is None:
            return None
        return suggest_rating(asking.outcome)

    def rate(self, rating: Rating) -> Recorded:
        asking = self._require()
        question = asking.question
        if question.auto_checked and asking.outcome is None:
            raise ValueError("check the answer before rating an auto-checked card")
        item = question.item
        now = self.clock.now()

        load = self._due_load() if self.scheduling.fuzz and not self.cram else None
        was_due: list[int | None] = []

        def schedule(before: CardRow | None) -> CardRow:
            was_due.append(before.due_ms if before else None)
            return self.scheduling.review(item.key, item.topic, before, rating, now, item.card.content_hash, load)

        mode = "cram" if self.cram else "review"
        written = self.store.record(asking.review(mode, rating), None if self.cram else schedule)
        if load is not None and written.state is not None:
            load.moved(was_due[-1], written.state.due_ms)
        self._undo_stack.append(written.log.id)
        self.reviewed += 1
        siblings_buried = self._queue.answered(item.key, written.state, item)
        self._next(rebuild=siblings_buried)  # buried siblings leave room for other new cards
        return Recorded(written.log, question, rating, from_ms(written.state.due_ms) if written.state else None)

    def undo(self) -> LogRow | None:
        """Undo this session's last review: the card's schedule is restored and it is asked again.

        Raises UndoConflict (and keeps nothing to undo for that review) when another session has reviewed
        the card since.
        """
        while self._undo_stack:
            entry = self.store.undo(self._undo_stack.pop())
            if entry is None:
                continue  # already undone elsewhere
            self.reviewed -= 1
            self._load = None  # read again: the undone review's due date is gone
            self._queue, self._queue_version, self._day = self._build_queue()
            self._show(self.deck.item(entry.key) or self._queue.head(self.clock.now()))
            return entry
        return None

    @property
    def can_undo(self) -> bool:
        return bool(self._undo_stack)

    # --- more new cards today ------------------------------------------------------------------------

    def more_new_available(self) -> int:
        """New cards of this session's topics that more allowance could bring today (0 for an all-topics or a
        cram session: more is offered to a topic)."""
        if not self.topics or self.cram:
            return 0
        return more_new_available(self.deck, self.store, self.settings, self.clock.now(), self._day, self.topics)

    def learn_more_new(self, count: int) -> None:
        """Allow `count` more new cards from each of this session's topics today, and take them in."""
        if not self.topics:
            raise ValueError("more new cards are given to a topic: start the review with topics")
        learn_more_new(self.store, self._day, self.topics, count)
        self._queue, self._queue_version, self._day = self._build_queue()
        if self._asking is None:
            self._show(self._queue.head(self.clock.now()))

    # --- internals -------------------------------------------------------------------------------

    def _next(self, *, rebuild: bool = False) -> None:
        """The next question; the queue is built again only if the store or the study day changed under it."""
        now = self.clock.now()
        changed = self.store.data_version() != self._queue_version or now >= self._day.end
        if not self.cram and (rebuild or changed):
            self._queue, self._queue_version, self._day = self._build_queue()
        self._show(self._queue.head(now))

    def _due_load(self) -> DueLoad:
        """The cards due per day ahead, read once and kept in step with this session's ratings; read again
        when another process has written or a new study day has begun."""
        version = self.store.data_version()
        load = self._load
        if load is None or self._load_version != version or load.start_ms != to_ms(self._day.start):
            load = self._load = DueLoad.read(self.store, to_ms(self._day.start))
            self._load_version = version
        return load

    def _build_queue(self) -> tuple[Queue, int, StudyDay]:
        now = self.clock.now()
        day = StudyDay.containing(now, self.clock.tz, self.settings.day_starts_at)
        version = self.store.data_version()
        if self.cram:
            return self._cram_queue(), version, day
        return build_queue(self.deck, self.store, self.settings, now, day, self.topics), version, day

    def _cram_queue(self) -> Queue:
        """Studied cards not yet crammed in this session, soonest due first."""
        crammed = {entry.key for entry in map(self.store.log_entry, self._undo_stack) if entry is not None}
        rows = sorted(self.store.cards(), key=lambda row: row.due_ms)
        items = (self.deck.item(row.key) for row in rows if row.key not in crammed)
        return Queue(review=[i for i in items if i is not None and (not self.topics or i.topic in self.topics)])

    def _show(self, item: StudyItem | None) -> None:
        self._asking = Asking(build_question(item, self._rng), self.clock) if item is not None else None

    def _require(self) -> Asking:
        if self._asking is None:
            raise ValueError("the session is finished: there is nothing to answer")
        return self._asking
