"""An open question's key points as a checklist: the user ticks the points their answer made.

Every point starts unticked. Points whose keywords are in the typed answer say "keyword found": a hint, never
ticked for the user (keywords cannot see a negation: "AUC is not accuracy" has the words of "AUC is
accuracy"). Space or Enter ticks the highlighted point, up and down move, a click ticks the point clicked.
Each change is posted (`KeyPointList.Changed`), so the screen can show the rating that follows.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from quizapp.deck.schema import KeyPoint
from quizapp.tui.keys import first_key
from quizapp.tui.widgets.marked_row import MarkedRow, inline_text

__all__ = ["KEYWORD_FOUND", "KeyPointList"]

KEYWORD_FOUND = "· keyword found"  # beside a point whose keywords the typed answer has


class KeyPointList(Vertical, can_focus=True):
    """`set_points(points, ticked, suggested)`; `ticked` is what the user says they made, `suggested` the points
    whose keywords the typed answer has (marked, not ticked)."""

    DEFAULT_CSS = """
    KeyPointList { height: auto; }
    KeyPointList > .key-point-list--code { color: $text-accent; text-style: bold; }
    KeyPointList > .key-point-list--cursor { background: $boost; text-style: bold; }
    """
    COMPONENT_CLASSES = {"key-point-list--code", "key-point-list--cursor"}
    BINDINGS = [
        Binding("space,enter", "toggle", "Tick point", id="key-points.toggle"),
        Binding("down,j", "move(1)", "Next point", id="key-points.down", show=False),
        Binding("up,k", "move(-1)", "Previous point", id="key-points.up", show=False),
    ]

    class Changed(Message):
        def __init__(self, ticked: frozenset[int]) -> None:
            super().__init__()
            self.ticked = ticked

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.points: tuple[KeyPoint, ...] = ()
        self.ticked: frozenset[int] = frozenset()
        self.suggested: frozenset[int] = frozenset()
        self.cursor = 0

    def set_points(self, points: tuple[KeyPoint, ...], ticked: frozenset[int], suggested: frozenset[int]) -> None:
        self.points, self.ticked, self.suggested, self.cursor = points, ticked, suggested, 0
        self.remove_children()
        note = "; “keyword found” is only a hint" if suggested else ""  # one line at 80 columns
        key = first_key(self, "key-points.toggle")  # the first only: the hint fits one line at 80 columns
        self.mount(Static(Text(f"Tick the points you made ({key}, click){note}", style="dim")))
        self.mount_all(MarkedRow(index, "key-point", parts="key-point") for index in range(len(points)))
        self.call_after_refresh(self._redraw)

    def toggle(self, index: int) -> None:
        if not 0 <= index < len(self.points):
            return
        self.ticked = self.ticked ^ {index}
        self.cursor = index
        self._redraw()
        self.post_message(self.Changed(self.ticked))

    def action_toggle(self) -> None:
        self.toggle(self.cursor)

    def action_move(self, step: int) -> None:
        if self.points:
            self.cursor = max(0, min(len(self.points) - 1, self.cursor + step))
            self._redraw()
            self.query(MarkedRow)[self.cursor].scroll_visible(animate=False)

    def on_marked_row_clicked(self, event: MarkedRow.Clicked) -> None:
        event.stop()
        self.focus()
        self.toggle(event.index)

    def on_focus(self) -> None:
        self._redraw()

    def on_blur(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        code = self.get_component_rich_style("key-point-list--code", partial=True)
        cursor = self.get_component_rich_style("key-point-list--cursor", partial=True)
        for widget in self.query(MarkedRow):
            index = widget.index
            here = index == self.cursor and self.has_focus
            style = "b green" if index in self.ticked else ""
            box = "[x]" if index in self.ticked else "[ ]"
            mark = Text(f"{'›' if here else ' '} {box} {index + 1}  ", style=style)
            if here:
                mark.stylize(cursor)
            text = inline_text(self.points[index].text, style, code)
            if index in self.suggested:
                text.append(f"  {KEYWORD_FOUND}", style="dim italic")
            widget.show(mark, text)
