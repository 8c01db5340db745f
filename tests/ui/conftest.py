"""Build the app exactly as the CLI does, with a temporary data dir, a fixed clock and a fixed seed."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from quizapp.context import AppContext
from quizapp.paths import ContentLocations, builtin_content_dir
from quizapp.study.clock import FixedClock
from quizapp.tui.launch import build_app
from tests.study_helpers import FIXTURE_DECK, settings

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def make_context(data: Path, *content: Path, builtin: bool = False) -> AppContext:
    return AppContext(
        data_dir=data,
        locations=ContentLocations(builtin=builtin_content_dir() if builtin else None,
                                   user=data / "content", extra=tuple(content)),
        settings=settings(),
        clock=FixedClock(START),
        seed=7,
    )


@pytest.fixture
def make_app(tmp_path: Path):
    apps = []

    def factory(*content: Path, start: str = "home", builtin: bool = False, query: str | None = None):
        app = build_app(make_context(tmp_path / "data", *(content or (FIXTURE_DECK,)), builtin=builtin), start=start,
                        query=query)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.services.store.close()
