"""Lines of figures ("Today 2 reviews · 5 due · streak 3 days"), each wrapped only between its groups.

Rich and Textual break a line at any space (a no-break space too: they break at `\\s`), and at 100 columns
the stats screen's first line ended in "streak" with "0 days" on the next. Here a line is its groups, joined
by " · " where they fit; a group that does not starts the next line, indented, and is never broken unless it
is wider than a whole line by itself (then it wraps at its spaces).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

__all__ = ["FigureLines"]

SEPARATOR = " · "
INDENT = "  "  # a group carried over to the next line


class FigureLines(Widget):
    DEFAULT_CSS = """
    FigureLines {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[list[Content]] = []

    def show(self, lines: Sequence[Sequence[Content | str]]) -> None:
        """`lines`, each a sequence of groups: Content, or a str shown as text (never markup)."""
        self.lines = [[Content(group) if isinstance(group, str) else group for group in line] for line in lines]
        self.refresh(layout=True)

    def laid_out(self, width: int) -> Content:
        """The lines with their groups placed in `width` cells (0: each line on one line)."""
        rows: list[Content] = []
        for groups in self.lines:
            row: Content | None = None
            for group in groups:
                if row is None:
                    row = group
                elif not width or row.cell_length + len(SEPARATOR) + group.cell_length <= width:
                    row = Content.assemble(row, SEPARATOR, group)
                else:
                    rows.append(row)
                    row = Content.assemble(INDENT, group)
            rows.append(row or Content(""))
        return Content("\n").join(rows)

    def render(self) -> Content:
        return self.laid_out(self.content_size.width)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((line.cell_length for line in self.laid_out(0).split()), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.laid_out(width).get_height(self.styles, width) if width else 0
