"""The quizapp Textual app: screens and commands over injected services; no study logic lives here."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from quizapp.tui.services import Services

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

        self.push_screen(HomeScreen(self.services))
        if self.start == "review":
            self.action_review(self.start_topics)
        elif self.start == "quiz":
            self.action_quiz(self.start_topics)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A toast of one line (the title leads the message), never markup, and shown once: while it is
        on screen the same message is not stacked again (app.tcss places toasts clear of the card)."""
        line = " ".join((f"{title}: {message}" if title else message).split())
        # Textual offers no public view of the live toasts.
        if any(shown.message == line and shown.severity == severity and not shown.has_expired
               for shown in self._notifications):
            return
        super().notify(line, severity=severity, timeout=timeout, markup=markup)

    # --- navigation (also offered in the command palette) -----------------------------------------------

    def action_review(self, topics: list[str] | None = None) -> None:
        from quizapp.tui.screens.review import ReviewScreen

        self._open(ReviewScreen(self.services, topics or []))

    def action_quiz(self, topics: list[str] | None = None) -> None:
        from quizapp.tui.screens.quiz_setup import QuizSetupScreen

        self._open(QuizSetupScreen(self.services, topics or []))

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

    def action_reload_content(self) -> None:
        deck = self.services.reload_deck()
        problems = len(deck.errors)
        self.notify(f"Reloaded {deck.card_count} cards from {len(deck.files)} files"
                    + (f"; {problems} problem(s), see Content problems" if problems else ""))
        self._back_home()
        self.screen.refresh_data()  # the home screen, already showing: no resume event will refresh it

    def _open(self, screen: Screen) -> None:
        """Open a top-level screen from home (never stack one top-level screen on another)."""
        self._back_home()
        self.push_screen(screen)

    def _back_home(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()  # home refreshes itself when it resumes

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Review", "Review the cards due today", self.action_review)
        yield SystemCommand("Quiz", "Start a scored quiz", self.action_quiz)
        yield SystemCommand("Browse", "Search and inspect every card", self.action_browse)
        yield SystemCommand("Stats", "Heatmap, forecast, retention, accuracy", self.action_stats)
        yield SystemCommand("Content problems", "Errors found in content files", self.action_errors)
        yield SystemCommand("Reload content", "Read the content files again from disk", self.action_reload_content)
        yield SystemCommand("Help", "Keys and how quizapp works", self.action_help)
        yield from super().get_system_commands(screen)
