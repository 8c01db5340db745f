"""Studying on several machines: each device appends its log entries to its own file in a folder that the
user already syncs (Syncthing, Dropbox, a git repository), and imports the other devices' files.

Layout: `SYNC_DIR/quizapp/<device-id>.jsonl`, one JSON object a line (see `FORMAT`):

    {"v": 1, "id": "<uuid>", "device": "<device-id>", "type": "review", "key": "topic/card",
     "time": "2026-03-02T09:00:00.000Z", "rating": 3, "mode": "review", "duration_ms": 5200, "due": "...", ...}

`type` is "review", one of the card events (suspend, unsuspend, bury, unbury, reset, flag, leech), or "undo"
(with `entry`, the id of the entry it takes back). A device only ever appends to its own file: opened with
O_APPEND, whole lines in one write, fsync'd, and only then is the export cursor moved on (a crash in between
writes the same lines again next time; they are de-duplicated by id). Files merge without conflicts because
no two devices write the same one.

Importing reads every other `*.jsonl` in the folder (conflict copies such as `x.sync-conflict-….jsonl` or
`x (1).jsonl` too) from the byte offset reached last time, up to its last complete line: a partial last line
(a file mid-copy) waits for the next sync. A line that is not a valid entry is reported once, with file:line,
and skipped; a line from a newer format stops that file there until quizapp is upgraded. Entries already known
(by id) are skipped, so a conflict copy never counts an entry twice; an undo removes its entry and leaves a
tombstone, so the entry stays undone whichever file brings it later. Everything a sync imports, and the new
offsets, go in one transaction: a sync killed half-way has imported nothing and the next one starts over.

Same state everywhere: the cards whose log changed are replayed (`replay.step`) in the order of
`replay.order_key` (time, then entry id), so clocks that disagree change only that order. State, step,
stability and difficulty come from fsrs with fuzz off, which is deterministic; the due date of a review is
the one its device chose (fuzz and load balancing depend on randomness and on that device's other cards), so
every device shows the same due date. Settings and FSRS parameters stay per device: with different
parameters, devices agree on the due dates but compute their own stability and difficulty.

When a card's new entries all come after its newest known one (the usual case: devices take turns), its
stored state is carried forward from there; otherwise the card's whole log is replayed.

Nothing here writes to the sync folder but this device's `.jsonl` file, and nothing read from it is
unpickled or executed: the content cache stays in the data folder, and a sync folder that holds the data
folder (or lies inside it) is refused.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from quizapp.config import Settings
from quizapp.errors import UserError
from quizapp.plural import counted
from quizapp.safetext import shown_path, unsafe_characters
from quizapp.study import totals
from quizapp.study.replay import order_key, step
from quizapp.study.scheduling import Scheduling, card_id_for
from quizapp.study.store import (
    EVENTS,
    CardMarks,
    CardRow,
    EventRow,
    LogRow,
    Store,
    forget,
    json_keys,
    write_card,
    write_cards,
    write_many_marks,
    write_marks,
)

__all__ = ["DEVICE_FILE", "FOLDER", "FORMAT", "DeviceStatus", "SyncReport", "SyncStatus", "device_id", "replay_card",
           "sync", "sync_if_set_up", "sync_status"]

FORMAT = 1  # the version of a line; a newer one waits for an upgrade
FOLDER = "quizapp"  # inside the sync folder, so it can be shared with other things
DEVICE_FILE = "device-id"  # in the data folder
_DEVICE_ID = re.compile(r"^[0-9a-z][0-9a-z-]{3,63}$")
_MODES = ("review", "quiz", "cram", "interview")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MS = timedelta(milliseconds=1)
# Times a line may hold: the scheduler adds up to 100 years to a review's time, and Python's dates end in 9999
_FIRST_YEAR, _LAST_YEAR = 1970, 2200
_AHEAD_MS = 24 * 3_600_000  # how far ahead of this machine's clock an entry may be dated (clocks disagree)
_MAX_KEY = 500
_MAX_TEXT = 100_000
_EXPORT = "sync.export"  # meta: how far this device's entries were written, to which folder
_LAST = "sync.last"  # meta: what the last sync did


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one sync did. `warnings` are why it could not do all of it (the next sync catches up)."""

    exported: int = 0
    imported: int = 0
    undone: int = 0
    cards_replayed: int = 0
    problems: tuple[str, ...] = ()  # lines skipped, as `file:line: what is wrong`
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        parts = [f"exported {self.exported}", f"imported {self.imported}"]
        if self.undone:
            parts.append(f"undid {self.undone}")
        if self.problems:
            parts.append(f"skipped {counted(len(self.problems), 'unreadable line')}")
        return "sync: " + ", ".join(parts)

    def notices(self) -> list[str]:
        """What a user should see after an automatic sync: warnings and skipped lines, else nothing."""
        shown = list(self.warnings) + list(self.problems[:5])
        if len(self.problems) > 5:
            shown.append(f"... and {len(self.problems) - 5} more unreadable lines (run `quizapp sync` to see them)")
        return shown


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    device: str
    files: tuple[str, ...]
    last_entry_ms: int | None
    imported: int
    skipped: int
    read_ms: int | None


@dataclass(frozen=True, slots=True)
class SyncStatus:
    device: str
    folder: Path
    exported: int
    last_export_ms: int | None
    devices: tuple[DeviceStatus, ...]
    last_sync: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Undo:
    uid: str
    device: str
    entry: str
    at_ms: int


@dataclass(frozen=True, slots=True)
class _Chunk:
    """The complete new lines of one file, read from `offset`, and where reading stopped."""

    path: Path
    entries: list[tuple[int, LogRow | EventRow | _Undo]]  # (line number, entry)
    problems: list[str]
    offset: int
    line: int
    device: str | None
    last_ms: int | None


# --- the device -----------------------------------------------------------------------------------


def device_id(data_dir: Path) -> str:
    """This device's id: random, made at first use and kept in the data folder (never in the sync folder)."""
    path = data_dir / DEVICE_FILE
    try:
        text = path.read_text(encoding="ascii").strip()
        if _DEVICE_ID.match(text):
            return text
    except (OSError, UnicodeDecodeError):
        pass
    made = secrets.token_hex(6)
    data_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(DEVICE_FILE + ".partial")
    partial.write_text(made + "\n", encoding="ascii")
    os.replace(partial, path)
    return made


# --- one sync -------------------------------------------------------------------------------------


def sync(store: Store, data_dir: Path, sync_dir: Path, settings: Settings, *, now_ms: int | None = None) -> SyncReport:
    """Export this device's new entries, then import the other devices'. A folder that is missing or cannot be
    written is a warning in the report, never an exception; a database error is the store's StoreError."""
    now_ms = now_ms if now_ms is not None else int(time.time() * 1000)
    device = device_id(data_dir)
    folder = sync_dir / FOLDER
    if not sync_dir.is_dir():
        return _finish(store, now_ms, SyncReport(warnings=(
            f"the sync folder {sync_dir} does not exist (not mounted?); the next sync catches up",)))
    if _overlap(data_dir, sync_dir):
        return _finish(store, now_ms, SyncReport(warnings=(
            f"the sync folder {sync_dir} and the data folder {data_dir} are inside one another; the data folder "
            "(its database and content cache) belongs to this machine only: pick a sync folder apart from it",)))
    warnings: list[str] = []
    count, exported = 0, {}
    try:
        folder.mkdir(exist_ok=True)
        count, exported = _export(store, folder, device, sync_dir)
    except _NotAFile as odd:
        warnings.append(f"{shown_path(odd.path)} is {odd.what}, not this device's file: remove it (a sync tool "
                        "or someone "
                        "sharing the folder put it there); this device's entries stay here until then")
    except OSError as exc:
        warnings.append(f"cannot write to the sync folder {shown_path(folder)}: {exc.strerror or exc}; this "
                        "device's entries "
                        "stay here until a later sync can write them")
    try:
        chunks = _read_new(store, folder, device, warnings, now_ms)
    except OSError as exc:
        warnings.append(f"cannot read the sync folder {shown_path(folder)}: {exc.strerror or exc}")
        chunks = []
    report = _import(store, chunks, exported, settings, now_ms)
    return _finish(store, now_ms, replace(report, exported=count, warnings=(*warnings, *report.warnings)))


def _overlap(data_dir: Path, sync_dir: Path) -> bool:
    data, shared = data_dir.resolve(), sync_dir.resolve()
    return data == shared or data.is_relative_to(shared) or shared.is_relative_to(data)


def sync_if_set_up(store: Store, data_dir: Path, settings: Settings) -> SyncReport | None:
    """The automatic sync at the start and end of a session: None when no sync folder is set, and any
    problem (a locked database, an unreadable folder) a warning in the report, so study goes on."""
    folder = settings.sync_path
    if folder is None:
        return None
    try:
        return sync(store, data_dir, folder, settings)
    except (UserError, OSError) as exc:
        return SyncReport(warnings=(f"sync skipped: {exc}; the next sync catches up",))


def _finish(store: Store, now_ms: int, report: SyncReport) -> SyncReport:
    last = {"at_ms": now_ms, "exported": report.exported, "imported": report.imported, "undone": report.undone,
            "problems": len(report.problems), "warnings": list(report.warnings)}
    store.set_meta(_LAST, json.dumps(last))
    return report


# --- export ---------------------------------------------------------------------------------------


def _export(store: Store, folder: Path, device: str, sync_dir: Path) -> tuple[int, dict[str, int]]:
    """Append this device's entries not written yet to its file: how many, and for each card with a review or
    card event among them the earliest one's time."""
    path = folder / f"{device}.jsonl"
    if path.is_symlink():
        raise _NotAFile(path, "a symbolic link")  # appending through it would write to whatever file it names
    if path.exists() and not path.is_file():
        raise _NotAFile(path, "not a regular file")  # a named pipe would block the open for ever
    cursor = json.loads(store.meta(_EXPORT) or "{}")
    size = path.stat().st_size if path.exists() else 0
    if cursor.get("dir") != str(sync_dir) or size < cursor.get("size", 0):
        cursor = {"dir": str(sync_dir), "count": 0}  # a new folder, or our file was lost: write everything again
    position = {"review": cursor.get("review", 0), "event": cursor.get("event", 0),
                "undone": cursor.get("undone", 0), "last_ms": cursor.get("last_ms")}
    earliest: dict[str, int] = {}
    count, descriptor, created = 0, None, not path.exists()
    try:
        for lines in _export_batches(store, device, position, earliest):
            if descriptor is None:
                descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NO_FOLLOW, 0o644)
                if size and not _ends_with_newline(path):
                    _write_all(descriptor, b"\n")  # a write cut short by a crash: its partial line stays alone
            _write_all(descriptor, "".join(lines).encode("utf-8"))
            count += len(lines)
        if descriptor is None:
            return 0, {}
        os.fsync(descriptor)
    finally:
        if descriptor is not None:
            os.close(descriptor)
    if created:
        _fsync_folder(folder)
    cursor.update(position, size=path.stat().st_size, count=cursor.get("count", 0) + count)
    store.set_meta(_EXPORT, json.dumps(cursor))
    return count, earliest


class _NotAFile(OSError):
    """This device's file in the sync folder is a symbolic link, a pipe or a folder."""

    def __init__(self, path: Path, what: str) -> None:
        super().__init__(f"{path} is {what}")
        self.path, self.what = path, what


_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]


_BATCH = 10_000  # lines built and written at a time, so a first export of a long history stays small in memory


def _export_batches(store: Store, device: str, position: dict, earliest: dict[str, int]) -> Iterator[list[str]]:
    """This device's entries after `position` as lines, a batch at a time; `position` and `earliest` follow."""
    def note(key: str, at: int) -> None:
        earliest[key] = min(at, earliest.get(key, at))
        position["last_ms"] = max(position["last_ms"] or at, at)

    while rows := store.rows(
            "SELECT id, uid, key, card_id, rating, reviewed_ms, duration_ms, mode, correct, answer, seed, content_hash, "
            "detail, due_ms FROM review_log WHERE id > ? AND origin IS NULL ORDER BY id LIMIT ?",
            (position["review"], _BATCH)):
        lines = []
        for (position["review"], uid, key, card_id, rating, at, duration, mode, correct, answer, seed, content_hash,
             detail, due) in rows:
            lines.append(_line({"v": FORMAT, "id": uid, "device": device, "type": "review", "key": key,
                                "time": _iso(at), "card_id": card_id, "rating": rating, "mode": mode,
                                "duration_ms": duration, "correct": None if correct is None else bool(correct),
                                "answer": answer, "seed": seed, "content_hash": content_hash, "detail": detail,
                                "due": None if due is None else _iso(due)}))
            note(key, at)
        yield lines
    while rows := store.rows("SELECT id, uid, key, event, value, at_ms FROM card_event "
                             "WHERE id > ? AND origin IS NULL ORDER BY id LIMIT ?", (position["event"], _BATCH)):
        lines = []
        for position["event"], uid, key, event, value, at in rows:
            lines.append(_line({"v": FORMAT, "id": uid, "device": device, "type": event, "key": key,
                                "time": _iso(at), "value": value}))
            note(key, at)
        yield lines
    while rows := store.rows("SELECT seq, uid, at_ms FROM undone WHERE seq > ? AND origin IS NULL ORDER BY seq "
                             "LIMIT ?", (position["undone"], _BATCH)):
        lines = []
        for position["undone"], uid, at in rows:
            # The undo's own id is derived from the entry's, so the same undo written twice is still one.
            lines.append(_line({"v": FORMAT, "id": _undo_id(uid), "device": device, "type": "undo", "entry": uid,
                                "time": _iso(at)}))
        yield lines


def _undo_id(entry_uid: str) -> str:
    return f"undo-{entry_uid}"


def _line(entry: dict) -> str:
    return json.dumps({k: v for k, v in entry.items() if v is not None}, ensure_ascii=False,
                      separators=(",", ":")) + "\n"


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every system; the file itself is on disk
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


# --- reading other devices' files -----------------------------------------------------------------


_MAX_LINE = 2**21  # bytes: an entry's texts are at most 100,000 characters each, six bytes at most per character
_READ_AT_ONCE = 2**26  # bytes of new lines read by one sync over all files, so memory stays bounded
_BLOCK = 2**16


def _read_new(store: Store, folder: Path, device: str, warnings: list[str], now_ms: int) -> list[_Chunk]:
    """The other devices' files' new complete lines, as chunks; a file left unread, or read in part (more
    than `_READ_AT_ONCE` bytes of new lines), is a warning."""
    known = {path: (offset, line) for path, offset, line in store.rows("SELECT path, offset, line FROM sync_file")}
    own = f"{device}.jsonl"
    chunks: list[_Chunk] = []
    budget = _READ_AT_ONCE
    for path in sorted(folder.glob("*.jsonl")):
        if path.name == own or not path.is_file():
            continue
        if path.is_symlink():  # it could name any file; a sync tool writes files
            warnings.append(f"{shown_path(path)} is a symbolic link, not a device's file: not read")
            continue
        offset, line = known.get(str(path), (0, 0))
        size = path.stat().st_size
        if size < offset:
            offset, line = 0, 0  # the file was replaced by a shorter one: read it all again (ids de-duplicate)
        if size == offset:
            continue
        if budget <= 0:
            return _read_in_part(chunks, warnings)
        with open(path, "rb") as handle:
            handle.seek(offset)
            chunk = _parse_chunk(path, _complete_lines(handle, budget), offset, line, now_ms)
        budget -= chunk.offset - offset
        if chunk.offset > offset or chunk.problems:
            chunks.append(chunk)
        if budget <= 0 and chunk.offset < size:
            return _read_in_part(chunks, warnings)
    return chunks


def _read_in_part(chunks: list[_Chunk], warnings: list[str]) -> list[_Chunk]:
    warnings.append(f"the other devices' files hold more than {_READ_AT_ONCE // 2**20} MB of new entries; this "
                    "sync read that much: run `quizapp sync` again to read on")
    return chunks


def _complete_lines(handle, budget: int) -> Iterator[bytes | int]:
    """The complete lines from where `handle` stands, until about `budget` bytes are read. A line longer than
    `_MAX_LINE` comes as its length, never held whole; a partial last line (a file mid-copy) is left."""
    read = 0
    while read < budget:
        raw = handle.readline(_MAX_LINE + 1)
        if raw.endswith(b"\n"):
            read += len(raw)
            yield raw
            continue
        if len(raw) <= _MAX_LINE:
            return  # the end of the file, maybe within a line still being copied
        length = _skip_line(handle)
        if length is None:
            return
        read += len(raw) + length
        yield len(raw) + length


def _skip_line(handle) -> int | None:
    """Read on to the end of the line: how many bytes that took, or None when the file ends first."""
    skipped = 0
    while block := handle.read(_BLOCK):
        end = block.find(b"\n")
        if end >= 0:
            handle.seek(end + 1 - len(block), os.SEEK_CUR)
            return skipped + end + 1
        skipped += len(block)
    return None


def _parse_chunk(path: Path, lines: Iterator[bytes | int], offset: int, line: int, now_ms: int) -> _Chunk:
    """The entries of `lines`, up to a line this quizapp cannot read yet: one in a newer format, or dated more
    than a day ahead of this machine (a forged or wrong clock: as replay goes in time order, it would
    overrule every review made here until then). Reading starts again there at the next sync."""
    entries: list[tuple[int, LogRow | EventRow | _Undo]] = []
    problems: list[str] = []
    device, last_ms = None, None
    position, number = offset, line
    for number, raw in enumerate(lines, start=line + 1):
        try:
            entry = _parse_line(raw)
        except _Newer as newer:
            problems.append(f"{shown_path(path)}:{number}: {newer}; upgrade quizapp to read this file further")
            return _Chunk(path, entries, problems, position, number - 1, device, last_ms)
        except ValueError as exc:
            problems.append(f"{shown_path(path)}:{number}: {exc}; skipped")
            entry = None
        if entry is not None and _entry_ms(entry) > now_ms + _AHEAD_MS:
            problems.append(f"{shown_path(path)}:{number}: dated {_iso(_entry_ms(entry))}, more than a day "
                            "ahead of this "
                            "machine's clock; this file is read on from here once that time comes (is the clock of "
                            "the device that wrote it right?)")
            return _Chunk(path, entries, problems, position, number - 1, device, last_ms)
        position += raw if isinstance(raw, int) else len(raw)
        if entry is not None:
            entries.append((number, entry))
            device = entry.origin if not isinstance(entry, _Undo) else entry.device
            at = _entry_ms(entry)
            last_ms = at if last_ms is None else max(last_ms, at)
    return _Chunk(path, entries, problems, position, number, device, last_ms)


def _entry_ms(entry: LogRow | EventRow | _Undo) -> int:
    return entry.reviewed_ms if isinstance(entry, LogRow) else entry.at_ms


class _Newer(ValueError):
    """A line in a format newer than this quizapp reads."""


def _parse_line(raw: bytes | int) -> LogRow | EventRow | _Undo | None:
    """The entry a line holds; None for a blank line; ValueError saying what is wrong with any other (a line
    too long to read comes as its length)."""
    if isinstance(raw, int):
        raise ValueError(f"a line of {raw:,} bytes, longer than any entry ({_MAX_LINE:,} bytes)")
    if not raw.strip():
        return None
    try:
        obj = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):  # RecursionError: [[[[... nested deep
        raise ValueError("not a JSON line (a damaged or half-copied entry)") from None
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    version = obj.get("v")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError("no format version 'v'")
    if version > FORMAT:
        raise _Newer(f"format version {version} (this quizapp reads {FORMAT})")
    uid = _text(obj, "id", required=True, limit=100)
    device = _text(obj, "device", required=True, limit=64)
    kind = _text(obj, "type", required=True, limit=20)
    at_ms = _time(obj, "time", required=True)
    if kind == "undo":
        return _Undo(uid, device, _text(obj, "entry", required=True, limit=100), at_ms)
    key = _text(obj, "key", required=True, limit=_MAX_KEY)
    if "/" not in key:
        raise ValueError(f"card key {key!r} is not topic/id")
    if kind in EVENTS:
        value = _integer(obj, "value")
        if (kind == "flag" and value not in (0, 1, 2, 3, 4)) or (kind == "bury" and value is None):
            raise ValueError(f"{kind} with value {value!r}")
        return EventRow(0, key, kind, value, at_ms, CardMarks().to_json(), None, uid, device)
    if kind != "review":
        raise ValueError(f"unknown entry type {kind!r}")
    rating = _integer(obj, "rating")
    if rating not in (1, 2, 3, 4):
        raise ValueError(f"rating {rating!r} is not 1-4")
    mode = _text(obj, "mode", required=True, limit=20)
    if mode not in _MODES:
        raise ValueError(f"unknown mode {mode!r}")
    correct = obj.get("correct")
    if correct is not None and not isinstance(correct, bool):
        raise ValueError("'correct' is not true or false")
    card_id = _integer(obj, "card_id")
    return LogRow(0, key, card_id if card_id is not None else card_id_for(key), rating, at_ms,
                  _integer(obj, "duration_ms"), mode, correct, _text(obj, "answer", limit=_MAX_TEXT),
                  _integer(obj, "seed"), _text(obj, "content_hash", limit=200), None,
                  _text(obj, "detail", limit=_MAX_TEXT), uid, _time(obj, "due"), device)


def _text(obj: dict, name: str, *, required: bool = False, limit: int) -> str | None:
    value = obj.get(name)
    if value is None:
        if required:
            raise ValueError(f"no '{name}'")
        return None
    if not isinstance(value, str) or not value or len(value) > limit:
        raise ValueError(f"'{name}' is not a text of 1 to {limit} characters")
    # isprintable() is false for every control character (and more): the search runs only for those
    if name in ("id", "device", "key", "type", "mode", "entry") and not value.isprintable() and unsafe_characters(value):
        raise ValueError(f"'{name}' holds control characters")
    return value


def _integer(obj: dict, name: str) -> int | None:
    value = obj.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not -(2**63) <= value < 2**63:
        raise ValueError(f"'{name}' is not a whole number")
    return value


def _time(obj: dict, name: str, *, required: bool = False) -> int | None:
    value = obj.get(name)
    if value is None:
        if required:
            raise ValueError(f"no '{name}'")
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValueError(f"'{name}' is not a UTC time like 2026-03-02T09:00:00.000Z")
    if not _FIRST_YEAR <= _utc_year(moment) < _LAST_YEAR:
        raise ValueError(f"'{name}' is not a time between {_FIRST_YEAR} and {_LAST_YEAR}: {value}")
    return (moment - _EPOCH) // _MS


def _utc_year(moment: datetime) -> int:
    try:
        return moment.astimezone(timezone.utc).year
    except OverflowError:  # 0001-01-01 east of UTC, 9999-12-31 west of it
        return moment.year - 1 if moment.year == 1 else moment.year + 1


def _iso(ms: int) -> str:
    return (_EPOCH + ms * _MS).isoformat(timespec="milliseconds").removesuffix("+00:00") + "Z"


# --- import ---------------------------------------------------------------------------------------


def _import(store: Store, chunks: list[_Chunk], exported: dict[str, int], settings: Settings,
            now_ms: int) -> SyncReport:
    """Import the chunks' new entries and replay their cards, in one transaction. A card this device changed
    at a moment before an entry already imported (its clock is behind) is replayed too: it was scheduled in
    the order things happened here, the other devices replay it in the order of time."""
    problems = [problem for chunk in chunks for problem in chunk.problems]
    behind = {key for key, at in exported.items() if _has_later(store, key, at)} if exported and _imported_any(store) \
        else set()
    if not chunks and not behind:
        return SyncReport(problems=tuple(problems))
    scheduling = Scheduling(settings.model_copy(update={"enable_fuzzing": False}))
    undone = 0
    with store.transaction() as db, _larger_cache(db):
        last_id = db.execute("SELECT COALESCE(MAX(id), 0) FROM review_log").fetchone()[0]
        replay_all: set[str] = set(behind)
        counts = {str(chunk.path): 0 for chunk in chunks}
        undo_days: list[tuple[str, int]] = []
        for chunk in chunks:  # undos first: their tombstones keep out the entries they name, whichever file has them
            for _, entry in chunk.entries:
                if isinstance(entry, _Undo) and (result := _undo(db, entry)) is not None:
                    key, day = result
                    replay_all.add(key)
                    undone += 1
                    counts[str(chunk.path)] += 1
                    if day is not None:
                        undo_days.append((key, day))
        candidates = [(str(chunk.path), entry) for chunk in chunks for _, entry in chunk.entries
                      if not isinstance(entry, _Undo)]
        known = _known(db, [entry.uid for _, entry in candidates])
        fresh: dict[str, LogRow | EventRow] = {}
        for path, entry in candidates:
            if entry.uid not in known and entry.uid not in fresh:
                fresh[entry.uid] = entry
                counts[path] += 1
        by_key: dict[str, list[LogRow | EventRow]] = {}
        for entry in fresh.values():
            by_key.setdefault(entry.key, []).append(entry)
        for entries in by_key.values():
            entries.sort(key=order_key)
        newest = _newest(db, list(by_key))
        later = {key: entries for key, entries in by_key.items()
                 if key not in replay_all and (key not in newest or order_key(entries[0])[0] > newest[key])}
        _carry_forward(db, later, scheduling)
        for key, entries in by_key.items():
            if key not in later:
                _insert(db, entries)
                replay_all.add(key)
        for key in replay_all:
            replay_card(store, db, key, scheduling)
        totals.add_after(db, last_id)
        totals.refresh_first_of_day(db, undo_days)
        for chunk in chunks:
            db.execute(
                "INSERT INTO sync_file (path, offset, line, device, last_ms, imported, skipped, read_ms) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET offset = excluded.offset, "
                "line = excluded.line, device = COALESCE(excluded.device, device), "
                "last_ms = MAX(COALESCE(last_ms, excluded.last_ms), COALESCE(excluded.last_ms, last_ms)), "
                "imported = imported + excluded.imported, skipped = skipped + excluded.skipped, "
                "read_ms = excluded.read_ms",
                (str(chunk.path), chunk.offset, chunk.line, chunk.device, chunk.last_ms, counts[str(chunk.path)],
                 len(chunk.problems), now_ms))
    return SyncReport(imported=len(fresh), undone=undone, cards_replayed=len(by_key.keys() | replay_all),
                      problems=tuple(problems))


@contextmanager
def _larger_cache(db) -> Iterator[None]:
    """64 MB of page cache while importing: the UUID index is written at random places."""
    size = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute("PRAGMA cache_size = -65536")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(size)}")


def _imported_any(store: Store) -> bool:
    return bool(store.rows("SELECT EXISTS (SELECT 1 FROM sync_file WHERE imported > 0)")[0][0])


def _has_later(store: Store, key: str, at_ms: int) -> bool:
    return bool(store.rows(
        "SELECT EXISTS (SELECT 1 FROM review_log WHERE key = ?1 AND mode = 'review' AND reviewed_ms > ?2 "
        "AND origin IS NOT NULL) OR EXISTS (SELECT 1 FROM card_event WHERE key = ?1 AND at_ms > ?2 "
        "AND origin IS NOT NULL)", (key, at_ms))[0][0])


def _known(db, uids: list[str]) -> set[str]:
    """The ids among `uids` of entries this store has, or had and undid."""
    return {uid for (uid,) in db.execute(
        "SELECT value FROM json_each(?) AS wanted WHERE EXISTS (SELECT 1 FROM review_log WHERE uid = wanted.value) "
        "OR EXISTS (SELECT 1 FROM card_event WHERE uid = wanted.value) "
        "OR EXISTS (SELECT 1 FROM undone WHERE uid = wanted.value)", (json_keys(uids),))}


def _newest(db, keys: list[str]) -> dict[str, int]:
    """The time of each card's newest stored entry (scheduled review or card event); cards with none are left out."""
    # The newest scheduled review walks the (key, reviewed_ms) index backwards and stops at the first one; a
    # MAX() with `mode = 'review'` would read every review of the card from the table.
    rows = db.execute(
        "SELECT wanted.value, (SELECT reviewed_ms FROM review_log WHERE key = wanted.value AND mode = 'review' "
        "ORDER BY reviewed_ms DESC LIMIT 1), (SELECT MAX(at_ms) FROM card_event WHERE key = wanted.value) "
        "FROM json_each(?) AS wanted", (json_keys(keys),))
    return {key: max(at for at in (review, event) if at is not None)
            for key, review, event in rows if review is not None or event is not None}


def _undo(db, undo: _Undo) -> tuple[str, int | None] | None:
    """Take back the entry an imported undo names: (its card key, the UTC day of a removed review), or None
    when it was already undone or is not here (its tombstone keeps it out should it arrive later)."""
    if db.execute("SELECT 1 FROM undone WHERE uid = ?", (undo.entry,)).fetchone():
        return None
    forget(db, undo.entry, undo.at_ms, origin=undo.device)
    review = db.execute("SELECT id, key, reviewed_ms FROM review_log WHERE uid = ?", (undo.entry,)).fetchone()
    if review is not None:
        log_id, key, at = review
        totals.remove(db, log_id)
        db.execute("DELETE FROM review_log WHERE id = ?", (log_id,))
        return key, at // totals.DAY_MS
    event = db.execute("SELECT id, key FROM card_event WHERE uid = ?", (undo.entry,)).fetchone()
    if event is not None:
        db.execute("DELETE FROM card_event WHERE id = ?", (event[0],))
        return event[1], None
    return None


def _carry_forward(db, later: dict[str, list[LogRow | EventRow]], scheduling: Scheduling) -> None:
    """Apply new entries that all come after their card's stored ones, from the card's stored state."""
    states, marks = _stored(db, list(later))
    entries: list[LogRow | EventRow] = []
    befores: list[tuple[CardRow | None, CardMarks]] = []
    changed_states: dict[str, CardRow | None] = {}
    changed_marks: dict[str, CardMarks] = {}
    for key in sorted(later):  # in key order, the log's (key, time) index is written in one sweep
        state = start_state = states.get(key)
        mark = start_marks = marks.get(key, CardMarks())
        for entry in later[key]:
            entries.append(entry)
            befores.append((state, mark))
            state, mark = step(entry, state, mark, scheduling)
        if state != start_state:
            changed_states[key] = state
        if mark != start_marks:
            changed_marks[key] = mark
    write_cards(db, changed_states)
    write_many_marks(db, changed_marks)
    _insert(db, entries, befores)


def _stored(db, keys: list[str]) -> tuple[dict[str, CardRow], dict[str, CardMarks]]:
    """The stored schedule and marks of each of `keys` that has them."""
    states: dict[str, CardRow] = {}
    marks: dict[str, CardMarks] = {}
    wanted = json_keys(keys)
    columns = ", ".join(f"card.{name}" for name in CardRow.__slots__)
    for row in db.execute(f"SELECT {columns} FROM json_each(?) AS wanted JOIN card_state AS card "
                          "ON card.key = wanted.value", (wanted,)):
        states[row[0]] = CardRow(*row)
    for key, suspended, buried, flag, leech in db.execute(
            "SELECT mark.key, suspended, buried_until_ms, flag, leech FROM json_each(?) AS wanted "
            "JOIN card_mark AS mark ON mark.key = wanted.value", (wanted,)):
        marks[key] = CardMarks(bool(suspended), buried, int(flag), bool(leech))
    return states, marks


def _insert(db, entries: list[LogRow | EventRow],
            befores: list[tuple[CardRow | None, CardMarks]] | None = None) -> None:
    """Store imported entries, with the state each was made from when it is known (else `replay_card`
    fills it in)."""
    reviews, events = [], []
    for index, entry in enumerate(entries):
        state, marks = befores[index] if befores is not None else (None, CardMarks())
        if isinstance(entry, LogRow):
            scheduled = entry.mode == "review"
            before, prev_state, prev_interval = _before_columns(state if scheduled else None)
            reviews.append((entry.key, entry.card_id, entry.rating, entry.reviewed_ms, entry.duration_ms, entry.mode,
                            None if entry.correct is None else int(entry.correct), entry.answer, entry.seed,
                            entry.content_hash, before, entry.detail, entry.uid, entry.due_ms if scheduled else None,
                            entry.origin, prev_state, prev_interval))
        else:
            events.append((entry.key, entry.event, entry.value, entry.at_ms, marks.to_json(),
                           state.to_json() if entry.event == "reset" and state else None, entry.uid, entry.origin))
    db.executemany(
        "INSERT INTO review_log (key, card_id, rating, reviewed_ms, duration_ms, mode, correct, answer, seed, "
        "content_hash, state_before, detail, uid, due_ms, origin, prev_state, prev_interval_ms, first_of_day) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)", reviews)
    db.executemany("INSERT INTO card_event (key, event, value, at_ms, marks_before, state_before, uid, origin) "
                   "VALUES (?,?,?,?,?,?,?,?)", events)


def _before_columns(state: CardRow | None) -> tuple[str | None, int | None, int | None]:
    """state_before, prev_state and prev_interval_ms of a review made from `state`, as `Store.record` writes."""
    if state is None:
        return None, None, None
    interval = state.due_ms - state.last_review_ms if state.last_review_ms is not None else None
    return state.to_json(), state.state, interval


def replay_card(store: Store, db, key: str, scheduling: Scheduling) -> None:
    """Replay one card's whole log: its schedule, its marks, and the state each entry was made from (written
    only where it changed: the entries before the first new one keep theirs)."""
    reviews = store.log(key, modes=["review"])
    events = store.events(key)
    stored = {log_id: tuple(before) for log_id, *before in db.execute(
        "SELECT id, state_before, prev_state, prev_interval_ms FROM review_log WHERE key = ? AND mode = 'review'",
        (key,))}
    review_updates, event_updates = [], []
    state: CardRow | None = None
    marks = CardMarks()
    for entry in sorted([*reviews, *events], key=order_key):
        if isinstance(entry, LogRow):
            if (before := _before_columns(state)) != stored[entry.id]:
                review_updates.append((*before, entry.id))
        elif (before := (marks.to_json(), state.to_json() if entry.event == "reset" and state else None)) \
                != (entry.marks_before, entry.state_before):
            event_updates.append((*before, entry.id))
        state, marks = step(entry, state, marks, scheduling)
    db.executemany("UPDATE review_log SET state_before = ?, prev_state = ?, prev_interval_ms = ? WHERE id = ?",
                   review_updates)
    db.executemany("UPDATE card_event SET marks_before = ?, state_before = ? WHERE id = ?", event_updates)
    write_card(db, key, state)
    write_marks(db, key, marks)


# --- status ---------------------------------------------------------------------------------------


def sync_status(store: Store, data_dir: Path, sync_dir: Path) -> SyncStatus:
    """The devices seen in the sync folder, what was read from each, and what this device wrote."""
    cursor = json.loads(store.meta(_EXPORT) or "{}")
    if cursor.get("dir") != str(sync_dir):
        cursor = {}
    devices: dict[str, list[tuple]] = {}
    for row in store.rows("SELECT path, device, last_ms, imported, skipped, read_ms FROM sync_file ORDER BY path"):
        devices.setdefault(row[1] or "?", []).append(row)
    folder = sync_dir / FOLDER
    seen = [DeviceStatus(device, tuple(Path(row[0]).name for row in rows),
                         max((row[2] for row in rows if row[2] is not None), default=None),
                         sum(row[3] for row in rows), sum(row[4] for row in rows),
                         max((row[5] for row in rows if row[5] is not None), default=None))
            for device, rows in sorted(devices.items()) if all(Path(row[0]).parent == folder for row in rows)]
    return SyncStatus(device_id(data_dir), folder, cursor.get("count", 0), cursor.get("last_ms"), tuple(seen),
                      json.loads(store.meta(_LAST) or "{}"))

