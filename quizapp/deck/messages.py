"""Turn pydantic's validation errors into short sentences that say what to write instead."""

from __future__ import annotations

import datetime
import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from solvers import short_repr, too_large_number  # the words of template messages too

from quizapp.deck.values import shown_value, type_name, value_and_kind
from quizapp.plural import counted

__all__ = ["describe_error", "did_you_mean", "fields_at"]


def did_you_mean(word: str, choices: typing.Iterable[str], n: int = 1) -> str:
    """" (did you mean 'a' or 'b'?)" for the `n` choices that read most nearly like `word`, else nothing."""
    matches = difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)
    return f" (did you mean {' or '.join(repr(match) for match in matches)}?)" if matches else ""


def describe_error(error: ErrorDetails, model: type[BaseModel] | None) -> str:
    kind = error["type"]
    value = error.get("input")
    loc = error["loc"]
    if kind == "missing":
        return "required field is missing"
    if kind in {"too_short", "too_long"} and loc and loc[-1] == "key_points" and isinstance(value, list):
        return f"an open question needs 2 to 8 key points (what an interviewer listens for), not {len(value)}"
    if kind in _NOT_A_MAPPING and _MAPPING_HINTS.get(_field_kind(loc)):
        what, write = _MAPPING_HINTS[_field_kind(loc)]
        return f"{what} is a mapping, not {type_name(value)}: write {write}"
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else "?"
        allowed = fields_at(model, loc[:-1]) if model else []
        hint = did_you_mean(name, allowed)
        listing = f"; allowed here: {', '.join(allowed)}" if allowed and not hint else ""
        return f"unknown field {short_repr(name)}{hint}{listing}"
    if kind in {"float_parsing", "float_type"} and isinstance(value, int) and not isinstance(value, bool):
        return too_large_number(value)
    if kind in {"float_parsing", "int_parsing"} and loc[-1:] == ("time_limit",):  # `2m`, "2 minutes"
        return f"the time limit is a number of seconds (like 120), not {value_and_kind(value)}"
    if kind in {"float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"}:
        return f"not {'a whole' if kind == 'int_from_float' else 'a'} number: {value_and_kind(value)}"
    if kind == "finite_number":
        return f"not a finite number: {shown_value(value)}"
    if kind in {"string_type"}:
        return f"expected text, got {type_name(value)}: {shown_value(value)}{_quote_hint(value)}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"expected true or false, got {value_and_kind(value)}"
    if kind == "list_type":
        return f"expected a list, got {type_name(value)}"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"expected a mapping of fields, got {type_name(value)}"
    if kind == "string_pattern_mismatch" and isinstance(value, str) and ("\n" in value or not value.strip()):
        if not value.strip():  # the one-line fields
            return "must not be blank"
        if "\n" not in value.strip():  # only a line break at the end: what `>` and `|` leave
            return f"{ONE_LINE} (a block scalar, `>` or `|`, ends with one: write it after the colon, or use `>-`)"
        return ONE_LINE
    if kind == "string_pattern_mismatch":
        return _pattern_message(value, str(error.get("ctx", {}).get("pattern", "")))
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"} and loc[-1:] == ("time_limit",):
        return _time_limit_message(kind, error.get("ctx", {}))
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"too long: at most {error.get('ctx', {}).get('max_length')} characters"
    if kind == "too_short":
        least = error.get("ctx", {}).get("min_length", 1)
        return f"needs at least {counted(least, 'item')}" + (" (cards)" if loc == ("cards",) else "")
    if kind == "too_long":
        return f"too many items: at most {error.get('ctx', {}).get('max_length')}"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    if kind == "union_tag_invalid":
        tag = error.get("ctx", {}).get("tag", value)
        from quizapp.deck.schema import CARD_TYPES

        hint = did_you_mean(str(tag), CARD_TYPES)
        return f"unknown card type {short_repr(tag)}{hint}; use one of {', '.join(CARD_TYPES)}"
    if kind == "union_tag_not_found":
        from quizapp.deck.schema import CARD_TYPES

        return f"card has no `type`; use one of {', '.join(CARD_TYPES)}"
    return error["msg"][0].lower() + error["msg"][1:] if error["msg"] else kind


ONE_LINE = "must be one short line, with no line breaks"

_NOT_A_MAPPING = {"model_type", "dict_type", "model_attributes_type"}
# What to write where a mapping is wanted and a plain value is easy to write by mistake (`- b`, `tolerance: 0.01`).
_MAPPING_HINTS = {
    "key_points[]": ("a key point", "`- text: ...` (and optionally `keywords: [...]`)"),
    "options[]": ("an option", "`- text: ...` (with `correct: true` for a right one, and optionally `why: ...`)"),
    "tolerance": ("a tolerance", "one of {rel: 0.01}, {abs: 0.001} or {sig_figs: 3}"),
}


def _field_kind(loc: tuple[Any, ...]) -> str:
    """`("options", 1)` -> "options[]", `("tolerance",)` -> "tolerance": the field a value is in, without indexes."""
    if len(loc) == 2 and isinstance(loc[1], int):
        return f"{loc[0]}[]"
    return str(loc[0]) if len(loc) == 1 else ""


def _pattern_message(value: Any, pattern: str) -> str:
    """Which rule a text broke, told by the pattern it failed (see `quizapp.deck.schema`)."""
    if pattern.startswith("^[^\\n]"):  # OneLine
        return ONE_LINE
    if pattern.startswith("^[A-Za-z0-9]"):  # Tag
        return (f"{short_repr(value)} is not a valid tag: use letters, digits and _ - : . with no spaces, "
                "starting with a letter or digit (like 'metrics' or 'bn:train')")
    if "/)?" in pattern:  # CardRef
        return (f"{short_repr(value)} is not a card id: write an id of this topic (like 'bn-small-batch') "
                "or topic/id for a card of another topic")
    if pattern.startswith("^[A-Za-z_]"):  # ParamName
        return (f"{short_repr(value)} is not a valid parameter name: use letters, digits and _, starting with a "
                "letter or _, at most 32 (like 'n' or 'lr_0'); a '-' would read as a minus sign")
    return f"{short_repr(value)} is not a valid name: use lowercase letters, digits and '-' (like 'auc-basics')"


def _time_limit_message(kind: str, ctx: dict[str, Any]) -> str:
    limit = next((ctx[name] for name in ("ge", "le", "gt", "lt") if name in ctx), "?")
    words = {"greater_than_equal": "at least", "less_than_equal": "at most",
             "greater_than": "greater than", "less_than": "less than"}[kind]
    return f"the time limit must be {words} {limit} seconds"


def fields_at(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> list[str]:
    """Field names of the (nested) model reached by following `loc` from `model`."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        current = _inner_model(fields[part].annotation)
    return list(getattr(current, "model_fields", {}) or [])


def _inner_model(annotation: Any) -> Any:
    """The BaseModel inside `X`, `list[X]` or `X | None`, if there is one."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None


def _quote_hint(value: Any) -> str:
    """What to do when YAML read an unquoted word as a value of its own (the author wrote `back: yes`)."""
    if isinstance(value, bool):
        return " (YAML reads an unquoted yes, no, on, off, true or false so): put the text in quotes, like 'yes'"
    if isinstance(value, (int, float, datetime.date)) or value is None:
        written = "~ or null" if value is None else "number" if isinstance(value, (int, float)) else "date"
        return f" (YAML reads an unquoted {written} so): put the text in quotes"
    return ""
