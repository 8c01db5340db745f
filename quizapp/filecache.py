"""A cache of what was read from files, keyed on each file's path, size and modification time.

A warm start then skips parsing and validating files that did not change (content files, config.toml).
`load` keeps one entry per file; `load_group` keeps one entry for a whole set of files (the deck), so a
start with a hundred unchanged content files reads one cache file, not a hundred. The cache lives in the
user's data dir; an unreadable or stale entry is simply rebuilt, never trusted.

Entries are pickles (protocol 5) with their large buffers (the cards' text, see `deck.model.Lazy`) stored after
the pickle and mapped, not read: a start that never shows a card's text never pages it in. A mapping keeps
the file it was made from, so replacing an entry under a running app is safe.
"""

from __future__ import annotations

import mmap
import os
import pickle
import struct
import zlib
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import TypeVar

from quizapp import __version__

__all__ = ["FileCache"]

T = TypeVar("T")


class FileCache:
    """Entries in `folder`; `salt` is whatever else the cached results depend on (code versions, say)."""

    def __init__(self, folder: Path, salt: Hashable = ()) -> None:
        self.folder = folder
        self.salt = salt

    def load(self, path: Path, loader: Callable[[Path], T]) -> T:
        """`loader(path)`, or what it returned last time if the file has not changed since."""
        signature = _signature(path)
        if signature is None:
            return loader(path)
        return self._cached(signature[0], (signature,), lambda: loader(path))

    def load_group(self, name: str, paths: Sequence[Path], loader: Callable[[], T], *, extra: Hashable = ()) -> T:
        """`loader()`, or what it returned last time if none of `paths` has changed since (nor `extra`)."""
        signatures = tuple(_signature(path) for path in paths)
        if None in signatures:
            return loader()
        return self._cached(name, (signatures, extra), loader)

    def _cached(self, name: str, key_part: Hashable, loader: Callable[[], T]) -> T:
        key = (__version__, self.salt, key_part)
        # The name only spreads entries over files; the key inside decides whether an entry is used.
        entry = self.folder / f"{zlib.crc32(name.encode()):08x}.pickle"
        found, cached = self._read(entry, key)
        if found:
            return cached
        loaded = loader()
        self._write(entry, key, loaded)
        return loaded

    @staticmethod
    def _read(entry: Path, key: tuple) -> tuple[bool, object]:
        try:
            with entry.open("rb") as handle:
                mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # missing, or empty
            return False, None
        try:
            return True, _unpack(mapped, key)
        except Exception:  # stale, truncated or from another version: rebuild
            try:
                mapped.close()  # now, so that (on Windows) the entry can be replaced
            except BufferError:
                pass  # a half-built object still holds a view; the mapping goes with it
            return False, None

    def _write(self, entry: Path, key: tuple, loaded: object) -> None:
        temporary = entry.with_suffix(f".{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as handle:
                handle.writelines(_pack(key, loaded))
            temporary.replace(entry)
        except OSError:  # a read-only data dir, say: it only costs speed
            try:
                temporary.unlink(missing_ok=True)
            except OSError:
                pass


# An entry: <header length: 8 bytes><header: pickled (key, payload length, buffer lengths)><payload><buffers...>
# The key is in the header so that a stale entry is turned down before anything of it is unpickled.
_HEADER_LENGTH = struct.Struct("<Q")


class _Stale(Exception):
    pass


def _pack(key: tuple, value: object) -> list[bytes | memoryview]:
    buffers: list[pickle.PickleBuffer] = []
    payload = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
    raws = [buffer.raw() for buffer in buffers]
    header = pickle.dumps((key, len(payload), [len(raw) for raw in raws]), protocol=5)
    return [_HEADER_LENGTH.pack(len(header)), header, payload, *raws]


def _unpack(mapped: mmap.mmap, key: tuple) -> object:
    start = _HEADER_LENGTH.size + _HEADER_LENGTH.unpack_from(mapped)[0]
    stored_key, payload_length, lengths = pickle.loads(mapped[_HEADER_LENGTH.size:start])
    if stored_key != key or start + payload_length + sum(lengths) != len(mapped):
        raise _Stale
    view = memoryview(mapped)
    position = start + payload_length
    buffers = []
    for length in lengths:
        buffers.append(view[position:position + length])
        position += length
    try:
        return pickle.loads(view[start:start + payload_length], buffers=buffers)
    except Exception:
        for buffer in buffers:
            buffer.release()
        view.release()
        raise


def _signature(path: Path) -> tuple[str, int, int] | None:
    """(absolute path, size, mtime in ns), or None if the file cannot be examined."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return os.path.abspath(path), stat.st_size, stat.st_mtime_ns
