"""Content Markdown -> the HTML Anki shows, with `$...$`/`$$...$$` as MathJax `\\(...\\)`/`\\[...\\]`.

Math is taken out before the Markdown renderer runs (so `_` and `*` inside it are not read as emphasis)
and put back afterwards, HTML-escaped: MathJax reads the text, so `&lt;` reaches it as `<`.
"""

from __future__ import annotations

import html
import re
from functools import cache

# The same rules as the terminal renderer, so a card's math is found the same way in both places.
from quizapp.deck.mathtext import replace_math

__all__ = ["markdown_to_html"]

# Control characters around the number: the loader refuses them in content, and the Markdown renderer makes
# none from a character reference, so no text can write a placeholder ("QZMATH0QZ" in a card was replaced).
_PLACEHOLDER = "\x02QZMATH{}\x03"
_PLACEHOLDER_PATTERN = re.compile("\x02QZMATH(\\d+)\x03")
_SINGLE_PARAGRAPH = re.compile(r"<p>((?:(?!<p>).)*)</p>", re.DOTALL)


@cache
def _renderer():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def markdown_to_html(text: str, *, inline: bool = False) -> str:
    """Render Markdown for an Anki field; a single paragraph is not wrapped in <p>.

    >>> markdown_to_html("*a* $x_1 < y$")
    '<em>a</em> \\\\(x_1 &lt; y\\\\)'
    """
    protected, maths = _protect_math(text)
    renderer = _renderer()
    rendered = renderer.renderInline(protected) if inline else renderer.render(protected).strip()
    match = _SINGLE_PARAGRAPH.fullmatch(rendered)
    if match:
        rendered = match.group(1)
    return _PLACEHOLDER_PATTERN.sub(lambda m: _restored(m, maths), rendered)


def _restored(match: re.Match[str], maths: list[str]) -> str:
    number = int(match.group(1))
    return maths[number] if number < len(maths) else match.group()


def _protect_math(text: str) -> tuple[str, list[str]]:
    """Replace math outside code spans by placeholders; return the text and the MathJax for each."""
    maths: list[str] = []

    def stash(opening: str, closing: str):
        def replace(match: re.Match[str]) -> str:
            maths.append(f"{opening}{html.escape(match.group(1).strip(), quote=False)}{closing}")
            return _PLACEHOLDER.format(len(maths) - 1)

        return replace

    return replace_math(text, stash(r"\(", r"\)"), stash(r"\[", r"\]")), maths
