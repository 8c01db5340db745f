"""The line at the top of every screen: the screen's title and subtitle.

What Textual's Header shows, in one widget instead of four (icon, title, clock space and the header): the
home screen is drawn at launch, and each widget there adds to the wait. The command palette, which the
header's icon opened, is in the footer (ctrl+p).
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from quizapp.safetext import one_line

__all__ = ["TitleBar"]


class TitleBar(Widget):
    def on_mount(self) -> None:
        for name in ("title", "sub_title"):
            self.watch(self.screen, name, self.refresh, init=False)

    def render(self) -> Content:
        screen = self.screen
        title = one_line(screen.title or self.app.title)  # a subtitle may name topics: data
        if not screen.sub_title:
            return Content.assemble((title, "bold"))
        return Content.assemble((title, "bold"), " — ", (one_line(screen.sub_title), "$text-muted"))
