"""What the review, quiz and interview screens share: a question panel, its keys, and the steps of answering.

A subclass holds a `session` (review, quiz or interview: each has `check`, `check_choice` and `show_answer`)
and says what follows an answer (`answered`) and what Enter or a number means once the question is answered;
this base shows the question, toggles choices, reads typed answers, reveals the back of self-rated cards and
offers only the keys that mean something at each step. The quiz and the interview record each answer as it
is judged: their shared steps are in `judged.JudgedQuestionScreen`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, TextArea

from quizapp.study.questions import TYPED, Outcome, Question
from quizapp.tui.key_order import after_queued_keys
from quizapp.tui.keys import action_key
from quizapp.tui.widgets.choice_list import ChoiceList
from quizapp.tui.widgets.key_points import KeyPointList
from quizapp.tui.widgets.open_timer import OpenTimer
from quizapp.tui.widgets.question_panel import QuestionPanel

__all__ = ["QuestionScreen", "question_bindings"]

ResultType = TypeVar("ResultType")

# The actions whose use depends on the step of answering (`QuestionScreen.check_action`).
_ANSWER_ACTIONS = frozenset({"reveal", "grade", "record_points", "submit", "show_answer"})


def question_bindings(prefix: str, *, submit: str) -> list[Binding]:
    """The keys every question screen has, with ids under `prefix` (so each screen's can be remapped)."""
    return [
        Binding("space", "reveal", "Show answer", id=f"{prefix}.reveal"),
        Binding("ctrl+s", "show_answer", "Show answer", id=f"{prefix}.show-answer", priority=True),
        Binding("enter", "submit", submit, id=f"{prefix}.submit"),
        # 0 is the tenth option, after 9 as on the keyboard's row of digits
        *[Binding(str(n % 10), f"number({n})", f"Option {n}", id=f"{prefix}.key{n}", show=False) for n in range(1, 11)],
        # Scrolling a long card; arrows and j/k only reach the screen when no answer box has focus.
        Binding("pagedown", "scroll(1)", "Page down", id=f"{prefix}.page-down", show=False),
        Binding("pageup", "scroll(-1)", "Page up", id=f"{prefix}.page-up", show=False),
        Binding("ctrl+d", "scroll(0.5)", "Half a page down", id=f"{prefix}.half-down", show=False, priority=True),
        Binding("ctrl+u", "half_up", "Half a page up", id=f"{prefix}.half-up", show=False, priority=True),
        Binding("down,j", "scroll_lines(1)", "Scroll down", id=f"{prefix}.line-down", show=False),
        Binding("up,k", "scroll_lines(-1)", "Scroll up", id=f"{prefix}.line-up", show=False),
    ]


class QuestionScreen(Screen[ResultType]):
    CSS_PATH = "question.tcss"

    # The answer on screen is recorded: nothing is left to grade. The quiz and the interview keep it on screen
    # until Enter; review records with the rating that shows the next card, so it stays False there.
    recorded: bool = False
    # An open question's countdown is the OpenTimer under the title; a screen with a clock line of its own (the
    # interview) shows it there and has no OpenTimer.
    OPEN_TIMER = True

    # --- what a subclass provides ------------------------------------------------------------------

    @property
    def question(self) -> Question | None:
        raise NotImplementedError

    def enter_after_answer(self, question: Question) -> bool:
        """Whether Enter means something once `question` is answered: by default, once it is recorded."""
        return self.recorded

    def answered(self) -> None:
        """The question has just been checked or revealed."""

    def submit_answered(self) -> None:
        """Enter after the answer is shown."""

    def number_answered(self, number: int) -> None:
        """A number key after the answer is shown."""

    def points_changed(self, ticked: frozenset[int]) -> None:
        """The user ticked or unticked a key point of a revealed open question."""

    def drill_code(self) -> str | None:
        """The code a coding drill's editor opens with: by default its starter."""
        return None

    def drill_clock(self) -> Callable[[], Content] | None:
        """A mock interview's clock line, for the drill editor to keep in view; None elsewhere."""
        return None

    # --- shared steps --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only the keys that mean something now, so the footer explains the screen."""
        if action not in _ANSWER_ACTIONS:
            return True
        question = self.question
        if question is None:
            return False
        answered = self.is_answered
        to_grade = answered and not self.recorded
        if action == "reveal":
            return not question.auto_checked and not answered
        if action == "grade":
            return to_grade and question.self_graded
        if action == "record_points":
            return to_grade and question.kind == "open"
        if action == "submit":
            return ((question.kind in {"choice", "code"} and not answered)
                    or (answered and self.enter_after_answer(question)))
        return question.kind in TYPED | {"choice", "code", "open"} and not answered  # show_answer

    @property
    def panel(self) -> QuestionPanel:
        return self.query_one(QuestionPanel)

    @property
    def is_answered(self) -> bool:
        panels = self.query(QuestionPanel)  # none while the screen is being torn down
        return self.question is not None and bool(panels) and getattr(panels.first(), "revealed", False)

    def show_question(self, question: Question, *, note: str = "") -> None:
        self._empty_enters = 0
        self._drill_draft: str | None = None  # the code left in the drill editor, unchecked, for the next opening
        self.panel.show(question, note=note)
        if self.OPEN_TIMER:
            timer = self.query_one(OpenTimer)
            timer.display = question.kind == "open"
            if question.kind == "open":  # the answer box has focus: Enter is a new line, ctrl+s reveals
                timer.start(self.session.clock, self.session.asked_at, question.time_limit or 0)
            else:
                timer.stop()
        if question.kind in TYPED:
            self.call_after_refresh(self._keep_in_view, "#answer-box")  # the user never types blind
        elif question.kind != "open":
            self.set_focus(None)  # keys go to the screen: space, numbers, enter
        self.refresh_bindings()

    def on_markdown_table_of_contents_updated(self, event) -> None:
        """A card's text has just been laid out anew (it renders after `show`): keep what matters in view."""
        question = self.question
        if question is None:
            return
        if self.is_answered and question.kind == "open":  # the checklist in view, the prompt too if it fits
            self.call_after_refresh(self._keep_in_view, "#key-points")
        elif self.is_answered and question.auto_checked:
            self.call_after_refresh(self._keep_answer_in_view)
        elif question.kind in TYPED:
            self.call_after_refresh(self._keep_in_view, "#answer-box")

    def _keep_answer_in_view(self) -> None:
        """A checked answer: the verdict in view at the bottom if need be, and above it as much of the question
        as fits, the options (marked right and wrong) or the typed answer nearest. The panel scrolls only as far
        as the verdict needs: scrolled to the options, the question above them went out of view; to the verdict,
        "the answer is c" showed no option c."""
        panel = self.panel
        verdict_end = panel.query_one("#verdict").virtual_region.bottom
        panel.scroll_to(y=max(verdict_end - panel.scrollable_content_region.height, 0), animate=False)

    def _keep_in_view(self, selector: str, *, top: bool = False) -> None:
        panel = self.panel
        panel.scroll_to_widget(panel.query_one(selector), top=top, animate=False)

    def action_scroll(self, pages: float) -> None:
        panel = self.panel
        panel.scroll_relative(y=pages * max(panel.scrollable_content_region.height - 1, 1), animate=False)

    def action_half_up(self) -> None:
        """Half a page up; in an answer box, ctrl+u clears it to the start as in a shell (and as the box's own
        ctrl+u does, which this screen's binding, taking the key first, had kept from it)."""
        focused = self.focused
        if isinstance(focused, Input):
            focused.action_delete_left_all()
        elif isinstance(focused, TextArea) and not focused.read_only:
            focused.action_delete_to_start_of_line()
        else:
            self.action_scroll(-0.5)

    def action_scroll_lines(self, lines: int) -> None:
        self.panel.scroll_relative(y=lines, animate=False)

    def action_show_answer(self) -> None:
        # ctrl+s is a priority binding: it may be read while the answer box still has keys typed before it to handle
        after_queued_keys(self, self._show_answer)

    def _show_answer(self) -> None:
        question = self.question
        if question is None or self.is_answered:
            return
        if question.kind == "open":
            self._reveal_open()
        elif question.kind in TYPED or question.kind in {"choice", "code"}:
            self._show_outcome(self.session.show_answer())  # a miss: one who does not know need not guess
        else:
            self.action_reveal()

    def action_reveal(self) -> None:
        question = self.question
        if question is None or self.is_answered or question.auto_checked:
            return
        if question.kind == "open":
            self._reveal_open()
            return
        self.panel.reveal()
        self.answered()
        self.refresh_bindings()

    def action_submit(self) -> None:
        question = self.question
        if question is None:
            return
        if self.is_answered:
            self.submit_answered()
        elif question.kind == "choice":
            self._show_outcome(self.session.check_choice(frozenset(self.query_one(ChoiceList).chosen)))
        elif question.kind == "code":
            code = self._drill_draft if self._drill_draft is not None else self.drill_code()
            self.app.open_drill(question.drill, code, self._drill_closed, self.drill_clock())
        elif not question.auto_checked:
            self.action_reveal()

    def _drill_closed(self, closed) -> None:
        """Back from the drill editor (a `DrillClosed`): its last check is this question's answer (none: still
        unanswered, and the editor opens again with the code as it was left)."""
        self._drill_draft = closed.code
        attempt = closed.attempt
        if attempt is not None and self.question is not None and not self.is_answered:
            self._show_outcome(self.session.code_checked(attempt.code, attempt.correct, attempt.verdict.headline,
                                                         closed.checked_at, closed.checks))

    def action_number(self, number: int) -> None:
        question = self.question
        if question is None:
            return
        if self.is_answered:
            self.number_answered(number)
        elif question.kind == "choice":
            self.query_one(ChoiceList).toggle(number - 1)

    def _reveal_open(self) -> None:
        """Stop the clock; show the key points (none ticked, the typed answer's keyword matches marked) and the
        model answer."""
        outcome = self.session.reveal_open(self.panel.typed_answer)
        if self.OPEN_TIMER:
            self.query_one(OpenTimer).stop()
        self.panel.reveal_open(outcome)
        self.answered()
        self.refresh_bindings()
        self.call_after_refresh(self._keep_in_view, "#key-points")

    def on_key_point_list_changed(self, event: KeyPointList.Changed) -> None:
        event.stop()
        if self.is_answered:
            self.points_changed(event.ticked)

    def on_choice_list_toggled(self, event: ChoiceList.Toggled) -> None:
        self.query_one(ChoiceList).toggle(event.index)

    def on_input_submitted(self, event) -> None:
        event.stop()
        if self.is_answered:
            self.submit_answered()
            return
        if not event.value.strip():
            self._empty_enters += 1
            if self._empty_enters >= 2:
                self._show_outcome(self.session.show_answer())
            else:
                self.notify("Type your answer, or press Enter again to see it (counted as a miss).",
                            title="No answer yet", timeout=4)
            return
        self._show_outcome(self.session.check(event.value))

    def _show_outcome(self, outcome: Outcome) -> None:
        if outcome.status == "invalid":
            if self.question is not None and self.question.kind == "choice":
                self.notify(f"Press an option's number first, then {action_key(self, 'submit')} (or "
                            f"{action_key(self, 'show_answer')} to see the answer, counted as a miss).",
                            severity="warning")
            else:
                self.notify(outcome.message, severity="warning")  # it says what was wrong: no title to repeat it
            return
        self.panel.show_outcome(outcome)
        self.set_focus(None)
        self.answered()
        self.refresh_bindings()
        self.call_after_refresh(self._keep_answer_in_view)
