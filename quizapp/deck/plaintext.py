"""Card Markdown (with `$...$` math) -> clean plain text, for the plain front end, scripts and screen readers.

Tables come out aligned, lists with bullets, emphasis and code without their markers, math in Unicode, and
no escape backslashes. `with_label` puts a label such as "Answer:" before a card's text, in a block of its
own when the text starts with a block (a table glued to "Answer:" would not be a table any more).

Anything that interprets content is bounded: text too long or too deeply nested to convert safely is
returned as it is.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, TextIO

from quizapp.deck.mathtext import render_math

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
    from markdown_it.tree import SyntaxTreeNode

__all__ = ["MAX_CHARS", "inline_runs", "markdown_to_text", "nesting_problem", "sources_line", "starts_with_block",
           "terminal_width", "too_deep", "with_label", "wrap_text"]

MAX_CHARS = 50_000


def sources_line(sources: Sequence[str], render: Callable[[str], str] = str) -> str:
    """"Source: A" or "Sources: A; B", each rendered by `render`; a source that ends its own sentence is
    followed by a space alone, not by a stop and a semicolon (".;")."""
    shown = [render(source) + ("" if last or source.rstrip().endswith((".", "?", "!")) else ";")
             for last, source in ((n == len(sources) - 1, source) for n, source in enumerate(sources))]
    return ("Source: " if len(sources) == 1 else "Sources: ") + " ".join(shown)
BULLETS = ("•", "◦", "▪")
QUOTE_BAR = "│ "
CODE_INDENT = "    "
_MIN_COLUMN = 8  # a table's column is narrowed to fit a terminal down to this (or its longest word), no less

_MARKS = {"em", "strong", "s"}
# One line with nothing Markdown could read as syntax (a flashcard's "a1"): returned as it is, without
# loading the parser, so plain mode starts as fast as before for such decks.
# "---" is a thematic break (a rule), not text.
_PLAIN_LINE = re.compile(r"(?! {4}| {0,3}\t|[ \t]*(?:[-+*>=]|\d+[.)])(?:\s|$)|[ \t]*(?:-[ \t]*){3,}$)"
                         r"[^\\`*_\[\]<>|#$~!&{}\n]*")


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # Raw HTML stays text: content is never markup for a terminal either.
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


# A line that may open containers deep enough to matter: 5 or more characters of indent, quote or list marker.
_DEEP_PREFIX = re.compile(r"^[ \t>*+\-\d.)]{5,}", re.MULTILINE)
_CONTAINERS = {"list_item_open", "blockquote_open"}


def too_deep(tokens: Sequence[Token], max_nesting: int) -> bool:
    """Whether markdown-it stopped nesting in these tokens: it drops a list item's or a quote's contents
    once they would be `max_nesting` levels deep (a list takes two levels, a quote one)."""
    return any(token.type in _CONTAINERS and token.level >= max_nesting - 1 for token in tokens)


def nesting_problem(markdown: str) -> str | None:
    """Why `markdown` cannot be drawn whole (lists or quotes nested too deep), or None."""
    if len(markdown) > MAX_CHARS or not any(len(match.group().expandtabs(4)) >= 18
                                            for match in _DEEP_PREFIX.finditer(markdown)):
        return None  # the common case: no line indented enough to be nested 10 lists deep
    parser = _parser()
    if not too_deep(parser.parse(markdown), parser.options["maxNesting"]):
        return None
    return ("lists or quotes nested too deep to draw (the limit is 9 lists in one another, a quote counting "
            "half a list); the text would be shown as written: nest them less")


def markdown_to_text(markdown: str, width: int | None = None) -> str:
    """Render Markdown with math as plain text. With `width` (a terminal's columns), paragraphs are reflowed to
    it, the author's own line breaks joined, so no line is cut by the terminal in the middle of a word; lists
    and quotes wrap inside their indent, a table's cells inside their columns when it is wider. Code keeps
    its lines.

    >>> print(markdown_to_text("**Answer:** $\\\\sigma_B^2$ when $m > 1$\\n\\n- one\\n- `two`"))
    Answer: σ_B² when m > 1
    <BLANKLINE>
    • one
    • two
    """
    if len(markdown) > MAX_CHARS:
        return markdown
    if _PLAIN_LINE.fullmatch(markdown):
        return "\n".join(_wrap(markdown.strip(), width))
    return _render(markdown, width)


def terminal_width(stdout: TextIO) -> int | None:
    """The columns of the terminal `stdout` is, less one (a line that fills the last column makes some
    terminals wrap); None when it is no terminal."""
    try:
        if not stdout.isatty():
            return None
        return max(os.get_terminal_size(stdout.fileno()).columns - 1, 20)
    except (AttributeError, OSError, ValueError):
        return None


def wrap_text(text: str, width: int | None) -> str:
    """Plain text (not Markdown) with each line longer than `width` broken between words; None: as it is."""
    return "\n".join(wrapped for line in text.split("\n") for wrapped in _wrap(line, width))


def _wrap(line: str, width: int | None, least: int = 20) -> list[str]:
    """One line of text in lines of at most `width` terminal columns (a Chinese character takes two), broken
    between words (None: as it is), never narrower than `least`. A word wider than the line is left whole."""
    if width is None or _columns(line) <= width:
        return [line]
    width = max(width, least)
    indent = line[:len(line) - len(line.lstrip())]
    lines: list[str] = []
    current = indent
    for word in line.split():
        joined = f"{current} {word}" if current.strip() else current + word
        if current.strip() and _columns(joined) > width:
            lines.append(current)
            current = word
        else:
            current = joined
    return [*lines, current]


def _columns(text: str) -> int:
    """The columns a terminal gives `text`: two for a wide (East Asian) character, none for a combining mark."""
    return sum(0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
               for char in text)


def _render(markdown: str, width: int | None = None) -> str:
    from markdown_it.tree import SyntaxTreeNode

    try:
        tokens = _parser().parse(render_math(markdown))
        if too_deep(tokens, _parser().options["maxNesting"]):
            return markdown  # the parser stopped nesting there and would drop what is inside
        return "\n".join(_blocks(SyntaxTreeNode(tokens).children, 0, width)).strip("\n")
    except RecursionError:  # a last guard: the parser caps nesting and math caps its own depth
        return markdown


def inline_runs(markdown: str) -> list[tuple[str, frozenset[str]]]:
    """One line of Markdown as runs of text with their marks ("em", "strong", "code", "s"), math in Unicode.

    For front ends that style text themselves (the TUI's choice options). Line breaks become spaces.

    >>> inline_runs("when `eval()` is *called*")
    [('when ', frozenset()), ('eval()', frozenset({'code'})), (' is ', frozenset()), ('called', frozenset({'em'}))]
    """
    if len(markdown) > MAX_CHARS:
        return [(markdown, frozenset())]
    runs: list[tuple[str, frozenset[str]]] = []
    marks: list[str] = []
    for block in _parser().parseInline(render_math(markdown)):
        for token in block.children or ():
            kind = token.type
            if kind.endswith("_open") and kind[:-5] in _MARKS:
                marks.append(kind[:-5])
            elif kind.endswith("_close") and kind[:-6] in marks:
                marks.remove(kind[:-6])
            elif kind in {"text", "code_inline", "html_inline", "softbreak", "hardbreak"}:
                text = " " if kind.endswith("break") else token.content
                style = frozenset(marks) | ({"code"} if kind == "code_inline" else set())
                if runs and runs[-1][1] == style:
                    runs[-1] = (runs[-1][0] + text, style)
                elif text:
                    runs.append((text, style))
    return runs


def starts_with_block(markdown: str) -> bool:
    """True when the text opens with a table, list, code block, quote, heading or display math."""
    text = markdown.lstrip()
    if text.startswith("$$"):
        return True
    if len(text) > MAX_CHARS:
        return False
    tokens = _parser().parse(text)
    return bool(tokens) and tokens[0].type != "paragraph_open"


def with_label(label: str, markdown: str) -> str:
    """`**label** text`, or the label as a paragraph of its own when the text starts with a block."""
    head = f"**{label}**"
    if not markdown.strip():
        return head
    return f"{head}\n\n{markdown}" if starts_with_block(markdown) else f"{head} {markdown}"


# --- blocks: each renders to a list of lines ------------------------------------------------------------

def _blocks(nodes: list[SyntaxTreeNode], depth: int = 0, width: int | None = None) -> list[str]:
    lines: list[str] = []
    tight = False  # after a paragraph of a tight list item: no blank line before what follows
    for node in nodes:
        rendered = _block(node, depth, width)
        if not rendered:
            continue
        hidden = node.type == "paragraph" and node.hidden
        if lines and not (tight or hidden):
            lines.append("")  # blocks are separated by a blank line
        lines += rendered
        tight = hidden
    return lines


def _block(node: SyntaxTreeNode, depth: int, width: int | None = None) -> list[str]:
    kind = node.type
    if kind in {"paragraph", "heading"}:
        text = _inline_text(node, soft="\n" if width is None else " ")
        return [wrapped for line in text.split("\n") for wrapped in _wrap(line, width)]
    if kind == "bullet_list":
        bullet = BULLETS[depth % len(BULLETS)] + " "
        return _list(node, [bullet] * len(node.children), depth, width)
    if kind == "ordered_list":
        start = int(node.attrs.get("start", 1))
        markers = [f"{start + i}. " for i in range(len(node.children))]
        longest = max(map(len, markers), default=0)
        return _list(node, [m.ljust(longest) for m in markers], depth, width)
    if kind == "blockquote":
        inner = None if width is None else width - len(QUOTE_BAR)
        return [(QUOTE_BAR + line).rstrip() for line in _blocks(node.children, depth, inner)]
    if kind in {"fence", "code_block"}:
        return [(CODE_INDENT + line).rstrip() for line in node.content.rstrip("\n").split("\n")]
    if kind == "table":
        return _table(node, width)
    if kind == "hr":
        return ["-" * 40]
    if kind == "html_block":
        return node.content.rstrip("\n").split("\n")
    return _blocks(node.children, depth, width)


def _list(node: SyntaxTreeNode, markers: list[str], depth: int, width: int | None = None) -> list[str]:
    tight = all(child.hidden for item in node.children for child in item.children if child.type == "paragraph")
    lines: list[str] = []
    for marker, item in zip(markers, node.children):
        body = _blocks(item.children, depth + 1, None if width is None else width - len(marker)) or [""]
        if lines and not tight:
            lines.append("")
        lines.append(marker + body[0])
        lines += [(" " * len(marker) + line).rstrip() for line in body[1:]]
    return lines


def _table(node: SyntaxTreeNode, width: int | None = None) -> list[str]:
    """The table with its columns aligned; wider than `width`, its widest columns are narrowed and their cells
    broken between words onto more lines (a word longer than its column stays whole), so a row is not cut by
    the terminal into pieces that no longer line up."""
    from rich.cells import cell_len  # terminal cell widths: CJK text takes two cells a character

    rows: list[list[str]] = []
    aligns: list[str] = []
    for section in node.children:  # thead, tbody
        for row in section.children:
            cells = [_inline_text(cell).replace("\n", " ").strip() for cell in row.children]
            if not aligns:
                aligns = [str(cell.attrs.get("style", "")) for cell in row.children]
            rows.append(cells)
    columns = max(map(len, rows), default=0)
    widths = [max((cell_len(row[i]) for row in rows if i < len(row)), default=0) for i in range(columns)]
    if width is not None and columns:
        # The narrowest a column may get: its longest word, and never under a few columns.
        floors = [max([min(widths[i], _MIN_COLUMN)] + [cell_len(word) for row in rows if i < len(row)
                                                       for word in row[i].split()]) for i in range(columns)]
        while sum(widths) + 2 * (columns - 1) > width:
            narrowable = [i for i in range(columns) if widths[i] > floors[i]]
            if not narrowable:
                break
            widest = max(narrowable, key=lambda i: widths[i])
            widths[widest] -= 1
    lines: list[str] = []
    for number, row in enumerate(rows):
        wrapped = [_wrap(row[i], widths[i], least=1) if i < len(row) else [""] for i in range(columns)]
        for line in range(max(map(len, wrapped), default=1)):
            lines.append(_table_row([cell[line] if line < len(cell) else "" for cell in wrapped], widths, aligns))
        if number == 0:  # under the header, however many lines it took
            lines.append("  ".join("-" * width for width in widths))
    return lines


def _table_row(cells: list[str], widths: list[int], aligns: list[str]) -> str:
    from rich.cells import cell_len

    padded = []
    for index, width in enumerate(widths):
        cell = cells[index] if index < len(cells) else ""
        gap = " " * (width - cell_len(cell))
        align = aligns[index] if index < len(aligns) else ""
        if "right" in align:
            padded.append(gap + cell)
        elif "center" in align:
            half = len(gap) // 2
            padded.append(gap[:half] + cell + gap[half:])
        else:
            padded.append(cell + gap)
    return "  ".join(padded).rstrip()


# --- inline ----------------------------------------------------------------------------------------------

def _inline_text(node: SyntaxTreeNode, soft: str = "\n") -> str:
    """`soft`: what an author's line break becomes (kept without a width to wrap to: short lines read better
    in a plain terminal than long ones the terminal cuts; a space when the text is reflowed)."""
    return "".join(_inline(child, soft) for child in node.children)


def _inline(node: SyntaxTreeNode, soft: str = "\n") -> str:
    kind = node.type
    if kind in {"text", "code_inline", "html_inline"}:
        return node.content
    if kind == "softbreak":
        return soft
    if kind == "hardbreak":
        return "\n"
    if kind == "link":
        text = _inline_text(node, soft)
        href = str(node.attrs.get("href", ""))
        return text if not href or href == text else f"{text} ({href})"
    if kind == "image":
        return f"(image: {_inline_text(node, soft) or node.attrs.get('src', '')})"
    return _inline_text(node, soft)  # inline, em, strong, s: the text without its markers
