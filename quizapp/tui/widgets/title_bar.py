"""The line at the top of every screen: the screen's title and subtitle.

What Textual's Header shows, in one widget instead of four (icon, title, clock space and the header): the
home screen is drawn at launch, and each widget there adds to the wait. The command palette, which the
header's icon opened, is in the footer (ctrl+p).
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget

from quizapp.safetext import one_line
from quizapp.tui.cut import cut

__all__ = ["TitleBar"]


# Cells of the title kept when the line is too narrow for it and the subtitle: past them the subtitle gives way.
TITLE_KEEPS = 20
SEPARATOR = " — "


class TitleBar(Widget):
    def on_mount(self) -> None:
        for name in ("title", "sub_title"):
            self.watch(self.screen, name, self.refresh, init=False)

    def render(self) -> Content:
        screen = self.screen
        title = one_line(screen.title or self.app.title)  # a subtitle may name topics: data
        if not screen.sub_title:
            return Content(title).stylize("bold")
        sub_title = one_line(screen.sub_title)
        room = self.size.width - len(SEPARATOR)
        if self.size.width and cell_len(title) + cell_len(sub_title) > room:
            # The title gives way first, down to TITLE_KEEPS cells: a drill's long title left no room for its key
            # at 80 columns. Then the subtitle (a review's list of topics) is cut.
            keep = max(min(cell_len(title), TITLE_KEEPS), room - cell_len(sub_title))
            title = cut(title, max(keep, 1))
            sub_title = cut(sub_title, max(room - cell_len(title), 1))
        return Content.assemble(Content(title).stylize("bold"), SEPARATOR, Content(sub_title).stylize("$text-muted"))
