"""Today at a glance: a row of figures, each in a rounded box with its label under it.

One widget drawn line by line rather than a container of bordered Statics: it is on the first screen, and
every widget there adds to the time before quizapp is ready.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from quizapp.safetext import one_line
from quizapp.tui.cut import cut

__all__ = ["Glance"]

GAP = 2  # cells between boxes


class Glance(Widget):
    COMPONENT_CLASSES = {"glance--border", "glance--value", "glance--label"}

    def __init__(self, figures: list[tuple[str, str]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.figures = figures

    def show(self, figures: list[tuple[str, str]]) -> None:
        """New (value, label) pairs, drawn left to right."""
        self.figures = figures
        self.refresh()

    def get_content_height(self, container, viewport, width: int) -> int:
        return 4

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if not self.figures or y > 3:
            return Strip.blank(width, self.rich_style)
        base = self.rich_style
        border = base + self.get_component_rich_style("glance--border")
        styles = (base + self.get_component_rich_style("glance--value"),
                  base + self.get_component_rich_style("glance--label"))
        segments: list[Segment] = []
        for index, (left, inner) in enumerate(_boxes(width, len(self.figures))):
            if index:
                segments.append(Segment(" " * GAP, base))
            segments.extend(_box_line(y, inner, self.figures[index], border, base, styles))
        return Strip(segments).adjust_cell_length(width, base)


def _boxes(width: int, count: int) -> list[tuple[int, int]]:
    """(start, inner width) of each box, sharing the width as evenly as whole cells allow."""
    usable = max(0, width - GAP * (count - 1))
    widths = [usable // count + (1 if i < usable % count else 0) for i in range(count)]
    starts = [sum(widths[:i]) + GAP * i for i in range(count)]
    return [(start, max(0, size - 2)) for start, size in zip(starts, widths)]


def _box_line(y: int, inner: int, figure: tuple[str, str], border: Style, base: Style,
              styles: tuple[Style, Style]) -> list[Segment]:
    if y == 0:
        return [Segment("╭" + "─" * inner + "╮", border)]
    if y == 3:
        return [Segment("╰" + "─" * inner + "╯", border)]
    text = cut(one_line(figure[y - 1]), inner)
    left = (inner - cell_len(text)) // 2
    right = inner - left - cell_len(text)
    # The padding in the plain style, apart from the text, so that every renderer starts the text at its column.
    return [Segment("│", border), Segment(" " * left, base), Segment(text, styles[y - 1]),
            Segment(" " * right, base), Segment("│", border)]
