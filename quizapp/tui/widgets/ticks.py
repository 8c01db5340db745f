"""Every checkbox of the app: a tick when on, blank when off.

Textual's Checkbox and SelectionList draw an "X" both ways and tell on from off by its colour only, which a
colour-blind user, a monochrome terminal or a screen reader's text view cannot see. `TickBox` (a Checkbox)
and `TickList` (a SelectionList) draw `TICK` when on and `OFF` when off, their colours kept.
"""

from __future__ import annotations

from typing import TypeVar

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList

__all__ = ["OFF", "TICK", "TickBox", "TickList"]

TICK = "✓"  # one cell, as Textual's "X" is: the lists' gutter keeps its width
OFF = " "

ValueT = TypeVar("ValueT")


class TickBox(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 -- the name Textual's ToggleButton draws the button's inside by
        return TICK if self.value else OFF


class TickList(SelectionList[ValueT]):
    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        index = self.scroll_offset.y + y
        # A line of an option starts with the button's left side, its inside ("X") and its right side.
        if index >= self.option_count or len(segments) < 2 or segments[1].text != Checkbox.BUTTON_INNER:
            return line
        on = self.get_option_at_index(index).value in self.selected
        segments[1] = Segment(TICK if on else OFF, segments[1].style, segments[1].control)
        return Strip(segments, line.cell_length)
