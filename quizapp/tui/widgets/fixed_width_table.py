"""A DataTable whose columns all have a width given when they are added, and whose rows are one line high.

Textual's DataTable measures every cell of every new row once the table is idle, to fit the columns that have
no width of their own and the rows of automatic height. With widths given and rows of one line, what it
measures is never used, and browse's list of 10,000 cards spent most of each refill (about a second) on it.
This table measures only what a width or a height depends on: a column added without a width still fits its
cells, and a row added with `height=None` or a label is still measured.

`_update_dimensions` is Textual's own (8.x, private): if it is renamed, this table measures as DataTable
does, and tests/ui/test_fixed_width_table.py fails.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

__all__ = ["FixedWidthTable"]


class FixedWidthTable(DataTable):
    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        if not any(column.auto_width for column in self.columns.values()):
            rows = self.rows
            new_rows = [key for key in new_rows
                        if key in rows and (rows[key].auto_height or rows[key].label is not None)]
        super()._update_dimensions(new_rows)
