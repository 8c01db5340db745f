"""Review: the scheduled queue, one card at a time, rated 1-4 with each button showing its interval."""

from __future__ import annotations

from fsrs import Rating
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from quizapp.study.review import ReviewSession
from quizapp.study.scheduling import RATINGS
from quizapp.tui.services import Services
from quizapp.tui.widgets.choice_list import ChoiceList
from quizapp.tui.widgets.question_panel import QuestionPanel
from quizapp.tui.widgets.rating_bar import RatingBar
from quizapp.tui.widgets.title_bar import TitleBar

__all__ = ["ReviewScreen"]


class ReviewScreen(Screen):
    CSS_PATH = "question.tcss"
    BINDINGS = [
        Binding("space", "reveal", "Show answer", id="review.reveal"),
        Binding("enter", "submit", "Check / accept rating", id="review.submit"),
        *[Binding(str(n), f"number({n})", f"Option/rate {n}", id=f"review.key{n}", show=False) for n in range(1, 10)],
        Binding("u", "undo", "Undo", id="review.undo"),
        Binding("a", "review_ahead", "Review ahead", id="review.ahead"),
        Binding("escape", "app.pop_screen", "Home", id="review.home"),
    ]

    def __init__(self, services: Services, topics: list[str] | None = None, *, cram: bool = False) -> None:
        super().__init__()
        self.services = services
        self.topics = topics or []
        self.cram = cram
        self.session = self._new_session(cram)

    def _new_session(self, cram: bool) -> ReviewSession:
        context = self.services.context
        return ReviewSession(self.services.deck, self.services.store, context.settings, context.clock,
                             topics=self.topics, seed=context.seed, cram=cram)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="review-counts")
        yield QuestionPanel(id="question")
        with Vertical(id="done"):
            yield Static("", id="done-message")
            yield Button("Review ahead (a)", id="ahead", variant="primary")
        yield RatingBar(id="ratings")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Review ahead" if self.cram else "Review"
        self.sub_title = ", ".join(self.topics) or "all topics"
        self._show_current()

    # --- showing -----------------------------------------------------------------------------------

    def _show_current(self) -> None:
        session = self.session
        question = session.current
        panel = self.query_one(QuestionPanel)
        done = self.query_one("#done")
        panel.display = question is not None
        done.display = question is None
        self._update_counts()
        self.query_one(RatingBar).display = False
        if question is None:
            self._show_done()
            self.refresh_bindings()
            return
        note = "edited since your last review" if session.edited_since_review() else ""
        panel.show(question, note=note)
        self.refresh_bindings()
        if question.kind not in {"numeric", "generated"}:
            self.set_focus(None)  # keys go to the screen: space, numbers, enter

    def _show_done(self) -> None:
        session = self.session
        lines = [f"[b]All done for now.[/] {session.reviewed} card{'s' * (session.reviewed != 1)} reviewed."]
        if session.next_learning_due:
            local = session.next_learning_due.astimezone(session.clock.tz)
            lines.append(f"The next learning card is due at {local:%H:%M}.")
        if self.cram:
            lines.append("Nothing more to review ahead.")
            self.query_one("#ahead", Button).display = False
        else:
            lines.append("Press [b]a[/] to review ahead (your schedule stays as it is), or Escape to go home.")
        self.query_one("#done-message", Static).update("\n".join(lines))

    def _update_counts(self) -> None:
        counts = self.session.counts()
        text = (f"[b blue]New {counts.new}[/]  ·  [b red]Learning {counts.learning}[/]  ·  "
                f"[b green]Review {counts.review}[/]")
        if self.cram:
            text = f"[b]Review ahead[/]: {counts.total} left  ·  schedules are not changed"
        self.query_one("#review-counts", Static).update(text)

    def _show_ratings(self) -> None:
        bar = self.query_one(RatingBar)
        bar.set_intervals({} if self.cram else self.session.intervals(), self.session.suggested_rating())
        bar.display = True
        self.set_focus(None)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only the keys that mean something now, so the footer explains the screen."""
        question = self.session.current
        answered = self._answered
        if action == "reveal":
            return question is not None and not question.auto_checked and not answered
        if action == "submit":
            if question is None:
                return False
            return (question.kind == "choice" and not answered) or (answered and question.auto_checked)
        if action == "undo":  # not while typing an answer: "u" belongs to the answer box then
            return self.session.can_undo and not isinstance(self.focused, Input)
        if action == "review_ahead":
            return question is None and not self.cram
        return True

    # --- answering ---------------------------------------------------------------------------------

    @property
    def _answered(self) -> bool:
        panel = self.query_one(QuestionPanel)
        return self.session.current is not None and getattr(panel, "revealed", False)

    def action_reveal(self) -> None:
        question = self.session.current
        if question is None or self._answered or question.auto_checked:
            return
        self.query_one(QuestionPanel).reveal()
        self._show_ratings()

    def action_submit(self) -> None:
        question = self.session.current
        if question is None:
            return
        if self._answered:
            suggested = self.session.suggested_rating()
            if suggested is not None:
                self._rate(suggested)
            return
        if question.kind == "choice":
            self._check_choice()
        elif not question.auto_checked:
            self.action_reveal()

    def action_number(self, number: int) -> None:
        question = self.session.current
        if question is None:
            return
        if self._answered:
            if number <= len(RATINGS):
                self._rate(Rating(number))
        elif question.kind == "choice":
            self.query_one(ChoiceList).toggle(number - 1)

    def on_choice_list_toggled(self, event: ChoiceList.Toggled) -> None:
        self.query_one(ChoiceList).toggle(event.index)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._answered:
            return
        outcome = self.session.check(event.value)
        if outcome.status == "invalid":
            self.notify(outcome.message, title="Could not read the answer", severity="warning")
            return
        self.query_one(QuestionPanel).show_outcome(outcome)
        self._show_ratings()

    def _check_choice(self) -> None:
        chosen = frozenset(self.query_one(ChoiceList).chosen)
        outcome = self.session.check_choice(chosen)
        if outcome.status == "invalid":
            self.notify("Press an option's number first, then Enter.", severity="warning")
            return
        self.query_one(QuestionPanel).show_outcome(outcome)
        self._show_ratings()

    def on_rating_bar_rated(self, event: RatingBar.Rated) -> None:
        if self._answered:
            self._rate(event.rating)

    def _rate(self, rating: Rating) -> None:
        self.session.rate(rating)
        self._show_current()

    def action_undo(self) -> None:
        entry = self.session.undo()
        if entry is None:
            self.notify("Nothing to undo in this session.", severity="warning")
            return
        self.notify(f"Undid {entry.key}", timeout=2)
        self._show_current()

    def action_review_ahead(self) -> None:
        if self.session.finished and not self.cram:
            self.app.switch_screen(ReviewScreen(self.services, self.topics, cram=True))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ahead":
            self.action_review_ahead()
