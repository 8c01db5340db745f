"""A yes/no question in a dialog: `y` or Enter confirms, `n` or Escape declines (dismissed with the answer)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from quizapp.tui.keys import first_key

__all__ = ["ConfirmScreen"]


class ConfirmScreen(ModalScreen[bool]):
    CSS_PATH = "confirm.tcss"
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, *, yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(self.question, id="confirm-question", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes} ({first_key(self, 'confirm.yes')})", id="confirm-yes", variant="error")
                yield Button(f"No ({first_key(self, 'confirm.no')})", id="confirm-no")

    def on_mount(self) -> None:
        self.set_focus(None)  # Enter means the binding's Yes, not whichever button happens to have focus

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")
