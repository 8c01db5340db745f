"""The mock interview: one question at a time, its follow-ups until a miss, two countdowns always in view.

Dismissed with the session when the interview ends (every chain asked, the clock ran out, or Escape), so the
app can show its report.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Footer, Static

from quizapp.interview_report import clock_time, result_text
from quizapp.safetext import visible
from quizapp.study.interview import MAX_DEPTH, InterviewSession
from quizapp.study.questions import Question
from quizapp.tui.screens.question import QuestionScreen, question_bindings
from quizapp.tui.widgets.key_points import KeyPointList
from quizapp.tui.widgets.open_timer import OpenTimer
from quizapp.tui.widgets.question_panel import QuestionPanel
from quizapp.tui.widgets.title_bar import TitleBar

__all__ = ["InterviewScreen"]

TICK_SECONDS = 1.0


class InterviewScreen(QuestionScreen[InterviewSession]):
    CSS_PATH = ["question.tcss", "interview.tcss"]
    BINDINGS = [
        *question_bindings("interview", submit="Submit / next"),
        Binding("y", "grade(True)", "Knew it", id="interview.knew"),
        Binding("n", "grade(False)", "Missed it", id="interview.missed"),
        Binding("r", "record_points", "Record the points", id="interview.record-points"),
        Binding("escape", "finish", "End interview", id="interview.finish"),
    ]

    def __init__(self, session: InterviewSession, *, title: str = "Mock interview") -> None:
        super().__init__()
        self.session = session
        self.screen_title = title
        self.shown: Question | None = session.current  # stays on screen after it is answered, until Enter
        self.depth = session.depth
        self.chain = session.chain_number
        self.recorded = False  # the shown question's answer is recorded and recorded

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="interview-clock")
        yield OpenTimer(id="open-timer")  # an open question's own countdown, as review and quiz show it
        yield QuestionPanel(id="question")
        yield Static("", id="interview-next")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.screen_title
        starts = len(self.session.starts)
        self.sub_title = f"{starts} starting question{'s' * (starts != 1)} · {self.session.minutes} min"
        self.set_interval(TICK_SECONDS, self.tick)
        self._next()

    # --- the countdowns ----------------------------------------------------------------------------

    def tick(self) -> None:
        """Redraw both countdowns from the session's clock (injected: tests move it by hand)."""
        session = self.session
        whole = session.time_left().total_seconds()
        parts: list[tuple[str, str] | str] = [("Interview ", "bold"), (clock_time(max(whole, 0)),
                                                                     "bold red" if whole <= 60 else "bold")]
        if self.shown is not None and not self.recorded and self.shown.kind != "open":  # open: the OpenTimer
            left = session.question_time_left().total_seconds()
            style = "bold red" if left <= 0 else "bold yellow" if left <= 15 else "bold"
            parts += ["  ·  Question ", (clock_time(left) if left > 0 else f"over by {clock_time(-left)}", style)]
        chain, chains = self.chain
        if session.follows:
            parts += [f"  ·  Chain {chain} of {chains}  ·  ", ("Depth ", "bold"),
                      ("●" * self.depth + "○" * (MAX_DEPTH - self.depth), "bold cyan")]
        else:
            parts.append(f"  ·  Card {chain} of {chains}")
        if whole <= 0:
            parts += ["  ·  ", ("time is up: this is the last question", "bold red")]
        self.query_one("#interview-clock", Static).update(Content.assemble(*parts))

    # --- the question screen's parts -----------------------------------------------------------------

    @property
    def question(self) -> Question | None:
        return self.shown

    def answered(self) -> None:
        shown = self.shown
        if shown is not None and shown.kind == "open" and not self.recorded:
            self._points_hint(self.query_one(KeyPointList).ticked)
            return
        if shown is not None and shown.self_graded and not self.recorded:
            self._hint("Did you know it? [b]y[/] yes · [b]n[/] no")
            return
        self._show_verdict()

    def submit_answered(self) -> None:
        if self.recorded:
            self._next()

    def points_changed(self, ticked: frozenset[int]) -> None:
        if not self.recorded:
            self._points_hint(ticked)

    def _points_hint(self, ticked: frozenset[int]) -> None:
        self._hint(self.points_hint(ticked))

    def action_record_points(self) -> None:
        if not self.check_action("record_points", ()):
            return
        self.record_points()
        self._show_verdict()

    def _show_verdict(self) -> None:
        self.recorded = True
        last = self.session.last
        more = "results" if self.session.finished else "next question"
        if last is not None:
            late = " · over time" if last.over_time else ""
            verdict = Content.assemble((visible(result_text(last)), "bold"),
                                       f" in {clock_time(last.seconds)}{late}  ·  ", ("Enter", "bold"),
                                       f" for the {more}")
            self.query_one("#interview-next", Static).update(verdict)
        self.tick()
        self.set_focus(None)
        self.refresh_bindings()

    def _hint(self, markup: str) -> None:
        self.query_one("#interview-next", Static).update(markup)  # fixed text of ours: markup is safe here

    def _next(self) -> None:
        self.shown = self.session.current
        self.depth = self.session.depth
        self.chain = self.session.chain_number
        self.recorded = False
        if self.shown is None:
            self.action_finish()
            return
        hint = {"open": "Answer aloud or type; ctrl+s shows the model answer and the key points"}.get(
            self.shown.kind, "Space shows the answer" if not self.shown.auto_checked else "Enter submits")
        self._hint(f"[dim]{hint}[/]")
        note = "follow-up" if self.depth > 1 else ""
        self.session.start_clock()
        self.show_question(self.shown, note=note)
        self.tick()

    def action_grade(self, knew_it: bool) -> None:
        if not self.check_action("grade", ()):
            return
        self.session.self_grade(knew_it)
        self._show_verdict()

    def action_finish(self) -> None:
        if not self.session.finished:
            self.session.finish()
        self.dismiss(self.session)
