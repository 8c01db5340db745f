"""Vertical bars in text: one column per value, labelled below, scaled to the tallest bar."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

__all__ = ["BarChart"]

BLOCKS = " ▁▂▃▄▅▆▇█"


class BarChart(Static):
    def show(self, values: list[int], labels: list[str], height: int = 6, colour: str = "cyan", width: int = 2) -> None:
        self.update(render_bars(values, labels, height, colour, width))


def render_bars(values: list[int], labels: list[str], height: int, colour: str, width: int = 2,
                top: int | None = None) -> Text:
    """`width` columns per bar plus a gap; a label is printed under every bar that has room for it. The bars are
    scaled to the tallest, or to `top` when given (a score out of 100: 20% stays a short bar)."""
    peak = max(values, default=0) if top is None else top
    text = Text()
    text.append(f"max {peak}\n" if top is None else f"scale 0 to {top}\n", style="dim")
    for level in range(height, 0, -1):
        for value in values:
            eighths = 0 if peak == 0 else round(8 * height * value / peak)
            fill = min(max(eighths - 8 * (level - 1), 0), 8)
            text.append(BLOCKS[fill] * width + " ", style=colour)
        text.append("\n")
    step = max(1, -(-3 // (width + 1)))  # every bar when a label fits under it, else every few
    axis = ""
    for index, label in enumerate(labels):
        if index % step == 0:
            axis = axis.ljust(index * (width + 1)) + label[:2]
    text.append(axis, style="dim")
    return text
