"""A mock interview: starting questions weighted toward the weak ones, each followed by its follow-up chain,
then coding drills (code cards, checked against their reference implementations), as an interview's coding part.

The chain is walked depth first to `MAX_DEPTH` questions deep (a starting question is depth 1) and stops at
the first miss, as an interviewer stops probing once the candidate is stuck. The whole interview has a
countdown, and so has each question (an open card's `time_limit`, a default for the other types); the time
taken is recorded. Every answer is an entry in the review log with mode `interview` and a JSON `detail`
(the interview's id, the chain and its depth, the key points ticked, the credit), so past interviews are read
back from the log alone. Schedules are left alone, unless the interview is `scheduled`: then each answer is a
scheduled review (mode `review`, so replaying the log still reproduces every schedule) with the same detail.

Nothing here knows how a question is shown: the TUI and the plain-text mode drive an `InterviewSession`.
"""

from __future__ import annotations

import json
import math
import random
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from fsrs import Rating

from quizapp.config import Settings
from quizapp.deck.model import Deck, StudyItem
from quizapp.study.asking import Asking, RecordingSession
from quizapp.study.clock import Clock, from_ms, to_ms
from quizapp.study.questions import Outcome, Question, build_question, suggest_rating
from quizapp.study.scheduling import Scheduling
from quizapp.study.store import CardRow, LogRow, Store

__all__ = [
    "DEFAULT_MINUTES",
    "DEFAULT_TIME_LIMITS",
    "DRILL_MINUTES",
    "DRILLS_FROM_MINUTES",
    "INTERVIEW_TYPES",
    "MAX_DEPTH",
    "MAX_MINUTES",
    "MINUTES_PER_START",
    "ChainResult",
    "InterviewAnswer",
    "InterviewOptions",
    "InterviewReport",
    "InterviewSession",
    "PastInterview",
    "TopicStrength",
    "default_drills",
    "latest_interview_answers",
    "past_interviews",
    "pick_starts",
    "time_limit",
    "weakness",
]

INTERVIEW_TYPES = ("open", "choice", "numeric", "generated", "template")  # what a chain may start with
ASKABLE_TYPES = frozenset({*INTERVIEW_TYPES, "flashcard", "cloze"})  # a follow-up may also be self-rated
MAX_DEPTH = 3
DEFAULT_MINUTES = 45
MAX_MINUTES = 600  # the longest interview the setup and `--minutes` accept (a working day of interviews)
MINUTES_PER_START = 5  # without --questions: one starting question per five minutes of interview
DRILL_MINUTES = 15  # the time to write a coding drill, taken from the starting questions' share of the interview
DRILLS_FROM_MINUTES = 30  # without --drills: an interview this long or longer ends with one coding drill
# Seconds for a question without a time limit of its own (an open card has `time_limit`; a code card's
# `time_limit` is the one for running the code, not for writing it).
DEFAULT_TIME_LIMITS = {"choice": 60, "numeric": 120, "generated": 180, "template": 180, "flashcard": 60, "cloze": 60,
                       "code": DRILL_MINUTES * 60}


def default_drills(minutes: int) -> int:
    """Coding drills an interview of `minutes` asks when not told: one from DRILLS_FROM_MINUTES on."""
    return 1 if minutes >= DRILLS_FROM_MINUTES else 0


def time_limit(question: Question) -> int:
    """Seconds allowed for a question: an open question's own time limit, else its card type's default."""
    return question.time_limit or DEFAULT_TIME_LIMITS.get(question.item.card.type, 60)


def weakness(row: CardRow | None, topic_counts: tuple[int, int] | None, now: datetime,
             scheduling: Scheduling, interviewed: tuple[int, float] | None = None) -> float:
    """How weak a card is, from 0 (certain) to 1: the mean of its predicted forgetting (1 - recall now; 1 when
    never seen) and its topic's miss rate over every answer (1 when never answered).

    `interviewed` is (when, credit) of the card's latest answer in a mock interview. An interview leaves the
    schedule alone, so when that answer is newer than the last scheduled review it is the better evidence, and
    its credit stands for the recall: a card missed in the last interview comes back in the next one."""
    recall = scheduling.recall(row.stability, row.last_review_ms, now) if row is not None else 0.0
    if interviewed is not None:
        when_ms, credit = interviewed
        if _since_review(row, when_ms):
            recall = credit
    passed, total = topic_counts or (0, 0)
    accuracy = passed / total if total else 0.0
    return 1.0 - (recall + accuracy) / 2


def _since_review(row: CardRow | None, when_ms: int) -> bool:
    """An interview answer at `when_ms` is newer than the card's last scheduled review (or it has none)."""
    return row is None or row.last_review_ms is None or when_ms > row.last_review_ms


def pick_starts(deck: Deck, store: Store, scheduling: Scheduling, now: datetime, topics: Sequence[str],
                count: int, rng: random.Random, only: Collection[str] | None = None,
                types: Collection[str] = INTERVIEW_TYPES) -> list[StudyItem]:
    """`count` starting questions of the card `types`, weakest first, spread over the topics (and among `only`,
    the keys a search found, when given: their follow-ups are still asked after them, as an interviewer would).

    Cards that are some card's follow-up wait for their chain; they start one only when the other cards run
    out (a code card, which no chain asks, waits for none). Each pick takes the card with the highest weakness
    divided by (1 + cards already picked from its topic), so one weak topic does not fill the whole interview.
    At equal weakness a card missed in an interview comes first (a never-seen card is as weak, with no evidence
    of it: on a mostly unseen deck the misses never came back), then a card that starts a chain of follow-ups;
    other ties are broken by `rng`.
    """
    candidates = _candidates(deck, store, topics, only, types)
    # A follow-up a chain never asks (a code card) waits for no chain.
    followed = {target for item in deck.items(topics or None) for target in deck.follow_ups(item.key)
                if (follow := deck.item(target)) is not None and follow.card.type in ASKABLE_TYPES}
    rng.shuffle(candidates)
    counts = store.topic_pass_counts()
    interviewed = latest_interview_answers(store)
    rows = {item.key: store.card(item.key) for item in candidates}
    weak = {item.key: weakness(rows[item.key], counts.get(item.topic), now, scheduling, interviewed.get(item.key))
            for item in candidates}
    # Missed (not fully right) in an interview since the card's last scheduled review, if any.
    missed = {key for key, (when_ms, credit) in interviewed.items()
              if key in rows and credit < 1 and _since_review(rows[key], when_ms)}
    picked: list[StudyItem] = []
    per_topic: dict[str, int] = {}
    for pool in ([i for i in candidates if i.key not in followed], [i for i in candidates if i.key in followed]):
        while pool and len(picked) < count:
            best = max(pool, key=lambda item: (round(weak[item.key] / (1 + per_topic.get(item.topic, 0)), 9),
                                               item.key in missed, bool(deck.follow_ups(item.key))))
            pool.remove(best)
            picked.append(best)
            per_topic[best.topic] = per_topic.get(best.topic, 0) + 1
    return picked


def _candidates(deck: Deck, store: Store, topics: Sequence[str], only: Collection[str] | None,
                types: Collection[str]) -> list[StudyItem]:
    """The cards of `types` an interview may start with: in the topics (and `only`), not suspended."""
    hidden = {key for key, marks in store.marks().items() if marks.suspended}
    return [item for item in deck.items(topics or None)
            if item.card.type in types and item.key not in hidden and (only is None or item.key in only)]


def latest_interview_answers(store: Store) -> dict[str, tuple[int, float]]:
    """key -> (when, credit) of each card's latest answer in a mock interview (unscheduled or not)."""
    latest: dict[str, tuple[int, float]] = {}
    for row in store.interview_log():  # oldest first: a later answer replaces an earlier one
        answer = interview_answer(row)
        if answer is not None:
            latest[row.key] = (row.reviewed_ms, answer[1])
    return latest


def interview_answer(row: LogRow) -> tuple[str, float, dict] | None:
    """(interview id, credit, the whole detail) of a log entry answered in a mock interview; None for any other
    entry, or one whose detail is damaged or forged (another device's sync file: 'nan', 1e999, nested too deep)."""
    try:
        detail = json.loads(row.detail or "")
        interview, credit = detail["interview"], float(detail["credit"])
    except (ValueError, KeyError, TypeError, RecursionError):
        return None
    if not isinstance(interview, str) or not 0 <= credit <= 1:
        return None
    return interview, credit, detail


@dataclass(frozen=True, slots=True)
class InterviewOptions:
    """What `quizapp interview` passes to the app: the setup's defaults, and where to write the report."""

    minutes: int = DEFAULT_MINUTES
    questions: int | None = None
    scheduled: bool = False
    report: Path | None = None
    force: bool = False
    drills: int | None = None  # coding drills after the chains (None: `default_drills(minutes)`)


@dataclass(frozen=True, slots=True)
class InterviewAnswer:
    """One question asked in the interview and how it went."""

    question: Question
    outcome: Outcome
    chain: int  # which starting question's chain (0 for the first)
    depth: int  # 1 for a starting question, 2 for its follow-up, ...
    seconds: float
    time_limit: int
    rating: int
    credit: float  # 1 right, 0 wrong; an open question: the share of its key points made
    points: tuple[int, ...] = ()  # key points ticked (open questions)
    point_count: int = 0
    attempts: int = 0  # a coding drill: how many times its code was checked (the last is the verdict)

    @property
    def key(self) -> str:
        return self.question.key

    @property
    def is_drill(self) -> bool:
        """A coding drill (a code card): the interview's coding part, not a chain of questions."""
        return self.question.kind == "code"

    @property
    def passed(self) -> bool:
        return self.rating > Rating.Again

    @property
    def over_time(self) -> bool:
        return self.seconds > self.time_limit


@dataclass(frozen=True, slots=True)
class ChainResult:
    root: str
    answers: tuple[InterviewAnswer, ...]
    cut_by: str | None = None  # "user" or "clock": the interview ended while the chain had follow-ups to ask

    @property
    def depth(self) -> int:
        """How deep the chain went: the deepest question asked in it."""
        return max((answer.depth for answer in self.answers), default=0)

    @property
    def stopped_at_miss(self) -> bool:
        return any(not answer.passed for answer in self.answers)


@dataclass(frozen=True, slots=True)
class TopicStrength:
    """Strength: the topic's credit over its questions (1 a right answer, the share of key points made for an
    open question, 0 a miss), divided by the questions asked."""

    topic: str
    credit: float
    asked: int

    @property
    def strength(self) -> float:
        return self.credit / self.asked if self.asked else 0.0


@dataclass(frozen=True, slots=True)
class InterviewReport:
    interview_id: str
    started: datetime
    minutes: int
    answers: tuple[InterviewAnswer, ...]
    time_up: bool  # ended by the interview's countdown
    stopped: bool = False  # ended early by the candidate
    cut_chain: int | None = None  # the chain the end of the interview cut short (by `stopped` or `time_up`)
    questions: int | None = None  # starting questions asked for (None: one per MINUTES_PER_START minutes)
    starts_planned: int = 0  # starting questions drawn for the interview
    starts_cut_by_clock: int = 0  # of those, how many the clock left unasked (the time allowed no more)
    drills_planned: int = 0  # coding drills drawn for the interview
    drills_cut_by_clock: int = 0  # of those, how many the clock left unasked
    ended: datetime | None = None  # the last answer recorded, or the interview stopped (None: not begun)

    @property
    def starts_asked(self) -> int:
        """Starting questions asked (each began a chain)."""
        return len({answer.chain for answer in self.answers if not answer.is_drill})

    @property
    def drills(self) -> list[InterviewAnswer]:
        """The coding drills answered, in the order asked."""
        return [answer for answer in self.answers if answer.is_drill]

    @property
    def chains(self) -> list[ChainResult]:
        """The chains of questions (a coding drill is none: see `drills`)."""
        grouped: dict[int, list[InterviewAnswer]] = {}
        for answer in self.answers:
            if not answer.is_drill:
                grouped.setdefault(answer.chain, []).append(answer)
        cut_by = "user" if self.stopped else "clock"
        return [ChainResult(group[0].key, tuple(group), cut_by if chain == self.cut_chain else None)
                for chain, group in sorted(grouped.items())]

    @property
    def topics(self) -> list[TopicStrength]:
        totals: dict[str, list[float]] = {}
        for answer in self.answers:
            credit, asked = totals.setdefault(answer.question.item.topic, [0.0, 0])
            totals[answer.question.item.topic] = [credit + answer.credit, asked + 1]
        return [TopicStrength(topic, credit, int(asked)) for topic, (credit, asked) in sorted(totals.items())]

    @property
    def score(self) -> float:
        """The interview's credit over its questions, 0 to 1 (the strength figure over every topic)."""
        return sum(a.credit for a in self.answers) / len(self.answers) if self.answers else 0.0

    @property
    def seconds(self) -> float:
        """The questions' own times added up (each from its showing to its answer)."""
        return sum(answer.seconds for answer in self.answers)

    @property
    def elapsed(self) -> float:
        """Seconds the interview took by its clock, reading each verdict included: from its start to its end."""
        return max(0.0, (self.ended - self.started).total_seconds()) if self.ended is not None else self.seconds

    @property
    def to_revisit(self) -> list[str]:
        """Keys of the cards not answered fully right (a miss, a point left out) or over their time."""
        keys = [a.key for a in self.answers if a.credit < 1 or a.over_time]
        return list(dict.fromkeys(keys))


class InterviewSession(RecordingSession):
    """Drive with `current`, then `check` / `check_choice` / `show_answer` (checked questions), `reveal_open`
    and `judge_open` (open questions), `code_checked` (coding drills) or `self_grade` (flashcards, cloze); each
    answer is recorded at once. `last` is the answer just given, `finish()` ends the interview early, `report()`
    sums it up."""

    _OVER = "the interview is over"

    def __init__(
        self,
        deck: Deck,
        store: Store,
        settings: Settings,
        clock: Clock,
        *,
        topics: Sequence[str] = (),
        minutes: int = DEFAULT_MINUTES,
        questions: int | None = None,
        seed: int | None = None,
        scheduled: bool = False,
        keys: Sequence[str] | None = None,
        only: Collection[str] | None = None,
        drills: int | None = None,
    ) -> None:
        """`keys`: ask exactly these cards, in this order, without their follow-ups (a review of the cards an
        interview said to revisit); otherwise the starting questions are picked from `topics`, and from `only`
        (the keys of a search) when given, and `drills` coding drills after their chains (None: one in an
        interview of DRILLS_FROM_MINUTES or more). Without `questions`, each drill's DRILL_MINUTES are taken
        from the starting questions' time."""
        if minutes < 1:
            raise ValueError(f"an interview lasts at least 1 minute, not {minutes}")
        if questions is not None and questions < 1:
            raise ValueError(f"an interview needs at least one question, not {questions}")
        if drills is not None and drills < 0:
            raise ValueError(f"an interview asks no coding drill or more, not {drills}")
        self.deck, self.store, self.settings, self.clock = deck, store, settings, clock
        self.topics = list(topics)
        self.minutes = minutes
        self.scheduled = scheduled
        self.seed = seed if seed is not None else random.randrange(2**31)
        self.scheduling = Scheduling(settings, clock.tz)
        self._rng = random.Random(self.seed)
        self.started = clock.now()
        self.deadline = self.started + timedelta(minutes=minutes)
        # Unique even for two interviews started at one moment with one seed (a test's fixed clock).
        self.interview_id = f"{self.started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        self.questions = questions  # as asked for (None: one per MINUTES_PER_START minutes)
        self.searched = only is not None
        self.follows = keys is None
        found = frozenset(only) if only is not None else None
        self.drills_asked = drills  # as asked for (None: `default_drills`)
        self.drills_wanted = (default_drills(minutes) if drills is None else drills) if keys is None else 0
        self.code_cards = len(_candidates(deck, store, self.topics, found, ("code",))) if keys is None else 0
        drill_count = min(self.drills_wanted, self.code_cards)
        share = minutes - DRILL_MINUTES * drill_count  # the starting questions' minutes
        count = questions if questions is not None else max(1, share // MINUTES_PER_START)
        self.wanted = count  # starting questions wanted; fewer are drawn when fewer cards can start one
        if keys is None:
            self.starts = pick_starts(deck, store, self.scheduling, self.started, self.topics, count, self._rng, found)
            self.drills = pick_starts(deck, store, self.scheduling, self.started, self.topics, drill_count, self._rng,
                                      found, types=("code",)) if drill_count else []
        else:
            self.starts = [item for item in map(deck.item, dict.fromkeys(keys)) if item is not None]
            self.drills = []
        self._roots = [*self.starts, *self.drills]
        self._stack: list[tuple[StudyItem, int]] = []  # (item, depth) still to ask in the current chain
        self._asked: set[str] = set()
        self._attempts = 0  # the checks behind the coding drill being recorded
        self._answers: list[InterviewAnswer] = []
        self._chain = -1
        self._asking: Asking | None = None
        self._depth = 0
        self.time_up = False
        self.stopped = False
        self._cut_chain: int | None = None
        self._starts_cut_by_clock = 0  # starting questions left unasked when the clock ran out
        self._drills_cut_by_clock = 0
        self._ended: datetime | None = None  # the last answer recorded, or the stop
        self._next()

    # --- what to show ----------------------------------------------------------------------------

    @property
    def depth(self) -> int:
        """The current question's depth in its chain (1 for a starting question)."""
        return self._depth

    @property
    def chain_number(self) -> tuple[int, int]:
        """(number of the current chain, number of starting questions), 1-based; for a coding drill, (number of
        the drill, number of drills)."""
        if self.in_drills:
            key = self._asking.question.key
            return next(n for n, item in enumerate(self.drills, 1) if item.key == key), len(self.drills)
        return self._chain + 1, len(self.starts)

    @property
    def in_drills(self) -> bool:
        """The current question is one of the coding drills that end the interview (no chain asks a code card;
        counting chains is no guide: a starting question already asked as a follow-up starts none)."""
        return self.follows and self._asking is not None and self._asking.question.kind == "code"

    @property
    def last(self) -> InterviewAnswer | None:
        return self._answers[-1] if self._answers else None

    @property
    def answers(self) -> tuple[InterviewAnswer, ...]:
        return tuple(self._answers)

    def time_left(self) -> timedelta:
        """Of the whole interview (negative once over)."""
        return self.deadline - self.clock.now()

    def question_time_limit(self) -> int:
        """Seconds allowed for the current question: its own limit, cut to what was left of the interview when
        it was shown (a question's time never ends after the interview's)."""
        if self._asking is None:
            return 0
        left = math.ceil((self.deadline - self._asking.shown_at).total_seconds())
        return max(1, min(time_limit(self._asking.question), left))

    def question_time_cut(self) -> bool:
        """The current question's limit is cut short by the end of the interview."""
        return self._asking is not None and self.question_time_limit() < time_limit(self._asking.question)

    def question_time_left(self) -> timedelta:
        """Of the current question (negative once over: the answer still counts, marked over time)."""
        if self._asking is None:
            return timedelta(0)
        # an open question's time ends at its reveal: ticking the points made is not answering
        return timedelta(seconds=self.question_time_limit() - self._asking.elapsed_seconds())

    def start_clock(self) -> None:
        """The front end shows the current question now: its time counts from here (the next question is
        ready as soon as an answer is recorded, while the candidate still reads the verdict)."""
        if self._asking is not None:
            self._asking.shown_at = self.clock.now()

    # --- answering -------------------------------------------------------------------------------

    def show_answer(self) -> Outcome:
        """The candidate does not know: the answer is shown, and it is a miss (the chain stops)."""
        asking = self._require()
        if asking.question.kind == "open":
            asking.reveal_open("")
            return self.judge_open(frozenset())
        outcome = asking.show_answer()
        self._record()
        return outcome

    def code_checked(self, code: str, passed: bool, message: str, at: datetime | None = None,
                     attempts: int = 1) -> Outcome:
        """Record the current coding drill with the verdict on the code written for it (checked in the editor,
        `at` that moment: the drill's time ends there), after `attempts` checks in all, this one the last."""
        self._attempts = max(attempts, 1)
        return self._recorded(self._require().code_checked(code, passed, message, at))

    def finish(self) -> None:
        """End the interview now (the question on screen is left unanswered and unrecorded)."""
        if self._asking is None and not self._stack and not self._roots:
            return  # already over: it was not stopped early
        if self._asking is not None and self._depth > 1:  # a follow-up was on screen: its chain is cut short
            self._cut_chain = self._chain
        self._asking = None
        # Past the deadline the clock had ended it: a question left on screen after that adds no time.
        self._ended = max(self._ended or self.started, min(self.clock.now(), self.deadline))
        if self.clock.now() >= self.deadline:  # the last question, left when the time was up: the clock ended it
            self._end_by_clock()
            return
        self._stack.clear()
        self._roots.clear()
        self.stopped = True

    def _end_by_clock(self) -> None:
        if any(item.key not in self._asked for item, _ in self._stack):  # follow-ups left unasked
            self._cut_chain = self._chain
        # Where the question count meets the time: the starting questions (and drills) not reached are cut.
        unasked = [item for item in self._roots if item.key not in self._asked]
        drill_keys = {item.key for item in self.drills}
        self._drills_cut_by_clock = sum(item.key in drill_keys for item in unasked)
        self._starts_cut_by_clock = len(unasked) - self._drills_cut_by_clock
        self.time_up = True
        self._stack.clear()
        self._roots.clear()

    def report(self) -> InterviewReport:
        return InterviewReport(self.interview_id, self.started, self.minutes, tuple(self._answers), self.time_up,
                               self.stopped, self._cut_chain, self.questions, len(self.starts),
                               self._starts_cut_by_clock, len(self.drills), self._drills_cut_by_clock, self._ended)

    # --- internals -------------------------------------------------------------------------------

    def _record(self) -> None:
        asking = self._require()
        rating = suggest_rating(asking.outcome)  # Good or Again; an open question by its points
        question, item, outcome = asking.question, asking.question.item, asking.outcome
        seconds = asking.elapsed_seconds()
        limit = self.question_time_limit()
        made, total = (len(outcome.points), outcome.of) if outcome.points is not None else (0, 0)
        credit = made / total if total else float(rating > Rating.Again)
        entry = asking.review("review" if self.scheduled else "interview", rating)
        detail = json.loads(entry.detail) if entry.detail else {}  # an open question's points, as review keeps them
        attempts = self._attempts if question.kind == "code" else 0  # 0: given up, no code checked
        self._attempts = 0
        detail |= {"interview": self.interview_id, "started_ms": to_ms(self.started), "chain": self._chain,
                   "depth": self._depth, "credit": round(credit, 4), "limit_s": limit}
        if attempts:
            detail["attempts"] = attempts
        entry = replace(entry, detail=json.dumps(detail, separators=(",", ":")))
        schedule = None
        if self.scheduled:
            now = self.clock.now()

            def schedule(before: CardRow | None) -> CardRow:
                return self.scheduling.review(item.key, item.topic, before, rating, now, item.card.content_hash)

        self.store.record(entry, schedule)
        self._ended = self.clock.now()
        points = tuple(sorted(outcome.points)) if outcome.points is not None else ()
        self._answers.append(InterviewAnswer(question, outcome, self._chain, self._depth, seconds, limit,
                                             int(rating), credit, points, total, attempts))
        if self.follows and not self.in_drills and rating > Rating.Again and self._depth < MAX_DEPTH:
            follow = [self.deck.item(key) for key in self.deck.follow_ups(item.key)]
            askable = [i for i in follow if i is not None and i.card.type in ASKABLE_TYPES]
            self._stack.extend((i, self._depth + 1) for i in reversed(askable))  # the first follow-up next
        elif rating == Rating.Again:
            self._stack.clear()  # stuck: the chain stops here
        self._next()

    def _next(self) -> None:
        self._asking = None
        if self.clock.now() >= self.deadline:
            self._end_by_clock()
            return
        while self._stack or self._roots:
            if self._stack:
                item, depth = self._stack.pop()
            else:
                item, depth = self._roots.pop(0), 1
            if item.key in self._asked:
                continue
            if depth == 1:
                self._chain += 1
            self._asked.add(item.key)
            self._depth = depth
            self._asking = Asking(build_question(item, self._rng), self.clock)  # generated: a fresh instance
            return


@dataclass(frozen=True, slots=True)
class PastInterview:
    interview_id: str
    started: datetime
    questions: int
    score: float  # credit over questions, 0 to 1
    deepest: int

    @staticmethod
    def from_log(rows: Sequence[LogRow]) -> list[PastInterview]:
        """Interviews in the log (entries with an interview detail), oldest first, each dated by its start (an
        entry logged before starts were kept, or with a start after its answer, stands for it by its own time)."""
        grouped: dict[str, list[dict]] = {}
        first_ms: dict[str, int] = {}
        for row in rows:
            if (answer := interview_answer(row)) is None:
                continue
            interview, credit, detail = answer
            grouped.setdefault(interview, []).append({"credit": credit, "depth": detail.get("depth", 1)})
            started = detail.get("started_ms")
            if type(started) is not int or not 0 <= started <= row.reviewed_ms:
                started = row.reviewed_ms
            first_ms[interview] = min(first_ms.get(interview, started), started)
        past = [PastInterview(interview, from_ms(first_ms[interview]), len(entries),
                              sum(e["credit"] for e in entries) / len(entries),
                              max(int(e["depth"]) if isinstance(e["depth"], int) else 1 for e in entries))
                for interview, entries in grouped.items()]
        return sorted(past, key=lambda p: p.started)


def past_interviews(store: Store) -> list[PastInterview]:
    return PastInterview.from_log(store.interview_log())
