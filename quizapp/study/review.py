"""The scheduled review session: one question at a time from today's queue, recorded as it is rated."""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from fsrs import Rating

from quizapp.config import Settings
from quizapp.deck.model import Deck, StudyItem
from quizapp.study.asking import Asking, AskingSession
from quizapp.study.balance import DueLoad
from quizapp.study.clock import Clock, StudyDay, from_ms, to_ms
from quizapp.study.marking import leech_events, mark
from quizapp.study.queue import Queue, QueueCounts, build_queue, filtered_queue, learn_more_new, more_new_available
from quizapp.study.questions import Outcome, Question, build_question, suggest_rating
from quizapp.study.scheduling import Scheduling
from quizapp.study.store import CardMarks, CardRow, CardState, EventRow, LogRow, Store

__all__ = ["QueueCounts", "Recorded", "ReviewSession", "undone_text"]


@dataclass(frozen=True, slots=True)
class Recorded:
    """A review that is on disk."""

    log: LogRow
    question: Question
    rating: Rating
    next_due: datetime | None  # None in cram mode, which leaves the schedule alone
    leech: bool = False  # the card has just become (or is still) a leech: warn the user
    suspended: bool = False  # ... and it was suspended for it

    @property
    def interval(self) -> timedelta | None:
        """From the rating to the next due date: what the rating's button showed, whenever it is read."""
        return None if self.next_due is None else self.next_due - from_ms(self.log.reviewed_ms)


@dataclass(frozen=True, slots=True)
class _Step:
    """One thing this session did that `undo` takes back: a review, card events, or both (a review that
    made its card a leech)."""

    log_id: int | None
    event_ids: tuple[int, ...] = ()
    key: str = ""
    seed: int = 0  # the card's asking seed: undone, it is asked again as it was (options in the same order)


class ReviewSession(AskingSession):
    """Drive with `current`, `check` (auto-checked cards), `rate`, and `undo`.

    In cram mode ("review ahead") it walks studied cards soonest-due first and logs them as `cram`
    without changing any schedule.

    With `only` (the keys of a search, as Anki's filtered deck with rescheduling) it reviews exactly those
    cards, due or not, without the daily limits: each is a real review that reschedules it from now, a new
    one is learned, and one still in learning comes back when due today. Suspended and buried cards are
    left out, and siblings set aside as in today's queue (`queue.filtered_queue`). With `cram` as well, it crams
    those cards instead.
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
        only: Collection[str] | None = None,
    ) -> None:
        self.deck = deck
        self.store = store
        self.settings = settings
        self.clock = clock
        self.topics = topics or None
        self.cram = cram
        self.only = frozenset(only) if only is not None else None
        self.scheduling = Scheduling(settings, clock.tz)  # the tz places the interview plan's cap
        self._rng = random.Random(seed)  # draws each asking's seed (`_show`)
        self._asking_seed = 0  # the current question's: its options' order, its generated problem
        self._undo_stack: list[_Step] = []
        self._asking: Asking | None = None
        self._load: DueLoad | None = None  # cards due per day ahead, read at the first rating (fuzz on)
        self._load_version = 0
        self.reviewed = 0
        self._queue, self._queue_version, self._day = self._build_queue()
        self._show(self._queue.head(clock.now()))

    # --- what to show ----------------------------------------------------------------------------

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

    def interview_cap(self) -> datetime | None:
        """The interview plan's cap when it shortens a rating's interval for the current question (Good and Easy
        may then show the same days left), else None."""
        cap = self.scheduling.due_cap
        if cap is None or self._asking is None or self.cram:
            return None
        key, now = self._asking.question.key, self.clock.now()  # one moment for both: the clock moves
        intervals = self.scheduling.preview(key, self.store.card(key), now).values()
        return cap if any(now + interval >= cap for interval in intervals) else None

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
        """The user does not know the answer (a choice or typed question): show it, as a miss (Again suggested)."""
        return self._require().show_answer()

    def code_checked(self, code: str, passed: bool, message: str, at: datetime | None = None,
                     attempts: int = 1) -> Outcome:
        """The verdict on the code written for the current coding drill (checked `at` that moment; `attempts`,
        the checks in all, is for an interview's report: a review rates the last one)."""
        return self._require().code_checked(code, passed, message, at)

    def tick_points(self, points: Collection[int]) -> Outcome:
        """The key points of the current open question the user made; the suggested rating follows them."""
        return self._require().tick_points(points)

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
        leeched, warn = self._leech(written.log)
        self._undo_stack.append(_Step(written.log.id, tuple(row.id for row in leeched), item.key, self._asking_seed))
        self.reviewed += 1
        siblings_buried = self._queue.answered(item.key, written.state, item)
        rebuild = siblings_buried or bool(leeched)  # buried siblings leave room for other new cards
        self._next(rebuild=rebuild, answered=item.key)
        return Recorded(written.log, question, rating, from_ms(written.state.due_ms) if written.state else None,
                        leech=warn, suspended=any(row.event == "suspend" for row in leeched))

    def _leech(self, log: LogRow) -> tuple[list[EventRow], bool]:
        """A lapse (Again on a card in review) may make the card a leech: mark it, and suspend it if asked."""
        if log.mode != "review" or log.rating != 1 or not log.state_before:
            return [], False
        if CardRow.from_json(log.state_before).state != CardState.REVIEW:
            return [], False
        events, warn = leech_events(self.store, log.key, log.reviewed_ms, self.settings.leech_threshold,
                                    self.settings.leech_action)
        return (self.store.apply(events) if events else []), warn

    # --- marking the current card ----------------------------------------------------------------

    def marks(self) -> CardMarks:
        """The current card's marks (its flag, say), or none when the session is finished."""
        return self.store.marks_of(self._asking.question.key) if self._asking else CardMarks()

    def suspend(self) -> str:
        """Suspend the current card until unsuspended; the next question is shown. Returns its key."""
        return self._mark_current("suspend")

    def bury(self) -> str:
        """Bury the current card until the next study day; the next question is shown. Returns its key."""
        return self._mark_current("bury")

    def flag(self, colour: int) -> int:
        """Flag the current card (1-4); the same colour again clears it. Returns the card's flag now."""
        key = self._require().question.key
        colour = 0 if self.store.marks_of(key).flag == colour else colour
        written = mark(self.store, [key], "flag", self._day, to_ms(self.clock.now()), flag=colour)
        if written:
            self._undo_stack.append(_Step(None, tuple(row.id for row in written), key, self._asking_seed))
        return colour

    def _mark_current(self, action: str) -> str:
        key = self._require().question.key
        written = mark(self.store, [key], action, self._day, to_ms(self.clock.now()))
        if written:
            self._undo_stack.append(_Step(None, tuple(row.id for row in written), key, self._asking_seed))
        self._queue, self._queue_version, self._day = self._build_queue()
        self._show(self._queue.head(self.clock.now()))
        return key

    def undo(self) -> LogRow | EventRow | None:
        """Undo this session's last step (a review, a suspend, a bury, a flag): the card is as it was and
        is asked again. Returns the review (or, for a mark, its event) undone.

        Raises UndoConflict (and keeps nothing to undo for that step) when another session has changed the
        card since.
        """
        while self._undo_stack:
            step = self._undo_stack.pop()
            events = [self.store.undo_event(event_id) for event_id in reversed(step.event_ids)]
            entry = self.store.undo(step.log_id) if step.log_id is not None else next(filter(None, events), None)
            if entry is None:
                continue  # already undone elsewhere
            if step.log_id is not None:
                self.reviewed -= 1
                self._load = None  # read again: the undone review's due date is gone
            self._queue, self._queue_version, self._day = self._build_queue()
            item = self.deck.item(entry.key)
            if item is not None:
                self._show(item, seed=step.seed)
            else:
                self._show(self._queue.head(self.clock.now()))
            return entry
        return None

    def reload(self, deck: Deck) -> None:
        """The content was read again (a card was edited): the current card is asked again as it now is, or,
        when it no longer loads, the next one."""
        key = self._asking.question.key if self._asking else None
        self.deck = deck
        self._queue, self._queue_version, self._day = self._build_queue()
        item = deck.item(key) if key else None
        if item is not None:
            self._show(item, seed=self._asking_seed)  # its options in the order they were
        else:
            self._show(self._queue.head(self.clock.now()))

    def resume(self) -> bool:
        """When all is done for now: show the learning card that has come due since, if one has. Returns whether
        there is a question (a screen showing "all done" asks this now and then)."""
        learning = self._queue.learning
        if self._asking is None and not self.cram and learning and learning[0][0] <= to_ms(self.clock.now()):
            self._next()
        return self._asking is not None

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

    def _next(self, *, rebuild: bool = False, answered: str | None = None) -> None:
        """The next question, if possible another than the one just `answered`; the queue is built again only if
        the store or the study day changed under it."""
        now = self.clock.now()
        changed = self.store.data_version() != self._queue_version or now >= self._day.end
        if not self.cram and (rebuild or changed):
            self._queue, self._queue_version, self._day = self._build_queue()
        self._show(self._queue.head(now, avoid=answered))

    def _due_load(self) -> DueLoad:
        """The cards due per day ahead, read once and kept in step with this session's ratings; read again
        when another process has written or a new study day has begun."""
        version = self.store.data_version()
        load = self._load
        if load is None or self._load_version != version or load.start_ms != to_ms(self._day.start):
            load = self._load = DueLoad.read(self.store, self._day.day, self.clock.tz, self.settings.day_starts_at)
            self._load_version = version
        return load

    def _build_queue(self) -> tuple[Queue, int, StudyDay]:
        now = self.clock.now()
        day = StudyDay.containing(now, self.clock.tz, self.settings.day_starts_at)
        version = self.store.data_version()
        if self.cram:
            return self._cram_queue(), version, day
        if self.only is not None:
            return filtered_queue(self.deck, self.store, self.settings, now, day, self.only, self._answered_keys(),
                                  self.topics), version, day
        return build_queue(self.deck, self.store, self.settings, now, day, self.topics), version, day

    def _cram_queue(self) -> Queue:
        """Studied cards not yet crammed in this session, soonest due first; suspended and buried ones stay
        out, as in every other queue (and Anki's custom study)."""
        skip = self._answered_keys() | self.store.hidden_keys(to_ms(self.clock.now()))
        rows = sorted(self.store.cards(), key=lambda row: row.due_ms)
        items = (self.deck.item(row.key) for row in rows if row.key not in skip and self._wanted(row.key))
        return Queue(review=[i for i in items if i is not None and (not self.topics or i.topic in self.topics)])

    def _answered_keys(self) -> set[str]:
        """The cards answered in this session (and not undone)."""
        return {step.key for step in self._undo_stack if step.log_id is not None}

    def shelved_found(self) -> int:
        """How many of the cards of `only` are suspended or buried now: the queue leaves them out."""
        if self.only is None:
            return 0
        return len(self.only & self.store.hidden_keys(to_ms(self.clock.now())))

    def set_aside_found(self) -> int:
        """How many of the cards of `only` this review leaves for another day, neither answered, in its queue
        nor suspended or buried: siblings (a cloze card's other deletions, a question and its follow-ups), one
        card of a note a day as in any review. With the queue and the shelved ones they make up `only` (an
        interview's "5 cards to revisit" opened a review that counted "New 3" and said nothing of the other 2)."""
        if self.only is None or self.cram:
            return 0
        skip = {item.key for item in self._queue} | self._answered_keys() | self.store.hidden_keys(
            to_ms(self.clock.now()))
        return sum(1 for item in self.deck.items(self.topics) if item.key in self.only and item.key not in skip)

    def _wanted(self, key: str) -> bool:
        return self.only is None or key in self.only

    def _show(self, item: StudyItem | None, *, seed: int | None = None) -> None:
        """Ask `item` (None: nothing left) with `seed`, or a new seed: each asking orders a choice card's options
        and draws a generated problem from its own seed, which an undo gives back."""
        if item is None:
            self._asking = None
            return
        self._asking_seed = self._rng.randrange(2**32) if seed is None else seed
        self._asking = Asking(build_question(item, random.Random(self._asking_seed)), self.clock)


def undone_text(entry: LogRow | EventRow) -> str:
    """What an undo took back, for a message: 'the review of auc/x', 'the suspend of auc/x'."""
    what = f"the {entry.event}" if isinstance(entry, EventRow) else "the review"
    return f"{what} of {entry.key}"
