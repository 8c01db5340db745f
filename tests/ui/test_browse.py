"""Pilot tests of browse: sorting by column (keys and header clicks), selecting, every action on the selected
cards (reset after a confirmation), undo, the marks column and a detail pane that follows the cursor."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from fsrs import Rating
from textual.widgets import DataTable, Input, Static

from quizapp.config import Settings
from quizapp.study.clock import StudyDay, to_ms
from quizapp.study.queue import build_queue
from quizapp.study.review import ReviewSession
from quizapp.study.store import CardMarks
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.card_info import CardInfoScreen
from quizapp.tui.screens.confirm import ConfirmScreen
from quizapp.tui.launch import build_app
from tests.study_helpers import FIXTURE_DECK, settings
from tests.ui.conftest import make_context
from tests.ui.test_app_flows import typing_paused
from tests.ui.test_study_keys import editing, kept_notes, notes, shown  # noqa: F401 (kept_notes: a fixture)

SIZE = (100, 30)


def rows(app) -> list[str]:
    table = app.screen.query_one("#cards", DataTable)
    return [str(table.coordinate_to_cell_key((index, 0)).row_key.value) for index in range(table.row_count)]


def cell(app, key: str, column: str) -> str:
    return str(app.screen.query_one("#cards", DataTable).get_cell(key, column))


def review_some(app) -> None:
    """Yesterday: the flashcard Good, the first choice Again, the numeric Easy; so the cards differ."""
    services = app.services
    clock = services.clock
    start = clock.moment
    clock.moment = start - timedelta(days=1)
    session = ReviewSession(services.deck, services.store, services.settings, clock, seed=1)
    for rating in (Rating.Good, Rating.Again, Rating.Good, Rating.Easy):
        question = session.current
        if question.kind == "choice":
            session.check_choice(question.correct_options)
        elif question.auto_checked:
            session.check("0.75")
        session.rate(rating)
    clock.moment = start


def store_now(app) -> int:
    return to_ms(app.services.clock.now())


async def open_browse(app, pilot) -> BrowseScreen:
    await pilot.press("b")
    await pilot.pause()
    assert isinstance(app.screen, BrowseScreen)
    return app.screen


async def test_o_cycles_the_sort_and_a_header_click_sorts_and_reverses(make_app) -> None:
    app = make_app()
    review_some(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        deck_order = rows(app)
        assert deck_order[:3] == ["mini/flash", "mini/pick-one", "mini/pick-many"]
        await pilot.press("o")
        assert screen.sort == "due"
        store = app.services.store
        due = [store.card(key).due_ms for key in rows(app) if store.card(key)]
        assert due == sorted(due) and len(due) == 4
        assert [key for key in rows(app)[4:]] == [key for key in deck_order if not store.card(key)]  # new last
        assert "sorted by due date" in screen.sub_title
        await pilot.press("O")
        due = [store.card(key).due_ms for key in rows(app) if store.card(key)]
        assert due == sorted(due, reverse=True) and store.card(rows(app)[-1]) is None  # new still last
        await pilot.click("#cards", offset=(60, 0))  # the D (difficulty) header
        await pilot.pause()
        assert screen.sort == "difficulty" and not screen.reverse
        difficulty = [store.card(key).difficulty for key in rows(app)[:4]]
        assert difficulty == sorted(difficulty)
        await pilot.click("#cards", offset=(60, 0))
        await pilot.pause()
        assert screen.reverse and "D ▼" in str(screen.query_one("#cards", DataTable).columns["difficulty"].label)
        for _ in range(4):  # lapses, recall, topic, then back to deck order
            await pilot.press("o")
        assert screen.sort == "deck" and rows(app) == deck_order


async def test_space_selects_and_suspend_bury_flag_act_on_the_selection_with_undo(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        store = app.services.store
        await pilot.press("space", "space")  # selects the first two, the cursor moving down
        assert screen.selected == {"mini/flash", "mini/pick-one"} and "2 selected" in screen.sub_title
        assert cell(app, "mini/flash", "selected") == "●"
        await pilot.press("at")
        assert store.marks_of("mini/flash").suspended and store.marks_of("mini/pick-one").suspended
        assert not store.marks_of("mini/pick-many").suspended
        assert cell(app, "mini/flash", "marks") == "S" and "Suspended 2 cards: ^z to undo" in notes(app)
        await pilot.press("at")  # all suspended: the same key unsuspends
        assert not store.marks_of("mini/flash").suspended
        await pilot.press("ctrl+z")
        assert store.marks_of("mini/flash").suspended and store.marks_of("mini/pick-one").suspended
        await pilot.press("minus")
        assert store.marks_of("mini/pick-one").buried(store_now(app)) and cell(app, "mini/pick-one", "marks") == "SB"
        await pilot.press("minus")
        assert not store.marks_of("mini/pick-one").buried(store_now(app))
        await pilot.press("f7")
        assert store.marks_of("mini/flash").flag == 3 and cell(app, "mini/flash", "marks") == "S■"
        await pilot.press("ctrl+3")  # the same colour again clears it
        assert store.marks_of("mini/flash").flag == 0
        await pilot.press("ctrl+z", "ctrl+z", "ctrl+z", "ctrl+z", "ctrl+z")
        assert store.events() == [] and all(marks == CardMarks() for marks in store.marks().values())
        await pilot.press("ctrl+a")
        assert screen.selected == {row.key for row in screen.shown}
        await pilot.press("ctrl+a")
        assert screen.selected == set()


async def test_without_a_selection_an_action_is_on_the_highlighted_card(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_browse(app, pilot)
        await pilot.press("down", "down", "f5")
        assert app.services.store.marks_of("mini/pick-many").flag == 1
        assert [key for key, marks in app.services.store.marks().items() if marks.flag] == ["mini/pick-many"]


async def test_reset_asks_first_and_no_leaves_the_card_as_it_was(make_app) -> None:
    app = make_app()
    review_some(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_browse(app, pilot)
        store = app.services.store
        assert store.card("mini/flash") is not None
        await pilot.press("R")
        assert isinstance(app.screen, ConfirmScreen) and "Reset mini/flash to new?" in app.screen.question
        await pilot.press("n")
        assert isinstance(app.screen, BrowseScreen) and store.events() == []
        await pilot.press("R", "y")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen) and [e.event for e in store.events()] == ["reset"]
        assert cell(app, "mini/flash", "due") == "new" and len(store.log("mini/flash")) == 1  # history kept
        await pilot.press("ctrl+z")
        assert store.events() == [] and cell(app, "mini/flash", "due") != "new"


async def test_the_detail_pane_follows_the_cursor_and_the_filter(make_app) -> None:
    app = make_app()
    review_some(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        detail = lambda: str(screen.query_one("#detail-schedule", Static).render())
        assert detail().startswith("mini/flash")
        await pilot.press("down")
        assert detail().startswith("mini/pick-one")
        history = screen.query_one("#detail-history", DataTable)
        assert [str(c) for c in history.get_row_at(0)][1:3] == ["review", "Again ✓"]  # right, yet rated Again
        await pilot.press("slash", *"key:mini/blanks")
        await typing_paused(pilot)
        assert rows(app) == ["mini/blanks#c1", "mini/blanks#c2"] and detail().startswith("mini/blanks#c1")
        await pilot.press("enter", "down")
        assert detail().startswith("mini/blanks#c2") and history.row_count == 0
        assert "Text:" in screen.query_one("#card-detail").source


async def test_i_and_enter_open_card_info_and_e_edits_the_highlighted_card(tmp_path: Path, monkeypatch) -> None:
    script = "file.write_text(file.read_text().replace('tags: [bn]', 'tags: [bn, edited]'))\n"
    async with editing(tmp_path, monkeypatch, script) as (app, pilot, deck):
        await open_browse(app, pilot)
        await pilot.press("i")
        assert isinstance(app.screen, CardInfoScreen) and app.screen.key == "mini/flash"
        await pilot.press("escape", "enter")
        assert isinstance(app.screen, CardInfoScreen)
        await pilot.press("escape", "e")
        await pilot.pause()
        assert cell(app, "mini/flash", "tags") == "bn, edited"
        assert (tmp_path / "editor-args").read_text().endswith(str(deck / "mini.yaml"))


async def test_a_selection_the_search_hides_is_not_counted_nor_acted_on(make_app) -> None:
    """As in Anki, an action is on the selected cards shown: the title counts those, and says how many more
    are selected but hidden by the search; an action leaves those alone and says so."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        store = app.services.store
        await pilot.press("space", "space")
        await search(pilot, "zzzz")
        assert screen.sub_title == "0 of 9 cards · sorted by deck order · 2 selected not shown"
        await pilot.press("at", "minus", "f5")
        assert store.events() == [] and "No card is shown: change the search." in notes(app)
        await search(pilot, "key:mini/blanks")
        assert screen.sub_title == "2 of 9 cards · sorted by deck order · 2 selected not shown"
        await pilot.press("at")  # none of the shown is selected: the highlighted card, not the hidden two
        assert [(event.key, event.event) for event in store.events()] == [("mini/blanks#c1", "suspend")]
        assert "Suspended mini/blanks#c1: ^z to undo · 2 selected but hidden: left alone" in notes(app)
        await pilot.press("ctrl+a")
        assert screen.sub_title.endswith(" · 2 selected · 2 selected not shown")
        await pilot.press("ctrl+a")  # unselects the shown cards only
        assert screen.selected == {"mini/flash", "mini/pick-one"}
        await search(pilot, "")
        assert screen.sub_title.endswith(" · 2 selected")


async def search(pilot, query: str) -> None:
    """Type a search as the box receives it, and go back to the list with Enter."""
    box = pilot.app.screen.query_one("#search", Input)
    box.focus()
    box.value = query
    await pilot.press("enter")
    await pilot.pause()


async def test_at_80_columns_tags_and_type_give_way_to_the_cards_key(make_app) -> None:
    """The fixture's keys are short; a long one (as the built-in deck's are) was cut to 12 cells at 80 columns,
    with tags squeezed to 4 and the table wider than the screen."""
    app = make_app(builtin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browse(app, pilot)
        table = app.screen.query_one("#cards", DataTable)
        columns = {str(key.value): column.width for key, column in table.columns.items()}
        assert list(columns) == ["selected", "marks", "card", "due", "interval", "difficulty", "lapses", "recall"]
        assert columns["card"] >= 24 and table.virtual_size.width <= table.size.width
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert len(table.columns) == 10 and table.virtual_size.width <= table.size.width


async def test_the_list_is_filled_once_on_opening_and_not_again_when_only_the_height_changes(
        make_app, monkeypatch) -> None:
    # Filling a long list is Textual's slow part (each cell measured): with 10,000 cards a fill took about two
    # seconds, and opening filled twice (at the app's width, then the list's), a change of height once more.
    added: list[object] = []
    add_row = DataTable.add_row

    def counting(table, *cells, **options):
        if table.id == "cards":
            added.append(options.get("key"))
        return add_row(table, *cells, **options)

    monkeypatch.setattr(DataTable, "add_row", counting)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        await pilot.pause()
        assert len(added) == len(screen.shown) > 0 and rows(app) == added
        await pilot.resize_terminal(SIZE[0], SIZE[1] + 10)
        await pilot.pause()
        assert len(added) == len(screen.shown)
        await pilot.resize_terminal(SIZE[0] + 30, SIZE[1] + 10)  # the card and tags columns widen: filled anew
        await pilot.pause()
        assert len(added) == 2 * len(screen.shown) and rows(app) == added[len(screen.shown):]


async def test_j_and_k_move_in_the_list_as_in_homes_topics_and_type_in_the_search(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        await pilot.press("j", "j", "k")
        table = screen.query_one("#cards", DataTable)
        assert table.cursor_row == 1
        await pilot.pause()
        assert rows(app)[1] in str(screen.query_one("#detail-schedule", Static).render())  # the detail followed
        await pilot.press("slash", "j", "k")
        assert screen.query_one("#search", Input).value == "jk"  # a search, not a move


async def test_a_search_draws_the_cells_of_a_card_once_per_reading_of_the_store(make_app, monkeypatch) -> None:
    """Building every row's cells again at each search was a third of a refill of 10,000 cards (and their new
    objects ran the garbage collector for another third); an action reads the store again, and draws anew."""
    built: list[str] = []
    cells = BrowseScreen._cells

    def counting(screen, row):
        built.append(row.key)
        return cells(screen, row)

    monkeypatch.setattr(BrowseScreen, "_cells", counting)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_browse(app, pilot)
        assert sorted(built) == sorted(rows(app)) and len(built) == 9
        await search(pilot, "key:mini/blanks")
        await search(pilot, "")
        await pilot.press("o")  # sorted: the same cells in another order
        assert len(built) == 9 and screen.sub_title.startswith("9 of 9 cards · sorted by due date")
        table = screen.query_one("#cards", DataTable)
        highlighted = rows(app)[table.cursor_row]
        await pilot.press("at")
        assert len(built) == 18 and cell(app, highlighted, "marks") == "S"  # the suspended card's mark
        await pilot.press("ctrl+a")
        assert {cell(app, key, "selected") for key in rows(app)} == {"●"} and len(built) == 18


async def test_a_sibling_set_aside_until_tomorrow_is_marked_and_card_info_says_why(tmp_path: Path) -> None:
    """The list's Marks column and card info said nothing of a deletion that today's review leaves out because
    its sibling was answered today: it looked due, and was not shown."""
    context = make_context(tmp_path / "data", FIXTURE_DECK)
    context.settings = Settings(**{**settings().model_dump(), "bury_new_siblings": True})
    app = build_app(context)
    services = app.services
    try:
        session = ReviewSession(services.deck, services.store, services.settings, services.clock,
                                only=["mini/blanks#c1"])
        session.rate(Rating.Good)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_browse(app, pilot)
            assert cell(app, "mini/blanks#c2", "marks") == "B" and cell(app, "mini/blanks#c1", "marks") == ""
            await pilot.press("slash", *"key:mini/blanks#c2", "enter")
            said = "set aside until tomorrow (sibling of mini/blanks#c1)"
            assert said in str(screen.query_one("#detail-schedule", Static).render()).replace("\n", " ")
            await pilot.press("i")
            assert isinstance(app.screen, CardInfoScreen)
            assert said in shown(app, "#info-summary")
            await pilot.press("escape")
            # Unburying it brings it back today (it buried it by hand instead, and it stayed B), and undo sets it
            # aside again
            await pilot.press("minus")
            assert cell(app, "mini/blanks#c2", "marks") == ""
            assert said not in str(screen.query_one("#detail-schedule", Static).render()).replace("\n", " ")
            now = services.clock.now()
            day = StudyDay.containing(now, services.clock.tz, services.settings.day_starts_at)
            queue = build_queue(services.deck, services.store, services.settings, now, day)
            assert "mini/blanks#c2" in {item.key for item in queue}
            await pilot.press("ctrl+z")
            assert cell(app, "mini/blanks#c2", "marks") == "B" and services.store.marks() == {}
    finally:
        services.store.close()


async def test_a_key_too_long_for_its_column_is_cut_in_the_middle_so_deletions_differ(make_app) -> None:
    """Cut at the end, a cloze card's deletions read the same ('auc-roc/auc-mann-whitne…' twice)."""
    app = make_app(builtin=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_browse(app, pilot)
        table = app.screen.query_one("#cards", DataTable)
        width = next(column.width for key, column in table.columns.items() if key.value == "card")
        shown = [cell(app, f"auc-roc/auc-mann-whitney-cloze#c{n}", "card") for n in (1, 2)]
        assert width < len("auc-roc/auc-mann-whitney-cloze#c1")
        assert [text[-3:] for text in shown] == ["#c1", "#c2"] and all(len(text) == width for text in shown)
        assert all(text.startswith("auc-roc/") and "…" in text for text in shown)
        await pilot.resize_terminal(80, 24)  # another width for the card column: the keys are cut to it
        await pilot.pause()
        width = next(column.width for key, column in table.columns.items() if key.value == "card")
        assert len(cell(app, "auc-roc/auc-mann-whitney-cloze#c2", "card")) == width


async def test_card_info_says_how_long_ago_an_overdue_card_was_due(make_app) -> None:
    """It said "(now)" for a card due yesterday, where `quizapp card info` said "(1d ago)"."""
    from tests.ui.test_hostile_tui import screen_text

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        review_some(app)  # yesterday: the flashcard Good, due within days
        app.services.clock.advance(days=8)
        await open_browse(app, pilot)
        await pilot.press("slash", *"key:mini/flash", "enter")
        await pilot.press("i")
        assert isinstance(app.screen, CardInfoScreen) and app.screen.key == "mini/flash"
        assert re.search(r"Due\s+\S+ \S+ \(\d+d ago\)", screen_text(app)), screen_text(app)
