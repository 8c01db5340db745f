"""Safe YAML reading that remembers where every value came from.

Content files are parsed to a node graph (safe tags only), then turned into plain Python objects while a
position index records the line and column of each value, so that validation errors can say `file:line:col`.
Hostile input is bounded: file size, nesting depth and alias expansion ("billion laughs") all have limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["MAX_FILE_BYTES", "Position", "YamlDocument", "YamlProblem", "read_yaml"]

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 1_000_000
MAX_ALIAS_NODES = 10_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STANDARD_TAG = "tag:yaml.org,2002:"
_STR_TAG = _STANDARD_TAG + "str"

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based

    @classmethod
    def of(cls, node: yaml.Node) -> Position:
        return cls(node.start_mark.line + 1, node.start_mark.column + 1)


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
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Position(mark.line + 1, mark.column + 1) if mark else None
        raise YamlProblem(f"YAML syntax error: {_yaml_message(exc)}", where) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML error: {exc}") from None
    except RecursionError:
        raise YamlProblem(f"nesting is too deep (the limit is {MAX_DEPTH} levels)") from None
    if root is None:
        raise YamlProblem("file is empty: a content file is a mapping with topic, title and cards")
    document = YamlDocument(data=None)
    document.data = _Converter(document).convert(root, ())
    return document


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


class _Converter:
    """Turns a node graph into Python values, recording positions and enforcing the limits."""

    def __init__(self, document: YamlDocument) -> None:
        self.document = document
        self.constructor = yaml.SafeLoader("")
        self.seen: set[int] = set()
        self.nodes = 0
        self.alias_nodes = 0

    def convert(self, node: yaml.Node, path: PathKey) -> Any:
        self._count(node, path)
        self.document.values[path] = Position.of(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _count(self, node: yaml.Node, path: PathKey) -> None:
        if not node.tag.startswith(_STANDARD_TAG) or node.tag.startswith(_STANDARD_TAG + "python"):
            tag = node.tag.replace(_STANDARD_TAG, "!!")
            raise YamlProblem(f"unsupported tag '{tag}': content files use plain YAML values", Position.of(node))
        self.nodes += 1
        if id(node) in self.seen:
            self.alias_nodes += 1
        else:
            self.seen.add(id(node))
        if len(path) > MAX_DEPTH:
            raise YamlProblem(f"nesting is too deep (the limit is {MAX_DEPTH} levels)", Position.of(node))
        if self.alias_nodes > MAX_ALIAS_NODES or self.nodes > MAX_NODES:
            raise YamlProblem(
                "too many values after expanding aliases (&anchor / *alias): "
                "the file looks like an alias bomb; write the values out instead",
                Position.of(node),
            )

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[Any, Any]:
        self._reject_duplicate_keys(node)
        try:
            self.constructor.flatten_mapping(node)  # resolves `<<: *defaults`; own keys come last and win
        except yaml.MarkedYAMLError as exc:
            raise YamlProblem(f"bad merge key: {_yaml_message(exc)}", Position.of(node)) from None
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            self.document.keys[path + (key,)] = Position.of(key_node)
            result[key] = self.convert(value_node, path + (key,))
        return result

    def _reject_duplicate_keys(self, node: yaml.MappingNode) -> None:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self._key(key_node)
            if key in seen:
                raise YamlProblem(f"key '{key}' appears twice in the same mapping", Position.of(key_node))
            seen.add(key)

    def _key(self, node: yaml.Node) -> str:
        key = self._scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if key is None or isinstance(key, (list, dict)):
            raise YamlProblem("mapping keys must be plain words", Position.of(node))
        return key if isinstance(key, str) else str(key)

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == _STR_TAG:
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.MarkedYAMLError as exc:
            raise YamlProblem(f"unsupported value: {_yaml_message(exc)}", Position.of(node)) from None
