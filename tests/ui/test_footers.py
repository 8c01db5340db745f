"""Pilot tests: the footer tells the truth in a standard terminal: help and quit are in view at 80 columns, a key
left out still works; escape in a search box goes back to the list (then home), and the footer says which."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input
from textual.widgets._footer import FooterKey

from quizapp.tui.screens.glossary import GlossaryScreen
from quizapp.tui.screens.home import HomeScreen


def footer_keys(app) -> list[str]:
    """The footer's keys as drawn, each whole within the line and clear of the palette's key on the right."""
    keys = list(app.screen.query(FooterKey))
    palette = next(key for key in keys if key.has_class("-command-palette"))
    shown = [key for key in keys if key is not palette]
    assert all(key.region.right <= palette.region.x for key in shown), [(k.description, k.region) for k in shown]
    assert palette.region.right <= app.size.width
    return [f"{key.key_display} {key.description}" for key in shown]


@pytest.mark.parametrize(("size", "expected"), [
    ((80, 24), ["r Review", "q Quiz", "b Browse", "s Stats", "i Interview", "? Help", "^q Quit"]),
    ((100, 30), ["r Review", "q Quiz", "b Browse", "s Stats", "g Glossary", "i Interview", "? Help", "^q Quit"]),
    ((120, 40), ["r Review", "q Quiz", "b Browse", "s Stats", "g Glossary", "i Interview", "? Help", "^q Quit"]),
    ((60, 20), ["r Review", "q Quiz", "b Browse", "? Help", "^q Quit"]),
], ids=["80x24", "100x30", "120x40", "60x20"])
async def test_the_home_footer_keeps_help_and_quit_in_view(make_app, size, expected) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert footer_keys(app) == expected


async def test_the_home_footer_follows_a_resize_and_a_key_left_out_still_works(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "g Glossary" in footer_keys(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert "g Glossary" not in footer_keys(app) and "^q Quit" in footer_keys(app)
        await pilot.press("g")
        assert isinstance(app.screen, GlossaryScreen)


async def test_escape_in_browses_search_box_goes_back_to_the_list_and_then_home(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b", "slash", *"key:mini/blanks")
        await pilot.pause()
        screen = app.screen
        assert footer_keys(app) == ["esc Back to list", "^q Quit"]  # "@" and "-" type into the box
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and isinstance(app.focused, DataTable)
        assert screen.query_one("#search", Input).value == "key:mini/blanks" and len(screen.shown) == 2
        assert "esc Home" in footer_keys(app) and "@ Suspend" in footer_keys(app)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize(("size", "expected"), [
    ((80, 24), ["space Select", "s Study these", "@ Suspend", "- Bury", "esc Home", "^q Quit"]),
    ((100, 30), ["space Select", "s Study these", "o Order", "@ Suspend", "- Bury", "i Info", "esc Home", "^q Quit"]),
], ids=["80x24", "100x30"])
async def test_the_browse_footer_keeps_home_and_quit_in_view(make_app, size, expected) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert footer_keys(app) == expected


async def test_escape_in_the_glossarys_search_box_goes_back_to_the_terms_and_then_home(make_app) -> None:
    app = make_app(builtin=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        screen = app.screen
        assert isinstance(app.focused, Input)
        assert footer_keys(app) == ["esc Back to list", "^q Quit"]  # "/" would be typed
        await pilot.press(*"norm", "escape")
        await pilot.pause()
        assert app.screen is screen and isinstance(app.focused, DataTable) and screen.shown
        assert footer_keys(app) == ["/ Search", "esc Home", "^q Quit"]
        await pilot.press("slash", *"zzzz", "escape")  # nothing matches: the box is left all the same
        await pilot.pause()
        assert app.screen is screen and app.focused is None
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
