"""Sync with real processes and a real transport: SIGKILL in the middle of `quizapp sync` loses nothing and the
next sync completes; git carries the per-device files between two clones without a merge conflict."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.config import Settings
from quizapp.study.clock import from_ms, to_ms
from quizapp.study.replay import replay
from quizapp.study.scheduling import Scheduling, card_id_for
from quizapp.study.store import NewEvent, NewReview, Store
from quizapp.study.sync import FOLDER, device_id, sync
from tests.study_helpers import START

T0 = to_ms(START)
KILLS = 8
FUZZY = Settings(enable_fuzzing=True)
FUZZY_SCHEDULING = Scheduling(FUZZY)
EXACT = Scheduling(Settings(enable_fuzzing=False))


def review(store: Store, key: str, rating: Rating, at: int) -> None:
    scheduling = FUZZY_SCHEDULING
    def schedule(before):
        return scheduling.review(key, key.split("/")[0], before, rating, from_ms(at), None)

    store.record(NewReview(key, card_id_for(key), int(rating), at, 4000, "review"), schedule)


def start_sync(data: Path, folder: Path, config: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "QUIZAPP_SYNC_DIR": str(folder), "QUIZAPP_CONFIG": str(config)}
    return subprocess.Popen([sys.executable, "-m", "quizapp", "--no-builtin", "--data-dir", str(data), "sync"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def kill_at_random_moments(data: Path, folder: Path, config: Path, rng: random.Random) -> int:
    """Start `quizapp sync` again and again, killing it at a random moment; how many runs were cut short."""
    cut = 0
    for _ in range(KILLS):
        process = start_sync(data, folder, config)
        time.sleep(rng.uniform(0.3, 2.5))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            cut += 1
        process.communicate(timeout=60)
    return cut


def uids(store: Store) -> list[str]:
    return [row[0] for row in store.rows("SELECT uid FROM review_log UNION ALL SELECT uid FROM card_event")]


def file_uids(path: Path) -> set[str]:
    found = set()
    for line in path.read_bytes().splitlines():
        try:
            found.add(json.loads(line)["id"])
        except (ValueError, KeyError):
            pass  # the partial line a killed write left behind
    return found


@pytest.mark.slow
def test_sigkill_during_sync_loses_nothing_and_the_next_sync_completes(tmp_path: Path) -> None:
    rng = random.Random(20)
    folder, config = tmp_path / "Sync", tmp_path / "config.toml"
    folder.mkdir()
    big, small = tmp_path / "big", tmp_path / "small"
    keys = [f"t/c{i}" for i in range(3000)]
    with Store.open(big) as store:  # 40,000 reviews to export: a sync that takes a while
        store.bulk_load([], (NewReview(keys[n % len(keys)], card_id_for(keys[n % len(keys)]), 3, T0 + n * 60_000,
                                       3000, "quiz") for n in range(40_000)))
        for n in range(60):
            review(store, keys[n], Rating.Good, T0 - 86_400_000 + n)
        store.apply([NewEvent(keys[1], "suspend", T0 + 5)])
        big_uids = set(uids(store))
    # Killed while exporting: every entry reaches the file at least once, the next sync writes the rest.
    cut = kill_at_random_moments(big, folder, config, rng)
    assert start_sync(big, folder, config).wait(timeout=120) == 0
    big_file = folder / FOLDER / f"{device_id(big)}.jsonl"
    assert file_uids(big_file) == big_uids
    with Store.open(small) as store:
        for n in range(40):
            review(store, keys[n * 7], rng.choice(list(Rating)), T0 + n * 3_600_000)
        small_uids = set(uids(store))
    # Killed while importing: the transaction leaves nothing half done, and the next sync completes.
    cut += kill_at_random_moments(small, folder, config, rng)
    finished = start_sync(small, folder, config)
    _, err = finished.communicate(timeout=300)
    assert finished.returncode == 0, err
    with Store.open(small) as store:
        assert store.integrity_ok()
        stored = uids(store)
        assert len(stored) == len(set(stored)) and set(stored) == big_uids | small_uids
        replayed = replay(store.log(), store.events(), EXACT)
        assert {row.key: row for row in store.cards()} == replayed.states
        assert store.marks() == replayed.marks
        assert store.rows("SELECT SUM(reviews) FROM review_quarters")[0][0] == len(store.log())
    assert start_sync(big, folder, config).wait(timeout=120) == 0
    with Store.open(big) as store:
        assert set(uids(store)) == big_uids | small_uids
    print(f"\nsync SIGKILL: {cut} runs cut short, {len(big_uids | small_uids)} entries, none lost or doubled")
    assert cut > 0


def git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True,
                          env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})


def clone(bare: Path, folder: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(bare), str(folder)], check=True, capture_output=True)
    git(folder, "config", "user.name", "quizapp test")
    git(folder, "config", "user.email", "test@example.invalid")
    git(folder, "config", "pull.rebase", "false")
    git(folder, "config", "commit.gpgsign", "false")
    return folder


def publish(folder: Path) -> None:
    """What a user runs after studying: commit this device's file, merge the other's, push."""
    git(folder, "add", "-A")
    if git(folder, "status", "--porcelain").stdout.strip():
        git(folder, "commit", "-q", "-m", "quizapp reviews")
    git(folder, "pull", "-q", "--no-edit", "origin", "main")  # check=True: a merge conflict fails the test
    git(folder, "push", "-q", "origin", "HEAD:main")


@pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True, check=False).returncode != 0, reason="no git")
def test_git_as_the_transport_never_conflicts(tmp_path: Path) -> None:
    bare = tmp_path / "reviews.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True, capture_output=True)
    seed = clone(bare, tmp_path / "seed")
    (seed / "README").write_text("quizapp reviews\n")
    git(seed, "add", "README")
    git(seed, "commit", "-q", "-m", "start")
    git(seed, "push", "-q", "origin", "HEAD:main")
    clones = [clone(bare, tmp_path / "laptop-clone"), clone(bare, tmp_path / "desktop-clone")]
    stores = [Store.open(tmp_path / "laptop"), Store.open(tmp_path / "desktop")]
    datas = [tmp_path / "laptop", tmp_path / "desktop"]
    rng = random.Random(3)
    at = T0
    try:
        for _ in range(12):
            for side in (0, 1):
                git(clones[side], "pull", "-q", "--no-edit", "origin", "main")
                sync(stores[side], datas[side], clones[side], FUZZY)
                for _ in range(rng.randrange(1, 6)):  # the same cards on both machines
                    at += rng.randrange(60_000, 6 * 3_600_000)
                    key = f"t/c{rng.randrange(5)}"
                    if rng.random() < 0.8:
                        review(stores[side], key, rng.choice(list(Rating)), at)
                    else:
                        stores[side].apply([NewEvent(key, rng.choice(["suspend", "unsuspend", "flag"]), at,
                                                     rng.randrange(5))])
                sync(stores[side], datas[side], clones[side], FUZZY)
                publish(clones[side])
        for side in (0, 1, 0):
            git(clones[side], "pull", "-q", "--no-edit", "origin", "main")
            sync(stores[side], datas[side], clones[side], FUZZY)
            publish(clones[side])
        laptop, desktop = stores
        assert sorted(uids(laptop)) == sorted(uids(desktop)) and len(uids(laptop)) > 40
        assert {row.key: row for row in laptop.cards()} == {row.key: row for row in desktop.cards()}
        assert laptop.marks() == desktop.marks()
        replayed = replay(laptop.log(), laptop.events(), EXACT)
        assert {row.key: row for row in desktop.cards()} == replayed.states
        assert sorted(p.name for p in (clones[0] / FOLDER).iterdir()) == sorted(
            f"{device_id(d)}.jsonl" for d in datas)
    finally:
        for store in stores:
            store.close()
