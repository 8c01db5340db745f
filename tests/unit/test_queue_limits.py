"""Today's queue and its limits: suspended and buried cards leave it, each topic's own new-card limit, more new
cards for one topic today (kept across a restart, gone the next day), and a topic's counts on the home screen
being exactly what its review shows."""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fsrs import Rating

from quizapp.config import Settings
from quizapp.deck import Deck, load_deck
from quizapp.plain import PlainIO, run_plain_review
from quizapp.study.clock import FixedClock, StudyDay, from_ms, to_ms
from quizapp.study.marking import mark
from quizapp.study.queue import buried_siblings, build_queue, extra_new, learn_more_new, set_aside_by, topic_counts
from quizapp.study.replay import replay
from quizapp.study.review import ReviewSession
from quizapp.study.scheduling import Scheduling
from quizapp.study.stats import compute_stats
from quizapp.study.store import CardMarks, NewEvent, Store
from tests.study_helpers import fixed_clock

DAY_MS = 86_400_000


def deck_of(tmp_path: Path, topics: dict[str, int], clozes: int = 0) -> Deck:
    """Topics of flashcards (name -> how many), and in the first topic `clozes` cards of three deletions."""
    folder = tmp_path / "content"
    folder.mkdir()
    for number, (slug, count) in enumerate(topics.items()):
        cards = [f"  - {{id: c{n}, type: flashcard, front: f{n}, back: b{n}}}\n" for n in range(count)]
        if number == 0:
            cards += [f"  - {{id: z{n}, type: cloze, text: '{{{{c1::a{n}}}}} {{{{c2::b{n}}}}} {{{{c3::c{n}}}}}'}}\n"
                      for n in range(clozes)]
        (folder / f"{slug}.yaml").write_text(f"topic: {slug}\ntitle: Topic {slug.upper()}\ncards:\n" + "".join(cards))
    deck = load_deck([folder])
    assert not deck.errors, deck.errors
    return deck


def plain_settings(**overrides) -> Settings:
    return Settings(**({"enable_fuzzing": False, "new_card_order": "deck"} | overrides))


def study_all(session: ReviewSession, rating: Rating = Rating.Easy) -> list[str]:
    keys = []
    while session.current is not None:
        keys.append(session.current.key)
        session.rate(rating)
    return keys


def today(clock, settings: Settings) -> StudyDay:
    return StudyDay.containing(clock.now(), clock.tz, settings.day_starts_at)


def queue_keys(deck, store, settings, clock, topics=None) -> set[str]:
    queue = build_queue(deck, store, settings, clock.now(), today(clock, settings), topics)
    return {item.key for item in queue}


def test_suspended_and_buried_cards_leave_the_queue_and_the_home_counts(tmp_path: Path) -> None:
    deck = deck_of(tmp_path, {"a": 8})
    clock = fixed_clock()
    settings = plain_settings(new_per_day=4)
    with Store.open(tmp_path / "data") as store:
        learned = study_all(ReviewSession(deck, store, settings, clock))  # a/c0..c3, Easy: due in a few days
        clock.advance(days=40)
        before = queue_keys(deck, store, settings, clock)
        assert set(learned) <= before and len(before) == 8  # four reviews and four new cards
        now_ms = to_ms(clock.now())
        tomorrow_ms = to_ms(today(clock, settings).end)
        store.apply([NewEvent("a/c0", "suspend", now_ms), NewEvent("a/c1", "bury", now_ms, tomorrow_ms),
                     NewEvent("a/c5", "suspend", now_ms), NewEvent("a/c6", "bury", now_ms, tomorrow_ms)])
        assert queue_keys(deck, store, settings, clock) == {"a/c2", "a/c3", "a/c4", "a/c7"}
        stats = compute_stats(deck, store, settings, clock)
        assert (stats.due_now, stats.new_available) == (2, 2)
        assert (stats.topic_due["a"], stats.topic_new["a"]) == (2, 2)
        session = ReviewSession(deck, store, settings, clock)
        shown = set(study_all(session))
        assert shown == {"a/c2", "a/c3", "a/c4", "a/c7"}
        # The next study day the buried cards are back; the suspended ones stay out until unsuspended.
        clock.advance(days=40)
        back = queue_keys(deck, store, settings, clock)
        assert {"a/c1", "a/c6"} <= back and back.isdisjoint({"a/c0", "a/c5"})
        store.apply([NewEvent("a/c0", "unsuspend", to_ms(clock.now()))])
        assert "a/c0" in queue_keys(deck, store, settings, clock)


def test_the_forecast_counts_today_what_home_shows_due_and_never_a_suspended_card(tmp_path: Path) -> None:
    """Its today counted every card due, past the daily limit, buried and suspended ones too (home showed 9 due,
    the forecast 36); its later days counted suspended cards."""
    deck = deck_of(tmp_path, {"a": 10})
    clock = fixed_clock()
    settings = plain_settings(new_per_day=10, reviews_per_day=4, learning_steps=["2h"],
                              relearning_steps=["2h"])
    with Store.open(tmp_path / "data") as store:
        study_all(ReviewSession(deck, store, settings, clock))  # each Easy: due in a few days
        store.apply([NewEvent("a/c0", "suspend", to_ms(clock.now()))])
        ahead = compute_stats(deck, store, settings, clock).forecast
        starts = [to_ms(today(clock, settings).start + timedelta(days=n)) for n in range(31)]  # UTC: 24 hours
        assert sum(ahead) == sum(store.due_per_day(starts)) == 9
        clock.advance(days=40)  # all due: four shown (the limit), a/c1 buried, a/c0 still suspended
        store.apply([NewEvent("a/c1", "bury", to_ms(clock.now()), to_ms(today(clock, settings).end))])
        stats = compute_stats(deck, store, settings, clock)
        assert stats.forecast[0] == stats.due_now == 4
        assert stats.forecast[1] == 5  # the rest, past today's limit or buried until tomorrow: due tomorrow
        assert sum(stats.forecast) == 9
        session = ReviewSession(deck, store, settings, clock)
        session.rate(Rating.Again)  # back in two hours: due today, not yet "due now"
        stats = compute_stats(deck, store, settings, clock)
        assert stats.forecast[0] == stats.due_now + 1 == 4


def test_the_forecast_counts_a_card_on_its_local_study_day_across_a_clock_change(tmp_path: Path) -> None:
    """Its days were 24 hours from today's start: after New York's clocks went forward (14 March 2027) a day starts
    an hour earlier by UTC, and a card due between 04:00 and 05:00 counted on the day before its own."""
    deck = deck_of(tmp_path, {"a": 1})
    clock = FixedClock(datetime(2027, 3, 10, 8, 30, tzinfo=timezone.utc), ZoneInfo("America/New_York"))  # 03:30 EST
    settings = plain_settings(day_starts_at=4)
    with Store.open(tmp_path / "data") as store:
        study_all(ReviewSession(deck, store, settings, clock))  # Easy: due days later, at 08:30 UTC (04:30 EDT)
        due = from_ms(store.card("a/c0").due_ms)
        clock.advance(hours=9)  # the next study day, 10 March, 12:30 EST
        day = today(clock, settings)
        days_ahead = (StudyDay.containing(due, clock.tz, settings.day_starts_at).day - day.day).days
        assert days_ahead != (due - day.start).days  # the card is where 24-hour days and study days differ
        forecast = compute_stats(deck, store, settings, clock).forecast
        assert forecast[days_ahead] == sum(forecast) == 1


def test_a_suspended_learning_card_leaves_today(tmp_path: Path) -> None:
    deck = deck_of(tmp_path, {"a": 2})
    clock = fixed_clock()
    settings = plain_settings()
    with Store.open(tmp_path / "data") as store:
        session = ReviewSession(deck, store, settings, clock)
        session.rate(Rating.Again)  # a/c0 is learning, back in a minute
        clock.advance(minutes=2)
        assert "a/c0" in queue_keys(deck, store, settings, clock)
        store.apply([NewEvent("a/c0", "suspend", to_ms(clock.now()))])
        queue = build_queue(deck, store, settings, clock.now(), today(clock, settings))
        assert not queue.learning and queue.counts(clock.now()).learning == 0


def test_each_topic_has_its_own_new_card_limit(tmp_path: Path) -> None:
    deck = deck_of(tmp_path, {"a": 6, "b": 6, "c": 6})
    clock = fixed_clock()
    settings = plain_settings(new_per_day=20, new_per_day_per_topic=2, new_card_order="interleaved")
    with Store.open(tmp_path / "data") as store:
        queue = build_queue(deck, store, settings, clock.now(), today(clock, settings))
        assert sorted(item.key for item in queue.new) == ["a/c0", "a/c1", "b/c0", "b/c1", "c/c0", "c/c1"]
        study_all(ReviewSession(deck, store, settings, clock, topics=["a"]))
        counts = topic_counts(deck, store, settings, clock.now(), today(clock, settings))
        assert {slug: c.new for slug, c in counts.items()} == {"a": 0, "b": 2, "c": 2}
        assert ReviewSession(deck, store, settings, clock, topics=["a"]).finished
        # The overall limit still holds: with 3 a day, b and c share what a left.
        tight = plain_settings(new_per_day=3, new_per_day_per_topic=2)
        assert len(build_queue(deck, store, tight, clock.now(), today(clock, tight)).new) == 1


def test_more_new_cards_for_one_topic_today_survive_a_restart_and_lapse_the_next_day(tmp_path: Path) -> None:
    deck = deck_of(tmp_path, {"a": 10, "b": 10})
    clock = fixed_clock()
    settings = plain_settings(new_per_day=3)
    with Store.open(tmp_path / "data") as store:
        study_all(ReviewSession(deck, store, settings, clock))  # the day's three new cards, all from a
        topic_b = ReviewSession(deck, store, settings, clock, topics=["b"])
        assert topic_b.finished and topic_b.more_new_available() == 10
        assert ReviewSession(deck, store, settings, clock).more_new_available() == 0  # offered to a topic only
        topic_b.learn_more_new(4)
        assert topic_b.counts().new == 4 and topic_b.current.key == "b/c0"
        topic_b.rate(Rating.Easy)
        # A restart the same day: the allowance is still there, less what was learned.
        again = ReviewSession(deck, store, settings, clock, topics=["b"])
        assert again.counts().new == 3
        assert study_all(again) == ["b/c1", "b/c2", "b/c3"]
        assert ReviewSession(deck, store, settings, clock, topics=["b"]).finished
        assert ReviewSession(deck, store, settings, clock).finished  # the overall queue keeps its own limit
        assert ReviewSession(deck, store, settings, clock, topics=["a"]).finished  # and a got nothing more
        assert extra_new(store, today(clock, settings)) == {"b": 4}
        clock.advance(days=1)
        assert extra_new(store, today(clock, settings)) == {}
        assert ReviewSession(deck, store, settings, clock, topics=["b"]).counts().new == 3
        with pytest.raises(ValueError, match="1 to 10,000"):
            learn_more_new(store, today(clock, settings), ["b"], 0)


def test_more_new_cards_after_another_topics_extra_cards_bring_exactly_as_many(tmp_path: Path) -> None:
    """`--more-new 2` for b after a's own extra cards went past the day's limit: b gets 2 (it got none, and the plain
    review asked again how many, as a's extra cards spent the limit a second time)."""
    deck = deck_of(tmp_path, {"a": 10, "b": 10})
    clock = fixed_clock()
    settings = plain_settings(new_per_day=1)
    with Store.open(tmp_path / "data") as store:
        topic_a = ReviewSession(deck, store, settings, clock, topics=["a"])
        topic_a.learn_more_new(2)
        assert len(study_all(topic_a)) == 3
        topic_b = ReviewSession(deck, store, settings, clock, topics=["b"])
        topic_b.learn_more_new(2)
        assert topic_b.counts().new == 2
        topic_a = ReviewSession(deck, store, settings, clock, topics=["a"])
        assert topic_a.finished  # a's extra cards are spent
        topic_a.learn_more_new(1)
        assert topic_a.counts().new == 1


def test_more_new_cards_leave_out_buried_siblings(tmp_path: Path) -> None:
    deck = deck_of(tmp_path, {"a": 0}, clozes=2)
    clock = fixed_clock()
    settings = plain_settings(new_per_day=1, bury_new_siblings=True)
    with Store.open(tmp_path / "data") as store:
        assert study_all(ReviewSession(deck, store, settings, clock)) == ["a/z0#c1"]
        session = ReviewSession(deck, store, settings, clock, topics=["a"])
        assert session.more_new_available() == 1  # z0's other deletions wait for tomorrow; z1#c1 can come
        session.learn_more_new(5)
        assert study_all(session) == ["a/z1#c1"]


@pytest.mark.parametrize("burying", [
    {}, {"bury_new_siblings": False}, {"bury_review_siblings": False},
    {"bury_interday_learning_siblings": True}, {"bury_new_siblings": False, "bury_review_siblings": False}])
def test_a_set_aside_sibling_is_named_with_the_card_answered_today(tmp_path: Path, burying: dict) -> None:
    """Card info's "set aside until tomorrow (sibling of ...)" is said of exactly the cards the queue buries as
    siblings (one card's look against the whole queue's), over a month of random study."""
    deck = deck_of(tmp_path, {"a": 2}, clozes=4)
    clock = fixed_clock()
    settings = plain_settings(new_per_day=3, **burying)
    rng = random.Random(5)
    with Store.open(tmp_path / "data") as store:
        named = 0
        for day_number in range(30):
            session = ReviewSession(deck, store, settings, clock, seed=day_number)
            for _ in range(rng.randrange(1, 6)):
                if session.current is None:
                    break
                session.rate(rng.choice(list(Rating)))
                clock.advance(minutes=rng.randrange(1, 90))
                day = today(clock, settings)
                buried = buried_siblings(deck, store, settings, clock.now(), day)
                by = {key: set_aside_by(deck, store, settings, key, day) for key in deck.keys()}
                assert {key for key, sibling in by.items() if sibling} == buried, day_number
                for key in buried:  # a sibling of it, answered today
                    sibling = by[key]
                    assert sibling != key and sibling.split("#")[0] == key.split("#")[0]
                    assert any(row.key == sibling and row.reviewed_ms >= to_ms(day.start) for row in store.log())
                named += len(buried)
            clock.advance(days=1)
        assert named or burying.get("bury_new_siblings") is False


@pytest.mark.parametrize("review_state", [False, True])
def test_unburying_a_set_aside_sibling_brings_it_back_today_until_another_sibling_is_answered(
        tmp_path: Path, review_state: bool) -> None:
    """A deletion set aside because its sibling was answered today could not be brought back (Anki's unbury):
    an unbury of it changed no mark, so nothing was written and the queue still left it out."""
    deck = deck_of(tmp_path, {"a": 0}, clozes=1)
    clock = fixed_clock()
    settings = plain_settings(new_per_day=5)
    c1, c2, c3 = (f"a/z0#c{n}" for n in (1, 2, 3))
    scheduling = Scheduling(settings)
    with Store.open(tmp_path / "data") as store:
        if review_state:  # all three learned on earlier days and due together, as reviews
            for key in (c1, c2, c3):
                ReviewSession(deck, store, settings, clock, only=[key]).rate(Rating.Easy)
                clock.advance(days=1)
            clock.advance(days=60)
            due = store.due_keys(to_ms(today(clock, settings).end))
            assert {row[0] for row in due} == {c1, c2, c3}
        session = ReviewSession(deck, store, settings, clock, only=[c1])
        session.rate(Rating.Easy)
        clock.advance(minutes=5)
        day = today(clock, settings)
        set_aside = buried_siblings(deck, store, settings, clock.now(), day)
        assert set_aside == {c2, c3} and not queue_keys(deck, store, settings, clock) & set_aside
        written = mark(store, [c2], "unbury", day, to_ms(clock.now()), set_aside=set_aside)
        assert [row.key for row in written] == [c2] and store.marks_of(c2) == CardMarks()
        assert buried_siblings(deck, store, settings, clock.now(), day) == {c3}
        assert set_aside_by(deck, store, settings, c2, day) is None
        assert c2 in queue_keys(deck, store, settings, clock) and c3 not in queue_keys(deck, store, settings, clock)
        # a card neither buried nor set aside: unbury still writes nothing
        assert mark(store, [c1], "unbury", day, to_ms(clock.now()), set_aside=set_aside) == []
        assert replay(store.log(), store.events(), scheduling).marks == store.marks()
    with Store.open(tmp_path / "data") as store:  # a restart the same day keeps it back
        assert c2 in queue_keys(deck, store, settings, clock) and c3 not in queue_keys(deck, store, settings, clock)
        clock.advance(minutes=1)
        written = mark(store, [c3], "unbury", day, to_ms(clock.now()), set_aside={c3})
        assert {c2, c3} <= queue_keys(deck, store, settings, clock)
        store.undo_event(written[0].id)  # undone like any mark: set aside again
        assert buried_siblings(deck, store, settings, clock.now(), day) == {c3}
        assert c3 not in queue_keys(deck, store, settings, clock)
        mark(store, [c3], "unbury", day, to_ms(clock.now()), set_aside={c3})
        clock.advance(minutes=1)
        # a sibling answered after the unbury sets the card aside again, as Anki buries it again
        assert study_all(ReviewSession(deck, store, settings, clock)) == [c2]
        assert buried_siblings(deck, store, settings, clock.now(), day) == {c3}
        clock.advance(days=1)
        assert buried_siblings(deck, store, settings, clock.now(), today(clock, settings)) == set()

def test_plain_review_of_a_topic_offers_more_new_cards(tmp_path: Path) -> None:
    deck = deck_of(tmp_path, {"a": 5, "b": 5})
    clock = fixed_clock()
    settings = plain_settings(new_per_day=1)
    with Store.open(tmp_path / "data") as store:
        study_all(ReviewSession(deck, store, settings, clock))
        out = io.StringIO()
        session = ReviewSession(deck, store, settings, clock, topics=["b"])
        run_plain_review(session, PlainIO(io.StringIO("lots\n2\n\n4\n\n4\n"), out))
        text = out.getvalue()
        assert "today's new-card limit is reached; 5 new cards left" in text
        assert "Type a number from 0 to 10,000" in text
        assert "recorded: b/c0 rated Easy" in text and "recorded: b/c1 rated Easy" in text
        assert "b/c2" not in text and session.reviewed == 2
        declined = io.StringIO()
        run_plain_review(ReviewSession(deck, store, settings, clock, topics=["b"]),
                         PlainIO(io.StringIO("0\n"), declined))
        assert "Nothing more is due now; 0 reviews recorded." in declined.getvalue()


def test_topic_counts_are_what_each_topics_review_shows(tmp_path: Path) -> None:
    """Over simulated days with siblings, a backlog, suspensions and per-topic limits, each topic's counts
    (the home screen's Due and New) equal those of a review of that topic alone."""
    deck = deck_of(tmp_path, {"a": 12, "b": 9, "c": 4}, clozes=4)
    clock = fixed_clock()
    rng = random.Random(3)
    configs = [plain_settings(new_per_day=6, reviews_per_day=4, new_per_day_per_topic=3, bury_new_siblings=True,
                              bury_review_siblings=True, new_card_order="interleaved"),
               plain_settings(new_per_day=5, reviews_per_day=50, new_card_order="random", bury_new_siblings=True)]
    with Store.open(tmp_path / "data") as store:
        for day_number in range(12):
            settings = configs[day_number % 2]
            session = ReviewSession(deck, store, settings, clock, seed=day_number)
            for _ in range(rng.randrange(0, 12)):
                if session.current is None:
                    break
                question = session.current
                if question.auto_checked:
                    session.show_answer()
                session.rate(rng.choice(list(Rating)))
                clock.advance(minutes=rng.randrange(1, 30))
            key = rng.choice(deck.keys())
            store.apply([NewEvent(key, rng.choice(["suspend", "unsuspend", "bury"]), to_ms(clock.now()),
                                  to_ms(today(clock, settings).end))])
            counts = topic_counts(deck, store, settings, clock.now(), today(clock, settings))
            stats = compute_stats(deck, store, settings, clock)
            for topic in deck.topics:
                alone = ReviewSession(deck, store, settings, clock, topics=[topic.slug]).counts()
                assert counts[topic.slug] == alone, (day_number, topic.slug)
                assert stats.topic_due.get(topic.slug, 0) == alone.learning + alone.review
                assert stats.topic_new[topic.slug] == alone.new
            clock.advance(days=1, hours=rng.randrange(0, 5))


def test_the_home_screen_counts_follow_per_topic_limits(tmp_path: Path) -> None:
    deck = deck_of(tmp_path, {"a": 6, "b": 2})
    clock = fixed_clock()
    settings = plain_settings(new_per_day=3)
    with Store.open(tmp_path / "data") as store:
        stats = compute_stats(deck, store, settings, clock)
        # New on each topic's row is what its review would bring today, not every unseen card.
        assert stats.topic_new == {"a": 3, "b": 2} and stats.topic_unseen == {"a": 6, "b": 2}
        study_all(ReviewSession(deck, store, settings, clock, topics=["a"]))
        assert compute_stats(deck, store, settings, clock).topic_new == {"a": 0, "b": 0}
        clock.advance(days=1)
        stats = compute_stats(deck, store, settings, clock)
        assert stats.topic_new == {"a": 3, "b": 2} and stats.topic_due == {}


def test_review_more_new_on_the_command_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.study_helpers import FIXTURE_DECK

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "quizapp", "--no-builtin", "--content", str(FIXTURE_DECK), "--data-dir",
             str(tmp_path), *args], check=False, input=stdin, capture_output=True, text=True, timeout=60,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QUIZAPP_ENABLE_FUZZING": "false",
                 "QUIZAPP_NEW_PER_DAY": "1", "PYTHONPATH": str(Path(__file__).resolve().parents[2])})

    first = run("review", "--plain", stdin="\n4\n")  # QUIZAPP_NEW_PER_DAY=1 below: the day's one new card
    assert first.returncode == 0 and first.stdout.count("recorded: ") == 1
    refused = run("review", "--plain", "--more-new", "2")
    assert refused.returncode != 0 and "use it with --topic T" in refused.stderr
    bad = run("review", "--plain", "--topic", "second", "--more-new", "0")
    assert bad.returncode == 2 and "a whole number from 1 to 10,000, not '0'" in bad.stderr
    more = run("review", "--plain", "--topic", "second", "--more-new", "1", stdin="\n4\n")
    assert more.returncode == 0, more.stderr
    assert "recorded: second/one rated Easy" in more.stdout and "new-card limit" not in more.stdout


def test_new_cards_are_found_again_after_an_undo_a_reset_and_another_process(tmp_path: Path) -> None:
    """The keys with no schedule are kept between builds (see quizapp.study.unseen); whatever takes a schedule
    away, in this store or another process's, brings its card back among the new ones."""
    deck = deck_of(tmp_path, {"a": 3})
    clock = fixed_clock()
    settings = plain_settings(new_per_day=10, bury_new_siblings=False)  # a card reset today is new again today

    def new_keys(store) -> list[str]:
        return [item.key for item in build_queue(deck, store, settings, clock.now(), today(clock, settings)).new]

    with Store.open(tmp_path / "data") as store, Store.open(tmp_path / "data") as other:
        assert new_keys(store) == ["a/c0", "a/c1", "a/c2"]
        session = ReviewSession(deck, store, settings, clock)
        session.rate(Rating.Easy)
        session.rate(Rating.Easy)
        assert new_keys(store) == ["a/c2"]
        session.undo()
        assert new_keys(store) == ["a/c1", "a/c2"]
        store.apply([NewEvent("a/c0", "reset", to_ms(clock.now()))])
        assert new_keys(store) == ["a/c0", "a/c1", "a/c2"]
        clock.advance(minutes=1)
        ReviewSession(deck, other, settings, clock).rate(Rating.Easy)  # another process learns a/c0
        assert new_keys(store) == ["a/c1", "a/c2"]
        other.apply([NewEvent("a/c0", "reset", to_ms(clock.now()))])
        assert new_keys(store) == ["a/c0", "a/c1", "a/c2"]
