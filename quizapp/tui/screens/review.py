"""Review: the scheduled queue, one card at a time, rated 1-4 with each button showing its interval.

Dismissed with `REVIEW_AHEAD` when the user asks to review ahead once everything is done, else with None.
"""

from __future__ import annotations

from collections.abc import Collection

from fsrs import Rating
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Input, Static, TextArea

from quizapp.formatting import leech_warning, set_aside_note, shelved_note
from quizapp.plural import counted
from quizapp.study.questions import Question
from quizapp.study.review import ReviewSession, undone_text
from quizapp.study.scheduling import RATINGS
from quizapp.study.store import FLAG_COLOURS, StoreError, UndoConflict
from quizapp.tui.card_edit import edit_card
from quizapp.tui.flags import flag_bindings, flag_text
from quizapp.tui.keys import bold_keys, first_key, key_names, key_range
from quizapp.tui.screens.card_info import CardInfoScreen
from quizapp.tui.screens.question import QuestionScreen, question_bindings
from quizapp.tui.services import Services
from quizapp.tui.widgets.fitting_footer import FittingFooter
from quizapp.tui.widgets.open_timer import OpenTimer
from quizapp.tui.widgets.question_panel import QuestionPanel
from quizapp.tui.widgets.rating_bar import RatingBar
from quizapp.tui.widgets.title_bar import TitleBar

__all__ = ["REVIEW_AHEAD", "ReviewScreen"]

REVIEW_AHEAD = "review-ahead"


class ReviewScreen(QuestionScreen[str | None]):
    BINDINGS = [
        *question_bindings("review", submit="Check / accept"),
        Binding("ctrl+z", "undo", "Undo", id="review.undo", priority=True),
        Binding("u", "undo", "Undo", id="review.undo-u", show=False),
        Binding("a", "review_ahead", "Review ahead", id="review.ahead"),
        Binding("n", "more_new", "More new cards", id="review.more-new"),
        # Anki's keys; not priority bindings, so an answer box with focus keeps them as typed characters.
        Binding("minus", "bury", "Bury", id="review.bury"),
        Binding("at", "suspend", "Suspend", id="review.suspend"),
        *flag_bindings("review"),
        Binding("i", "card_info", "Info", id="review.info", show=False),  # in help and the palette: the footer
        Binding("e", "edit", "Edit", id="review.edit", show=False),       # must fit 80 columns
        Binding("escape", "dismiss", "Home", id="review.home"),
    ]

    def __init__(self, services: Services, topics: list[str] | None = None, *, cram: bool = False,
                 only: Collection[str] | None = None, revisit: bool = False) -> None:
        super().__init__()
        self.services = services
        self.revisit = revisit  # `only` is what an interview said to revisit, not what a search found
        self.topics = topics or []
        self.cram = cram
        context = services.context
        self.session = ReviewSession(services.deck, services.store, context.settings, context.clock,
                                     topics=self.topics, seed=context.seed, cram=cram, only=only)
        self.more_new = 0  # when all is done: the new cards past today's limit that `n` offers

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="review-counts")
        yield OpenTimer(id="open-timer")
        yield QuestionPanel(id="question")
        with Vertical(id="done"):
            yield Static("", id="done-message")
            yield Button(f"Review ahead ({first_key(self, 'review.ahead')})", id="ahead", variant="primary")
        yield Static("", id="suggestion")
        yield RatingBar(id="ratings")
        # a coding drill's keys (^s, Enter, bury, suspend...) did not fit 80 columns: Quit was cut to "Q"
        yield FittingFooter(drop=("suspend", "bury"))

    def on_mount(self) -> None:
        self.title = "Review ahead" if self.cram else "Review"
        self.sub_title = ", ".join(self.topics) or "all topics"
        if self.session.only is not None:  # a search or an interview chose the cards
            cards = counted(len(self.session.only), 'card')
            self.title += " (to revisit)" if self.revisit else " (search)"
            self.sub_title = f"{cards} from the interview" if self.revisit else f"{cards} found"
        self._show_current()
        self.set_interval(1, self._learning_came_due)
        if self.more_new:  # the topic was done before this review began: offer its new cards at once
            self.action_more_new()

    def _learning_came_due(self) -> None:
        """All done for now, a learning card is shown as soon as it is due, without a key press."""
        if self.session.finished and self.session.resume():
            self._show_current()

    # --- the question screen's parts -----------------------------------------------------------------

    @property
    def question(self) -> Question | None:
        return self.session.current

    def answered(self) -> None:
        suggested = self.session.suggested_rating()
        bar = self.query_one(RatingBar)
        bar.set_intervals({} if self.cram else self.session.intervals(), suggested)
        bar.display = True
        hint = self.query_one("#suggestion", Static)
        outcome = self.session.outcome
        ratings = key_range(self, [f"review.key{number}" for number in range(1, len(RATINGS) + 1)])
        if outcome is not None and outcome.points is not None and suggested is not None:
            line = f"{outcome.message} — press {key_names(self, f'review.key{int(suggested)}')} to accept it, or {ratings}"
        else:
            line = (f"Suggested: {suggested.name} — {key_names(self, 'review.submit')} accepts it, or press {ratings}"
                    if suggested else f"How well did you know it? Press {ratings}")
        hint.update(line)
        self._update_counts(answered=True)  # with the interview's cap, if it shortens an interval
        hint.display = True

    def points_changed(self, ticked: frozenset[int]) -> None:
        self.panel.show_points(self.session.tick_points(ticked).message)
        self.answered()

    def drill_code(self) -> str | None:
        """A review's drill opens with the code of the last attempt at it, to go on from there."""
        return self.session.last_code()

    def submit_answered(self) -> None:
        suggested = self.session.suggested_rating()
        if suggested is not None:
            self._rate(suggested)

    def number_answered(self, number: int) -> None:
        if number <= len(RATINGS):
            self._rate(Rating(number))

    # --- showing -----------------------------------------------------------------------------------

    def _show_current(self) -> None:
        question = self.session.current
        self.query_one(QuestionPanel).display = question is not None
        self.query_one("#done").display = question is None
        self.query_one(RatingBar).display = False
        self.query_one("#suggestion").display = False
        self._update_counts()
        if question is None:
            self._show_done()
            self.refresh_bindings()
            return
        self.show_question(question, note="edited since your last review" if self.session.edited_since_review() else "")

    def _show_done(self) -> None:
        session = self.session
        lines = [f"[b]All done for now.[/] {counted(session.reviewed, 'review')} in this session."]
        if session.next_learning_due:
            local = session.next_learning_due.astimezone(session.clock.tz)
            lines.append(f"The next learning card is due at {local:%H:%M}; it is shown here then.")
        if shelved := shelved_note(session.shelved_found()):
            lines.append(shelved)
        self.more_new = 0 if session.only is not None else session.more_new_available()
        if self.more_new:
            left = self.more_new
            topics = "this topic" if len(session.topics or ()) == 1 else "these topics"
            lines.append(f"Today's new-card limit is reached; {counted(left, 'new card')} of {topics} "
                         f"{'are' if left != 1 else 'is'} left: press {bold_keys(self, 'review.more-new')} "
                         "to learn more today.")
        if self.cram:
            lines.append("Nothing more to review ahead.")
            self.query_one("#ahead", Button).display = False
        else:
            lines.append(f"Press {bold_keys(self, 'review.ahead')} to review ahead (your schedule stays as it "
                         f"is), or {bold_keys(self, 'review.home')} to go home.")
        self.query_one("#done-message", Static).update("\n".join(lines))

    def _update_counts(self, *, answered: bool = False) -> None:
        """The counts line; once the question is `answered`, a note when the interview date cut an interval."""
        counts = self.session.counts()
        line = Text.assemble((f"New {counts.new}", "bold blue"), "  ·  ", (f"Learning {counts.learning}", "bold red"),
                             "  ·  ", (f"Review {counts.review}", "bold green"))
        if self.cram:
            line = Text.assemble(("Review ahead", "bold"), f": {counts.total} left  ·  schedules are not changed")
        elif aside := set_aside_note(self.session.set_aside_found()):  # so the counts add up to the cards chosen
            line.append(f"  ·  {aside}")
        cap = self.session.interview_cap() if answered else None
        if cap is not None:  # why Good and Easy can show the same interval
            line.append(f"  ·  intervals capped: interview {cap.astimezone(self.session.clock.tz):%d %b}")
        marks = self.session.marks()
        for shown, words in ((marks.flag, flag_text(marks.flag) + " flag"), (marks.leech, Text("leech", "bold yellow")),
                             (marks.suspended, Text("suspended", "bold yellow"))):
            if shown:
                line.append_text(Text("  ·  ") + words)
        self.query_one("#review-counts", Static).update(line)

    def enter_after_answer(self, question: Question) -> bool:
        """Enter accepts the suggested rating: a checked card has one, and so has an open one's points."""
        return question.auto_checked or question.kind == "open"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        question = self.session.current
        if action == "undo":  # ctrl+z works everywhere; "u" reaches the screen only when not typing
            return self.session.can_undo
        if action == "review_ahead":
            return question is None and not self.cram
        if action == "more_new":
            return question is None and self.more_new > 0
        if action in {"bury", "suspend"}:  # typing an answer, - and @ are characters: the footer must not offer them
            return question is not None and not isinstance(self.focused, (Input, TextArea))
        if action in {"flag", "card_info", "edit"}:
            return question is not None
        return super().check_action(action, parameters)

    # --- rating and undo ---------------------------------------------------------------------------

    def on_rating_bar_rated(self, event: RatingBar.Rated) -> None:
        if self.is_answered:
            self._rate(event.rating)

    def _rate(self, rating: Rating) -> None:
        try:
            recorded = self.session.rate(rating)
        except StoreError as problem:  # locked or full: the answer stays on screen, a rating tries again
            self.notify(f"{problem}. Rate again to retry.", title="Not recorded", severity="error")
            return
        if recorded.leech:
            self.notify(leech_warning(recorded), title="Leech", severity="warning", timeout=8)
        self._show_current()

    def action_undo(self) -> None:
        try:
            entry = self.session.undo()
        except UndoConflict as conflict:
            self.notify(str(conflict), title="Not undone", severity="warning")
            return
        if entry is None:
            self.notify("Nothing to undo in this session.", severity="warning")
            return
        self.notify(f"Undid {undone_text(entry)}", timeout=2)
        self._show_current()

    # --- marking, info and editing the current card --------------------------------------------------

    def action_bury(self) -> None:
        self._mark(self.session.bury, "Buried {} until tomorrow")

    def action_suspend(self) -> None:
        self._mark(self.session.suspend, "Suspended {}")

    def _mark(self, act, message: str) -> None:
        if self.session.current is None:
            return
        try:
            key = act()
        except StoreError as problem:
            self.notify(str(problem), title="Not changed", severity="error")
            return
        self.notify(f"{message.format(key)}: {self._undo_key()} to undo", timeout=4)
        self._show_current()

    def action_flag(self, colour: int) -> None:
        question = self.session.current
        if question is None:
            return
        try:
            flag = self.session.flag(colour)
        except StoreError as problem:
            self.notify(str(problem), title="Not changed", severity="error")
            return
        done = f"Flagged {question.key} {FLAG_COLOURS[flag]}" if flag else f"Cleared the flag of {question.key}"
        self.notify(f"{done}: {self._undo_key()} to undo", timeout=3)
        self._update_counts(answered=self.is_answered)

    def _undo_key(self) -> str:
        return key_names(self, "review.undo")

    def action_card_info(self) -> None:
        question = self.session.current
        if question is not None:
            self.app.push_screen(CardInfoScreen(self.services, question.key))

    def action_edit(self) -> None:
        question = self.session.current
        if question is not None and edit_card(self.app, self.services, question.key):
            self._reload()

    def on_screen_resume(self) -> None:
        if self.services.deck is not self.session.deck:  # edited from card info
            self._reload()
        else:
            self._update_counts(answered=self.is_answered)  # marks may have changed

    def _reload(self) -> None:
        self.session.reload(self.services.deck)
        self._show_current()

    @property
    def topics_title(self) -> str:
        """The titles of this review's topics, for the offer of more new cards."""
        return ", ".join(self.services.deck.topic(slug).title for slug in self.session.topics)

    def action_more_new(self) -> None:
        """Anki's "increase today's new card limit", offered once this topic's review is done."""
        if not (self.session.finished and self.more_new):
            return
        from quizapp.tui.screens.more_new import MoreNewScreen

        def chosen(count: int | None) -> None:
            if count:
                self.session.learn_more_new(count)
                self._show_current()

        self.app.push_screen(MoreNewScreen(self.topics_title, self.more_new), chosen)

    def action_review_ahead(self) -> None:
        if self.session.finished and not self.cram:
            self.dismiss(REVIEW_AHEAD)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ahead":
            self.action_review_ahead()
