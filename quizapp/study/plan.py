"""The interview date: a study plan that has every card of the chosen topics seen before the day.

`quizapp plan 2026-12-20` sets `interview_date` (and `interview_topics`). Until that date:

- new cards come at the pace that introduces every unseen card of the topics by three days before the
  interview, so each is seen on its first day and again later (`needed_pace`, raised to the smallest pace at
  which the queue, which brings a note's cards on different days, does: `_smallest_pace`), but never more than
  `MAX_PACE` a day: what does not fit is said to stay unseen; the user may accept that pace
  (`interview_new_per_day`: the day's new cards then come from the plan's topics first, `topics_first`) or keep
  `new_per_day`;
- no due date is set past the start of the interview's study day (`due_cap`: intervals are capped at the days
  left);
- the last two days before it review only (no new cards at an accepted pace): every card whose predicted
  recall on the day of the interview is below the desired retention is reviewed too, due or not
  (`final_review`).

After the date the user's own limits apply again. `make_plan` sums it up with a workload forecast (reviews per
study day from today to the interview), simulated with the scheduler itself, the new cards of each day drawn as
the queue draws them (`queue.new_on_day`). The queue calls `new_limit`, `topics_first` (in `interview_day`, which
the scheduler imports without a cycle) and `final_review` (in `interview_review`), the scheduler `due_cap`; they
are named here too. Nothing else here is called from study code.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Collection, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from fsrs import Card, Rating, State

from quizapp.config import Settings
from quizapp.deck.model import Deck
from quizapp.plural import counted
from quizapp.study.clock import Clock, StudyDay, from_ms, to_ms
from quizapp.study.interview_day import FINAL_DAYS, days_left, due_cap, final_day, new_limit, topics_first
from quizapp.study.interview_review import final_review
from quizapp.study.queue import new_on_day
from quizapp.study.scheduling import Scheduling
from quizapp.study.store import Store

__all__ = ["FINAL_DAYS", "FORECAST_LIMIT_DAYS", "MAX_PACE", "Plan", "days_left", "due_cap", "final_day",
           "final_review", "make_plan", "needed_pace", "new_limit", "parse_date", "plan_lines", "topics_first"]

FORECAST_LIMIT_DAYS = 366
# The most new cards a day the plan asks for: each is seen two or three times on its first day, so 50 is some
# 150 reviews on top of the day's due ones, as much as a person learns well in a day.
MAX_PACE = 50


def parse_date(text: str, today: date) -> date:
    """`2026-12-20` -> a date after `today`; ValueError says the accepted form, or that the day has passed."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"not a date: {text!r}; write it as YYYY-MM-DD, like {today + timedelta(days=30)}") from None
    if day <= today:
        raise ValueError(f"{day} is {'today' if day == today else 'in the past'}: the interview date must be after "
                         f"today ({today})")
    return day


def needed_pace(unseen: int, left: int) -> int:
    """New cards a day that introduce `unseen` cards by `FINAL_DAYS + 1` days before the interview, so each has
    a later day to be seen again before it; at most `MAX_PACE`, and none when only the final days are left."""
    if unseen <= 0 or left <= FINAL_DAYS:
        return 0
    return min(MAX_PACE, math.ceil(unseen / (left - FINAL_DAYS)))


# --- the plan as the user sees it ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plan:
    interview: date
    today: date
    topics: tuple[str, ...]  # empty: every topic
    cards: int  # study items in the topics
    unseen: int  # never reviewed, and not suspended
    own_new_per_day: int  # the pace the queue keeps now: the one accepted for this date, else new_per_day
    pace: int  # new cards a day the plan needs
    forecast: tuple[int, ...]  # simulated reviews on each study day from today to the day before the interview
    own_forecast: tuple[int, ...]  # the same at the user's own new_per_day
    own_unseen_left: int  # cards still unseen on the day at the user's own pace
    accepted: bool = False  # own_new_per_day is a pace accepted earlier for this interview, not new_per_day
    unseen_left: int = 0  # cards still unseen on the day at the plan's pace (capped at MAX_PACE)
    suspended: int = 0  # of `cards`: left out of the plan and its forecast (neither unseen nor reviewed)
    deck_topics: int = 0  # topics in the deck: the user's own limit is shared by all of them

    @property
    def days_left(self) -> int:
        return (self.interview - self.today).days


def make_plan(deck: Deck, store: Store, settings: Settings, clock: Clock, interview: date,
              topics: Sequence[str] = ()) -> Plan:
    now = clock.now()
    today = StudyDay.containing(now, clock.tz, settings.day_starts_at).day
    every = deck.keys(topics or None)
    hidden = store.keys_marked("suspended")  # neither learned nor reviewed, as Anki leaves them out
    suspended = hidden & set(every)
    keys = [key for key in every if key not in suspended]
    scheduled = store.scheduled_keys()
    unseen = [key for key in keys if key not in scheduled]
    left = (interview - today).days
    # The new cards learned today already count against today's limit, whichever pace applies.
    done_today: dict[str, int] = {}
    for done in store.reviews_since(to_ms(StudyDay.of(today, clock.tz, settings.day_starts_at).start)):
        if done.was_new:
            topic = done.key.partition("/")[0]
            done_today[topic] = done_today.get(topic, 0) + 1
    pace = needed_pace(len(unseen) + sum(done_today.values()), left) if unseen else 0
    planned = settings.model_copy(update={"interview_date": interview, "interview_topics": tuple(topics)})
    rows = [row for row in (store.card(key) for key in keys if key in scheduled) if row is not None]
    # What the queue does if nothing changes: a pace accepted for this date (it may lag behind), else new_per_day
    # (which, unlike a pace of the plan, goes on bringing new cards on the final days, as `new_limit` does).
    accepted = settings.interview_new_per_day if settings.interview_date == interview else None
    current = accepted if accepted is not None else settings.new_per_day
    days = min(left, FORECAST_LIMIT_DAYS)
    wanted = set(unseen)

    def drawn(at: Settings) -> list[int]:  # new cards of the topics each day, drawn as the queue draws them
        return _new_per_day(deck, at, clock.tz, today, days, wanted, set(scheduled), hidden, done_today)

    at_pace = {pace: drawn(planned.model_copy(update={"interview_new_per_day": pace}))}
    if pace and left <= FORECAST_LIMIT_DAYS:  # the draws reach the last day that brings new cards
        pace = _smallest_pace(pace, left - FINAL_DAYS, len(unseen), at_pace,
                              lambda tried: drawn(planned.model_copy(update={"interview_new_per_day": tried})))
    mine = drawn(settings.model_copy(update={"interview_date": interview, "interview_new_per_day": accepted}))
    forecast = _simulate(rows, at_pace[pace], planned, clock.tz, today, left)
    own = _simulate(rows, mine, planned, clock.tz, today, left)
    return Plan(interview, today, tuple(topics), len(every), len(unseen), current, pace,
                tuple(forecast), tuple(own), len(unseen) - sum(mine), accepted is not None,
                len(unseen) - sum(at_pace[pace]), len(suspended), len(deck.topics))


def _smallest_pace(estimate: int, pace_days: int, unseen: int, at_pace: dict[int, list[int]],
                   draw: Callable[[int], list[int]]) -> int:
    """The smallest pace (from `estimate`, at most `MAX_PACE`) whose draws leave no card unseen, or, when even
    `MAX_PACE` leaves some (siblings on different days, a topic's own limit), the smallest that leaves no more
    than it does. `at_pace` holds the draws tried (pace -> new cards a day), `draw` makes more. The pace is raised
    by what is left unseen spread over the `pace_days` (by twice the last raise if that is more), then narrowed
    down by halves: a few draws, not one per pace (taking it that more new cards a day leave no more unseen)."""
    def left_at(pace: int) -> int:
        if pace not in at_pace:
            at_pace[pace] = draw(pace)
        return unseen - sum(at_pace[pace])

    pace, step = estimate, 0
    while left_at(pace) and pace < MAX_PACE:
        step = max(math.ceil(left_at(pace) / max(1, pace_days)), 2 * step)  # doubled while some are still left
        raised = min(MAX_PACE, pace + step)
        if left_at(raised) >= left_at(pace):  # no better: only the most the plan asks can tell how few it leaves
            raised = MAX_PACE
        pace = raised
    fewest = left_at(pace)
    if left_at(estimate) <= fewest:
        return estimate
    pace = min(tried for tried in at_pace if left_at(tried) <= fewest)
    failed = max(tried for tried in at_pace if tried < pace)  # leaves more than the fewest
    while pace - failed > 1:  # left_at(failed) > fewest >= left_at(pace)
        middle = (failed + pace) // 2
        failed, pace = (failed, middle) if left_at(middle) <= fewest else (middle, pace)
    return pace


def _new_per_day(deck: Deck, settings: Settings, tz: tzinfo, today: date, days: int, wanted: Collection[str],
                 seen: set[str], hidden: Collection[str], done_today: dict[str, int]) -> list[int]:
    """How many of the `wanted` cards the queue brings as new on each of `days` study days from `today`, under
    `settings` (the day's limit, the plan's topics first, the new-card order), marking each day's new cards `seen`
    (and suspended ones `hidden` on every day); `done_today`: topic -> new cards already learned today."""
    counts = []
    remaining = len(set(wanted) - seen)
    # While the plan's topics come first, the other topics take nothing from them: they need not be drawn.
    first = tuple(slug for slug in settings.interview_topics if deck.has_topic(slug))
    for offset in range(days):
        if not remaining:
            counts.append(0)
            continue
        day = StudyDay.of(today + timedelta(days=offset), tz, settings.day_starts_at)
        only = first if first and topics_first(settings, day.day) else None
        fresh = new_on_day(deck, settings, day, seen, hidden, done_today if offset == 0 else {}, only)
        seen.update(fresh)
        counts.append(sum(key in wanted for key in fresh))
        remaining -= counts[-1]
    return counts


def _simulate(rows: list, new_per_day: Sequence[int], settings: Settings, tz: tzinfo, today: date,
              left: int) -> list[int]:
    """Reviews per study day from `today` to the interview, with the scheduler and the plan's rules: each
    review is recalled with its predicted probability (a fixed seed, so the forecast is stable), `new_per_day[d]`
    new cards come on day d, due dates are capped, and the last days review what is below the desired
    retention."""
    scheduling = Scheduling(settings.model_copy(update={"enable_fuzzing": False}), tz=tz)
    rng = random.Random(0)
    cards: list[Card] = [_fsrs_card(index, row) for index, row in enumerate(rows)]
    counts = []
    for offset in range(min(left, FORECAST_LIMIT_DAYS)):
        day = StudyDay.of(today + timedelta(days=offset), tz, settings.day_starts_at)
        final = final_day(left - offset)
        fresh = new_per_day[offset] if offset < len(new_per_day) else 0
        cards += [Card(card_id=10**9 + len(cards) + i, due=day.start) for i in range(fresh)]
        on_the_day = day.start + timedelta(days=left - offset)  # as `final_review` judges: on the interview's day
        reviews = 0
        for index, card in enumerate(cards):
            if final and card.state == State.Review and card.due >= day.end:
                if scheduling.recall(card.stability, to_ms(card.last_review), on_the_day) < settings.desired_retention:
                    card = copy(card)
                    card.due = day.start
            moment = max(card.due, day.start)
            while card.due < day.end and reviews < 100_000:
                moment = max(card.due, moment)
                recall = 1.0 if card.last_review is None else scheduling.recall(
                    card.stability, to_ms(card.last_review), moment)
                rating = Rating.Good if card.state != State.Review or rng.random() < recall else Rating.Again
                card = scheduling.review_fsrs(card, rating, moment)
                reviews += 1
            cards[index] = card
        counts.append(reviews)
    return counts


def _fsrs_card(index: int, row) -> Card:
    return Card(card_id=index + 1, state=State(row.state), step=row.step, stability=row.stability,
                difficulty=row.difficulty, due=from_ms(row.due_ms),
                last_review=from_ms(row.last_review_ms) if row.last_review_ms is not None else None)


def plan_lines(plan: Plan) -> list[str]:
    """The plan in words, with its forecast (for `quizapp plan`)."""
    which = ", ".join(plan.topics) if plan.topics else "every topic"
    lines = [f"{counted(plan.days_left, 'day')} to your interview on {plan.interview:%A %d %B %Y}.",
             f"{counted(plan.cards, 'card')} in {which}: {plan.unseen} not seen yet"
             + (f"; {plan.suspended} suspended, left out of the plan." if plan.suspended else ".")]
    own = "the pace you accepted" if plan.accepted else "your own limit"
    if plan.unseen:
        theirs = f"{own}: {plan.own_new_per_day} a day"
        # Only a pace accepted for these topics brings them first: a limit of 20 beside the plan's 6 left 12 unseen.
        shared = plan.topics and len(plan.topics) < plan.deck_topics and not plan.accepted
        if plan.own_unseen_left and shared:
            every = "both" if plan.deck_topics == 2 else f"all {plan.deck_topics}"
            these, them = ("these", "these topics") if len(plan.topics) > 1 else ("this topic", "it")
            theirs += (f" shared by {every} topics, which leaves {plan.own_unseen_left} of {these} unseen on the day; "
                       f"the plan's pace, accepted, brings {them} first")
        elif plan.own_unseen_left:
            theirs += f", which leaves {plan.own_unseen_left} unseen on the day"
        lines.append(_pace_line(plan) + f" ({theirs}).")
    else:
        lines.append(f"Every card{' not suspended' if plan.suspended else ''} has been seen: the plan keeps them fresh "
                     "until the day.")
    lines.append(f"No card is due after the interview starts; the last {FINAL_DAYS} days bring no new cards at the "
                 "plan's pace and review every card you would probably have forgotten by then.")
    lines += ["", "Forecast of reviews a day, at the plan's pace:", *_forecast_rows(plan.today, plan.forecast)]
    if plan.own_forecast != plan.forecast:
        lines += [f"At {own}:" if not plan.accepted else f"At {own} ({plan.own_new_per_day} a day):",
                  *_forecast_rows(plan.today, plan.own_forecast)]
    return lines


def _pace_line(plan: Plan) -> str:
    """The plan's pace of new cards in words, and what it leaves unseen when the days left are too few."""
    if not plan.pace:  # only the final days are left
        return (f"Only the final review days are left (the last {FINAL_DAYS}, no new cards at the plan's pace): "
                f"the {plan.unseen} not seen yet stay unseen")
    last = plan.interview - timedelta(days=FINAL_DAYS + 1)
    # The day named in full: "by the 21st" beside "21 days to your interview" read as a count of days.
    when = f"{last:%A} {last.day} {last:%B}"
    if plan.unseen_left and plan.pace >= MAX_PACE:
        return (f"{plan.pace} new a day until {when}, the most the plan asks of a day: "
                f"{plan.unseen_left} will not be seen before the interview")
    if plan.unseen_left:  # held back by the queue, which the forecast follows
        return (f"{plan.pace} new a day until {when}, though {plan.unseen_left} will still not be seen before the "
                "interview: the queue brings a note's cards on different days, and keeps a topic's own limit")
    return f"{plan.pace} new a day to finish by {when}"


def _forecast_rows(today: date, counts: Sequence[int]) -> list[str]:
    if not counts:
        return ["  (no study day left before it)"]
    rows = []
    for start in range(0, len(counts), 7):
        week = counts[start:start + 7]
        rows.append(f"  {today + timedelta(days=start):%d %b}: " + " ".join(f"{n:>3}" for n in week))
    total = sum(counts)
    rows.append(f"  total {total} over {counted(len(counts), 'day')}, at most {max(counts)} a day")
    return rows
