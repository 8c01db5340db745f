"""Browse: search every card by text, topic, type and tag; see it rendered with its schedule and history."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from quizapp.deck.model import DeckCard
from quizapp.formatting import card_details_markdown
from quizapp.safetext import one_line, text, visible
from quizapp.study.search import matches
from quizapp.tui.services import Services
from quizapp.tui.widgets.markdown_card import MarkdownCard
from quizapp.tui.widgets.title_bar import TitleBar

__all__ = ["BrowseScreen"]


class BrowseScreen(Screen):
    CSS_PATH = "browse.tcss"
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="browse.search"),
        Binding("escape", "dismiss", "Home", id="browse.home"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.shown: list[DeckCard] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Input(placeholder="Search text; filter with topic:auc type:choice tag:metrics", id="search")
        with Horizontal(id="browse"):
            yield DataTable(id="cards", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail"):
                yield Static("", id="topic-summary")
                yield MarkdownCard("Select a card to see it.", id="card-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Browse"
        table = self.query_one(DataTable)
        table.add_columns("Card", "Type")
        self._filter("")
        table.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def _filter(self, query: str) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.shown = [card for card in self.services.deck.cards() if matches(card, query)]
        for card in self.shown:
            table.add_row(text(card.key, single_line=True), text(card.type), key=card.key)
        self.sub_title = f"{len(self.shown)} of {self.services.deck.card_count} cards"
        if self.shown:
            self._show(self.shown[0])
        else:
            self.query_one("#topic-summary", Static).update("")
            self.query_one("#card-detail", MarkdownCard).show("No card matches.")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value is not None:
            self._show(self.services.deck.card(str(event.row_key.value)))

    def _show(self, card: DeckCard) -> None:
        services = self.services
        markdown = card_details_markdown(card, services.store, services.settings, services.clock)
        topic = services.deck.topic(card.topic)
        self.query_one("#topic-summary", Static).update(  # content text: a Text, never markup
            Text.assemble((one_line(topic.title), "bold"), " — ", visible(topic.summary) if topic.summary else ("no summary", "dim")))
        self.query_one("#card-detail", MarkdownCard).show(markdown)
