"""The review session: queue order, daily limits, ratings, undo, orphans, edits and FSRS replay parity."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest
from fsrs import Card, Rating, ReviewLog, Scheduler

from quizapp.deck import load_deck
from quizapp.study.marking import mark
from quizapp.study.review import ReviewSession
from quizapp.study.stats import compute_stats
from quizapp.study.scheduling import Scheduling
from quizapp.study.clock import StudyDay, from_ms, to_ms
from quizapp.study.scheduling import card_id_for
from quizapp.study.store import CardState, NewReview, Store
from tests.study_helpers import FIXTURE_DECK, START, fixed_clock, fixture_deck, settings


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "data") as store:
        yield store


def answer_correctly(session: ReviewSession) -> None:
    """Give the right answer to the current auto-checked question."""
    question = session.current
    if question.kind == "choice":
        session.check_choice(question.correct_options)
    elif question.kind == "numeric":
        session.check(str(question.item.card.card.answer))
    elif question.kind == "generated":
        session.check(repr(question.problem.answer))


def test_new_cards_come_in_deck_order_with_counts(store) -> None:
    session = ReviewSession(fixture_deck(), store, settings(), fixed_clock(), seed=1)
    assert session.counts().new == 9  # 8 cards, the cloze card has two deletions... and the second topic
    keys = []
    while not session.finished and len(keys) < 9:
        question = session.current
        keys.append(question.key)
        if question.auto_checked:
            answer_correctly(session)
        session.rate(Rating.Easy)
    assert keys == [
        "mini/flash", "mini/pick-one", "mini/pick-many", "mini/number", "mini/blanks#c1", "mini/blanks#c2",
        "mini/gen", "second/one", "second/two",
    ]
    assert session.finished  # everything rated Easy goes to review days away


def test_topic_filter(store) -> None:
    session = ReviewSession(fixture_deck(), store, settings(), fixed_clock(), topics=["second"])
    assert session.counts().new == 2 and session.current.key == "second/one"


def test_auto_checked_cards_must_be_checked_and_suggest_a_rating(store) -> None:
    clock = fixed_clock()
    session = ReviewSession(fixture_deck(), store, settings(), clock, topics=["mini"])
    session.rate(Rating.Good)  # flashcard: self-rated
    assert session.current.key == "mini/pick-one"
    with pytest.raises(ValueError, match="check the answer"):
        session.rate(Rating.Good)
    invalid = session.check("z")
    assert invalid.status == "invalid" and "letters a-c" in invalid.message and session.outcome is None
    wrong = session.check("b")
    assert wrong.status == "incorrect" and session.suggested_rating() == Rating.Again
    assert session.check("a").status == "correct"
    assert session.suggested_rating() == Rating.Good  # right, however fast: Easy is the user's call
    recorded = session.rate(Rating.Hard)  # the user may overrule the suggestion
    assert recorded.log.rating == 2 and recorded.log.correct is True and recorded.log.answer == "a"


def test_show_answer_of_a_typed_card_is_a_miss_with_no_answer(store) -> None:
    session = ReviewSession(fixture_deck(), store, settings(), fixed_clock(), topics=["mini"])
    while session.current.kind != "numeric":
        if session.current.auto_checked:
            answer_correctly(session)
        session.rate(Rating.Good)
    outcome = session.show_answer()
    assert outcome.correct is False and session.suggested_rating() == Rating.Again
    recorded = session.rate(session.suggested_rating())
    assert (recorded.log.rating, recorded.log.correct, recorded.log.answer) == (1, False, None)


def test_generated_card_logs_its_seed(store) -> None:
    session = ReviewSession(fixture_deck(), store, settings(), fixed_clock(), seed=5, topics=["mini"])
    while session.current.kind != "generated":
        if session.current.auto_checked:
            answer_correctly(session)
        session.rate(Rating.Easy)
    question = session.current
    answer_correctly(session)
    recorded = session.rate(Rating.Good)
    assert recorded.log.seed == question.seed is not None
    assert recorded.log.correct is True


def test_intervals_preview_matches_what_rating_does(store) -> None:
    clock = fixed_clock()
    session = ReviewSession(fixture_deck(), store, settings(), clock)
    preview = session.intervals()
    assert set(preview) == set(Rating) and preview[Rating.Again] < preview[Rating.Good] < preview[Rating.Easy]
    recorded = session.rate(Rating.Easy)
    assert recorded.next_due - clock.now() == preview[Rating.Easy]


def test_learning_cards_come_back_before_new_ones_when_due(store) -> None:
    clock = fixed_clock()
    session = ReviewSession(fixture_deck(), store, settings(), clock, topics=["second"])
    session.rate(Rating.Again)  # second/one: learning, due in 1 minute
    assert session.current.key == "second/two"
    clock.advance(minutes=2)
    session.rate(Rating.Good)  # second/two -> learning, due in 10 min; second/one is due now
    assert session.current.key == "second/one"
    assert session.counts().learning == 2  # second/two, due in 10 minutes, is within the learn-ahead window


def test_a_learning_card_is_counted_from_when_it_may_be_shown_early(store) -> None:
    """As in Anki, learning cards due within the learn-ahead window are counted: once nothing else is left, the
    card shown early is one of them, never a card on screen under "Learning 0"."""
    clock = fixed_clock()
    session = ReviewSession(fixture_deck(), store, settings(), clock, topics=["second"])
    session.rate(Rating.Good)  # second/one: learning, due in 10 minutes
    assert session.counts().learning == 1
    session.rate(Rating.Good)  # second/two too; nothing else is left
    assert session.current.key == "second/one"  # shown early
    assert session.counts().learning == 2
    stats = compute_stats(fixture_deck(), store, settings(), clock)
    assert stats.due_now == 2 and stats.topic_due["second"] == 2  # the home screen shows what review will


def test_a_learning_card_beyond_the_learn_ahead_window_is_not_counted_yet(store) -> None:
    clock = fixed_clock()
    session = ReviewSession(fixture_deck(), store, settings(learning_steps=["30m"]), clock, topics=["second"])
    session.rate(Rating.Again)  # due in 30 minutes: past the 20-minute window
    assert session.counts().learning == 0
    clock.advance(minutes=11)
    assert session.counts().learning == 1


def test_a_card_answered_when_only_learning_is_left_waits_until_it_is_due(store) -> None:
    clock = fixed_clock()
    session = ReviewSession(fixture_deck(), store, settings(), clock, topics=["second"])
    session.rate(Rating.Good)  # second/one: due in 10 minutes
    session.rate(Rating.Good)  # second/two: due in 10 minutes; second/one is shown early
    assert session.current.key == "second/one"
    session.rate(Rating.Again)  # due in a minute, the soonest, but just seen: second/two first
    assert session.current.key == "second/two"
    session.rate(Rating.Good)  # second/two graduates
    assert session.current.key == "second/one"
    session.rate(Rating.Good)  # the second step, 10 minutes: not passed in a second by asking it again now
    assert session.finished and session.next_learning_due == clock.now() + timedelta(minutes=10)
    assert store.card("second/one").state == CardState.LEARNING


def test_undo_restores_state_and_asks_again(store) -> None:
    clock = fixed_clock()
    session = ReviewSession(fixture_deck(), store, settings(), clock, topics=["second"])
    session.rate(Rating.Good)
    clock.advance(minutes=11)
    before = store.card("second/one")
    first_log = len(store.log())
    session.rate(Rating.Good)  # second/one again? (learning step) or second/two
    rated_key = store.log()[-1].key
    session.undo()
    assert session.current.key == rated_key
    assert len(store.log()) == first_log
    assert store.card("second/one") == before
    session.undo()
    assert store.log() == [] and store.card("second/one") is None
    assert session.undo() is None


def test_daily_limits_over_a_simulated_month(store) -> None:
    deck = load_deck([FIXTURE_DECK])
    clock = fixed_clock()
    rng = random.Random(3)
    config = settings(new_per_day=2, reviews_per_day=3)
    for day in range(30):
        session = ReviewSession(deck, store, config, clock, seed=day)
        new_seen = reviews_seen = 0
        while not session.finished:
            row = store.card(session.current.key)
            new_seen += row is None
            reviews_seen += row is not None and row.state == 2
            if session.current.auto_checked:
                answer_correctly(session)
            session.rate(rng.choice([Rating.Again, Rating.Good, Rating.Good, Rating.Easy]))
            clock.advance(minutes=15)
        assert new_seen <= 2 and reviews_seen <= 3, day
        clock.moment = clock.moment.replace(hour=9, minute=0) + timedelta(days=1)
    assert len({row.key for row in store.log()}) == 9  # every item was introduced, two a day


def test_review_order_most_overdue_first(store, tmp_path: Path) -> None:
    deck = fixture_deck()
    clock = fixed_clock()
    session = ReviewSession(deck, store, settings(), clock, topics=["second"])
    session.rate(Rating.Easy)  # second/one: due in several days
    clock.advance(minutes=1)
    session.rate(Rating.Easy)  # second/two: due a minute later
    clock.advance(days=60)
    session = ReviewSession(deck, store, settings(), clock, topics=["second"])
    assert session.counts().review == 2 and session.current.key == "second/one"


def study_second_topic(store, clock):
    """The fixture deck, with both cards of topic 'second' answered Easy."""
    deck = fixture_deck()
    session = ReviewSession(deck, store, settings(), clock, topics=["second"])
    session.rate(Rating.Easy)
    session.rate(Rating.Easy)
    assert session.finished
    return deck


def test_cram_does_not_touch_schedules(store) -> None:
    clock = fixed_clock()
    deck = study_second_topic(store, clock)
    before = store.cards()
    cram = ReviewSession(deck, store, settings(), clock, topics=["second"], cram=True)
    assert cram.current.key == "second/one"
    cram.rate(Rating.Again)
    cram.rate(Rating.Good)
    assert cram.finished
    assert store.cards() == before
    assert [row.mode for row in store.log()] == ["review", "review", "cram", "cram"]


def test_cramming_leaves_suspended_and_buried_cards_out(store) -> None:
    clock = fixed_clock()
    deck = study_second_topic(store, clock)
    day = StudyDay.containing(clock.now(), clock.tz, 4)
    mark(store, ["second/one"], "suspend", day, to_ms(clock.now()))
    cram = ReviewSession(deck, store, settings(), clock, cram=True)
    assert cram.current.key == "second/two"
    cram.rate(Rating.Good)
    assert cram.finished
    mark(store, ["second/two"], "bury", day, to_ms(clock.now()))
    assert ReviewSession(deck, store, settings(), clock, cram=True).finished


def test_orphans_keep_history_and_get_it_back(store, tmp_path: Path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    text = (FIXTURE_DECK / "second.yaml").read_text()
    (folder / "second.yaml").write_text(text)
    clock = fixed_clock()
    session = ReviewSession(load_deck([folder]), store, settings(), clock)
    session.rate(Rating.Easy)
    saved = store.card("second/one")
    # The card disappears from the content: it is not asked, its history stays.
    (folder / "second.yaml").write_text(text.replace("  - id: one\n    type: flashcard\n    front: One?\n    back: Yes.\n", ""))
    deck = load_deck([folder])
    session = ReviewSession(deck, store, settings(), clock)
    assert session.current.key == "second/two" and session.counts().new == 1
    from quizapp.study.stats import compute_stats

    assert compute_stats(deck, store, settings(), clock).orphaned == ["second/one"]
    # It returns, with its text edited: the history is back and the edit is noticed.
    (folder / "second.yaml").write_text(text.replace("front: One?", "front: One, edited?"))
    clock.advance(days=30)
    session = ReviewSession(load_deck([folder]), store, settings(), clock)
    assert session.current.key == "second/one"
    assert store.card("second/one") == saved and session.edited_since_review()


def test_stored_state_equals_fsrs_replay(store, tmp_path: Path) -> None:
    """Hundreds of items reviewed through the engine; each stored state equals reschedule_card's replay, but for
    Anki's order on the intervals: a Good or an Easy that fsrs gave no more days than the rating below it is due
    later, by whole days."""
    folder = tmp_path / "big"
    folder.mkdir()
    cards = "\n".join(f"  - {{id: c{i}, type: flashcard, front: q{i}, back: a{i}}}" for i in range(300))
    (folder / "big.yaml").write_text(f"topic: big\ntitle: Big\ncards:\n{cards}\n")
    deck = load_deck([folder])
    config = settings(new_per_day=300, reviews_per_day=10_000)
    clock = fixed_clock()
    rng = random.Random(7)
    for _ in range(12):
        session = ReviewSession(deck, store, config, clock)
        while not session.finished:
            session.rate(rng.choice(list(Rating)))
            clock.advance(seconds=rng.randint(5, 400))
        clock.advance(days=rng.randint(1, 9))
    scheduler = Scheduling(config).scheduler
    assert isinstance(scheduler, Scheduler)
    rows = store.cards()
    assert len(rows) == 300
    lifted = 0
    for row in rows:
        logs = [
            ReviewLog(card_id=row.card_id, rating=Rating(entry.rating),
                      review_datetime=__import__("quizapp.study.clock", fromlist=["from_ms"]).from_ms(entry.reviewed_ms),
                      review_duration=entry.duration_ms)
            for entry in store.log(row.key)
        ]
        replayed = scheduler.reschedule_card(Card(card_id=row.card_id), logs)
        assert (row.state, row.step) == (int(replayed.state), replayed.step)
        assert row.stability == pytest.approx(replayed.stability, rel=1e-12)
        assert row.difficulty == pytest.approx(replayed.difficulty, rel=1e-12)
        later = row.due_ms - int(replayed.due.timestamp() * 1000)
        assert abs(later) <= 1 or (later > 0 and later % 86_400_000 in (0, 1, 86_399_999)
                                   and logs[-1].rating in (Rating.Good, Rating.Easy)), (row, replayed)
        lifted += abs(later) > 1
    assert 0 < lifted < len(rows) // 4


def test_two_stores_agree_on_known_cards_after_undo(tmp_path: Path) -> None:
    """Another process's undo and new reviews are seen by a store that already read its keys."""
    deck = fixture_deck()
    with Store.open(tmp_path / "shared") as first, Store.open(tmp_path / "shared") as second:
        session = ReviewSession(deck, first, settings(), fixed_clock(), topics=["second"])
        session.rate(Rating.Good)
        assert second.scheduled_keys() == {"second/one"}
        session.undo()
        session.rate(Rating.Good)  # second/one again
        session.rate(Rating.Good)  # second/two, possibly reusing a deleted row's rowid
        assert second.scheduled_keys() == {"second/one", "second/two"} == first.scheduled_keys()


def test_history_days_follow_local_time_and_dst(tmp_path: Path) -> None:
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from quizapp.study.clock import FixedClock
    from quizapp.study.stats import compute_stats

    deck = fixture_deck()
    with Store.open(tmp_path / "tz") as store:
        # 04:10 in India (UTC+5:30) on 2 March: a new study day there (day starts at 4).
        india = FixedClock(datetime(2026, 3, 1, 22, 40, tzinfo=timezone.utc), ZoneInfo("Asia/Kolkata"))
        ReviewSession(deck, store, settings(), india, topics=["second"]).rate(Rating.Good)
        assert compute_stats(deck, store, settings(), india).reviews_per_day == {"2026-03-02": 1}
        # 03:30 EST on 10 February belongs to study day 9 February, also when looked at in July (EDT).
        new_york = ZoneInfo("America/New_York")
        winter = FixedClock(datetime(2026, 2, 10, 8, 30, tzinfo=timezone.utc), new_york)
        ReviewSession(deck, store, settings(), winter, topics=["second"]).rate(Rating.Good)
        summer = FixedClock(datetime(2026, 7, 1, 16, 0, tzinfo=timezone.utc), new_york)
        assert compute_stats(deck, store, settings(), summer).reviews_per_day["2026-02-09"] == 1


def test_another_process_undoing_a_review_makes_the_card_new_again_here(tmp_path: Path) -> None:
    """B undoes its review of t/c0 and records t/c2: as many cards are scheduled as before, yet A's session
    must offer t/c0 again (it is new) and not t/c2 (it is not)."""
    content = tmp_path / "content"
    content.mkdir()
    cards = "".join(f"  - {{id: c{n}, type: flashcard, front: f{n}, back: b{n}}}\n" for n in range(4))
    (content / "t.yaml").write_text(f"topic: t\ntitle: T\ncards:\n{cards}")
    deck = load_deck([content])
    with Store.open(tmp_path / "shared") as store_a, Store.open(tmp_path / "shared") as store_b:
        b = ReviewSession(deck, store_b, settings(), fixed_clock())
        assert b.current.key == "t/c0"
        b.rate(Rating.Easy)
        a = ReviewSession(deck, store_a, settings(), fixed_clock())
        assert a.current.key == "t/c1"
        b.undo()
        scheduling = Scheduling(settings())
        store_b.record(NewReview("t/c2", card_id_for("t/c2"), 4, to_ms(START), 1000, "review"),
                       lambda before: scheduling.review("t/c2", "t", before, Rating.Easy, START, None))
        assert store_a.scheduled_keys() == {"t/c2"}  # one scheduled card, as before B's undo
        a.rate(Rating.Easy)
        offered = []
        while a.current is not None:
            offered.append(a.current.key)
            a.rate(Rating.Easy)
        assert offered == ["t/c0", "t/c3"]


def test_undo_refuses_to_drop_another_sessions_later_review(tmp_path: Path) -> None:
    from quizapp.study.store import UndoConflict

    deck = fixture_deck()
    with Store.open(tmp_path / "shared") as store_a, Store.open(tmp_path / "shared") as store_b:
        a = ReviewSession(deck, store_a, settings(), fixed_clock(), topics=["second"])
        key = a.current.key
        a.rate(Rating.Good)
        b = ReviewSession(deck, store_b, settings(), fixed_clock(), topics=["second"])
        b._show(deck.item(key))
        b.rate(Rating.Easy)  # B reviews the same card, from A's state
        after_b = store_b.card(key)
        with pytest.raises(UndoConflict, match="reviewed again"):
            a.undo()
        assert store_a.card(key) == after_b and len(store_a.log(key)) == 2
        b.undo()  # B's review is still the newest: it goes, and the card is as A left it
        assert [row.rating for row in store_a.log(key)] == [int(Rating.Good)]


def test_the_interview_cap_is_found_on_a_clock_that_moves(store) -> None:
    class Ticking:  # every reading a millisecond later, as a real clock between two calls
        def __init__(self) -> None:
            self.inner = fixed_clock()
            self.tz = self.inner.tz

        def now(self):
            self.inner.advance(milliseconds=1)
            return self.inner.now()

    clock = Ticking()
    interview = START.date() + timedelta(days=2)
    session = ReviewSession(fixture_deck(), store, settings(interview_date=interview), clock)
    assert session.interview_cap() is not None  # Easy on a new card would go past it



def test_a_card_capped_at_the_interview_day_is_not_due_the_day_before(store) -> None:
    """The cap sets a review's due date at the interview's study day's start, which is the day before's end: the
    queue counted a card due then as due that day, so on the day before the interview each review asked it again
    (home counted it due, and a review after a restart asked it once more)."""
    clock = fixed_clock()
    deck = fixture_deck()
    session = ReviewSession(deck, store, settings(), clock, only=["mini/flash"])
    session.rate(Rating.Easy)  # due in days
    clock.moment = from_ms(store.card("mini/flash").due_ms)  # due now: the day before the interview
    interview = StudyDay.containing(clock.now(), clock.tz, settings().day_starts_at).day + timedelta(days=1)
    capped = settings(interview_date=interview, new_per_day=0)  # the only card due: mini/flash
    session = ReviewSession(deck, store, capped, clock)
    assert session.current is not None and session.current.key == "mini/flash"
    session.rate(Rating.Good)
    assert store.card("mini/flash").due_ms == to_ms(session.scheduling.due_cap)  # the interview day's start
    assert ReviewSession(deck, store, capped, clock).current is None
    assert compute_stats(deck, store, capped, clock).forecast[:2] == [0, 1]  # due on the interview day


SHUFFLED = """\
topic: shuffled
title: A shuffled choice card and a generated one
cards:
  - id: order
    type: choice
    prompt: Which letter comes first?
    options:
{options}
  - id: gen
    type: generated
    solver: auc
    difficulty: 1
""".format(options="\n".join(f"      - {{text: '{letter}', correct: {str(letter == 'a').lower()}}}"
                              for letter in "abcdefgh"))


def shuffled_deck(tmp_path: Path):
    (tmp_path / "shuffled").mkdir()
    (tmp_path / "shuffled" / "shuffled.yaml").write_text(SHUFFLED)
    deck = load_deck([tmp_path / "shuffled"])
    assert not deck.errors, [str(e) for e in deck.errors]
    return deck


def option_order(session: ReviewSession) -> list[str]:
    return [option.text for option in session.current.options]


@pytest.mark.parametrize("step", ["rate", "bury", "suspend", "flag"])
def test_a_card_undone_is_asked_again_as_it_was(store, tmp_path: Path, step: str) -> None:
    """Its options in the order they were shown (they came back shuffled anew), its generated problem the same."""
    session = ReviewSession(shuffled_deck(tmp_path), store, settings(), fixed_clock(), seed=3)
    assert session.current.key == "shuffled/order"
    shown = option_order(session)
    assert shown != sorted(shown)  # shuffled: the seed gives an order of its own
    for _ in range(2):  # the choice card, then the generated one
        question = session.current
        if step == "rate":
            answer_correctly(session)
            session.rate(Rating.Good)
        elif step == "flag":
            session.flag(1)
        else:
            getattr(session, step)()
        session.undo()
        assert session.current.key == question.key
        assert session.current.options == question.options and session.current.seed == question.seed
        answer_correctly(session)
        session.rate(Rating.Easy)


def test_a_fresh_asking_may_order_the_options_anew(store, tmp_path: Path) -> None:
    """The order is the asking's, not the card's: another session (another day) draws its own."""
    deck = shuffled_deck(tmp_path)
    orders = {tuple(option_order(ReviewSession(deck, store, settings(), fixed_clock(), seed=seed)))
              for seed in range(5)}
    assert len(orders) == 5


def test_a_card_read_again_after_an_edit_keeps_its_options_order(store, tmp_path: Path) -> None:
    deck = shuffled_deck(tmp_path)
    session = ReviewSession(deck, store, settings(), fixed_clock(), seed=3)
    shown = option_order(session)
    session.reload(load_deck([tmp_path / "shuffled"]))
    assert option_order(session) == shown


def test_the_recorded_interval_is_the_one_its_button_showed_however_long_the_user_takes(store) -> None:
    """Plain mode said 'Hard (6m)' and then 'next due in 5m': it counted from the moment the line was printed."""
    clock = fixed_clock()
    session = ReviewSession(fixture_deck(), store, settings(), clock, seed=1)
    shown = session.intervals()[Rating.Hard]
    assert shown == timedelta(minutes=5, seconds=30)  # halfway between the 1m and 10m steps, as Anki
    recorded = session.rate(Rating.Hard)
    clock.advance(seconds=20)  # the user reads the answer line a moment later
    assert recorded.interval == shown
