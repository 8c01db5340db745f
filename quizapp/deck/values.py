"""How a value read from a content file is quoted in a message: as YAML writes it, never as Python's repr.
Shared by the schema's validators and the messages made of pydantic's errors, so neither imports the other."""

from __future__ import annotations

import datetime
import json
from typing import Any

from solvers import short_repr

__all__ = ["shown_value", "type_name", "value_and_kind"]


def shown_value(value: Any) -> str:
    """A value read from a content file as YAML writes it, never as Python's repr: `2001-01-01`, `true`, `null`,
    `[1, 2]`; text in quotes; at most about 40 characters, as `short_repr` quotes.

    >>> shown_value(datetime.date(2001, 1, 1)), shown_value(True), shown_value(None), shown_value({"a": [1]})
    ('2001-01-01', 'true', 'null', '{"a": [1]}')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, datetime.datetime):
        return value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        try:
            text = json.dumps(value, ensure_ascii=False, default=shown_value)
        except (ValueError, RecursionError):  # an integer too long to write, a list that holds itself
            text = f"a {'mapping' if isinstance(value, dict) else 'list'}"
        return text if len(text) <= 40 else text[:37] + "..."
    return short_repr(value)


def value_and_kind(value: Any, then: str = "") -> str:
    """`shown_value`, with what YAML read it as when an unquoted word is read as no number or text, and `then`:
    "2001-01-01 (a date)", "yes (true/false; write ...)"."""
    kind = type_name(value) if isinstance(value, (bool, datetime.date)) or value is None else ""
    note = "; ".join(part for part in (kind, then) if part)
    return f"{shown_value(value)} ({note})" if note else shown_value(value)


def type_name(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", int: "a number", float: "a number", bool: "true/false", str: "text",
             datetime.date: "a date", datetime.datetime: "a date and time"}
    if value is None:
        return "nothing"
    return names.get(type(value), type(value).__name__)
