"""Quiz questions, checked and scored; nothing here changes the review schedule.

Dismissed with the session when the quiz ends (the last answer, or Escape), so the app can show its results.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static

from quizapp.study.questions import Question
from quizapp.study.quiz import QuizSession
from quizapp.tui.screens.question import QuestionScreen, question_bindings
from quizapp.tui.widgets.key_points import KeyPointList
from quizapp.tui.widgets.open_timer import OpenTimer
from quizapp.tui.widgets.question_panel import QuestionPanel
from quizapp.tui.widgets.title_bar import TitleBar

__all__ = ["QuizScreen"]


class QuizScreen(QuestionScreen[QuizSession]):
    BINDINGS = [
        *question_bindings("quiz", submit="Submit / next"),
        Binding("y", "grade(True)", "Knew it", id="quiz.knew"),
        Binding("n", "grade(False)", "Missed it", id="quiz.missed"),
        Binding("r", "record_points", "Record the points", id="quiz.record-points"),
        Binding("escape", "finish", "End quiz", id="quiz.finish"),
    ]

    def __init__(self, session: QuizSession) -> None:
        super().__init__()
        self.session = session
        self.shown = session.current  # stays on screen after it is answered, until Enter
        self.recorded = False  # the shown question's answer is recorded

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="quiz-progress")
        yield OpenTimer(id="open-timer")
        yield QuestionPanel(id="question")
        yield Static("", id="quiz-next")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Quiz"
        self.sub_title = f"seed {self.session.seed}"
        self._next()

    # --- the question screen's parts -----------------------------------------------------------------

    @property
    def question(self) -> Question | None:
        return self.shown

    def answered(self) -> None:
        if self.shown is not None and self.shown.kind == "open" and not self.recorded:
            self._points_hint(self.query_one(KeyPointList).ticked)
            return
        if self.shown is not None and self.shown.self_graded and not self.recorded:
            self.query_one("#quiz-next", Static).update("Did you know it? [b]y[/] yes · [b]n[/] no")
            return
        self.recorded = True
        more = "next question" if not self.session.finished else "results"
        self.query_one("#quiz-next", Static).update(f"[b]Enter[/] for the {more}")
        self._update_progress()

    def points_changed(self, ticked: frozenset[int]) -> None:
        if not self.recorded:
            self._points_hint(ticked)

    def _points_hint(self, ticked: frozenset[int]) -> None:
        self.query_one("#quiz-next", Static).update(self.points_hint(ticked))

    def action_record_points(self) -> None:
        if not self.check_action("record_points", ()):
            return
        self.record_points()
        self.recorded = True
        self.answered()
        self.set_focus(None)
        self.refresh_bindings()

    def submit_answered(self) -> None:
        if self.recorded:
            self._next()

    # --- showing -----------------------------------------------------------------------------------

    def _next(self) -> None:
        self.shown = self.session.current
        self.recorded = False
        if self.shown is None:
            self.action_finish()
            return
        self._update_progress()
        hint = "Space shows the answer" if not self.shown.auto_checked else "Enter submits"
        if self.shown.kind == "open":
            hint = "Answer aloud or type; ctrl+s shows the model answer and the key points"
        self.query_one("#quiz-next", Static).update(f"[dim]{hint}[/]")
        self.show_question(self.shown)

    def _update_progress(self) -> None:
        """Question n of N, and the score over the questions answered so far."""
        results = self.session.results()
        number, total = min(results.total + (not self.recorded), self.session.position[1]), self.session.position[1]
        self.query_one("#quiz-progress", Static).update(
            f"[b]Question {number} of {total}[/]  ·  score {results.score}/{results.total}")

    def action_grade(self, knew_it: bool) -> None:
        if not self.check_action("grade", ()):
            return
        self.panel.show_outcome(self.session.self_grade(knew_it))
        self.recorded = True
        self.answered()
        self.set_focus(None)
        self.refresh_bindings()

    def action_finish(self) -> None:
        self.dismiss(self.session)
