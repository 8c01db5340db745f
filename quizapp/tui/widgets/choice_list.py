"""Choice options, toggled with their number keys or a click, marked after the answer is checked.

Each option is a `MarkedRow`: its box and number, then its text in a column of its own, so a wrapped option
hangs under its own text; the text's inline Markdown (code, emphasis, math) is drawn as styles, never as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from quizapp.study.questions import LETTERS
from quizapp.tui.keys import action_id, action_key, first_key, key_range
from quizapp.tui.widgets.marked_row import MarkedRow, inline_text

__all__ = ["ChoiceList"]


class ChoiceList(Vertical):
    """Options shown as `[ ] 1  a) text`; the screen toggles them with its number keys or clicks."""

    DEFAULT_CSS = """
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
        self.keys: list[str] = []  # the key that toggles each option

    def set_options(self, options: tuple, multiple: bool) -> None:
        self.options, self.chosen, self.result, self.multiple = options, set(), None, multiple
        self.remove_children()
        instruction = "Choose all that apply" if multiple else "Choose one"
        # the question screen's keys, which the user may have remapped
        submit = action_key(self.screen, "submit")
        ids = [action_id(self.screen, f"number({n})") for n in range(1, len(options) + 1)]  # 1-9 and 0: ten at most
        self.keys = [first_key(self.screen, binding_id) for binding_id in ids]  # each option's, in its row
        keys = key_range(self.screen, ids)
        self.mount(Static(Text(f"{instruction}: press {keys} (or click), then {submit}", style="dim"),
                          classes="choice-instruction"))
        self.mount_all(MarkedRow(index, "choice-option", parts="choice") for index in range(len(options)))
        self.call_after_refresh(self._redraw)

    def toggle(self, index: int) -> None:
        if self.result is not None or not 0 <= index < len(self.options):
            return
        if self.multiple:
            self.chosen ^= {index}
        else:
            self.chosen = set() if index in self.chosen else {index}
        self._redraw()

    def on_marked_row_clicked(self, event: MarkedRow.Clicked) -> None:
        event.stop()
        self.post_message(self.Toggled(event.index))

    def mark(self, correct: frozenset[int]) -> None:
        self.result = correct
        # Once checked, the number keys rate the card: the instruction to choose with them would mislead, and its
        # line is one more that pushes the question out of view.
        for instruction in self.query(".choice-instruction"):
            instruction.display = False
        self._redraw()

    def _redraw(self) -> None:
        code = self.get_component_rich_style("choice-list--code", partial=True)
        for widget in self.query(MarkedRow):
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
            mark = Text(f"{box} {self.keys[index]}  {LETTERS[index]}) ", style=style)
            text = inline_text(self.options[index].text, style, code)
            text.append(verdict)
            widget.show(mark, text)

