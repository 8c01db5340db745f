"""`quizapp export anki`: the deck as an Anki package (.apkg), one Anki deck per topic under `quizapp`.

Each note's GUID comes from its card key (and instance number, for generated cards), so importing a newer
export updates the notes already in Anki instead of adding copies. genanki's own `write_to_file` leaves a
temporary database behind; `write_package` builds it in a temporary folder that it removes.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import genanki

import solvers

from quizapp.deck.plaintext import sources_line
from quizapp.deck.model import Deck, DeckCard, Topic
from quizapp.deck.schema import (
    ChoiceCard,
    ClozeCard,
    Flashcard,
    GeneratedCard,
    NumericCard,
    NumericTolerance,
    OpenCard,
    TemplateCard,
)
from quizapp.deck.schema import CodeCard
from quizapp.errors import UserError
from quizapp.export.anki_models import deck_id, deck_name, model_for
from quizapp.export.html import code_to_html, markdown_to_html
from quizapp.plural import counted
from quizapp.safetext import shown_path
from quizapp.safewrite import atomic_write, check_target

if TYPE_CHECKING:
    from quizapp.export.anki_schedule import AnkiSchedule

__all__ = ["DEFAULT_INSTANCES", "ExportSummary", "build_decks", "export_anki", "instance_seed", "note_guid"]

DEFAULT_INSTANCES = 5
LETTERS = "ABCDEFGHIJ"


@dataclass
class ExportSummary:
    path: Path
    notes_by_deck: dict[str, int] = field(default_factory=dict)
    cards: int = 0
    instanced: set[str] = field(default_factory=set)  # keys of the cards written as several notes (instances)
    scheduled: int | None = None  # with --scheduling: the Anki cards given their quizapp schedule
    revlog: int = 0  # ... the review log rows written
    left_new: int = 0  # ... study items with a schedule that stay new (generated cards: several notes each)

    @property
    def notes(self) -> int:
        return sum(self.notes_by_deck.values())

    def text(self) -> str:
        decks = len(self.notes_by_deck)
        lines = [f"wrote {counted(self.notes, 'note')} ({counted(self.cards, 'card')}) in {counted(decks, 'deck')} "
                 f"to {shown_path(self.path)}"]
        if self.scheduled is not None:
            lines.append(f"with the schedule of {counted(self.scheduled, 'card')} and "
                         f"{counted(self.revlog, 'review log entry', 'review log entries')}; turn on FSRS in Anki's "
                         "deck options to use their memory states")
            if self.left_new:
                lines.append(f"{counted(self.left_new, 'generated card')} with a schedule left new: each is "
                             "several notes (instances) in Anki, none of them the card you reviewed")
            lines.append("import it in Anki with File > Import, with \"Import any learning progress\" ticked; cards "
                         "already in your collection (from an earlier import) keep the schedule they have there")
        else:
            lines.append("import it in Anki with File > Import; a newer export updates these notes in place")
        return "\n".join(lines)


def note_guid(key: str, instance: int | None = None) -> str:
    return genanki.guid_for("quizapp", key) if instance is None else genanki.guid_for("quizapp", key, instance)


def instance_seed(key: str, instance: int) -> int:
    """The solver seed of a generated card's instance: fixed by the key, so every export agrees."""
    digest = hashlib.blake2b(f"{key}#{instance}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") >> 1


def export_anki(deck: Deck, out: Path, *, topics: Sequence[str] = (), instances: int = DEFAULT_INSTANCES,
                timestamp: float | None = None, force: bool = False, protected: Sequence[Path] = (),
                keys: Collection[str] | None = None, schedule: AnkiSchedule | None = None) -> ExportSummary:
    """Write the chosen topics (default all) to `out`; `timestamp` marks the notes' modification time.
    With `keys` (cards' `topic/id`, as a search chose them), only those cards are written; with `schedule`
    (`anki_schedule.read_schedule`), the cards carry their schedules and review history.

    An existing `out` is replaced only with `force`, and never if it is in `protected` (the review database).
    """
    if out.suffix.lower() != ".apkg":
        raise UserError(f"{out}: name the package with the .apkg extension, so Anki recognises it")
    check_target(out, force=force, protected=protected)
    decks, summary = build_decks(deck, topics, instances, keys=keys)
    summary.path = out
    finish = None
    if schedule is not None:
        from quizapp.export.anki_schedule import write_schedule

        def finish(db: sqlite3.Connection) -> None:
            found = write_schedule(db, schedule, note_guid)
            summary.scheduled = len(found)
            summary.revlog = sum(len(schedule.revlog.get(key, ())) for key in found)
            summary.left_new = sum(key.partition("#")[0] in summary.instanced for key in schedule.cards)

    write_package(genanki.Package(decks), out, time.time() if timestamp is None else timestamp,
                  force=force, protected=protected, finish=finish)
    return summary


def build_decks(deck: Deck, topics: Sequence[str] = (), instances: int = DEFAULT_INSTANCES, *,
                keys: Collection[str] | None = None) -> tuple[list[genanki.Deck], ExportSummary]:
    chosen = [deck.topic(slug) for slug in topics] if topics else list(deck.topics)
    summary = ExportSummary(Path())
    decks = []
    for topic in chosen:
        if keys is not None and not any(card.key in keys for card in topic.cards):
            continue
        # Anki shows a deck's description as HTML: the summary is Markdown, rendered with raw HTML escaped.
        anki_deck = genanki.Deck(deck_id(topic.slug), deck_name(topic.title), description=_html(topic.summary))
        for card in topic.cards:
            if keys is not None and card.key not in keys:
                continue
            for note, cards in notes_for(card, topic, instances):
                anki_deck.add_note(note)
                summary.cards += cards
            if isinstance(card.card, (GeneratedCard, TemplateCard)):
                summary.instanced.add(card.key)
        summary.notes_by_deck[anki_deck.name] = len(anki_deck.notes)
        decks.append(anki_deck)
    return decks, summary


def write_package(package: genanki.Package, out: Path, timestamp: float, *, force: bool = False,
                  protected: Sequence[Path] = (), finish: Callable[[sqlite3.Connection], None] | None = None) -> None:
    """genanki's `write_to_file` without its leftover temporary file; `out` is written in one step. `finish`
    changes the collection genanki wrote before it is packed."""
    with tempfile.TemporaryDirectory(prefix="quizapp-anki-") as folder:
        database = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(database)
        try:
            package.write_to_db(connection.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            if finish is not None:
                finish(connection)
            connection.commit()
        finally:
            connection.close()
        with atomic_write(out, force=force, protected=protected) as partial:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(database, "collection.anki2")
                archive.writestr("media", "{}")


# --- one card -> notes ------------------------------------------------------------------------------


def notes_for(card: DeckCard, topic: Topic, instances: int) -> list[tuple[genanki.Note, int]]:
    """The notes for one card, each with the number of Anki cards it makes."""
    body = card.card
    extras = [_html(body.explanation), _sources(body.sources or topic.sources), card.key]
    tags = _tags(topic.slug, body.tags)

    def note(kind: str, fields: list[str], guid: str | None = None) -> genanki.Note:
        return genanki.Note(model=model_for(kind), fields=fields, tags=tags, guid=guid or note_guid(card.key))

    if isinstance(body, Flashcard):
        return [(note("basic", [_html(body.front), _html(body.back), *extras]), 1)]
    if isinstance(body, ClozeCard):
        return [(note("cloze", [_html(body.text), *extras]), len(body.numbers))]
    if isinstance(body, ChoiceCard):
        return [(note("choice", [_html(body.prompt), *_choice_fields(body), *extras]), 1)]
    if isinstance(body, NumericCard):
        answer = solvers.format_answer(body.answer) + _tolerance_text(body.tolerance)
        return [(note("numeric", [_html(body.prompt), answer, "", *extras]), 1)]
    if isinstance(body, (GeneratedCard, TemplateCard)):
        return [(note("numeric", fields, note_guid(card.key, n)), 1)
                for n, fields in _generated_fields(card.key, body, instances, extras)]
    if isinstance(body, CodeCard):  # the prompt, the starter and the hints; the model solution on the back
        return [(note("basic", [_code_front(body), _code_back(body), *extras]), 1)]
    if isinstance(body, OpenCard):  # the key points as a list, then the model answer
        return [(note("basic", [_html(body.prompt), _open_back(body), *extras]), 1)]
    raise TypeError(f"unknown card type {body.type}")


def _code_front(card: CodeCard) -> str:
    """The prompt and the code to start from, as the drill shows them; each hint folded (`<details>`, which
    Anki's reviewer opens on a click), since the app too shows them only when asked."""
    starter = f"<pre><code class=language-python>{code_to_html(card.starter)}</code></pre>"
    hints = "".join(f"<details><summary>Hint {number}</summary>{_html(hint)}</details>"
                    for number, hint in enumerate(card.hints, start=1))
    return _html(card.prompt) + starter + hints


def _code_back(card: CodeCard) -> str:
    from solvers.drills import get_drill

    code = code_to_html(get_drill(card.checker).solution_for(card.function))
    return f"<b>Model solution</b><pre><code class=language-python>{code}</code></pre>"


def _open_back(card: OpenCard) -> str:
    points = "".join(f"<li>{markdown_to_html(point.text, inline=True)}</li>" for point in card.key_points)
    return f"<b>Key points</b><ul>{points}</ul><b>Model answer</b>{_html(card.model_answer)}"


def _choice_fields(card: ChoiceCard) -> list[str]:
    options, correct, feedback = [], [], []
    for letter, option in zip(LETTERS, card.options):
        line = f"<b>{letter}.</b> {markdown_to_html(option.text, inline=True)}"
        options.append(f"<div class=option>{line}</div>")
        if option.correct:
            correct.append(f"<div>{line}</div>")
        if option.why:
            mark = "✓" if option.correct else "✗"
            feedback.append(f"<li><b>{letter}.</b> {mark} {markdown_to_html(option.why, inline=True)}</li>")
    label = "Correct:" if len(correct) == 1 else "Correct (all of):"
    return ["".join(options), f"<b>{label}</b>" + "".join(correct),
            f"<ul>{''.join(feedback)}</ul>" if feedback else ""]


def _generated_fields(key: str, card: GeneratedCard | TemplateCard, instances: int, extras: list[str]):
    if isinstance(card, TemplateCard):
        from quizapp.deck.templates import template_problem

        def make(seed: int) -> solvers.Problem:
            return template_problem(card, key, seed)
    else:
        solver = solvers.get_solver(card.solver)

        def make(seed: int) -> solvers.Problem:
            return solver.generate(seed, card.difficulty)

    for n in range(1, instances + 1):
        problem = make(instance_seed(key, n))
        prompt = f"{_html(problem.prompt)}<div class=sources>instance {n} (seed {problem.seed})</div>"
        yield n, [prompt, solvers.format_answer(problem.answer), _html(problem.solution), *extras]


def _html(text: str | None) -> str:
    return markdown_to_html(text) if text else ""


def _sources(sources: Sequence[str]) -> str:
    if not sources:
        return ""
    return sources_line(sources, lambda source: markdown_to_html(source, inline=True))


def _tags(topic: str, tags: Sequence[str]) -> list[str]:
    """The topic slug and the card's tags; Anki splits tags on spaces, so none may contain one."""
    cleaned = (re.sub(r"\s+", "_", tag.strip()) for tag in (topic, *tags))
    return list(dict.fromkeys(tag for tag in cleaned if tag))


def _tolerance_text(tolerance: NumericTolerance | None) -> str:
    """The card's own tolerance in the solvers' words, e.g. "(absolute error 0.001)"."""
    if tolerance is None:
        return ""
    described = solvers.Tolerance.from_dict(tolerance.model_dump(exclude_none=True)).describe()
    return f" <span class=tolerance>({described})</span>"
