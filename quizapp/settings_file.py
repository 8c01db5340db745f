"""Writing `fsrs_parameters` into the user's config.toml, keeping every other line as it was.

The file is edited as text (the standard library reads TOML but does not write it): an existing
`fsrs_parameters = [...]` is replaced, otherwise the line goes before the first [table] or at the end.
The result is read back and compared before it replaces the file, so a file this cannot edit safely is
never damaged.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path

from quizapp.errors import UserError

__all__ = ["parameters_line", "save_fsrs_parameters"]

KEY = "fsrs_parameters"
_KEY_LINE = re.compile(rf"^\s*{KEY}\s*=")
_TABLE_LINE = re.compile(r"^\s*\[")


def parameters_line(parameters: Sequence[float]) -> str:
    return f"{KEY} = [{', '.join(repr(float(p)) for p in parameters)}]\n"


def save_fsrs_parameters(path: Path, parameters: Sequence[float]) -> None:
    old_text = _read(path)
    new_text = _replace_or_insert(old_text, parameters_line(parameters))
    _check(path, old_text, new_text, parameters)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_text(new_text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read settings file {path}: {exc}") from None


def _replace_or_insert(text: str, line: str) -> str:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for index, current in enumerate(lines):
        if _TABLE_LINE.match(current):
            return "".join(lines[:index] + [line] + lines[index:])
        if _KEY_LINE.match(current):
            end = _array_end(lines, index)
            return "".join(lines[:index] + [line] + lines[end:])
    return "".join(lines + [line])


def _array_end(lines: list[str], start: int) -> int:
    """The index just past the value that starts on `lines[start]` (an array may span lines)."""
    depth = 0
    for index in range(start, len(lines)):
        code = lines[index].split("#", 1)[0]
        depth += code.count("[") - code.count("]")
        if depth <= 0:
            return index + 1
    return len(lines)


def _check(path: Path, old_text: str, new_text: str, parameters: Sequence[float]) -> None:
    try:
        old, new = tomllib.loads(old_text), tomllib.loads(new_text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML ({exc}); fix it, then run `quizapp optimize --save` again") from None
    old.pop(KEY, None)
    saved = new.pop(KEY, None)
    if new != old or saved != [float(p) for p in parameters]:
        raise UserError(f"could not update {path} safely; add this line to it yourself:\n  "
                        + parameters_line(parameters).strip())
