"""Filtered study: `ReviewSession(only=keys)` reviews exactly those cards, as real reviews (Anki's filtered deck
with rescheduling), whether due or not; with `cram` it leaves their schedules alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.study.clock import StudyDay, to_ms
from quizapp.study.marking import mark
from quizapp.study.review import ReviewSession
from quizapp.study.store import NewEvent, Store
from tests.study_helpers import fixed_clock, fixture_deck, settings


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "data") as store:
        yield store


def learn_second_topic(store, clock) -> None:
    """second/one and second/two rated Easy: review cards due days from now."""
    session = ReviewSession(fixture_deck(), store, settings(), clock, topics=["second"])
    session.rate(Rating.Easy)
    session.rate(Rating.Easy)
    assert session.finished


def walk(session: ReviewSession, rating: Rating = Rating.Good) -> list[str]:
    keys = []
    while not session.finished and len(keys) < 50:
        keys.append(session.current.key)
        session.rate(rating)
    return keys


def test_only_the_chosen_cards_are_reviewed_due_or_not_and_rescheduled_from_now(store) -> None:
    clock = fixed_clock()
    learn_second_topic(store, clock)
    clock.advance(days=1)
    assert ReviewSession(fixture_deck(), store, settings(), clock).counts().review == 0  # nothing due
    before = store.card("second/two")
    session = ReviewSession(fixture_deck(), store, settings(), clock, only={"second/two", "mini/flash"})
    assert session.counts().review == 1 and session.counts().new == 1
    assert walk(session, Rating.Easy) == ["second/two", "mini/flash"]
    after = store.card("second/two")
    assert after.last_review_ms == to_ms(clock.now()) and after.due_ms != before.due_ms  # rescheduled from today
    assert store.card("mini/flash") is not None  # the new card was learned
    assert [row.mode for row in store.log()][-2:] == ["review", "review"]
    assert store.card("second/one").last_review_ms < to_ms(clock.now())  # not chosen: untouched


def test_a_card_still_learning_comes_back_when_due_and_daily_limits_do_not_apply(store) -> None:
    clock = fixed_clock()
    chosen = {"mini/flash", "mini/blanks#c1", "mini/blanks#c2"}
    session = ReviewSession(fixture_deck(), store, settings(new_per_day=0), clock, only=chosen)
    assert session.counts().new == 3  # the filter is what to study: today's new limit does not cut it
    assert session.current.key == "mini/flash"
    session.rate(Rating.Again)  # back in a minute
    assert session.current.key == "mini/blanks#c1"  # siblings are not buried: both were asked for
    session.rate(Rating.Easy)
    assert session.current.key == "mini/blanks#c2"
    session.rate(Rating.Easy)
    assert session.current.key == "mini/flash"  # nothing else left: the learning card, shown early
    assert session.counts().learning == 1  # not due yet, but shown (and counted) within the learn-ahead window
    session.rate(Rating.Easy)
    assert session.finished


def test_suspended_and_buried_cards_are_left_out(store) -> None:
    clock = fixed_clock()
    now = to_ms(clock.now())
    store.apply([NewEvent("second/one", "suspend", now), NewEvent("mini/flash", "bury", now, now + 3_600_000)])
    session = ReviewSession(fixture_deck(), store, settings(), clock,
                            only={"second/one", "second/two", "mini/flash"})
    assert walk(session, Rating.Easy) == ["second/two"]


def test_undo_asks_the_card_again(store) -> None:
    clock = fixed_clock()
    session = ReviewSession(fixture_deck(), store, settings(), clock, only={"second/one", "second/two"})
    session.rate(Rating.Easy)
    assert session.current.key == "second/two"
    session.undo()
    assert session.current.key == "second/one" and store.card("second/one") is None


def test_with_cram_the_chosen_cards_are_crammed_and_schedules_stay(store) -> None:
    clock = fixed_clock()
    learn_second_topic(store, clock)
    before = store.cards()
    clock.advance(hours=1)
    session = ReviewSession(fixture_deck(), store, settings(), clock, only={"second/two"}, cram=True)
    assert walk(session, Rating.Again) == ["second/two"]
    assert store.cards() == before and store.log()[-1].mode == "cram"


def test_an_empty_filter_has_nothing_to_review(store) -> None:
    session = ReviewSession(fixture_deck(), store, settings(), fixed_clock(), only=set())
    assert session.finished and session.counts().total == 0


def test_a_change_by_another_process_rebuilds_the_queue_without_bringing_answered_cards_back(
        store, tmp_path: Path) -> None:
    clock = fixed_clock()
    session = ReviewSession(fixture_deck(), store, settings(), clock,
                            only={"second/one", "second/two", "mini/flash"})
    assert session.current.key == "mini/flash"
    with Store.open(tmp_path / "data") as other:  # another quizapp suspends a card of the filter meanwhile
        other.apply([NewEvent("second/two", "suspend", to_ms(clock.now()))])
    session.rate(Rating.Easy)
    assert walk(session, Rating.Easy) == ["second/one"]


BURYING = {"bury_new_siblings": True, "bury_review_siblings": True}


def test_siblings_are_set_aside_as_in_todays_queue(store) -> None:
    """A filtered review showed every deletion of a cloze one after another, though today's queue (and Anki, which
    buries siblings in a filtered deck by the home deck's options) sets a note's other cards aside until the next
    study day once one is answered, and takes one card of a note at a time."""
    clock = fixed_clock()
    chosen = {"mini/flash", "mini/blanks#c1", "mini/blanks#c2"}
    session = ReviewSession(fixture_deck(), store, settings(**BURYING), clock, only=chosen)
    assert session.counts().new == 2  # one card of the note at a time
    assert walk(session, Rating.Easy) == ["mini/flash", "mini/blanks#c1"]
    assert store.card("mini/blanks#c2") is None
    again = ReviewSession(fixture_deck(), store, settings(**BURYING), clock, only=chosen)  # all day long
    assert (again.counts().new, again.counts().review) == (0, 2)  # the two answered, again: due or not
    clock.advance(days=1)
    # the next study day: still no new card of a note while its review is in the queue, as today's queue has it
    later = ReviewSession(fixture_deck(), store, settings(**BURYING), clock, only=chosen)
    assert (later.counts().new, later.counts().review) == (0, 2)
    alone = ReviewSession(fixture_deck(), store, settings(**BURYING), clock, only={"mini/blanks#c2"})
    assert walk(alone, Rating.Easy) == ["mini/blanks#c2"]  # no longer set aside


def test_a_review_sets_its_siblings_aside_unless_unburied(store) -> None:
    clock = fixed_clock()
    chosen = {"mini/blanks#c1", "mini/blanks#c2"}
    assert walk(ReviewSession(fixture_deck(), store, settings(), clock, only=chosen), Rating.Easy) == sorted(chosen)
    clock.advance(days=1)  # both in review, due days from now: the filter takes them anyway
    session = ReviewSession(fixture_deck(), store, settings(**BURYING), clock, only=chosen)
    assert session.counts().review == 1
    assert walk(session, Rating.Good) == ["mini/blanks#c1"]
    day = StudyDay.containing(clock.now(), clock.tz, settings().day_starts_at)
    mark(store, ["mini/blanks#c2"], "unbury", day, to_ms(clock.now()), set_aside={"mini/blanks#c2"})
    assert walk(ReviewSession(fixture_deck(), store, settings(**BURYING), clock, only=chosen)) == ["mini/blanks#c2"]
    # settings without burying keep both, as before
    clock.advance(days=1)
    assert len(walk(ReviewSession(fixture_deck(), store, settings(), clock, only=chosen))) == 2


def test_the_cards_set_aside_are_counted_so_the_counts_add_up_to_the_cards_chosen(store) -> None:
    """"5 cards from the interview" beside "New 3": the queue, what was answered, the shelved cards and the ones
    set aside for another day make up the cards chosen."""
    clock = fixed_clock()
    chosen = {"mini/flash", "mini/blanks#c1", "mini/blanks#c2", "second/one"}
    day = StudyDay.containing(clock.now(), clock.tz, settings().day_starts_at)
    mark(store, ["second/one"], "suspend", day, to_ms(clock.now()))
    session = ReviewSession(fixture_deck(), store, settings(**BURYING), clock, only=chosen)
    assert (session.counts().total, session.shelved_found(), session.set_aside_found()) == (2, 1, 1)
    session.rate(Rating.Easy)
    assert (session.counts().total, session.set_aside_found()) == (1, 1)
    assert ReviewSession(fixture_deck(), store, settings(), clock, only=chosen).set_aside_found() == 0  # no burying
    assert ReviewSession(fixture_deck(), store, settings(**BURYING), clock).set_aside_found() == 0  # not chosen
