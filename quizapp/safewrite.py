"""Writing a file the user named: never over an existing file unless asked, never over a database, atomically.

Every command that writes a file (`export anki`, `export reviews`, `import anki-text`, `new`) goes through
`atomic_write`: the content goes to a temporary file in the same folder, which then takes the target's
name in one step, so the target is either the old file or the whole new one. Without `force` an existing
file is refused (and the rename itself refuses one that appears meanwhile). Whatever the flags, the review
database and its -wal/-shm/-journal files are never written over, nor is any SQLite database: a slip in an
output path must not cost a user their history.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from quizapp.errors import UserError
from quizapp.safetext import shown_path

__all__ = ["SQLITE_SUFFIXES", "atomic_write", "check_target", "database_files", "write_text"]

SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")
_SQLITE_MAGIC = (b"SQLite format 3\x00", b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")  # a database, a WAL


def database_files(database: Path) -> list[Path]:
    """The database and the files SQLite keeps beside it."""
    return [database.with_name(database.name + suffix) for suffix in SQLITE_SUFFIXES]


def check_target(path: Path, *, force: bool, protected: Iterable[Path] = ()) -> None:
    """Raise UserError, saying what to do, if `path` must not be written."""
    resolved = _resolved(path)
    for guarded in protected:
        if resolved == _resolved(guarded):
            raise UserError(f"{shown_path(path)} is the review database (or one of its files); it is never "
                            "written over: "
                            "choose another output file")
    if path.is_dir():
        raise UserError(f"{shown_path(path)} is a folder: name the file to write")
    if not path.parent.is_dir():
        raise UserError(f"cannot write {shown_path(path)}: the folder {shown_path(path.parent)} does not exist")
    if not os.path.lexists(path):
        return
    if _is_sqlite(path):
        raise UserError(f"{shown_path(path)} is an SQLite database; it is never written over: choose another "
                        "output file")
    if not force:
        raise UserError(f"{shown_path(path)} already exists; nothing was written (add --force to replace it)")


def write_text(path: Path, text: str, *, force: bool, protected: Iterable[Path] = ()) -> None:
    """Write `text` (UTF-8) to `path` through `atomic_write`."""
    with atomic_write(path, force=force, protected=protected) as partial:
        partial.write_text(text, encoding="utf-8")


@contextmanager
def atomic_write(path: Path, *, force: bool, protected: Iterable[Path] = ()) -> Iterator[Path]:
    """Yield a temporary path beside `path` to write; when the block ends, it becomes `path`.

    If the block raises, or the rename is refused, the temporary file is removed and `path` is untouched.
    """
    protected = list(protected)
    check_target(path, force=force, protected=protected)
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    except OSError as exc:
        raise UserError(f"cannot write {shown_path(path)}: {exc.strerror or exc}") from None
    os.close(handle)
    partial = Path(name)
    try:
        _set_mode(partial, path)
        yield partial
        check_target(path, force=force, protected=protected)  # again: the writing may have taken a while
        _publish(partial, path, replace=force)
    except OSError as exc:
        raise UserError(f"cannot write {shown_path(path)}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)


def _publish(partial: Path, path: Path, *, replace: bool) -> None:
    if replace:
        os.replace(partial, path)
        return
    try:
        os.link(partial, path)  # fails if `path` exists: no window in which another file is replaced
    except FileExistsError:
        raise UserError(f"{shown_path(path)} already exists; nothing was written (add --force to replace it)") from None
    except OSError:  # a filesystem without hard links: the existence check just made is the best there is
        if os.path.lexists(path):
            raise UserError(f"{shown_path(path)} already exists; nothing was written (add --force to replace "
                            "it)") from None
        os.replace(partial, path)


def _set_mode(partial: Path, path: Path) -> None:
    """The mode a file written the usual way would have (mkstemp makes it private): the replaced file's, or
    the default for a new file."""
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(partial, mode)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return path.absolute()


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16).startswith(_SQLITE_MAGIC)
    except OSError:
        return False
