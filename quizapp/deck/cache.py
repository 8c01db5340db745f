"""The content cache: what loading each content file gave last time, so a start skips parsing unchanged files.

One entry holds every file's result, keyed on the file's path, size, modification time and a hash of its
bytes (a file edited and put back at its old mtime, as `cp -p` or `rsync -t` do, is read again). An entry
that is missing, unreadable or from other code is ignored and written anew; nothing outside the loader
knows the cache exists.

Validated pydantic models are stored as plain values (`model_data`) and built again without validating
(`revived_model`): unpickling ten thousand models, each through pydantic's own `__setstate__` called from
pickle, and each with its own copy of its field set, took most of a warm start.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import suppress
import pickle
import sys
from collections.abc import Hashable
from pathlib import Path
from typing import Any

from quizapp.deck.errors import MAX_FILE_BYTES
from quizapp.saferead import FileRefused, read_regular

__all__ = ["ContentCache", "ModelData", "Signature", "file_signature", "model_data", "revived_model"]

Signature = tuple[str, int, int, str]  # absolute path, size, mtime in ns, sha256 of the bytes
# A model as (class, field values, the set of the fields given, (field name, shape) of each field that holds
# models: "one", "list" or "dict" of them); a model that does not fit (not frozen, extra or private
# attributes, models mixed with other values) is stored as itself.
ModelData = tuple
_new = object.__new__
_set = object.__setattr__


def file_signature(path: Path) -> Signature | None:
    """What identifies a file's content, or None if it cannot be read."""
    try:
        stat = os.stat(path)
        data = read_regular(path, MAX_FILE_BYTES)
    except (OSError, FileRefused):  # not cached: the parser reports why it is not read
        return None
    return os.path.abspath(path), stat.st_size, stat.st_mtime_ns, hashlib.sha256(data).hexdigest()


class ContentCache:
    """One pickle file: `(key, {signature: result})`, where `key` names the code the results depend on."""

    def __init__(self, path: Path, key: Hashable) -> None:
        self.path = path
        self.key = key

    def read(self) -> dict[Signature, Any]:
        """The stored results, or {} when there are none this code can use."""
        try:
            with self.path.open("rb") as handle:
                key = pickle.load(handle)  # the key first: a stale entry is refused before its results are read
                if key != self.key:
                    return {}
                results = pickle.load(handle)
        except Exception:  # missing, truncated, or written by other code: rebuild
            return {}
        return results if isinstance(results, dict) else {}

    def write(self, results: dict[Signature, Any]) -> None:
        """Replace the entry atomically; a data dir that cannot be written only costs speed."""
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with temporary.open("wb") as handle:
                pickle.dump(self.key, handle, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(results, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
        except OSError:
            with suppress(OSError):
                temporary.unlink(missing_ok=True)


def model_data(model: Any) -> ModelData | Any:
    """A validated, frozen pydantic model as plain values, for `revived_model` to build again without checking.

    Models of the same fields share one field set, and short texts (types, tags) one string, when read back:
    a deck is tens of thousands of models, and every allocation of a start is paid for in page faults.
    """
    from pydantic import BaseModel

    if (not model.model_config.get("frozen") or model.__pydantic_extra__ is not None
            or model.__pydantic_private__ is not None):
        return model  # stored as itself (a shared field set is safe only where nothing can be assigned)
    values = {}
    nested = []
    for name, value in model.__dict__.items():
        kind = type(value)
        if kind is str:
            value = _shared_word(value)
        elif kind in _SCALARS:
            pass
        elif kind is list and all(type(item) is str for item in value):
            value = [_shared_word(item) for item in value]
        elif isinstance(value, BaseModel):
            nested.append((name, "one"))
            value = model_data(value)
        elif kind is list and value and all(isinstance(item, BaseModel) for item in value):
            nested.append((name, "list"))
            value = [model_data(item) for item in value]
        elif kind is dict and value and all(isinstance(item, BaseModel) for item in value.values()):
            nested.append((name, "dict"))
            value = {key: model_data(item) for key, item in value.items()}
        elif _holds_model(value, BaseModel):
            return model
        values[name] = value
    fields_set = frozenset(model.__pydantic_fields_set__)
    return type(model), values, _FIELD_SETS.setdefault(fields_set, set(fields_set)), tuple(nested)


_FIELD_SETS: dict[frozenset[str], set[str]] = {}
_SCALARS = frozenset({int, float, bool, type(None)})
_SHORT = 40  # characters: the length of types, tags and solver names, not of free text


def _shared_word(text: str) -> str:
    """A short text as one object (pickle then writes it once for every model that has it)."""
    return sys.intern(text) if len(text) < _SHORT else text


def _holds_model(value: Any, base: type) -> bool:
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_holds_model(item, base) for item in value)
    if isinstance(value, dict):
        return any(_holds_model(item, base) for item in value.values())
    return isinstance(value, base)


def revived_model(data: ModelData | Any) -> Any:
    """The model `model_data` gave `data` for, set up as pydantic's own `__setstate__` does (no validation:
    the values were validated when the file was parsed)."""
    if type(data) is not tuple:
        return data
    cls, values, fields_set, nested = data
    for name, shape in nested:  # `values` becomes the model's own: what was read is used once
        value = values[name]
        if shape == "one":
            values[name] = revived_model(value)
        elif shape == "list":
            values[name] = [revived_model(item) for item in value]
        else:
            values[name] = {key: revived_model(item) for key, item in value.items()}
    model = _new(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", fields_set)  # shared by models of the same fields; never changed
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model
