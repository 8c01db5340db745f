"""Reviews per local study day, against each review's own local date worked out by `zoneinfo`.

The statistics sum the store's quarter-hour totals over stretches of one UTC offset; the oracle here takes
every review on its own: its wall-clock time in the zone, minus the hour the study day starts at.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from quizapp.deck.model import Deck
from quizapp.study.clock import FixedClock, to_ms
from quizapp.study.stats import compute_stats
from quizapp.study.store import NewReview, Store
from tests.study_helpers import settings

# Zones with DST switches (one of half an hour), a half-hour offset without DST, and UTC.
ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # 300 days back crosses both of 2026's DST switches


def local_study_day(reviewed_ms: int, zone: ZoneInfo, starts_at: int) -> str:
    local = datetime.fromtimestamp(reviewed_ms / 1000, zone)
    return (local.replace(tzinfo=None) - timedelta(hours=starts_at)).date().isoformat()


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    zone=st.sampled_from(ZONES),
    starts_at=st.integers(0, 23),
    # days back from today, and minutes from that day's local start of study day: reviews near the boundary
    near_boundaries=st.lists(st.tuples(st.integers(0, 300), st.integers(-150, 150)), min_size=1, max_size=40),
)
def test_reviews_per_day_are_each_reviews_local_study_day(tmp_path: Path, zone: str, starts_at: int,
                                                          near_boundaries: list[tuple[int, int]]) -> None:
    tz = ZoneInfo(zone)
    today = NOW.astimezone(tz).date()
    moments = sorted({to_ms(datetime.combine(today - timedelta(days=back), time(starts_at), tz)
                           + timedelta(minutes=minutes)) for back, minutes in near_boundaries})
    moments = [ms for ms in moments if ms <= to_ms(NOW)]
    folder = tmp_path / f"{zone.replace('/', '-')}-{starts_at}-{len(list(tmp_path.iterdir()))}"
    with Store.open(folder) as store:
        store.bulk_load([], [NewReview("t/c", 1, 3, ms, 1000, "review") for ms in moments])
        stats = compute_stats(Deck(), store, settings(day_starts_at=starts_at), FixedClock(NOW, tz))
    assert stats.reviews_per_day == Counter(local_study_day(ms, tz, starts_at) for ms in moments)


def test_a_day_with_no_reviews_left_after_an_undo_is_not_listed(tmp_path: Path) -> None:
    with Store.open(tmp_path / "data") as store:
        store.bulk_load([], [NewReview("t/c", 1, 3, to_ms(NOW) - 3 * 86_400_000, 1000, "review")])
        (entry,) = store.log()
        store.undo(entry.id)
        assert compute_stats(Deck(), store, settings(), FixedClock(NOW)).reviews_per_day == {}


def test_every_mode_counts_among_the_days_answers_and_the_text_names_each(tmp_path: Path) -> None:
    """An interview's answers were counted in "answers in all" while the text said "(review, quiz, cram)"."""
    from quizapp.formatting import stats_text

    at = to_ms(NOW) - 60_000
    modes = ["review", "quiz", "cram", "interview"]
    with Store.open(tmp_path / "data") as store:
        store.bulk_load([], [NewReview(f"t/c{n}", n, 3, at, 1000, mode) for n, mode in enumerate(modes)])
        stats = compute_stats(Deck(), store, settings(), FixedClock(NOW))
    assert stats.reviews_today == 1 and stats.answers_today == len(modes)
    text = stats_text(stats)
    assert "4 answers in all (review, quiz, cram, interview)" in text
    assert "Accuracy by topic (every answer: review, quiz, cram, interview):" in text
    assert "100% of 4" in text
