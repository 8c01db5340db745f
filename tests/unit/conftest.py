"""Fixtures shared by the unit tests (a module's own fixture of the same name takes precedence)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.study.store import Store


@pytest.fixture
def store(tmp_path: Path):
    """An empty review store in a fresh data dir, closed after the test."""
    with Store.open(tmp_path / "data") as opened:
        yield opened
