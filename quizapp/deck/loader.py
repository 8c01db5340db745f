"""Load content files into a Deck: every file under the given paths, each parsed unless the cache has it.

Parsing one file (YAML with positions, pydantic validation) is `quizapp.deck.parse`; the content cache
(`quizapp.deck.cache`) is this module's own business: callers only say which folder it may use.
"""

from __future__ import annotations

import errno
import gc
import importlib.util
import os
import stat
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp import __version__
from quizapp.deck.cache import ContentCache, Signature, file_signature, model_data, revived_model
from quizapp.deck.errors import NOT_REGULAR, ContentError
from quizapp.deck.followups import FollowUpProblem, follow_up_graph
from quizapp.deck.model import Deck, DeckCard, GlossaryTerm, Topic
from quizapp.safetext import shown_path, visible
from quizapp.saferead import file_kind

if TYPE_CHECKING:
    from quizapp.deck.templates import TemplateBudget

__all__ = ["CONTENT_SUFFIXES", "find_content_files", "load_deck", "load_file", "solver_names"]

CONTENT_SUFFIXES = (".yaml", ".yml")
CACHE_FILE = "content.pickle"

FileResult = tuple[Topic | None, list[ContentError]]


def solver_names() -> frozenset[str]:
    """Names the `solvers` registry offers."""
    import solvers

    return frozenset(solvers.registry())


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
            else:
                problems.append(ContentError(path, None, None, "", _not_a_file(path)))
        except OSError as exc:
            problems.append(_unreadable(path, exc))
    unique = list(dict.fromkeys(files))
    return unique, problems


_BROKEN_LINK = "a symbolic link to nothing (or in a loop): fix or remove the link"


def _folder_files(folder: Path, problems: list[ContentError]) -> list[Path]:
    found: list[str] = []
    broken: list[ContentError] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.endswith(CONTENT_SUFFIXES):
                continue
            path = folder / entry.name
            try:
                if entry.is_file():
                    found.append(entry.name)
                else:
                    broken.append(ContentError(path, None, None, "", _not_a_file(path)))
            except OSError as exc:
                broken.append(_unreadable(path, exc))
    problems.extend(sorted(broken, key=lambda problem: problem.path.name))  # as the files: in name order
    return [folder / name for name in sorted(found)]


def _not_a_file(path: Path) -> str:
    """Why a path that is no regular file is not read, in words: a link to nothing, a folder, a pipe, a device."""
    try:
        mode = path.stat().st_mode  # through any symbolic link
    except OSError:
        return _BROKEN_LINK if path.is_symlink() else "no such file or folder"
    what = "a symbolic link to a" if path.is_symlink() else "a"
    if stat.S_ISDIR(mode):  # only inside a folder: a folder given by itself is read
        return f"{what} folder with a content file's name: folders inside a content folder are not read"
    return f"{what} {file_kind(mode)}, {NOT_REGULAR}"


def _unreadable(path: Path, exc: OSError) -> ContentError:
    reason = _BROKEN_LINK if exc.errno == errno.ELOOP else f"cannot read it: {exc.strerror or exc}"
    return ContentError(path, None, None, "", reason)


def load_deck(
    paths: Iterable[Path], *, solvers: Collection[str] | None = None, cache: Path | None = None
) -> Deck:
    """Load every content file under `paths` into one deck; problems are in `deck.errors`.

    `solvers` are the generator names a `generated` card may use (default: the registry's). With a `cache`
    folder, files unchanged since the last load (same path, size, mtime and bytes) are not parsed again.
    """
    with _collector_paused():
        return _load(list(paths), solvers, cache)


def _load(paths: list[Path], solvers: Collection[str] | None, cache: Path | None) -> Deck:
    files, errors = find_content_files(paths)
    reader = _Reader(solvers)
    store = ContentCache(cache / CACHE_FILE, _cache_key(solvers)) if cache is not None else None
    stored = store.read() if store is not None else {}
    results: dict[Signature, FileResult] = {}
    parsed = False  # a result the cache does not have yet
    topics: list[Topic] = []
    first_file: dict[str, Path] = {}
    for path in files:
        signature = file_signature(path)
        record = stored.pop(signature, None)  # taken out: what is left at the end is no longer loaded
        if record is not None:
            result = _from_record(record)
        else:
            result = reader.load(path)
            parsed = parsed or signature is not None
        del record  # its plain values are garbage now, and their memory is used for the next file's
        if signature is not None and reader.checked_in_full(path):
            results[signature] = result
        topic, file_errors = result
        errors.extend(file_errors)
        if topic is None:
            continue
        if topic.slug in first_file:
            errors.append(_duplicate_topic(topic, first_file[topic.slug]))
            continue
        first_file[topic.slug] = path
        topics.append(topic)
    if store is not None and (parsed or stored):
        store.write({signature: _record(result) for signature, result in results.items()})
    graph = follow_up_graph(topics)  # refs may name cards of any file: checked once all are loaded
    if graph.problems:
        order = {path: index for index, path in enumerate(files)}
        errors.extend(map(_follow_up_error, graph.problems))
        errors.sort(key=lambda error: (order.get(error.path, -1), error.line or 0, error.column or 0))
    return Deck(tuple(topics), tuple(errors), tuple(files), graph)


def _follow_up_error(problem: FollowUpProblem) -> ContentError:
    card = problem.card
    line, column = card.follow_up_at[problem.index] if problem.index < len(card.follow_up_at) else (card.line, None)
    return ContentError(card.path, line, column, visible(f"card {card.id}: follow_ups[{problem.index}]"),
                        visible(problem.message))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A deck is tens of thousands of objects made at once and kept: the cyclic garbage collector would walk
    them again and again while they are made (half of a warm load), and could free none of them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_file(path: Path, *, solvers: Collection[str] = frozenset(), budget: TemplateBudget | None = None) -> FileResult:
    """Load one file: the topic with its valid cards (None if the header is unusable) and the problems; `budget`
    is the time to check templates that the files of one load share (by default, this file has its own)."""
    from quizapp.deck.parse import parse_file  # YAML and pydantic, needed only when a file is read

    return parse_file(path, solvers=solvers, budget=budget)


# What the cache keeps of a file: the topic's fields and its validated cards as plain tuples and values (cheaper
# to store and read than the deck's objects, which are built again from them), and the file's problems.
FileRecord = tuple[tuple | None, tuple, tuple]


def _record(result: FileResult) -> FileRecord:
    topic, errors = result
    if topic is None:
        return None, (), tuple(errors)
    fields = (topic.slug, topic.title, topic.summary, topic.sources, topic.path, topic.line, topic.column,
              tuple((entry.term, entry.zh) for entry in topic.glossary))
    return (fields, tuple((model_data(c.card), c.line, c.content_hash, c.search_text, c.clozes, c.follow_up_at)
                          for c in topic.cards),
            tuple(errors))


def _from_record(record: FileRecord) -> FileResult:
    fields, cards, errors = record
    if fields is None:
        return None, list(errors)
    slug, title, summary, sources, path, line, column, glossary = fields
    deck_cards = tuple(DeckCard(slug, revived_model(card), path, line, content_hash, text, clozes, refs)
                       for card, line, content_hash, text, clozes, refs in cards)
    terms = tuple(GlossaryTerm(term, zh) for term, zh in glossary)
    return Topic(slug, title, summary, sources, path, line, column, deck_cards, terms), list(errors)


class _Reader:
    """Parses files, finding the solver names (which imports the solvers, and numpy) only when one is read."""

    def __init__(self, solvers: Collection[str] | None) -> None:
        self.solvers = frozenset(solvers) if solvers is not None else None
        self.budget: TemplateBudget | None = None  # one for the whole load, made with the first file read

    def load(self, path: Path) -> FileResult:
        if self.solvers is None:
            self.solvers = solver_names()
        if self.budget is None:
            from quizapp.deck.templates import TemplateBudget

            self.budget = TemplateBudget()
        return load_file(path, solvers=self.solvers, budget=self.budget)

    def checked_in_full(self, path: Path) -> bool:
        """Whether every template of the file was checked: one the time ran out for may be fine next time."""
        return self.budget is None or path not in self.budget.unchecked


def _duplicate_topic(topic: Topic, first: Path) -> ContentError:
    return ContentError(
        topic.path,
        topic.line,
        topic.column,
        "topic",
        f"topic id '{topic.slug}' is already used by {shown_path(first)}; topic ids must be unique across all content",
    )


def _cache_key(solvers: Collection[str] | None) -> tuple:
    """What a cached result depends on besides its file: this code, the solvers and pydantic.

    Each package is known by its source files, found without importing it (the solvers bring numpy).
    """
    return (__version__, _package_fingerprint("quizapp.deck"), _package_fingerprint("solvers"),
            _package_fingerprint("pydantic"), tuple(sorted(solvers)) if solvers is not None else None)


@cache
def _package_fingerprint(package: str) -> tuple[tuple[str, int], ...]:
    """A package's source files, its subpackages' included, and their modification times."""
    spec = importlib.util.find_spec(package)
    folders = spec.submodule_search_locations if spec and spec.submodule_search_locations else []
    found = []
    for folder in folders:
        for root, subfolders, names in os.walk(folder):
            subfolders[:] = [name for name in subfolders if name != "__pycache__"]
            found += [(os.path.relpath(os.path.join(root, name), folder), os.stat(os.path.join(root, name)).st_mtime_ns)
                      for name in names if name.endswith(".py")]
    return tuple(sorted(found))
