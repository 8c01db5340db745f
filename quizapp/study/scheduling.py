"""FSRS scheduling over stored card rows: what a rating would do, and what it does.

fsrs schedules without fuzz here; with `enable_fuzzing` on, the fuzz is ours (see `balance`): drawn from a
generator seeded by the card and the review time, so a review gives the same due date whenever it is
computed again with the same load, and, when the session passes the days' load, leaning toward light days.

fsrs computes each rating's interval on its own, so a review card's Hard and Good (or Good and Easy) can round to
the same day. Anki never shows that: `ordered_days` applies its rule to fsrs's intervals, in review and preview.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone, tzinfo

from fsrs import Card, Rating, Scheduler, State

from quizapp.config import Settings
from quizapp.study.balance import MAX_BALANCED_DAYS, DueLoad, balanced_days, fuzz_range, review_rng
from quizapp.study.interview_day import due_cap
from quizapp.study.clock import from_ms, to_ms
from quizapp.study.store import CardRow

__all__ = ["RATINGS", "Rating", "Scheduling", "card_id_for", "format_interval", "ordered_days"]

RATINGS = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)
PASSING = (Rating.Hard, Rating.Good, Rating.Easy)


def ordered_days(days: Sequence[int], maximum: int, fuzz: Callable[[int, int], int] | None = None) -> list[int]:
    """Anki's order on the intervals (whole days) of ratings listed from the shortest: each is at least a day
    longer than the one before it, at least 1 and at most `maximum` (so at the maximum two may be equal).
    `fuzz(days, floor)` fuzzes an interval to a day from `floor` up: it runs after the order, and the next floor
    is the fuzzed day plus one, so the order holds under fuzz as in Anki (whose fuzz range starts there).

    >>> ordered_days([4, 4, 7], 36500), ordered_days([1, 1, 1], 36500), ordered_days([9, 10, 12], 10)
    ([4, 5, 7], [1, 2, 3], [9, 10, 10])
    """
    ordered: list[int] = []
    floor = 1
    for interval in days:
        floor = min(floor, maximum)
        interval = min(max(interval, floor), maximum)
        ordered.append(fuzz(interval, floor) if fuzz else interval)
        floor = ordered[-1] + 1
    return ordered


def card_id_for(key: str) -> int:
    """A stable positive 53-bit id per study item (fsrs, Anki and the optimizer want integers)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big") >> 11


class Scheduling:
    def __init__(self, settings: Settings, tz: tzinfo = timezone.utc) -> None:
        self.scheduler = Scheduler(
            parameters=tuple(settings.fsrs_parameters) if settings.fsrs_parameters else Scheduler().parameters,
            desired_retention=settings.desired_retention,
            learning_steps=settings.learning_deltas,
            relearning_steps=settings.relearning_deltas,
            maximum_interval=settings.maximum_interval,
            enable_fuzzing=False,  # the fuzz is ours: seeded, and balanced (see `_fuzzed_days`)
        )
        self.fuzz = settings.enable_fuzzing
        self._maximum_interval = settings.maximum_interval
        self._decay = -self.scheduler.parameters[20]  # FSRS-6's forgetting curve, as fsrs.Scheduler has it
        self._factor = 0.9 ** (1 / self._decay) - 1
        self._due_cap = due_cap(settings, tz)  # the interview plan: no due date past the interview day

    def review_fsrs(self, card: Card, rating: Rating, now: datetime) -> Card:
        """The review as `review` does it, without fuzz, on an fsrs Card: for forecasts."""
        return self._next(card, rating, now)

    def review(self, key: str, topic: str, row: CardRow | None, rating: Rating, now: datetime,
               content_hash: str | None, load: DueLoad | None = None) -> CardRow:
        """The card's state after `rating` at `now`. With fuzz off, its interval is the one `preview` shows.
        With fuzz on, a review-state interval is fuzzed inside fsrs's range, still in Anki's order; given `load`
        (cards due per day ahead), toward the lighter days. The interview plan caps the due date at the
        interview's day."""
        fuzz = (lambda days, floor: self._fuzzed_days(key, days, now, load, floor)) if self.fuzz else None
        return from_fsrs(key, topic, self._next(to_fsrs(key, row, now), rating, now, fuzz), content_hash)

    def _next(self, card: Card, rating: Rating, now: datetime,
              fuzz: Callable[[int, int], int] | None = None) -> Card:
        """fsrs's card after `rating`, its interval in days put in Anki's order (`ordered_days`) after those of
        the ratings below it, then capped by the interview plan. Anki orders Hard < Good < Easy for a review
        card; for a learning or relearning card only Easy, past the interval fsrs gives Good's stability (in
        days, even where Good goes to a step): Hard and Good graduate as fsrs has them."""
        after = self.scheduler.review_card(card, rating, now)[0]
        if after.state == State.Review:  # intervals in days: fsrs's review intervals are whole days
            if card.state == State.Review and rating in PASSING:
                below = PASSING[:PASSING.index(rating)]
            else:
                below = (Rating.Good,) if rating == Rating.Easy else ()
            days = [self.interval_days(self.scheduler.review_card(card, r, now)[0].stability) for r in below]
            after.due = now + timedelta(days=ordered_days([*days, (after.due - now).days],
                                                          self._maximum_interval, fuzz)[-1])
        return self._capped(after, now)

    @property
    def decay(self) -> float:
        """The forgetting curve's decay (FSRS-6's last parameter), positive, as Anki stores it with a card."""
        return -self._decay

    @property
    def due_cap(self) -> datetime | None:
        """The interview plan's latest due date (None without an interview date)."""
        return self._due_cap

    def _capped(self, card: Card, now: datetime) -> Card:
        """No due date past the interview plan's day. The cap comes after Anki's order and wins over it: two
        ratings that both reach past the cap are due on the cap's day, and their buttons rightly show the same."""
        cap = self._due_cap
        if cap is not None and now < cap < card.due:
            card.due = cap
        return card

    def _fuzzed_days(self, key: str, days: int, now: datetime, load: DueLoad | None, floor: int = 1) -> int:
        """A day in fsrs's fuzz range of `days` (at least `floor`), none before `floor`."""
        low, high = fuzz_range(days, self._maximum_interval)
        low = max(low, floor)
        if low == high:
            return low
        rng = review_rng(key, to_ms(now))
        if load is None or days > MAX_BALANCED_DAYS or low > MAX_BALANCED_DAYS:
            return rng.randint(low, high)
        return balanced_days(low, high, load.ahead(to_ms(now)), rng)

    def preview(self, key: str, row: CardRow | None, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give, without fuzz, for buttons like "Good 3d": with fuzz off, exactly
        what `review` then gives."""
        card = to_fsrs(key, row, now)
        return {r: self._next(card, r, now).due - now for r in RATINGS}

    def retrievability(self, row: CardRow, now: datetime) -> float:
        return self.recall(row.stability, row.last_review_ms, now)

    def recall(self, stability: float | None, last_review_ms: int | None, now: datetime) -> float:
        """The predicted chance of recalling a card now, as fsrs computes it (FSRS-6's forgetting curve),
        without building an fsrs Card: a backlog of thousands is sorted by it."""
        return self.recall_ms(stability, last_review_ms, to_ms(now))

    def recall_ms(self, stability: float | None, last_review_ms: int | None, now_ms: int) -> float:
        """`recall` at `now_ms` (ms since the epoch)."""
        if last_review_ms is None or not stability:
            return 0.0
        elapsed_days = max(0, (now_ms - last_review_ms) // 86_400_000)  # whole days, as fsrs counts them
        return (1 + self._factor * elapsed_days / stability) ** self._decay

    def interval_days(self, stability: float) -> int:
        """The whole days after which the forgetting curve of `stability` reaches the desired retention, at least
        1 and at most the maximum interval: the interval fsrs gives a review card of that stability (its own
        `_next_interval`, computed here in the same order from public values)."""
        retention = self.scheduler.desired_retention
        days = round(stability / self._factor * (retention ** (1 / self._decay) - 1))
        return min(max(days, 1), self._maximum_interval)

    def days_per_stability_at(self, recall: float) -> float:
        """Where the forgetting curve reaches `recall` (0 < recall <= 1), as elapsed days over stability: a
        card's recall is below `recall` exactly when its elapsed whole days exceed this times its stability, so
        a search can ask the database for it."""
        return (recall ** (1 / self._decay) - 1) / self._factor


def to_fsrs(key: str, row: CardRow | None, now: datetime) -> Card:
    if row is None:
        return Card(card_id=card_id_for(key), due=now)
    return Card(
        card_id=row.card_id,
        state=State(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=from_ms(row.due_ms),
        last_review=from_ms(row.last_review_ms) if row.last_review_ms is not None else None,
    )


def from_fsrs(key: str, topic: str, card: Card, content_hash: str | None) -> CardRow:
    return CardRow(
        key=key,
        card_id=card.card_id,
        topic=topic,
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due_ms=to_ms(card.due),
        last_review_ms=to_ms(card.last_review) if card.last_review else None,
        content_hash=content_hash,
    )


def format_interval(delta: timedelta) -> str:
    """Anki-style short interval: 45s, 10m, 3h, 4d, 2.1mo, 1.5y."""
    seconds = max(round(delta.total_seconds()), 0)  # whole seconds: a due date stored to the millisecond reads as shown
    # Each unit is chosen by its rounded count, so 59.9 seconds reads 1m, not 60s.
    for size, unit, up_to in ((1, "s", 60), (60, "m", 60), (3600, "h", 24), (86400, "d", 30)):
        if round(seconds / size) < up_to:
            return f"{round(seconds / size)}{unit}"
    days = seconds / 86400
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"
