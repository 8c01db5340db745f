"""Choice options, toggled with their number keys or a click, marked after the answer is checked.

Each option is its box and number, then its text in a column of its own, so a wrapped option hangs under
its own text; the text's inline Markdown (code, emphasis, math) is drawn as styles, never as markup.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static

from quizapp.deck.plaintext import inline_runs
from quizapp.safetext import visible
from quizapp.study.questions import LETTERS
from quizapp.tui.keys import action_key

__all__ = ["ChoiceList", "inline_text"]


class _Option(Horizontal):
    def __init__(self, index: int) -> None:
        super().__init__(classes="choice-option")
        self.index = index

    def compose(self) -> ComposeResult:
        yield Static("", classes="choice-mark")
        yield Static("", classes="choice-text")

    def show(self, mark: Text, text: Text) -> None:
        self.query_one(".choice-mark", Static).update(mark)
        self.query_one(".choice-text", Static).update(text)

    def on_click(self) -> None:
        self.post_message(ChoiceList.Toggled(self.index))


class ChoiceList(Vertical):
    """Options shown as `[ ] 1  a) text`; the screen toggles them with number keys or clicks."""

    # Layout of the option's parts, wherever the list is used; colours come from the theme.
    DEFAULT_CSS = """
    ChoiceList .choice-option { height: auto; }
    ChoiceList .choice-mark { width: auto; }
    ChoiceList .choice-text { width: 1fr; height: auto; }
    ChoiceList > .choice-list--code { color: $text-accent; text-style: bold; }
    """
    COMPONENT_CLASSES = {"choice-list--code"}

    class Toggled(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.options: tuple = ()
        self.chosen: set[int] = set()
        self.result: frozenset[int] | None = None  # the correct options, once checked
        self.multiple = False

    def set_options(self, options: tuple, multiple: bool) -> None:
        self.options, self.chosen, self.result, self.multiple = options, set(), None, multiple
        self.remove_children()
        instruction = "Choose all that apply" if multiple else "Choose one"
        submit = action_key(self.screen, "submit")  # the question screen's key, which the user may have remapped
        self.mount(Static(Text(f"{instruction}: press a number (or click), then {submit}", style="dim")))
        self.mount_all(_Option(index) for index in range(len(options)))
        self.call_after_refresh(self._redraw)

    def toggle(self, index: int) -> None:
        if self.result is not None or not 0 <= index < len(self.options):
            return
        if self.multiple:
            self.chosen ^= {index}
        else:
            self.chosen = set() if index in self.chosen else {index}
        self._redraw()

    def mark(self, correct: frozenset[int]) -> None:
        self.result = correct
        self._redraw()

    def _redraw(self) -> None:
        code = self.get_component_rich_style("choice-list--code", partial=True)
        for widget in self.query(_Option):
            index = widget.index
            style = ""
            verdict = ""
            if self.result is not None:
                if index in self.result:
                    style, verdict = "b green", "  ✓"
                elif index in self.chosen:
                    style, verdict = "b red", "  ✗"
                else:
                    style = "dim"
            box = "[x]" if index in self.chosen else "[ ]"
            mark = Text(f"{box} {index + 1}  {LETTERS[index]}) ", style=style)
            text = inline_text(self.options[index].text, style, code)
            text.append(verdict)
            widget.show(mark, text)


_MARK_STYLES = {"em": Style(italic=True), "strong": Style(bold=True), "s": Style(strike=True)}


def inline_text(markdown: str, base: str, code: Style) -> Text:
    """An option's inline Markdown as a Text: each run appended with its style, the data never parsed as markup."""
    text = Text(style=base)
    for run, marks in inline_runs(markdown):
        style = Style.combine([Style(), *(code if mark == "code" else _MARK_STYLES[mark] for mark in sorted(marks))])
        text.append(visible(run), style=style)
    return text
