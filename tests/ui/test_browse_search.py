"""Pilot tests: browse's search box speaks the search language, and "s" studies the cards it found."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from fsrs import Rating
from textual.widgets import DataTable, Input, Static

from quizapp.study.clock import StudyDay, to_ms
from quizapp.study.marking import mark
from quizapp.tui.launch import build_app
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.review import ReviewScreen
from tests.study_helpers import FIXTURE_DECK
from tests.ui.conftest import make_context
from tests.ui.test_app_flows import static_text, type_text, typing_paused


def rows(app) -> list[str]:
    table = app.screen.query_one("#cards", DataTable)
    return [str(table.coordinate_to_cell_key((index, 0)).row_key.value) for index in range(table.row_count)]


async def search(pilot, query: str) -> None:
    pilot.app.screen.query_one("#search", Input).value = query
    await typing_paused(pilot)


async def study_from_browse(pilot, query: str) -> None:
    """Open browse, search, and press "s" in the list, as a user would."""
    await pilot.press("b")
    await search(pilot, query)
    pilot.app.screen.query_one("#cards", DataTable).focus()
    await pilot.press("s")
    await pilot.pause()


async def test_the_search_box_filters_with_the_language(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.press("b", "slash")
        assert isinstance(app.screen, BrowseScreen)
        await type_text(pilot, "correct")
        await typing_paused(pilot)
        assert rows(app) == []  # the word is a field name of choice options, not card text
        await search(pilot, "tag:bn OR topic:second")
        assert rows(app) == ["mini/flash", "second/one", "second/two"]
        await search(pilot, '"mini-batch" -type:flashcard')
        assert rows(app) == ["mini/blanks#c1", "mini/blanks#c2"]  # one row per study item: both deletions
        assert app.screen.found == ["mini/blanks#c1", "mini/blanks#c2"]
        await search(pilot, "topic:second is:xyz")
        assert rows(app) == ["mini/blanks#c1", "mini/blanks#c2"]  # a query being typed keeps the last list
        assert app.screen.sub_title == "the search cannot be read at column 14"
        problem = app.screen.query_one("#search-problem", Static)
        assert problem.display
        assert str(problem.render()).splitlines() == [
            "unknown is:xyz at column 14; use is:due, is:new, is:learn, is:review, is:suspended, is:buried, "
            "is:leech, is:flagged", "  topic:second is:xyz", "               ^"]
        await search(pilot, "")
        assert len(rows(app)) == 9 and not problem.display  # every study item: the cloze card's two deletions


async def test_s_studies_the_cards_found_as_real_reviews(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(110, 32)) as pilot:
        await study_from_browse(pilot, "topic:second")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session.only == {"second/one", "second/two"}
        assert app.screen.session.current.key == "second/one"
        assert "2 cards found" in app.screen.sub_title
        await pilot.press("space", "4", "space", "4")
        await pilot.pause()
        assert [(row.key, row.mode) for row in app.services.store.log()] == [("second/one", "review"),
                                                                           ("second/two", "review")]
        assert app.screen.session.finished
        assert {row.key for row in app.services.store.cards()} == {"second/one", "second/two"}


async def test_s_with_nothing_found_stays_in_browse(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(110, 32)) as pilot:
        await study_from_browse(pilot, "is:suspended")
        assert isinstance(app.screen, BrowseScreen)


@pytest.fixture
def app_with_filter(tmp_path: Path):
    """The app as `quizapp review|quiz --filter QUERY` builds it."""
    apps = []

    def build(start: str, query: str):
        apps.append(build_app(make_context(tmp_path / "data", FIXTURE_DECK), start=start, query=query))
        return apps[-1]

    yield build
    for app in apps:
        app.services.store.close()


async def test_the_app_can_start_with_a_filtered_review(app_with_filter) -> None:
    app = app_with_filter("review", "type:cloze")
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session.only == {"mini/blanks#c1", "mini/blanks#c2"}
        app.screen.session.rate(Rating.Easy)
        assert [(row.key, row.mode) for row in app.services.store.log()] == [("mini/blanks#c1", "review")]


async def test_a_filter_that_finds_nothing_starts_at_home_and_says_so(app_with_filter) -> None:
    app = app_with_filter("review", "is:leech")
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("No card matches the search 'is:leech'" in n.message for n in app._notifications)


@pytest.mark.parametrize("start", ["review", "quiz", "interview"])
async def test_a_filter_of_a_card_id_says_the_key_that_finds_it(app_with_filter, start: str) -> None:
    """`quizapp interview --filter open-fight-vanishing` (a card's id, without key:) went home with a toast
    gone in five seconds that said only "No card matches": a bare word searches the cards' text."""
    app = app_with_filter(start, "pick-one")
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        [shown] = [n for n in app._notifications if n.severity == "warning"]
        assert shown.message == ("Search: No card matches the search 'pick-one': a bare word searches what cards "
                                 "say, not their ids; key:mini/pick-one finds the card with that id")
        assert shown.timeout >= 30


async def test_a_filtered_review_of_shelved_cards_says_why_it_is_empty(app_with_filter) -> None:
    app = app_with_filter("review", "topic:second")
    now = app.services.clock.now()
    day = StudyDay.containing(now, app.services.clock.tz, 4)
    mark(app.services.store, ["second/one", "second/two"], "suspend", day, to_ms(now))
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "2 of the cards found are suspended or buried, and a review leaves those out." in static_text(
            app, "#done-message")


async def test_the_app_can_start_a_quiz_of_the_cards_a_filter_finds(app_with_filter) -> None:
    from quizapp.tui.screens.quiz import QuizScreen
    from quizapp.tui.screens.quiz_setup import QuizSetupScreen

    app = app_with_filter("quiz", "topic:second OR tag:bn")
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QuizSetupScreen)
        assert app.screen.sub_title == "set up: 3 cards found by the search"
        app.screen.action_start()  # every type is chosen: the search chose the cards
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        assert app.screen.session.position == (1, 3)
        assert {item.key for item in app.screen.session._items} == {"mini/flash", "second/one", "second/two"}


async def test_the_app_can_start_an_interview_whose_chains_start_at_the_cards_a_filter_finds(app_with_filter) -> None:
    from quizapp.tui.screens.interview import InterviewScreen
    from quizapp.tui.screens.interview_setup import InterviewSetupScreen

    app = app_with_filter("interview", "type:numeric")
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, InterviewSetupScreen)
        assert app.screen.sub_title == "set up: 1 card found by the search"
        app.screen.action_start()
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert [item.key for item in app.screen.session.starts] == ["mini/number"]


async def test_quizapp_quiz_presets_the_set_up_with_its_topics_types_and_count(tmp_path: Path) -> None:
    from quizapp.study.quiz import QuizOptions
    from quizapp.tui.screens.quiz_setup import QuizSetupScreen
    from textual.widgets import SelectionList

    app = build_app(make_context(tmp_path / "data", FIXTURE_DECK), start="quiz", topics=["second"],
                    quiz=QuizOptions(("flashcard", "cloze"), 3))
    try:
        async with app.run_test(size=(110, 32)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, QuizSetupScreen)
            assert app.screen.query_one("#quiz-topics", SelectionList).selected == ["second"]
            assert sorted(app.screen.query_one("#quiz-types", SelectionList).selected) == ["cloze", "flashcard"]
            assert app.screen.query_one("#quiz-count", Input).value == "3"
    finally:
        app.services.store.close()


async def test_a_reload_lets_go_of_the_search_index_of_the_old_deck(make_app) -> None:
    from quizapp.study import query

    app = make_app()
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.press("b")
        await search(pilot, "mini-batch")
        found, old = rows(app), app.services.deck
        assert query._last_index is not None and query._last_index.deck is old
        app.services.reload_deck()
        assert query._last_index is None  # the old deck is not kept alive by the index
        await pilot.press("escape")
        await pilot.press("b")
        await search(pilot, "mini-batch")
        assert rows(app) == found and found
        assert query._last_index.deck is app.services.deck is not old


async def test_keys_that_arrive_together_edit_the_search_in_the_order_they_were_typed(make_app) -> None:
    """Backspace is a binding of the box; it used to run only after the key bubbled up to the app, behind the
    screen's searches, so the letters typed after it came first ("tag:pr")."""
    from textual import events

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b", "slash")
        await pilot.pause()
        names = {":": "colon", ">": "greater_than_sign"}
        for key in [*"tag:", *["backspace"] * 4, *"prop:d>5"]:  # a burst: none waits for the one before
            app.post_message(events.Key(names.get(key, key), None if key == "backspace" else key))
        await pilot.pause(1)
        assert app.screen.query_one("#search", Input).value == "prop:d>5"


def count_fills(monkeypatch) -> list[str]:
    """Each time browse fills its list anew (it empties the table first): the search the list then shows."""
    fills: list[str] = []
    clear = DataTable.clear

    def counting(table, columns: bool = False):
        if table.id == "cards":
            fills.append(table.screen.query_text)
        return clear(table, columns)

    monkeypatch.setattr(DataTable, "clear", counting)
    return fills


async def in_the_search_box(pilot) -> BrowseScreen:
    """Browse open, its list filled and its search box focused."""
    await pilot.press("b", "slash")
    await pilot.pause()
    assert isinstance(pilot.app.screen, BrowseScreen)
    return pilot.app.screen


@asynccontextmanager
async def searching(make_app, monkeypatch, delay: float):
    """Browse open with its search box focused, the list following the box `delay` seconds after the last key;
    yields the pilot, the screen and the searches each fill showed (see count_fills)."""
    monkeypatch.setattr(BrowseScreen, "SEARCH_DELAY", delay)
    fills = count_fills(monkeypatch)
    app = make_app()
    async with app.run_test(size=(110, 32)) as pilot:
        yield pilot, await in_the_search_box(pilot), fills


PAUSE_AFTER_TYPING = 1.0  # longer than any gap between keys, on a busy machine too


async def test_typing_fast_fills_the_list_once_when_typing_pauses(make_app, monkeypatch) -> None:
    """With 10,000 cards a fill took a good part of a second, and each key filled the list anew: typing a
    search stuttered. The list, and the count above it, wait until typing pauses."""
    async with searching(make_app, monkeypatch, PAUSE_AFTER_TYPING) as (pilot, screen, fills):
        app = pilot.app
        opened = len(fills)
        await type_text(pilot, "key:mini/blanks")
        assert len(fills) == opened and len(rows(app)) == 9 and screen.sub_title.startswith("9 of 9 cards")
        await typing_paused(pilot)
        assert fills[opened:] == ["key:mini/blanks"] and rows(app) == ["mini/blanks#c1", "mini/blanks#c2"]
        assert screen.sub_title == "2 of 9 cards · sorted by deck order"
        await pilot.press("backspace", *"s")  # the same search again: nothing to fill
        await typing_paused(pilot)
        assert len(fills) == opened + 1


async def test_enter_shows_the_search_typed_at_once(make_app, monkeypatch) -> None:
    async with searching(make_app, monkeypatch, 30) as (pilot, _, fills):  # typing never pauses long enough here
        app = pilot.app
        opened = len(fills)
        await type_text(pilot, "tag:bn OR topic:second")
        await pilot.press("enter")
        assert fills[opened:] == ["tag:bn OR topic:second"] and isinstance(app.focused, DataTable)
        assert rows(app) == ["mini/flash", "second/one", "second/two"]
        assert app.screen.sub_title == "3 of 9 cards · sorted by deck order"


async def test_a_key_pressed_right_after_typing_acts_on_the_search_typed(make_app, monkeypatch) -> None:
    """The flag keys reach the screen from the search box, and "s" studies once the box is left: neither may act
    on the list of the search before."""
    monkeypatch.setattr(BrowseScreen, "SEARCH_DELAY", 30)
    app = make_app()
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.press("b", "slash", *"key:mini/blanks", "f5")  # red, on the first card found
        assert [(event.key, event.event) for event in app.services.store.events()] == [("mini/blanks#c1", "flag")]
        assert rows(app) == ["mini/blanks#c1", "mini/blanks#c2"]
        await pilot.press("ctrl+u", *"topic:second", "escape", "s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.session.only == {"second/one", "second/two"}


async def test_a_search_that_finds_the_cards_shown_does_not_fill_the_list_again(make_app, monkeypatch) -> None:
    """Typing on often finds the same cards ("gradi", "gradient"): the list keeps its rows, and the title its count
    (also once a search that could not be read in between is readable again)."""
    async with searching(make_app, monkeypatch, PAUSE_AFTER_TYPING) as (pilot, screen, fills):
        app = pilot.app
        opened = len(fills)
        await type_text(pilot, "tag:bn OR topic:second")
        await typing_paused(pilot)
        await type_text(pilot, " is:")
        await typing_paused(pilot)
        assert screen.sub_title == "the search cannot be read at column 24"
        await type_text(pilot, "new")
        await typing_paused(pilot)
        assert fills[opened:] == ["tag:bn OR topic:second"]  # every card is new: the same three
        assert rows(app) == ["mini/flash", "second/one", "second/two"] and screen.query_text.endswith(" is:new")
        assert screen.sub_title == "3 of 9 cards · sorted by deck order"
        await pilot.press("enter", "o")  # the same rows in a new order still fill: the header shows it
        assert len(fills) == opened + 2 and "Due ▲" in [str(column.label) for column in
                                                         screen.query_one("#cards", DataTable).columns.values()]


async def test_a_review_of_chosen_cards_counts_the_siblings_it_sets_aside(tmp_path: Path) -> None:
    """After an interview, "5 cards from the interview" opened a review counting "New 3 · Learning 0 · Review 0":
    a note's cards (a question and its follow-ups, a cloze card's deletions) come one a day."""
    from dataclasses import replace

    from tests.study_helpers import settings

    context = make_context(tmp_path / "data", FIXTURE_DECK)
    app = build_app(replace(context, settings=settings(bury_new_siblings=True)))
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.pause()
        app.action_review(only={"mini/blanks#c1", "mini/blanks#c2"}, revisit=True)
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.sub_title == "2 cards from the interview"
        counts = str(app.screen.query_one("#review-counts", Static).render())
        assert counts == "New 1  ·  Learning 0  ·  Review 0  ·  1 set aside for another day (siblings)"
    app.services.store.close()
