"""More new cards today: offered when a topic opened from home has nothing left to study but new cards beyond
today's limit (Anki's "increase today's new card limit"). Dismissed with how many more, or None."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.validation import Integer
from textual.widgets import Button, Input, Static

from quizapp.plural import counted
from quizapp.safetext import one_line
from quizapp.study.queue import MAX_EXTRA_NEW, MORE_NEW_DEFAULT
from quizapp.tui.widgets.text_box import TextBox

__all__ = ["MoreNewScreen"]


class MoreNewScreen(ModalScreen[int | None]):
    CSS_PATH = "more_new.tcss"
    BINDINGS = [Binding("escape", "decline", "Not now", id="more-new.decline")]

    def __init__(self, title: str, available: int) -> None:
        super().__init__()
        self.topic_title = title
        self.available = available

    def compose(self) -> ComposeResult:
        left = self.available
        with Vertical(id="more-new"):
            # the title is content: a Text, never markup
            yield Static(Text.assemble("Nothing is due in ", (one_line(self.topic_title), "bold"),
                                       f" now, and today's new-card limit is reached; {counted(left, 'new card')} left."), id="more-new-message")
            yield Static("Learn how many more new cards from this topic today?")
            yield TextBox(str(min(MORE_NEW_DEFAULT, left)), type="integer", id="more-new-count",
                        validators=[Integer(minimum=1, maximum=MAX_EXTRA_NEW)])
            with Horizontal(id="more-new-buttons"):
                yield Button("Learn them (Enter)", id="more-new-learn", variant="primary")
                yield Button("Not now (Esc)", id="more-new-decline")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._learn()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "more-new-learn":
            self._learn()
        else:
            self.action_decline()

    def _learn(self) -> None:
        field = self.query_one(Input)
        result = field.validate(field.value)
        if result is not None and not result.is_valid:
            self.notify(f"Type a number from 1 to {MAX_EXTRA_NEW:,}.", severity="warning")
            return
        self.dismiss(int(field.value))

    def action_decline(self) -> None:
        self.dismiss(None)
