"""Domain code never imports textual; --version and --help stay instant (no heavy imports)."""

from __future__ import annotations

import subprocess
import sys

import pytest

DOMAIN_MODULES = [
    "quizapp",
    "quizapp.cli",
    "quizapp.paths",
    "quizapp.deck",
    "quizapp.deck.loader",
    "quizapp.authoring",
    "quizapp.generate",
    "solvers",
]


def modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True, text=True, check=True,
    )
    return set(out.stdout.split())


@pytest.mark.parametrize("module", DOMAIN_MODULES)
def test_domain_modules_do_not_import_textual(module: str) -> None:
    loaded = modules_after(f"import {module}")
    assert "textual" not in loaded


def test_solvers_import_only_numpy() -> None:
    loaded = modules_after("import solvers")
    for heavy in ("textual", "pydantic", "scipy", "sklearn", "torch", "yaml"):
        assert heavy not in loaded, heavy


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_import_nothing_heavy(flag: str) -> None:
    code = f"import sys; sys.argv=['quizapp', '{flag}']\nfrom quizapp.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass"
    loaded = modules_after(code)
    for heavy in ("textual", "numpy", "pydantic", "yaml"):
        assert heavy not in loaded, heavy
