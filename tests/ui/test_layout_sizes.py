"""Pilot tests: what a screen must show whole at the standard sizes (80x24, 100x30, 120x40), each written where a
part was cut off or hidden."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Footer

from quizapp.tui.screens.quiz_setup import QuizSetupScreen
from quizapp.tui.widgets.topic_picker import TopicPicker

SIZES = [(80, 24), (100, 30), (120, 40)]
IDS = ["80x24", "100x30", "120x40"]


def whole_on_screen(app, widget) -> bool:
    """`widget` is drawn whole (its region, clipped by any scrolling parent, is its whole box) and above the footer."""
    footer = app.screen.query_one(Footer).region
    return widget.region.size == widget.outer_size and 0 < widget.region.height and widget.region.bottom <= footer.y


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_the_quiz_setups_start_button_is_in_view(make_app, size) -> None:
    app = make_app(builtin=True)  # 16 topics: more than fit at 80x24
    async with app.run_test(size=size) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, QuizSetupScreen)
        assert whole_on_screen(app, app.screen.query_one("#quiz-start", Button))
        picker = app.screen.query_one(TopicPicker)
        if size[1] >= 30:  # room for every topic: none hidden behind a scrollbar
            assert picker.region.height == picker.option_count + 2
