"""A cache of loaded content files, keyed on each file's path, size and modification time.

A warm start then skips YAML parsing and validation for files that did not change. The cache lives in the
user's data dir; an unreadable or stale entry is simply rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import importlib.util
from collections.abc import Callable
from functools import cache
from pathlib import Path

from quizapp import __version__
from quizapp.deck.errors import ContentError
from quizapp.deck.model import Topic

__all__ = ["FileCache"]

Loaded = tuple[Topic | None, list[ContentError]]


class FileCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def load(self, path: Path, loader: Callable[[Path], Loaded]) -> Loaded:
        try:
            stat = path.stat()
        except OSError:
            return loader(path)
        where = str(path.resolve())
        key = (__version__, _solvers_fingerprint(), where, stat.st_size, stat.st_mtime_ns)
        entry = self.folder / (hashlib.sha1(where.encode()).hexdigest() + ".pickle")
        cached = self._read(entry, key)
        if cached is not None:
            return cached
        loaded = loader(path)
        self._write(entry, key, loaded)
        return loaded

    @staticmethod
    def _read(entry: Path, key: tuple) -> Loaded | None:
        try:
            with entry.open("rb") as handle:
                stored_key, loaded = pickle.load(handle)
        except Exception:  # missing, truncated or from another version: rebuild
            return None
        return loaded if stored_key == key else None

    def _write(self, entry: Path, key: tuple, loaded: Loaded) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = entry.with_suffix(f".{os.getpid()}.tmp")
            with temporary.open("wb") as handle:
                pickle.dump((key, loaded), handle, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(entry)
        except OSError:
            pass  # a read-only data dir only costs speed


@cache
def _solvers_fingerprint() -> tuple[tuple[str, int], ...]:
    """What the solver registry looks like on disk, found without importing it (and numpy with it):
    generated cards are validated against the registry, so cached results follow its files."""
    spec = importlib.util.find_spec("solvers")
    folders = spec.submodule_search_locations if spec and spec.submodule_search_locations else []
    return tuple(sorted((entry.name, entry.stat().st_mtime_ns) for folder in folders
                        for entry in os.scandir(folder) if entry.name.endswith(".py")))
