"""Quiz setup: which topics, how many questions, which card types, and a seed to replay the same quiz.

Dismissed with the new QuizSession, or None when the user goes back home.
"""

from __future__ import annotations

from collections.abc import Collection

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, SelectionList

from quizapp.study.quiz import ALL_TYPES, DEFAULT_QUIZ_TYPES, QuizOptions, QuizSession
from quizapp.tui.services import Services
from quizapp.tui.widgets.title_bar import TitleBar
from quizapp.tui.widgets.text_box import TextBox
from quizapp.tui.widgets.ticks import TickList
from quizapp.tui.widgets.topic_picker import TopicPicker, setup_subtitle

__all__ = ["QuizSetupScreen"]


class QuizSetupScreen(Screen[QuizSession | None]):
    CSS_PATH = "quiz_setup.tcss"
    BINDINGS = [
        Binding("ctrl+s", "start", "Start quiz", id="quiz-setup.start"),
        Binding("escape", "dismiss", "Home", id="quiz-setup.home"),
    ]

    def __init__(self, services: Services, topics: list[str] | None = None,
                 only: Collection[str] | None = None, options: QuizOptions | None = None) -> None:
        super().__init__()
        self.services = services
        self.preselected = set(topics or [])
        self.options = options or QuizOptions()  # what the command line asked for, else the usual
        self.only = only  # the keys a search chose (the quiz draws from them only)

    def compose(self) -> ComposeResult:
        deck = self.services.deck
        yield TitleBar()
        with Horizontal(id="quiz-setup"):
            with Vertical(classes="setup-column"):
                yield Label(TopicPicker.LABEL)
                yield TopicPicker(deck.topics, self.preselected, id="quiz-topics")
            with Vertical(classes="setup-column"):
                yield Label("Card types")
                usual = ALL_TYPES if self.only is not None else DEFAULT_QUIZ_TYPES  # a search chose the cards
                types = self.options.types or usual
                yield TickList[str](*[(kind, kind, kind in types) for kind in ALL_TYPES], id="quiz-types")
                with Horizontal(id="quiz-numbers"):  # side by side, so the Start button fits in 24 lines
                    with Vertical(id="quiz-count-field"):
                        yield Label("Questions")
                        yield TextBox(str(self.options.count), id="quiz-count", type="integer")
                    with Vertical(id="quiz-seed-field"):
                        yield Label("Seed (replays the quiz)")
                        yield TextBox(str(self.services.context.seed or ""), id="quiz-seed", type="integer",
                                      placeholder="random")
                yield Button("Start quiz", id="quiz-start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Quiz"
        # as tall as the column allows (height: 1fr), but no taller than its topics: a fixed cap showed 12 of
        # 14 topics in a 40-line terminal, with a speck of a scrollbar
        picker = self.query_one(TopicPicker)
        picker.styles.max_height = picker.option_count + 2  # its border's two lines
        self.sub_title = setup_subtitle(self.only)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "quiz-start":
            self.action_start()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_start()

    def action_start(self) -> None:
        topics = list(self.query_one("#quiz-topics", TopicPicker).selected)
        types = list(self.query_one("#quiz-types", SelectionList).selected)
        count_text = self.query_one("#quiz-count", Input).value.strip()
        seed_text = self.query_one("#quiz-seed", Input).value.strip()
        if not types:
            self.notify("Choose at least one card type.", severity="warning")
            return
        count = int(count_text) if count_text.lstrip("-").isdigit() else 0
        if count < 1:
            self.notify("The number of questions must be a whole number of at least 1.", severity="warning")
            return
        seed = int(seed_text) if seed_text.lstrip("-").isdigit() else None
        services = self.services
        session = QuizSession(services.deck, services.store, services.clock, topics=topics, types=types,
                              count=count, seed=seed, only=self.only)
        if session.finished:
            self.notify("No cards match: choose other topics or card types.", severity="warning")
            return
        self.dismiss(session)
