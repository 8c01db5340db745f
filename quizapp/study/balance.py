"""Load balancing: a review's next due day is picked inside fsrs's fuzz range, leaning toward light days.

py-fsrs fuzzes an interval by drawing a day uniformly from a range around it. Anki (since 24.11) draws from
the same range, but weights each day by how many cards are already due on it, so that the days ahead
even out instead of keeping the lumps that cards learned together make. This module does the same: each
day `d` of the range with `n` cards due weighs 1 when `n` is 0, else 1 / (n² d) (the 1/d keeps the
choice from drifting late); intervals beyond `MAX_BALANCED_DAYS` are fuzzed uniformly, as Anki does,
because so far ahead an even load matters little.

The draw comes from a `random.Random` the caller seeds from the review itself (the card and the moment),
never from the global generator, so the same review with the same load picks the same day.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo

from fsrs.scheduler import FUZZ_RANGES

from quizapp.study.clock import day_start_ms

__all__ = ["DAY_MS", "MAX_BALANCED_DAYS", "DueLoad", "balanced_days", "fuzz_range", "review_rng"]

DAY_MS = 86_400_000
MAX_BALANCED_DAYS = 90
# Days beyond the last balanced one that a balanced choice can still reach (the top of its fuzz range).
_WINDOW = MAX_BALANCED_DAYS + 10


def fuzz_range(interval_days: int, maximum_interval: int) -> tuple[int, int]:
    """The shortest and longest interval (whole days) fsrs's fuzz could give `interval_days`, as fsrs computes
    it (`Scheduler._get_fuzzed_interval`); (interval, interval) when fsrs does not fuzz it (under 2.5 days)."""
    if interval_days < 2.5:
        return interval_days, interval_days
    delta = 1.0 + sum(part["factor"] * max(min(float(interval_days), part["end"]) - part["start"], 0.0)
                      for part in FUZZ_RANGES)
    high = min(round(interval_days + delta), maximum_interval)
    low = min(max(2, round(interval_days - delta)), high)
    return low, high


def balanced_days(low: int, high: int, load: Sequence[int], rng: random.Random) -> int:
    """A day from `low` to `high` (inclusive), drawn with each day weighted by its load: `load[d]` cards are
    already due on day `d` (days past the end of `load` count as empty)."""
    days = range(low, high + 1)
    weights = [1.0 if (n := load[d] if d < len(load) else 0) == 0 else 1.0 / (n * n * max(d, 1)) for d in days]
    return rng.choices(days, weights)[0]


def review_rng(key: str, reviewed_ms: int) -> random.Random:
    """The generator for one review's fuzz: seeded by what identifies the review, so it can be drawn again."""
    return random.Random(f"{key}@{reviewed_ms}")


@dataclass(slots=True)
class DueLoad:
    """Cards due on each study day ahead, day 0 being the one that starts at `starts[0]` (overdue cards count on
    day 0, as the forecast counts them); `starts` holds each day's start and then the last one's end, in ms: local
    study days, 23 or 25 hours long where the clocks change. A session reads it once and moves a card's count as
    it rates it."""

    starts: list[int]
    counts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.counts:
            self.counts = [0] * (len(self.starts) - 1)

    @classmethod
    def read(cls, store, day: date, tz: tzinfo, starts_at: int) -> DueLoad:
        """The load from study day `day` on, as the store has it now (`store` has `due_per_day`); the days start
        at `starts_at` local time in `tz`."""
        starts = [day_start_ms(day + timedelta(days=n), tz, starts_at) for n in range(_WINDOW + 1)]
        return cls(starts, store.due_per_day(starts))

    @property
    def start_ms(self) -> int:
        return self.starts[0]

    def day_of(self, due_ms: int) -> int:
        """The study day holding `due_ms` (0 for any moment before the first; past the last, `len(counts)`)."""
        return max(0, bisect_right(self.starts, due_ms) - 1)

    def ahead(self, now_ms: int) -> list[int]:
        """The load seen from `now_ms`: index d is the load of the study day a d-day interval from now lands on
        (after a change of the clocks, not always the d-th day after today's)."""
        days = range(len(self.counts) - self.day_of(now_ms))
        return [self._count(self.day_of(now_ms + d * DAY_MS)) for d in days]

    def _count(self, day: int) -> int:
        return self.counts[day] if day < len(self.counts) else 0

    def moved(self, before_ms: int | None, after_ms: int | None) -> None:
        """A card that was due at `before_ms` (None: it was new) is now due at `after_ms` (None: no longer)."""
        for due_ms, step in ((before_ms, -1), (after_ms, 1)):
            if due_ms is None:
                continue
            day = self.day_of(due_ms)
            if day < len(self.counts):
                self.counts[day] = max(0, self.counts[day] + step)

