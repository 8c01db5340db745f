"""Choice options, toggled with their number keys (or a click), marked after the answer is checked."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Static

from quizapp.deck.mathtext import render_math
from quizapp.study.questions import LETTERS

__all__ = ["ChoiceList"]


class ChoiceList(Static):
    """Renders options `1  a) text`; the screen toggles them with number keys."""

    class Toggled(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.options: tuple = ()
        self.chosen: set[int] = set()
        self.result: frozenset[int] | None = None  # the correct options, once checked

    def set_options(self, options: tuple, multiple: bool) -> None:
        self.options, self.chosen, self.result = options, set(), None
        self.multiple = multiple
        self._redraw()

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

    def on_click(self, event) -> None:
        line = event.y - 1  # first line is the instruction
        if 0 <= line < len(self.options):
            self.post_message(self.Toggled(line))

    def _redraw(self) -> None:
        instruction = "Choose all that apply" if self.multiple else "Choose one"
        lines = [f"[dim]{instruction}: press a number, then Enter[/]"]
        for index, option in enumerate(self.options):
            box = "[x]" if index in self.chosen else "[ ]"
            text = render_math(option.text).replace("[", "\\[")
            line = f"{box.replace('[', chr(92) + '[')} {index + 1}  {LETTERS[index]}) {text}"
            if self.result is not None:
                if index in self.result:
                    line = f"[b green]{line}  ✓[/]"
                elif index in self.chosen:
                    line = f"[b red]{line}  ✗[/]"
                else:
                    line = f"[dim]{line}[/]"
            lines.append(line)
        self.update("\n".join(lines))
