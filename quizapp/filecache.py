"""A cache of what was read from files, keyed on each file's path, size and modification time.

A warm start then skips parsing and validating files that did not change (content files, config.toml).
`load` keeps one entry per file; `load_group` keeps one entry for a whole set of files (the deck), so a
start with a hundred unchanged content files reads one cache file, not a hundred. The cache lives in the
user's data dir; an unreadable or stale entry is simply rebuilt, never trusted.

Entries are pickles (protocol 5) with their large buffers (the cards' text, see `CardContent`) stored after
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
                view = memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
            stored_key, loaded = _unpack(view)
        except Exception:  # missing, truncated or from another version: rebuild
            return False, None
        return stored_key == key, loaded

    def _write(self, entry: Path, key: tuple, loaded: object) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = entry.with_suffix(f".{os.getpid()}.tmp")
            with temporary.open("wb") as handle:
                handle.writelines(_pack((key, loaded)))
            temporary.replace(entry)
        except OSError:
            pass  # a read-only data dir (or, on Windows, an entry mapped by a running app) only costs speed


# An entry: <header length: 8 bytes><header: pickled (pickle length, buffer lengths)><pickle><buffers...>
_HEADER_LENGTH = struct.Struct("<Q")


def _pack(value: object) -> list[bytes | memoryview]:
    buffers: list[pickle.PickleBuffer] = []
    data = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
    raws = [buffer.raw() for buffer in buffers]
    header = pickle.dumps((len(data), [len(raw) for raw in raws]), protocol=5)
    return [_HEADER_LENGTH.pack(len(header)), header, data, *raws]


def _unpack(view: memoryview) -> object:
    start = _HEADER_LENGTH.size + _HEADER_LENGTH.unpack_from(view)[0]
    data_length, lengths = pickle.loads(view[_HEADER_LENGTH.size:start])
    position = start + data_length
    buffers = []
    for length in lengths:
        buffers.append(view[position:position + length])
        position += length
    if position != len(view):
        raise ValueError("cache entry has the wrong length")
    return pickle.loads(view[start:start + data_length], buffers=buffers)


def _signature(path: Path) -> tuple[str, int, int] | None:
    """(absolute path, size, mtime in ns), or None if the file cannot be examined."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return os.path.abspath(path), stat.st_size, stat.st_mtime_ns
