"""The hostile corpus in the TUI: every screen drawn, nothing from data written to the terminal as a command,
and markup in names shown literally (it crashed Stats and the content-problems screen)."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import DataTable

from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.content_errors import ContentErrorsScreen
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.screens.stats import StatsScreen
from tests.hostile_corpus import HOSTILE, control_characters, loader_bypassed


def terminal_output(app) -> str:
    """What the app would write to the terminal for the whole screen now (its driver writes exactly this)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return update.render_segments(app.console)


def screen_text(app) -> str:
    """The characters on screen, without the styles between them."""
    return re.sub(r"\x1b\[[0-9;:]*m", "", terminal_output(app))


async def check_screen(app, pilot) -> str:
    await pilot.pause()
    output = terminal_output(app)
    assert control_characters(output, terminal=True) == []
    return output


async def test_every_screen_over_the_corpus_sends_no_control_character(make_app, monkeypatch) -> None:
    loader_bypassed(monkeypatch)  # the values reach the screens as a cached or stored value would
    app = make_app(HOSTILE)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        home = await check_screen(app, pilot)
        assert "Innocent deck\\x1b]52;c;" in home and "[/bad] [link=https://evil.example]click me[/link]" in home
        for key, screen in (("e", ContentErrorsScreen), ("b", BrowseScreen), ("s", StatsScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen)
            await check_screen(app, pilot)
            await pilot.press("escape")
        await pilot.press("r")
        assert isinstance(app.screen, ReviewScreen)
        shown = ""
        for _ in range(25):  # every hostile card: show it, reveal or answer it, rate it
            if app.screen.session.current is None:
                break
            kind = app.screen.session.current.kind
            shown += await check_screen(app, pilot)
            await pilot.press(*(("space",) if kind in {"flashcard", "cloze"} else ("1", "enter")))
            shown += await check_screen(app, pilot)
            await pilot.press("3" if kind in {"flashcard", "cloze"} else "enter")
        for escaped in ("\\x1b[6n", "\\x1b]0;OWNED\\x07", "U+202E", "\\x9b6n"):
            assert escaped in shown


async def test_markup_in_names_shows_literally_on_every_screen(make_app) -> None:
    app = make_app(HOSTILE / "markup-in-names.yaml")
    async with app.run_test(size=(120, 40)) as pilot:
        assert "[/bad] [link=https://evil.example]click me[/link]" in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        row = app.screen.query_one(DataTable).get_row_at(0)
        assert "unknown field '[/oops]'" in str(row[1])
        assert "unknown field '[/oops]'" in screen_text(app)
        await pilot.press("escape", "s")
        await pilot.pause()
        assert str(app.screen.query_one("#accuracy", DataTable).get_row_at(0)[0]).startswith("[/bad] [link=")
        await pilot.press("escape", "b")
        await pilot.pause()
        assert "markup/c1" in screen_text(app)
        await pilot.press("escape", "r")
        await pilot.pause(0.3)  # the Markdown of the card is laid out after the screen is shown
        assert "[/x] [link=https://evil.example]front[/link]" in screen_text(app)
        assert "\x1b]8;" not in terminal_output(app)  # no live link made from the text


async def test_the_answer_hint_is_text_not_markup(make_app, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "n.yaml").write_text("topic: n\ntitle: N\ncards:\n  - {id: a, type: numeric, prompt: 'One?', answer: 1}\n")
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#answer").value = "[1"
        await pilot.pause()
        assert "✗ the opening '[' has no matching ']' at the end" in screen_text(app)


async def test_quiz_setup_shows_a_markup_title_literally(make_app) -> None:
    app = make_app(HOSTILE / "markup-in-names.yaml")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await pilot.pause(0.3)
        prompts = [str(option.prompt) for option in app.screen.query_one("#quiz-topics")._options]
        assert any("[/bad] [link=https://evil.example]click me[/link]" in prompt for prompt in prompts)


async def test_notifications_quote_data_as_plain_text(make_app) -> None:
    """A typed answer, a key or a file name in a notification is never markup nor a control sequence."""
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("r", "space", "3", "1", "enter", "enter", "1", "3", "enter", "enter")
        app.screen.query_one("#answer").value = "[/oops"
        await pilot.press("enter")  # unreadable: a warning quoting the parser, not a MarkupError
        app.notify("[/oops] \x1b]0;OWNED\x07", title="[b]key")
        await pilot.pause()
        shown = [(n.message, n.markup) for n in app._notifications]
    assert ("[b]key: [/oops] \\x1b]0;OWNED\\x07", False) in shown
    assert any(message.startswith("Could not read") for message, _ in shown)
