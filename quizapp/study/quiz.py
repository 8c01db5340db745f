"""A quiz: N questions drawn from chosen topics and card types, scored, logged without touching schedules."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from fsrs import Rating

from quizapp.deck.model import Deck, StudyItem
from quizapp.study.clock import Clock, to_ms
from quizapp.study.questions import Outcome, Question, build_question
from quizapp.study.scheduling import card_id_for
from quizapp.study.store import NewReview, Store

__all__ = ["DEFAULT_QUIZ_TYPES", "QuizAnswer", "QuizResults", "QuizSession"]

DEFAULT_QUIZ_TYPES = ("choice", "numeric", "generated", "template")
ALL_TYPES = ("flashcard", "cloze", "choice", "numeric", "generated", "template")


@dataclass(frozen=True)
class QuizAnswer:
    question: Question
    outcome: Outcome


@dataclass(frozen=True)
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


class QuizSession:
    """Ask `count` questions; `answer` (typed), `answer_choice` or `self_grade` (flashcards), then `results`."""

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
    ) -> None:
        unknown = sorted(set(types) - set(ALL_TYPES))
        if unknown:
            raise ValueError(f"unknown card type(s) {', '.join(unknown)}; choose from {', '.join(ALL_TYPES)}")
        if count < 1:
            raise ValueError(f"a quiz needs at least one question, not {count}")
        self.deck, self.store, self.clock = deck, store, clock
        self.seed = seed if seed is not None else random.randrange(2**31)
        self._rng = random.Random(self.seed)
        self.topics = list(topics or [])
        self.types = tuple(types)
        pool = list(items) if items is not None else self._pool()
        self._items = self._rng.sample(pool, min(count, len(pool)))
        self._answers: list[QuizAnswer] = []
        self._question: Question | None = None
        self._shown_at: datetime | None = None
        self._next()

    def _pool(self) -> list[StudyItem]:
        items = self.deck.items(self.topics or None)
        chosen: dict[str, StudyItem] = {}
        for item in items:
            if item.card.type in self.types:
                chosen.setdefault(item.card.key, item)  # one deletion per cloze card
        return list(chosen.values())

    @property
    def current(self) -> Question | None:
        return self._question

    @property
    def finished(self) -> bool:
        return self._question is None

    @property
    def last(self) -> QuizAnswer | None:
        """The answer just given (front ends show its outcome before moving on)."""
        return self._answers[-1] if self._answers else None

    @property
    def position(self) -> tuple[int, int]:
        """(number of the current question, total), 1-based."""
        return len(self._answers) + 1, len(self._items)

    def answer(self, response: str) -> Outcome:
        outcome = self._require().check(response)
        if outcome.status != "invalid":
            self._record(outcome)
        return outcome

    def answer_choice(self, chosen: frozenset[int]) -> Outcome:
        outcome = self._require().check_choice(chosen)
        if outcome.status != "invalid":
            self._record(outcome)
        return outcome

    def self_grade(self, knew_it: bool) -> Outcome:
        question = self._require()
        outcome = Outcome("correct" if knew_it else "incorrect", "You knew it." if knew_it else "Missed.",
                          question.answer)
        self._record(outcome)
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

    def _record(self, outcome: Outcome) -> None:
        question = self._require()
        now = self.clock.now()
        elapsed = (now - self._shown_at).total_seconds() if self._shown_at else 0.0
        self.store.record(
            NewReview(
                key=question.key,
                card_id=card_id_for(question.key),
                rating=int(Rating.Good if outcome.correct else Rating.Again),
                reviewed_ms=to_ms(now),
                duration_ms=int(elapsed * 1000),
                mode="quiz",
                correct=outcome.correct,
                answer=outcome.response or None,
                seed=question.seed,
                content_hash=question.item.card.content_hash,
            ),
            new_state=None,
        )
        self._answers.append(QuizAnswer(question, outcome))
        self._next()

    def _next(self) -> None:
        index = len(self._answers)
        self._question = build_question(self._items[index], self._rng) if index < len(self._items) else None
        self._shown_at = self.clock.now()

    def _require(self) -> Question:
        if self._question is None:
            raise ValueError("the quiz is over")
        return self._question
