"""What review and quiz share: the question on screen, when it was shown, its checked response, and the log
entry an answer to it makes."""

from __future__ import annotations

from datetime import datetime

from quizapp.study.clock import Clock, to_ms
from quizapp.study.questions import Outcome, Question, not_answered
from quizapp.study.scheduling import card_id_for
from quizapp.study.store import NewReview

__all__ = ["Asking"]


class Asking:
    """One question being asked: `check` or `check_choice` a response, then `review` makes its log entry."""

    def __init__(self, question: Question, clock: Clock) -> None:
        self.question = question
        self.clock = clock
        self.shown_at: datetime = clock.now()
        self.outcome: Outcome | None = None

    def check(self, response: str) -> Outcome:
        """Check a typed response; an unreadable one is not kept, so the user can try again."""
        return self._keep(self.question.check(response))

    def check_choice(self, chosen: frozenset[int]) -> Outcome:
        return self._keep(self.question.check_choice(chosen))

    def code_checked(self, code: str, passed: bool, message: str) -> Outcome:
        """A coding drill's verdict (the check ran in the drill editor): the code is the answer."""
        self.outcome = Outcome("correct" if passed else "incorrect", message, "the model solution", code)
        return self.outcome

    def show_answer(self) -> Outcome:
        """Give up on a typed question: the answer is shown, and it counts as a miss with no typed answer."""
        self.outcome = not_answered(self.question)
        return self.outcome

    def elapsed_seconds(self) -> float:
        return max((self.clock.now() - self.shown_at).total_seconds(), 0.0)

    def review(self, mode: str, rating: int) -> NewReview:
        """The log entry for answering this question now with `rating`."""
        question, outcome = self.question, self.outcome
        return NewReview(
            key=question.key,
            card_id=card_id_for(question.key),
            rating=int(rating),
            reviewed_ms=to_ms(self.clock.now()),
            duration_ms=int(self.elapsed_seconds() * 1000),
            mode=mode,
            correct=outcome.correct if outcome else None,
            answer=(outcome.response or None) if outcome else None,
            seed=question.seed,
            content_hash=question.item.card.content_hash,
        )

    def _keep(self, outcome: Outcome) -> Outcome:
        if outcome.status != "invalid":
            self.outcome = outcome
        return outcome
