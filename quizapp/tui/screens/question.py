"""What the review and quiz screens share: a question panel, its keys, and the steps of answering.

A subclass says how a response is checked (`check_typed`, `check_chosen`), what follows an answer
(`answered`) and what Enter or a number means once the question is answered; this base shows the question,
toggles choices, reads typed answers and reveals the back of self-rated cards.
"""

from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.screen import Screen

from quizapp.study.questions import Outcome, Question
from quizapp.tui.widgets.choice_list import ChoiceList
from quizapp.tui.widgets.question_panel import QuestionPanel

__all__ = ["QuestionScreen", "question_bindings"]

ResultType = TypeVar("ResultType")
TYPED = frozenset({"numeric", "generated"})


def question_bindings(prefix: str, *, submit: str) -> list[Binding]:
    """The keys every question screen has, with ids under `prefix` (so each screen's can be remapped)."""
    return [
        Binding("space", "reveal", "Show answer", id=f"{prefix}.reveal"),
        Binding("enter", "submit", submit, id=f"{prefix}.submit"),
        *[Binding(str(n), f"number({n})", f"Option {n}", id=f"{prefix}.key{n}", show=False) for n in range(1, 10)],
    ]


class QuestionScreen(Screen[ResultType]):
    CSS_PATH = "question.tcss"

    # --- what a subclass provides ------------------------------------------------------------------

    @property
    def question(self) -> Question | None:
        raise NotImplementedError

    def check_typed(self, response: str) -> Outcome:
        raise NotImplementedError

    def check_chosen(self, chosen: frozenset[int]) -> Outcome:
        raise NotImplementedError

    def answered(self) -> None:
        """The question has just been checked or revealed."""

    def submit_answered(self) -> None:
        """Enter after the answer is shown."""

    def number_answered(self, number: int) -> None:
        """A number key after the answer is shown."""

    # --- shared steps --------------------------------------------------------------------------------

    @property
    def panel(self) -> QuestionPanel:
        return self.query_one(QuestionPanel)

    @property
    def is_answered(self) -> bool:
        panels = self.query(QuestionPanel)  # none while the screen is being torn down
        return self.question is not None and bool(panels) and getattr(panels.first(), "revealed", False)

    def show_question(self, question: Question, *, note: str = "") -> None:
        self.panel.show(question, note=note)
        if question.kind not in TYPED:
            self.set_focus(None)  # keys go to the screen: space, numbers, enter
        self.refresh_bindings()

    def action_reveal(self) -> None:
        question = self.question
        if question is None or self.is_answered or question.auto_checked:
            return
        self.panel.reveal()
        self.answered()
        self.refresh_bindings()

    def action_submit(self) -> None:
        question = self.question
        if question is None:
            return
        if self.is_answered:
            self.submit_answered()
        elif question.kind == "choice":
            self._show_outcome(self.check_chosen(frozenset(self.query_one(ChoiceList).chosen)))
        elif not question.auto_checked:
            self.action_reveal()

    def action_number(self, number: int) -> None:
        question = self.question
        if question is None:
            return
        if self.is_answered:
            self.number_answered(number)
        elif question.kind == "choice":
            self.query_one(ChoiceList).toggle(number - 1)

    def on_choice_list_toggled(self, event: ChoiceList.Toggled) -> None:
        self.query_one(ChoiceList).toggle(event.index)

    def on_input_submitted(self, event) -> None:
        event.stop()
        if self.is_answered:
            self.submit_answered()
            return
        self._show_outcome(self.check_typed(event.value))

    def _show_outcome(self, outcome: Outcome) -> None:
        if outcome.status == "invalid":
            if self.question is not None and self.question.kind == "choice":
                self.notify("Press an option's number first, then Enter.", severity="warning")
            else:
                self.notify(outcome.message, title="Could not read the answer", severity="warning")
            return
        self.panel.show_outcome(outcome)
        self.set_focus(None)
        self.answered()
        self.refresh_bindings()
