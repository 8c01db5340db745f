"""A line of text cut to a width in terminal cells, ending in "…" where it is cut.

Rich and Textual cut a line at a cell count: a double-width (CJK) character cut in half becomes a space, and
their ellipsis came after it ('Batch normalization (批归 …'). `cut` puts the "…" right after the last whole
character. Every place that cuts a title uses it: the title bar, home's topic table, glance and topic summary,
the setup screens' topic lists, browse's topic line and the tables of stats and the glossary. `CutLine` is a
line cut where it is drawn, at whatever width it is given: a Textual Visual (an option list's prompt, a
Static's content) and a Rich renderable (a DataTable cell).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from rich.cells import cell_len
from rich.measure import Measurement
from rich.text import Text
from textual.content import Content
from textual.visual import Visual

from quizapp.safetext import one_line

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from textual.css.styles import RulesMap
    from textual.strip import Strip
    from textual.style import Style
    from textual.visual import RenderOptions

__all__ = ["CutLine", "cut"]

ELLIPSIS = "…"
TextT = TypeVar("TextT", str, Text)


def cut(text: TextT, width: int, *, more: bool = False) -> TextT:
    """`text` (a str, or a Rich Text whose styles are kept) in at most `width` cells: as it is when it fits,
    else its start and "…" right after the last whole character (no space where half a wide character was,
    nor a word's trailing space). `more`: text follows that is left out, so the "…" is there even if it fits."""
    if not more and cell_len(text if isinstance(text, str) else text.plain) <= width:
        return text
    line = Text(text) if isinstance(text, str) else text.copy()
    line.truncate(max(width - 1, 0))
    line.rstrip()
    if width >= 1:
        line.append(ELLIPSIS)
    return line.plain if isinstance(text, str) else line


class CutLine(Visual):
    """One line cut by `cut` to the width it is drawn at: a str of data (shown as text, never markup, control
    characters escaped), or a Rich Text built from data (its styles kept). `str()` of it is the whole line."""

    def __init__(self, line: str | Text) -> None:
        self.line = Text(one_line(line)) if isinstance(line, str) else line.copy()
        self.line.no_wrap, self.line.end = True, ""

    def __str__(self) -> str:
        return self.line.plain

    def __repr__(self) -> str:
        return f"CutLine({self.line.plain!r})"

    # As a Textual Visual (an option's prompt in an OptionList or SelectionList, a Static's content)
    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return Content.from_rich_text(cut(self.line, width)).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.line.cell_len

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1

    # As a Rich renderable (a DataTable cell)
    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield cut(self.line, options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(1, self.line.cell_len), self.line.cell_len)
