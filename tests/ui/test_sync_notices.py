"""The app syncs before it starts when a sync folder is set: a missing folder is a warning toast, not a crash."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from quizapp.study.store import NewEvent, Store
from quizapp.study.sync import sync
from quizapp.tui.launch import build_app
from tests.study_helpers import FIXTURE_DECK, settings
from tests.ui.conftest import make_context


async def test_a_missing_sync_folder_is_a_toast_and_study_goes_on(tmp_path: Path) -> None:
    context = make_context(tmp_path / "data", FIXTURE_DECK)
    context = replace(context, settings=settings(sync_dir=str(tmp_path / "not-mounted")))
    app = build_app(context)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        shown = [n.message for n in app._notifications]
    app.services.store.close()
    assert any(message.startswith("Sync: the sync folder") and "does not exist" in message for message in shown)


async def test_the_app_starts_with_the_other_devices_entries(tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir()
    with Store.open(tmp_path / "other") as other:
        other.apply([NewEvent("mini/flash", "suspend", 1_000)])
        sync(other, tmp_path / "other", folder, settings())
    context = replace(make_context(tmp_path / "data", FIXTURE_DECK), settings=settings(sync_dir=str(folder)))
    app = build_app(context)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert app.services.store.marks_of("mini/flash").suspended
        assert not app._notifications
    app.services.store.close()
