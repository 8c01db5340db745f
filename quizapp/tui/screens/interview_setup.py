"""Interview setup: which topics, how long, how many starting questions and coding drills, and whether answers
reschedule cards; past interviews and their trend below.

Dismissed with the new InterviewSession, or None when the user goes back home.
"""

from __future__ import annotations

from collections.abc import Collection

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Input, Label

from quizapp.interview_report import drills_instead, drills_overrun, short_of_drills, short_of_starts
from quizapp.study.interview import (
    DEFAULT_MINUTES,
    DRILL_MINUTES,
    DRILLS_FROM_MINUTES,
    MAX_MINUTES,
    MINUTES_PER_START,
    InterviewSession,
    past_interviews,
)
from quizapp.tui.services import Services
from quizapp.tui.widgets.interview_history import InterviewHistory
from quizapp.tui.widgets.title_bar import TitleBar
from quizapp.tui.widgets.text_box import TextBox
from quizapp.tui.widgets.ticks import TickBox
from quizapp.tui.widgets.topic_picker import TopicPicker, setup_subtitle

__all__ = ["InterviewSetupScreen"]


class InterviewSetupScreen(Screen[InterviewSession | None]):
    CSS_PATH = "interview.tcss"
    BINDINGS = [
        Binding("ctrl+s", "start", "Start interview", id="interview-setup.start"),
        Binding("escape", "dismiss", "Home", id="interview-setup.home"),
    ]

    def __init__(self, services: Services, topics: list[str] | None = None, *, minutes: int = DEFAULT_MINUTES,
                 questions: int | None = None, scheduled: bool = False, only: Collection[str] | None = None,
                 drills: int | None = None) -> None:
        super().__init__()
        self.services = services
        self.only = only  # the keys a search chose (the starting questions are drawn from them only)
        self.preselected = set(topics or [])
        self.minutes, self.questions, self.scheduled, self.drills = minutes, questions, scheduled, drills

    def compose(self) -> ComposeResult:
        deck = self.services.deck
        yield TitleBar()
        with Horizontal(id="interview-setup"):
            with Vertical(classes="setup-column"):
                yield Label(TopicPicker.LABEL)
                yield TopicPicker(deck.topics, self.preselected, id="interview-topics")
            with Vertical(classes="setup-column"):
                with Horizontal(id="interview-lengths"):
                    with Vertical():
                        yield Label("Minutes")
                        yield TextBox(str(self.minutes), id="interview-minutes", type="integer")
                    with Vertical():
                        yield Label("Coding drills")
                        drills = TextBox("" if self.drills is None else str(self.drills), id="interview-drills",
                                         type="integer", placeholder="auto")
                        drills.tooltip = (f"Empty: one in an interview of {DRILLS_FROM_MINUTES} minutes or more; "
                                          "0 for none")
                        yield drills
                yield Label(f"Starting questions (empty: one per {MINUTES_PER_START} minutes, less "
                            f"{DRILL_MINUTES} minutes for each coding drill)")
                yield TextBox(str(self.questions or ""), id="interview-questions", type="integer", placeholder="auto")
                yield TickBox("Answers reschedule my cards", self.scheduled, id="interview-scheduled")
                yield Button("Start interview", id="interview-start", variant="primary")
        yield InterviewHistory(past_interviews(self.services.store), self.services.clock.tz, id="interview-history")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Mock interview"
        self.sub_title = setup_subtitle(self.only)
        self.call_after_refresh(self._fit_history)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_history)

    def _fit_history(self) -> None:
        """The chart of past interviews where the set-up leaves room for it, else its summary: at 80x24 the
        chart was drawn below the footer, where only a mouse could scroll to it."""
        history = self.query_one(InterviewHistory)
        history.fit(self.query_one(Footer).region.y - history.region.y - 1)  # less the margin under it

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "interview-start":
            self.action_start()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_start()

    def action_start(self) -> None:
        topics = list(self.query_one("#interview-topics", TopicPicker).selected)
        minutes_text = self.query_one("#interview-minutes", Input).value.strip()
        questions_text = self.query_one("#interview-questions", Input).value.strip()
        minutes = int(minutes_text) if minutes_text.isdigit() else 0
        if not 1 <= minutes <= MAX_MINUTES:
            self.notify(f"Minutes: a whole number from 1 to {MAX_MINUTES}.", severity="warning")
            return
        questions = int(questions_text) if questions_text.isdigit() else None
        if questions_text and not questions:
            self.notify("Starting questions: a whole number of at least 1, or empty.", severity="warning")
            return
        drills_text = self.query_one("#interview-drills", Input).value.strip()
        if drills_text and not drills_text.isdigit():
            self.notify("Coding drills: a whole number (0 for none), or empty.", severity="warning")
            return
        drills = int(drills_text) if drills_text else None
        services = self.services
        session = InterviewSession(services.deck, services.store, services.settings, services.clock, topics=topics,
                                   minutes=minutes, questions=questions, seed=services.context.seed,
                                   scheduled=self.query_one("#interview-scheduled", Checkbox).value,
                                   only=self.only, drills=drills)
        if session.finished:
            where = "those topics" if self.only is None else "the cards of the search in those topics"
            instead = drills_instead(session, option="set Coding drills")
            self.notify(f"Nothing to ask in {where}: choose others{instead}.", severity="warning", markup=False)
            return
        for short in (short_of_starts(session, brief=True), short_of_drills(session), drills_overrun(session)):
            if short is not None:  # on the app: it outlives this screen
                self.app.notify(short, timeout=10, markup=False)
        self.dismiss(session)
