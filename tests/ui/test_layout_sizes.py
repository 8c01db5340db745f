"""Pilot tests: what a screen must show whole at the standard sizes (80x24, 100x30, 120x40), each written where a
part was cut off or hidden."""

from __future__ import annotations

import pytest
from textual.widgets import Button, DataTable, Footer, Input, Static
from textual.widgets._toast import Toast

from quizapp.tui.editor import NO_EDITOR
from quizapp.tui.screens.quiz_setup import QuizSetupScreen
from quizapp.tui.widgets.topic_picker import TopicPicker
from tests.ui.test_footers import footer_keys
from tests.ui.waiting import until

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


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_a_long_toast_shows_its_whole_message_at_the_top_right(make_app, size) -> None:
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.press("r")
        app.notify(NO_EDITOR, title="Edit", severity="warning")
        await until(pilot, lambda: any(toast.region.width for toast in app.screen.query(Toast)))  # laid out
        toast = app.screen.query_one(Toast)
        lines = [strip.text.strip(" ▌") for strip in toast.render_lines(toast.region.reset_offset)]
        # wrapped, never cut with "…" (▌: its border)
        assert " ".join(line for line in lines if line) == f"Edit: {NO_EDITOR}"
        assert toast.region.y == 0 and toast.region.right == size[0] and toast.region.width <= size[0] // 2


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_browses_detail_gives_the_card_half_the_width_and_breaks_a_long_key_at_its_dashes(make_app, size) -> None:
    key = "generative-discriminative/open-generative-vs-discriminative"  # the longest in the deck
    app = make_app(builtin=True)
    async with app.run_test(size=size) as pilot:
        await pilot.press("b", "slash", *f"key:{key}", "enter")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        card, side = screen.query_one("#detail-card"), screen.query_one("#detail-side")
        assert card.region.width >= side.region.width - 1 and side.region.width <= 50  # it was 28 beside 50
        schedule = screen.query_one("#detail-schedule", Static)
        lines = [strip.text.strip() for strip in schedule.render_lines(schedule.region.reset_offset)]
        key_lines = lines[:next(index for index, line in enumerate(lines) if line == "new")]
        assert "".join(key_lines) == key and all(line[-1] in "/-" for line in key_lines[:-1]), key_lines
        table = screen.query_one("#detail-history", DataTable)
        assert sum(column.get_render_width(table) for column in table.columns.values()) <= table.size.width


@pytest.mark.parametrize("size", SIZES + [(60, 20)], ids=IDS + ["60x20"])
async def test_browses_search_placeholder_fits_its_box(make_app, size) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("b")
        await pilot.pause()
        await pilot.pause()
        box = app.screen.query_one("#search", Input)
        assert box.placeholder.startswith("Search") and len(box.placeholder) <= box.content_region.width
        if size[0] >= 120:
            assert "failed:7" in box.placeholder  # the whole syntax where it fits


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_a_coding_drills_review_footer_keeps_quit_in_view(make_app, size) -> None:
    app = make_app(builtin=True, start="review", query="type:code")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.screen.session.current.kind == "code"
        keys = footer_keys(app)  # each whole, clear of the palette's key
        assert keys[-1] == "^q Quit" and "⏎ Check / accept" in keys
        if size[0] >= 100:
            assert "@ Suspend" in keys


async def test_a_long_key_in_a_cards_header_goes_to_a_second_line_whole(make_app) -> None:
    key = "generative-discriminative/open-generative-vs-discriminative"
    app = make_app(builtin=True, start="review", query=f"key:{key}")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        meta = app.screen.query_one("#question-meta", Static)
        lines = [strip.text.strip() for strip in meta.render_lines(meta.region.reset_offset)]
        assert lines == ["generative-discriminative  ·  Open question  ·", key]  # it was cut to the topic and "…"
