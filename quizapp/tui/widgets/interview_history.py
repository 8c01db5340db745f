"""Past interviews: a bar per interview (its score), the latest few listed with their date; on a screen too short
for the chart, one row of small bars instead."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from rich.text import Text
from textual.widgets import Static

from quizapp.plural import counted
from quizapp.study.interview import PastInterview
from quizapp.tui.widgets.bar_chart import BLOCKS, render_bars

__all__ = ["InterviewHistory"]

SHOWN = 20  # bars at most, the newest


class InterviewHistory(Static):
    def __init__(self, past: Sequence[PastInterview], tz: tzinfo, **kwargs) -> None:
        super().__init__(history_text(past, tz), **kwargs)
        self.past, self.tz = past, tz

    def fit(self, rows: int) -> None:
        """Show the chart if it fits in `rows`, else its two-row summary (at 80x24 the set-up leaves about 3)."""
        chart = history_text(self.past, self.tz)
        self.update(chart if len(chart.plain.splitlines()) <= rows else history_summary(self.past, self.tz))


def history_text(past: Sequence[PastInterview], tz: tzinfo) -> Text:
    if not past:
        return _NONE_YET.copy()
    shown = list(past)[-SHOWN:]
    order = "oldest to newest" if len(past) > 1 else "a trend shows from the second interview"
    latest = f", the latest {len(shown)} in the chart" if len(shown) < len(past) else ""
    text = Text.assemble(("Past interviews", "bold"), f" ({len(past)}{latest}): score in %, {order}\n")
    text.append_text(render_bars([round(100 * p.score) for p in shown],
                                 [f"{p.started.astimezone(tz):%d}" for p in shown], height=4, colour="green",
                                 top=100))
    latest = shown[-1]
    text.append(f"\n{_latest_line(latest, tz)}", style="dim")
    return text


def history_summary(past: Sequence[PastInterview], tz: tzinfo) -> Text:
    """The chart in two rows: a bar of one character per interview (0 to 100%), then the latest."""
    if not past:
        return _NONE_YET.copy()
    shown = list(past)[-SHOWN:]
    bars = "".join(BLOCKS[max(1, round(8 * p.score))] for p in shown)  # the lowest bar still shows
    latest = f", the latest {len(shown)}" if len(shown) < len(past) else ""
    text = Text.assemble(("Past interviews", "bold"), f" ({len(past)}{latest}): ", (bars, "green"),
                         " oldest to newest" if len(shown) > 1 else "")
    text.append(f"\n{_latest_line(shown[-1], tz)}", style="dim")
    return text


def _latest_line(latest: PastInterview, tz: tzinfo) -> str:
    return (f"Latest {latest.started.astimezone(tz):%Y-%m-%d %H:%M}: {latest.score:.0%} over "
            f"{counted(latest.questions, 'question')}")


_NONE_YET = Text("No interviews yet: your scores and their trend will show here.", style="dim")
