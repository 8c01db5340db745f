"""Card info: everything known about one study item (where it is written, its schedule, its marks) and its whole
history, over the review or browse screen. Escape closes it; `e` edits the card.

Dismissed with True when the card was edited (the content was reloaded), else False.
"""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from quizapp.formatting import due_when, history_rows, shown_location
from quizapp.plural import counted
from quizapp.safetext import one_line
from quizapp.study.card_info import CardInfo, card_info
from quizapp.study.clock import StudyDay, from_ms, to_ms
from quizapp.study.marking import describe_marks
from quizapp.study.scheduling import Scheduling
from quizapp.tui.card_edit import edit_card
from quizapp.tui.flags import flag_text
from quizapp.tui.services import Services
from quizapp.tui.widgets.title_bar import TitleBar

__all__ = ["CardInfoScreen", "info_summary"]

HISTORY_COLUMNS = ("When", "What", "Rating", "Time", "Typed answer", "Seed")


class CardInfoScreen(Screen[bool]):
    CSS_PATH = "card_info.tcss"
    BINDINGS = [
        Binding("escape", "close", "Back", id="card-info.close"),
        Binding("e", "edit", "Edit card", id="card-info.edit"),
    ]

    def __init__(self, services: Services, key: str) -> None:
        super().__init__()
        self.services = services
        self.key = key
        self.edited = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="info-summary")
        yield DataTable(id="info-history", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Card info"
        self.sub_title = self.key
        self.query_one(DataTable).add_columns(*HISTORY_COLUMNS)
        self._fill()

    def _fill(self) -> None:
        services = self.services
        item = services.deck.item(self.key)
        summary = self.query_one("#info-summary", Static)
        table = self.query_one(DataTable)
        table.clear()
        if item is None:
            summary.update(Text(f"{one_line(self.key)} is not in the content now (see Content problems).",
                                style="bold"))
            return
        now = services.clock.now()
        info = card_info(services.deck, services.store, Scheduling(services.settings), item, now,
                         settings=services.settings,
                         day=StudyDay.containing(now, services.clock.tz, services.settings.day_starts_at))
        summary.update(info_summary(info, now, services.clock.tz))
        for row in history_rows(info, services.clock.tz):
            table.add_row(*(Text(one_line(cell)) for cell in row))
        if not info.reviews and not info.events:
            table.add_row(Text("not reviewed yet", style="dim"), *([Text()] * (len(HISTORY_COLUMNS) - 1)))

    def action_close(self) -> None:
        self.dismiss(self.edited)

    def action_edit(self) -> None:
        if edit_card(self.app, self.services, self.key):
            self.edited = True
            self._fill()


def info_summary(info: CardInfo, now, tz) -> Table:
    """The facts of card info as two columns of label and value (data as Text, never markup)."""
    row = info.schedule
    due = "—"
    if row is not None:
        moment = from_ms(row.due_ms)
        due = f"{moment.astimezone(tz):%Y-%m-%d %H:%M} ({due_when(moment, now)})"
    marks = [word for word in describe_marks(info.marks, to_ms(now), info.set_aside_by) if not word.startswith("flag")]
    facts = [
        ("Card", Text(one_line(info.key), style="bold")), ("Topic", Text(one_line(info.topic))),
        ("File", Text(one_line(_location(info.location)))), ("Type", Text(info.type)),
        ("State", Text(info.state)), ("Due", Text(due)),
        ("Stability", Text(f"{row.stability:.2f} days" if row and row.stability is not None else "—")),
        ("Difficulty", Text(f"{row.difficulty:.2f} of 10" if row and row.difficulty is not None else "—")),
        ("Recall now", Text(f"{info.retrievability:.1%}" if info.retrievability is not None else "—")),
        ("Reviews", Text(f"{info.reps} scheduled, {counted(len(info.reviews), 'answer')} in all")),
        ("Lapses", Text(str(info.lapses))), ("Flag", flag_text(info.marks.flag) or Text("none")),
        ("Marks", Text(", ".join(marks) or "none", style="bold yellow" if marks else "")),
    ]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in facts:
        grid.add_row(label, value)
    return grid


def _location(location: str) -> str:
    """file:line, the file relative to where the app runs (or ~) when it can be."""
    path, _, line = location.rpartition(":")
    return shown_location(Path(path), int(line)) if path and line.isdigit() else location
