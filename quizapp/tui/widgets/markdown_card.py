"""Markdown with LaTeX math shown as Unicode."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from markdown_it.token import Token
from textual.widgets import Markdown

from quizapp.deck.mathtext import render_math
from quizapp.deck.plaintext import too_deep
from quizapp.links import is_web_link
from quizapp.safetext import visible

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore

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



# Code fences highlighted by Pygments, on the UI thread: only languages whose lexers stay fast on any text
# (the zeek lexer took 45 s on "1" * 1000, systemd's grows cubically), and no more code a card than these
# stay quick on (bash's here-document rule is cubic: 0.04 s at 1,000 characters, 2.4 s at 4,000). Any other
# fence, one without a language (Textual would guess it, running every lexer) and code past the budget are
# drawn as plain monospace text.
HIGHLIGHTED = frozenset({"python", "py", "python3", "text", "bash", "sh", "shell", "yaml", "yml", "json", "sql",
                         "toml"})
HIGHLIGHT_BUDGET = 1_500  # characters of code highlighted in one text


@cache
def _parser() -> MarkdownIt:
    """Textual's parser with raw HTML shown as text (as plain mode and the Anki export show it), the text
    escaped once more after parsing (a character reference such as `&#x202E;` only becomes its character
    there, after the source was made visible), code fences highlighted only where that is safe, and text
    nested too deep to draw shown as written (as plain mode shows it) instead of losing what is inside."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("gfm-like", {"html": False})
    parser.core.ruler.push("as_written_if_too_deep", _as_written_if_too_deep)
    parser.core.ruler.push("visible_text", _visible_tokens)
    parser.core.ruler.push("safe_fences", _safe_fences)
    return parser


def _as_written_if_too_deep(state: StateCore) -> None:
    """The whole text as one plain code block when the parser stopped nesting (and dropped what is inside)."""
    if too_deep(state.tokens, state.md.options["maxNesting"]):
        block = Token("code_block", "code", 0, block=True, content=state.src, map=[0, state.src.count("\n") + 1])
        state.tokens = [block]


def _safe_fences(state: StateCore) -> None:
    """Each code block's language as Pygments should see it: its own if allowed and within the budget, else
    "text", which is not highlighted."""
    budget = HIGHLIGHT_BUDGET
    for token in state.tokens:
        if token.type not in {"fence", "code_block"}:
            continue
        words = token.info.split(maxsplit=1)
        language = words[0].lower() if words else ""
        if language in HIGHLIGHTED and len(token.content) <= budget:
            budget -= len(token.content)
            token.info = language
        else:
            token.info = "text"


def _visible_tokens(state: StateCore) -> None:
    for token in state.tokens:
        _make_visible(token)


def _make_visible(token: Token) -> None:
    if token.content:
        token.content = visible(token.content)
    for child in token.children or ():
        _make_visible(child)
