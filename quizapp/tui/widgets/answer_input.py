"""An answer box that says, as you type, whether the text can be read as a number or a vector."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from quizapp.plural import counted
from quizapp.safetext import visible
from quizapp.tui.widgets.text_box import TextBox

__all__ = ["AnswerInput"]

ACCEPTED = "0.75 · 3/4 · 75% · 7.5e-1 · [0.1, -0.2]"


class AnswerBox(TextBox):
    """The box itself: its Enter is shown, since the box takes Enter before the screen's binding, whose key the
    footer would name, can see it (the quiz's hint says "Enter submits"; review said nothing)."""

    BINDINGS = [Binding("enter", "submit", "Check answer", id="answer.check")]


class AnswerInput(Vertical):
    """Input plus a one-line hint; posts Input.Submitted as usual. `reset(size)` says how many numbers the
    answer has, so the hint marks "0,75" (two numbers) wrong where one number is asked for."""

    answer_size: int | None = None

    def compose(self) -> ComposeResult:
        yield AnswerBox(placeholder=f"Type your answer: {ACCEPTED}", id="answer")
        yield Static("", id="answer-hint")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#answer-hint", Static).update(describe_answer(event.value, self.answer_size))

    def reset(self, size: int | None = None) -> None:
        self.answer_size = size
        box = self.query_one(Input)
        box.value = ""
        box.disabled = False
        hint = self.query_one("#answer-hint", Static)
        hint.update("")
        hint.display = True

    def freeze(self) -> None:
        """The answer is checked: the box keeps what was typed, and the hint goes (the verdict says how the answer
        was read; a green "✓ reads as 0.5" above "✗ Incorrect" read as a second verdict)."""
        self.query_one(Input).disabled = True
        self.query_one("#answer-hint").display = False

    def focus_input(self) -> None:
        self.query_one(Input).focus()


def describe_answer(text: str, size: int | None = None) -> Content:
    """The hint under the box; the message may quote what was typed, so it is text, not markup. Given `size`
    (how many numbers the answer has), a reading with another count is marked wrong, as checking it will be:
    "0,75" reads as two numbers, not as 0.75."""
    import solvers

    if not text.strip():
        return Content()
    try:
        value = solvers.parse_answer(text)
    except solvers.AnswerFormatError as exc:
        return Content.assemble(("✗", "bold red"), visible(f" {exc}"))
    reading = f" reads as {solvers.format_answer(value)}"
    given = len(value) if isinstance(value, list) else 1
    if size is not None and given != size:
        wanted = "a single number" if size == 1 else counted(size, "number")
        count = f": {counted(given, 'number')}, the answer is {wanted}"
        return Content.assemble(("✗", "bold red"), visible(reading + count))
    return Content.assemble(("✓", "bold green"), visible(reading))
