"""Reading an Anki "Notes in Plain Text" export: its `#key:value` header lines and its rows.

Anki writes, e.g.:

    #separator:tab
    #html:true
    #guid column:1
    #notetype column:2
    #deck column:3
    #tags column:6
    uJ[M-s5IfJ<TAB>Basic<TAB>Deep::Learning<TAB>front<TAB>back<TAB>tag1 tag2

Fields holding the separator, a quote or a line break are quoted as in CSV. Every problem is a UserError
naming the file and line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from quizapp.errors import UserError
from quizapp.saferead import FileRefused, read_regular
from quizapp.safetext import shown_path

__all__ = ["MAX_IMPORT_BYTES", "AnkiRow", "AnkiTextExport", "read_anki_text"]

SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
_COLUMN_KEYS = {"guid column": "guid", "notetype column": "notetype", "deck column": "deck", "tags column": "tags"}
MAX_IMPORT_BYTES = 32 * 2**20  # the notes of one content file (2 MB of YAML), in HTML, are far less
HINT = "export from Anki with File > Export > Notes in Plain Text (.txt)"


@dataclass(frozen=True)
class AnkiRow:
    line: int
    fields: tuple[str, ...]  # the note's fields, without the guid, notetype, deck and tags columns
    guid: str | None = None
    notetype: str | None = None
    deck: str | None = None
    tags: tuple[str, ...] = ()


@dataclass
class AnkiTextExport:
    path: Path
    separator: str = "\t"
    html: bool = False
    columns: dict[str, int] = field(default_factory=dict)  # "guid"/"notetype"/"deck"/"tags" -> 0-based
    names: list[str] | None = None  # from #columns:
    notetype: str | None = None
    deck: str | None = None
    tags: tuple[str, ...] = ()
    header_lines: dict[str, int] = field(default_factory=dict)
    rows: list[AnkiRow] = field(default_factory=list)

    def where(self, line: int) -> str:
        return f"{shown_path(self.path)}:{line}"


def read_anki_text(path: Path) -> AnkiTextExport:
    export = AnkiTextExport(path)
    lines = _decode(path, _read_bytes(path)).splitlines(keepends=True)
    body_start = _read_header(export, lines)
    if not any(line.strip() for line in lines[body_start:]):
        raise UserError(f"{shown_path(path)}: no notes in the file; {HINT}")
    if "separator" not in export.header_lines:
        _guess_separator(export, lines, body_start)
    _read_rows(export, "".join(lines[body_start:]), body_start)
    return export


def _read_bytes(path: Path) -> bytes:
    """The file's bytes; a pipe, a device or a file far larger than one content file can hold is refused
    before it is read (a pipe would wait for ever, /dev/zero fill the memory)."""
    try:
        return read_regular(path, MAX_IMPORT_BYTES)
    except FileRefused as refused:
        if refused.kind is not None:
            raise UserError(f"{shown_path(path)} is not a regular file (a {refused.kind}); {HINT}") from None
        raise UserError(_too_big(path, refused.size or 0)) from None
    except OSError as exc:
        raise UserError(f"cannot read {shown_path(path)}: {exc.strerror or exc}") from None


def _too_big(path: Path, size: int) -> str:
    return (f"{shown_path(path)} is {size // 10**6:,} MB; an Anki export imported here is at most "
            f"{MAX_IMPORT_BYTES // 2**20} MB "
            "(a topic's file holds 2 MB): in Anki, export one deck (or a search) at a time")


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise UserError(f"{shown_path(path)}:{line}: binary data (a NUL byte): this is not a text export; {HINT}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserError(f"{shown_path(path)}:{line}: not UTF-8 text ({exc.reason} at byte {exc.start}); "
                        f"{HINT}") from None


def _read_header(export: AnkiTextExport, lines: list[str]) -> int:
    """Apply the leading `#key:value` lines; returns the index of the first row."""
    for index, raw in enumerate(lines):
        if not raw.startswith("#"):
            return index
        key, _, value = raw[1:].rstrip("\r\n").partition(":")
        _apply_header(export, key.strip().lower(), value, index + 1)
    return len(lines)


def _apply_header(export: AnkiTextExport, key: str, value: str, line: int) -> None:
    export.header_lines[key] = line
    where = export.where(line)
    if key == "separator":
        name = value.strip().lower()
        separator = SEPARATORS.get(name, value if len(value) == 1 else None)
        if separator is None:
            raise UserError(f"{where}: unknown separator {value!r}; use tab, comma, semicolon, space, pipe or colon")
        export.separator = separator
    elif key == "html":
        export.html = value.strip().lower() == "true"
    elif key in _COLUMN_KEYS:
        if not re.fullmatch(r"[0-9]{1,6}", value.strip()) or int(value) < 1:  # not isdigit(): it accepts '²'
            raise UserError(f"{where}: '#{key}:' needs a column number from 1, not {value.strip()!r}")
        export.columns[_COLUMN_KEYS[key]] = int(value) - 1
    elif key == "columns":
        export.names = value.split(export.separator)
    elif key == "notetype":
        export.notetype = value.strip()
    elif key == "deck":
        export.deck = value.strip()
    elif key == "tags":
        export.tags = tuple(value.split())
    # other keys are comments or settings that do not matter here


def _guess_separator(export: AnkiTextExport, lines: list[str], body_start: int) -> None:
    first = next(i for i in range(body_start, len(lines)) if lines[i].strip())
    if "\t" not in lines[first]:
        raise UserError(f"{export.where(first + 1)}: no tab between fields and no '#separator:' line: "
                        f"this is not a tab-separated Anki export; {HINT}")


def _read_rows(export: AnkiTextExport, body: str, offset: int) -> None:
    # csv refuses a field over 128 KB ("field larger than field limit"), which failed a whole export for one
    # long note; each field is checked against the content limits when it becomes a card.
    limit = csv.field_size_limit(MAX_IMPORT_BYTES)
    try:
        _read_csv_rows(export, body, offset)
    finally:
        csv.field_size_limit(limit)


def _read_csv_rows(export: AnkiTextExport, body: str, offset: int) -> None:
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=export.separator, strict=True)
    expected = len(export.names) if export.names else None
    expected_line = export.header_lines.get("columns")
    line = offset + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise UserError(f"{export.where(line)}: cannot read the fields ({exc}); a field that starts with "
                            'a quote must end with one, and a quote inside it is written twice ("")') from None
        if values and any(v.strip() for v in values):
            if expected is None:
                expected, expected_line = len(values), line
                _check_columns(export, expected, line)
            if len(values) != expected:
                raise UserError(f"{export.where(line)}: {len(values)} columns, but line {expected_line} has "
                                f"{expected}; every note needs the same columns")
            export.rows.append(_row(export, values, line))
        line = offset + reader.line_num + 1


def _check_columns(export: AnkiTextExport, count: int, line: int) -> None:
    for name, index in export.columns.items():
        if index >= count:
            header = export.where(export.header_lines[f"{name} column"])
            raise UserError(f"{header}: the {name} column is {index + 1}, but line {line} has only {count} columns")
    if count - len(export.columns) < 1:
        raise UserError(f"{export.where(line)}: no note fields, only guid/notetype/deck/tags columns")


def _row(export: AnkiTextExport, values: list[str], line: int) -> AnkiRow:
    meta = {name: values[index] for name, index in export.columns.items()}
    skip = set(export.columns.values())
    return AnkiRow(
        line=line,
        fields=tuple(value for index, value in enumerate(values) if index not in skip),
        guid=meta.get("guid") or None,
        notetype=meta.get("notetype") or export.notetype,
        deck=meta.get("deck") or export.deck,
        tags=tuple(meta.get("tags", "").split()) + export.tags,
    )
