"""Handing a file to the user's own editor ($VISUAL, else $EDITOR) while the app steps aside.

Shared by the coding drill (a temporary file of code) and the card editor (a content file at a card's
line). The app suspends, so the editor has the terminal (a headless app cannot: that is reported).
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Mapping
from pathlib import Path

from textual.app import App

__all__ = ["NO_EDITOR", "editor_command", "run_editor"]

NO_EDITOR = "Set $VISUAL or $EDITOR to your editor (for example `export EDITOR=nano`), then press the key again."
# Editors that take FILE:LINE rather than +LINE FILE.
_COLON_LINE = {"code": ["--wait", "--goto"], "codium": ["--wait", "--goto"], "subl": ["--wait"]}


def editor_command(path: Path, line: int | None = None, env: Mapping[str, str] = os.environ) -> list[str] | None:
    """The command that opens `path` (at `line`) in the user's editor; None when no editor is set."""
    command = shlex.split(env.get("VISUAL") or env.get("EDITOR") or "")
    if not command:
        return None
    # Absolute, so no file name is read as an option or a command: a content folder given as `.` made
    # `vim +4 '+!sh evil.sh #.yaml'`, and vim runs `+...` as an Ex command (here a shell command).
    path = path.absolute()
    if line is None:
        return [*command, str(path)]
    name = Path(command[0]).name
    if name in _COLON_LINE:
        return [*command, *_COLON_LINE[name], f"{path}:{line}"]
    return [*command, f"+{line}", str(path)]  # vi, vim, nvim, nano, emacs, micro, helix, kakoune


def run_editor(app: App, command: list[str]) -> str | None:
    """Run the editor with the terminal handed over; a message saying what went wrong, or None."""
    try:
        with app.suspend():
            subprocess.run(command, check=False)
    except FileNotFoundError:
        return f"No editor {command[0]!r}: check $VISUAL / $EDITOR."
    except Exception as exc:  # SuspendNotSupported (a web terminal), a permission error
        return f"Could not open {command[0]!r}: {exc}"
    return None
