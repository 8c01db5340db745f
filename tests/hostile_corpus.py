"""The hostile-content corpus (tests/hostile/): one fixture per finding, and helpers to run it.

Each fixture says in `# expect:` lines what `quizapp validate` reports for it (`line:col: where: message`),
or in a `# valid:` line that it is valid content, which the front ends must still draw safely.
To prove the second line of defence (escaping at output), `loader_bypassed` lets the hostile values through
the loader's checks, as a value that reaches the screen by another way (an old database row, a cache) would.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp.safetext import unsafe_characters

HOSTILE = Path(__file__).parent / "hostile"
EMPTY_EXPECTATION = "1:1: file is empty: a content file is a mapping with topic, title and cards"

# Python that switches the loader's character and math checks off, for a subprocess.
BYPASS = (
    "import quizapp.deck.yamlsource as y, quizapp.deck.parse as p; "
    "y._Builder._check_text = lambda *a: None; p.math_problem = lambda text: None; "
)

# What Textual itself writes: styles (SGR), cursor moves, mode switches and OSC 8 links without controls.
_OWN_SEQUENCES = re.compile(r"\x1b\[[0-9;:]*[mHJK]|\x1b\[\?[0-9;]*[hl]|\x1b]8;[^\x00-\x1f\x7f-\x9f]*?\x1b\\")


def fixtures() -> list[Path]:
    return sorted(HOSTILE.glob("*.yaml"))


def is_valid(path: Path) -> bool:
    """A fixture of valid content (a trap for the front ends, not for validate)."""
    return path.stat().st_size > 0 and "\n# valid: " in "\n" + path.read_text("utf-8")


def expectations(path: Path) -> list[str]:
    """The `line:col: where: message` lines the fixture's header promises."""
    if path.stat().st_size == 0:
        return [EMPTY_EXPECTATION]
    return [line.removeprefix("# expect: ").rstrip("\n") for line in path.read_text("utf-8").splitlines()
            if line.startswith("# expect: ")]


def loader_bypassed(monkeypatch: pytest.MonkeyPatch) -> None:
    import quizapp.deck.parse as parse
    import quizapp.deck.yamlsource as yamlsource

    monkeypatch.setattr(yamlsource._Builder, "_check_text", lambda *args: None)
    monkeypatch.setattr(parse, "math_problem", lambda text: None)


def control_characters(output: str, *, terminal: bool = False) -> list[str]:
    """Characters in `output` a terminal would act on; with `terminal`, Textual's own sequences are allowed."""
    if terminal:
        output = _OWN_SEQUENCES.sub("", output)
    return [char for _, char in unsafe_characters(output)]
