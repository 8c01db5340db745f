"""Problems found in content files, with file:line, so the user can fix them; the app runs meanwhile."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from quizapp.plural import counted
from quizapp.safetext import visible
from quizapp.tui.services import Services
from quizapp.tui.widgets.title_bar import TitleBar

__all__ = ["ContentErrorsScreen"]


class ContentErrorsScreen(Screen):
    CSS_PATH = "content_errors.tcss"
    BINDINGS = [Binding("escape", "dismiss", "Home", id="errors.home")]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="errors-summary")
        yield DataTable(id="errors", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Content problems"
        errors = self.services.deck.errors
        summary = self.query_one("#errors-summary", Static)
        if not errors:
            summary.update("No problems: every content file is valid.")
        else:
            summary.update(f"[b]{counted(len(errors), 'problem')}[/]. Cards with problems are left out until fixed; "
                           "edit the file, then use [b]Reload content[/] from the command palette (ctrl+p).")
        self._fill()

    def on_resize(self) -> None:
        self._fill()

    def _fill(self) -> None:
        """The rows again at this width: the problem column takes what is left and its text wraps."""
        table = self.query_one(DataTable)
        if not table.size.width:
            return
        errors = self.services.deck.errors
        where = max((cell_len(error.location) for error in errors), default=5)
        where = min(max(where, len("Where")), table.size.width // 2)
        problem = max(20, table.size.width - where - 5)  # cell padding and a scrollbar
        row = table.cursor_row
        table.clear(columns=True)
        table.add_column("Where", width=where)
        table.add_column("Problem", width=problem)
        for error in errors:
            message = f"{error.where}: {error.message}" if error.where else error.message
            table.add_row(Text(visible(error.location), overflow="fold"), Text(visible(message)), height=None)
        if errors:
            table.move_cursor(row=min(row, len(errors) - 1))
