"""Safe YAML reading that remembers where every value came from.

Content files are read as a stream of parser events (libyaml's parser keeps its own stack, so deep input
cannot overflow the C stack the way its recursive composer can) and built into plain Python values, while a
position index records the line and column of each value for `file:line:col` errors. Only the standard
YAML tags are accepted. Hostile input is bounded: file size, nesting depth, value count and alias
expansion ("billion laughs") all have limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["MAX_FILE_BYTES", "Position", "YamlDocument", "YamlProblem", "parse_yaml", "read_yaml"]

MAX_FILE_BYTES = 2 * 1024 * 1024
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


@dataclass
class YamlDocument:
    data: Any
    values: dict[PathKey, Position] = field(default_factory=dict)
    keys: dict[PathKey, Position] = field(default_factory=dict)

    def position(self, path: PathKey) -> Position | None:
        """Position of the value at `path`, or of its nearest enclosing value that has one."""
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return None

    def key_position(self, path: PathKey) -> Position | None:
        return self.keys.get(path) or self.position(path)


def read_yaml(path: Path) -> YamlDocument:
    """Read one YAML file; raise YamlProblem with a clear message when it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlProblem(
                f"file is too large ({size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB): "
                "split it into several topics"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlProblem(f"cannot read file: {exc.strerror or exc}") from None
    return parse_yaml(raw)


def parse_yaml(raw: bytes) -> YamlDocument:
    text = _decode(raw)
    builder = _Builder()
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _clamped(text, mark.line + 1, mark.column + 1) if mark else None
        raise YamlProblem(f"YAML syntax error: {_yaml_message(exc)}", where) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise YamlProblem(
            f"character {exc.character!r} is not allowed in YAML (control characters are not)",
            _clamped(text, line, column),
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML error: {str(exc).splitlines()[0]}") from None
    if builder.root is _EMPTY:
        raise YamlProblem("file is empty: a content file is a mapping with topic, title and cards")
    return YamlDocument(builder.root, builder.values, builder.keys)


def _clamped(text: str, line: int, column: int) -> Position:
    """A place inside the file: errors "after the last line" point at the last line instead."""
    last = max(1, len(text.splitlines()))
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
    return ", ".join(parts) or str(exc).splitlines()[0]


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

    def __init__(self) -> None:
        self.root: Any = _EMPTY
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}  # anchor -> (value, number of values inside)
        self.values: dict[PathKey, Position] = {}
        self.keys: dict[PathKey, Position] = {}
        self.nodes = 0
        self.alias_nodes = 0
        self.constructor = yaml.SafeLoader("")

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
        tag = event.tag if event.tag not in (None, "!") else self.constructor.resolve(
            yaml.ScalarNode, event.value, event.implicit)
        self._check_tag(tag, event)
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.value, dict) and frame.key is None:
            self._key(frame, event, tag)
            return
        if tag == _STR_TAG:
            value: Any = event.value
        else:
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            try:
                value = self.constructor.construct_object(node, deep=True)
            except yaml.MarkedYAMLError as exc:
                raise YamlProblem(f"unsupported value: {_yaml_message(exc)}", Position.of(event.start_mark)) from None
            except (ValueError, OverflowError):
                raise YamlProblem(f"value out of range: {event.value[:40]!r}", Position.of(event.start_mark)) from None
        self._place(value, event, event.anchor, 1)

    def _key(self, frame: _Frame, event: yaml.ScalarEvent, tag: str) -> None:
        if tag == _MERGE_TAG:
            frame.key = _MERGE
            return
        key = event.value if tag == _STR_TAG else str(event.value)
        if key in frame.value:
            raise YamlProblem(f"key '{key}' appears twice in the same mapping", Position.of(event.start_mark))
        frame.key = key
        self.keys[frame.path + (key,)] = Position.of(event.start_mark)

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
        self.values[path] = Position.of(event.start_mark)
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
        if event.anchor not in self.anchors:
            raise YamlProblem(f"unknown alias '*{event.anchor}'", Position.of(event.start_mark))
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
            self.values[path] = Position.of(event.start_mark)
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
            where = Position.of(event.start_mark) if event is not None else self.values.get(frame.path)
            raise YamlProblem("a merge key (<<) takes a mapping or a list of mappings", where)
        frame.merges.extend(sources)
        frame.key = None

    def _child_path(self, parent: _Frame | None) -> PathKey:
        if parent is None:
            return ()
        if isinstance(parent.value, list):
            return parent.path + (len(parent.value),)
        return parent.path + (parent.key,) if parent.key is not _MERGE else parent.path + ("<<",)

    # --- limits ------------------------------------------------------------------------------------

    def _count(self, event: yaml.Event, nodes: int) -> None:
        self.nodes += nodes
        if self.nodes > MAX_NODES:
            raise YamlProblem(f"too many values (over {MAX_NODES:,}): split the file into several topics",
                              Position.of(event.start_mark))

    @staticmethod
    def _check_tag(tag: str, event: yaml.Event) -> None:
        if not tag.startswith(_STANDARD_TAG) or tag.startswith(_STANDARD_TAG + "python"):
            shown = tag.replace(_STANDARD_TAG, "!!")
            raise YamlProblem(f"unsupported tag '{shown}': content files use plain YAML values",
                              Position.of(event.start_mark))
