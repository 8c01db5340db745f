"""Card marks as log entries: suspend, bury, flag, reset and leech; undo; and replay reproducing the store."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.study.clock import from_ms, to_ms
from quizapp.study.replay import replay
from quizapp.study.scheduling import Scheduling, card_id_for
from quizapp.study.store import CardMarks, NewEvent, NewReview, Store, UndoConflict
from tests.study_helpers import START, database_at, settings

T0 = to_ms(START)


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "data") as store:
        yield store


def review(store: Store, scheduling: Scheduling, key: str, rating: Rating, at_ms: int) -> None:
    def schedule(before):
        return scheduling.review(key, key.split("/")[0], before, rating, from_ms(at_ms), None)

    store.record(NewReview(key, card_id_for(key), int(rating), at_ms, 4000, "review"), schedule)


def test_each_event_sets_its_mark_and_undo_takes_it_back(store) -> None:
    rows = store.apply([NewEvent("t/a", "suspend", T0), NewEvent("t/b", "flag", T0, 2),
                        NewEvent("t/c", "bury", T0, T0 + 3_600_000)])
    assert [row.event for row in rows] == ["suspend", "flag", "bury"]
    assert store.marks() == {"t/a": CardMarks(suspended=True), "t/b": CardMarks(flag=2),
                             "t/c": CardMarks(buried_until_ms=T0 + 3_600_000)}
    assert store.hidden_keys(T0) == {"t/a", "t/c"}
    assert store.hidden_keys(T0 + 3_600_000) == {"t/a"}  # the burial ends
    store.undo_event(rows[0].id)
    assert store.marks_of("t/a") == CardMarks() and "t/a" not in store.marks()
    assert store.undo_event(rows[0].id) is None  # already gone


def test_an_event_that_changes_nothing_is_not_written(store) -> None:
    store.apply([NewEvent("t/a", "suspend", T0)])
    assert store.apply([NewEvent("t/a", "suspend", T0 + 1), NewEvent("t/b", "unsuspend", T0 + 1)]) == []
    assert len(store.events()) == 1


def test_bad_events_are_refused_and_nothing_is_written(store) -> None:
    with pytest.raises(ValueError, match="flag 7"):
        store.apply([NewEvent("t/a", "suspend", T0), NewEvent("t/a", "flag", T0, 7)])
    with pytest.raises(ValueError, match="unknown card event"):
        store.apply([NewEvent("t/a", "delete", T0)])
    assert store.events() == [] and store.marks() == {}


def test_reset_forgets_the_schedule_keeps_the_history_and_undo_restores_it(store) -> None:
    scheduling = Scheduling(settings())
    review(store, scheduling, "t/a", Rating.Good, T0)
    before = store.card("t/a")
    (reset,) = store.apply([NewEvent("t/a", "reset", T0 + 10)])
    assert store.card("t/a") is None and "t/a" not in store.scheduled_keys()
    assert len(store.log("t/a")) == 1
    store.undo_event(reset.id)
    assert store.card("t/a") == before and "t/a" in store.scheduled_keys()
    assert store.apply([NewEvent("t/never-seen", "reset", T0)]) == []  # a new card has nothing to forget


def test_undo_refuses_to_lose_a_later_change(store) -> None:
    scheduling = Scheduling(settings())
    (suspend,) = store.apply([NewEvent("t/a", "suspend", T0)])
    store.apply([NewEvent("t/a", "flag", T0 + 5, 1)])
    with pytest.raises(UndoConflict, match="t/a was changed again"):
        store.undo_event(suspend.id)
    review(store, scheduling, "t/b", Rating.Good, T0)
    (reset,) = store.apply([NewEvent("t/b", "reset", T0 + 10)])
    review(store, scheduling, "t/b", Rating.Again, T0 + 20)
    with pytest.raises(UndoConflict):
        store.undo_event(reset.id)
    assert store.marks_of("t/a") == CardMarks(suspended=True, flag=1)


def test_lapses_count_agains_in_review_since_the_last_reset(store) -> None:
    scheduling = Scheduling(settings())
    at = T0
    ratings = [Rating.Good] * 3 + [Rating.Again, Rating.Good, Rating.Again, Rating.Again, Rating.Good]
    states = []
    for rating in ratings:
        states.append(store.card("t/a").state if store.card("t/a") else None)
        review(store, scheduling, "t/a", rating, at)
        at = max(at + 1, store.card("t/a").due_ms)
    # Again while in review (state 2) is a lapse; Again while relearning (3) is not a new one.
    assert states[3] == states[5] == 2 and states[6] == 3
    assert store.lapses("t/a") == 2
    store.apply([NewEvent("t/a", "reset", at)])
    assert store.lapses("t/a") == 0


def test_replaying_both_logs_reproduces_every_stored_state(store) -> None:
    """Random reviews, suspends, buries, flags, resets and undos over 40 days; replay equals the store."""
    scheduling = Scheduling(settings())
    rng = random.Random(7)
    keys = [f"t/c{i}" for i in range(12)]
    at = T0
    undoable: list[tuple[str, int]] = []
    for _ in range(400):
        at += rng.randrange(60_000, 6 * 3_600_000)
        key = rng.choice(keys)
        roll = rng.random()
        if roll < 0.55:
            review(store, scheduling, key, rng.choice(list(Rating)), at)
            undoable.append(("review", store.log(key)[-1].id))
        elif roll < 0.9:
            event = rng.choice(["suspend", "unsuspend", "bury", "unbury", "reset", "flag", "leech"])
            value = {"bury": at + 86_400_000, "flag": rng.randrange(5)}.get(event)
            undoable += [("event", row.id) for row in store.apply([NewEvent(key, event, at, value)])]
        elif undoable:
            kind, entry_id = undoable.pop()
            try:
                store.undo(entry_id) if kind == "review" else store.undo_event(entry_id)
            except UndoConflict:
                pass
    replayed = replay(store.log(), store.events(), scheduling)
    assert replayed.marks == store.marks()
    stored = {row.key: row for row in store.cards()}
    assert replayed.states.keys() == stored.keys()
    for key, row in stored.items():
        again = replayed.states[key]
        assert (again.state, again.step, again.due_ms, again.last_review_ms) == (
            row.state, row.step, row.due_ms, row.last_review_ms)
        assert again.stability == pytest.approx(row.stability, rel=1e-12)
        assert again.difficulty == pytest.approx(row.difficulty, rel=1e-12)
    assert any(e.event == "reset" for e in store.events()) and store.marks()


def test_migration_4_keeps_every_review_of_a_version_3_database(tmp_path: Path) -> None:
    path = tmp_path / "quizapp.db"
    db = database_at(path, 3)
    db.execute("INSERT INTO review_log (key, card_id, rating, reviewed_ms, mode, first_of_day) "
               "VALUES ('t/a', 1, 3, 1000, 'review', 1), ('t/b', 2, 1, 2000, 'quiz', 0)")
    db.close()
    with Store.open_file(path) as store:
        rows = store.log()
        assert [(r.id, r.key, r.rating, r.mode, r.detail) for r in rows] == [
            (1, "t/a", 3, "review", None), (2, "t/b", 1, "quiz", None)]
        store.record(NewReview("t/c", 3, 3, 3000, 1000, "interview", detail='{"ticked":[0,2]}'))
        assert store.log("t/c")[0].detail == '{"ticked":[0,2]}' and store.log("t/c")[0].id == 3
        assert store.retention_counts(0) == {"young": (0, 0), "mature": (0, 0)}
