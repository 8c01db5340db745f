"""The quizapp Textual app: screens and commands over injected services; no study logic lives here."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from quizapp.plural import counted
from quizapp.safetext import one_line
from quizapp.study.store import FLAG_COLOURS
from quizapp.tui.services import Services
from quizapp.tui.widgets.topic_table import TopicTable

if TYPE_CHECKING:
    from quizapp.study.interview import InterviewOptions, InterviewSession
    from quizapp.study.quiz import QuizOptions, QuizSession

__all__ = ["QuizApp"]


class QuizApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "quizapp"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("f1", "help", "Help", id="app.help", show=False),
    ]

    def __init__(self, services: Services, *, start: str = "home", topics: list[str] | None = None,
                 query: str | None = None, interview: InterviewOptions | None = None,
                 quiz: QuizOptions | None = None) -> None:
        super().__init__()
        self.services = services
        self.start = start
        self.start_topics = topics or []
        self.start_query = query  # a search choosing the cards of the review or quiz started with
        self.interview_options = interview
        self.quiz_options = quiz  # `quizapp quiz`'s types and count, for the quiz it starts with
        theme = services.settings.theme
        if theme != self.theme and theme in self.available_themes:
            self.theme = theme  # only when it differs: setting a theme restyles every widget
        if services.settings.keymap:
            from quizapp.keymap import expand_keymap

            self.set_keymap(expand_keymap(services.settings.keymap))

    def on_mount(self) -> None:
        from quizapp.tui.screens.home import HomeScreen

        theme = self.services.settings.theme
        if theme not in self.available_themes:
            self.notify(f"Unknown theme {theme!r} in your settings; using {self.theme}. Pick one with ctrl+p, Theme.",
                        severity="warning")
        for notice in self.services.notices:
            self.notify(notice, title="Sync", severity="warning", timeout=10)
        self.theme_changed_signal.subscribe(self, self._save_theme)
        self.push_screen(HomeScreen(self.services))
        only = self.search(self.start_query) if self.start_query is not None else None
        if self.start_query is not None and not only:
            return  # nothing to study: home, with the reason shown
        if self.start == "review":
            self.action_review(self.start_topics, only=only)
        elif self.start == "quiz":
            self.action_quiz(self.start_topics, only=only, options=self.quiz_options)
        elif self.start == "interview":
            self.action_interview(self.start_topics, only=only)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A toast of one paragraph (the title leads the message; app.tcss wraps it and places it clear of the
        card), never markup nor a control character (messages quote data: a key, a typed answer, a file name),
        and shown once: while it is on screen the same message is not stacked again."""
        line = one_line(f"{title}: {message}" if title else message)
        line = " ".join(line.split())
        # Textual offers no public view of the live toasts.
        if any(shown.message == line and shown.severity == severity and not shown.has_expired
               for shown in self._notifications):
            return
        # never markup: a widget's notify asks for it by default, and a message quoting "[/x]" would raise
        super().notify(line, severity=severity, timeout=timeout, markup=False)

    # --- navigation: screens return results, and only the app decides what comes next --------------------

    def action_review(self, topics: list[str] | None = None, cram: bool = False,
                      only: Collection[str] | None = None, revisit: bool = False) -> None:
        """Today's review, or with `only` exactly those cards (a search's, or the ones an interview said to
        `revisit`), rescheduled as they are rated."""
        from quizapp.tui.screens.review import REVIEW_AHEAD, ReviewScreen

        def done(result: str | None) -> None:
            if result == REVIEW_AHEAD:
                self.action_review(topics, cram=True, only=only, revisit=revisit)

        self._open(ReviewScreen(self.services, topics or [], cram=cram, only=only, revisit=revisit), done)

    def action_quiz(self, topics: list[str] | None = None, only: Collection[str] | None = None,
                    options: QuizOptions | None = None) -> None:
        from quizapp.tui.screens.quiz_setup import QuizSetupScreen

        def chosen(session: QuizSession | None) -> None:
            if session is not None:
                self._quiz(session)

        self._open(QuizSetupScreen(self.services, topics or [], only=only, options=options), chosen)

    def search(self, query: str) -> list[str]:
        """The keys a search finds; when it cannot be read or finds nothing, a toast says so (and [])."""
        from quizapp.errors import UserError
        from quizapp.study.query import no_match, select_now

        services = self.services
        try:
            keys = [item.key for item in select_now(query, services.deck, services.store, services.settings,
                                                    services.clock)]
        except UserError as problem:
            self.notify(str(problem).split("\n", 1)[0], title="Search", severity="error")
            return []
        if not keys:  # it stays a while: the review, quiz or interview asked for does not start
            hint = no_match(query, services.deck)
            self.notify(hint[0].upper() + hint[1:], title="Search", severity="warning", timeout=30)
        return keys

    def _quiz(self, session: QuizSession) -> None:
        from quizapp.tui.screens.quiz import QuizScreen
        from quizapp.study.quiz import NO_SCORE
        from quizapp.tui.screens.quiz_results import RETRY, QuizResultsScreen

        def results_closed(result: str | None) -> None:
            if result == RETRY:
                self._quiz(session.retry_misses())

        def quiz_over(finished: QuizSession | None) -> None:
            if finished is None:
                return
            if not finished.results().total:  # left at the first question: nothing to score
                self.notify(NO_SCORE)
                return
            self._open(QuizResultsScreen(finished), results_closed)

        self._open(QuizScreen(session), quiz_over)

    def action_interview(self, topics: list[str] | None = None, only: Collection[str] | None = None) -> None:
        from quizapp.study.interview import InterviewOptions
        from quizapp.tui.screens.interview_setup import InterviewSetupScreen

        options = self.interview_options or InterviewOptions()

        def chosen(session: InterviewSession | None) -> None:
            if session is not None:
                self._interview(session)

        self._open(InterviewSetupScreen(self.services, topics or [], minutes=options.minutes,
                                        questions=options.questions, scheduled=options.scheduled, only=only,
                                        drills=options.drills),
                   chosen)

    def _interview(self, session: InterviewSession, title: str = "Mock interview") -> None:
        from quizapp.tui.screens.interview import InterviewScreen
        from quizapp.tui.screens.interview_report import InterviewReportScreen

        def report_closed(keys: list[str] | None) -> None:
            if keys:
                self.start_review_of(keys)

        def interview_over(finished: InterviewSession | None) -> None:
            if finished is None:
                return
            screen = InterviewReportScreen(self.services, finished)
            self._save_report(screen.markdown)
            self._open(screen, report_closed)

        self._open(InterviewScreen(session, title=title), interview_over)

    def start_review_of(self, keys: list[str]) -> None:
        """A review of exactly these cards (the ones an interview said to revisit), as real reviews: each is
        rescheduled as it is rated, as browse's "study these" does."""
        known = [key for key in keys if self.services.deck.item(key) is not None]
        if not known:
            self.notify("None of those cards is in the deck any more.", severity="warning")
            return
        self.action_review(only=known, revisit=True)

    def _save_report(self, markdown: str) -> None:
        """`quizapp interview --report FILE.md`: the first report of the run is written there."""
        from quizapp.errors import UserError
        from quizapp.safewrite import database_files, write_text
        from quizapp.study.store import DB_NAME

        options = self.interview_options
        if options is None or options.report is None:
            return
        try:
            write_text(options.report, markdown, force=options.force,
                       protected=database_files(self.services.context.data_dir / DB_NAME))
        except UserError as problem:
            self.notify(str(problem), title="Report not written", severity="error")
        else:
            self.notify(f"Report written to {options.report}")
        self.interview_options = replace(options, report=None)

    def action_browse(self) -> None:
        from quizapp.tui.screens.browse import BrowseScreen

        def study(keys: list[str] | None) -> None:
            if keys:  # browse's "study these": a review of exactly the cards its search shows
                self.action_review(only=keys)

        self._open(BrowseScreen(self.services), study)

    def action_glossary(self) -> None:
        from quizapp.tui.screens.glossary import GlossaryScreen

        def chosen(topics: tuple[str, ...] | None) -> None:
            if topics:
                self.action_review(list(topics))

        self._open(GlossaryScreen(self.services), chosen)

    def action_stats(self) -> None:
        from quizapp.tui.screens.stats import StatsScreen

        self._open(StatsScreen(self.services))

    def action_errors(self) -> None:
        from quizapp.tui.screens.content_errors import ContentErrorsScreen

        self._open(ContentErrorsScreen(self.services))

    def action_help(self) -> None:
        from quizapp.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def open_drill(self, task, code: str | None, done: Callable[[Any], None],
                   interview_clock: Callable[[], Any] | None = None) -> None:
        """The code editor for a coding drill, over the review or the interview; `done` gets its `DrillClosed`
        (the last attempt, if any, and the code as it was left). An interview's drill shows the
        `interview_clock` line and keeps the solution back."""
        from quizapp.tui.screens.drill import DrillScreen

        self.push_screen(DrillScreen(task, code, seed=self.services.context.seed or 0, interview_clock=interview_clock,
                                     clock=self.services.clock), done)

    def on_topic_table_opened(self, event: TopicTable.Opened) -> None:
        self.action_review(topics=[event.slug])

    def action_reload_content(self) -> None:
        deck = self.services.reload_deck()
        problems = len(deck.errors)
        self.notify(f"Reloaded {counted(deck.card_count, 'card')} from {counted(len(deck.files), 'file')}"
                    + (f"; {counted(problems, 'problem')}, see Content problems" if problems else ""))
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
        from quizapp.tui.keys import key_names
        from quizapp.tui.screens.home import HomeScreen

        if hasattr(screen, "action_undo") and getattr(getattr(screen, "session", None), "can_undo", False):
            yield SystemCommand("Undo", f"Undo the last review of this session ({key_names(screen, 'review.undo')})",
                                screen.action_undo)
        if hasattr(screen, "action_bury") and getattr(getattr(screen, "session", None), "current", None):
            # the review's card keys, also while an answer box has the typing keys
            key = partial(key_names, screen)
            yield SystemCommand("Bury card", f"Hide this card until tomorrow ({key('review.bury')})",
                                screen.action_bury)
            yield SystemCommand("Suspend card", f"Hide this card until unsuspended ({key('review.suspend')})",
                                screen.action_suspend)
            for number, colour in FLAG_COLOURS.items():
                yield SystemCommand(f"Flag card {colour}", f"The {colour} flag; again clears it "
                                    f"({key(f'review.flag-{colour}')})", partial(screen.action_flag, number))
            yield SystemCommand("Card info", f"This card's schedule and whole history ({key('review.info')})",
                                screen.action_card_info)
            yield SystemCommand("Edit card", f"Open this card's file at its line in $VISUAL / $EDITOR "
                                f"({key('review.edit')})", screen.action_edit)
        yield SystemCommand("Review", "Review the cards due today", self.action_review)
        yield SystemCommand("Quiz", "Start a scored quiz", self.action_quiz)
        yield SystemCommand("Interview", "A timed mock interview with follow-up questions", self.action_interview)
        yield SystemCommand("Browse", "Search and inspect every card", self.action_browse)
        yield SystemCommand("Stats", "Heatmap, forecast, retention, accuracy", self.action_stats)
        yield SystemCommand("Glossary", "English and Chinese terms of every topic, searchable "
                            f"({key_names(self, 'home.glossary', HomeScreen)} on the home screen)", self.action_glossary)
        yield SystemCommand("Content problems", "Errors found in content files", self.action_errors)
        yield SystemCommand("Reload content", "Read the content files again from disk", self.action_reload_content)
        yield SystemCommand("Help", "Keys and how quizapp works", self.action_help)
        yield from super().get_system_commands(screen)
