"""Problems found in content files, with file:line, so the user can fix them; the app runs meanwhile."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from quizapp.safetext import text
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
            summary.update(f"[b]{len(errors)}[/] problem(s). Cards with problems are left out until fixed; "
                           "edit the file, then use [b]Reload content[/] from the command palette (ctrl+p).")
        table = self.query_one(DataTable)
        table.add_columns("Where", "Problem")
        for error in errors:
            message = f"{error.where}: {error.message}" if error.where else error.message
            table.add_row(text(error.location), text(message))  # data: never markup (a key may be "[/x]")
