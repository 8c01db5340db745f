"""The mock interview: one question at a time, its follow-ups until a miss, two countdowns always in view
(the interview's and the question's, on one line whatever the question's type).

Dismissed with the session when the interview ends (every chain asked, the clock ran out, or Escape), so the
app can show its report.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Footer, Static

from quizapp.interview_report import result_text, what_is_asked
from quizapp.safetext import visible
from quizapp.study.interview import MAX_DEPTH, InterviewSession
from quizapp.study.questions import Question, clock_time, countdown
from quizapp.tui.keys import action_key
from quizapp.tui.screens.judged import JudgedQuestionScreen, judged_bindings
from quizapp.tui.widgets.question_panel import QuestionPanel
from quizapp.tui.widgets.title_bar import TitleBar

__all__ = ["InterviewScreen"]

TICK_SECONDS = 1.0


class InterviewScreen(JudgedQuestionScreen[InterviewSession]):
    CSS_PATH = ["question.tcss", "interview.tcss"]
    BINDINGS = judged_bindings("interview", finish="End interview")
    HINT = "#interview-next"
    OPEN_TIMER = False  # every question's countdown is on the clock line

    def __init__(self, session: InterviewSession, *, title: str = "Mock interview") -> None:
        super().__init__(session)
        self.screen_title = title
        self.depth = session.depth
        self.chain = session.chain_number
        self.in_drills = session.in_drills

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="interview-clock")
        yield QuestionPanel(id="question")
        yield Static("", id="interview-next")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.screen_title
        session = self.session
        self.sub_title = " · ".join([*what_is_asked(session), f"{session.minutes} min"])
        self.set_interval(TICK_SECONDS, self.tick)
        self.next_question()

    # --- the countdowns ----------------------------------------------------------------------------

    def tick(self) -> None:
        """Redraw both countdowns from the session's clock (injected: tests move it by hand)."""
        self.query_one("#interview-clock", Static).update(self.clock_line())

    def clock_line(self) -> Content:
        """The interview's countdown, the question's, and where the interview is."""
        session = self.session
        whole = session.time_left().total_seconds()
        parts: list[tuple[str, str] | str] = [("Interview ", "bold"), (countdown(max(whole, 0)),
                                                                     "bold red" if whole <= 60 else "bold")]
        if self.shown is not None and not self.recorded:
            left = session.question_time_left().total_seconds()
            style = "bold red" if left <= 0 else "bold yellow" if left <= 15 else "bold"
            parts += ["  ·  Question ", (countdown(left) if left > 0 else f"over by {clock_time(-left)}", style)]
            if session.question_time_cut():  # its own limit is longer than the interview has left
                parts.append(" (cut to the time left)")
        chain, chains = self.chain
        if self.in_drills:
            parts.append(f"  ·  Coding drill {chain} of {chains}")
        elif session.follows:
            parts += [f"  ·  Chain {chain} of {chains}  ·  ", ("Depth ", "bold"),
                      ("●" * self.depth + "○" * (MAX_DEPTH - self.depth), "bold cyan")]
        else:
            parts.append(f"  ·  Card {chain} of {chains}")
        if whole <= 0:
            parts += ["  ·  ", ("time is up: this is the last question", "bold red")]
        return Content.assemble(*parts)

    def drill_clock(self):
        return self.clock_line

    # --- the judged screen's parts -------------------------------------------------------------------

    def ask(self, question: Question) -> None:
        self.depth = self.session.depth
        self.chain = self.session.chain_number
        self.in_drills = self.session.in_drills
        self.session.start_clock()
        self.show_question(question, note="follow-up" if self.depth > 1 else "")
        self.tick()

    def show_recorded(self) -> None:
        last = self.session.last
        if last is not None:
            late = " · over time" if last.over_time else ""
            verdict = Content.assemble((visible(result_text(last)), "bold"),
                                       f" in {clock_time(last.seconds)}{late}  ·  ", (action_key(self, "submit"), "bold"),
                                       f" for the {self.what_follows}")
            self.hint(verdict)
        self.tick()

    def action_finish(self) -> None:
        if not self.session.finished:
            self.session.finish()
        super().action_finish()
