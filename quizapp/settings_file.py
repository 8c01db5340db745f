"""Writing one setting (`fsrs_parameters` from the optimizer, `theme` from the app) into the user's config.toml,
keeping every other line as it was.

The file is edited as text (the standard library reads TOML but does not write it): an existing
`name = ...` is replaced, otherwise the line goes before the first [table] or at the end.
The result is read back and compared before it replaces the file, so a file this cannot edit safely is
never damaged.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from quizapp.errors import UserError
from quizapp.safetext import shown_path

__all__ = ["parameters_line", "remove_setting", "save_fsrs_parameters", "save_setting", "setting_line"]

_TABLE_LINE = re.compile(r"^\s*\[")
Value = str | bool | int | float | date | list[float] | list[str]


def setting_line(name: str, value: Value) -> str:
    """`name = value` in TOML, for the kinds of value settings have."""
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, date):
        text = value.isoformat()  # a TOML local date
    elif isinstance(value, list):
        text = f"[{', '.join(json.dumps(v) if isinstance(v, str) else repr(float(v)) for v in value)}]"
    else:
        text = repr(value)
    return f"{name} = {text}\n"


def parameters_line(parameters: Sequence[float]) -> str:
    return setting_line("fsrs_parameters", [float(p) for p in parameters])


def save_fsrs_parameters(path: Path, parameters: Sequence[float]) -> None:
    save_setting(path, "fsrs_parameters", [float(p) for p in parameters])


def save_setting(path: Path, name: str, value: Value) -> None:
    """Set `name` in the TOML file at `path` (created if missing); UserError if that cannot be done safely."""
    old_text = _read(path)
    new_text = _replace_or_insert(old_text, name, setting_line(name, value))
    _check(path, old_text, new_text, name, value)
    _write(path, new_text)


def remove_setting(path: Path, name: str) -> bool:
    """Take `name` out of the TOML file at `path`; False when it was not set there."""
    old_text = _read(path)
    lines = old_text.splitlines(keepends=True)
    index = _setting_index(lines, name)
    if index is None:
        return False
    new_text = "".join(lines[:index] + lines[_array_end(lines, index):])
    try:
        old, new = tomllib.loads(old_text), tomllib.loads(new_text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{shown_path(path)}: not valid TOML ({exc}); fix it, then try again") from None
    old.pop(name, None)
    if new != old:
        raise UserError(f"could not update {shown_path(path)} safely; remove the line `{name} = ...` from it yourself")
    _write(path, new_text)
    return True


def _setting_index(lines: list[str], name: str) -> int | None:
    """The line where top-level `name = ...` starts (settings live before the first [table])."""
    key_line = re.compile(rf"^\s*{re.escape(name)}\s*=")
    for index, current in enumerate(lines):
        if _TABLE_LINE.match(current):
            return None
        if key_line.match(current):
            return index
    return None


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        raise UserError(f"cannot write {shown_path(path)}: {exc.strerror or exc}") from None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read settings file {shown_path(path)}: {exc}") from None


def _replace_or_insert(text: str, name: str, line: str) -> str:
    key_line = re.compile(rf"^\s*{re.escape(name)}\s*=")
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for index, current in enumerate(lines):
        if _TABLE_LINE.match(current):
            return "".join(lines[:index] + [line] + lines[index:])
        if key_line.match(current):
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


def _check(path: Path, old_text: str, new_text: str, name: str, value: Value) -> None:
    try:
        old, new = tomllib.loads(old_text), tomllib.loads(new_text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{shown_path(path)}: not valid TOML ({exc}); fix it, then try again") from None
    old.pop(name, None)
    saved = new.pop(name, None)
    if new != old or saved != value:
        raise UserError(f"could not update {shown_path(path)} safely; add this line to it yourself:\n  "
                        + setting_line(name, value).strip())
