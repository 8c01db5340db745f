"""`export anki --scheduling`, imported by Anki itself (the `anki` package, "Import any learning progress"):
card states, due dates, memory states, marks, the review log, and Anki's own due counts on the export day."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.export.anki import export_anki
from quizapp.export.anki_schedule import read_schedule
from quizapp.study.clock import FixedClock, StudyDay, SystemClock, to_ms
from quizapp.study.marking import mark
from quizapp.study.review import ReviewSession
from quizapp.study.scheduling import Scheduling, card_id_for
from quizapp.study.store import CardState, NewReview, Store
from tests.study_helpers import fixture_deck, settings

anki_collection = pytest.importorskip("anki.collection")

TZ = SystemClock().tz  # Anki counts days in the machine's time zone: so does the clock here
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
NOW = T0 + timedelta(days=9, hours=1)  # the export
CONFIG = settings(enable_fuzzing=False)


def review(store: Store, key: str, rating: Rating, at: datetime, seconds: int = 7, config=CONFIG) -> None:
    scheduling = Scheduling(config, TZ)
    store.record(NewReview(key, card_id_for(key), int(rating), to_ms(at), seconds * 1000, "review"),
                 lambda before: scheduling.review(key, key.split("/")[0], before, rating, at, None))


def studied(data: Path) -> Store:
    """A store with a history of every kind, all at fixed moments before NOW."""
    store = Store.open(data)
    review(store, "mini/flash", Rating.Easy, T0)  # review, due in days
    review(store, "mini/flash", Rating.Again, T0 + timedelta(days=9))  # a lapse: relearning
    review(store, "mini/flash", Rating.Good, T0 + timedelta(days=9, minutes=10))  # review again
    review(store, "mini/pick-one", Rating.Good, T0)  # learning, due 10 minutes later (overdue at NOW)
    review(store, "second/two", Rating.Good, T0)
    review(store, "second/two", Rating.Good, T0 + timedelta(minutes=15))  # review, due before NOW
    review(store, "mini/blanks#c1", Rating.Easy, T0)
    review(store, "mini/blanks#c2", Rating.Easy, T0)
    review(store, "mini/number", Rating.Again, T0)
    review(store, "mini/gen", Rating.Easy, T0)  # several notes in Anki: stays new
    day = StudyDay.containing(NOW, TZ, CONFIG.day_starts_at)
    mark(store, ["mini/blanks#c1"], "suspend", day, to_ms(NOW) - 1000)
    mark(store, ["mini/blanks#c2"], "bury", day, to_ms(NOW) - 1000)
    mark(store, ["mini/number"], "reset", day, to_ms(NOW) - 500)
    mark(store, ["mini/flash"], "flag", day, to_ms(NOW) - 400, flag=3)
    return store


def export(tmp: Path, store: Store | None, package: Path) -> object:
    schedule = None if store is None else read_schedule(store, CONFIG, FixedClock(NOW, TZ))
    return export_anki(fixture_deck(), package, instances=2, timestamp=NOW.timestamp(), schedule=schedule)


def imported(tmp: Path, package: Path, *, with_scheduling: bool = True):
    col = anki_collection.Collection(str(tmp / "collection.anki2"))
    options = anki_collection.ImportAnkiPackageOptions(with_scheduling=with_scheduling)
    col.import_anki_package(anki_collection.ImportAnkiPackageRequest(package_path=str(package), options=options))
    return col


def card(col, key: str):
    note_key, _, cloze = key.partition("#c")
    cards = [col.get_card(cid) for cid in col.find_cards(f'"Key:{note_key}"')]
    return next(c for c in cards if c.ord == (int(cloze) - 1 if cloze else 0))


def revlog(col, key: str) -> list[tuple]:
    return col.db.all("SELECT id, ease, type, ivl, lastIvl FROM revlog WHERE cid = ? ORDER BY id", card(col, key).id)


def days_until(due_ms: int) -> int:
    """Study days from today (the real one: Anki imports now) to `due_ms`."""
    day = StudyDay.containing(datetime.fromtimestamp(due_ms / 1000, timezone.utc), TZ, CONFIG.day_starts_at).day
    return (day - StudyDay.containing(datetime.now(timezone.utc), TZ, CONFIG.day_starts_at).day).days


def test_each_card_keeps_its_state_due_date_memory_and_marks(tmp: Path) -> None:
    with studied(tmp / "data") as store:
        summary = export(tmp, store, tmp / "out.apkg")
        rows = {row.key: row for row in store.cards()}
    assert (summary.scheduled, summary.left_new) == (6, 1)
    assert "1 generated card with a schedule left new" in summary.text()
    col = imported(tmp, tmp / "out.apkg")
    try:
        flash, stored = card(col, "mini/flash"), rows["mini/flash"]
        assert (flash.type, flash.queue, flash.reps, flash.lapses, flash.flags) == (2, 2, 3, 1, 3)
        assert flash.ivl == round((stored.due_ms - stored.last_review_ms) / 86_400_000) >= 1
        assert flash.due - col.sched.today == days_until(stored.due_ms)
        assert flash.memory_state.stability == pytest.approx(stored.stability, abs=5e-4)  # Anki keeps 3 decimals
        assert flash.memory_state.difficulty == pytest.approx(stored.difficulty, abs=5e-4)  # Anki keeps 3 decimals
        assert flash.last_review_time == stored.last_review_ms // 1000

        pick, stored = card(col, "mini/pick-one"), rows["mini/pick-one"]
        assert stored.state == CardState.LEARNING
        assert (pick.type, pick.queue, pick.due, pick.ivl, pick.reps) == (1, 1, stored.due_ms // 1000, 0, 1)
        assert pick.memory_state.stability == pytest.approx(stored.stability, abs=5e-4)  # Anki keeps 3 decimals

        two, stored = card(col, "second/two"), rows["second/two"]
        assert (two.type, two.queue) == (2, 2) and two.due - col.sched.today == days_until(stored.due_ms)

        suspended, buried = card(col, "mini/blanks#c1"), card(col, "mini/blanks#c2")
        assert (suspended.type, suspended.queue, buried.type, buried.queue) == (2, -1, 2, -3)
        assert suspended.memory_state.stability == pytest.approx(rows["mini/blanks#c1"].stability, abs=5e-4)  # Anki keeps 3 decimals

        reset = card(col, "mini/number")
        assert (reset.type, reset.queue, reset.reps, reset.memory_state) == (0, 0, 1, None)
        gen = [col.get_card(cid) for cid in col.find_cards('"Key:mini/gen"')]
        assert len(gen) == 2 and all((c.type, c.queue, c.memory_state) == (0, 0, None) for c in gen)
        assert (card(col, "second/one").type, card(col, "second/one").queue) == (0, 0)
        assert not col.db.scalar("SELECT COUNT(*) FROM revlog WHERE cid IN (SELECT id FROM cards WHERE nid IN "
                                 f"({','.join(str(n) for n in col.find_notes('Key:mini/gen'))}))")
    finally:
        col.close()


def test_anki_predicts_the_recall_quizapp_does(tmp: Path) -> None:
    """The forgetting curve goes with the memory state: without it Anki drew FSRS-5's (15% where quizapp said 45%)."""
    with studied(tmp / "data") as store:
        export(tmp, store, tmp / "out.apkg")
        rows = {row.key: row for row in store.cards()}
    col = imported(tmp, tmp / "out.apkg")
    try:
        for key in ("mini/flash", "second/two", "mini/blanks#c1"):
            now = datetime.now(timezone.utc)  # Anki's stats read the real clock
            ours = Scheduling(CONFIG, TZ).retrievability(rows[key], now)
            theirs = col.card_stats_data(card(col, key).id).fsrs_retrievability
            assert theirs == pytest.approx(ours, abs=0.01), key
    finally:
        col.close()


def test_the_review_log_has_one_row_per_review_with_anki_kinds_and_intervals(tmp: Path) -> None:
    with studied(tmp / "data") as store:
        export(tmp, store, tmp / "out.apkg")
        times = [entry.reviewed_ms for entry in store.log("mini/flash", modes=("review",))]
        reset_ms = next(e.at_ms for e in store.events("mini/number") if e.event == "reset")
    col = imported(tmp, tmp / "out.apkg")
    try:
        assert col.db.scalar("SELECT COUNT(*) FROM revlog") == 9 + 1  # the gen card's review stays out; a reset in
        flash = revlog(col, "mini/flash")
        assert [row[0] for row in flash] == times
        assert [row[1] for row in flash] == [4, 1, 3]
        assert [row[2] for row in flash] == [0, 1, 2]  # learn (new), review, relearn
        (_, _, _, first_ivl, first_last), (_, _, _, lapse_ivl, lapse_last), (_, _, _, _, again_last) = flash
        assert first_ivl >= 1 and first_last == 0
        assert lapse_ivl == -600 and lapse_last == first_ivl  # into relearning for 10 minutes
        assert again_last == -600
        assert revlog(col, "second/two")[0][2:4] == [0, -600]  # learning step of 10 minutes
        number = revlog(col, "mini/number")
        assert [(row[1], row[2]) for row in number] == [(1, 0), (0, 4)]  # Again, then a manual reset
        assert number[1][0] == reset_ms
        ids = col.db.list("SELECT id FROM revlog")
        assert len(set(ids)) == len(ids)
    finally:
        col.close()


def test_reviews_at_the_same_millisecond_get_distinct_ids(tmp: Path) -> None:
    with Store.open(tmp / "data") as store:
        review(store, "second/one", Rating.Good, T0)
        review(store, "second/two", Rating.Good, T0)
        export(tmp, store, tmp / "out.apkg")
    col = imported(tmp, tmp / "out.apkg")
    try:
        assert sorted(col.db.list("SELECT id FROM revlog")) == [to_ms(T0), to_ms(T0) + 1]
    finally:
        col.close()


def test_a_learning_step_of_days_is_due_on_a_day_as_in_anki(tmp: Path) -> None:
    config = settings(enable_fuzzing=False, learning_steps=["1d", "3d"], relearning_steps=["2d"])
    with Store.open(tmp / "data") as store:
        review(store, "second/one", Rating.Again, T0, config=config)  # learning, back in a day
        review(store, "second/two", Rating.Easy, T0, config=config)
        review(store, "second/two", Rating.Again, T0 + timedelta(days=8), config=config)  # relearning, two days
        rows = {row.key: row for row in store.cards()}
        schedule = read_schedule(store, config, FixedClock(NOW, TZ))
        export_anki(fixture_deck(), tmp / "out.apkg", timestamp=NOW.timestamp(), schedule=schedule)
    col = imported(tmp, tmp / "out.apkg")
    try:
        one, two = card(col, "second/one"), card(col, "second/two")
        assert (one.type, one.queue, two.type, two.queue) == (1, 3, 3, 3)
        assert one.due - col.sched.today == days_until(rows["second/one"].due_ms)
        assert two.due - col.sched.today == days_until(rows["second/two"].due_ms)
        assert revlog(col, "second/one")[0][3] == 1  # the interval in days, as Anki logs a day's step
    finally:
        col.close()


def test_without_scheduling_the_package_is_as_before(tmp: Path) -> None:
    with studied(tmp / "data") as store:
        plain = export(tmp, None, tmp / "plain.apkg")
        export(tmp, store, tmp / "scheduled.apkg")
    assert plain.scheduled is None and "progress" not in plain.text()
    col = imported(tmp, tmp / "plain.apkg")
    try:
        assert col.db.scalar("SELECT COUNT(*) FROM revlog") == 0
        assert col.db.all("SELECT DISTINCT type, queue FROM cards") == [[0, 0]]
        assert all(col.get_card(cid).memory_state is None for cid in col.find_cards(""))
    finally:
        col.close()
    (tmp / "collection.anki2").unlink()
    col = imported(tmp, tmp / "scheduled.apkg")
    try:
        assert col.db.scalar("SELECT COUNT(*) FROM revlog") == 10
    finally:
        col.close()


def test_a_store_without_reviews_exports_every_card_new(tmp: Path) -> None:
    with Store.open(tmp / "data", readonly=True) as store:
        summary = export(tmp, store, tmp / "out.apkg")
    assert (summary.scheduled, summary.revlog, summary.left_new) == (0, 0, 0)
    col = imported(tmp, tmp / "out.apkg")
    try:
        assert col.db.all("SELECT DISTINCT type, queue FROM cards") == [[0, 0]]
    finally:
        col.close()


COUNTS = """
import json, sys
import anki.collection as ac
col = ac.Collection(sys.argv[1])
options = ac.ImportAnkiPackageOptions(with_scheduling=True)
col.import_anki_package(ac.ImportAnkiPackageRequest(package_path=sys.argv[2], options=options))
col.decks.select(col.decks.id("quizapp"))
print(json.dumps(list(col.sched.counts())))
col.close()
"""


@pytest.mark.skipif(shutil.which("faketime") is None, reason="needs faketime, to run Anki on the export day")
def test_anki_counts_on_the_export_day_what_quizapp_counts(tmp: Path) -> None:
    with studied(tmp / "data") as store:
        export(tmp, store, tmp / "out.apkg")
        counts = ReviewSession(fixture_deck(), store, CONFIG, FixedClock(NOW, TZ)).counts()
    moment = NOW.astimezone(TZ).strftime("%Y-%m-%d %H:%M:%S")
    result = subprocess.run(["faketime", "-f", f"@{moment}", sys.executable, "-c", COUNTS,
                             str(tmp / "collection.anki2"), str(tmp / "out.apkg")],
                            capture_output=True, text=True, check=True, timeout=120)
    new, learning, due = json.loads(result.stdout.strip().splitlines()[-1])
    # pick-one (an overdue step); second/two (quizapp counts the generated card too: new in Anki, two notes)
    assert (learning, due + 1) == (counts.learning, counts.review) == (1, 2)
    assert new == counts.new + 2 == 5  # second/one, pick-many, the reset number card, the gen card's two notes


def test_anki_takes_progress_only_for_cards_it_does_not_have(tmp: Path) -> None:
    """What the README says of importing a newer export: notes update, schedules of cards Anki has stay."""
    from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition

    with Store.open(tmp / "data") as store:
        review(store, "mini/flash", Rating.Easy, T0)
        export(tmp, store, tmp / "first.apkg")
        review(store, "mini/flash", Rating.Again, T0 + timedelta(days=9))
        schedule = read_schedule(store, CONFIG, FixedClock(NOW + timedelta(hours=1), TZ))
        export_anki(fixture_deck(), tmp / "second.apkg", instances=2, timestamp=NOW.timestamp() + 3600,
                    schedule=schedule)
    col = imported(tmp, tmp / "first.apkg")
    try:
        newer = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
        options = anki_collection.ImportAnkiPackageOptions(with_scheduling=True, update_notes=newer)
        log = col.import_anki_package(anki_collection.ImportAnkiPackageRequest(package_path=str(tmp / "second.apkg"),
                                                                               options=options)).log
        flash = card(col, "mini/flash")
        assert len(log.updated) > 0 and (flash.type, flash.reps, len(revlog(col, "mini/flash"))) == (2, 1, 1)
    finally:
        col.close()
