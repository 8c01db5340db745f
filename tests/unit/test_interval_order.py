"""The rating buttons' intervals in Anki's order: a review card's Hard < Good < Easy, a day apart at least (fsrs
alone can round two to the same day); a learning or relearning card's Easy past what Good's stability gives;
and the review done with a rating gives the interval its button showed."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.study.balance import DAY_MS, DueLoad
from quizapp.study.clock import from_ms, to_ms
from quizapp.study.scheduling import RATINGS, Rating, Scheduling, card_id_for, ordered_days, to_fsrs
from quizapp.study.store import CardRow, CardState
from tests.study_helpers import settings as study_settings

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
KEY = "t/card"
PASSING = (Rating.Hard, Rating.Good, Rating.Easy)

stabilities = st.floats(0.01, 2000.0)
difficulties = st.floats(1.0, 10.0)
elapsed = st.integers(0, 400)
retentions = st.floats(0.7, 0.99)


def row(state: CardState, stability: float, difficulty: float, elapsed_days: int, step: int | None = None) -> CardRow:
    last = NOW - timedelta(days=elapsed_days, minutes=10)
    return CardRow(KEY, card_id_for(KEY), "t", int(state), step, stability, difficulty, to_ms(NOW), to_ms(last), None)


def reviewed(scheduling: Scheduling, before: CardRow | None, rating: Rating) -> timedelta:
    return from_ms(scheduling.review(KEY, "t", before, rating, NOW, None).due_ms) - NOW


@settings(max_examples=300, deadline=None)
@given(stabilities, difficulties, elapsed, retentions, st.sampled_from([36500, 365, 30, 3]))
def test_a_review_cards_buttons_are_a_day_apart_and_its_review_gives_what_they_show(
        stability: float, difficulty: float, elapsed_days: int, retention: float, maximum: int) -> None:
    scheduling = Scheduling(study_settings(desired_retention=retention, maximum_interval=maximum))
    before = row(CardState.REVIEW, stability, difficulty, elapsed_days)
    shown = scheduling.preview(KEY, before, NOW)
    assert {rating: reviewed(scheduling, before, rating) for rating in RATINGS} == shown
    hard, good, easy = (shown[rating].days for rating in PASSING)
    assert 1 <= hard and min(hard + 1, maximum) <= good and min(good + 1, maximum) <= easy <= maximum
    assert all(shown[rating] == timedelta(days=shown[rating].days) for rating in PASSING)  # whole days


@settings(max_examples=200, deadline=None)
@given(stabilities, difficulties, st.integers(0, 3), retentions,
       st.sampled_from([(CardState.LEARNING, 0), (CardState.LEARNING, 1), (CardState.RELEARNING, 0)]))
def test_a_learning_cards_easy_is_a_day_past_goods_stability_and_its_review_gives_what_it_shows(
        stability: float, difficulty: float, elapsed_days: int, retention: float, state_step) -> None:
    """Anki's rule for (re)learning cards: Easy at least a day past the interval Good's stability gives, whether
    Good graduates (here from the last step) or goes to a step; Hard and Good are left as fsrs has them."""
    scheduling = Scheduling(study_settings(desired_retention=retention))
    state, step = state_step
    for before in (row(state, stability, difficulty, elapsed_days, step), None):  # None: a new card
        shown = scheduling.preview(KEY, before, NOW)
        assert {rating: reviewed(scheduling, before, rating) for rating in RATINGS} == shown
        good = scheduling.scheduler.review_card(to_fsrs(KEY, before, NOW), Rating.Good, NOW)[0]
        good_days = scheduling.interval_days(good.stability)  # what fsrs gives Good's stability, in days
        assert shown[Rating.Easy] == timedelta(days=shown[Rating.Easy].days) >= timedelta(days=good_days + 1)
        if shown[Rating.Good] >= timedelta(days=1):  # Good graduates (from the last step): a day before Easy
            assert shown[Rating.Good].days < shown[Rating.Easy].days


@settings(max_examples=200, deadline=None)
@given(stabilities, difficulties, elapsed, retentions, st.integers(0, 2**20), st.booleans())
def test_fuzzed_reviews_keep_the_order(stability: float, difficulty: float, elapsed_days: int, retention: float,
                                       seconds: int, balanced: bool) -> None:
    """With fuzz on, Hard, Good and Easy (each drawn as its review would draw it) stay a day apart at least: as in
    Anki, each is fuzzed from a day past the one below it."""
    fuzzed = Scheduling(study_settings(desired_retention=retention, enable_fuzzing=True))
    moment = NOW + timedelta(seconds=seconds)
    before = row(CardState.REVIEW, stability, difficulty, elapsed_days)
    first = to_ms(moment) - DAY_MS // 3
    load = DueLoad([first + day * DAY_MS for day in range(101)], [(day * 7) % 5 for day in range(100)]) if balanced else None
    days = [(from_ms(fuzzed.review(KEY, "t", before, rating, moment, None, load).due_ms) - moment).days
            for rating in PASSING]
    assert 1 <= days[0] < days[1] < days[2]


def test_the_interview_cap_comes_after_the_order_and_may_make_two_buttons_equal() -> None:
    """fsrs gives this card Hard 4d, Good 4d, Easy 7d: the order makes Good 5d, past the interview's day, so the
    cap makes Good and Easy both due on that day (at 04:00, 4 days 19 hours from now)."""
    capped = Scheduling(study_settings(interview_date=date(2026, 3, 7)))
    before = row(CardState.REVIEW, 4.0, 5.0, 0)
    card = to_fsrs(KEY, before, NOW)
    assert [(capped.scheduler.review_card(card, r, NOW)[0].due - NOW).days for r in PASSING] == [4, 4, 7]
    shown = capped.preview(KEY, before, NOW)
    cap = capped.due_cap
    assert cap is not None and shown[Rating.Hard] == timedelta(days=4) < cap - NOW
    assert shown[Rating.Good] == shown[Rating.Easy] == cap - NOW
    assert {rating: reviewed(capped, before, rating) for rating in RATINGS} == shown


def test_the_order_lifts_equal_days_and_stops_at_the_maximum() -> None:
    assert ordered_days([4, 4, 7], 36500) == [4, 5, 7]
    assert ordered_days([1, 1, 1], 36500) == [1, 2, 3]
    assert ordered_days([10, 11, 11], 36500) == [10, 11, 12]
    assert ordered_days([9, 10, 12], 10) == [9, 10, 10]
    assert ordered_days([5, 9, 12], 36500, fuzz=lambda days, floor: max(floor, days - 3)) == [2, 6, 9]


@settings(max_examples=300, deadline=None)
@given(stabilities, difficulties, elapsed, retentions, st.sampled_from([36500, 365, 30, 3]), st.sampled_from(PASSING))
def test_interval_days_is_the_interval_fsrs_gives_a_review_card_of_that_stability(
        stability: float, difficulty: float, elapsed_days: int, retention: float, maximum: int,
        rating: Rating) -> None:
    """`interval_days` (which the order uses for the ratings below one) against fsrs's own review of a review
    card, through its public `review_card`: fsrs gives a passing review card the interval of its new stability."""
    scheduling = Scheduling(study_settings(desired_retention=retention, maximum_interval=maximum))
    after = scheduling.scheduler.review_card(to_fsrs(KEY, row(CardState.REVIEW, stability, difficulty, elapsed_days),
                                                     NOW), rating, NOW)[0]
    assert after.due - NOW == timedelta(days=scheduling.interval_days(after.stability))
