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
    "quizapp.drills.commands",
    "quizapp.drills.task",
    "solvers",
    "solvers.drills",
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


def test_a_start_from_the_content_cache_needs_neither_yaml_nor_pydantic(tmp_path) -> None:
    """What the home screen needs (topics, keys, counts) comes from the cache as plain data; the cards' text
    (pydantic models) is unpickled only when a card is shown."""
    create = f"AppContext.create(data_dir={str(tmp_path)!r}, env={{'QUIZAPP_CONFIG': {str(tmp_path / 'no.toml')!r}}})"
    code = (
        "from quizapp.context import AppContext\n"
        f"context = {create}\n"
        "deck = context.load_deck()\n"  # the first load fills the cache
        "import sys\n"
        "for name in [m for m in sys.modules if m.split('.')[0] in ('pydantic', 'yaml', 'quizapp')]:\n"
        "    del sys.modules[name]\n"
        "from quizapp.context import AppContext\n"
        "from quizapp.study.stats import compute_stats\n"
        f"context = {create}\n"
        "deck = context.load_deck()\n"
        "compute_stats(deck, context.open_store(), context.settings, context.clock)\n"
        "assert deck.card_count > 100\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('pydantic', 'yaml')], 'imported too soon'\n"
        "assert deck.cards()[0].card.id == deck.cards()[0].id  # the text arrives when it is read\n"
        "assert 'pydantic' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
