"""Four rating buttons, each showing the interval it would give: Again 1m · Hard 6m · Good 10m · Easy 3d."""

from __future__ import annotations

from datetime import timedelta

from fsrs import Rating
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from quizapp.study.scheduling import RATINGS, format_interval

__all__ = ["RatingBar"]


class RatingBar(Horizontal):
    class Rated(Message):
        def __init__(self, rating: Rating) -> None:
            super().__init__()
            self.rating = rating

    def compose(self) -> ComposeResult:
        for rating in RATINGS:
            yield Button(f"{int(rating)} {rating.name}", id=f"rate-{rating.name.lower()}", classes="rating")

    def set_intervals(self, intervals: dict[Rating, timedelta], suggested: Rating | None) -> None:
        for rating in RATINGS:
            button = self.query_one(f"#rate-{rating.name.lower()}", Button)
            interval = f" · {format_interval(intervals[rating])}" if rating in intervals else ""
            button.label = f"{int(rating)} {rating.name}{interval}"
            button.variant = "primary" if rating == suggested else "default"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        name = (event.button.id or "").removeprefix("rate-").capitalize()
        self.post_message(self.Rated(Rating[name]))
