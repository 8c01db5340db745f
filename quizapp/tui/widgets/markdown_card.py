"""Markdown with LaTeX math shown as Unicode."""

from __future__ import annotations

from textual.widgets import Markdown

from quizapp.deck.mathtext import render_math

__all__ = ["MarkdownCard"]


class MarkdownCard(Markdown):
    """A Markdown widget that converts `$...$` / `$$...$$` math before rendering."""

    def __init__(self, markdown: str = "", **kwargs) -> None:
        super().__init__(render_math(markdown), **kwargs)

    def show(self, markdown: str):
        return self.update(render_math(markdown))
