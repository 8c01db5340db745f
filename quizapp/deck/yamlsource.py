"""Safe YAML reading that remembers where every value came from.

Content files are read as a stream of parser events (libyaml's parser keeps its own stack, so deep input
cannot overflow the C stack the way its recursive composer can) and built into plain Python values, while a
position index records the line and column of each value for `file:line:col` errors. Only the standard
YAML tags are accepted. Hostile input is bounded: file size, nesting depth, value count and alias
expansion ("billion laughs") all have limits.

Text is checked for characters no value may hold (terminal controls, bidi overrides; zero-width characters in
ids, titles, tags and glossary terms), each reported at the character itself, found in the source even when a double-quoted
escape wrote it; an escape that swallowed a LaTeX command (`"\\frac"` is a form feed and `rac`) says so.
These are `text_problems`, not a YamlProblem: the rest of the file is still checked and loaded.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from quizapp.deck.errors import MAX_FILE_BYTES, NOT_REGULAR
from quizapp.deck.mathtext import is_latex_command
from quizapp.saferead import FileRefused, read_regular
from quizapp.safetext import BIDI_CONTROLS, UNSAFE_CLASS, ZERO_WIDTH, describe, unsafe_characters

__all__ = ["MAX_FILE_BYTES", "Position", "TextProblem", "YamlDocument", "YamlProblem", "parse_yaml", "read_yaml"]

MAX_DEPTH = 64
MAX_NODES = 250_000  # a 2 MB file of ordinary cards has well under this
MAX_ALIAS_NODES = 10_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STANDARD_TAG = "tag:yaml.org,2002:"
_STR_TAG = _STANDARD_TAG + "str"
_MERGE_TAG = _STANDARD_TAG + "merge"
_MERGE = object()  # the pending key of a `<<:` entry

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based

    @classmethod
    def of(cls, mark: yaml.Mark) -> Position:
        return cls(mark.line + 1, mark.column + 1)


@dataclass(frozen=True)
class YamlProblem(Exception):
    """A file that cannot be read as YAML at all; `position` is None when no place applies."""

    message: str
    position: Position | None = None


@dataclass(frozen=True, slots=True)
class TextProblem:
    """A character a value must not hold (a terminal control, a bidi override, ...), at the character itself."""

    path: PathKey
    position: Position
    message: str


@dataclass
class YamlDocument:
    data: Any
    # Where each value (and each mapping key) starts, as the parser's marks: a Position is made only for the
    # few that an error message asks for, not for every value of every file.
    values: dict[PathKey, yaml.Mark] = field(default_factory=dict)
    keys: dict[PathKey, yaml.Mark] = field(default_factory=dict)
    text_problems: list[TextProblem] = field(default_factory=list)
    lines: EditorLines | None = None  # set when the parser counts lines differently from an editor
    text: str = ""  # the file as read, to place an error inside a value (a template's expression)

    def position(self, path: PathKey) -> Position | None:
        """Position of the value at `path`, or of its nearest enclosing value that has one."""
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return self._of(found)
        return None

    def key_position(self, path: PathKey) -> Position | None:
        found = self.keys.get(path)
        return self._of(found) if found is not None else self.position(path)

    def _of(self, mark: yaml.Mark) -> Position:
        position = Position.of(mark)
        return self.lines.translated(position) if self.lines is not None else position


# YAML also ends a line at NEL, LS and PS (U+0085, U+2028, U+2029); editors, and people, do not.
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_EDITOR_BREAK = re.compile("\r\n|[\r\n]")
_UNUSUAL_BREAK = re.compile("[\x85\u2028\u2029]")


class EditorLines:
    """Turns the parser's line and column into an editor's, for a file that holds NEL, LS or PS."""

    def __init__(self, text: str) -> None:
        self.yaml_starts = [0] + [match.end() for match in _YAML_BREAK.finditer(text)]
        self.editor_starts = [0] + [match.end() for match in _EDITOR_BREAK.finditer(text)]

    @classmethod
    def needed(cls, text: str) -> EditorLines | None:
        return cls(text) if _UNUSUAL_BREAK.search(text) else None

    def translated(self, position: Position) -> Position:
        if position.line > len(self.yaml_starts):
            return position
        index = self.yaml_starts[position.line - 1] + position.column - 1
        line = bisect_right(self.editor_starts, index) - 1
        return Position(line + 1, index - self.editor_starts[line] + 1)


def read_yaml(path: Path) -> YamlDocument:
    """Read one YAML file; raise YamlProblem with a clear message when it cannot be read."""
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except FileRefused as refused:
        if refused.kind is not None:  # the loader lists regular files only: this one was changed since
            raise YamlProblem(f"a {refused.kind}, {NOT_REGULAR}") from None
        raise YamlProblem(
            f"file is too large ({refused.size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB): "
            "split it into several topics"
        ) from None
    except OSError as exc:
        raise YamlProblem(f"cannot read file: {exc.strerror or exc}") from None
    return parse_yaml(raw)


def parse_yaml(raw: bytes) -> YamlDocument:
    text = _decode(raw)
    lines = EditorLines.needed(text)
    try:
        document = _parse(text)
    except YamlProblem as problem:
        if lines is None or problem.position is None:
            raise
        raise YamlProblem(problem.message, lines.translated(problem.position)) from None
    if lines is not None:
        document.lines = lines
        document.text_problems = [replace(p, position=lines.translated(p.position)) for p in document.text_problems]
    return document


def _parse(text: str) -> YamlDocument:
    """The document, with positions as the parser counts lines; a reader error is placed as an editor counts."""
    builder = _Builder(text)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _clamped(text, mark.line + 1, mark.column + 1) if mark else None
        message = _yaml_message(exc)
        key = _long_key(text, exc)
        if key is not None:
            message, where = key
        elif mark is not None and text[mark.index:mark.index + 1] == "\t" and "tab" not in message:
            message += " (a tab: YAML indents with spaces only; replace the tab with spaces)"
        elif mark is not None and mark.index and text[mark.index - 1] == "\ufeff":  # files joined, BOM and all
            message += " (after a byte order mark, U+FEFF, that most editors do not show: remove it)"
            where = _clamped(text, mark.line + 1, mark.column)
        raise YamlProblem(f"YAML syntax error: {message}", where) from None
    except yaml.reader.ReaderError as exc:
        line, column = _yaml_place(text, exc.position)
        raise YamlProblem(
            f"{_reader_character(exc.character)} is not allowed in YAML: remove it",
            _clamped(text, line, column),
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML error: {str(exc).splitlines()[0]}") from None
    if builder.root is _EMPTY:
        raise YamlProblem("file is empty: a content file is a mapping with topic, title and cards", Position(1, 1))
    return YamlDocument(builder.root, builder.values, builder.keys, builder.text_problems, text=text)


MAX_KEY_CHARACTERS = 1024  # YAML's limit on a key written without '?' (an implicit key)


def _long_key(text: str, exc: yaml.MarkedYAMLError) -> tuple[str, Position] | None:
    """(message, the key's start) when the parser gave up on a key longer than YAML allows: it says it
    "could not find expected ':'", the ':' being there, past the key's 1024th character."""
    start, colon = exc.context_mark, exc.problem_mark
    if exc.context != "while scanning a simple key" or start is None or colon is None:
        return None
    length = colon.index - start.index
    if text[colon.index:colon.index + 1] != ":" or start.line != colon.line or length <= MAX_KEY_CHARACTERS:
        return None
    return (f"a key of {length:,} characters (its ':' at column {colon.column + 1}): YAML reads a key at most "
            f"{MAX_KEY_CHARACTERS:,} characters long; shorten it (or, if it is meant as text, write it as the "
            "value of a field)"), _clamped(text, start.line + 1, start.column + 1)


def _reader_character(character: int | str) -> str:
    """The character the YAML reader refused, as `visible` names it (the C reader gives a number: 'character 27')."""
    char = character if isinstance(character, str) else chr(character)
    code = ord(char)
    return f"control character {describe(char)}" if code < 0x20 or 0x7F <= code <= 0x9F else f"character {describe(char)}"


def _yaml_place(text: str, index: int) -> tuple[int, int]:
    """(line, column), 1-based, of `index` in `text`, counting lines as the parser does."""
    line, line_start = 1, 0
    for match in _YAML_BREAK.finditer(text, 0, index):
        line, line_start = line + 1, match.end()
    return line, index - line_start + 1


def _clamped(text: str, line: int, column: int) -> Position:
    """A place inside the file: errors "after the last line" point at the last line instead."""
    breaks = [match.end() for match in _YAML_BREAK.finditer(text)]
    last = max(1, len(breaks) + (0 if breaks and breaks[-1] == len(text) else 1))
    return Position(line, column) if line <= last else Position(last, 1)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}): save the file as UTF-8",
            Position(line, column),
        ) from None


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    message = ", ".join(parts) or str(exc).splitlines()[0]
    if "mapping values are not allowed" in message:  # the usual cause, in words a new author can act on
        message += (" (a ': ' inside text starts a new key: put the whole value in quotes, "
                    "'like: this', or in a block after |)")
    return message


_EMPTY = object()


@dataclass
class _Frame:
    """An open sequence or mapping while its events arrive."""

    value: list[Any] | dict[str, Any]
    path: PathKey
    anchor: str | None
    nodes_at_start: int
    key: Any = None  # mappings: the key waiting for its value (None: expecting a key)
    merges: list[dict[str, Any]] = field(default_factory=list)


class _Builder:
    """Builds plain values from parser events, recording positions and enforcing the limits."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.text_problems: list[TextProblem] = []
        self.root: Any = _EMPTY
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}  # anchor -> (value, number of values inside)
        self.values: dict[PathKey, yaml.Mark] = {}
        self.keys: dict[PathKey, yaml.Mark] = {}
        self.nodes = 0
        self.alias_nodes = 0
        self.constructor = yaml.SafeLoader("")
        self.plain_tags: dict[str, str] = {}  # plain scalar -> its resolved tag: keys repeat on every card

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.ScalarEvent):
            self._scalar(event)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            self._open(event)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            self._close()
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)
        elif isinstance(event, yaml.DocumentStartEvent) and self.root is not _EMPTY:
            raise YamlProblem("a content file holds one YAML document; remove the extra '---'",
                              Position.of(event.start_mark))

    # --- values ------------------------------------------------------------------------------------

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        self._count(event, 1)
        tag = event.tag if event.tag not in (None, "!") else self._implicit_tag(event)
        if tag != _STR_TAG:
            self._check_tag(tag, event)
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.value, dict) and frame.key is None:
            self._key(frame, event, tag)
            return
        if tag == _STR_TAG:
            value: Any = event.value
            self._check_text(value, self._child_path(frame), event)
        else:
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            try:
                value = self.constructor.construct_object(node, deep=True)
            except yaml.MarkedYAMLError as exc:
                raise YamlProblem(f"unsupported value: {_yaml_message(exc)}", Position.of(event.start_mark)) from None
            except (ValueError, OverflowError):
                from solvers import short_repr  # as every content message quotes a value

                place = Position.of(event.start_mark)
                raise YamlProblem(f"value out of range: {short_repr(event.value)}", place) from None
            surprise = _surprising_number(event.value, value) if event.implicit[0] else None
            if surprise is not None:
                self.text_problems.append(TextProblem(self._child_path(frame), Position.of(event.start_mark), surprise))
        self._place(value, event, event.anchor, 1)

    def _implicit_tag(self, event: yaml.ScalarEvent) -> str:
        """The tag of an untagged scalar: text unless it is plain and reads as something else (1, true, null)."""
        if not event.implicit[0]:  # quoted or a block (|, >): what the resolver would say too
            return _STR_TAG
        tag = self.plain_tags.get(event.value)
        if tag is None:
            tag = self.plain_tags[event.value] = self.constructor.resolve(yaml.ScalarNode, event.value, event.implicit)
        return tag

    def _key(self, frame: _Frame, event: yaml.ScalarEvent, tag: str) -> None:
        if tag == _MERGE_TAG:
            frame.key = _MERGE
            return
        key = event.value if tag == _STR_TAG else str(event.value)
        if key in frame.value:
            raise YamlProblem(f"key '{key}' appears twice in the same mapping", Position.of(event.start_mark))
        frame.key = key
        self.keys[frame.path + (key,)] = event.start_mark
        self._check_text(key, frame.path + (key,), event)

    def _open(self, event: yaml.CollectionStartEvent) -> None:
        self._count(event, 1)
        if event.tag not in (None, "!"):
            self._check_tag(event.tag, event)
        parent = self.stack[-1] if self.stack else None
        if parent is not None and isinstance(parent.value, dict) and parent.key is None:
            raise YamlProblem("mapping keys must be plain words", Position.of(event.start_mark))
        path = self._child_path(parent)
        if len(path) >= MAX_DEPTH:
            raise YamlProblem(f"nesting is too deep (the limit is {MAX_DEPTH} levels)", Position.of(event.start_mark))
        self.values[path] = event.start_mark
        container: list[Any] | dict[str, Any] = [] if isinstance(event, yaml.SequenceStartEvent) else {}
        self.stack.append(_Frame(container, path, event.anchor, self.nodes))

    def _close(self) -> None:
        frame = self.stack.pop()
        value = frame.value
        if frame.merges:  # `<<: *defaults`: merged keys first, the mapping's own keys win
            merged: dict[str, Any] = {}
            for source in reversed(frame.merges):
                merged.update(source)
            merged.update(value)
            value = merged
        size = self.nodes - frame.nodes_at_start + 1
        self._place(value, None, frame.anchor, size, path_known=frame.path)

    def _alias(self, event: yaml.AliasEvent) -> None:
        parent = self.stack[-1] if self.stack else None
        if parent is not None and isinstance(parent.value, dict) and parent.key is None:  # `*name : value`
            raise YamlProblem("mapping keys must be plain words, not an alias (*name)", Position.of(event.start_mark))
        if event.anchor not in self.anchors:
            inside = any(frame.anchor == event.anchor for frame in self.stack)
            reason = ": it is inside the value it names, which cannot hold itself" if inside else ""
            raise YamlProblem(f"unknown alias '*{event.anchor}'{reason}", Position.of(event.start_mark))
        value, size = self.anchors[event.anchor]
        self.alias_nodes += size
        self.nodes += size  # an alias stands for everything inside its anchor, for the enclosing sizes too
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise YamlProblem(
                "too many values after expanding aliases (&anchor / *alias): "
                "the file looks like an alias bomb; write the values out instead",
                Position.of(event.start_mark),
            )
        self._place(value, event, None, 0)

    def _place(self, value: Any, event: yaml.Event | None, anchor: str | None, size: int,
               path_known: PathKey | None = None) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, size)
        parent = self.stack[-1] if self.stack else None
        path = path_known if path_known is not None else self._child_path(parent)
        if event is not None:
            self.values[path] = event.start_mark
        if parent is None:
            self.root = value
        elif isinstance(parent.value, list):
            parent.value.append(value)
        elif parent.key is _MERGE:
            self._merge(parent, value, event)
        else:
            parent.value[parent.key] = value
            parent.key = None

    def _merge(self, frame: _Frame, value: Any, event: yaml.Event | None) -> None:
        sources = value if isinstance(value, list) else [value]
        if not all(isinstance(source, dict) for source in sources):
            mark = event.start_mark if event is not None else self.values.get(frame.path)
            where = Position.of(mark) if mark is not None else None
            raise YamlProblem("a merge key (<<) takes a mapping or a list of mappings", where)
        frame.merges.extend(sources)
        frame.key = None

    def _child_path(self, parent: _Frame | None) -> PathKey:
        if parent is None:
            return ()
        if isinstance(parent.value, list):
            return parent.path + (len(parent.value),)
        return parent.path + (parent.key,) if parent.key is not _MERGE else parent.path + ("<<",)

    # --- characters a value must not hold --------------------------------------------------------------

    def _check_text(self, value: str, path: PathKey, event: yaml.ScalarEvent) -> None:
        double_quoted = event.style == '"'
        names = _name_kind(path)
        suspect = _SUSPECT[double_quoted, names is not None].search(value) is not None
        if not suspect and "&#" not in value:
            return  # the common case: nothing to look at more closely
        source = self.text[event.start_mark.index:event.end_mark.index]
        written = list(_written(source, double_quoted))
        found = [(offset, message) for offset, char, how in written
                 if suspect and (message := _character_problem(source, offset, char, how, names))]
        if "&#" in value:
            found = sorted(found + _reference_problems(written))
        if found:
            offset, message = found[0]
            more = f" (and {len(found) - 1} more in this value)" if len(found) > 1 else ""
            self.text_problems.append(TextProblem(path, self._position_in(event, source, offset), message + more))

    @staticmethod
    def _position_in(event: yaml.ScalarEvent, source: str, offset: int) -> Position:
        start = event.start_mark
        line, column = _yaml_place(source, offset)
        if line == 1:
            return Position(start.line + 1, start.column + column)
        return Position(start.line + line, column)

    # --- limits ------------------------------------------------------------------------------------

    def _count(self, event: yaml.Event, nodes: int) -> None:
        self.nodes += nodes
        if self.nodes > MAX_NODES:
            raise YamlProblem(f"too many values (over {MAX_NODES:,}): split the file into several topics",
                              Position.of(event.start_mark))

    @staticmethod
    def _check_tag(tag: str, event: yaml.Event) -> None:
        # !!binary is refused too: bytes would reach text fields without the character checks.
        if not tag.startswith(_STANDARD_TAG) or tag.startswith((_STANDARD_TAG + "python", _STANDARD_TAG + "binary")):
            shown = tag.replace(_STANDARD_TAG, "!!")
            raise YamlProblem(f"unsupported tag '{shown}': content files use plain YAML values",
                              Position.of(event.start_mark))


# YAML 1.1 reads a plain `010` as octal (8) and `1:30` as base 60 (90): numbers nobody writing 010 or 1:30 meant.
_OCTAL = re.compile(r"[-+]?0[0-7_]+")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")


def _surprising_number(written: str, value: Any) -> str | None:
    """What is wrong with a plain number YAML 1.1 reads other than as written, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if _OCTAL.fullmatch(written):
        decimal = ("-" if written.startswith("-") else "") + (written.lstrip("+-").replace("_", "").lstrip("0") or "0")
        return (f"'{written}' is read by YAML as {value} (a leading 0 makes it octal): write {decimal} "
                "without the 0, or put it in quotes for text")
    if _SEXAGESIMAL.fullmatch(written):
        return f"'{written}' is read by YAML as {value} (base 60, as a time): write {value}, or put it in quotes for text"
    return None


# --- characters a value must not hold ------------------------------------------------------------------

_SIMPLE_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
                   "r": "\r", "e": "\x1b", "N": "\x85", "L": "\u2028", "P": "\u2029"}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_ESCAPE_NAMES = {"\0": "NUL", "\a": "bell", "\b": "backspace", "\t": "tab", "\n": "newline", "\v": "vertical tab",
                 "\f": "form feed", "\r": "carriage return", "\x1b": "escape", "\x85": "next line",
                 "\u2028": "line separator", "\u2029": "paragraph separator"}
# Characters a double-quoted escape makes out of a LaTeX command that are not refused anyway: \t (\text),
# \n (\nabla), \L (\Lambda), \P (\Phi).
_MAYBE_LATEX = "\t\n\u2028\u2029"
# (double-quoted, a name) -> the characters that make a value worth a closer look
_SUSPECT = {(quoted, name): re.compile(f"[{UNSAFE_CLASS}{_MAYBE_LATEX if quoted else ''}{ZERO_WIDTH if name else ''}]")
            for quoted in (False, True) for name in (False, True)}


def _name_kind(path: PathKey) -> str | None:
    """What the value at `path` is if it is a name people compare by eye or search for, where an invisible
    character must not hide (an id, a title, a tag; a glossary term, in either language); None for text."""
    if len(path) == 1:
        return "an id, title or tag" if path[0] in {"topic", "title"} else None
    if len(path) == 3 and path[0] == "glossary" and path[2] in {"term", "zh"}:
        return "a glossary term: it makes the term look like another, or unfindable"
    if len(path) >= 3 and path[0] == "cards" and (path[2] == "id" or (path[2] == "tags" and len(path) == 4)):
        return "an id, title or tag"
    return None


def _written(source: str, double_quoted: bool) -> Iterator[tuple[int, str, str]]:
    """(offset in the source, character it gives the value, how it is written) for each character."""
    index = 0
    while index < len(source):
        char = source[index]
        if double_quoted and char == "\\" and index + 1 < len(source):
            kind = source[index + 1]
            width = 2 + _HEX_ESCAPES.get(kind, 0)
            written = source[index:index + width]
            if kind in _HEX_ESCAPES:
                try:
                    produced = chr(int(written[2:], 16))
                except ValueError:
                    produced = ""
            else:
                produced = _SIMPLE_ESCAPES.get(kind, kind)
            yield index, produced, written
            index += width
            continue
        yield index, char, char
        index += 1


def _character_problem(source: str, offset: int, char: str, written: str, name: str | None) -> str | None:
    latex = _lost_latex_command(source, offset, written)
    if latex is not None:
        escape = f"'{written}' in a double-quoted string is a YAML escape ({_ESCAPE_NAMES.get(char, describe(char))})"
        lost = f", so '{latex}' lost its backslash" if latex != written else " inside math"
        return f"{escape}{lost}: write math in single quotes ('...') or a block scalar (|)"
    if char in "\t\n\u2028\u2029":
        return None
    if char in BIDI_CONTROLS:
        return (f"bidirectional control character {describe(char)} is not allowed: it makes text display in a "
                "different order than it reads; remove it")
    if unsafe_characters(char):
        how = f" (written '{written}')" if written != char else ""
        return (f"control character {describe(char)}{how} is not allowed in text: a terminal would act on it; "
                "remove it")
    if name and char in ZERO_WIDTH:
        return f"zero-width character {describe(char)} is not allowed in {name}; remove it"
    return None


# A Markdown character reference: the renderer turns `&#x202E;` into the character itself, after the check
# of the characters the file holds (it turns references to control characters into U+FFFD).
_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _reference_problems(written: list[tuple[int, str, str]]) -> list[tuple[int, str]]:
    """(offset in the source, message) for each character reference to a bidirectional control."""
    text = "".join(char[:1] or "\ufffd" for _, char, _ in written)
    found = []
    for match in _REFERENCE.finditer(text):
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        if code <= 0x10FFFF and chr(code) in BIDI_CONTROLS:
            found.append((written[match.start()][0],
                          f"bidirectional control character {describe(chr(code))} (written '{match.group()}') is not "
                          "allowed: it makes text display in a different order than it reads; remove it"))
    return found


def _lost_latex_command(source: str, offset: int, written: str) -> str | None:
    """`\\frac` read as form feed + `rac`: the LaTeX command meant, when an escape sits where one would
    (inside `$...$`, or spelling a command the renderer knows: "\\tand" in prose is a tab and "and")."""
    if len(written) != 2 or written[0] != "\\" or written[1] not in "abefnrtvLPN":
        return None
    letters = re.match(r"[A-Za-z]*", source[offset + 2:]).group()
    in_math = source.count("$", 0, offset) % 2 == 1
    if not letters:
        return written if in_math and written[1] == "t" else None
    if in_math or is_latex_command(written[1] + letters):
        return written + letters
    return None
