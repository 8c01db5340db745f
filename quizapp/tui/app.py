"""The quizapp Textual app: screens and commands over injected services; no study logic lives here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from quizapp.safetext import one_line
from quizapp.tui.services import Services
from quizapp.tui.widgets.topic_table import TopicTable

if TYPE_CHECKING:
    from quizapp.study.quiz import QuizSession

__all__ = ["QuizApp"]


class QuizApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "quizapp"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("f1", "help", "Help", id="app.help", show=False),
    ]

    def __init__(self, services: Services, *, start: str = "home", topics: list[str] | None = None) -> None:
        super().__init__()
        self.services = services
        self.start = start
        self.start_topics = topics or []
        theme = services.settings.theme
        if theme != self.theme and theme in self.available_themes:
            self.theme = theme  # only when it differs: setting a theme restyles every widget

    def on_mount(self) -> None:
        from quizapp.tui.screens.home import HomeScreen

        theme = self.services.settings.theme
        if theme not in self.available_themes:
            self.notify(f"Unknown theme {theme!r} in your settings; using {self.theme}. Pick one with ctrl+p, Theme.",
                        severity="warning")
        self.theme_changed_signal.subscribe(self, self._save_theme)
        self.push_screen(HomeScreen(self.services))
        if self.start == "review":
            self.action_review(self.start_topics)
        elif self.start == "quiz":
            self.action_quiz(self.start_topics)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A toast of one line (the title leads the message), never markup nor a control character (messages
        quote data: a key, a typed answer, a file name), and shown once: while it is on screen the same
        message is not stacked again (app.tcss places toasts clear of the card)."""
        line = one_line(f"{title}: {message}" if title else message)
        line = " ".join(line.split())
        # Textual offers no public view of the live toasts.
        if any(shown.message == line and shown.severity == severity and not shown.has_expired
               for shown in self._notifications):
            return
        super().notify(line, severity=severity, timeout=timeout, markup=markup)

    # --- navigation: screens return results, and only the app decides what comes next --------------------

    def action_review(self, topics: list[str] | None = None, cram: bool = False) -> None:
        from quizapp.tui.screens.review import REVIEW_AHEAD, ReviewScreen

        def done(result: str | None) -> None:
            if result == REVIEW_AHEAD:
                self.action_review(topics, cram=True)

        screen = ReviewScreen(self.services, topics or [], cram=cram)
        available = screen.session.more_new_available() if screen.session.finished else 0
        if not available:
            self._open(screen, done)
            return
        from quizapp.tui.screens.more_new import MoreNewScreen

        def chosen(count: int | None) -> None:  # declined: the review says all done, and offers review ahead
            if count:
                screen.session.learn_more_new(count)
            self._open(screen, done)

        title = ", ".join(self.services.deck.topic(slug).title for slug in screen.session.topics)
        self._open(MoreNewScreen(title, available), chosen)

    def action_quiz(self, topics: list[str] | None = None) -> None:
        from quizapp.tui.screens.quiz_setup import QuizSetupScreen

        def chosen(session: QuizSession | None) -> None:
            if session is not None:
                self._quiz(session)

        self._open(QuizSetupScreen(self.services, topics or []), chosen)

    def _quiz(self, session: QuizSession) -> None:
        from quizapp.tui.screens.quiz import QuizScreen
        from quizapp.tui.screens.quiz_results import RETRY, QuizResultsScreen

        def results_closed(result: str | None) -> None:
            if result == RETRY:
                self._quiz(session.retry_misses())

        def quiz_over(finished: QuizSession | None) -> None:
            if finished is not None:
                self._open(QuizResultsScreen(finished), results_closed)

        self._open(QuizScreen(session), quiz_over)

    def action_browse(self) -> None:
        from quizapp.tui.screens.browse import BrowseScreen

        self._open(BrowseScreen(self.services))

    def action_stats(self) -> None:
        from quizapp.tui.screens.stats import StatsScreen

        self._open(StatsScreen(self.services))

    def action_errors(self) -> None:
        from quizapp.tui.screens.content_errors import ContentErrorsScreen

        self._open(ContentErrorsScreen(self.services))

    def action_help(self) -> None:
        from quizapp.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def open_drill(self, task, code: str | None, done: Callable[[Any], None]) -> None:
        """The code editor for a coding drill, over the review; `done` gets its last attempt (or None)."""
        from quizapp.tui.screens.drill import DrillScreen

        self.push_screen(DrillScreen(task, code, seed=self.services.context.seed or 0), done)

    def on_topic_table_opened(self, event: TopicTable.Opened) -> None:
        self.action_review(topics=[event.slug])

    def action_reload_content(self) -> None:
        deck = self.services.reload_deck()
        problems = len(deck.errors)
        self.notify(f"Reloaded {deck.card_count} cards from {len(deck.files)} files"
                    + (f"; {problems} problem(s), see Content problems" if problems else ""))
        self._back_home()
        self.screen.refresh_data()  # the home screen, already showing: no resume event will refresh it

    def _open(self, screen: Screen, callback: Callable[[Any], None] | None = None) -> None:
        """Open a top-level screen from home (never stack one top-level screen on another)."""
        self._back_home()
        self.push_screen(screen, callback)

    def _back_home(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()  # home refreshes itself when it resumes

    def _save_theme(self, theme) -> None:
        """A theme picked in the palette is kept for the next start, in config.toml."""
        from quizapp.errors import UserError
        from quizapp.settings_file import save_setting

        path = self.services.context.config_path
        if path is None or theme.name == self.services.settings.theme:
            return
        try:
            save_setting(path, "theme", theme.name)
        except UserError as problem:
            self.notify(str(problem), title="Theme not saved", severity="warning")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if hasattr(screen, "action_undo") and getattr(getattr(screen, "session", None), "can_undo", False):
            yield SystemCommand("Undo", "Undo the last review of this session (ctrl+z)", screen.action_undo)
        yield SystemCommand("Review", "Review the cards due today", self.action_review)
        yield SystemCommand("Quiz", "Start a scored quiz", self.action_quiz)
        yield SystemCommand("Browse", "Search and inspect every card", self.action_browse)
        yield SystemCommand("Stats", "Heatmap, forecast, retention, accuracy", self.action_stats)
        yield SystemCommand("Content problems", "Errors found in content files", self.action_errors)
        yield SystemCommand("Reload content", "Read the content files again from disk", self.action_reload_content)
        yield SystemCommand("Help", "Keys and how quizapp works", self.action_help)
        yield from super().get_system_commands(screen)
