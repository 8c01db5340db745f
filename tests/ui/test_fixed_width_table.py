"""Pilot tests of FixedWidthTable: a table whose widths are given does not measure its cells, and one with a
column to fit, or a row of its own height, still does."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from quizapp.tui.widgets.fixed_width_table import FixedWidthTable


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield FixedWidthTable()


async def test_cells_are_not_measured_when_every_column_has_its_width() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(FixedWidthTable)
        table.add_column("Key", width=12, key="key")
        table.add_column("Due", width=10, key="due")
        for number in range(50):
            table.add_row(Text(f"topic/card-{number}"), Text("2026-03-02"), key=str(number))
        await pilot.pause()
        # Their headers' widths: DataTable measured each cell here too (13 and 10), for widths given already
        assert [column.content_width for column in table.ordered_columns] == [len("Key"), len("Due")]
        assert table.virtual_size == (12 + 2 + 10 + 2, 50 + 1)  # with cell padding, and the header
        assert str(table.get_cell("7", "key")) == "topic/card-7"
        table.move_cursor(row=40)
        await pilot.pause()
        assert table.scroll_y > 0  # the cursor scrolled into view: the height is right without measuring


async def test_a_column_without_a_width_and_a_row_of_its_own_height_are_still_measured() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(FixedWidthTable)
        table.add_column("Key", width=5, key="key")
        table.add_row(Text("a"), key="short")
        table.add_row(Text("one\ntwo\nthree"), key="tall", height=None)
        await pilot.pause()
        assert table.rows["tall"].height == 3 and table.virtual_size.height == 1 + 1 + 3
        table.add_column("Fitted", key="fitted")  # no width: fitted to its cells, as DataTable does
        table.update_cell("short", "fitted", Text("a longer cell"))
        await pilot.pause()
        assert table.columns["fitted"].content_width == len("a longer cell")


async def test_it_draws_as_a_data_table_does() -> None:
    """The same rows in a DataTable and a FixedWidthTable look the same."""
    screens = []
    for table_type in (DataTable, FixedWidthTable):
        class One(App):
            def compose(self) -> ComposeResult:
                yield table_type(zebra_stripes=True)

        app = One()
        async with app.run_test(size=(40, 8)) as pilot:
            table = app.query_one(DataTable)
            table.add_column("Card", width=14)
            table.add_column("R", width=4)
            for number in range(10):
                table.add_row(Text(f"deck/card-{number}", no_wrap=True, overflow="ellipsis"), Text("90%"))
            await pilot.pause()
            screens.append(app.export_screenshot())
    assert screens[0] == screens[1]
