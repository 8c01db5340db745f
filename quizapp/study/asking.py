"""What every session (review, quiz, mock interview) shares: the question on screen, when it was shown, its
checked response, and the log entry an answer to it makes."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime

from quizapp.study.clock import Clock, to_ms
from quizapp.study.questions import Outcome, Question, judge_points, not_answered, suggested_points
from quizapp.study.scheduling import card_id_for
from quizapp.study.store import NewReview

__all__ = ["Asking", "AskingSession", "RecordingSession"]


class Asking:
    """One question being asked: `check` or `check_choice` a response, then `review` makes its log entry."""

    def __init__(self, question: Question, clock: Clock) -> None:
        self.question = question
        self.clock = clock
        self.shown_at: datetime = clock.now()
        # The answer's time ends here: at an open question's reveal, at a coding drill's last check.
        self.revealed_at: datetime | None = None
        self.outcome: Outcome | None = None

    def check(self, response: str) -> Outcome:
        """Check a typed response; an unreadable one is not kept, so the user can try again."""
        return self._keep(self.question.check(response))

    def check_choice(self, chosen: frozenset[int]) -> Outcome:
        return self._keep(self.question.check_choice(chosen))

    def code_checked(self, code: str, passed: bool, message: str, at: datetime | None = None) -> Outcome:
        """A coding drill's verdict (the check ran in the drill editor, `at` that moment): the code is the
        answer, and the time reading the verdict or the model solution after it is not counted."""
        self.revealed_at = at
        self.outcome = Outcome("correct" if passed else "incorrect", message, "the model solution", code)
        return self.outcome

    def show_answer(self) -> Outcome:
        """Give up on a choice or typed question: the answer is shown, and it counts as a miss with no answer given."""
        self.outcome = not_answered(self.question)
        return self.outcome

    def reveal_open(self, typed: str) -> Outcome:
        """Reveal an open question's answer with no point ticked: the user ticks the points they made
        (`tick_points`). The points whose keywords are in the typed text are kept as `suggested`, a hint shown
        beside them, never ticked for the user: keywords cannot tell "AUC is not accuracy" from "AUC is
        accuracy", so a wrong answer full of the right words would pass."""
        self._open_only()
        if self.revealed_at is None:
            self.revealed_at = self.clock.now()  # ticking the points made is not answering
        suggested = suggested_points(self.question.key_points, typed)
        self.outcome = judge_points(self.question, typed, frozenset(), suggested)
        return self.outcome

    def tick_points(self, points: Collection[int]) -> Outcome:
        """The key points the user says they made (indexes into `question.key_points`)."""
        self._open_only()
        if self.outcome is None:
            self.reveal_open("")
        typed, suggested = self.outcome.response, self.outcome.suggested
        self.outcome = judge_points(self.question, typed, frozenset(points), suggested)
        return self.outcome

    def self_graded(self, knew_it: bool) -> Outcome:
        """A self-rated answer (a flashcard or cloze in a quiz or an interview): right or missed, as the user says."""
        self.outcome = Outcome("correct" if knew_it else "incorrect", "You knew it." if knew_it else "Missed.",
                               self.question.answer)
        return self.outcome

    def judged(self, points: Collection[int]) -> Outcome:
        """An open question judged by the key points the user made, after it was revealed."""
        if self.outcome is None:
            raise ValueError("reveal the open question before judging it")
        return self.tick_points(points)

    def _open_only(self) -> None:
        if self.question.kind != "open":
            raise ValueError(f"{self.question.kind} cards have no key points")

    def elapsed_seconds(self) -> float:
        """The time taken to answer: until now, until an open question was revealed or a drill last checked."""
        end = self.revealed_at or self.clock.now()
        return max((end - self.shown_at).total_seconds(), 0.0)

    def review(self, mode: str, rating: int) -> NewReview:
        """The log entry for answering this question now with `rating`."""
        question, outcome = self.question, self.outcome
        detail = outcome.detail() if outcome else None
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
            detail=json.dumps(detail) if detail is not None else None,
        )

    def _keep(self, outcome: Outcome) -> Outcome:
        if outcome.status != "invalid":
            self.outcome = outcome
        return outcome


class AskingSession:
    """The part of a session about its current question: `_asking`, set by the session as it moves on, and
    None once it is over (`_OVER` says so when something is asked of a session that is over)."""

    _asking: Asking | None = None
    _OVER = "the session is finished: there is nothing to answer"

    @property
    def current(self) -> Question | None:
        return self._asking.question if self._asking else None

    @property
    def asked_at(self) -> datetime | None:
        """When the current question was shown (its answer's duration is counted from here)."""
        return self._asking.shown_at if self._asking else None

    @property
    def outcome(self) -> Outcome | None:
        """The checked response to the current question, if any."""
        return self._asking.outcome if self._asking else None

    @property
    def finished(self) -> bool:
        return self._asking is None

    def reveal_open(self, typed: str) -> Outcome:
        """Show the current open question's answer, no point ticked; those whose keywords it has are hinted."""
        return self._require().reveal_open(typed)

    def _require(self) -> Asking:
        if self._asking is None:
            raise ValueError(self._OVER)
        return self._asking


class RecordingSession(AskingSession):
    """A session that records each answer as soon as it is judged (a quiz, a mock interview), where a review
    waits for the user's rating: `_record` logs the answer `_asking` holds and moves on to the next question.
    An unreadable typed answer is not recorded, so the user can try again."""

    def check(self, response: str) -> Outcome:
        """A typed answer (numeric, generated) or letters (choice)."""
        return self._recorded(self._require().check(response))

    def check_choice(self, chosen: frozenset[int]) -> Outcome:
        return self._recorded(self._require().check_choice(chosen))

    def self_grade(self, knew_it: bool) -> Outcome:
        """A self-rated answer (flashcard, cloze): right or missed, as the user says."""
        return self._recorded(self._require().self_graded(knew_it))

    def judge_open(self, points: Collection[int]) -> Outcome:
        """Record the current open question with the key points the user made: right from half of them."""
        return self._recorded(self._require().judged(points))

    def _recorded(self, outcome: Outcome) -> Outcome:
        if outcome.status != "invalid":
            self._record()
        return outcome

    def _record(self) -> None:
        raise NotImplementedError
