"""A cache of what was read from a file, keyed on the file's path, size and modification time.

A warm start then skips parsing and validating files that did not change (content files, config.toml).
The cache lives in the user's data dir; an unreadable or stale entry is simply rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Hashable
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
        try:
            stat = path.stat()
        except OSError:
            return loader(path)
        where = str(path.resolve())
        key = (__version__, self.salt, where, stat.st_size, stat.st_mtime_ns)
        entry = self.folder / (hashlib.sha1(where.encode()).hexdigest() + ".pickle")
        found, cached = self._read(entry, key)
        if found:
            return cached
        loaded = loader(path)
        self._write(entry, key, loaded)
        return loaded

    @staticmethod
    def _read(entry: Path, key: tuple) -> tuple[bool, object]:
        try:
            with entry.open("rb") as handle:
                stored_key, loaded = pickle.load(handle)
        except Exception:  # missing, truncated or from another version: rebuild
            return False, None
        return stored_key == key, loaded

    def _write(self, entry: Path, key: tuple, loaded: object) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = entry.with_suffix(f".{os.getpid()}.tmp")
            with temporary.open("wb") as handle:
                pickle.dump((key, loaded), handle, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(entry)
        except OSError:
            pass  # a read-only data dir only costs speed
