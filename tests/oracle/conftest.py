"""Oracle tests: our numbers against trusted libraries.

The solvers' oracle modules carry the ``solvers`` marker so that ``pytest -k solvers`` selects
them along with tests/unit/test_solvers_*.py.
"""

import tempfile
from pathlib import Path

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "solvers: tests of the numpy-only solvers package (select with -k solvers)")


@pytest.fixture
def tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Anki and genanki write temporary files: give them a folder of the test's own (the Anki tests' tmp_path)."""
    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return tmp_path
