"""Home: today at a glance and a table of topics; every other screen starts here."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from quizapp.study.stats import Stats, compute_stats
from quizapp.tui.services import Services

__all__ = ["HomeScreen"]


class HomeScreen(Screen):
    BINDINGS = [
        Binding("r", "app.review", "Review", id="home.review"),
        Binding("q", "app.quiz", "Quiz", id="home.quiz"),
        Binding("b", "app.browse", "Browse", id="home.browse"),
        Binding("s", "app.stats", "Stats", id="home.stats"),
        Binding("e", "app.errors", "Problems", id="home.errors", show=False),
        Binding("question_mark", "app.help", "Help", id="home.help"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="glance"):
            for name in ("due", "new", "reviewed", "streak"):
                yield Static("", id=f"glance-{name}", classes="glance")
        yield Static("", id="content-problems")
        yield DataTable(id="topics", cursor_type="row", zebra_stripes=True)
        yield Static("[dim]Enter on a topic reviews just that topic.[/]", id="topics-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "quizapp"
        self.sub_title = "ML & deep-learning interview drills"
        table = self.query_one(DataTable)
        table.add_column("Topic", key="topic")
        for label in ("Cards", "Due", "New", "Accuracy"):
            table.add_column(label, key=label.lower())
        # The data comes in on_screen_resume, which also runs when the screen is first shown.

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        services = self.services
        stats = compute_stats(services.deck, services.store, services.settings, services.clock)
        self._show_glance(stats)
        self._show_topics(stats)
        problems = self.query_one("#content-problems", Static)
        errors = len(services.deck.errors)
        problems.display = bool(errors)
        problems.update(f"[b yellow]⚠ {errors} problem{'s' * (errors != 1)} in content files[/] "
                        "(cards with problems are left out) — press [b]e[/] to see them")

    def _show_glance(self, stats: Stats) -> None:
        glance = {
            "due": ("Due now", stats.due_now),
            "new": ("New today", stats.new_available),
            "reviewed": ("Reviewed today", stats.reviews_today),
            "streak": ("Streak", f"{stats.streak} day{'s' * (stats.streak != 1)}"),
        }
        for name, (label, value) in glance.items():
            self.query_one(f"#glance-{name}", Static).update(f"[b]{value}[/]\n[dim]{label}[/]")

    def _show_topics(self, stats: Stats) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for topic in self.services.deck.topics:
            passed, total = stats.topic_accuracy.get(topic.slug, (0, 0))
            accuracy = f"{100 * passed / total:.0f}%" if total else "—"
            cards = len(self.services.deck.items([topic.slug]))  # each cloze deletion is a card, as in Anki
            table.add_row(topic.title, str(cards), str(stats.topic_due.get(topic.slug, 0)),
                          str(stats.topic_unseen.get(topic.slug, 0)), accuracy, key=topic.slug)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.action_review(topics=[str(event.row_key.value)])
