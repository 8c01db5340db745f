"""Glossary: every English term with its standard Chinese term and its topics, filtered as you type.

Enter on a term reviews its topic(s): the screen returns their slugs and the app opens the review.
"""

from __future__ import annotations

from bisect import bisect_right

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from quizapp.glossary import GlossaryRow, glossary_rows, search_glossary
from quizapp.safetext import one_line, text
from quizapp.tui.cut import CutLine
from quizapp.tui.services import Services
from quizapp.tui.widgets.title_bar import TitleBar
from quizapp.tui.widgets.search_box import SearchBox

__all__ = ["GlossaryScreen"]

LABELS = ("Term", "中文", "Topic")
# The table shows at most this many of the terms found: filling it takes about 0.1 ms a term, at each key typed
# (a glossary of 30,000 terms took 7 s to open and 3 s a key); a search finds the rest.
MAX_ROWS = 1000


class GlossaryScreen(Screen[tuple[str, ...] | None]):
    CSS_PATH = "glossary.tcss"
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="glossary.search"),
        Binding("j", "list_move(1)", "Next term", id="glossary.down", show=False),  # as in home's topic table
        Binding("k", "list_move(-1)", "Previous term", id="glossary.up", show=False),
        # Escape in the search box goes back to the terms, the search kept; from there it goes home (as in browse).
        Binding("escape", "leave_search", "Back to list", id="glossary.leave-search"),
        Binding("escape", "close", "Home", id="glossary.home"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.deck = services.deck
        self.all_rows = glossary_rows(services.deck)
        self.shown: list[GlossaryRow] = []
        self._widths: list[int] = []  # the columns' widths as last filled
        # Each column's cells' widths over every term (not only those shown), so the columns keep still as you type.
        self.cell_widths = [sorted(map(cell_len, column)) for column in zip(*map(_cells, self.all_rows))] or [[]] * 3

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield SearchBox(placeholder="Search a term in English or 中文", id="glossary-search")
        yield DataTable(id="glossary-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="glossary-empty")
        yield Static("", id="glossary-detail")
        yield Static("[dim]Enter on a term reviews the topics it comes from.[/]", id="glossary-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Glossary"
        self._filter("")
        self.query_one(Input).focus()

    def on_resize(self) -> None:
        if self._column_widths() != self._widths:  # the columns share the new width
            self._filter(self.query_one(Input).value)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.shown:
            self.query_one(DataTable).focus()

    def action_focus_search(self) -> None:
        self.query_one(Input).focus()

    def action_leave_search(self) -> None:
        table = self.query_one(DataTable)
        if table.display:
            table.focus()
        else:  # no term matches: nothing to go to, but escape has left the box all the same
            self.set_focus(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_search":
            return isinstance(self.focused, Input)
        return True

    def action_list_move(self, rows: int) -> None:
        table = self.query_one(DataTable)
        table.action_cursor_down() if rows > 0 else table.action_cursor_up()

    def action_close(self) -> None:
        self.dismiss(None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The highlighted term in full with its topics' titles: the table may be cut on a narrow terminal."""
        index = event.cursor_row
        if 0 <= index < len(self.shown):
            row = self.shown[index]
            titles = "; ".join(f"{one_line(self.deck.topic(slug).title)} ({slug})" for slug in row.topics)
            self.query_one("#glossary-detail", Static).update(
                Text.assemble((one_line(row.term), "bold"), " · ", one_line(row.zh), " — ", titles))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        index = event.cursor_row
        if 0 <= index < len(self.shown):
            self.dismiss(self.shown[index].topics)

    def _column_widths(self) -> list[int]:
        table = self.query_one(DataTable)
        room = (table.size.width or self.app.size.width) - 2 * table.cell_padding * len(LABELS) - 2  # a scrollbar
        return column_widths(self.cell_widths, room)

    def _filter(self, query: str) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        self._widths = self._column_widths()
        for label, width in zip(LABELS, self._widths):
            table.add_column(label, width=width)
        found = search_glossary(self.all_rows, query)
        self.shown = found[:MAX_ROWS]
        for row in self.shown:  # data, never markup, each cut to its column with "…" where it is wider
            table.add_row(*map(CutLine, _cells(row)))
        self.sub_title = f"{len(found):,} of {len(self.all_rows):,} terms"
        if len(found) > len(self.shown):
            self.sub_title += f", the first {len(self.shown):,} listed: type to find the others"
        empty = self.query_one("#glossary-empty", Static)
        empty.display = not self.shown
        table.display = bool(self.shown)
        self.query_one("#glossary-detail", Static).update("")
        if not self.shown:
            empty.update(text(f"No term matches '{one_line(query.strip())}' in English or Chinese."
                              if self.all_rows else "The loaded topics list no glossary terms."))



def column_widths(cell_widths: list[list[int]], room: int) -> list[int]:
    """Widths of the term, 中文 and topic columns within `room` cells, given each column's cells' widths in
    ascending order. Each column starts as wide as its label, and each cell of room goes to the column that has
    the most cells still cut (of two alike, the narrower), until none is or the room is used up: the columns are
    cut alike, by how many of their cells are cut, rather than by their widest cell (the 中文 column took 30 of
    72 cells at 80 columns for a few long terms while the topics, cut to 12, lost their end on most rows)."""
    widths = [cell_len(label) for label in LABELS]
    while sum(widths) < room:
        cut = [len(cells) - bisect_right(cells, width) for cells, width in zip(cell_widths, widths)]
        if not any(cut):
            break
        widths[max(range(len(widths)), key=lambda i: (cut[i], -widths[i]))] += 1  # a tie: the narrower
    return widths


def _cells(row: GlossaryRow) -> tuple[str, str, str]:
    return one_line(row.term), one_line(row.zh), one_line(", ".join(row.topics))

