"""The Anki note types (models) of a quizapp export, and stable ids for models and decks.

Ids come from fixed strings, never from a random number, so every export names the same note types and
decks and Anki updates notes in place. Changing a model's fields means a new name (bump `_VERSION`):
Anki will not put a note into a note type with other fields.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

import genanki

__all__ = ["FIELDS", "PARENT_DECK", "deck_id", "deck_name", "model_for", "stable_id"]

PARENT_DECK = "quizapp"
_VERSION = "v1"

FIELDS: dict[str, tuple[str, ...]] = {
    "basic": ("Front", "Back", "Explanation", "Sources", "Key"),
    "cloze": ("Text", "Explanation", "Sources", "Key"),
    "choice": ("Prompt", "Options", "Answer", "Feedback", "Explanation", "Sources", "Key"),
    "numeric": ("Prompt", "Answer", "Solution", "Explanation", "Sources", "Key"),
}

_EXTRAS = (
    "{{#Explanation}}<div class=explanation>{{Explanation}}</div>{{/Explanation}}"
    "{{#Sources}}<div class=sources>{{Sources}}</div>{{/Sources}}"
)
_TEMPLATES: dict[str, tuple[str, str]] = {
    "basic": ("{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}" + _EXTRAS),
    "cloze": ("{{cloze:Text}}", "{{cloze:Text}}" + _EXTRAS),
    "choice": (
        "{{Prompt}}<div class=options>{{Options}}</div>",
        "{{FrontSide}}<hr id=answer><div class=answer>{{Answer}}</div>"
        "{{#Feedback}}<div class=feedback>{{Feedback}}</div>{{/Feedback}}" + _EXTRAS,
    ),
    "numeric": (
        "{{Prompt}}",
        "{{FrontSide}}<hr id=answer><div class=answer>{{Answer}}</div>"
        "{{#Solution}}<div class=solution>{{Solution}}</div>{{/Solution}}" + _EXTRAS,
    ),
}
_CSS = """\
.card { font-family: sans-serif; font-size: 18px; text-align: left; color: black; background: white; }
.nightMode.card { color: #eee; background: #222; }
.cloze { font-weight: bold; color: #1565c0; }
.option, .answer { margin: 0.3em 0; }
.feedback, .explanation, .solution { margin-top: 0.8em; }
.sources { margin-top: 1.2em; font-size: 12px; color: #888; }
table { border-collapse: collapse; }
td, th { border: 1px solid #aaa; padding: 0.1em 0.5em; }
"""


def stable_id(*parts: str) -> int:
    """A positive id in genanki's recommended range [2**30, 2**31), the same for the same strings."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest()
    return (1 << 30) + int.from_bytes(digest, "big") % (1 << 30)


def deck_id(topic: str) -> int:
    return stable_id("quizapp deck", topic)


def deck_name(title: str) -> str:
    """`quizapp::<title>`; "::" inside a title would nest deeper, so a run of colons becomes one (":::" only
    replaced pair by pair left "::")."""
    return f"{PARENT_DECK}::{re.sub(':{2,}', ':', title).strip()}"


@cache
def model_for(kind: str) -> genanki.Model:
    """The note type for "basic", "cloze", "choice" or "numeric"."""
    front, back = _TEMPLATES[kind]
    return genanki.Model(
        model_id=stable_id("quizapp model", kind, _VERSION),
        name=f"quizapp {kind.capitalize()}",
        fields=[{"name": name} for name in FIELDS[kind]],
        templates=[{"name": "Cloze" if kind == "cloze" else "Card 1", "qfmt": front, "afmt": back}],
        css=_CSS,
        model_type=genanki.Model.CLOZE if kind == "cloze" else genanki.Model.FRONT_BACK,
    )
