"""A coding drill on its own screen: the CodeDrill widget, a title and the footer.

Opened with a :class:`DrillTask` and, optionally, the code of the last attempt. Closing it (`escape`
outside the editor) dismisses with the last :class:`Attempt` (None if nothing was checked), so the
caller can record it in the review log and suggest a rating (``attempt.verdict.suggested_rating``).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from quizapp.drills.task import Attempt, DrillTask
from quizapp.tui.widgets.code_drill import CodeDrill
from quizapp.tui.widgets.title_bar import TitleBar

__all__ = ["DrillScreen"]


class DrillScreen(Screen[Attempt | None]):
    BINDINGS = [Binding("escape", "close", "Close", id="drill.close")]

    def __init__(self, task: DrillTask, code: str | None = None, *, seed: int = 0) -> None:
        super().__init__()
        self.drill = task
        self.code = code
        self.seed = seed
        self.attempt: Attempt | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield CodeDrill(self.drill, self.code, seed=self.seed)
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Drill — {self.drill.title}"
        self.sub_title = self.drill.key

    def on_code_drill_checked(self, message: CodeDrill.Checked) -> None:
        self.attempt = message.attempt

    def action_close(self) -> None:
        self.dismiss(self.attempt)
