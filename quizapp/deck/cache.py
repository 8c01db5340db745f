"""The content cache: what loading each content file gave last time, so a start skips parsing unchanged files.

One entry holds every file's result, keyed on the file's path, size, modification time and a hash of its
bytes (a file edited and put back at its old mtime, as `cp -p` or `rsync -t` do, is read again). An entry
that is missing, unreadable or from other code is ignored and written anew; nothing outside the loader
knows the cache exists.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import suppress
import pickle
from collections.abc import Hashable
from pathlib import Path
from typing import Any

__all__ = ["ContentCache", "file_signature"]

Signature = tuple[str, int, int, str]  # absolute path, size, mtime in ns, sha256 of the bytes


def file_signature(path: Path) -> Signature | None:
    """What identifies a file's content, or None if it cannot be read."""
    try:
        stat = os.stat(path)
        data = path.read_bytes()
    except OSError:
        return None
    return os.path.abspath(path), stat.st_size, stat.st_mtime_ns, hashlib.sha256(data).hexdigest()


class ContentCache:
    """One pickle file: `(key, {signature: result})`, where `key` names the code the results depend on."""

    def __init__(self, path: Path, key: Hashable) -> None:
        self.path = path
        self.key = key

    def read(self) -> dict[Signature, Any]:
        """The stored results, or {} when there are none this code can use."""
        try:
            with self.path.open("rb") as handle:
                key = pickle.load(handle)  # the key first: a stale entry is refused before its results are read
                if key != self.key:
                    return {}
                results = pickle.load(handle)
        except Exception:  # missing, truncated, or written by other code: rebuild
            return {}
        return results if isinstance(results, dict) else {}

    def write(self, results: dict[Signature, Any]) -> None:
        """Replace the entry atomically; a data dir that cannot be written only costs speed."""
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as handle:
                pickle.dump(self.key, handle, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(results, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
        except OSError:
            with suppress(OSError):
                temporary.unlink(missing_ok=True)
