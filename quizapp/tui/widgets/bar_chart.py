"""Vertical bars in text: one column per value, labelled below, scaled to the tallest bar."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

__all__ = ["BarChart"]

BLOCKS = " ▁▂▃▄▅▆▇█"


class BarChart(Static):
    def show(self, values: list[int], labels: list[str], height: int = 6, colour: str = "cyan") -> None:
        self.update(render_bars(values, labels, height, colour))


def render_bars(values: list[int], labels: list[str], height: int, colour: str) -> Text:
    peak = max(values, default=0)
    text = Text()
    text.append(f"max {peak}\n", style="dim")
    for level in range(height, 0, -1):
        for value in values:
            eighths = 0 if peak == 0 else round(8 * height * value / peak)
            fill = min(max(eighths - 8 * (level - 1), 0), 8)
            text.append(BLOCKS[fill] * 2 + " ", style=colour)
        text.append("\n")
    text.append("".join(f"{label[:2]:<3}" for label in labels), style="dim")
    return text
