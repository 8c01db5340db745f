"""What MathJax 3, as Anki sets it up, reads as TeX in a page: a model of its HTMLDomStrings (which text it
searches: any element but `<br>`, `<wbr>` and comments splits it; code, pre, script... are skipped), FindTeX
(`\\(...\\)` and `\\[...\\]`, a closing delimiter counts only outside braces; no `$`, no escapes, no bare
environments in Anki) and GetCS (a command is `\\` and ASCII letters, or `\\` and one character)."""

from __future__ import annotations

import html
import re

__all__ = ["formulas", "commands"]

_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*>", re.DOTALL)
_SKIPPED = {"script", "noscript", "style", "textarea", "pre", "code", "annotation", "annotation-xml"}
_VOID = {"br", "wbr", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track"}
_INCLUDED = {"br": "\n", "wbr": ""}
_START = re.compile(r"\\\(|\\\[")
_COMMAND = re.compile(r"\\([A-Za-z]+|.|$)", re.DOTALL)


def _strings(page: str) -> list[str]:
    strings, current, skipping, position = [], [], 0, 0
    for match in _TAG.finditer(page):
        if not skipping:
            current.append(html.unescape(page[position:match.start()]))
        position = match.end()
        closing, name = match.group(1), (match.group(2) or "").lower()
        if not name or name in _INCLUDED:
            if not skipping:
                current.append(_INCLUDED.get(name, ""))
            continue
        strings.append("".join(current))
        current = []
        if name in _SKIPPED and name not in _VOID:
            skipping += -1 if closing else 1
            skipping = max(skipping, 0)
    if not skipping:
        current.append(html.unescape(page[position:]))
    return [*strings, "".join(current)]


def formulas(page: str) -> list[str]:
    """The TeX of every formula MathJax finds in `page` (HTML)."""
    found = []
    for text in _strings(page):
        start = _START.search(text)
        while start:
            close = ")" if start.group() == "\\(" else "]"
            end = re.compile(re.escape("\\" + close) + r"|\\[a-zA-Z]|\\.|[{}]", re.DOTALL)
            braces, position, resumed = 0, start.end(), None
            for match in end.finditer(text, position):
                if match.group() == "\\" + close and braces == 0:
                    found.append(text[position:match.start()])
                    resumed = match.end()
                    break
                braces += match.group() == "{"
                braces -= match.group() == "}" and braces > 0
            start = _START.search(text, resumed if resumed is not None else start.end())
    return found


def commands(tex: str) -> list[str]:
    """The commands of `tex` as MathJax reads them; `begin{name}` for an environment."""
    names = []
    for match in _COMMAND.finditer(tex):
        name = match.group(1)
        if name in ("begin", "end"):
            environment = re.match(r"\s*\{([^}]*)\}", tex[match.end():])
            name += "{" + (environment.group(1) if environment else "") + "}"
        names.append(name)
    return names
