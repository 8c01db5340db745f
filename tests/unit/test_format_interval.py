"""The short intervals on the rating buttons and in plain mode: a unit is chosen by its rounded count."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from quizapp.study.scheduling import format_interval


@pytest.mark.parametrize(("delta", "shown"), [
    (timedelta(seconds=45), "45s"),
    (timedelta(seconds=59.99), "1m"),  # a minute less a few milliseconds of clock: not "60s"
    (timedelta(minutes=10), "10m"),
    (timedelta(minutes=59, seconds=50), "1h"),
    (timedelta(hours=23, minutes=50), "1d"),
    (timedelta(days=4), "4d"),
    (timedelta(days=29.8), "1.0mo"),
    (timedelta(days=45), "1.5mo"),
    (timedelta(days=548), "1.5y"),
    (timedelta(seconds=-5), "0s"),
])
def test_intervals_read_as_anki_writes_them(delta: timedelta, shown: str) -> None:
    assert format_interval(delta) == shown


def test_a_due_date_is_told_from_now_in_both_directions() -> None:
    from quizapp.formatting import due_when

    now = datetime(2027, 3, 1, 9, 33, tzinfo=timezone.utc)
    assert due_when(now + timedelta(days=3), now) == "in 3d"
    assert due_when(now - timedelta(minutes=27), now) == "27m ago"  # overdue: not "now"
    assert due_when(now - timedelta(seconds=20), now) == due_when(now + timedelta(seconds=20), now) == "now"


def test_an_interval_read_back_from_milliseconds_reads_as_its_button_did() -> None:
    stored = timedelta(minutes=5, seconds=30) - timedelta(milliseconds=1)  # a due date stored to the millisecond
    assert format_interval(stored) == format_interval(timedelta(minutes=5, seconds=30)) == "6m"
