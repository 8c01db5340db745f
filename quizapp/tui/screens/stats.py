"""Stats: heatmap, reviews per day, the 30-day forecast, true retention, card states, topic accuracy."""

from __future__ import annotations

from datetime import timedelta

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from quizapp.plural import counted
from quizapp.study.stats import compute_stats
from quizapp.tui.cut import CutLine
from quizapp.tui.services import Services
from quizapp.tui.widgets.bar_chart import BarChart
from quizapp.tui.widgets.figure_lines import FigureLines
from quizapp.tui.widgets.heatmap import Heatmap
from quizapp.tui.widgets.title_bar import TitleBar

__all__ = ["StatsScreen"]


class StatsScreen(Screen):
    CSS_PATH = "stats.tcss"
    BINDINGS = [Binding("escape", "dismiss", "Home", id="stats.home")]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="stats"):
            yield FigureLines(id="stats-summary")  # "streak 0 days" and the like never broken in two
            yield Static("[b]Answers (review, quiz, cram, interview), last 26 weeks[/]", classes="stats-title")
            yield Heatmap(id="heatmap")
            yield Static("[b]Answers per day (review, quiz, cram, interview), last 30 days[/]", classes="stats-title")
            yield BarChart(id="per-day")
            yield Static("[b]Cards due, next 30 days[/]", classes="stats-title")
            yield BarChart(id="forecast")
            yield Static("[b]Accuracy by topic (every answer: review, quiz, cram, interview)[/]", classes="stats-title")
            yield DataTable(id="accuracy", cursor_type="none", show_cursor=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Stats"
        services = self.services
        stats = compute_stats(services.deck, services.store, services.settings, services.clock)
        retention = stats.true_retention
        young, mature = stats.retention["young"], stats.retention["mature"]
        retained = ([f"(30 days) {_pct(retention)}", f"young {_ratio(*young)}", f"mature {_ratio(*mature)}"]
                    if young[1] or mature[1] else ["(30 days) no data yet (no review of a learned card)"])
        cards = [f"{name} {count}" for name, count in stats.cards_by_state.items()]
        if stats.orphaned:
            cards.append(Content.styled(f"{len(stats.orphaned)} orphaned", "yellow"))
        if stats.leeches:
            leeches = counted(len(stats.leeches), "leech", "leeches")
            cards.append(Content.assemble((leeches, "red"), " (browse: is:leech)"))
        self.query_one(FigureLines).show([  # each line: its label in bold, then its groups
            _labelled("Today", [f"{counted(stats.reviews_today, 'review')} (scheduled)",
                                f"{counted(stats.answers_today, 'answer')} in all (review, quiz, cram, interview)",
                                f"{stats.due_now} due", f"{stats.new_available} new",
                                f"streak {counted(stats.streak, 'day')}"]),
            _labelled("Cards", cards),
            _labelled("True retention", retained),
            _labelled("Due in the next 30 days", [str(sum(stats.forecast))]),
        ])
        heatmap = self.query_one(Heatmap)
        heatmap.show(stats.reviews_per_day, stats.today)
        heatmap.focus()  # the arrow keys pick a day at once; PageUp/PageDown still scroll the page
        days = [stats.today - timedelta(days=29 - i) for i in range(30)]
        self.query_one("#per-day", BarChart).show([stats.reviews_per_day.get(d.isoformat(), 0) for d in days],
                                                  [d.strftime("%d") for d in days], width=1)
        ahead = [stats.today + timedelta(days=i) for i in range(len(stats.forecast))]
        self.query_one("#forecast", BarChart).show(stats.forecast, [d.strftime("%d") for d in ahead],
                                                   colour="magenta", width=1)
        self._accuracy = []
        for topic in services.deck.topics:
            passed, total = stats.topic_accuracy.get(topic.slug, (0, 0))
            self._accuracy.append((CutLine(topic.title), str(total), str(passed), _ratio(passed, total)))
        self._show_accuracy()

    def on_resize(self) -> None:
        if hasattr(self, "_accuracy"):
            self._show_accuracy()

    def _show_accuracy(self) -> None:
        """The table of topics, its Topic column as wide as the rest leaves: a long title once pushed the
        Accuracy column off the screen."""
        table = self.query_one("#accuracy", DataTable)
        table.clear(columns=True)
        headers = ("Answers", "Right", "Accuracy")
        widths = [max(len(header), *(len(row[i + 1]) for row in self._accuracy)) for i, header in enumerate(headers)]
        room = self.query_one("#stats").scrollable_content_region.width or self.app.size.width - 6
        # Each column has a cell of padding on either side; 2 more for the page's scrollbar.
        topic = max(12, room - sum(widths) - 2 * (len(headers) + 1) - 2)
        topic = min(topic, max((cell_len(str(row[0])) for row in self._accuracy), default=5))
        table.add_column("Topic", width=topic)
        for header, width in zip(headers, widths):
            table.add_column(header, width=width)
        for row in self._accuracy:  # a long title is cut to the column where it is drawn
            table.add_row(*row)


def _labelled(label: str, groups: list[Content | str]) -> list[Content | str]:
    """A line's groups, its label in bold before the first (never left alone at the end of a line)."""
    first, *rest = groups or [""]
    return [Content.assemble((label, "bold"), " ", first), *rest]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def _ratio(passed: int, total: int) -> str:
    return f"{100 * passed / total:.0f}% of {total}" if total else "no data"
