"""The interview's report: per question, per chain and per topic, the cards to revisit, past interviews.

Dismissed with the keys to revisit when the user asks to review them (r), else with None.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer

from quizapp.interview_report import report_markdown
from quizapp.study.interview import InterviewSession, past_interviews
from quizapp.tui.services import Services
from quizapp.tui.widgets.interview_history import InterviewHistory
from quizapp.tui.widgets.markdown_card import MarkdownCard
from quizapp.tui.widgets.title_bar import TitleBar

__all__ = ["InterviewReportScreen"]


class InterviewReportScreen(Screen[list[str] | None]):
    CSS_PATH = "interview.tcss"
    BINDINGS = [
        Binding("r", "revisit", "Review the cards to revisit", id="interview-report.revisit"),
        Binding("escape", "dismiss", "Home", id="interview-report.home"),
    ]

    def __init__(self, services: Services, session: InterviewSession) -> None:
        super().__init__()
        self.services = services
        self.report = session.report()
        self.markdown = report_markdown(self.report, services.clock.tz)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="report"):
            yield MarkdownCard(self.markdown, id="report-text")
            yield InterviewHistory(past_interviews(self.services.store), self.services.clock.tz, id="report-history")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Interview report"
        self.sub_title = f"score {self.report.score:.0%}" if self.report.answers else "nothing answered"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "revisit":
            return bool(self.report.to_revisit)
        return True

    def action_revisit(self) -> None:
        if self.report.to_revisit:
            self.dismiss(list(self.report.to_revisit))
