"""Quiz questions, checked and scored; nothing here changes the review schedule.

Dismissed with the session when the quiz ends (the last answer, or Escape), so the app can show its results.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Static

from quizapp.study.questions import Outcome, Question
from quizapp.study.quiz import QuizSession
from quizapp.tui.keys import action_id, bold_keys
from quizapp.tui.screens.judged import JudgedQuestionScreen, judged_bindings
from quizapp.tui.widgets.open_timer import OpenTimer
from quizapp.tui.widgets.question_panel import QuestionPanel
from quizapp.tui.widgets.title_bar import TitleBar

__all__ = ["QuizScreen"]


class QuizScreen(JudgedQuestionScreen[QuizSession]):
    BINDINGS = judged_bindings("quiz", finish="End quiz")
    HINT = "#quiz-next"

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
        self.next_question()

    # --- the judged screen's parts -------------------------------------------------------------------

    def ask(self, question: Question) -> None:
        self._update_progress()
        self.show_question(question)

    def show_recorded(self) -> None:
        self.hint(f"{bold_keys(self, action_id(self, 'submit'))} for the {self.what_follows}")
        self._update_progress()

    def show_grade(self, outcome: Outcome) -> None:
        self.panel.show_outcome(outcome)  # the ✓ or ✗ on the panel too, where a checked answer has it

    def _update_progress(self) -> None:
        """Question n of N, and the score over the questions answered so far."""
        results = self.session.results()
        number, total = min(results.total + (not self.recorded), self.session.position[1]), self.session.position[1]
        self.query_one("#quiz-progress", Static).update(
            f"[b]Question {number} of {total}[/]  ·  score {results.score}/{results.total}")
