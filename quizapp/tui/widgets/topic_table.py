"""The home screen's topic table: a fixed header, one row per topic, a cursor; enter opens the topic.

Drawn with Textual's line API (`render_line`), so a frame costs only the rows on screen: the home screen is
the first thing drawn at launch, and a DataTable doubled the time that takes. The table never takes focus
(focusing restyles the whole screen and rebuilds the footer, a third of the launch): the screen binds the
keys and calls `move`, `jump` and `open`.
"""

from __future__ import annotations

from dataclasses import dataclass


from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from quizapp.safetext import one_line
from quizapp.tui.cut import cut

__all__ = ["TopicRow", "TopicTable"]


@dataclass(frozen=True, slots=True)
class TopicRow:
    slug: str
    title: str
    cards: int
    due: int
    new: int
    accuracy: str  # "69%", or "—" before any answer


HEADINGS = ("Topic", "Cards", "Due", "New", "Accuracy")
GAP = 2


class TopicTable(ScrollView, can_focus=False):
    COMPONENT_CLASSES = {"topic-table--header", "topic-table--cursor", "topic-table--hover", "topic-table--odd"}

    cursor: reactive[int] = reactive(0, always_update=True)
    hover: reactive[int | None] = reactive(None)

    class Opened(Message):
        """Enter (or a click on the highlighted row) on a topic."""

        def __init__(self, slug: str) -> None:
            super().__init__()
            self.slug = slug

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: tuple[TopicRow, ...] = ()
        self._widths = tuple(len(heading) for heading in HEADINGS[1:])

    def show(self, rows: list[TopicRow]) -> None:
        """Replace the rows, keeping the cursor on the same topic when it is still there."""
        current = self.rows[self.cursor].slug if self.rows else None
        self.rows = tuple(rows)
        numbers = [(str(r.cards), str(r.due), str(r.new), r.accuracy) for r in rows]
        self._widths = tuple(max([len(heading)] + [len(cells[i]) for cells in numbers])
                             for i, heading in enumerate(HEADINGS[1:]))
        slugs = [row.slug for row in rows]
        self.virtual_size = Size(0, len(rows) + 1)  # + the header
        self.cursor = slugs.index(current) if current in slugs else min(self.cursor, max(0, len(rows) - 1))
        self.refresh()

    @property
    def highlighted(self) -> TopicRow | None:
        return self.rows[self.cursor] if self.rows else None

    # --- drawing ----------------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._strip(HEADINGS, width, self.get_component_rich_style("topic-table--header"))
        index = int(self.scroll_offset.y) + y - 1
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        row = self.rows[index]
        cells = (row.title, str(row.cards), str(row.due), str(row.new), row.accuracy)
        return self._strip(cells, width, self._row_style(index))

    def _row_style(self, index: int) -> Style:
        style = self.rich_style
        if index % 2:
            style += self.get_component_rich_style("topic-table--odd")
        if index == self.hover:
            style += self.get_component_rich_style("topic-table--hover")
        if index == self.cursor:
            style += self.get_component_rich_style("topic-table--cursor")
        return style

    def _strip(self, cells: tuple[str, ...], width: int, style: Style) -> Strip:
        parts = _layout(cells, self._widths, width)
        return Strip([Segment(part, style) for part in parts if part]).adjust_cell_length(width, style)

    # --- moving and opening -----------------------------------------------------------------------------

    @property
    def page(self) -> int:
        """How many rows fit under the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def watch_cursor(self) -> None:
        self._keep_cursor_in_view()
        self.refresh()

    def on_resize(self) -> None:
        self._keep_cursor_in_view()

    def _keep_cursor_in_view(self) -> None:
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + self.page:
            self.scroll_to(y=self.cursor - self.page + 1, animate=False)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.hover = None  # the row under the pointer is another one now

    def watch_hover(self) -> None:
        self.refresh()

    def move(self, step: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + step))

    def move_page(self, pages: int) -> None:
        self.move(pages * self.page)

    def jump(self, index: int) -> None:
        """To row `index`; -1 is the last."""
        if self.rows:
            self.cursor = index % len(self.rows)

    def open(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Opened(self.highlighted.slug))

    def _row_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return None
        index = int(self.scroll_offset.y) + offset.y - 1
        return index if index < len(self.rows) else None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.hover = self._row_at(event)

    def on_leave(self) -> None:
        self.hover = None

    def on_click(self, event: events.Click) -> None:
        index = self._row_at(event)
        if index is None:
            return
        if index == self.cursor:
            self.open()
        self.cursor = index


def _layout(cells: tuple[str, ...], number_widths: tuple[int, ...], width: int) -> list[str]:
    """Texts that fill `width` cells: the title takes what the number columns (right-aligned) leave, and a
    long title ends in '…'. Titles, values and the spaces between are separate texts, so each starts at its
    own column even where a renderer draws a wide (CJK) character narrower than two cells."""
    numbers = [(" " * (GAP + size - len(cell)), cell) for cell, size in zip(cells[1:], number_widths)]
    title_width = max(2, width - 2 - sum(GAP + size for size in number_widths))  # a space at each end
    title = " ".join(one_line(cells[0]).split())  # one line, and no control character sent to the terminal
    title = cut(title, title_width)
    return [" ", title, " " * (title_width - cell_len(title))] + [part for pair in numbers for part in pair]
