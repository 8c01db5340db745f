"""Glossary: every English term with its standard Chinese term and its topics, filtered as you type.

Enter on a term reviews its topic(s): the screen returns their slugs and the app opens the review.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from quizapp.glossary import GlossaryRow, glossary_rows, search_glossary
from quizapp.safetext import one_line, text
from quizapp.tui.services import Services
from quizapp.tui.widgets.title_bar import TitleBar

__all__ = ["GlossaryScreen"]


class GlossaryScreen(Screen[tuple[str, ...] | None]):
    CSS_PATH = "glossary.tcss"
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="glossary.search"),
        Binding("escape", "close", "Home", id="glossary.home"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.deck = services.deck
        self.all_rows = glossary_rows(services.deck)
        self.shown: list[GlossaryRow] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Input(placeholder="Search a term in English or 中文", id="glossary-search")
        yield DataTable(id="glossary-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="glossary-empty")
        yield Static("", id="glossary-detail")
        yield Static("[dim]Enter on a term reviews the topics it comes from.[/]", id="glossary-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Glossary"
        self.query_one(DataTable).add_columns("Term", "中文", "Topic")
        self._filter("")
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.shown:
            self.query_one(DataTable).focus()

    def action_focus_search(self) -> None:
        self.query_one(Input).focus()

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

    def _filter(self, query: str) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.shown = search_glossary(self.all_rows, query)
        for row in self.shown:  # data, never markup: Text cells (DataTable measures them in terminal cells)
            table.add_row(text(row.term, single_line=True), text(row.zh, single_line=True),
                          text(", ".join(row.topics), single_line=True))
        self.sub_title = f"{len(self.shown)} of {len(self.all_rows)} terms"
        empty = self.query_one("#glossary-empty", Static)
        empty.display = not self.shown
        table.display = bool(self.shown)
        self.query_one("#glossary-detail", Static).update("")
        if not self.shown:
            empty.update(text(f"No term matches '{one_line(query.strip())}' in English or Chinese."
                              if self.all_rows else "The loaded topics list no glossary terms."))
