"""`quizapp import anki-text`: an Anki "Notes in Plain Text" export -> a content file that validates.

Basic-like notes become flashcards (first field front, second back; a "reversed card" note also makes the
card back to front, as Anki does); Cloze notes become cloze cards (the text, and "Back Extra" as the
explanation). Fields past those (a note type's own Extra or Source) become the explanation, not lost; the
notes of several decks keep their deck as a tag. Card ids come from the Anki GUID when the export has one, so a
re-import of the same notes gives the same ids (and keeps their review history). A note that cannot be a
valid card is skipped with a warning naming its line; the file is written only if at least one card is
good, and never over an existing file.
"""

from __future__ import annotations

import bisect
import hashlib
import html
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
from quizapp.export.anki_models import FIELDS
from quizapp.importing.anki_text_reader import AnkiRow, AnkiTextExport, read_anki_text
from quizapp.importing.html_markdown import UnwritableMath, html_to_markdown
from quizapp.plural import counted
from quizapp.safetext import ZERO_WIDTH, one_line, shown_path, visible
from quizapp.safewrite import write_text

__all__ = ["ImportResult", "card_id_for_note", "import_anki_text", "notes_to_cards"]

_CARD: TypeAdapter[Card] = TypeAdapter(Card)
# <img src="x.png"> (quoted or not) and [sound:x.mp3]: the files an Anki note shows or plays.
_MEDIA = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))|\[sound:([^\]]+)\]""", re.I)
_TAG_CHARS = re.compile(r"[^A-Za-z0-9_\-:.]+")


@dataclass
class ImportResult:
    path: Path
    cards: int
    warnings: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [f"wrote {counted(self.cards, 'card')} to {shown_path(self.path)}",
                 f"check it with: quizapp validate {shown_path(self.path)}"]
        return "\n".join(lines)


def import_anki_text(source: Path, topic: str, folder: Path, title: str | None = None, *,
                     force: bool = False) -> ImportResult:
    target = new_topic_file(folder, topic, force=force, folder_name="--out ")
    export = read_anki_text(source)
    _check_size(source, export)
    cards, warnings = _cards_with_lines(export)
    document = {
        "topic": topic,
        "title": _clean_title(title or _title(export) or topic.replace("-", " ").capitalize()),
        "sources": [f"Anki notes imported from {visible(source.name)}"[:200]],
    }
    # The loader checks more than the card schema (math nested too deep, a character reference to a bidi
    # control): a card it refuses is its note skipped, with the loader's reason at the note's line.
    for _ in range(3):
        if not cards:
            raise UserError("\n".join([*warnings, f"{source}: no note could be turned into a card; nothing was "
                                        "written"]))
        text = _dump({**document, "cards": [card for _, card in cards]}, source)
        _check_converted_size(text)
        refused = _refused_cards(target, text)
        if not refused:
            break
        warnings += [f"{export.where(cards[index][0])}: skipped: {reason}" for index, reason in refused.items()]
        cards = [card for index, card in enumerate(cards) if index not in refused]
    else:
        raise UserError("the converted file does not validate (a bug in the import; please report it)")
    _write_new(target, text, force=force)
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
    cards, warnings = _cards_with_lines(export)
    return [card for _, card in cards], warnings


def _cards_with_lines(export: AnkiTextExport) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """Each valid card dict with the line of its note, and a warning for every note skipped."""
    cards: list[tuple[int, dict[str, Any]]] = []
    warnings: list[str] = []
    used: set[str] = set()
    media: dict[str, None] = {}
    # One topic holds the notes of every deck: with several, each card keeps its deck as a tag (tag:Lang::Verbs).
    several_decks = len({row.deck for row in export.rows}) > 1
    for row in export.rows:
        media.update(dict.fromkeys(name for value in row.fields for name in _media_names(value)))
        made = _cards(row, export.html, row.deck if several_decks else None)
        if isinstance(made, str):
            warnings.append(f"{export.where(row.line)}: skipped: {made}")
            continue
        base = card_id_for_note(row.guid, made[0].get("front") or made[0]["text"])
        for card, suffix in zip(made, ("", "-reverse")):
            card = {"id": _unique(base + suffix, used), **card}
            problem = _problem(card)
            if problem:
                warnings.append(f"{export.where(row.line)}: skipped: {problem}")
                used.discard(card["id"])
            else:
                cards.append((row.line, card))
    if media:
        warnings.append(_media_warning(list(media)))
    return cards, warnings


def _media_names(field_text: str) -> list[str]:
    return [html.unescape(name) for groups in _MEDIA.findall(field_text) for name in groups if name]


def _media_warning(names: list[str]) -> str:
    shown = ", ".join(visible(_cut(name)) for name in names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5
                                                                      else "")
    return (f"{counted(len(names), 'media file')} ({shown}) not imported: quizapp shows no pictures "
            "or sound, so the cards name them ([image: ...], [sound:...]) where they were")


def _cut(name: str, at: int = 60) -> str:
    """A media file's name as a warning quotes it: its start, when the export gave one of thousands of letters."""
    return name if len(name) <= at else name[:at - 3] + "..."


def _problem(card: dict[str, Any]) -> str | None:
    """Why the content schema refuses this card, or None."""
    try:
        _CARD.validate_python(card)
    except ValidationError as exc:
        error = exc.errors()[0]
        return f"{'.'.join(str(part) for part in error['loc'][1:])}: {error['msg']}"
    return None


def card_id_for_note(guid: str | None, text: str) -> str:
    """A stable slug: from the GUID when there is one (plus a hash, as GUIDs are case-sensitive), else the text."""
    digest = hashlib.blake2b((guid or text).encode(), digest_size=3).hexdigest()
    base = _slug(guid) if guid else "-".join(_slug(text).split("-")[:6])
    base = base[:40].strip("-")
    return f"{base}-{digest}" if base else f"anki-{digest}"


def _cards(row: AnkiRow, is_html: bool, deck_tag: str | None) -> list[dict[str, Any]] | str:
    """The cards of one note (a reversed note makes two), or why it makes none."""
    # Control characters are written out visibly (`\x1b`): the content file must not carry them.
    try:
        fields = [visible(html_to_markdown(value, is_html=is_html)) for value in row.fields]
    except UnwritableMath as exc:
        return str(exc)
    kind = (row.notetype or "").lower()
    tags = _tags((*row.tags, deck_tag) if deck_tag else row.tags)
    extra = {"tags": tags} if tags else {}
    if "cloze" in kind or (not kind and CLOZE_PATTERN.search(fields[0])):
        if not fields[0]:
            return "empty cloze text"
        return [{"type": "cloze", "text": fields[0], **_explanation(_extra_fields(kind, fields, 1)), **extra}]
    if len(fields) < 2 or not fields[0] or not fields[1]:
        return f"a {row.notetype or 'note'} needs a front and a back (the first two fields)"
    # "Basic (optional reversed card)": its third field, "Add Reverse", asks for the reverse; it is no text.
    optional = "optional reversed" in kind
    reverse = "reversed" in kind and (not optional or any(fields[2:3]))
    rest = _explanation(_extra_fields(kind, fields, 3 if optional else 2))
    front, back = fields[0], fields[1]
    made = [{"type": "flashcard", "front": front, "back": back, **rest, **extra}]
    if reverse:
        made.append({"type": "flashcard", "front": back, "back": front, **rest, **extra})
    return made


def _extra_fields(kind: str, fields: list[str], shown: int) -> list[str]:
    """The fields after the `shown` ones that hold text to keep. A note of quizapp's own export keeps them all
    (a choice's Answer and Feedback, a numeric's Solution) but its Sources and Key: quizapp's bookkeeping."""
    own = FIELDS.get(kind.removeprefix("quizapp "), ()) if kind.startswith("quizapp ") else ()
    if own:
        return [value for name, value in zip(own[shown:], fields[shown:]) if name not in ("Sources", "Key")]
    return fields[shown:]


def _explanation(fields: list[str]) -> dict[str, str]:
    """A note's fields past the ones a card shows (Back Extra, a user's own Notes or Source field) would be lost:
    they become the explanation, shown after the answer."""
    shown = [field_text for field_text in fields if field_text]
    return {"explanation": "\n\n".join(shown)} if shown else {}


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


def _refused_cards(target: Path, text: str) -> dict[int, str]:
    """The cards (by index) that the loader refuses in the converted `text`, each with the loader's reason.
    A problem outside the cards is the import's own bug: a UserError naming the converted file's line."""
    errors = _load_errors(target, text)
    if not errors:
        return {}
    starts = _card_lines(text)
    refused: dict[int, str] = {}
    for error in errors:
        index = bisect.bisect_right(starts, error.line or 0) - 1
        if not starts or error.line is None or index < 0:
            raise UserError("the converted file does not validate (a bug in the import; please report it):\n  "
                            f"{target.name}, line {error.line}: {error.where}: {error.message}")
        field_name = error.where.split(": ", 1)[1] if ": " in error.where else ""
        refused.setdefault(index, f"{field_name}: {error.message}" if field_name else error.message)
    return refused


def _card_lines(text: str) -> list[int]:
    """The 1-based line where each card of the dumped document starts."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    for key, value in root.value:
        if key.value == "cards":
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _load_errors(target: Path, text: str) -> list:
    from quizapp.deck.loader import load_file

    with tempfile.TemporaryDirectory(prefix="quizapp-import-") as folder:
        trial = Path(folder) / target.name
        trial.write_text(text, encoding="utf-8")
        return load_file(trial)[1]


def _check_converted_size(text: str) -> None:
    size = len(text.encode())
    if size > MAX_FILE_BYTES:
        raise UserError(f"the converted notes make a {size / 1e6:.1f} MB file, over the {MAX_FILE_BYTES // 2**20} MB "
                        "a content file may have: in Anki, export fewer notes at a time; nothing was written")


def _write_new(target: Path, text: str, *, force: bool = False) -> None:
    """Write the checked `text`; an existing file is replaced only with `force`."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the folder {target.parent}: {exc.strerror or exc}") from None
    write_text(target, text, force=force)
