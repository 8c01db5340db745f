"""Pilot tests of the daily-study keys in review: bury, suspend, flags, card info and editing the card in
$EDITOR, each undone with ctrl+z; and a remapped key from config.toml."""

from __future__ import annotations

import contextlib
import io
import stat
import sys
from pathlib import Path

import pytest
from fsrs import Rating
from rich.console import Console
from textual.widgets import DataTable, Input, Static
from textual.widgets._footer import FooterKey

from quizapp.config import Settings
from quizapp.tui.app import QuizApp
from quizapp.tui.launch import build_app
from quizapp.tui.screens.card_info import CardInfoScreen
from quizapp.tui.screens.review import ReviewScreen
from tests.study_helpers import FIXTURE_DECK, settings
from tests.ui.conftest import make_context

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def kept_notes(monkeypatch):
    """Every notification the app shows, kept: a toast expires, and a loaded machine may be slower than it."""
    show = QuizApp.notify

    def notify(self, message: str, *, title: str = "", **options) -> None:
        self.__dict__.setdefault("kept_notes", []).append(f"{title}: {message}" if title else message)
        show(self, message, title=title, **options)

    monkeypatch.setattr(QuizApp, "notify", notify)


def notes(app) -> list[str]:
    return app.__dict__.get("kept_notes", [])


def shown(app, selector: str) -> str:
    """A Static's content as the terminal shows it (a rich Table too)."""
    console = Console(width=100, file=io.StringIO(), record=True)
    console.print(app.screen.query_one(selector, Static).content)
    return console.export_text()


def counts_line(app) -> str:
    return str(app.screen.query_one("#review-counts", Static).render())


def fixture_copy(tmp_path: Path) -> Path:
    """The fixture deck in a folder the test may edit."""
    folder = tmp_path / "deck"
    folder.mkdir()
    for source in FIXTURE_DECK.glob("*.yaml"):
        (folder / source.name).write_text(source.read_text())
    return folder


def fake_editor(tmp_path: Path, script: str) -> str:
    """An $EDITOR: a Python script called as `editor +LINE FILE` that records its arguments and edits FILE."""
    path = tmp_path / "editor.py"
    path.write_text("import pathlib, sys\n"
                    f"pathlib.Path({str(tmp_path / 'editor-args')!r}).write_text(' '.join(sys.argv[1:]))\n"
                    "line, file = int(sys.argv[1][1:]), pathlib.Path(sys.argv[2])\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return f"{sys.executable} {path}"


@contextlib.asynccontextmanager
async def editing(tmp_path: Path, monkeypatch, script: str):
    """The app over an editable copy of the fixture deck, with `script` as $VISUAL: (app, pilot, deck folder)."""
    deck = fixture_copy(tmp_path)
    monkeypatch.setenv("VISUAL", fake_editor(tmp_path, script))
    app = build_app(make_context(tmp_path / "data", deck))
    try:
        async with app.run_test(size=SIZE) as pilot:
            monkeypatch.setattr(app, "suspend", contextlib.nullcontext)  # a headless app has no terminal to lend
            yield app, pilot, deck
    finally:
        app.services.store.close()


async def test_minus_buries_and_at_suspends_the_card_and_ctrl_z_undoes_each(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        screen = app.screen
        assert screen.session.current.key == "mini/flash"
        await pilot.press("minus")
        store = app.services.store
        assert store.marks_of("mini/flash").buried_until_ms is not None
        assert screen.session.current.key == "mini/pick-one"
        assert "Buried mini/flash until tomorrow: ^z to undo" in notes(app)
        await pilot.press("ctrl+z")
        assert store.marks_of("mini/flash").buried_until_ms is None and screen.session.current.key == "mini/flash"
        await pilot.press("at")
        assert store.marks_of("mini/flash").suspended and screen.session.current.key == "mini/pick-one"
        assert "Suspended mini/flash: ^z to undo" in notes(app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert not store.marks_of("mini/flash").suspended and screen.session.current.key == "mini/flash"
        assert "Undid the suspend of mini/flash" in notes(app)
    assert [row.event for row in app.services.store.events()] == []  # undone events leave no trace


async def test_flag_keys_colour_the_card_in_the_header_and_the_same_key_clears(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        store = app.services.store
        await pilot.press("ctrl+1")  # kitty-protocol terminals send it
        assert store.marks_of("mini/flash").flag == 1 and "■ red flag" in counts_line(app)
        await pilot.press("f6")  # every terminal: f5..f8
        assert store.marks_of("mini/flash").flag == 2 and "■ orange flag" in counts_line(app)
        await pilot.press("f6")
        assert store.marks_of("mini/flash").flag == 0 and "flag" not in counts_line(app)
        assert "Cleared the flag of mini/flash: ^z to undo" in notes(app)
        await pilot.press("ctrl+z")
        assert store.marks_of("mini/flash").flag == 2
        await pilot.press("ctrl+z", "ctrl+z")
        assert store.marks_of("mini/flash").flag == 0 and not app.screen.session.can_undo
        for key, colour in (("ctrl+3", 3), ("ctrl+4", 4), ("f7", 3), ("f8", 4), ("f5", 1), ("ctrl+2", 2)):
            await pilot.press(key)
            assert store.marks_of("mini/flash").flag == colour, key


async def test_keys_do_not_steal_what_is_typed_into_the_answer_box(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "space", "3", "1", "enter", "1", "1", "3", "enter", "enter")
        screen = app.screen
        assert screen.session.current.kind == "numeric" and isinstance(app.focused, Input)
        await pilot.press("minus", "at", "i", "e")
        assert app.focused.value == "-@ie" and isinstance(app.screen, ReviewScreen)
        assert app.services.store.marks() == {}
        await pilot.press("f5")  # a flag key types nothing: it works while typing
        assert app.services.store.marks_of("mini/number").flag == 1 and app.focused.value == "-@ie"


def footer_keys(app) -> set[str]:
    return {binding.key for _, binding, enabled, _ in app.screen.active_bindings.values() if enabled and binding.show}


async def test_the_footer_offers_bury_and_suspend_only_when_the_keys_do_not_type_into_the_answer(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert {"minus", "at"} <= footer_keys(app)  # a flashcard: the keys reach the screen
        await pilot.press("space", "3", "1", "enter", "1", "1", "3", "enter", "enter")
        assert app.screen.session.current.kind == "numeric" and isinstance(app.focused, Input)
        await pilot.pause()
        assert not {"minus", "at"} & footer_keys(app)  # they would type "-" and "@"
        await pilot.press("4", "2", "enter")  # checked: the box lets go of the keys
        await pilot.pause()
        assert {"minus", "at"} <= footer_keys(app)


async def test_i_shows_card_info_with_the_whole_history_and_escape_returns(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "space", "1")  # Again: mini/flash stays in learning and comes back
        await pilot.press("f8")  # flags the card now shown
        current = app.screen.session.current.key
        await pilot.press("i")
        assert isinstance(app.screen, CardInfoScreen) and app.screen.key == current
        summary = shown(app, "#info-summary")
        assert "tests/fixtures/deck/mini.yaml:" in summary and "■ blue" in summary
        history = app.screen.query_one("#info-history", DataTable)
        assert [str(cell) for cell in history.get_row_at(0)][1:] == ["flag blue", "", "", "", ""]
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen) and app.screen.session.current.key == current


async def test_card_info_lists_answers_with_rating_time_typed_answer_and_seed(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "space", "3", "1", "enter", "1", "1", "3", "enter", "enter")
        await pilot.press(*"0.7", "enter", "2")
        app.push_screen(CardInfoScreen(app.services, "mini/number"))
        await pilot.pause()
        row = [str(cell) for cell in app.screen.query_one("#info-history", DataTable).get_row_at(0)]
        assert row[1:3] == ["review", "Hard ✗"] and row[4] == "0.7" and row[3].endswith("s")
        facts = shown(app, "#info-summary")
        assert "learning" in facts and "1 scheduled, 1 answer in all" in facts


async def test_e_edits_the_card_in_editor_at_its_line_and_the_review_shows_the_new_text(
        tmp_path: Path, monkeypatch) -> None:
    script = ("file.write_text(file.read_text().replace('What does BN normalise over?', "
              "'Over what does BN normalise?'))\n")
    async with editing(tmp_path, monkeypatch, script) as (app, pilot, deck):
        await pilot.press("r", "e")
        await pilot.pause()
        line = app.services.deck.card("mini/flash").line
        assert (tmp_path / "editor-args").read_text() == f"+{line} {deck / 'mini.yaml'}"
        screen = app.screen
        assert screen.session.current.key == "mini/flash"
        assert "Over what does BN normalise?" in screen.session.current.prompt
        assert any(note.startswith("Reloaded mini/flash from") for note in notes(app))
        await pilot.press("space", "3")
        assert [row.key for row in app.services.store.log()] == ["mini/flash"]


async def test_an_edit_that_breaks_the_card_says_where_and_the_review_goes_on(tmp_path: Path, monkeypatch) -> None:
    script = "file.write_text(file.read_text().replace('type: flashcard', 'type: flashcrad', 1))\n"
    async with editing(tmp_path, monkeypatch, script) as (app, pilot, deck):
        await pilot.press("r", "e")
        await pilot.pause()
        problem = next(note for note in notes(app) if note.startswith("mini/flash no longer loads"))
        assert f"{deck / 'mini.yaml'}:" in problem
        assert app.screen.session.current.key == "mini/pick-one"  # the next card


async def test_e_without_an_editor_says_what_to_set(make_app, monkeypatch) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "e")
        assert any("Set $VISUAL or $EDITOR" in note for note in notes(app))
        assert app.screen.session.current.key == "mini/flash"


async def test_a_read_only_or_installed_content_file_is_not_opened(tmp_path: Path, monkeypatch) -> None:
    from quizapp.tui import card_edit

    async with editing(tmp_path, monkeypatch, "") as (app, pilot, deck):
        with monkeypatch.context() as patch:
            patch.setattr(card_edit.os, "access", lambda path, mode: False)  # as for a user, not root
            await pilot.press("r", "e")
        assert any(f"{deck / 'mini.yaml'} is not writable: copy it into" in note for note in notes(app))
        monkeypatch.setattr(card_edit, "_PACKAGED", deck)  # as if installed inside the package
        await pilot.press("e")
        assert any("is part of the installed quizapp package" in note for note in notes(app))
        assert not (tmp_path / "editor-args").exists() and app.screen.session.current.key == "mini/flash"


async def test_e_from_card_info_edits_and_the_review_shows_the_edit(tmp_path: Path, monkeypatch) -> None:
    script = "file.write_text(file.read_text().replace('The mini-batch, per feature.', 'Each feature, over it.'))\n"
    async with editing(tmp_path, monkeypatch, script) as (app, pilot, _):
        await pilot.press("r", "i", "e")
        await pilot.pause()
        assert isinstance(app.screen, CardInfoScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.session.current.answer == "Each feature, over it."


async def test_a_key_remapped_in_config_works_and_the_old_one_does_not(tmp_path: Path) -> None:
    context = make_context(tmp_path / "data", FIXTURE_DECK)
    context.settings = Settings(**{**settings().model_dump(), "keymap": {"bury": "b", "review.suspend": "ctrl+k"}})
    app = build_app(context)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("r", "minus")
            store = app.services.store
            assert store.marks() == {}
            await pilot.press("b")
            assert store.marks_of("mini/flash").buried_until_ms is not None
            await pilot.press("ctrl+k")
            assert store.marks_of("mini/pick-one").suspended
            active = app.screen.active_bindings
            assert active["b"].binding.id == "review.bury" and "minus" not in active  # the footer shows b
    finally:
        app.services.store.close()


async def test_a_learning_card_answered_last_comes_back_by_itself_when_it_is_due(tmp_path: Path) -> None:
    from tests.ui.test_app_flows import content_folder

    one_card = {"a.yaml": "topic: a\ntitle: Topic A\ncards:\n  - {id: c0, type: flashcard, front: f0, back: b0}\n"}
    app = build_app(make_context(tmp_path / "data", content_folder(tmp_path, one_card)))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("r", "space", "1")  # Again: back in a minute, not at once (it was just seen)
            screen = app.screen
            assert screen.session.finished
            assert "next learning card is due at 09:01; it is shown here then" in shown(app, "#done-message")
            app.services.clock.advance(minutes=1)
            await pilot.pause(1.5)  # no key pressed
            assert screen.session.current.key == "a/c0" and screen.query_one("#question").display
            assert "Learning 1" in counts_line(app)
    finally:
        app.services.store.close()


async def test_a_rating_cut_short_by_the_interview_date_says_so(tmp_path: Path) -> None:
    from datetime import timedelta

    from tests.ui.conftest import START

    context = make_context(tmp_path / "data", FIXTURE_DECK)
    context.settings = settings(interview_date=START.date() + timedelta(days=2))
    app = build_app(context)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("r")
            assert "interview" not in counts_line(app)  # nothing to rate yet
            await pilot.press("space")
            intervals = app.screen.session.intervals()
            assert intervals[Rating.Easy] == timedelta(days=1, hours=19)  # cut at the interview day's start
            assert counts_line(app).endswith("  ·  intervals capped: interview 04 Mar")  # fits 80 columns
            await pilot.press("1")  # the next card: not yet answered, no note
            assert "interview" not in counts_line(app)
    finally:
        app.services.store.close()



async def test_a_numeric_cards_footer_says_enter_checks_the_answer(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r", "space", "3", "1", "enter", "1", "1", "3", "enter", "enter")
        assert app.screen.session.current.kind == "numeric" and isinstance(app.focused, Input)
        await pilot.pause()
        shown = {key.key: key.description for key in app.screen.query(FooterKey)}
        assert shown.get("enter") == "Check answer"  # the box takes Enter before the screen's binding could name it
        await pilot.press("4", "2", "enter")
        await pilot.pause()
        assert app.screen.is_answered
