"""A calendar heatmap of reviews per day: weeks as columns, weekdays as rows, darker = more."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.widgets import Static

__all__ = ["Heatmap"]

SHADES = ("grey23", "dark_green", "green4", "green3", "bright_green")
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


class Heatmap(Static):
    def show(self, per_day: dict[str, int], today: date, weeks: int = 26) -> None:
        self.update(render_heatmap(per_day, today, weeks))


def render_heatmap(per_day: dict[str, int], today: date, weeks: int) -> Text:
    start = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    peak = max(per_day.values(), default=0)
    text = Text()
    months = "    "
    for week in range(weeks):
        first = start + timedelta(days=7 * week)
        months += first.strftime("%b")[:2] if first.day <= 7 else "  "
    text.append(months.rstrip() + "\n", style="dim")
    for weekday in range(7):
        text.append(f"{WEEKDAYS[weekday]:<4}", style="dim")
        for week in range(weeks):
            day = start + timedelta(days=7 * week + weekday)
            if day > today:
                text.append("  ")
                continue
            count = per_day.get(day.isoformat(), 0)
            level = 0 if count == 0 else 1 + min(3, int(3 * count / max(peak, 1)))
            text.append("■ ", style=SHADES[level])
        text.append("\n")
    text.append("     less ", style="dim")
    for shade in SHADES:
        text.append("■ ", style=shade)
    text.append("more", style="dim")
    return text
