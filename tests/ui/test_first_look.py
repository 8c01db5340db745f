"""What a new user meets first, at the terminal sizes people start with (80x24 and 100x30)."""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from quizapp.tui.screens.help import HelpScreen, help_text
from quizapp.tui.screens.home import HomeScreen


def footer_keys(app) -> list[FooterKey]:
    return list(app.screen.query_one(Footer).query(FooterKey))


async def test_help_says_how_to_close_it_and_how_to_scroll_a_long_card(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        # Its own footer, not the home screen's keys (r, q, b...) that do nothing while it is open.
        assert [key.description for key in footer_keys(app) if not key.has_class("-command-palette")] == ["Close"]
        text = help_text(app.screen)
        assert "**Long cards** scroll" in text and "`pgdn` and `pgup` a page" in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
