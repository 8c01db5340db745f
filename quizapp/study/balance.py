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
from collections.abc import Sequence
from dataclasses import dataclass, field

from fsrs.scheduler import FUZZ_RANGES

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
    """Cards due on each day ahead, day 0 being the study day that starts at `start_ms` (overdue cards count on
    day 0, as the forecast counts them). A session reads it once and moves a card's count as it rates it."""

    start_ms: int
    counts: list[int] = field(default_factory=lambda: [0] * _WINDOW)

    @classmethod
    def read(cls, store, start_ms: int) -> DueLoad:
        """The load as the store has it now (`store` has `due_per_day`)."""
        return cls(start_ms, store.due_per_day(start_ms, _WINDOW))

    def day_of(self, due_ms: int) -> int:
        return max(0, (due_ms - self.start_ms) // DAY_MS)

    def ahead(self, now_ms: int) -> list[int]:
        """The load from the day holding `now_ms` on: index d is the day a d-day interval from now lands on."""
        return self.counts[self.day_of(now_ms):]

    def moved(self, before_ms: int | None, after_ms: int | None) -> None:
        """A card that was due at `before_ms` (None: it was new) is now due at `after_ms` (None: no longer)."""
        for due_ms, step in ((before_ms, -1), (after_ms, 1)):
            if due_ms is None:
                continue
            day = self.day_of(due_ms)
            if day < len(self.counts):
                self.counts[day] = max(0, self.counts[day] + step)
