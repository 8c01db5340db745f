"""Statistics over the review log and schedules, as plain values for any front end."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from quizapp.config import Settings
from quizapp.deck.model import Deck
from quizapp.study.clock import Clock, StudyDay, to_ms
from quizapp.study.queue import build_queue, topic_counts
from quizapp.study.store import Store

__all__ = ["Stats", "compute_stats"]

FORECAST_DAYS = 30
DAY_MS = 86_400_000
EPOCH = date(1970, 1, 1)
HISTORY_DAYS = 365


@dataclass(frozen=True, slots=True)
class Stats:
    today: date
    reviews_today: int  # scheduled reviews (mode review) this study day
    answers_today: int  # every answer this study day: review, quiz and cram (as the charts count)
    new_today: int
    due_now: int
    new_available: int
    streak: int
    reviews_per_day: dict[str, int]  # ISO date -> answers (review, quiz and cram), last HISTORY_DAYS days
    forecast: list[int]  # cards due on each of the next FORECAST_DAYS days (today first, overdue included)
    retention: dict[str, tuple[int, int]]  # young/mature -> (passed, total), last 30 days
    cards_by_state: dict[str, int]
    topic_accuracy: dict[str, tuple[int, int]]  # topic -> (passed, reviews)
    orphaned: list[str]  # keys with history whose card is no longer in the content
    topic_due: dict[str, int]  # topic -> learning (due now) and review cards its own review would show now
    topic_unseen: dict[str, int]  # topic -> study items never reviewed
    topic_new: dict[str, int] = field(default_factory=dict)  # topic -> new cards its own review would show now

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
    reviews_today, new_today, _ = store.review_counts_since(to_ms(day.start))
    known = store.scheduled_keys()
    orphaned = known - deck.item_keys
    states = store.state_counts()
    due_learning = [item for due_ms, item in queue.learning if due_ms <= to_ms(now)]
    per_topic = topic_counts(deck, store, settings, now, day)
    topic_unseen = {topic.slug: len(topic.item_keys) - (sum(map(known.__contains__, topic.item_keys)) if known else 0)
                    for topic in deck.topics}
    return Stats(
        today=day.day,
        reviews_today=reviews_today,
        answers_today=per_day.get(day.day, 0),
        new_today=new_today,
        due_now=len(due_learning) + len(queue.review),
        new_available=len(queue.new),
        streak=_streak(per_day, day.day),
        reviews_per_day=history,
        forecast=store.due_per_day(to_ms(day.start), FORECAST_DAYS),
        retention=store.retention_counts(to_ms(day.start - timedelta(days=30))),
        cards_by_state={"new": sum(topic_unseen.values()), "learning": states["learning"], "young": states["young"],
                        "mature": states["mature"], "relearning": states["relearning"]},
        topic_accuracy=store.topic_pass_counts(),
        orphaned=sorted(orphaned),
        topic_due={slug: due for slug, counts in per_topic.items() if (due := counts.learning + counts.review)},
        topic_unseen=topic_unseen,
        topic_new={slug: counts.new for slug, counts in per_topic.items()},
    )


def _reviews_per_study_day(store: Store, tz: tzinfo, starts_at: int) -> dict[date, int]:
    """Reviews per local study day, each quarter hour placed by its own UTC offset (so DST is right)."""
    per_day_number: dict[int, int] = {}
    offsets: dict[int, int | None] = {}  # UTC day -> its offset in ms, None if it changes that day
    shift_ms = starts_at * 3_600_000
    for start_ms, reviews in store.quarter_counts():
        utc_day = start_ms // DAY_MS
        if utc_day not in offsets:
            first, last = (_offset_ms(ms, tz) for ms in (utc_day * DAY_MS, utc_day * DAY_MS + DAY_MS - 1))
            offsets[utc_day] = first if first == last else None
        offset = offsets[utc_day]
        if offset is None:
            offset = _offset_ms(start_ms, tz)
        day_number = (start_ms + offset - shift_ms) // DAY_MS
        per_day_number[day_number] = per_day_number.get(day_number, 0) + reviews
    return {EPOCH + timedelta(days=n): count for n, count in per_day_number.items()}


def _offset_ms(moment_ms: int, tz: tzinfo) -> int:
    offset = datetime.fromtimestamp(moment_ms / 1000, tz).utcoffset()
    return int(offset.total_seconds() * 1000) if offset is not None else 0


def _streak(per_day: dict[date, int], today: date) -> int:
    """Consecutive study days up to today (or up to yesterday, while today is still open)."""
    start = today if per_day.get(today) else today - timedelta(days=1)
    streak = 0
    while per_day.get(start - timedelta(days=streak)):
        streak += 1
    return streak
