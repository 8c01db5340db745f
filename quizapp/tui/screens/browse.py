"""Browse: search every card with the search language (quizapp.study.query); see it rendered with its schedule
and history. Dismissed with the keys of the cards found when the user studies them ("s"), else with None."""

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
from quizapp.errors import UserError
from quizapp.study.query import select_now
from quizapp.tui.services import Services
from quizapp.tui.widgets.markdown_card import MarkdownCard
from quizapp.tui.widgets.title_bar import TitleBar

__all__ = ["BrowseScreen"]


class BrowseScreen(Screen[list[str] | None]):
    CSS_PATH = "browse.tcss"
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="browse.search"),
        Binding("s", "study", "Study these", id="browse.study"),
        Binding("escape", "dismiss", "Home", id="browse.home"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.shown: list[DeckCard] = []
        self.found: list[str] = []  # the study items' keys the search found (a cloze card's deletions apart)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Input(placeholder="Search: words, \"a phrase\", topic:auc tag:bn type:cloze is:due failed:7 "
                    "prop:r<0.8, -not, OR, (...)", id="search")
        yield Static("", id="search-problem")  # shown while the search cannot be read
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

    def action_study(self) -> None:
        """Review exactly the cards found, as real reviews (the app opens the review)."""
        if not self.found:
            self.notify("No card to study: change the search.", severity="warning")
            return
        self.dismiss(list(self.found))

    def _filter(self, query: str) -> None:
        services = self.services
        shown = self.query_one("#search-problem", Static)
        try:
            items = select_now(query, services.deck, services.store, services.settings, services.clock)
        except UserError as problem:  # while the query is being typed: the list stays, the problem shows
            column = getattr(problem, "column", None)
            self.sub_title = f"the search cannot be read at column {column}" if column else "the search cannot be read"
            shown.update(text(str(problem)))
            shown.display = True
            return
        shown.display = False
        self.found = [item.key for item in items]
        cards = {item.card.key: item.card for item in items}  # a cloze card once, in deck order
        table = self.query_one(DataTable)
        table.clear()
        self.shown = list(cards.values())
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
