"""Text from data made safe for a terminal: control characters shown, never sent.

A content file, an imported file or a database row is data. A terminal reads some characters in it as
commands (ESC starts a sequence that can set the clipboard or the window title, or make the terminal
type a reply into stdin; bidirectional overrides reorder what is shown). `visible` replaces each such
character by a visible escape (`\\x1b`, `U+202E`), so the text shows what it holds and does nothing.
Newline and tab are kept. The loader refuses these characters in content files; this is the second line of
defence, for every value that reaches a terminal by another way (an old database row, a cache, a file name).

`text` builds a Rich `Text` from data: plain text with a style, never markup (Textual's `Content.assemble`
of `visible` strings does the same where a widget takes Content).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

__all__ = ["BIDI_CONTROLS", "UNSAFE_CLASS", "ZERO_WIDTH", "ZERO_WIDTH_BMP", "describe", "one_line", "shown_path", "text",
           "unsafe_characters", "visible"]

# C0 controls other than tab and newline, DEL and C1 controls are shown as \xNN; the bidirectional
# embeddings, overrides and isolates and lone surrogates (which cannot be written to a UTF-8 terminal)
# as U+NNNN.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Characters that take no room on screen (format characters, the soft hyphen, the tag characters of
# "ASCII smuggling"): in a name they make two that look the same differ, or one that looks empty.
ZERO_WIDTH_BMP = ("\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\u061c\u17b4\u17b5\u180e\u200e\u200f"
                  "\u2061\u2062\u2063\u2064\u206a\u206b\u206c\u206d\u206e\u206f")
ZERO_WIDTH = ZERO_WIDTH_BMP + "\U000e0001" + "".join(map(chr, range(0xE0020, 0xE0080)))
UNSAFE_CLASS = "\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI_CONTROLS + "\ud800-\udfff"  # inside [...] of a regex
_UNSAFE = re.compile(f"[{UNSAFE_CLASS}]")
_LINE_BREAKS = re.compile(r"[\n\t\r\v\f\u2028\u2029\x85]+")
_PATH_BREAKS = re.compile("[\t\n\u2028\u2029]")  # what `visible` keeps of the characters that break a line


def describe(char: str) -> str:
    """How one character is shown: `\\x1b` for a control character, `U+202E` otherwise."""
    code = ord(char)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"\\x{code:02x}"
    return f"U+{code:04X}"


def _shown(match: re.Match[str]) -> str:
    return describe(match.group())


def visible(value: object) -> str:
    """`str(value)` with every character a terminal would act on shown as an escape instead."""
    string = value if isinstance(value, str) else str(value)
    if _UNSAFE.search(string) is None:
        return string
    return _UNSAFE.sub(_shown, string)


def one_line(value: object) -> str:
    """`visible`, with line breaks and tabs as single spaces: for a title, a table cell, a status line."""
    return _LINE_BREAKS.sub(" ", visible(value))


def shown_path(path: object) -> str:
    """A file's path as printed: `visible`, with tabs and line breaks escaped too (`\\x0a`, `U+2028`).

    A file name may hold a newline: printed as it is, `evil\\nfake.yaml:1:1: ...` would put a line of its
    own in front of an editor's quickfix parser, naming a place that is not there.
    """
    return _PATH_BREAKS.sub(_shown, visible(path))


def unsafe_characters(string: str) -> list[tuple[int, str]]:
    """(index, character) of every character `visible` would replace, in order."""
    return [(match.start(), match.group()) for match in _UNSAFE.finditer(string)]


def text(value: object, style: str = "", *, single_line: bool = False) -> Text:
    """A Rich Text of data: shown literally (brackets are not markup) and terminal-safe."""
    from rich.text import Text

    return Text(one_line(value) if single_line else visible(value), style=style)
