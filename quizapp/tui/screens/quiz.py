"""Quiz questions, checked and scored; nothing here changes the review schedule.

Dismissed with the session when the quiz ends (the last answer, or Escape), so the app can show its results.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static

from quizapp.study.questions import TYPED, Question
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
        self.done = False  # the shown question has been answered

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
        if self.shown is not None and self.shown.kind == "open" and not self.done:
            self._points_hint(self.query_one(KeyPointList).ticked)
            return
        if self.shown is not None and not self.shown.auto_checked and not self.done:
            self.query_one("#quiz-next", Static).update("Did you know it? [b]y[/] yes · [b]n[/] no")
            return
        self.done = True
        more = "next question" if not self.session.finished else "results"
        self.query_one("#quiz-next", Static).update(f"[b]Enter[/] for the {more}")
        self._update_progress()

    def points_changed(self, ticked: frozenset[int]) -> None:
        if not self.done:
            self._points_hint(ticked)

    def _points_hint(self, ticked: frozenset[int]) -> None:
        self.query_one("#quiz-next", Static).update(self.points_hint(ticked))

    def action_record_points(self) -> None:
        shown = self.shown
        if shown is None or shown.kind != "open" or self.done or not self.is_answered:
            return
        self.record_points()
        self.done = True
        self.answered()
        self.set_focus(None)
        self.refresh_bindings()

    def submit_answered(self) -> None:
        if self.done:
            self._next()

    # --- showing -----------------------------------------------------------------------------------

    def _next(self) -> None:
        self.shown = self.session.current
        self.done = False
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
        number, total = min(results.total + (not self.done), self.session.position[1]), self.session.position[1]
        self.query_one("#quiz-progress", Static).update(
            f"[b]Question {number} of {total}[/]  ·  score {results.score}/{results.total}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        shown = self.shown
        revealed = self.is_answered
        if action == "reveal":
            return shown is not None and not shown.auto_checked and not revealed
        if action == "grade":
            return shown is not None and not shown.auto_checked and shown.kind != "open" and revealed and not self.done
        if action == "record_points":
            return shown is not None and shown.kind == "open" and revealed and not self.done
        if action == "submit":
            return shown is not None and (self.done or shown.kind == "choice")
        if action == "show_answer":
            return shown is not None and (shown.kind in TYPED or (shown.kind == "open" and not revealed)) and not self.done
        return True

    def action_grade(self, knew_it: bool) -> None:
        if self.shown is None or self.done or self.shown.auto_checked or not self.is_answered:
            return
        self.panel.show_outcome(self.session.self_grade(knew_it))
        self.done = True
        self.answered()
        self.set_focus(None)
        self.refresh_bindings()

    def action_finish(self) -> None:
        self.dismiss(self.session)
