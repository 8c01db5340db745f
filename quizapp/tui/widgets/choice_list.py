"""Choice options, toggled with their number keys or a click, marked after the answer is checked."""

from __future__ import annotations

from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from quizapp.deck.mathtext import render_math
from quizapp.safetext import visible
from quizapp.study.questions import LETTERS

__all__ = ["ChoiceList"]


class _Option(Static):
    def __init__(self, index: int) -> None:
        super().__init__("", classes="choice-option")
        self.index = index

    def on_click(self) -> None:
        self.post_message(ChoiceList.Toggled(self.index))


class ChoiceList(Vertical):
    """Options shown as `[ ] 1  a) text`; the screen toggles them with number keys or clicks."""

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
        self.mount(Static(f"[dim]{instruction}: press a number (or click), then Enter[/]"))
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
        for widget in self.query(_Option):
            index = widget.index
            box = "[x]" if index in self.chosen else "[ ]"
            # Content.assemble reads no markup: an option's text is data, shown as written
            line = visible(f"{box} {index + 1}  {LETTERS[index]}) {render_math(self.options[index].text)}")
            if self.result is None:
                widget.update(Content(line))
            elif index in self.result:
                widget.update(Content.assemble((f"{line}  ✓", "bold green")))
            elif index in self.chosen:
                widget.update(Content.assemble((f"{line}  ✗", "bold red")))
            else:
                widget.update(Content.assemble((line, "dim")))
