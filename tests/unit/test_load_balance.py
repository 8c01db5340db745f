"""Load balancing: with fuzz on, a review's next due day is drawn inside fsrs's own fuzz range, toward the days
with the fewest cards due, from a generator seeded by the review (so it can be drawn again)."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import fsrs.scheduler
import pytest
from fsrs import Rating, Scheduler

from quizapp.config import Settings
from quizapp.study.balance import DAY_MS, DueLoad, balanced_days, fuzz_range
from quizapp.study.clock import FixedClock, StudyDay, from_ms, to_ms
from quizapp.study.review import ReviewSession
from quizapp.study.scheduling import Scheduling, card_id_for
from quizapp.study.store import CardRow, Store
from tests.study_helpers import fixed_clock
from tests.unit.test_queue_limits import deck_of

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
DAY_START = datetime(2026, 3, 2, 4, 0, tzinfo=timezone.utc)  # the study day holding NOW (day_starts_at 4, UTC)


def fsrs_fuzzed(days: int, draw: float, maximum: int = 36500) -> int:
    """What fsrs's own fuzz gives `days` when its random() returns `draw`."""
    scheduler = Scheduler(maximum_interval=maximum)
    original = fsrs.scheduler.random
    fsrs.scheduler.random = lambda: draw
    try:
        return scheduler._get_fuzzed_interval(interval=timedelta(days=days)).days
    finally:
        fsrs.scheduler.random = original


@pytest.mark.parametrize("maximum", [36500, 30])
def test_the_fuzz_range_is_fsrs_own(maximum: int) -> None:
    for days in range(400):
        low, high = fuzz_range(days, maximum)
        if days < 3:
            assert (low, high) == (days, days) == (fsrs_fuzzed(days, 0.5, maximum),) * 2
            continue
        span = high - low
        assert fsrs_fuzzed(days, 0.0, maximum) == low, days  # fsrs's lowest draw
        top = (span + 0.5) / (span + 1)  # fsrs rounds draw * (span + 1) + low: below this, at most `high`
        assert fsrs_fuzzed(days, top - 1e-9, maximum) == high, days
        if high < maximum:
            assert fsrs_fuzzed(days, top + 1e-9, maximum) == high + 1  # so `high` is exactly fsrs's max_ivl


def test_balancing_weighs_days_by_their_load() -> None:
    rng = random.Random(0)
    load = [0] * 20
    for day in range(8, 13):
        load[day] = 40
    load[11] = 0
    picks = [balanced_days(8, 12, load, rng) for _ in range(2_000)]
    assert picks.count(11) > 0.95 * len(picks)  # the one empty day wins almost always
    even = [balanced_days(8, 12, [5] * 20, rng) for _ in range(5_000)]
    counts = [even.count(day) for day in range(8, 13)]
    assert all(count > 700 for count in counts) and counts[0] > counts[-1]  # even load: all, a little earlier first
    assert {balanced_days(3, 5, [], rng) for _ in range(200)} == {3, 4, 5}  # beyond the known load: empty


def review_row(key: str, stability: float, elapsed_days: int) -> CardRow:
    last = NOW - timedelta(days=elapsed_days)
    return CardRow(key, card_id_for(key), "t", 2, None, stability, 5.0, to_ms(NOW), to_ms(last), None)


def test_a_fuzzed_review_is_seeded_by_the_review_not_the_global_generator() -> None:
    scheduling = Scheduling(Settings(enable_fuzzing=True))
    row = review_row("t/c1", 30.0, 30)
    random.seed(1)
    first = scheduling.review("t/c1", "t", row, Rating.Good, NOW, None)
    random.seed(2)
    assert scheduling.review("t/c1", "t", row, Rating.Good, NOW, None) == first
    load = DueLoad([to_ms(DAY_START) + n * DAY_MS for n in range(101)], [3] * 100)
    assert scheduling.review("t/c1", "t", row, Rating.Good, NOW, None, load) == \
        scheduling.review("t/c1", "t", row, Rating.Good, NOW, None, load)
    later = [scheduling.review("t/c1", "t", row, Rating.Good, NOW + timedelta(seconds=s), None).due_ms
             for s in range(40)]
    assert len(set(later)) > 1  # another moment, another draw
    # Learning steps are never fuzzed, as in fsrs.
    assert scheduling.review("t/new", "t", None, Rating.Again, NOW, None).due_ms == to_ms(NOW + timedelta(minutes=1))


def test_balancing_lowers_the_highest_daily_load_of_a_30_day_forecast() -> None:
    """5,000 review cards all due today, rated one after another; the same reviews with plain fuzz and with
    load balancing. Each balanced due date is inside fsrs's fuzz range of the unfuzzed interval, which Anki's
    order lifts to a day past the rating below it when that one was fuzzed up to it (and starts the range there)."""
    rng = random.Random(5)
    settings = Settings(enable_fuzzing=True)
    fuzzed, exact = Scheduling(settings), Scheduling(Settings(enable_fuzzing=False))
    rows = [review_row(f"t/c{n}", rng.uniform(0.5, 5.0), rng.randrange(1, 6)) for n in range(5_000)]
    start_ms = to_ms(DAY_START)
    load = DueLoad([start_ms + n * DAY_MS for n in range(101)])
    plain, balanced = [0] * 30, [0] * 30
    for n, row in enumerate(rows):
        moment = NOW + timedelta(seconds=6 * n)
        rating = rng.choice([Rating.Hard, Rating.Good, Rating.Good, Rating.Good, Rating.Easy])
        unfuzzed = (from_ms(exact.review(row.key, "t", row, rating, moment, None).due_ms) - moment).days
        for counts, day_load in ((plain, None), (balanced, load)):
            after = fuzzed.review(row.key, "t", row, rating, moment, None, day_load)
            days = (from_ms(after.due_ms) - moment).days
            below = None if rating == Rating.Hard else fuzzed.review(row.key, "t", row, Rating(rating - 1), moment,
                                                                     None, day_load)
            floor = 1 if below is None else 1 + (from_ms(below.due_ms) - moment).days
            low, high = fuzz_range(max(unfuzzed, floor), settings.maximum_interval)
            assert max(low, floor) <= days <= high and after.due_ms - to_ms(moment) == days * DAY_MS
            if day_load is not None:
                day_load.moved(row.due_ms, after.due_ms)
            if days < 30:
                counts[(after.due_ms - start_ms) // DAY_MS] += 1
    assert sum(balanced) > 4_000, balanced  # the forecast holds most of the cards
    assert max(balanced) < max(plain), (balanced, plain)
    assert max(balanced) - min(balanced[3:25]) < max(plain) - min(plain[3:25])  # flatter, not just lower


def test_a_session_balances_against_the_stored_load_and_keeps_it_up_to_date(tmp_path: Path) -> None:
    """The store's cards load every day but one; a session's ratings go to the empty day (weighed by the load
    the session keeps up to date as it rates), and the store agrees with the session's count."""
    deck = deck_of(tmp_path, {"t": 40})
    clock = fixed_clock(NOW)
    settings = Settings(enable_fuzzing=True, new_card_order="deck", bury_new_siblings=False)
    day = StudyDay.containing(NOW, clock.tz, settings.day_starts_at)
    with Store.open(tmp_path / "data") as store:
        filler = [CardRow(f"other/x{n}", n + 1, "other", 2, None, 30.0, 5.0,
                          to_ms(day.start) + (n % 100) * DAY_MS + 3_600_000, to_ms(NOW), None)
                  for n in range(100 * 30) if n % 100 != 12]  # 30 cards on each day ahead but day 12
        rows = [CardRow(f"t/c{n}", card_id_for(f"t/c{n}"), "t", 2, None, 4.0, 5.0, to_ms(NOW) - 3_600_000,
                        to_ms(NOW) - 3 * DAY_MS, None) for n in range(40)]  # Good: 12 days, fuzzed 10 to 14
        store.bulk_load(filler + rows, [])
        session = ReviewSession(deck, store, settings, clock)
        exact = Scheduling(Settings(enable_fuzzing=False))
        days = []
        while session.current is not None and len(days) < 20:
            key = session.current.key
            before = store.card(key)
            unfuzzed = (from_ms(exact.review(key, "t", before, Rating.Good, clock.now(), None).due_ms)
                        - clock.now()).days
            recorded = session.rate(Rating.Good)
            days.append((recorded.next_due - clock.now()).days)
            low, high = fuzz_range(unfuzzed, settings.maximum_interval)
            assert low <= days[-1] <= high and low <= 12 <= high
            clock.advance(seconds=20)
        assert len(days) == 20
        # Day 12 weighs 1 / (k² 12) with k cards on it, its neighbours 1 / (900 d) each: it takes the first
        # cards nearly always, and still most while it holds fewer than its neighbours.
        assert days[:5] == [12] * 5 and days.count(12) >= 14
        assert store.due_per_day([to_ms(day.start) + n * DAY_MS for n in range(31)])[12] == days.count(12)
        assert session._load is not None and session._load.counts[12] == days.count(12)


BERLIN = ZoneInfo("Europe/Berlin")
FRIDAY = datetime(2026, 3, 27, 9, 0, tzinfo=BERLIN)  # the clocks go forward early on Sunday 29 March
STARTS_AT = 5  # a study day starts at 05:00 local time


def due_around_day_starts(day: StudyDay) -> list[datetime]:
    """Moments half an hour and an hour and a half either side of each of the next eight days' local starts."""
    return [datetime.combine(day.day + timedelta(days=n), time(STARTS_AT), BERLIN) + timedelta(minutes=minutes)
            for n in range(8) for minutes in (-90, -30, 30, 90)]


def study_days_from(day: StudyDay, moments: list[datetime], days: int) -> list[int]:
    """The oracle: cards due on each local study day from `day` (overdue ones on the first), from each moment's
    wall-clock time in Berlin less the hour the day starts at."""
    counts = [0] * days
    for moment in moments:
        offset = ((moment.astimezone(BERLIN).replace(tzinfo=None) - timedelta(hours=STARTS_AT)).date() - day.day).days
        if offset < days:
            counts[max(0, offset)] += 1
    return counts


def test_the_load_is_counted_by_local_study_day_across_a_change_of_the_clocks(tmp_path: Path) -> None:
    """due_per_day counted 24-hour blocks from the study day's start: after the clocks went forward (a 23-hour
    Sunday) each block began an hour after the day did, so a card due just after a day's start counted on the day
    before, and the balancer weighed the wrong day's load."""
    deck = deck_of(tmp_path, {"t": 1})
    clock = FixedClock(FRIDAY.astimezone(timezone.utc), BERLIN)
    settings = Settings(enable_fuzzing=True, day_starts_at=STARTS_AT, new_card_order="deck")
    day = StudyDay.containing(clock.now(), BERLIN, STARTS_AT)
    moments = due_around_day_starts(day)
    rows = [CardRow(f"other/x{n}", n + 1, "other", 2, None, 30.0, 5.0, to_ms(moment), to_ms(NOW) - 9 * DAY_MS, None)
            for n, moment in enumerate(moments)]
    expected = study_days_from(day, moments, 8)
    assert expected[:4] == [4 + 2, 4, 4, 4]  # today holds the two before its start: overdue
    with Store.open(tmp_path / "data") as store:
        store.bulk_load(rows, [])
        starts = [to_ms(StudyDay.of(day.day + timedelta(days=n), BERLIN, STARTS_AT).start) for n in range(9)]
        assert store.due_per_day(starts) == expected
        session = ReviewSession(deck, store, settings, clock)
        session.rate(Rating.Again)  # t/c0, new: in learning, due today
        assert session._load is not None and session._load.counts[:8] == [expected[0] + 1, *expected[1:]]


def test_a_day_long_interval_is_weighed_by_the_study_day_it_lands_on() -> None:
    """At 04:30 on Saturday (still Friday's study day) one day later is 05:30 on Sunday, the clocks having gone
    forward: Sunday's study day, not Saturday's."""
    day = StudyDay.containing(FRIDAY, BERLIN, STARTS_AT)
    starts = [to_ms(StudyDay.of(day.day + timedelta(days=n), BERLIN, STARTS_AT).start) for n in range(5)]
    load = DueLoad(starts, [10, 11, 12, 13])
    now = datetime(2026, 3, 28, 4, 30, tzinfo=BERLIN)
    assert load.day_of(to_ms(now)) == 0
    assert load.ahead(to_ms(now))[:3] == [10, 12, 13]  # 1 day later: Sunday's; 2 days later: Monday's
    assert load.ahead(to_ms(now + timedelta(hours=1)))[:2] == [11, 12]  # 05:30 Saturday: Saturday's day
