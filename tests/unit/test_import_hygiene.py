"""Domain code never imports textual; --version and --help stay instant (no heavy imports)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

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
    "quizapp.study.query",
    "quizapp.study.interview",
    "quizapp.study.plan",
    "quizapp.study.interview_day",
    "quizapp.interview_report",
    "quizapp.study.sync",
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


def test_a_start_from_the_content_cache_reads_no_yaml(tmp_path) -> None:
    """With nothing changed, the deck comes from the cache: neither the YAML parser nor the solvers (numpy)
    are imported."""
    create = f"AppContext.create(data_dir={str(tmp_path)!r}, env={{'QUIZAPP_CONFIG': {str(tmp_path / 'no.toml')!r}}})"
    first = f"from quizapp.context import AppContext\n{create}.load_deck()\n"  # fills the cache
    subprocess.run([sys.executable, "-c", first], check=True, capture_output=True, text=True)
    code = (
        "from quizapp.context import AppContext\n"
        "from quizapp.study.stats import compute_stats\n"
        f"context = {create}\n"
        "deck = context.load_deck()\n"
        "compute_stats(deck, context.open_store(), context.settings, context.clock)\n"
        "assert deck.card_count > 100\n"
        "import sys\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'yaml' or m == 'quizapp.deck.parse'], 'parsed'\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('solvers', 'numpy')], 'solvers imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)


def _imports(path: Path, module: str, known: set[str]) -> set[str]:
    """The quizapp modules a module imports anywhere in its source (deferred imports in functions too)."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in known)
    return found - {module}


def test_no_import_cycle_anywhere_in_quizapp() -> None:
    root = Path(__file__).resolve().parents[2]
    files = {".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__"): path
             for path in (root / "quizapp").rglob("*.py")}
    graph = {module: _imports(path, module, set(files)) for module, path in files.items()}
    cycles = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append(trail[trail.index(target):] + [target] if target in trail else [module, target])
            elif target not in state:
                visit(target, trail + [target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(" -> ".join(cycle) for cycle in cycles)
