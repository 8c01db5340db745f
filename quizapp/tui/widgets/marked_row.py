"""One row of a list the user ticks: a mark (a box, a number) and the item's text in a column of its own, so a
wrapped text hangs under itself. A click posts `MarkedRow.Clicked` with the row's index; the list decides.

The text's inline Markdown (code, emphasis, math) is drawn as styles (`inline_text`), never as markup.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from quizapp.deck.plaintext import inline_runs
from quizapp.safetext import visible

__all__ = ["MarkedRow", "inline_text"]


class MarkedRow(Horizontal):
    """`MarkedRow(index, "choice-option", parts="choice")` has the parts `.choice-mark` and `.choice-text`."""

    DEFAULT_CSS = """
    MarkedRow { height: auto; }
    MarkedRow > .marked-row--mark { width: auto; }
    MarkedRow > .marked-row--text { width: 1fr; height: auto; }
    """

    class Clicked(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, index: int, classes: str, *, parts: str) -> None:
        super().__init__(classes=classes)
        self.index = index
        self.parts = parts

    def compose(self) -> ComposeResult:
        yield Static("", classes=f"marked-row--mark {self.parts}-mark")
        yield Static("", classes=f"marked-row--text {self.parts}-text")

    def show(self, mark: Text, text: Text) -> None:
        self.query_one(".marked-row--mark", Static).update(mark)
        self.query_one(".marked-row--text", Static).update(text)

    def on_click(self) -> None:
        self.post_message(self.Clicked(self.index))


_MARK_STYLES = {"em": Style(italic=True), "strong": Style(bold=True), "s": Style(strike=True)}


def inline_text(markdown: str, base: str, code: Style) -> Text:
    """An item's inline Markdown as a Text: each run appended with its style, the data never parsed as markup."""
    text = Text(style=base)
    for run, marks in inline_runs(markdown):
        style = Style.combine([Style(), *(code if mark == "code" else _MARK_STYLES[mark] for mark in sorted(marks))])
        text.append(visible(run), style=style)
    return text
