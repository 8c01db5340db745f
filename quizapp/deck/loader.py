"""Load content files into a Deck: every file under the given paths, from the content cache when unchanged.

Parsing a file (YAML, pydantic) lives in `quizapp.deck.parse` and is imported only when a file has to be
read, so a start served from the cache imports neither.
"""

from __future__ import annotations

import errno
import importlib.util
import os
from collections.abc import Collection, Iterable
from functools import cache
from pathlib import Path

from quizapp.deck.errors import ContentError
from quizapp.deck.model import Deck, Topic
from quizapp.filecache import FileCache

__all__ = ["CONTENT_SUFFIXES", "content_cache", "find_content_files", "load_deck", "load_file", "solver_names"]

CONTENT_SUFFIXES = (".yaml", ".yml")


def solver_names() -> frozenset[str]:
    """Names the `solvers` registry offers."""
    import solvers

    return frozenset(solvers.registry())


def content_cache(folder: Path) -> FileCache:
    """A cache of loaded content files that follows the code they depend on: the deck package (the schema
    and the pickled classes), the solvers (generated cards are checked against the registry) and pydantic
    (whose objects are pickled)."""
    return FileCache(folder, salt=(_package_fingerprint("quizapp.deck"), _package_fingerprint("solvers"),
                                   _install_stamp("pydantic")))


def find_content_files(paths: Iterable[Path]) -> tuple[list[Path], list[ContentError]]:
    """Expand folders to their content files (sorted), keep files as given; report paths that cannot be read.

    A broken path (missing, unreadable, a symbolic link in a loop) is one problem, and the rest still loads.
    """
    files: list[Path] = []
    problems: list[ContentError] = []
    for path in paths:
        try:
            if path.is_dir():
                files.extend(_folder_files(path, problems))
            elif path.is_file():
                files.append(path)
            elif path.is_symlink():
                problems.append(ContentError(path, None, None, "", _BROKEN_LINK))
            else:
                problems.append(ContentError(path, None, None, "", "no such file or folder"))
        except OSError as exc:
            problems.append(_unreadable(path, exc))
    unique = list(dict.fromkeys(files))
    return unique, problems


_BROKEN_LINK = "a symbolic link to nothing (or in a loop): fix or remove the link"


def _folder_files(folder: Path, problems: list[ContentError]) -> list[Path]:
    found: list[str] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.endswith(CONTENT_SUFFIXES):
                continue
            path = folder / entry.name
            try:
                if entry.is_file():
                    found.append(entry.name)
                elif entry.is_symlink():
                    problems.append(ContentError(path, None, None, "", _BROKEN_LINK))
            except OSError as exc:
                problems.append(_unreadable(path, exc))
    return [folder / name for name in sorted(found)]


def _unreadable(path: Path, exc: OSError) -> ContentError:
    reason = _BROKEN_LINK if exc.errno == errno.ELOOP else f"cannot read it: {exc.strerror or exc}"
    return ContentError(path, None, None, "", reason)


def load_deck(
    paths: Iterable[Path], *, solvers: Collection[str] | None = None, cache: FileCache | None = None
) -> Deck:
    """Load every content file under `paths` into one deck; problems are in `deck.errors`.

    With a `cache` (see `content_cache`), files unchanged since the last load are not parsed again, and a deck
    whose files are all unchanged comes back whole from one cache entry.
    """
    paths = list(paths)
    files, missing = find_content_files(paths)
    if cache is None:
        return _assemble(files, missing, _FileReader(solvers).load)
    reader = _FileReader(solvers)
    asked = (tuple(map(str, paths)), tuple(str(problem.path) for problem in missing))
    parts = cache.load_group("deck", files, lambda: _deck_parts(files, missing, lambda p: cache.load(p, reader.load)),
                             extra=asked)
    return Deck(*parts)


class _FileReader:
    """Parses files with the solver names, found (importing the solvers, and numpy) only if a file is read."""

    def __init__(self, solvers: Collection[str] | None) -> None:
        self.solvers = frozenset(solvers) if solvers is not None else None

    def load(self, path: Path) -> tuple[Topic | None, list[ContentError]]:
        if self.solvers is None:
            self.solvers = solver_names()
        return load_file(path, solvers=self.solvers)


def _assemble(files: list[Path], missing: list[ContentError], load_one) -> Deck:
    return Deck(*_deck_parts(files, missing, load_one))


def _deck_parts(files: list[Path], missing: list[ContentError], load_one) -> tuple[tuple, tuple, tuple]:
    """(topics, errors, files) of a Deck: plain data, for the cache."""
    errors = list(missing)
    topics: list[Topic] = []
    first_file: dict[str, Path] = {}
    for path in files:
        topic, file_errors = load_one(path)
        errors.extend(file_errors)
        if topic is None:
            continue
        if topic.slug in first_file:
            errors.append(_duplicate_topic(topic, first_file[topic.slug]))
            continue
        first_file[topic.slug] = path
        topics.append(topic)
    return tuple(topics), tuple(errors), tuple(files)


def load_file(path: Path, *, solvers: Collection[str] = frozenset()) -> tuple[Topic | None, list[ContentError]]:
    """Load one file: the topic with its valid cards (None if the header is unusable) and the problems."""
    from quizapp.deck.parse import load_file as parse_file

    return parse_file(path, solvers=solvers)


def _duplicate_topic(topic: Topic, first: Path) -> ContentError:
    return ContentError(
        topic.path,
        topic.line,
        None,
        "topic",
        f"topic id '{topic.slug}' is already used by {first}; topic ids must be unique across all content",
    )


@cache
def _package_fingerprint(package: str) -> tuple[tuple[str, int], ...]:
    """A package's source files and their modification times, found without importing it."""
    spec = importlib.util.find_spec(package)
    folders = spec.submodule_search_locations if spec and spec.submodule_search_locations else []
    return tuple(sorted((entry.name, entry.stat().st_mtime_ns) for folder in folders
                        for entry in os.scandir(folder) if entry.name.endswith(".py")))


@cache
def _install_stamp(package: str) -> int | None:
    """When an installed package was last written (an upgrade rewrites it), found without importing it."""
    spec = importlib.util.find_spec(package)
    try:
        return os.stat(spec.origin).st_mtime_ns if spec and spec.origin else None
    except OSError:
        return None
