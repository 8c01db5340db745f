"""What the quiz and interview screens share: each answer is judged and recorded as it is given, then stays on
screen until Enter shows the next question.

A checked answer (choice, typed, code) is recorded by the check; a self-rated card once the user says y or n;
an open question once r records the key points ticked. A subclass names its hint line (`HINT`) and says what
showing a question adds (`ask`) and what a recorded answer shows (`show_recorded`); the screen is dismissed
with its session.
"""

from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from quizapp.study.questions import Outcome, Question, points_summary
from quizapp.tui.keys import action_key
from quizapp.tui.screens.question import QuestionScreen, question_bindings
from quizapp.tui.widgets.key_points import KeyPointList

__all__ = ["JudgedQuestionScreen", "judged_bindings"]

SessionType = TypeVar("SessionType")


def judged_bindings(prefix: str, *, finish: str) -> list[Binding]:
    """The keys of a screen that judges each answer: the question keys, y/n, r, and Escape to end early."""
    return [
        *question_bindings(prefix, submit="Answer / next"),  # a drill's answer is written in the editor Enter opens
        Binding("y", "grade(True)", "Knew it", id=f"{prefix}.knew"),
        Binding("n", "grade(False)", "Missed it", id=f"{prefix}.missed"),
        Binding("r", "record_points", "Record the points", id=f"{prefix}.record-points"),
        Binding("escape", "finish", finish, id=f"{prefix}.finish"),
    ]


class JudgedQuestionScreen(QuestionScreen[SessionType]):
    HINT: str  # the selector of the line under the question that says what to do next

    def __init__(self, session: SessionType) -> None:
        super().__init__()
        self.session = session
        self.shown: Question | None = session.current  # stays on screen after it is answered, until Enter
        self.recorded = False  # the shown question's answer is recorded

    # --- what a subclass provides ------------------------------------------------------------------

    def ask(self, question: Question) -> None:
        """Show `question`, the session's next one (`show_question` and what the screen adds around it)."""
        raise NotImplementedError

    def show_recorded(self) -> None:
        """The shown answer has just been recorded: say how it went and that Enter goes on."""
        raise NotImplementedError

    def show_grade(self, outcome: Outcome) -> None:
        """The user said y or n to a self-rated card: by default the line `show_recorded` writes says it."""

    # --- shared steps --------------------------------------------------------------------------------

    @property
    def question(self) -> Question | None:
        return self.shown

    @property
    def what_follows(self) -> str:
        """What Enter shows once the answer is recorded."""
        return "results" if self.session.finished else "next question"

    def hint(self, line: str | Content) -> None:
        """Say what to do next: a str is markup (fixed text of ours only); anything with data is Content."""
        self.query_one(self.HINT, Static).update(line)

    def next_question(self) -> None:
        """Show the session's current question, not yet answered; finish when none is left."""
        self.shown = self.session.current
        self.recorded = False
        if self.shown is None:
            self.action_finish()
            return
        if self.shown.kind == "open":
            hint = ""  # the line under the answer box says what to do: said once
        elif not self.shown.auto_checked:
            hint = f"{action_key(self, 'reveal')} shows the answer"
        elif self.shown.kind == "code":
            hint = f"{action_key(self, 'submit')} opens the editor"
        else:
            hint = f"{action_key(self, 'submit')} submits"
        self.hint(Content.styled(hint[:1].upper() + hint[1:], "dim"))
        self.ask(self.shown)

    def answered(self) -> None:
        shown = self.shown
        if shown is not None and shown.kind == "open" and not self.recorded:
            self._points_hint(self.query_one(KeyPointList).ticked)
        elif shown is not None and shown.self_graded and not self.recorded:
            self.hint(Content.assemble("Did you know it? ", (action_key(self, "grade(True)"), "bold"), " yes · ",
                                       (action_key(self, "grade(False)"), "bold"), " no"))
        else:  # checked: the check recorded it
            self._record_shown()

    def points_changed(self, ticked: frozenset[int]) -> None:
        if not self.recorded:
            self._points_hint(ticked)

    def _points_hint(self, ticked: frozenset[int]) -> None:
        """Show the points ticked so far in words, and how to record them."""
        summary = points_summary(len(ticked), len(self.shown.key_points))
        self.panel.show_points(summary)
        self.hint(Content.assemble(f"{summary} — tick the points you made, then ",
                                   (action_key(self, "record_points"), "bold"), " records them"))

    def action_record_points(self) -> None:
        """Record the revealed open question with the points ticked, and show the verdict on them."""
        if not self.check_action("record_points", ()):
            return
        points = self.query_one(KeyPointList)
        outcome = self.session.judge_open(points.ticked)
        points.disabled = True
        colour, symbol = ("green", "✓") if outcome.correct else ("red", "✗")
        self.panel.show_points(f"{symbol} {outcome.message}", f"bold {colour}")
        self._record_shown()

    def action_grade(self, knew_it: bool) -> None:
        if not self.check_action("grade", ()):
            return
        self.show_grade(self.session.self_grade(knew_it))
        self._record_shown()

    def _record_shown(self) -> None:
        self.recorded = True
        self.show_recorded()
        self.set_focus(None)
        self.refresh_bindings()

    def submit_answered(self) -> None:
        if self.recorded:
            self.next_question()

    def action_finish(self) -> None:
        self.dismiss(self.session)
