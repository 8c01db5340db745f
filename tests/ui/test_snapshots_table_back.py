"""SVG snapshots of a back that starts with a Markdown table, at the two sizes users report from. Review a
changed picture before accepting it with `pytest tests/ui/test_snapshots_table_back.py --snapshot-update`."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Markdown

from tests.ui.waiting import until

DISPLAY_DECK = Path(__file__).parent.parent / "fixtures" / "display"


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
def test_table_first_back(snap_compare, make_app, size: tuple[int, int]) -> None:
    app = make_app(DISPLAY_DECK)

    async def reveal(pilot) -> None:
        await pilot.press("r", "space")
        back = app.screen.query_one("#question-back", Markdown)
        await until(pilot, lambda: len(back.children) >= 3)  # label, table, the sentence after it
        await pilot.pause()

    assert snap_compare(app, run_before=reveal, terminal_size=size)
