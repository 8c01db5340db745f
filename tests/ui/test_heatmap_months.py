"""The heatmap's month names: over the column that holds each month's first day, the last column included."""

from __future__ import annotations

from datetime import date

from quizapp.tui.widgets.heatmap import render_heatmap


def months(today: date, weeks: int = 26) -> list[str]:
    return render_heatmap({}, today, weeks).plain.splitlines()[0].split()


def test_the_month_that_began_this_week_is_named_over_the_last_column() -> None:
    # 5 December 2026: the last column holds 30 November to 5 December; "Dec" was missing
    assert months(date(2026, 12, 5)) == ["Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    row = render_heatmap({}, date(2026, 12, 5), 26).plain.splitlines()[0]
    assert row.endswith("Dec") and len(row) <= 4 + 2 * 26  # within the grid's width


def test_a_month_not_begun_by_today_is_not_named() -> None:
    assert months(date(2026, 11, 30))[-1] == "Nov"  # the last column holds only 30 November


def test_two_months_close_together_are_both_named() -> None:
    assert months(date(2026, 12, 20)) == ["Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
