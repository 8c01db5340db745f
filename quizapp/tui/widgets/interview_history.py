"""Past interviews: a bar per interview (its score), the latest few listed with their date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from rich.text import Text
from textual.widgets import Static

from quizapp.plural import counted
from quizapp.study.interview import PastInterview
from quizapp.tui.widgets.bar_chart import render_bars

__all__ = ["InterviewHistory"]

SHOWN = 20  # bars at most, the newest


class InterviewHistory(Static):
    def __init__(self, past: Sequence[PastInterview], tz: tzinfo, **kwargs) -> None:
        super().__init__(history_text(past, tz), **kwargs)


def history_text(past: Sequence[PastInterview], tz: tzinfo) -> Text:
    if not past:
        return Text("No interviews yet: your scores and their trend will show here.", style="dim")
    shown = list(past)[-SHOWN:]
    order = "oldest to newest" if len(past) > 1 else "a trend shows from the second interview"
    latest = f", the latest {len(shown)} in the chart" if len(shown) < len(past) else ""
    text = Text.assemble(("Past interviews", "bold"), f" ({len(past)}{latest}): score in %, {order}\n")
    text.append_text(render_bars([round(100 * p.score) for p in shown],
                                 [f"{p.started.astimezone(tz):%d}" for p in shown], height=4, colour="green",
                                 top=100))
    latest = shown[-1]
    text.append(f"\nLatest {latest.started.astimezone(tz):%Y-%m-%d %H:%M}: {latest.score:.0%} over "
                f"{counted(latest.questions, 'question')}", style="dim")
    return text
