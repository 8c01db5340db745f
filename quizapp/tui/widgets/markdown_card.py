"""Markdown with LaTeX math shown as Unicode."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from textual.widgets import Markdown

from quizapp.deck.mathtext import render_math
from quizapp.links import is_web_link
from quizapp.safetext import visible

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

__all__ = ["MarkdownCard"]


class MarkdownCard(Markdown):
    """A Markdown widget that converts `$...$` / `$$...$$` math before rendering, and shows control
    characters in the text (it is data) as escapes instead of sending them to the terminal."""

    def __init__(self, markdown: str = "", **kwargs) -> None:
        super().__init__(visible(render_math(markdown)), parser_factory=_parser, **kwargs)

    def show(self, markdown: str):
        return self.update(visible(render_math(markdown)))

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        """Open web links only: a shared file's `[slides](/path/to/file)` or `[x](vscode://...)` would be handed
        to the system's opener, which runs whatever program that kind of file or scheme is set to."""
        event.prevent_default()  # Textual's own handler opens every link
        if is_web_link(event.href):
            self.app.open_url(event.href)
        else:
            self.notify(f"Not opened: {event.href} is not a web link (http, https or mailto)", severity="warning")



@cache
def _parser() -> MarkdownIt:
    """Textual's parser, with the text escaped once more after parsing: a character reference such as
    `&#x202E;` only becomes its character there, after the source was made visible."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("gfm-like")
    parser.core.ruler.push("visible_text", _visible_tokens)
    return parser


def _visible_tokens(state: StateCore) -> None:
    for token in state.tokens:
        _make_visible(token)


def _make_visible(token: Token) -> None:
    if token.content:
        token.content = visible(token.content)
    for child in token.children or ():
        _make_visible(child)
