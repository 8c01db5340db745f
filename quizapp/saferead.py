"""Reading a file that a user named or put in a content folder: a regular file only, up to a size, never waiting.

The path is checked before it is opened (opening a device can do something) and again on the file as opened,
since a name checked and then opened may by then be a named pipe, whose opening waits for a writer for ever.
It is opened without waiting and read no further than the limit (/dev/zero, a file still growing).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["FileRefused", "file_kind", "read_regular"]

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class FileRefused(Exception):
    """A file not read: `kind` says what it is instead of a regular file, or `size` (in bytes) is past the limit."""

    def __init__(self, path: Path, *, kind: str | None = None, size: int | None = None) -> None:
        super().__init__(f"{path}: {kind or f'{size} bytes'}")
        self.kind, self.size = kind, size


def file_kind(mode: int) -> str:
    """What a file of this mode is, in words: "folder", "named pipe (FIFO)", "device", "socket"."""
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "socket" if stat.S_ISSOCK(mode) else "special file"


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path` (through symbolic links), at most `limit` of them.

    Raises FileRefused for anything else or anything larger, OSError when it cannot be read.
    """
    _check(path, os.stat(path), limit)
    with open(os.open(path, _FLAGS), "rb") as handle:
        _check(path, os.fstat(handle.fileno()), limit)
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew since, or its size is not what it holds
        raise FileRefused(path, size=len(data))
    return data


def _check(path: Path, info: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(path, kind=file_kind(info.st_mode))
    if info.st_size > limit:
        raise FileRefused(path, size=info.st_size)
