"""Today's queue as an Anki user expects it: new cards from every topic in turn, siblings never on the same
day, a backlog worst-recalled first, new cards spread among reviews."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.config import Settings
from quizapp.deck import load_deck
from quizapp.paths import builtin_content_dir
from quizapp.study.clock import StudyDay, from_ms
from quizapp.study.queue import build_queue, note_of
from quizapp.study.review import ReviewSession
from quizapp.study.scheduling import Scheduling
from quizapp.study.store import Store
from tests.study_helpers import fixed_clock


def real_settings(**overrides) -> Settings:
    return Settings(enable_fuzzing=False, **overrides)


def answer(session: ReviewSession, rng: random.Random) -> None:
    question = session.current
    if question.kind == "choice":
        session.check_choice(question.correct_options)
    elif question.kind in {"numeric", "generated"}:
        session.show_answer() if rng.random() < 0.3 else session.check(
            repr(question.problem.answer) if question.problem else str(question.item.card.card.answer))
    session.rate(rng.choice([Rating.Again, Rating.Hard, Rating.Good, Rating.Good, Rating.Easy])
                 if question.auto_checked is False else session.suggested_rating())


def test_the_first_twenty_new_cards_of_the_built_in_deck_cover_every_topic(tmp_path: Path) -> None:
    deck = load_deck([builtin_content_dir()])
    with Store.open(tmp_path) as store:
        session = ReviewSession(deck, store, real_settings(), fixed_clock())
        first = [item.topic for item in session._queue.new]
    assert len(first) == 20
    assert set(first) == {topic.slug for topic in deck.topics}


def test_deck_order_and_a_random_order_that_holds_for_the_study_day(tmp_path: Path) -> None:
    deck = load_deck([builtin_content_dir()])
    clock = fixed_clock()
    with Store.open(tmp_path) as store:
        in_deck = ReviewSession(deck, store, real_settings(new_card_order="deck"), clock)
        position = {topic.slug: n for n, topic in enumerate(deck.topics)}
        topics_in_order = [position[item.topic] for item in in_deck._queue.new]
        assert topics_in_order[0] == 0 and topics_in_order == sorted(topics_in_order)
        drawn = ReviewSession(deck, store, real_settings(new_card_order="random"), clock)
        again = ReviewSession(deck, store, real_settings(new_card_order="random"), clock)
        assert [i.key for i in drawn._queue.new] == [i.key for i in again._queue.new]
        assert len({i.topic for i in drawn._queue.new}) > 3
        later = drawn._queue.new[5:]
        for _ in range(5):
            drawn.rate(Rating.Easy) if not drawn.current.auto_checked else (drawn.show_answer(), drawn.rate(Rating.Again))
        assert [i.key for i in drawn._queue.new][: len(later) - 5] == [i.key for i in later][: len(later) - 5]
        clock.advance(days=1)
        tomorrow = ReviewSession(deck, store, real_settings(new_card_order="random"), clock)
        assert [i.key for i in tomorrow._queue.new] != [i.key for i in drawn._queue.new]


def test_no_two_siblings_on_one_day_over_a_simulated_month(tmp_path: Path) -> None:
    """A deck of cloze notes with several deletions each, studied every day for 30 days by a scripted user."""
    content = tmp_path / "content"
    content.mkdir()
    cards = "".join(f"  - {{id: n{n}, type: cloze, text: '{{{{c1::a{n}}}}} {{{{c2::b{n}}}}} {{{{c3::c{n}}}}}'}}\n"
                    for n in range(15))
    (content / "t.yaml").write_text(f"topic: t\ntitle: T\ncards:\n{cards}")
    deck = load_deck([content])
    clock = fixed_clock()
    rng = random.Random(4)
    settings = real_settings(new_per_day=10)
    with Store.open(tmp_path / "data") as store:
        for day in range(30):
            session = ReviewSession(deck, store, settings, clock, seed=day)
            for _ in range(200):
                if session.current is None:
                    break
                answer(session, rng)
                clock.advance(seconds=rng.randint(5, 40))
            clock.advance(days=1)
        by_day: dict[object, dict[str, set[str]]] = {}
        for row in store.log():
            study_day = StudyDay.containing(from_ms(row.reviewed_ms), clock.tz, settings.day_starts_at).day
            by_day.setdefault(study_day, {}).setdefault(note_of(row.key), set()).add(row.key)
        assert len(by_day) >= 25
        for day, notes in by_day.items():
            for note, keys in notes.items():
                assert len(keys) == 1, f"{day}: siblings {sorted(keys)} on one day"


def test_a_backlog_comes_least_recalled_first(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "t.yaml").write_text("topic: t\ntitle: T\ncards:\n" + "".join(
        f"  - {{id: c{n}, type: flashcard, front: f{n}, back: b{n}}}\n" for n in range(12)))
    deck = load_deck([content])
    clock = fixed_clock()
    rng = random.Random(1)
    with Store.open(tmp_path / "data") as store:
        session = ReviewSession(deck, store, real_settings(new_per_day=12), clock)
        while session.current is not None:  # all learned, at different strengths
            session.rate(rng.choice([Rating.Hard, Rating.Good, Rating.Easy]))
            clock.advance(minutes=11)
            session = ReviewSession(deck, store, real_settings(new_per_day=12), clock)
            if session.current is None:
                break
        clock.advance(days=120)
        settings = real_settings(reviews_per_day=5)
        day = StudyDay.containing(clock.now(), clock.tz, settings.day_starts_at)
        queue = build_queue(deck, store, settings, clock.now(), day)
        scheduling = Scheduling(settings)
        recall = {row.key: scheduling.retrievability(row, clock.now()) for row in store.cards()}
        assert len(queue.review) == 5
        assert [recall[i.key] for i in queue.review] == sorted(recall.values())[:5]


@pytest.mark.parametrize(("order", "expected"), [("new_first", "nnnrrr"), ("reviews_first", "rrrnnn"),
                                                 ("mixed", "rnrnrn")])
def test_new_cards_mix_with_reviews_as_set(tmp_path: Path, order: str, expected: str) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "t.yaml").write_text("topic: t\ntitle: T\ncards:\n" + "".join(
        f"  - {{id: c{n}, type: flashcard, front: f{n}, back: b{n}}}\n" for n in range(6)))
    deck = load_deck([content])
    clock = fixed_clock()
    with Store.open(tmp_path / "data") as store:
        first = ReviewSession(deck, store, real_settings(new_per_day=3), clock)
        for _ in range(3):
            first.rate(Rating.Easy)
        clock.advance(days=40)
        session = ReviewSession(deck, store, real_settings(new_per_day=3, new_review_order=order), clock)
        seen = ""
        while session.current is not None:
            seen += "n" if store.card(session.current.key) is None else "r"
            session.rate(Rating.Easy)
    assert seen == expected


def test_retrievability_is_fsrs_own(tmp_path: Path) -> None:
    from hypothesis import given, settings as hypothesis_settings, strategies as st

    from fsrs import Scheduler

    from quizapp.study.clock import to_ms
    from quizapp.study.scheduling import to_fsrs
    from quizapp.study.store import CardRow

    scheduling = Scheduling(real_settings())
    now = fixed_clock().now()

    @hypothesis_settings(max_examples=300, deadline=None)
    @given(st.floats(0.01, 36500), st.integers(0, 5000), st.floats(0, 86399))
    def check(stability: float, days: int, seconds: float) -> None:
        last = now - timedelta(days=days, seconds=seconds)
        row = CardRow("t/a", 1, "t", 2, None, stability, 5.0, to_ms(now), to_ms(last), None)
        expected = Scheduler(enable_fuzzing=False).get_card_retrievability(to_fsrs(row.key, row, now), now)
        assert scheduling.retrievability(row, now) == pytest.approx(expected, rel=1e-12)

    check()


def test_new_cards_keep_their_turn_of_topics_when_the_queue_is_built_again(tmp_path: Path) -> None:
    # An undo, a bury or a restart builds the queue again; the turn of topics must go on from where it was, not
    # start over at the first topic (which gave the first topics most of the day's new cards).
    deck = load_deck([builtin_content_dir()])
    chosen = real_settings(bury_new_siblings=False, bury_review_siblings=False)
    clock = fixed_clock()
    with Store.open(tmp_path) as store:
        session = ReviewSession(deck, store, chosen, clock)
        shown, buried = [], None
        for n in range(len(deck.topics) + 1):
            question = session.current
            shown.append(question.item.topic)
            if n == 4:
                buried = question.item.topic
                session.bury()  # built again without it: its topic's next card takes its turn
                continue
            session.show_answer() if question.auto_checked else None
            session.rate(Rating.Good)
            if n % 3 == 2:
                session.undo()  # built again, the same card on screen: answered again, the turn goes on
                session.show_answer() if session.current.auto_checked else None
                session.rate(Rating.Good)
            if n == 7:
                session = ReviewSession(deck, store, chosen, clock)  # the app started again
        topics = [topic.slug for topic in deck.topics]
        assert shown == topics[:5] + [buried] + topics[5:]
