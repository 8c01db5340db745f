"""Data-dir faults: a read-only data dir, a database from a newer schema, a truncated database.

Each fault is set up on a real database with a review history, then the real program is run on it
(`quizapp --data-dir D review --plain` with answers on stdin, and `quizapp --data-dir D stats`). Each run must
end with a clear message on stderr and a non-zero exit, without a traceback, and leave the database file
byte for byte as it was (and no stray files beside it).

Tests run as root here, and root writes through file modes. So the read-only cases run the program with the
capabilities that let root ignore permissions dropped (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER),
which makes the kernel enforce the modes exactly as for any user; the test first proves that the folder
really is read-only for that process.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from quizapp.study.scheduling import card_id_for
from quizapp.study.store import CardRow, NewReview, Store
from tests.reliability.summary import report
from tests.unprivileged import drop_permission_bypass
from tests.conftest import REPO
from tests.study_helpers import FIXTURE_DECK, fixture_deck

DAY_MS = 86_400_000
# Enough answers for any card of the fixture deck (Enter, letters, numbers, ratings), several times over.
ANSWERS = "\n3\na\n3\n0.75\n3\n\n3\n" * 20






# --- setting up --------------------------------------------------------------------------------------------


def make_database(data: Path, reviews: int = 3_000) -> Path:
    """A real quizapp database for the fixture deck: schedules due now and a history spanning many pages."""
    keys = [item.key for item in fixture_deck().items()]
    now = int(time.time() * 1000)
    with Store.open(data) as store:
        store.bulk_load(
            [CardRow(k, card_id_for(k), k.split("/")[0], 2, None, 5.0, 5.0, now - DAY_MS, now - 5 * DAY_MS, None)
             for k in keys],
            [NewReview(keys[i % len(keys)], card_id_for(keys[i % len(keys)]), 3, now - (reviews - i) * 60_000, 4_000,
                       "review", None, f"answer {i}") for i in range(reviews)],
        )
        assert store.integrity_ok()
    path = data / "quizapp.db"
    assert sorted(p.name for p in data.iterdir()) == ["quizapp.db"], "the store left a WAL behind on close"
    return path


def run_quizapp(data: Path, *command: str, unprivileged: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QUIZAPP_CONFIG": str(REPO / "tests" / "no-such-config.toml"), "PYTHONPATH": str(REPO)}
    env.pop("QUIZAPP_CONTENT", None)
    env.pop("QUIZAPP_DATA_DIR", None)
    preexec = drop_permission_bypass if unprivileged and os.geteuid() == 0 else None
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "--no-builtin", "--content", str(FIXTURE_DECK), "--data-dir", str(data),
         *command],
        input=ANSWERS, capture_output=True, text=True, env=env, cwd=REPO, timeout=60, preexec_fn=preexec,
    )


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file in `folder` (if it is one) with its content hash and modification time."""
    if not folder.is_dir():
        return {}
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir()) if p.is_file()}


def changes(before: dict[str, tuple[str, int]], after: dict[str, tuple[str, int]], folder: Path) -> list[str]:
    """Files changed, removed or added, except SQLite's own empty sidecars (an empty WAL writes nothing)."""
    empty_wal = (folder / "quizapp.db-wal").is_file() and (folder / "quizapp.db-wal").stat().st_size == 0
    harmless = {"quizapp.db-shm", "quizapp.db-wal"} if empty_wal else set()
    return sorted(name for name in before.keys() | after.keys()
                  if before.get(name) != after.get(name) and not (name not in before and name in harmless))


def is_read_only_for_children(path: Path) -> bool:
    """Whether a child run like run_quizapp(unprivileged=True) is refused writing to `path` (a folder or a file)."""
    before = snapshot(path.parent)
    target = path / "write-probe" if path.is_dir() else path
    code = f"open({str(target)!r}, 'a').close()"
    preexec = drop_permission_bypass if os.geteuid() == 0 else None
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, preexec_fn=preexec, timeout=30)
    return result.returncode != 0 and snapshot(path.parent) == before and not (path / "write-probe").exists()


# --- the faults ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    name: str
    setup: Callable[[Path], Path]  # given a scratch folder, returns the --data-dir to use
    says: tuple[str, ...]  # the message must contain one of these (lower case)
    read_only: tuple[str, ...] = ()  # paths in the data dir ("." for itself) the program must not be able to write
    must_not_say: tuple[str, ...] = ()
    readable: bool = False  # the database can still be read: `stats` may work instead of failing

    @property
    def unprivileged(self) -> bool:
        return bool(self.read_only)


def newer_schema(scratch: Path) -> Path:
    data = scratch / "data"
    database = make_database(data)
    import sqlite3

    connection = sqlite3.connect(database)
    connection.execute("PRAGMA user_version = 99")
    connection.commit()
    connection.close()
    return data


def truncated(keep: Callable[[int], int]) -> Callable[[Path], Path]:
    """Cut the database file down to `keep(size)` bytes."""

    def setup(scratch: Path) -> Path:
        data = scratch / "data"
        database = make_database(data)
        size = database.stat().st_size
        assert size > 100_000, "the database should span many pages"
        os.truncate(database, keep(size))
        return data

    return setup


def read_only_with_database(scratch: Path) -> Path:
    data = scratch / "data"
    database = make_database(data)
    database.chmod(0o444)
    data.chmod(0o555)
    return data


def read_only_empty(scratch: Path) -> Path:
    data = scratch / "data"
    data.mkdir()
    data.chmod(0o555)
    return data


def read_only_database_file(scratch: Path) -> Path:
    data = scratch / "data"
    make_database(data).chmod(0o444)
    return data


def under_a_regular_file(scratch: Path) -> Path:
    (scratch / "a-file").write_text("not a folder\n")
    return scratch / "a-file" / "data"


READ_ONLY_WORDS = ("read-only", "read only", "readonly", "permission", "cannot write", "not writable")
BROKEN_WORDS = ("not a usable", "malformed", "corrupt", "damaged", "not a database")
FAULTS = [
    Fault("newer schema (user_version 99)", newer_schema, ("newer",)),
    Fault("truncated to half", truncated(lambda size: size // 2), BROKEN_WORDS),
    Fault("truncated to the first page", truncated(lambda size: 4096), BROKEN_WORDS),
    Fault("truncated inside the header", truncated(lambda size: 50), BROKEN_WORDS),
    Fault("read-only data dir with a database", read_only_with_database, READ_ONLY_WORDS, (".", "quizapp.db"),
          must_not_say=("not a usable", "move it aside"), readable=True),
    Fault("read-only data dir, no database yet", read_only_empty, READ_ONLY_WORDS, (".",), readable=True),
    Fault("read-only database file", read_only_database_file, READ_ONLY_WORDS, ("quizapp.db",),
          must_not_say=("not a usable", "move it aside"), readable=True),
    Fault("data dir under a regular file", under_a_regular_file, ("not a directory", "cannot create")),
]
COMMANDS = (("review", "--plain"), ("stats",))


@dataclass
class Tally:
    runs: int = 0
    failures: list[str] = field(default_factory=list)


TALLY = Tally()


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault_gives_a_clear_message_and_leaves_the_database_alone(fault: Fault, tmp_path: Path,
                                                                   request: pytest.FixtureRequest) -> None:
    data = fault.setup(tmp_path)
    if not all(is_read_only_for_children(data / name) for name in fault.read_only):
        pytest.skip("cannot make files read-only for a child process here (no capability to drop?)")
    before = snapshot(data)
    problems = []
    for command in COMMANDS:
        TALLY.runs += 1
        result = run_quizapp(data, *command, unprivileged=fault.unprivileged)
        said = result.stderr.strip()
        where = f"`{' '.join(command)}`"
        after = snapshot(data)
        if changed := changes(before, after, data):
            problems.append(f"{where} changed the data dir: {changed}")
        if fault.readable and command == ("stats",) and result.returncode == 0:
            continue  # reading a read-only database is fine
        if result.returncode == 0:
            problems.append(f"{where} exited 0; stdout: {result.stdout[-300:]!r}")
        if "Traceback" in result.stderr + result.stdout:
            problems.append(f"{where} printed a traceback: {result.stderr[-600:]}")
        if not said.startswith("quizapp:"):
            problems.append(f"{where} gave no message of its own on stderr: {said[-300:]!r}")
        if not any(word in said.lower() for word in fault.says):
            problems.append(f"{where} does not say what is wrong (expected one of {fault.says}): {said[-300:]!r}")
        if any(word in said.lower() for word in fault.must_not_say):
            problems.append(f"{where} gives misleading advice for this fault: {said[-300:]!r}")
        if str(data) not in said:
            problems.append(f"{where} does not say which data dir or file: {said[-300:]!r}")
    TALLY.failures += [f"{fault.name}: {p}" for p in problems]
    report(request.config, f"data-dir faults: {TALLY.runs // len(COMMANDS)} faults x {len(COMMANDS)} commands = "
                           f"{TALLY.runs} runs, {len(TALLY.failures)} failing checks", name="data-dir faults")
    assert not problems, "\n".join(problems)
