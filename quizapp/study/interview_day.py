"""The interview date as the queue and the scheduler need it: the days left, the day's limit of new cards, the
topics they come from first, and the latest due date (see `quizapp.study.plan` for the plan itself). Settings in,
plain values out."""

from __future__ import annotations

from datetime import date, datetime, time, timezone, tzinfo

from quizapp.config import Settings

__all__ = ["FINAL_DAYS", "days_left", "due_cap", "final_day", "new_limit", "topics_first"]

FINAL_DAYS = 2  # the days before the interview spent reviewing what would be forgotten (no new cards then)


def days_left(settings: Settings, today: date) -> int | None:
    """Days from study day `today` to the interview, while it is ahead (0 on the day); None otherwise."""
    if settings.interview_date is None or settings.interview_date < today:
        return None
    return (settings.interview_date - today).days


def final_day(left: int | None) -> bool:
    """A day `left` days before the interview is one of the last `FINAL_DAYS`, which review only."""
    return left is not None and 0 < left <= FINAL_DAYS


def new_limit(settings: Settings, today: date) -> int:
    """The day's limit of new cards: the accepted pace until the final review days (none on those), then the
    user's own from the interview's day. Without an accepted pace the user's own limit applies throughout."""
    left = days_left(settings, today)
    if left is not None and left > 0 and settings.interview_new_per_day is not None:
        return 0 if final_day(left) else settings.interview_new_per_day
    return settings.new_per_day


def topics_first(settings: Settings, today: date) -> tuple[str, ...]:
    """The topics whose new cards come first on study day `today`, before the others, within the day's limit: the
    plan's, while its accepted pace applies (until the final review days); none otherwise (every topic in turn)."""
    left = days_left(settings, today)
    if settings.interview_new_per_day is None or left is None or left <= FINAL_DAYS:
        return ()
    return settings.interview_topics


def due_cap(settings: Settings, tz: tzinfo) -> datetime | None:
    """The latest due date a review may set: the start of the interview's study day (None without a date)."""
    if settings.interview_date is None:
        return None
    return datetime.combine(settings.interview_date, time(settings.day_starts_at), tz).astimezone(timezone.utc)
