"""Anki field HTML -> content Markdown, with MathJax `\\(...\\)`/`\\[...\\]` -> `$...$`/`$$...$$`.

A small converter for what Anki's editor writes: <br>, <div>/<p>, <b>/<strong>, <i>/<em>, <u>, <code>,
<pre>, <ul>/<ol>/<li>, <table> (a Markdown table, its first row the header), <a>, <img> (kept as a note, since media are not imported); other tags are dropped
and their text kept. Entities are decoded; characters Markdown would read as markup are escaped.
"""

from __future__ import annotations

import html
import re
import secrets
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser

from quizapp.deck.mathtext import replace_math, verbatim_spans
from quizapp.links import is_web_link

__all__ = ["UnwritableMath", "html_to_markdown"]


class UnwritableMath(ValueError):
    """A field's math that content math (`$...$`) cannot hold as it is: the note is skipped, with this reason."""


_MATH_CLOSERS = {"\\(": "\\)", "\\[": "\\]"}
_SPECIAL = re.compile(r"([\\`*_$<\[\]])")
# A `&` of the text that starts what Markdown reads as a character reference (`&lt;`, `&#x202E;`): written `&amp;`
# it stays the text it was (escaped as `\&`, the loader would still take `&#x202E;` for the character)
_REFERENCE_START = re.compile(r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
_TAG = re.compile(r"<[^>]*>")
_BLOCKS = {"p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "table"}
_CELLS = {"td", "th"}
_IN_CELL_BREAKS = {"br", "pre", "ul", "ol", "li", *_BLOCKS}
_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*"}


def html_to_markdown(text: str, *, is_html: bool = True) -> str:
    r"""Convert one field.

    >>> html_to_markdown("<b>BN</b> uses \\(\\mu &lt; 1\\)<br>per feature")
    '**BN** uses $\\mu < 1$\n\nper feature'
    """
    maths: list[str] = []
    marker = _marker(text)

    def stash(body: str, inline: bool) -> str:
        if is_html:
            body = html.unescape(_TAG.sub(" ", body))
        body = body.strip()
        _check_math(body, inline)
        maths.append(f"${body}$" if inline else f"$${body}$$")
        return f"{marker}{len(maths) - 1}QZ"

    parts, position = [], 0
    for start, end, body, inline in _math_spans(text):
        parts += [text[position:start], stash(body, inline)]
        position = end
    protected = "".join(parts) + text[position:]
    if is_html:
        converter = _Converter()
        converter.feed(protected)
        converter.close()
        markdown = converter.markdown()
    else:
        markdown = _escape(protected).strip()
    converted = re.sub(f"{marker}(\\d+)QZ", lambda m: maths[int(m.group(1))], markdown)
    _check_math_reads_back(markdown, converted, maths, marker)
    return converted


def _check_math_reads_back(markdown: str, converted: str, maths: list[str], marker: str) -> None:
    """Refuse a field whose formulas, written as `$...$`, would not be read back as those formulas (outside code):
    `\\(a\\)\\(b\\)` made `$a$$b$`, `\\(x\\)5` made `$x$5` (not math), `\\( \\)` made `$$`."""
    code = verbatim_spans(markdown)
    expected = [maths[int(match.group(1))] for match in re.finditer(f"{marker}(\\d+)QZ", markdown)
                if not any(start <= match.start() < end for start, end in code)]
    found: list[str] = []

    def collect(match: re.Match[str]) -> str:
        found.append(match.group())
        return ""

    replace_math(converted, collect, collect)
    missing = Counter(expected) - Counter(found)
    if missing or len(found) != len(expected):
        wrong = next(iter(missing), "") or next(iter(Counter(found) - Counter(expected)), "")
        shown = wrong if len(wrong) <= 60 else wrong[:57] + "..."
        raise UnwritableMath(f"its math {shown} would not be read as that formula where the note has it (against "
                             "a digit, a $ or other math)")


def _check_math(body: str, inline: bool) -> None:
    """Refuse math that `$...$` would end early or not read as math: a `$` in it (`\\( a $ b \\)` made
    `$a $ b$`), or a backslash at its end (it would escape the closing `$`)."""
    written = f"\\({body}\\)" if inline else f"\\[{body}\\]"
    written = written if len(written) <= 60 else written[:57] + "..."
    if "$" in body if inline else "$$" in body:
        raise UnwritableMath(f"its math {written} holds a {'$' if inline else '$$'}, which would end it early "
                             "as content math ($...$)")
    if inline and body.endswith("\\"):
        raise UnwritableMath(f"its math {written} ends in a backslash, which would hide its closing $")


def _math_spans(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """(start, end, body, inline) of each `\\(...\\)` and `\\[...\\]`, leftmost first, in one pass over the
    text: a regex retried from every unclosed opener took quadratic time (a 2 MB field, hours)."""
    found = {opener: text.find(opener) for opener in _MATH_CLOSERS}  # the next of each opener, -1 when none
    position = 0
    while True:
        for opener, at in found.items():
            if 0 <= at < position:
                found[opener] = text.find(opener, position)
        waiting = [(at, opener) for opener, at in found.items() if at >= 0]
        if not waiting:
            return
        start, opener = min(waiting)
        end = text.find(_MATH_CLOSERS[opener], start + 2)
        if end < 0:
            found[opener] = -1  # no closer after this opener, so none after a later one either
            continue
        yield start, end + 2, text[start + 2:end], opener == "\\("
        position = end + 2


def _marker(text: str) -> str:
    """The start of the placeholders that hold a field's math while its HTML is converted: a word the field
    does not hold, even with its character references read (a note's own 'QZMATH0QZ' was taken for one)."""
    while True:
        marker = "QZMATH" + secrets.token_hex(6)
        if marker not in text and marker not in html.unescape(text):
            return marker


def _escape(text: str) -> str:
    return _REFERENCE_START.sub("&amp;", _SPECIAL.sub(r"\\\1", text.replace("\xa0", " ")))


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[str] = []
        self.pre = 0
        self.code = False
        self.opened = 0  # the index in parts of the opening of the outermost <pre> or <code>, made at its end
        self.href: str | None = None
        self.tables = 0  # depth: only the outermost table becomes a Markdown table
        self.rows = 0  # rows of it so far; the first is the header, followed by the | --- | line
        self.cells = 0  # cells of the current row
        self.in_cell = False

    def markdown(self) -> str:
        text = "".join(self.parts)
        text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))  # linear, where [ \t]+\n was not
        text = re.sub(r"\n{3,}", "\n\n", text)
        return re.sub(r"(?m)^([#>])", r"\\\1", text).strip()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.tables and self._table_start(tag):
            return
        if tag == "br":
            self.parts.append("\n" if self.pre or self.lists else "\n\n")
        elif tag == "table":
            self.tables, self.rows, self.cells = 1, 0, 0
            self.parts.append("\n\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag in _MARKS:
            self.parts.append(_MARKS[tag])
        elif tag == "code" and not self.pre and not self.code:
            self.code = True
            self.opened = len(self.parts)
            self.parts.append("")
        elif tag == "pre":
            self.pre += 1
            if self.pre == 1:
                self.opened = len(self.parts)
                self.parts.append("")
        elif tag in {"ul", "ol"}:
            self.lists.append(tag)
            self.parts.append("\n" if len(self.lists) > 1 else "\n\n")
        elif tag == "li":
            bullet = "1. " if self.lists and self.lists[-1] == "ol" else "- "
            self.parts.append("\n" + "   " * max(len(self.lists) - 1, 0) + bullet)
        elif tag == "a":
            href = dict(attrs).get("href")
            self.href = href if href and is_web_link(href) else None  # another link keeps its text only
            self.parts.append("[" if self.href else "")
        elif tag == "img":
            self.parts.append(f"[image: {_escape(dict(attrs).get('src') or '?')}]")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.tables and self._table_end(tag):
            return
        if tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag in _MARKS:
            self.parts.append(_MARKS[tag])
        elif tag == "code" and self.code:
            self.code = False
            self._close_code(block=False)
        elif tag == "pre" and self.pre:
            self.pre -= 1
            if not self.pre:
                self._close_code(block=True)
        elif tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
            self.parts.append("\n\n" if not self.lists else "")
        elif tag == "a" and self.href:
            self.parts.append(f"]({self.href})")
            self.href = None

    def _close_code(self, *, block: bool) -> None:
        """Open and close the code with a run of backticks longer than any inside it (a fence of three around
        a line of three closed the block there and left an open fence that swallowed the rest of the field)."""
        code = "".join(self.parts[self.opened + 1:])
        longest = max((len(run) for run in re.findall("`+", code)), default=0)
        if block:  # without the line break after <pre> (which a page does not show) and the one before </pre>
            self.parts[self.opened + 1:] = [code.removeprefix("\n").removesuffix("\n")]
            fence = "`" * max(3, longest + 1)
            self.parts[self.opened] = f"\n\n{fence}\n"
            self.parts.append(f"\n{fence}\n\n")
        else:
            ticks = "`" * (longest + 1)
            pad = " " if code.startswith("`") or code.endswith("`") else ""
            self.parts[self.opened] = ticks + pad
            self.parts.append(pad + ticks)

    # --- tables: rows of `| cell | cell |`, a `| --- |` line after the first; inside a cell, whatever would
    # break the line (a <br>, a list, a nested table) is a space, as a line break would end the table.

    def _table_start(self, tag: str) -> bool:
        """Handle a start tag inside a table; False when it is inline markup of a cell, handled as usual."""
        if self.tables > 1 or tag == "table":
            self.tables += tag == "table"
            self.parts.append(" " if tag in _IN_CELL_BREAKS or tag in _CELLS else "")
        elif tag == "tr":
            self._end_row()
            self.parts.append("\n")
        elif tag in _CELLS:
            self._close_cell()
            self.cells += 1
            self.in_cell = True
            self.parts.append("| ")
        elif tag in _IN_CELL_BREAKS and self.in_cell:
            self.parts.append(" ")
        else:
            return not self.in_cell  # markup between cells has no text to mark
        return True

    def _table_end(self, tag: str) -> bool:
        """Handle an end tag inside a table; False when it is inline markup of a cell, handled as usual."""
        if self.tables > 1:
            self.tables -= tag == "table"
            self.parts.append(" " if tag in _IN_CELL_BREAKS or tag in _CELLS else "")
        elif tag == "table":
            self._end_row()
            self.tables = 0
            self.parts.append("\n\n")
        elif tag == "tr":
            self._end_row()
        elif tag in _CELLS:
            self._close_cell()
        elif tag in _IN_CELL_BREAKS and self.in_cell:
            self.parts.append(" ")
        else:
            return not self.in_cell
        return True

    def _close_cell(self) -> None:
        if self.in_cell:
            self.in_cell = False
            self.parts.append(" ")

    def _end_row(self) -> None:
        """End the row (its </tr> may be missing); the first row is the header."""
        self._close_cell()
        if not self.cells:
            return
        self.parts.append("|")
        self.rows += 1
        if self.rows == 1:
            self.parts.append("\n" + "| --- " * self.cells + "|")
        self.cells = 0

    def handle_data(self, data: str) -> None:
        if self.in_cell:
            self.parts.append(_escape(re.sub(r"\s+", " ", data)).replace("|", "\\|"))
        elif self.tables:
            return  # whitespace between rows and cells
        elif self.pre:
            self.parts.append(data)
        elif self.code:
            self.parts.append(re.sub(r"\s+", " ", data))
        else:
            self.parts.append(_escape(re.sub(r"\s+", " ", data)))
