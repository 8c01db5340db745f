"""The command that opens a file in the user's editor: the file is always the editor's file, never an option."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quizapp.tui.editor import editor_command


@pytest.mark.parametrize(("editor", "expected"), [
    ("vim", ["vim", "+4", "{path}"]),
    ("nano -l", ["nano", "-l", "+4", "{path}"]),
    ("code", ["code", "--wait", "--goto", "{path}:4"]),
])
def test_a_file_named_like_an_option_or_a_command_is_passed_as_an_absolute_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, editor: str, expected: list[str]) -> None:
    """With a content folder given as `.`, a shared file named '+!touch PWNED.yaml' reached vim as its own
    argument, and vim ran it as an Ex command, so pressing `e` on its card ran a shell command."""
    monkeypatch.chdir(tmp_path)
    relative = Path("+!touch PWNED.yaml")
    command = editor_command(relative, 4, {"EDITOR": editor})
    path = str(tmp_path / relative)
    assert command == [part.replace("{path}", path) for part in expected]
    assert all(not part.startswith(("+!", "--goto=")) for part in command)
    assert os.path.isabs(command[-1].removesuffix(":4"))


def test_without_a_line_the_file_is_absolute_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert editor_command(Path("-c!x.py"), None, {"VISUAL": "vi"}) == ["vi", str(tmp_path / "-c!x.py")]
    assert editor_command(Path("x.py"), None, {}) is None
