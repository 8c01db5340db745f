"""Load content files into a Deck: every file under the given paths, from the content cache when unchanged.

Parsing a file (YAML, pydantic) lives in `quizapp.deck.parse` and is imported only when a file has to be
read, so a start served from the cache imports neither.
"""

from __future__ import annotations

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
    and the pickled classes) and the solvers (generated cards are checked against the registry)."""
    return FileCache(folder, salt=(_package_fingerprint("quizapp.deck"), _package_fingerprint("solvers")))


def find_content_files(paths: Iterable[Path]) -> tuple[list[Path], list[ContentError]]:
    """Expand folders to their content files (sorted), keep files as given; report missing paths."""
    files: list[Path] = []
    problems: list[ContentError] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in CONTENT_SUFFIXES and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(ContentError(path, None, None, "", "no such file or folder"))
    unique = list(dict.fromkeys(files))
    return unique, problems


def load_deck(
    paths: Iterable[Path], *, solvers: Collection[str] | None = None, cache: FileCache | None = None
) -> Deck:
    """Load every content file under `paths` into one deck; problems are in `deck.errors`.

    With a `cache` (see `content_cache`), files unchanged since the last load are not parsed again.
    """
    files, errors = find_content_files(paths)
    known: list[frozenset[str]] = [] if solvers is None else [frozenset(solvers)]

    def load_one(path: Path) -> tuple[Topic | None, list[ContentError]]:
        if not known:
            known.append(solver_names())  # imports the solvers (and numpy) only when a file is parsed
        return load_file(path, solvers=known[0])

    topics: list[Topic] = []
    first_file: dict[str, Path] = {}
    for path in files:
        topic, file_errors = load_one(path) if cache is None else cache.load(path, load_one)
        errors.extend(file_errors)
        if topic is None:
            continue
        if topic.slug in first_file:
            errors.append(_duplicate_topic(topic, first_file[topic.slug]))
            continue
        first_file[topic.slug] = path
        topics.append(topic)
    return Deck(topics=tuple(topics), errors=tuple(errors), files=tuple(files))


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
