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
from quizapp.deck.plaintext import too_deep
from quizapp.export.mathjax_safe import safe_math
from quizapp.links import is_web_link

__all__ = ["code_to_html", "markdown_to_html"]

# Control characters around the number: the loader refuses them in content, and the Markdown renderer makes
# none from a character reference, so no text can write a placeholder ("QZMATH0QZ" in a card was replaced).
_PLACEHOLDER = "\x02QZMATH{}\x03"
_PLACEHOLDER_PATTERN = re.compile("\x02QZMATH(\\d+)\x03")
# A backslash of the text (written `\\(` or `&#92;(`) before `(` or `[` would open MathJax math that runs, unchecked,
# over the text after it up to a closing delimiter (a formula's own). An empty element after the backslash splits
# the text MathJax searches for delimiters; the page still shows `\(`.
_MATH_OPENING = re.compile(r"\\(?=[([])")
_SINGLE_PARAGRAPH = re.compile(r"<p>((?:(?!<p>).)*)</p>", re.DOTALL)


@cache
def _renderer():
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    renderer.validateLink = is_web_link  # any other link or image (vscode:, file:, data:) stays text in Anki
    return renderer


def markdown_to_html(text: str, *, inline: bool = False) -> str:
    """Render Markdown for an Anki field; a single paragraph is not wrapped in <p>.

    >>> markdown_to_html("*a* $x_1 < y$ [sound:a.mp3]")
    '<em>a</em> \\\\(x_1 &lt; y\\\\) &#91;sound:a.mp3]'
    """
    protected, maths = _protect_math(text)
    renderer = _renderer()
    if not inline and too_deep(renderer.parse(protected), renderer.options["maxNesting"]):
        # The renderer would drop what is nested too deep: the text as written, as the terminal shows it.
        return f'<div style="white-space: pre-wrap">{_anki_literal(html.escape(text))}</div>'
    rendered = renderer.renderInline(protected) if inline else renderer.render(protected).strip()
    match = _SINGLE_PARAGRAPH.fullmatch(rendered)
    if match:
        rendered = match.group(1)
    rendered = _MATH_OPENING.sub(r"\\<span></span>", rendered)
    return _PLACEHOLDER_PATTERN.sub(lambda m: _restored(m, maths), _anki_literal(rendered))


def code_to_html(code: str) -> str:
    """Code for a `<pre><code>` block of an Anki field: HTML-escaped, and no `[` that Anki would read."""
    return _anki_literal(html.escape(code))


def _anki_literal(rendered: str) -> str:
    """Anki reads `[sound:x.mp3]`, `[anki:tts]...[/anki:tts]`, `[latex]...[/latex]`, `[$]` and `[$$]` in a field
    as a sound to play or a LaTeX image to make, wherever they are (in code, in math): every `[` of the text
    reaches Anki as `&#91;`, which the page shows as `[` and Anki reads as none of these."""
    return rendered.replace("[", "&#91;")


def _restored(match: re.Match[str], maths: list[str]) -> str:
    number = int(match.group(1))
    return maths[number] if number < len(maths) else match.group()


def _protect_math(text: str) -> tuple[str, list[str]]:
    """Replace math outside code spans by placeholders; return the text and the MathJax for each."""
    maths: list[str] = []

    def stash(opening: str, closing: str):
        def replace(match: re.Match[str]) -> str:
            latex = safe_math(match.group(1).strip())
            maths.append(f"{opening}{_anki_literal(html.escape(latex, quote=False))}{closing}")
            return _PLACEHOLDER.format(len(maths) - 1)

        return replace

    # the space keeps the `[` of `\[` from starting an Anki tag with the math (`$$sound:x.mp3]$$`)
    return replace_math(text, stash(r"\(", r"\)"), stash("\\[ ", r"\]")), maths
