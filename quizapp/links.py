"""Which link targets from content may be live links: web addresses only (http, https, mailto).

A shared content file's `[slides](/path/to/file)`, `[x](vscode://...)`, `javascript:`, `file:` or `data:` link
would be handed to whatever opens that kind of address (the system's opener, Anki, a Markdown viewer), which
may run a program. The app, the Anki export, the interview report and the importer all ask `is_web_link`, and
show any other link as text.
"""

from __future__ import annotations

import re

__all__ = ["WEB_LINKS", "is_web_link", "web_links_only"]

WEB_LINKS = ("https://", "http://", "mailto:")


def is_web_link(target: str) -> bool:
    """Whether a link to `target` may be followed (any case, spaces around it ignored).

    >>> is_web_link("HTTPS://example.org"), is_web_link("vscode://file/x"), is_web_link("javascript:x")
    (True, False, False)
    """
    return target.strip().lower().startswith(WEB_LINKS)


# `](` opens the target of an inline link or image; a `]` after an odd number of backslashes is text already.
_TARGET = re.compile(r"(?<!\\)((?:\\\\)*)\]\(\s*<?")
_LONGEST = max(map(len, WEB_LINKS))


def web_links_only(markdown: str) -> str:
    """Markdown for a file, with each inline link or image whose target is no web address made text.

    The `]` before such a target is escaped, so a viewer shows `[x](vscode://y)` as written. Autolinks (`<...>`)
    and reference definitions (`[x]: ...` at the start of a line) are the caller's to rule out.

    >>> web_links_only("[a](vscode://x) [b](https://y) ![c]( file:///z)")
    '[a\\\\](vscode://x) [b](https://y) ![c\\\\]( file:///z)'
    """
    def escaped(match: re.Match[str]) -> str:
        if is_web_link(markdown[match.end():match.end() + _LONGEST]):
            return match.group()
        pairs = match.group(1)  # backslashes that escape each other, kept before the one added
        return f"{pairs}\\{match.group()[len(pairs):]}"

    return _TARGET.sub(escaped, markdown)
