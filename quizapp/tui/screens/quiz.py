"""Quiz questions, checked and scored; nothing here changes the review schedule."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from quizapp.study.quiz import QuizSession
from quizapp.tui.services import Services
from quizapp.tui.widgets.choice_list import ChoiceList
from quizapp.tui.widgets.question_panel import QuestionPanel
from quizapp.tui.widgets.title_bar import TitleBar

__all__ = ["QuizScreen"]


class QuizScreen(Screen):
    CSS_PATH = "question.tcss"
    BINDINGS = [
        Binding("space", "reveal", "Show answer", id="quiz.reveal"),
        Binding("enter", "submit", "Submit / next", id="quiz.submit"),
        Binding("y", "grade(True)", "Knew it", id="quiz.knew"),
        Binding("n", "grade(False)", "Missed it", id="quiz.missed"),
        *[Binding(str(n), f"number({n})", f"Option {n}", id=f"quiz.key{n}", show=False) for n in range(1, 10)],
        Binding("escape", "finish", "End quiz", id="quiz.finish"),
    ]

    def __init__(self, services: Services, session: QuizSession) -> None:
        super().__init__()
        self.services = services
        self.session = session
        self.shown = session.current
        self.answered = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="quiz-progress")
        yield QuestionPanel(id="question")
        yield Static("", id="quiz-next")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Quiz"
        self.sub_title = f"seed {self.session.seed}"
        self._show()

    def _show(self) -> None:
        self.shown = self.session.current
        self.answered = False
        if self.shown is None:
            self.action_finish()
            return
        number, total = self.session.position
        score = self.session.results().score
        self.query_one("#quiz-progress", Static).update(
            f"[b]Question {number} of {total}[/]  ·  score {score}/{number - 1}")
        self.query_one(QuestionPanel).show(self.shown)
        hint = "Space shows the answer" if not self.shown.auto_checked else "Enter submits"
        self.query_one("#quiz-next", Static).update(f"[dim]{hint}[/]")
        if self.shown.kind not in {"numeric", "generated"}:
            self.set_focus(None)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        shown = self.shown
        revealed = shown is not None and getattr(self.query_one(QuestionPanel), "revealed", False)
        if action == "reveal":
            return shown is not None and not shown.auto_checked and not revealed
        if action == "grade":
            return shown is not None and not shown.auto_checked and revealed and not self.answered
        if action == "submit":
            return shown is not None and (self.answered or shown.kind == "choice")
        return True

    def _after_answer(self) -> None:
        self.answered = True
        outcome = self.session.last.outcome
        self.query_one(QuestionPanel).show_outcome(outcome)
        more = "next question" if not self.session.finished else "results"
        self.query_one("#quiz-next", Static).update(f"[b]Enter[/] for the {more}")
        self.set_focus(None)
        self.refresh_bindings()

    def action_reveal(self) -> None:
        if self.shown is None or self.answered or self.shown.auto_checked:
            return
        self.query_one(QuestionPanel).reveal()
        self.query_one("#quiz-next", Static).update("Did you know it? [b]y[/] yes · [b]n[/] no")
        self.refresh_bindings()

    def action_grade(self, knew_it: bool) -> None:
        panel = self.query_one(QuestionPanel)
        if self.shown is None or self.answered or self.shown.auto_checked or not panel.revealed:
            return
        self.session.self_grade(knew_it)
        self._after_answer()

    def action_submit(self) -> None:
        if self.shown is None:
            return
        if self.answered:
            self._show()
        elif self.shown.kind == "choice":
            outcome = self.session.answer_choice(frozenset(self.query_one(ChoiceList).chosen))
            if outcome.status == "invalid":
                self.notify("Press an option's number first, then Enter.", severity="warning")
                return
            self._after_answer()
        elif not self.shown.auto_checked:
            self.action_reveal()

    def action_number(self, number: int) -> None:
        if self.shown is not None and not self.answered and self.shown.kind == "choice":
            self.query_one(ChoiceList).toggle(number - 1)

    def on_choice_list_toggled(self, event: ChoiceList.Toggled) -> None:
        self.query_one(ChoiceList).toggle(event.index)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.answered:
            self._show()
            return
        outcome = self.session.answer(event.value)
        if outcome.status == "invalid":
            self.notify(outcome.message, title="Could not read the answer", severity="warning")
            return
        self._after_answer()

    def action_finish(self) -> None:
        from quizapp.tui.screens.quiz_results import QuizResultsScreen

        self.app.switch_screen(QuizResultsScreen(self.services, self.session))
