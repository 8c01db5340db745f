"""Markdown with LaTeX math shown as Unicode."""

from __future__ import annotations

from textual.widgets import Markdown

from quizapp.deck.mathtext import render_math
from quizapp.safetext import visible

__all__ = ["MarkdownCard"]


class MarkdownCard(Markdown):
    """A Markdown widget that converts `$...$` / `$$...$$` math before rendering, and shows control
    characters in the text (it is data) as escapes instead of sending them to the terminal."""

    def __init__(self, markdown: str = "", **kwargs) -> None:
        super().__init__(visible(render_math(markdown)), **kwargs)

    def show(self, markdown: str):
        return self.update(visible(render_math(markdown)))
