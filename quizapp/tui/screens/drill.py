"""A coding drill on its own screen: the CodeDrill widget, a title and the footer.

Opened with a :class:`DrillTask` and, optionally, the code to start from. Closing it (`escape` outside
the editor) dismisses with a :class:`DrillClosed`: the last :class:`Attempt` (None if nothing was checked),
for the caller to record and rate (``attempt.verdict.suggested_rating``), when it was checked, and the
editor's text as it was left, checked or not, to open with next time.
In a mock interview it is given the interview's clock line, kept in view and redrawn every second, and
offers no model solution until the code passes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from quizapp.drills.task import Attempt, DrillTask
from quizapp.study.clock import Clock
from quizapp.tui.widgets.code_drill import CodeDrill
from quizapp.tui.widgets.title_bar import TitleBar

__all__ = ["DrillClosed", "DrillScreen"]


@dataclass(frozen=True, slots=True)
class DrillClosed:
    attempt: Attempt | None  # the last check, None if there was none
    checked_at: datetime | None  # when, by the clock given to the screen (None without one)
    code: str  # the editor's text as it was left
    checks: int = 0  # how many times the code was checked while the screen was open


class DrillScreen(Screen[DrillClosed]):
    CSS_PATH = "drill.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="drill.close")]

    def __init__(self, task: DrillTask, code: str | None = None, *, seed: int = 0,
                 interview_clock: Callable[[], Content] | None = None, clock: Clock | None = None) -> None:
        super().__init__()
        self.drill = task
        self.code = code
        self.seed = seed
        self.interview_clock = interview_clock
        self.clock = clock
        self.attempt: Attempt | None = None
        self.checked_at: datetime | None = None  # of `attempt`
        self.checks = 0

    def compose(self) -> ComposeResult:
        yield TitleBar()
        if self.interview_clock is not None:
            yield Static(self.interview_clock(), id="drill-clock")
        yield CodeDrill(self.drill, self.code, seed=self.seed, offer_solution=self.interview_clock is None)
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Drill — {self.drill.title}"
        self.sub_title = self.drill.key
        if self.interview_clock is not None:
            self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        self.query_one("#drill-clock", Static).update(self.interview_clock())

    def on_code_drill_checked(self, message: CodeDrill.Checked) -> None:
        self.attempt = message.attempt
        self.checks += 1
        self.checked_at = self.clock.now() if self.clock is not None else None

    def action_close(self) -> None:
        self.dismiss(DrillClosed(self.attempt, self.checked_at, self.query_one(CodeDrill).code, self.checks))
