"""Statistics over the review log and schedules, as plain values for any front end."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta, tzinfo

from quizapp.config import Settings
from quizapp.deck.model import Deck, split_key
from quizapp.study.clock import Clock, StudyDay, day_start_ms, from_ms, to_ms
from quizapp.study.queue import Queue, build_queue, topic_counts
from quizapp.study.store import Store

__all__ = ["Stats", "compute_stats"]

FORECAST_DAYS = 30
HISTORY_DAYS = 365
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Stats:
    today: date
    reviews_today: int  # scheduled reviews (mode review) this study day
    answers_today: int  # every answer this study day: review, quiz, cram and interview (as the charts count)
    new_today: int
    due_now: int
    new_available: int
    streak: int
    reviews_per_day: dict[str, int]  # ISO date -> answers (review, quiz, cram, interview), last HISTORY_DAYS days
    forecast: list[int]  # cards due on each of the next FORECAST_DAYS days (today: what today's review has left)
    retention: dict[str, tuple[int, int]]  # young/mature -> (passed, total), last 30 days
    cards_by_state: dict[str, int]
    topic_accuracy: dict[str, tuple[int, int]]  # topic -> (passed, reviews)
    orphaned: list[str]  # keys with history whose card is no longer in the content
    topic_due: dict[str, int]  # topic -> learning (due within the learn-ahead window) and review cards its own review would show now
    topic_unseen: dict[str, int]  # topic -> study items never reviewed
    topic_new: dict[str, int] = field(default_factory=dict)  # topic -> new cards its own review would show now
    leeches: list[str] = field(default_factory=list)  # keys marked as leeches (forgotten leech_threshold times)

    @property
    def true_retention(self) -> float | None:
        passed = sum(p for p, _ in self.retention.values())
        total = sum(t for _, t in self.retention.values())
        return passed / total if total else None

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["today"] = self.today.isoformat()
        data["true_retention"] = self.true_retention
        return data


def compute_stats(deck: Deck, store: Store, settings: Settings, clock: Clock) -> Stats:
    now = clock.now()
    day = StudyDay.containing(now, clock.tz, settings.day_starts_at)
    per_day = _reviews_per_study_day(store, clock.tz, settings.day_starts_at)
    history = {d.isoformat(): n for d, n in per_day.items() if (day.day - d).days < HISTORY_DAYS}
    queue = build_queue(deck, store, settings, now, day)
    today_counts = queue.counts(now)  # learning: shown within LEARN_AHEAD
    reviews_today, new_today, _ = store.review_counts_since(to_ms(day.start))
    known = store.scheduled_keys()
    orphaned = known - deck.item_keys
    states = store.state_counts()
    marks = store.marks()
    per_topic = topic_counts(deck, store, settings, now, day)
    unseen = Counter(split_key(key)[0] for key in deck.item_keys - known)  # topic -> items never reviewed
    topic_unseen = {topic.slug: unseen[topic.slug] for topic in deck.topics}
    return Stats(
        today=day.day,
        reviews_today=reviews_today,
        answers_today=per_day.get(day.day, 0),
        new_today=new_today,
        due_now=today_counts.learning + today_counts.review,
        new_available=today_counts.new,
        streak=_streak(per_day, day.day),
        reviews_per_day=history,
        forecast=_forecast(deck, store, queue, day, {key for key, mark in marks.items() if mark.suspended},
                           clock.tz, settings.day_starts_at),
        retention=store.retention_counts(to_ms(day.start - timedelta(days=30))),
        cards_by_state={"new": sum(topic_unseen.values()), "learning": states["learning"], "young": states["young"],
                        "mature": states["mature"], "relearning": states["relearning"]},
        topic_accuracy=store.topic_pass_counts(),
        orphaned=sorted(orphaned),
        leeches=sorted(key for key, mark in marks.items() if mark.leech),
        topic_due={slug: due for slug, counts in per_topic.items() if (due := counts.learning + counts.review)},
        topic_unseen=topic_unseen,
        topic_new={slug: counts.new for slug, counts in per_topic.items()},
    )


def _forecast(deck: Deck, store: Store, queue: Queue, day: StudyDay, suspended: set[str], tz: tzinfo,
              starts_at: int) -> list[int]:
    """Scheduled cards due on each of the next FORECAST_DAYS study days, each counted once, on the first day it is
    shown.

    Today is what today's review has left (its learning cards and its reviews: the daily limit applied, suspended
    and buried cards left out), as home shows; a card due today that it leaves for later (past the limit, buried
    until tomorrow) counts tomorrow. Suspended cards and cards no longer in the content count on no day. The days
    are local study days, 23 or 25 hours long where the clocks change.
    """
    today = {item.key for item in queue.review} | {item.key for _, item in queue.learning}
    starts = [to_ms(StudyDay.of(day.day + n * ONE_DAY, tz, starts_at).start) for n in range(FORECAST_DAYS + 1)]
    counts = [0] * FORECAST_DAYS
    counts[0] = len(today)
    for key, _, due_ms, _, _ in store.due_keys(until_ms=starts[-1] - 1):
        if key in today or key in suspended or key not in deck.item_keys:
            continue
        counts[max(1, bisect_right(starts, due_ms) - 1)] += 1
    return counts


def _reviews_per_study_day(store: Store, tz: tzinfo, starts_at: int) -> dict[date, int]:
    """Reviews per local study day, from the first day with a review to the last.

    Each day sums the store's quarter-hour totals from its local start to the next day's (so a day across a
    DST switch is right): one small query a day, none of them a scan.
    """
    span = store.quarter_range()
    if span is None:
        return {}
    first_ms, end_ms = span
    day = StudyDay.containing(from_ms(first_ms), tz, starts_at).day
    start_ms = day_start_ms(day, tz, starts_at)
    per_day: dict[date, int] = {}
    while start_ms < end_ms:
        next_ms = day_start_ms(day + ONE_DAY, tz, starts_at)
        reviews = store.reviews_between(start_ms, next_ms)
        if reviews:
            per_day[day] = reviews
        day, start_ms = day + ONE_DAY, next_ms
    return per_day


def _streak(per_day: dict[date, int], today: date) -> int:
    """Consecutive study days up to today (or up to yesterday, while today is still open)."""
    start = today if per_day.get(today) else today - timedelta(days=1)
    streak = 0
    while per_day.get(start - timedelta(days=streak)):
        streak += 1
    return streak
