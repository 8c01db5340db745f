"""Sync between devices through one folder: every device ends with the same log, states and marks, equal to a
replay of the union; conflict copies, partial and corrupt lines, late joiners, undo and reset."""

from __future__ import annotations

import json
import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.config import Settings
from quizapp.study.clock import from_ms, to_ms
from quizapp.study.replay import order_key, replay, step
from quizapp.study.scheduling import Scheduling, card_id_for
from quizapp.study.store import CardMarks, LogRow, NewEvent, NewReview, Store, UndoConflict
from quizapp.study.sync import FOLDER, device_id, sync, sync_if_set_up, sync_status
from tests.study_helpers import START, database_at
from tests.unprivileged import run_python_unprivileged

T0 = to_ms(START)
NOW = T0 + 365 * 86_400_000  # the clock of a sync: after every review of these tests (none is from the future)
# Fuzz on: a due date is random on the device that made it, and must still be the same everywhere.
FUZZY = Settings(enable_fuzzing=True)
FUZZY_SCHEDULING = Scheduling(FUZZY)
EVENTS = ("suspend", "unsuspend", "bury", "unbury", "reset", "flag", "leech")


@dataclass
class Device:
    data: Path
    store: Store
    skew_ms: int = 0  # how far this device's clock is off

    @property
    def uid_set(self) -> set[str]:
        return {row[0] for row in self.store.rows("SELECT uid FROM review_log UNION ALL SELECT uid FROM card_event")}


def quarters(store) -> list[tuple]:
    """The running totals per quarter hour beside the log (which every device must agree on)."""
    return store.rows("SELECT quarter, reviews, passed FROM review_quarters WHERE reviews > 0 ORDER BY quarter")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "Sync"
    path.mkdir()
    return path


@pytest.fixture
def devices(tmp_path: Path):
    made: list[Device] = []

    def make(name: str, skew_ms: int = 0) -> Device:
        device = Device(tmp_path / name, Store.open(tmp_path / name), skew_ms)
        made.append(device)
        return device

    yield make
    for device in made:
        device.store.close()


def review(device: Device, key: str, rating: Rating, at: int, scheduling: Scheduling | None = None) -> None:
    scheduling = scheduling or FUZZY_SCHEDULING
    at += device.skew_ms

    def schedule(before):
        return scheduling.review(key, key.split("/")[0], before, rating, from_ms(at), None)

    device.store.record(NewReview(key, card_id_for(key), int(rating), at, 4000, "review"), schedule)


def run(device: Device, folder: Path, settings: Settings = FUZZY):
    return sync(device.store, device.data, folder, settings, now_ms=NOW)


def settle(group: list[Device], folder: Path) -> None:
    for _ in range(2):
        for device in group:
            report = run(device, folder)
            assert not report.warnings and not report.problems


def assert_converged(group: list[Device]) -> None:
    """Same entries, same states and marks everywhere, and they are what replaying the union gives."""
    first = group[0]
    union = first.uid_set
    deterministic = Scheduling(FUZZY.model_copy(update={"enable_fuzzing": False}))
    replayed = replay(first.store.log(), first.store.events(), deterministic)
    for device in group:
        assert device.uid_set == union
        assert {row.key: row for row in device.store.cards()} == replayed.states
        assert device.store.marks() == replayed.marks
        undone = {row[0] for row in device.store.rows("SELECT uid FROM undone")}
        assert undone == {row[0] for row in first.store.rows("SELECT uid FROM undone")}
        assert_befores_replayed(device.store, deterministic)


def assert_befores_replayed(store: Store, scheduling: Scheduling) -> None:
    """Each scheduled review's stored state before it, and each event's marks before it, are what replaying the
    log up to that entry gives (sync rewrites only those that changed)."""
    states: dict = {}
    marks: dict = {}
    entries = [*(row for row in store.log() if row.mode == "review"), *store.events()]
    previous = {row[0]: row[1:] for row in store.rows("SELECT uid, prev_state, prev_interval_ms FROM review_log")}
    for entry in sorted(entries, key=order_key):
        state, mark = states.get(entry.key), marks.get(entry.key, CardMarks())
        if isinstance(entry, LogRow):
            assert entry.state_before == (state.to_json() if state else None)
            assert previous[entry.uid] == ((state.state, state.due_ms - state.last_review_ms) if state else (None, None))
        else:
            assert entry.marks_before == mark.to_json()
        states[entry.key], marks[entry.key] = step(entry, state, mark, scheduling)


def test_interleaved_sessions_with_random_syncs_converge(folder: Path, devices) -> None:
    """Three devices (one clock two hours slow), 600 random reviews, suspends, buries, flags, resets and undos
    of the same cards, syncs at random moments: once all have synced, all agree with the replay of the union."""
    rng = random.Random(2026)
    group = [devices("laptop"), devices("desktop", skew_ms=-2 * 3_600_000), devices("phone")]
    keys = [f"t/c{i}" for i in range(10)]
    undoable: dict[int, list[tuple[str, int]]] = {0: [], 1: [], 2: []}
    at = T0
    for _ in range(600):
        at += rng.randrange(1_000, 4 * 3_600_000)
        index = rng.randrange(3)
        device, key, roll = group[index], rng.choice(keys), rng.random()
        if roll < 0.5:
            review(device, key, rng.choice(list(Rating)), at)
            undoable[index].append(("review", device.store.log(key)[-1].id))
        elif roll < 0.75:
            event = rng.choice(EVENTS)
            value = {"bury": at + 86_400_000, "flag": rng.randrange(5)}.get(event)
            rows = device.store.apply([NewEvent(key, event, at + device.skew_ms, value)])
            undoable[index] += [("event", row.id) for row in rows]
        elif roll < 0.85 and undoable[index]:
            kind, entry_id = undoable[index].pop()
            try:
                device.store.undo(entry_id) if kind == "review" else device.store.undo_event(entry_id)
            except UndoConflict:
                pass
        else:
            assert not run(device, folder).warnings
    settle(group, folder)
    assert_converged(group)
    stores = [d.store for d in group]
    assert all(s.rows("SELECT COUNT(*) FROM undone")[0][0] > 0 for s in stores)
    assert any(e.event == "reset" for e in stores[0].events())
    # The totals beside the log agree too (every review counted once on every device).
    assert len({tuple(quarters(s)) for s in stores}) == 1
    assert len({tuple(sorted(s.topic_pass_counts().items())) for s in stores}) == 1


def test_a_review_keeps_the_due_date_its_device_chose(folder: Path, devices) -> None:
    a, b = devices("a"), devices("b")
    at = T0
    for _ in range(6):
        review(a, "t/x", Rating.Good, at)
        at = a.store.card("t/x").due_ms + 3_600_000
    settle([a, b], folder)
    assert b.store.card("t/x") == a.store.card("t/x")
    assert [row.due_ms for row in b.store.log("t/x")] == [row.due_ms for row in a.store.log("t/x")]


def test_an_undo_travels_and_an_undone_entry_never_comes_back(folder: Path, devices) -> None:
    a, b = devices("a"), devices("b")
    review(a, "t/x", Rating.Good, T0)
    review(a, "t/x", Rating.Easy, T0 + 700_000)
    settle([a, b], folder)
    assert len(b.store.log("t/x")) == 2
    b.store.undo(b.store.log("t/x")[-1].id)  # b takes back a's review
    settle([a, b], folder)
    assert len(a.store.log("t/x")) == 1 and a.store.card("t/x") == b.store.card("t/x")
    # A copy of a's file from before the undo shows up again: the entry stays undone.
    own = folder / FOLDER / f"{device_id(a.data)}.jsonl"
    shutil.copy(own, own.with_name(f"{own.stem}.sync-conflict-20260302-101010-ABCDEFG.jsonl"))
    settle([a, b], folder)
    assert len(a.store.log("t/x")) == len(b.store.log("t/x")) == 1
    assert_converged([a, b])


def test_the_unbury_of_a_sibling_set_aside_today_travels_and_so_does_its_undo(folder: Path, devices) -> None:
    """It changes no mark (the card was set aside, not buried by hand), and is still an entry every device has."""
    a, b = devices("a"), devices("b")
    review(a, "t/x#c1", Rating.Good, T0)
    [unbury] = a.store.apply([NewEvent("t/x#c2", "unbury", T0 + 60_000)], set_aside={"t/x#c2"})
    settle([a, b], folder)
    assert b.store.unburied_since(T0) == {"t/x#c2": T0 + 60_000} and b.store.marks() == {}
    assert_converged([a, b])
    b.store.undo_event(b.store.events("t/x#c2")[0].id)
    settle([a, b], folder)
    assert a.store.unburied_since(T0) == {} and a.store.event(unbury.id) is None
    assert_converged([a, b])


def test_conflict_copies_never_count_an_entry_twice(folder: Path, devices) -> None:
    a, b = devices("a"), devices("b")
    for n in range(5):
        review(a, f"t/c{n}", Rating.Good, T0 + n)
    run(a, folder)
    own = folder / FOLDER / f"{device_id(a.data)}.jsonl"
    shutil.copy(own, own.with_name(f"{own.stem} (1).jsonl"))
    shutil.copy(own, own.with_name(f"{own.stem}.sync-conflict-20260302-090000-XYZ1234.jsonl"))
    review(a, "t/c9", Rating.Hard, T0 + 99)
    run(a, folder)
    report = run(b, folder)
    assert report.imported == 6
    assert len(b.store.log()) == 6
    assert quarters(b.store) == quarters(a.store)
    assert run(b, folder).imported == 0


def test_a_device_that_joins_later_catches_up(folder: Path, devices) -> None:
    a, b = devices("a"), devices("b")
    rng = random.Random(5)
    at = T0
    for _ in range(80):
        at += rng.randrange(60_000, 8 * 3_600_000)
        device = rng.choice([a, b])
        review(device, f"t/c{rng.randrange(6)}", rng.choice(list(Rating)), at)
        if rng.random() < 0.3:
            run(device, folder)
    settle([a, b], folder)
    late = devices("late")
    report = run(late, folder)
    assert report.imported == len(a.store.log())
    settle([a, b, late], folder)
    assert_converged([a, b, late])


def test_a_partial_last_line_waits_and_corrupt_lines_are_reported_once(folder: Path, devices) -> None:
    a, b = devices("a"), devices("b")
    review(a, "t/x", Rating.Good, T0)
    review(a, "t/y", Rating.Good, T0 + 1)
    run(a, folder)
    own = folder / FOLDER / f"{device_id(a.data)}.jsonl"
    first, second = own.read_bytes().splitlines(keepends=True)
    own.unlink()  # the file reaches b only through a sync tool, still copying it:
    other = own.with_name("other.jsonl")
    other.write_bytes(first + b'{"v": 1, "id": "x"}\n' + b"\xff\xfe not json\n" + second[:30])  # mid-copy
    report = run(b, folder)
    assert report.imported == 1
    assert [p.split(": ", 1)[0] for p in report.problems] == [f"{other}:2", f"{other}:3"]
    assert "no 'device'" in report.problems[0] and "not a JSON line" in report.problems[1]
    assert run(b, folder).problems == ()  # reported once, not at every sync
    with open(other, "ab") as handle:
        handle.write(second[30:])  # the copy completes
    report = run(b, folder)
    assert report.imported == 1 and report.problems == ()
    assert b.store.card("t/y") == a.store.card("t/y")
    (status,) = sync_status(b.store, b.data, folder).devices
    assert status.device == device_id(a.data) and status.skipped == 2 and status.imported == 2


def test_a_line_from_a_newer_quizapp_waits_for_an_upgrade(folder: Path, devices) -> None:
    b = devices("b")
    (folder / FOLDER).mkdir()
    line = {"v": 1, "id": "u1", "device": "dev1", "type": "suspend", "key": "t/x", "time": "2026-03-02T09:00:00Z"}
    newer = {**line, "v": 2, "id": "u2"}
    later = {**line, "id": "u3", "type": "flag", "value": 2}
    path = folder / FOLDER / "dev1.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in (line, newer, later)))
    report = run(b, folder)
    assert report.imported == 1 and "format version 2" in report.problems[0]
    assert run(b, folder).imported == 0  # the newer line keeps the rest waiting, and nothing is lost
    assert b.store.marks_of("t/x").suspended and b.store.marks_of("t/x").flag == 0


def test_a_missing_sync_folder_is_a_warning_and_the_next_sync_catches_up(tmp_path: Path, devices) -> None:
    a, b = devices("a"), devices("b")
    folder = tmp_path / "not-mounted"
    review(a, "t/x", Rating.Good, T0)
    report = run(a, folder)
    assert report.exported == 0 and "does not exist" in report.warnings[0]
    folder.mkdir()
    assert run(a, folder).exported == 1
    assert run(b, folder).imported == 1


def test_a_read_only_sync_folder_still_imports(folder: Path, devices) -> None:
    """The sync runs in a child process subject to file modes, so the folder is read-only even for root."""
    a, b = devices("a"), devices("b")
    review(a, "t/x", Rating.Good, T0)
    run(a, folder)
    run(b, folder)
    review(b, "t/y", Rating.Good, T0 + 5)
    b.store.close()
    code = (
        "import json, sys; from pathlib import Path; from quizapp.config import Settings; "
        "from quizapp.study.store import Store; from quizapp.study.sync import sync; "
        f"store = Store.open(Path({str(b.data)!r})); "
        f"report = sync(store, Path({str(b.data)!r}), Path({str(folder)!r}), Settings(), now_ms={T0}); "
        "print(json.dumps([report.exported, report.imported, report.warnings]))"
    )
    (folder / FOLDER).chmod(0o555)
    try:
        child = run_python_unprivileged(code, cwd=Path(__file__).parents[2])
    finally:
        (folder / FOLDER).chmod(0o755)
    assert child.returncode == 0, child.stderr
    exported, imported, warnings = json.loads(child.stdout)
    assert exported == 0 and imported == 0 and "cannot write" in warnings[0]
    b.store = Store.open(b.data)
    assert run(b, folder).exported == 1


def test_automatic_sync_only_when_a_folder_is_set(folder: Path, devices) -> None:
    a = devices("a")
    assert sync_if_set_up(a.store, a.data, FUZZY) is None
    review(a, "t/x", Rating.Good, T0)
    report = sync_if_set_up(a.store, a.data, FUZZY.model_copy(update={"sync_dir": str(folder)}))
    assert report is not None and report.exported == 1


def test_a_write_cut_short_leaves_its_partial_line_alone_and_is_written_again(folder: Path, devices) -> None:
    a, b = devices("a"), devices("b")
    review(a, "t/x", Rating.Good, T0)
    run(a, folder)
    review(a, "t/y", Rating.Good, T0 + 1)
    own = folder / FOLDER / f"{device_id(a.data)}.jsonl"
    with open(own, "ab") as handle:
        handle.write(b'{"v":1,"id":"half')  # a crash in the middle of the write, before the cursor moved
    run(a, folder)
    report = run(b, folder)
    assert report.imported == 2 and len(report.problems) == 1
    assert own.read_bytes().count(b"\n") == 3


def test_sync_with_nothing_new_reads_nothing(folder: Path, devices) -> None:
    a, b = devices("a"), devices("b")
    review(a, "t/x", Rating.Good, T0)
    settle([a, b], folder)
    before = b.store.rows("SELECT path, offset, line FROM sync_file")
    assert run(b, folder) == run(b, folder)
    assert run(b, folder).imported == run(b, folder).exported == 0
    assert b.store.rows("SELECT path, offset, line FROM sync_file") == before


def test_migration_5_gives_every_entry_a_uuid_and_the_newest_review_its_due_date(tmp_path: Path) -> None:
    path = tmp_path / "quizapp.db"
    db = database_at(path, 4)
    db.execute("INSERT INTO review_log (key, card_id, rating, reviewed_ms, mode) VALUES "
               "('t/a', 1, 3, 1000, 'review'), ('t/a', 1, 3, 5000, 'review'), ('t/b', 2, 1, 2000, 'quiz')")
    db.execute("INSERT INTO card_state (key, card_id, topic, state, due_ms, last_review_ms) "
               "VALUES ('t/a', 1, 't', 2, 99000, 5000)")
    db.execute("INSERT INTO card_event (key, event, at_ms, marks_before) VALUES ('t/a', 'flag', 6000, '{}')")
    db.close()
    with Store.open_file(path) as store:
        uids = [row.uid for row in store.log()] + [row.uid for row in store.events()]
        assert len(set(uids)) == 4
        assert all(len(uid) == 36 and uid[14] == "4" and uid[19] in "89ab" for uid in uids)
        assert [row.due_ms for row in store.log("t/a")] == [None, 99000]


def test_the_device_id_is_made_once_and_kept(tmp_path: Path) -> None:
    first = device_id(tmp_path / "data")
    assert device_id(tmp_path / "data") == first
    assert (tmp_path / "data" / "device-id").read_text().strip() == first
    assert device_id(tmp_path / "other") != first


def test_clocks_that_disagree_change_only_the_order_of_replay(folder: Path, devices) -> None:
    fast, slow = devices("fast", skew_ms=3_600_000), devices("slow", skew_ms=-3_600_000)
    review(fast, "t/x", Rating.Good, T0)
    settle([fast, slow], folder)
    review(slow, "t/x", Rating.Again, T0 + 600_000)  # later, by a clock two hours behind: replayed first
    review(slow, "t/x", Rating.Hard, T0 + 1_200_000)
    settle([fast, slow], folder)
    assert [row.rating for row in slow.store.log("t/x")] == [1, 2, 3]
    assert_converged([fast, slow])


def test_the_sync_command_saves_the_folder_and_reports_the_devices(tmp_path: Path, folder: Path, devices,
                                                                   monkeypatch, capsys) -> None:
    from quizapp.cli import main

    config = tmp_path / "config.toml"
    monkeypatch.setenv("QUIZAPP_CONFIG", str(config))
    monkeypatch.delenv("QUIZAPP_SYNC_DIR", raising=False)
    other = devices("other")
    review(other, "t/x", Rating.Good, T0)
    run(other, folder)
    other.store.close()
    data = tmp_path / "mine"
    assert main(["--data-dir", str(data), "sync"]) == 2
    assert "no sync folder is set" in capsys.readouterr().err
    assert main(["--data-dir", str(data), "sync", str(folder)]) == 0
    assert "imported 1" in capsys.readouterr().out
    assert f'sync_dir = "{folder.resolve()}"' in config.read_text()
    assert main(["--data-dir", str(data), "sync", "--status"]) == 0
    out = capsys.readouterr().out
    assert f"device {device_id(other.data)}: newest entry 2026-03-02 09:00 UTC; imported 1" in out
    assert f"this device: {device_id(data)}" in out
    monkeypatch.setenv("QUIZAPP_SYNC_DIR", str(tmp_path / "gone"))
    assert main(["--data-dir", str(data), "sync"]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_a_plain_session_syncs_at_its_start_and_end_and_a_missing_folder_only_warns(tmp_path: Path,
                                                                                   folder: Path) -> None:
    import subprocess
    import sys

    from tests.study_helpers import FIXTURE_DECK

    def study(data: Path, sync_dir: Path) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "QUIZAPP_CONFIG": str(tmp_path / "none.toml"), "QUIZAPP_SYNC_DIR": str(sync_dir),
               "QUIZAPP_ENABLE_FUZZING": "false"}
        return subprocess.run([sys.executable, "-m", "quizapp", "--no-builtin", "--content", str(FIXTURE_DECK),
                               "--data-dir", str(data), "review", "--plain"], input="\n3\n", text=True,
                              capture_output=True, env=env, timeout=120, check=False)

    first = study(tmp_path / "a", folder)
    assert "recorded" in first.stdout and first.stderr == ""
    (line,) = (folder / FOLDER).glob("*.jsonl")
    assert len(line.read_text().splitlines()) == 1  # the end-of-session sync wrote the review
    missing = study(tmp_path / "b", tmp_path / "unmounted")
    assert "recorded" in missing.stdout and "does not exist" in missing.stderr
    from_a = json.loads(line.read_text())["id"]
    study(tmp_path / "b", folder)
    with Store.open(tmp_path / "b") as store:
        assert from_a in {row.uid for row in store.log()}  # imported at the start of b's next session
    assert len(list((folder / FOLDER).glob("*.jsonl"))) == 2  # and b's review went out at its end


def test_a_sync_folder_that_holds_the_data_folder_is_refused(tmp_path: Path, devices) -> None:
    """The data folder's content cache is unpickled: it must never be where other machines write."""
    a = devices("a")
    review(a, "t/x", Rating.Good, T0)
    for folder in (tmp_path, a.data, a.data / "inside"):
        folder.mkdir(exist_ok=True)
        report = run(a, folder)
        assert report.exported == 0 and "belongs to this machine only" in report.warnings[0]
    assert not (a.data / FOLDER).exists() and not (tmp_path / FOLDER).exists()
