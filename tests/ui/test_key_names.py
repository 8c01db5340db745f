"""Pilot test: every message, hint, button and help line that names a key names the key bound now, with the
user's [keymap] applied (it said ctrl+z, e, y... whatever the keymap said)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Static

from quizapp.config import Settings
from quizapp.study.quiz import QuizSession
from quizapp.tui.launch import build_app
from quizapp.tui.screens.confirm import ConfirmScreen
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.widgets.choice_list import ChoiceList
from quizapp.tui.widgets.key_points import KeyPointList
from quizapp.tui.widgets.markdown_card import MarkdownCard
from quizapp.tui.widgets.marked_row import MarkedRow
from tests.study_helpers import FIXTURE_DECK, settings
from tests.ui.conftest import make_context
from tests.ui.test_open_cards import OPEN_DECK, text_of
from tests.ui.test_study_keys import kept_notes, notes  # noqa: F401 (kept_notes: a fixture)

KEYMAP = {"undo": "ctrl+y", "bury": "b", "home.topic-review": "o", "confirm.yes": "j", "review.key1": "a"}


async def test_messages_and_help_name_the_keys_the_user_bound(tmp_path: Path) -> None:
    context = make_context(tmp_path / "data", FIXTURE_DECK)
    context.settings = Settings(**{**settings().model_dump(), "keymap": KEYMAP})
    app = build_app(context)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            assert str(app.screen.query_one("#topics-hint", Static).render()) == "o on a topic reviews just that topic."
            await pilot.press("question_mark")
            help_text = app.screen.query_one(MarkdownCard).source
            assert "`b` buries the card until tomorrow" in help_text and "`^y` undoes each" in help_text
            assert "`b` buries or unburies" in help_text and "`a` Again · `2` Hard" in help_text
            assert "Choice: `a`, `2`, `3`… toggle options" in help_text  # it said "number keys"
            await pilot.press("escape", "b", "at")
            assert "Suspended mini/flash: ^y to undo" in notes(app)
            await pilot.press("R")
            assert isinstance(app.screen, ConfirmScreen) and "(^y undoes it)" in app.screen.question
            assert str(app.screen.query_one("#confirm-yes", Button).label) == "Reset (j)"
            await pilot.press("n", "ctrl+y")
            assert "Undid: Suspended mini/flash" in notes(app)
            await pilot.press("escape", "r", "space")
            assert str(app.screen.query_one("#suggestion", Static).render()) == "How well did you know it? Press a/2/3/4"
            await pilot.press("b")
            assert "Buried mini/flash until tomorrow: ^y to undo" in notes(app)
            palette = {command.title: command.help for command in app.get_system_commands(app.screen)}
            assert palette["Bury card"] == "Hide this card until tomorrow (b)"
            assert palette["Undo"] == "Undo the last review of this session (^y)"
    finally:
        app.services.store.close()


async def test_the_quizs_hints_name_the_keys_the_user_bound(tmp_path: Path) -> None:
    context = make_context(tmp_path / "data", OPEN_DECK)
    context.settings = Settings(**{**settings().model_dump(), "keymap": {"show-answer": "f2", "record-points": "f3",
                                                                      "submit": "f4", "key-points.toggle": "t"}})
    app = build_app(context)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            services = app.services
            app.push_screen(QuizScreen(QuizSession(services.deck, services.store, services.clock, types=("open",),
                                                   count=1, seed=1)))
            await pilot.pause()
            assert text_of(app, "#quiz-next") == ""  # said once, under the answer box
            assert text_of(app, "#open-hint").endswith(" · f2 shows the model answer and the key points")
            await pilot.press("f2")
            assert text_of(app, "#quiz-next").endswith(" — tick the points you made, then f3 records them")
            checklist = app.screen.query_one(KeyPointList)
            assert str(checklist.children[0].render()).startswith("Tick the points you made (t, click)")
            await pilot.press("t")
            assert checklist.ticked == frozenset({0})
            await pilot.press("f3")
            await pilot.pause()
            assert text_of(app, "#quiz-next").startswith("f4 for the")  # it said Enter whatever was bound
    finally:
        app.services.store.close()


async def test_a_choice_names_the_option_keys_the_user_bound(tmp_path: Path) -> None:
    context = make_context(tmp_path / "data", FIXTURE_DECK)
    remapped = {f"review.key{n}": key for n, key in enumerate("zxcv", start=1)}
    context.settings = Settings(**{**settings().model_dump(), "keymap": remapped})
    app = build_app(context)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("r", "space", "c")  # c: Good, the flashcard; next, a choice
            await pilot.pause()
            choices = app.screen.query_one(ChoiceList)
            hint = str(choices.query_one(Static).render())
            assert hint == f"Choose one: press {'/'.join('zxcv'[:len(choices.options)])} (or click), then Enter"
            rows = [str(row.query_one(".marked-row--mark", Static).render()) for row in choices.query(MarkedRow)]
            assert rows[0].startswith("[ ] z  a)"), rows
            await pilot.press("x")
            assert choices.chosen == {1}
    finally:
        app.services.store.close()
