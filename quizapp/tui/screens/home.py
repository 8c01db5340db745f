"""Home: today at a glance and a table of topics; every other screen starts here."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from quizapp.plural import counted
from quizapp.study.clock import StudyDay
from quizapp.study.interview_day import days_left
from quizapp.study.stats import Stats, compute_stats
from quizapp.safetext import one_line, visible
from quizapp.tui.cut import cut
from quizapp.tui.keys import bold_keys, key_names
from quizapp.tui.services import Services
from quizapp.tui.widgets.fitting_footer import FittingFooter
from quizapp.tui.widgets.glance import Glance
from quizapp.tui.widgets.title_bar import TitleBar
from quizapp.tui.widgets.topic_table import TopicRow, TopicTable

__all__ = ["HomeScreen"]


class HomeScreen(Screen):
    BINDINGS = [
        Binding("r", "app.review", "Review", id="home.review"),
        Binding("q", "app.quiz", "Quiz", id="home.quiz"),
        Binding("b", "app.browse", "Browse", id="home.browse"),
        Binding("s", "app.stats", "Stats", id="home.stats"),
        Binding("g", "app.glossary", "Glossary", id="home.glossary"),
        Binding("i", "app.interview", "Interview", id="home.interview"),
        Binding("e", "app.errors", "Problems", id="home.errors", show=False),
        Binding("question_mark", "app.help", "Help", id="home.help"),
        Binding("up,k", "topic_move(-1)", "Previous topic", show=False, id="home.topic-up"),
        Binding("down,j", "topic_move(1)", "Next topic", show=False, id="home.topic-down"),
        Binding("pageup", "topic_page(-1)", "Page of topics up", show=False, id="home.topic-page-up"),
        Binding("pagedown", "topic_page(1)", "Page of topics down", show=False, id="home.topic-page-down"),
        Binding("home", "topic_jump(0)", "First topic", show=False, id="home.topic-first"),
        Binding("end", "topic_jump(-1)", "Last topic", show=False, id="home.topic-last"),
        Binding("enter", "topic_open", "Review topic", show=False, id="home.topic-review"),  # the hint says so
    ]

    TITLE = "quizapp"
    SUB_TITLE = "ML & deep-learning interview drills"

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self._shown_once = False

    def compose(self) -> ComposeResult:
        # Composed with today's numbers already in, so the first frame is drawn once, not drawn and redrawn.
        stats = self._stats()
        yield TitleBar()
        yield Glance(_glance(stats), id="glance")
        line = self._countdown()
        countdown = Static(line, id="interview-countdown", markup=False)
        countdown.display = bool(line)
        yield countdown
        problems = Static(self._problems(), id="content-problems")
        problems.display = bool(self.services.deck.errors)
        yield problems
        table = TopicTable(id="topics")
        table.show(self._topic_rows(stats))
        yield table
        yield TopicSummary(id="topic-summary")
        hint = Text(f"{key_names(self, 'home.topic-review')} on a topic reviews just that topic.", style="dim")
        yield Static(hint, id="topics-hint")
        # On a narrow terminal the glossary's key gives way first, then stats' and the interview's: ? and quit stay.
        yield FittingFooter(drop=("app.glossary", "app.stats", "app.interview"))

    def on_mount(self) -> None:
        self.watch(self.query_one(TopicTable), "cursor", self._show_summary)

    def _show_summary(self) -> None:
        """The selected topic's title and summary (content text: a Text, never markup)."""
        row = self.query_one(TopicTable).highlighted
        if row is None:
            self.query_one(TopicSummary).show(Text())
            return
        topic = self.services.deck.topic(row.slug)
        self.query_one(TopicSummary).show(
            Text.assemble((one_line(topic.title), "bold"), " — ", visible(topic.summary) if topic.summary else ("no summary", "dim")))

    def on_screen_resume(self) -> None:
        if self._shown_once:
            self.refresh_data()  # back from a review, a quiz or a reload: the numbers have changed
        self._shown_once = True

    def refresh_data(self) -> None:
        stats = self._stats()
        self.query_one(Glance).show(_glance(stats))
        table = self.query_one(TopicTable)
        table.show(self._topic_rows(stats))
        self._show_summary()
        line = self._countdown()
        countdown = self.query_one("#interview-countdown", Static)
        countdown.update(line)
        countdown.display = bool(line)
        problems = self.query_one("#content-problems", Static)
        problems.update(self._problems())
        problems.display = bool(self.services.deck.errors)

    def _stats(self) -> Stats:
        services = self.services
        return compute_stats(services.deck, services.store, services.settings, services.clock)

    def _countdown(self) -> str:
        """"19 days to your interview" while an interview date is ahead (see `quizapp plan`)."""
        services = self.services
        today = StudyDay.containing(services.clock.now(), services.clock.tz, services.settings.day_starts_at).day
        left = days_left(services.settings, today)
        if left is None:
            return ""
        return "Your interview is today: good luck." if left == 0 else (
            f"{counted(left, 'day')} to your interview")

    def _problems(self) -> str:
        errors = len(self.services.deck.errors)
        return (f"[b yellow]⚠ {counted(errors, 'problem')} in content files[/] "
                f"(cards with problems are left out) — press {bold_keys(self, 'home.errors')} to see them")

    def _topic_rows(self, stats: Stats) -> list[TopicRow]:
        rows = []
        for topic in self.services.deck.topics:
            passed, total = stats.topic_accuracy.get(topic.slug, (0, 0))
            rows.append(TopicRow(
                slug=topic.slug,
                title=topic.title,
                cards=len(topic.item_keys),  # each cloze deletion is a card, as in Anki
                due=stats.topic_due.get(topic.slug, 0),
                new=stats.topic_new.get(topic.slug, 0),  # what the topic's review shows (its limits)
                accuracy=f"{100 * passed / total:.0f}%" if total else "—",
            ))
        return rows

    # The topic table never takes focus (see its module), so its keys are the screen's.
    def action_topic_move(self, step: int) -> None:
        self.query_one(TopicTable).move(step)

    def action_topic_page(self, pages: int) -> None:
        self.query_one(TopicTable).move_page(pages)

    def action_topic_jump(self, index: int) -> None:
        self.query_one(TopicTable).jump(index)

    def action_topic_open(self) -> None:
        self.query_one(TopicTable).open()  # TopicTable.Opened reaches the app, which opens the review


class TopicSummary(Static):
    """A topic's summary in at most two lines (three on a tall terminal), cut with "…" at the current width."""

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.text = Text()

    def show(self, text: Text) -> None:
        self.text = text
        self.refresh(layout=True)

    @property
    def _lines(self) -> int:
        return 3 if self.app.size.height >= 30 else 2

    def render(self) -> Text:
        return _clamp(self.text, max(1, self.content_size.width), self._lines, self.app.console)

    def get_content_height(self, container, viewport, width: int) -> int:
        return min(self._lines, len(self.text.wrap(self.app.console, max(1, width)))) if self.text else 0


def _clamp(text: Text, width: int, lines: int, console) -> Text:
    """At most `lines` lines of `text` wrapped to `width`, the last ending in "…" when some is left out."""
    wrapped = text.wrap(console, width)
    if len(wrapped) <= lines:
        return text
    kept = list(wrapped)[:lines]
    kept[-1] = cut(kept[-1], width, more=True)
    return Text("\n").join(kept)


def _glance(stats: Stats) -> list[tuple[str, str]]:
    return [
        (str(stats.due_now), "Due now"),
        (str(stats.new_available), "New today"),
        (str(stats.reviews_today), "Reviews today"),
        (f"{counted(stats.streak, 'day')}", "Streak"),
    ]
