"""Pilot tests of the glossary screen: reached from home and the palette, filtered as you type, Enter reviews."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.command import CommandList
from textual.widgets import DataTable, Input, Static

from quizapp.config import Settings
from quizapp.tui.launch import build_app
from quizapp.tui.screens.glossary import GlossaryScreen
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.review import ReviewScreen
from tests.ui.waiting import until
from tests.study_helpers import FIXTURE_DECK, settings
from tests.ui.conftest import make_context


def terms(app) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_typing_filters_in_english_and_chinese(make_app) -> None:
    app = make_app(builtin=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g")
        assert isinstance(app.screen, GlossaryScreen)
        everything = terms(app)
        assert len(everything) >= 100 and everything == sorted(everything, key=str.casefold)
        await pilot.press(*"LAYER")  # the search box has focus; any case matches
        assert terms(app) == ["layer normalization"]
        await pilot.pause()
        detail = str(app.screen.query_one("#glossary-detail", Static).render())
        assert "层归一化" in detail and "(batch-norm)" in detail and "(normalization)" in detail
        assert app.screen.sub_title == f"1 of {len(everything)} terms"
        app.screen.query_one(Input).value = ""
        await pilot.pause()
        await pilot.press(*"召回")
        assert terms(app) == ["recall"]
        await pilot.press(*"xyz")
        await pilot.pause()
        empty = app.screen.query_one("#glossary-empty", Static)
        assert empty.display and not app.screen.query_one(DataTable).display
        assert "No term matches '召回xyz'" in str(empty.render())


async def test_cjk_cells_are_measured_in_terminal_cells(make_app) -> None:
    app = make_app(builtin=True)
    async with app.run_test(size=(140, 30)) as pilot:  # room for every cell whole
        await pilot.press("g")
        table = app.screen.query_one(DataTable)
        zh = table.ordered_columns[1]
        widest = max(cell_len(str(table.get_row_at(i)[1])) for i in range(table.row_count))
        assert zh.content_width == widest  # 批归一化 / 批量归一化 is 20 cells, not 13 characters
        assert widest > max(len(str(table.get_row_at(i)[1])) for i in range(table.row_count))


@pytest.mark.parametrize(("width", "whole"), [(80, 0.85), (100, 0.95), (120, 0.99)])
async def test_the_columns_share_the_width_so_each_shows_most_of_its_cells_whole(make_app, width, whole) -> None:
    """At 80 columns the 中文 column took 30 cells for its few long terms, the topics got 12 and lost their end
    on most rows ('precision-r…', 'vanishing-e…')."""
    app = make_app(builtin=True)
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.size.width
        for index, column in enumerate(table.ordered_columns):
            cells = [str(table.get_row_at(row)[index]) for row in range(table.row_count)]
            shown = sum(cell_len(cell) <= column.width for cell in cells)  # the rest end in "…"
            assert shown >= whole * len(cells), (column.label, column.width, shown, len(cells))


async def test_enter_on_a_term_reviews_its_topics(make_app) -> None:
    app = make_app(builtin=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g", *"RMSNorm", "enter")  # Enter in the box moves to the table
        assert app.screen.query_one(DataTable).has_focus
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session.current.item.topic == "normalization"


async def test_reachable_from_the_palette_and_escape_goes_home(make_app) -> None:
    app = make_app(builtin=True)
    async with app.run_test(size=(100, 30)) as pilot:
        commands = [command.title for command in app.get_system_commands(app.screen)]
        assert "Glossary" in commands
        await pilot.press("ctrl+p", *"Glossary")
        await until(pilot, lambda: app.screen.query_one(CommandList).highlighted is not None)  # searched in a worker
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)
        await pilot.press("escape", "escape")  # the search box, then the screen
        assert isinstance(app.screen, HomeScreen)


async def test_a_deck_without_glossary_terms_says_so(make_app) -> None:
    app = make_app()  # the small fixture deck lists no terms
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g")
        empty = app.screen.query_one("#glossary-empty", Static)
        assert empty.display and "no glossary terms" in str(empty.render())


@pytest.mark.parametrize("width", [80, 100, 120])
async def test_every_column_is_in_view_and_a_cut_cell_reads_whole_in_the_detail_line(make_app, width: int) -> None:
    app = make_app(builtin=True)
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.size.width  # no column off to the right
        widths = [column.get_render_width(table) - 2 * table.cell_padding for column in table.ordered_columns]
        cut = [i for i in range(table.row_count) if cell_len(str(table.get_row_at(i)[0])) > widths[0]]
        for index in cut:  # a term wider than its column: cut with an ellipsis, whole below the table
            table.move_cursor(row=index)
            await pilot.pause()
            detail = str(app.screen.query_one("#glossary-detail", Static).render())
            assert detail.startswith(str(table.get_row_at(index)[0]))


async def test_j_and_k_move_in_the_terms_as_in_homes_topics_and_type_in_the_box(make_app) -> None:
    app = make_app(builtin=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g", *"jk")  # the box has focus: typed
        assert app.screen.query_one(Input).value == "jk"
        app.screen.query_one(Input).value = ""
        await pilot.press("enter", "j", "j", "k")  # to the terms; down, down, up
        table = app.screen.query_one(DataTable)
        assert table.has_focus and table.cursor_row == 1


async def test_a_huge_glossary_lists_its_first_terms_and_a_search_finds_the_others(make_app, tmp_path) -> None:
    """A glossary of 30,000 terms took 7 s to open and 3 s a key typed: the table held every term found."""
    from quizapp.tui.screens.glossary import MAX_ROWS

    folder = tmp_path / "huge"
    folder.mkdir()
    entries = "".join(f"  - {{term: word {n:04}, zh: 词{n}}}\n" for n in range(3 * MAX_ROWS))
    (folder / "huge.yaml").write_text(f"topic: huge\ntitle: Huge\nglossary:\n{entries}cards:\n"
                                      "  - {id: a, type: flashcard, front: f, back: b}\n", encoding="utf-8")
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == MAX_ROWS
        assert app.screen.sub_title == "3,000 of 3,000 terms, the first 1,000 listed: type to find the others"
        await pilot.press(*"word 2999")
        assert terms(app) == ["word 2999"] and app.screen.sub_title == "1 of 3,000 terms"


async def test_slash_is_the_search_key_and_is_not_typed_into_the_empty_box(make_app) -> None:
    """As in browse: `/` goes to the search box; pressed in the box while it is empty, it is not the search text
    (the glossary opens in its box, and a '/' from habit matched nothing); once typing has begun it is a '/'."""
    app = make_app(builtin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "slash")
        box = app.screen.query_one(Input)
        assert box.has_focus and box.value == ""
        await pilot.press("A", "slash", "B")
        assert box.value == "A/B" and terms(app) and all("A/B" in term for term in terms(app))
        await pilot.press("escape")  # to the list, the search kept
        assert app.screen.query_one(DataTable).has_focus
        await pilot.press("slash")
        assert box.has_focus and box.value == "A/B"
        box.value = ""
        await pilot.pause()
        await pilot.press("down", "slash")  # in the table: the search key
        assert box.has_focus and box.value == ""


async def test_slash_is_not_typed_into_browses_empty_search_box(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b", "slash", "slash")
        box = app.screen.query_one("#search", Input)
        assert box.has_focus and box.value == ""
        await pilot.press(*"key:mini/", "slash")
        assert box.value == "key:mini//"


async def test_a_remapped_search_key_is_the_one_not_typed(tmp_path) -> None:
    context = make_context(tmp_path / "data", FIXTURE_DECK)
    context.settings = Settings(**{**settings().model_dump(), "keymap": {"glossary.search": "question_mark"}})
    app = build_app(context)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("g", "question_mark", "slash")
            assert app.screen.query_one(Input).value == "/"  # not the search key here: a character to search for
    finally:
        app.services.store.close()
