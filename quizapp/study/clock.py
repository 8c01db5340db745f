"""Time, injected: the app and tests pass a clock; study days start at a local hour, not at midnight."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo

__all__ = ["Clock", "FixedClock", "StudyDay", "SystemClock", "day_start_ms", "from_ms", "to_ms"]


def to_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)


class Clock:
    """The current time (timezone-aware UTC) and the user's local time zone."""

    def now(self) -> datetime:
        raise NotImplementedError

    @property
    def tz(self) -> tzinfo:
        raise NotImplementedError


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    @property
    def tz(self) -> tzinfo:
        local = datetime.now().astimezone().tzinfo
        return local if local is not None else timezone.utc


@dataclass
class FixedClock(Clock):
    """A clock for tests and snapshots: stands still until advanced."""

    moment: datetime
    zone: tzinfo = field(default=timezone.utc)

    def now(self) -> datetime:
        return self.moment

    @property
    def tz(self) -> tzinfo:
        return self.zone

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@dataclass(frozen=True, slots=True)
class StudyDay:
    """A study day runs from `starts_at` local time to the same hour the next day."""

    day: date
    start: datetime  # UTC
    end: datetime  # UTC

    @classmethod
    def containing(cls, moment: datetime, tz: tzinfo, starts_at: int) -> StudyDay:
        local = moment.astimezone(tz)
        shifted = local - timedelta(hours=starts_at)
        day = shifted.date()
        return cls.of(day, tz, starts_at)

    @classmethod
    def of(cls, day: date, tz: tzinfo, starts_at: int) -> StudyDay:
        start_local = datetime(day.year, day.month, day.day, starts_at, tzinfo=tz)
        end_local = start_local + timedelta(days=1)
        return cls(day, start_local.astimezone(timezone.utc), end_local.astimezone(timezone.utc))


def day_start_ms(day: date, tz: tzinfo, starts_at: int) -> int:
    """When study day `day` starts (ms since the epoch), as `StudyDay.of` places it, without building the whole
    StudyDay (for counts over many days)."""
    return to_ms(datetime(day.year, day.month, day.day, starts_at, tzinfo=tz))
