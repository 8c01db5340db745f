"""The countdown of an open question: from its time limit to zero, then the overtime in the warning colour.

It never stops the user: at zero it keeps counting, and the answer is revealed only when they ask.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

from quizapp.study.clock import Clock
from quizapp.study.questions import clock_time, time_left
from quizapp.tui.keys import action_key

__all__ = ["OpenTimer"]


class OpenTimer(Static):
    """`start(clock, started, limit)`, then it redraws itself twice a second until `stop()`."""

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self._clock: Clock | None = None
        self._started: datetime | None = None
        self._limit = 0
        self._ticker: Timer | None = None
        self.running = False

    def start(self, clock: Clock, started: datetime, limit: int) -> None:
        self._clock, self._started, self._limit = clock, started, limit
        self.running = True
        if self._ticker is None:
            self._ticker = self.set_interval(0.5, self.tick)
        self._ticker.resume()
        self.tick()

    def stop(self) -> None:
        """Freeze at the time taken (the answer has been revealed)."""
        if not self.running:
            return
        self.running = False
        if self._ticker is not None:
            self._ticker.pause()
        elapsed = self.elapsed
        over = elapsed > self._limit
        self.set_class(over, "-over")
        past = f", {clock_time(elapsed - self._limit)} over" if over else ""
        self.update(Text(f"⏱ took {clock_time(elapsed)} of {clock_time(self._limit)}{past}"))

    @property
    def elapsed(self) -> float:
        if self._clock is None or self._started is None:
            return 0.0
        return max((self._clock.now() - self._started).total_seconds(), 0.0)

    def tick(self) -> None:
        """Redraw the time left (or past the limit) now."""
        if not self.running:
            return
        text, over = time_left(self._limit, self.elapsed)
        self.set_class(over, "-over")
        limit = clock_time(self._limit)
        words = (f"⏱ {text} the {limit} limit: keep going, {action_key(self.screen, 'show_answer')} when done" if over
                 else f"⏱ {text} of {limit}")
        self.update(Text(words))
