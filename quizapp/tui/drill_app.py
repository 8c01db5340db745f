"""`quizapp drill KEY --edit`: the drill screen on its own, for practising one drill outside review."""

from __future__ import annotations

from textual.app import App

from quizapp.drills.task import Attempt, DrillTask
from quizapp.tui.screens.drill import DrillClosed, DrillScreen

__all__ = ["DrillApp", "run_drill"]


class DrillApp(App[Attempt | None]):
    """One DrillScreen; the app's return value is the last checked attempt."""

    TITLE = "quizapp"
    CSS_PATH = "app.tcss"  # the main app's look: the title bar, the footer

    def __init__(self, task: DrillTask, code: str | None = None, *, seed: int = 0) -> None:
        super().__init__()
        self.drill = task
        self.code = code
        self.seed = seed

    def on_mount(self) -> None:
        self.push_screen(DrillScreen(self.drill, self.code, seed=self.seed), self._drill_closed)

    def _drill_closed(self, closed: DrillClosed) -> None:
        self.exit(closed.attempt)


def run_drill(task: DrillTask, code: str | None = None, *, seed: int = 0) -> Attempt | None:
    return DrillApp(task, code, seed=seed).run()
