"""A quiz: N questions drawn from chosen topics and card types, scored, logged without touching schedules."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from quizapp.deck.model import Deck, StudyItem
from quizapp.study.asking import Asking, RecordingSession
from quizapp.study.clock import Clock
from quizapp.study.questions import Outcome, Question, build_question, suggest_rating
from quizapp.study.store import Store

__all__ = ["DEFAULT_QUIZ_TYPES", "NO_SCORE", "QuizAnswer", "QuizOptions", "QuizResults", "QuizSession"]

DEFAULT_QUIZ_TYPES = ("choice", "numeric", "generated", "template")
NO_SCORE = "No score: no question was answered."  # not 0/0 (0%), which reads as every answer wrong
ALL_TYPES = ("flashcard", "cloze", "choice", "numeric", "generated", "template", "open")


def _check_request(types: Sequence[str], count: int) -> None:
    unknown = sorted(set(types) - set(ALL_TYPES))
    if unknown:
        raise ValueError(f"unknown card type(s) {', '.join(unknown)}; choose from {', '.join(ALL_TYPES)}")
    if count < 1:
        raise ValueError(f"a quiz needs at least one question, not {count}")


@dataclass(frozen=True, slots=True)
class QuizOptions:
    """What `quizapp quiz` asked for, to preset the quiz's set-up screen; no types means the usual ones."""

    types: tuple[str, ...] = ()
    count: int = 10

    def __post_init__(self) -> None:
        _check_request(self.types, self.count)


@dataclass(frozen=True, slots=True)
class QuizAnswer:
    question: Question
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class QuizResults:
    answers: tuple[QuizAnswer, ...]
    by_topic: dict[str, tuple[int, int]] = field(default_factory=dict)  # topic -> (right, asked)

    @property
    def score(self) -> int:
        return sum(1 for a in self.answers if a.outcome.correct)

    @property
    def total(self) -> int:
        return len(self.answers)

    @property
    def misses(self) -> list[QuizAnswer]:
        return [a for a in self.answers if not a.outcome.correct]

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.total if self.total else 0.0


class QuizSession(RecordingSession):
    """Ask `count` questions; `check` (typed), `check_choice`, `show_answer`, `self_grade` (self-rated cards)
    or `reveal_open` then `judge_open` (open questions) answers and records the current one; then `results`."""

    _OVER = "the quiz is over"

    def __init__(
        self,
        deck: Deck,
        store: Store,
        clock: Clock,
        *,
        topics: Sequence[str] | None = None,
        types: Sequence[str] = DEFAULT_QUIZ_TYPES,
        count: int = 10,
        seed: int | None = None,
        items: Sequence[StudyItem] | None = None,
        only: Collection[str] | None = None,
    ) -> None:
        _check_request(types, count)
        self.deck, self.store, self.clock = deck, store, clock
        self.seed = seed if seed is not None else random.randrange(2**31)
        self._rng = random.Random(self.seed)
        self.topics = list(topics or [])
        self.types = tuple(types)
        self.only = frozenset(only) if only is not None else None  # the keys of a search, if one chose them
        pool = list(items) if items is not None else self._pool()
        self._items = self._rng.sample(pool, min(count, len(pool)))
        self._answers: list[QuizAnswer] = []
        self._asking: Asking | None = None
        self._next()

    def _pool(self) -> list[StudyItem]:
        items = self.deck.items(self.topics or None)
        chosen: dict[str, StudyItem] = {}
        for item in items:
            if item.card.type in self.types and (self.only is None or item.key in self.only):
                chosen.setdefault(item.card.key, item)  # one deletion per cloze card
        return list(chosen.values())

    @property
    def last(self) -> QuizAnswer | None:
        """The answer just given (front ends show its outcome before moving on)."""
        return self._answers[-1] if self._answers else None

    @property
    def position(self) -> tuple[int, int]:
        """(number of the current question, total), 1-based."""
        return len(self._answers) + 1, len(self._items)

    def show_answer(self) -> Outcome:
        """The user does not know the answer (a choice or typed question): it is shown, and scored as a miss."""
        outcome = self._require().show_answer()
        self._record()
        return outcome

    def results(self) -> QuizResults:
        by_topic: dict[str, tuple[int, int]] = {}
        for answer in self._answers:
            right, asked = by_topic.get(answer.question.item.topic, (0, 0))
            by_topic[answer.question.item.topic] = (right + bool(answer.outcome.correct), asked + 1)
        return QuizResults(tuple(self._answers), by_topic)

    def retry_misses(self) -> QuizSession:
        missed = [a.question.item for a in self.results().misses]
        if not missed:
            raise ValueError("no misses to retry")
        return QuizSession(self.deck, self.store, self.clock, types=ALL_TYPES, count=len(missed),
                           seed=self.seed + 1, items=missed)

    def _record(self) -> None:
        asking = self._require()
        rating = suggest_rating(asking.outcome)  # Good or Again; an open question by its points
        self.store.record(asking.review("quiz", rating))
        self._answers.append(QuizAnswer(asking.question, asking.outcome))
        self._next()

    def _next(self) -> None:
        index = len(self._answers)
        item = self._items[index] if index < len(self._items) else None
        self._asking = Asking(build_question(item, self._rng), self.clock) if item is not None else None
