"""A calendar heatmap of answers per day: weeks as columns, weekdays as rows, darker = more.

Not colour only: the arrow keys select a day and the line under the calendar gives its date and count, and
the legend says how many answers each shade stands for. Answers, as the stats screen's heading says (review,
quiz and cram): calling them reviews put "77 reviews" under "Today 65 reviews (scheduled)".
"""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import Static

from quizapp.plural import counted

__all__ = ["Heatmap", "levels", "render_heatmap"]

SHADES = ("grey23", "dark_green", "green4", "green3", "bright_green")
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
LABEL_WIDTH = 4
CELL_WIDTH = 2


class Heatmap(Static, can_focus=True):
    BINDINGS = [
        Binding("left", "move(-7)", "Week before", show=False, id="heatmap.week-before"),
        Binding("right", "move(7)", "Week after", show=False, id="heatmap.week-after"),
        Binding("up", "move(-1)", "Day before", show=False, id="heatmap.day-before"),
        Binding("down", "move(1)", "Day after", show=False, id="heatmap.day-after"),
        Binding("home", "jump_first", "First day", show=False, id="heatmap.first"),
        Binding("end", "jump_today", "Today", show=False, id="heatmap.today"),
    ]

    selected: reactive[date | None] = reactive(None)

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.per_day: dict[str, int] = {}
        self.today = date.today()
        self.weeks = 26

    def show(self, per_day: dict[str, int], today: date, weeks: int = 26) -> None:
        self.per_day, self.today, self.weeks = per_day, today, weeks
        self.selected = today
        self._draw()

    @property
    def first_day(self) -> date:
        return _start(self.today, self.weeks)

    def watch_selected(self) -> None:
        self._draw()

    def watch_has_focus(self) -> None:
        self._draw()  # the key hint shows while the calendar has focus

    def action_move(self, days: int) -> None:
        if self.selected is not None:
            self.selected = min(self.today, max(self.first_day, self.selected + timedelta(days=days)))

    def action_jump_first(self) -> None:
        self.selected = self.first_day

    def action_jump_today(self) -> None:
        self.selected = self.today

    def _draw(self) -> None:
        if self.is_mounted:
            self.update(render_heatmap(self.per_day, self.today, self.weeks, self.selected,
                                       hint=self.has_focus))


def levels(peak: int) -> list[tuple[int, int | None]]:
    """The count range of each shade after the first (no reviews): (low, high), high None for "or more".

    Four equal steps up to the busiest day, fewer when the busiest day had fewer than four reviews.
    """
    if peak <= 0:
        return [(1, None)]
    bounds = sorted({max(1, -(-peak * step // 4)) for step in range(1, 5)})  # ceil(peak * step / 4)
    ranges, low = [], 1
    for high in bounds:
        ranges.append((low, high))
        low = high + 1
    return ranges


def render_heatmap(per_day: dict[str, int], today: date, weeks: int, selected: date | None = None,
                   *, hint: bool = False) -> Text:
    start = _start(today, weeks)
    ranges = levels(max(per_day.values(), default=0))
    text = Text()
    text.append(_month_row(start, weeks, today) + "\n", style="dim")
    for weekday in range(7):
        text.append(f"{WEEKDAYS[weekday]:<{LABEL_WIDTH}}", style="dim")
        for week in range(weeks):
            day = start + timedelta(days=7 * week + weekday)
            if day > today:
                text.append(" " * CELL_WIDTH)
                continue
            shade = SHADES[_level(per_day.get(day.isoformat(), 0), ranges)]
            if day == selected:
                text.append("■", style=f"{shade} reverse")
                text.append(" ")
            else:
                text.append("■ ", style=shade)
        text.append("\n")
    text.append(" " * LABEL_WIDTH + "answers a day: ", style="dim")
    text.append("■", style=SHADES[0])
    text.append(" 0  ", style="dim")
    for index, (low, high) in enumerate(ranges, start=1):
        text.append("■", style=SHADES[index])
        label = f"{low}+" if high is None else (str(low) if low == high else f"{low}–{high}")
        text.append(f" {label}  ", style="dim")
    text.rstrip()
    if selected is not None:
        count = per_day.get(selected.isoformat(), 0)
        text.append("\n" + " " * LABEL_WIDTH)
        text.append(f"{selected:%a} {selected.day} {selected:%b %Y}: ", style="bold")
        text.append(f"{counted(count, 'answer')}")
        if hint:
            text.append("   ← → week, ↑ ↓ day", style="dim")
    return text


def _start(today: date, weeks: int) -> date:
    return today - timedelta(days=today.weekday() + 7 * (weeks - 1))


def _level(count: int, ranges: list[tuple[int, int | None]]) -> int:
    if count <= 0:
        return 0
    for index, (_low, high) in enumerate(ranges, start=1):
        if high is None or count <= high:
            return index
    return len(ranges)


def _month_row(start: date, weeks: int, today: date) -> str:
    """Three-letter month names over the week that holds each month's first day, when there is room. The last
    column's name ends at the grid's right edge (one cell to its left), so the current month is named even when
    it began this week (on 5 December the last column holds 1-5 December and no "Dec" was shown)."""
    row = " " * LABEL_WIDTH
    end = LABEL_WIDTH + CELL_WIDTH * weeks
    waiting: date | None = None
    for week in range(weeks):
        first = start + timedelta(days=7 * week)
        last = min(first + timedelta(days=6), today)  # the last column ends today
        if week == 0:  # the first column is labelled only if its month goes on past the next column
            month = first if (first + timedelta(days=7)).month == first.month else None
        else:
            month = last if last.day <= (last - first).days + 1 else None  # the 1st of its month is here
        month = month or waiting
        column = min(LABEL_WIDTH + CELL_WIDTH * week, end - 3)
        waiting = None
        if month is not None:
            if len(row) < column + (week == 0):
                row = row.ljust(column) + month.strftime("%b")
            else:  # no room yet: over the next column, still in that month
                waiting = month if week + 1 < weeks and (last + timedelta(days=7)).month == month.month else None
    return row.rstrip()
