"""Solver plugins: a package installed from a fixture folder adds a solver that a content file can use.

The packages are pip-installed with `--target` into a temporary folder and used through PYTHONPATH in a
subprocess, so the shared interpreter is never changed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]
CONTENT = """topic: geometry
title: Geometry
cards:
  - id: cube
    type: generated
    solver: cube-volume
    difficulty: 2
"""


@pytest.fixture(scope="module")
def plugins(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("plugins")
    for name in ("solver_plugin", "solver_plugin_broken"):
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                        "--no-index", "--target", str(target), str(FIXTURES / name)],
                       check=True, capture_output=True, timeout=300)
    return target


def quizapp(plugins: Path, tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugins), str(ROOT)]),
           "QUIZAPP_DATA_DIR": str(tmp_path / "data")}
    env.pop("QUIZAPP_CONTENT", None)
    return subprocess.run([sys.executable, "-m", "quizapp", *argv], env=env, capture_output=True, text=True,
                          timeout=120)


def test_list_shows_the_plugin_solver_with_its_package(plugins: Path, tmp_path: Path) -> None:
    result = quizapp(plugins, tmp_path, "generate", "--list")
    assert result.returncode == 0
    line = next(line for line in result.stdout.splitlines() if line.startswith("cube-volume"))
    assert line.split()[-1] == "quizapp-cubes"
    assert next(line for line in result.stdout.splitlines() if line.startswith("auc")).split()[-1] == "solvers"


def test_a_plugin_that_fails_to_import_is_one_warning_not_a_crash(plugins: Path, tmp_path: Path) -> None:
    result = quizapp(plugins, tmp_path, "generate", "--list")
    warnings = [line for line in result.stderr.splitlines() if "quizapp-broken" in line]
    assert result.returncode == 0 and len(warnings) == 1, result.stderr
    assert "failed to load" in warnings[0] and "ModuleNotFoundError" in warnings[0]
    assert "Traceback" not in result.stderr


def test_a_content_file_uses_the_plugin_solver(plugins: Path, tmp_path: Path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "geometry.yaml").write_text(CONTENT)
    common = ["--no-builtin", "--content", str(folder)]
    assert quizapp(plugins, tmp_path, "validate", *common).returncode == 0
    shown = quizapp(plugins, tmp_path, "generate", "geometry/cube", "--seed", "4", "--show", *common)
    assert shown.returncode == 0 and "volume of a cube" in shown.stdout
    side = int(shown.stdout.split("side ")[1].split("?")[0])
    assert quizapp(plugins, tmp_path, "check", "geometry/cube", "--seed", "4", str(side**3), *common).returncode == 0
    assert quizapp(plugins, tmp_path, "check", "geometry/cube", "--seed", "4", str(side**3 + 1), *common).returncode == 1
    quiz = quizapp(plugins, tmp_path, "quiz", "--plain", "--count", "1", "--seed", "2", *common)
    assert "volume of a cube" in quiz.stdout, quiz.stdout + quiz.stderr
