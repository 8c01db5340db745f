"""`quizapp import anki-text`: an Anki "Notes in Plain Text" export -> a content file that validates.

Basic-like notes become flashcards (first field front, second back); Cloze notes become cloze cards (the
text, and "Back Extra" as the explanation). Card ids come from the Anki GUID when the export has one, so a
re-import of the same notes gives the same ids (and keeps their review history). A note that cannot be a
valid card is skipped with a warning naming its line; the file is written only if at least one card is
good, and never over an existing file.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from quizapp.authoring import new_topic_file
from quizapp.deck.schema import CLOZE_PATTERN, Card
from quizapp.deck.yamlsource import MAX_FILE_BYTES
from quizapp.errors import UserError
from quizapp.importing.anki_text_reader import AnkiRow, AnkiTextExport, read_anki_text
from quizapp.importing.html_markdown import html_to_markdown
from quizapp.safetext import ZERO_WIDTH, one_line, visible
from quizapp.safewrite import write_text

__all__ = ["ImportResult", "card_id_for_note", "import_anki_text", "notes_to_cards"]

_CARD: TypeAdapter[Card] = TypeAdapter(Card)
_TAG_CHARS = re.compile(r"[^A-Za-z0-9_\-:.]+")


@dataclass
class ImportResult:
    path: Path
    cards: int
    warnings: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [f"wrote {self.cards} card{'s' * (self.cards != 1)} to {self.path}",
                 f"check it with: quizapp validate {self.path}"]
        return "\n".join(lines)


def import_anki_text(source: Path, topic: str, folder: Path, title: str | None = None, *,
                     force: bool = False) -> ImportResult:
    target = new_topic_file(folder, topic, force=force, folder_name="--out ")
    export = read_anki_text(source)
    _check_size(source, export)
    cards, warnings = notes_to_cards(export)
    if not cards:
        raise UserError("\n".join([*warnings, f"{source}: no note could be turned into a card; nothing was written"]))
    document = {
        "topic": topic,
        "title": _clean_title(title or _title(export) or topic.replace("-", " ").capitalize()),
        "sources": [f"Anki notes imported from {visible(source.name)}"[:200]],
        "cards": cards,
    }
    _write_new(target, _dump(document, source), force=force)
    return ImportResult(target, len(cards), warnings)


# Each card takes at least this much YAML besides its text (id, type, field names, indentation).
_YAML_BYTES_PER_CARD = 60


def _check_size(source: Path, export: AnkiTextExport) -> None:
    """Refuse an export too big for one content file before converting it (which takes a while)."""
    notes = len(export.rows)
    text_bytes = sum(len(value.encode()) for row in export.rows for value in row.fields)
    estimate = text_bytes + notes * _YAML_BYTES_PER_CARD
    if estimate > MAX_FILE_BYTES:
        raise UserError(
            f"{source}: {notes:,} notes are too many for one topic (its file would be about {estimate / 1e6:.1f} MB; "
            f"a content file holds at most {MAX_FILE_BYTES // 2**20} MB). In Anki, export one deck (or a search) "
            "at a time and import each as its own --topic; nothing was written"
        )


def notes_to_cards(export: AnkiTextExport) -> tuple[list[dict[str, Any]], list[str]]:
    """Valid card dicts in file order, and a warning for every note skipped."""
    cards: list[dict[str, Any]] = []
    warnings: list[str] = []
    used: set[str] = set()
    for row in export.rows:
        card = _card(row, export.html)
        if isinstance(card, str):
            warnings.append(f"{export.where(row.line)}: skipped: {card}")
            continue
        card["id"] = _unique(card_id_for_note(row.guid, card.get("front") or card["text"]), used)
        card = {"id": card.pop("id"), **card}
        try:
            _CARD.validate_python(card)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(part) for part in error["loc"][1:])
            warnings.append(f"{export.where(row.line)}: skipped: {where}: {error['msg']}")
            used.discard(card["id"])
            continue
        cards.append(card)
    return cards, warnings


def card_id_for_note(guid: str | None, text: str) -> str:
    """A stable slug: from the GUID when there is one (plus a hash, as GUIDs are case-sensitive), else the text."""
    digest = hashlib.blake2b((guid or text).encode(), digest_size=3).hexdigest()
    base = _slug(guid) if guid else "-".join(_slug(text).split("-")[:6])
    base = base[:40].strip("-")
    return f"{base}-{digest}" if base else f"anki-{digest}"


def _card(row: AnkiRow, is_html: bool) -> dict[str, Any] | str:
    # Control characters are written out visibly (`\x1b`): the content file must not carry them.
    fields = [visible(html_to_markdown(value, is_html=is_html)) for value in row.fields]
    kind = (row.notetype or "").lower()
    tags = _tags(row.tags)
    extra = {"tags": tags} if tags else {}
    if "cloze" in kind or (not kind and CLOZE_PATTERN.search(fields[0])):
        if not fields[0]:
            return "empty cloze text"
        explanation = {"explanation": fields[1]} if len(fields) > 1 and fields[1] else {}
        return {"type": "cloze", "text": fields[0], **explanation, **extra}
    if len(fields) < 2 or not fields[0] or not fields[1]:
        return f"a {row.notetype or 'note'} needs a front and a back (the first two fields)"
    return {"type": "flashcard", "front": fields[0], "back": fields[1], **extra}


def _tags(tags: tuple[str, ...]) -> list[str]:
    cleaned = (_TAG_CHARS.sub("-", tag).strip("-_:.")[:64] for tag in tags)
    return list(dict.fromkeys(tag for tag in cleaned if tag))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _unique(card_id: str, used: set[str]) -> str:
    candidate, number = card_id, 2
    while candidate in used:
        candidate, number = f"{card_id}-{number}", number + 1
    used.add(candidate)
    return candidate


def _clean_title(title: str) -> str:
    """A title the loader accepts: one line, no control or zero-width characters, at most 200 characters."""
    cleaned = one_line(title).translate({ord(char): None for char in ZERO_WIDTH})
    return " ".join(cleaned.split())[:200] or "Imported notes"


def _title(export: AnkiTextExport) -> str | None:
    """The last part of the deck most notes came from, if the export names decks."""
    decks = Counter(row.deck for row in export.rows if row.deck and row.deck != "Default")
    if not decks:
        return None
    return decks.most_common(1)[0][0].split("::")[-1].strip()[:200] or None


class _Dumper(yaml.SafeDumper):
    pass


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def _dump(document: dict[str, Any], source: Path) -> str:
    body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)
    return (f"# Imported by `quizapp import anki-text` from {one_line(source.name)}. "
            f"Check it with `quizapp validate`.\n{body}")


def _write_new(target: Path, text: str, *, force: bool = False) -> None:
    """Check that the file loads cleanly, then write it; an existing file is replaced only with `force`."""
    size = len(text.encode())
    if size > MAX_FILE_BYTES:
        raise UserError(f"the converted notes make a {size / 1e6:.1f} MB file, over the {MAX_FILE_BYTES // 2**20} MB "
                        "a content file may have: in Anki, export fewer notes at a time; nothing was written")
    from quizapp.deck.loader import load_file

    with tempfile.TemporaryDirectory(prefix="quizapp-import-") as folder:
        trial = Path(folder) / target.name
        trial.write_text(text, encoding="utf-8")
        _, errors = load_file(trial)
        if errors:
            raise UserError("the converted file does not validate (a bug in the import; please report it):\n  "
                            + "\n  ".join(str(error) for error in errors))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the folder {target.parent}: {exc.strerror or exc}") from None
    write_text(target, text, force=force)
