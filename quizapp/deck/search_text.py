"""The text of a card that free-text search reads, worked out once when the card joins the deck.

A search matches words within one field, in any case: each field is lower-cased and single-spaced, and the
fields are a line break apart (a query never holds one). Chinese and Japanese put no spaces between words, and
cards mix them with Latin letters and digits either way ("k折", "k 折"), so no space is kept beside such a
character: `search_form` does the same to a query's words, and either spelling finds both.
"""

from __future__ import annotations

import re

from quizapp.deck.schema import CLOZE_PATTERN, Card

__all__ = ["card_text", "search_form", "search_text"]

# A Han, kana or CJK punctuation character (fullwidth forms included; the ideographic space is white space).
_CJK = ("[\u2e80-\u2fdf\u3001-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
        "\ufe30-\ufe4f\uff01-\uff60\U00020000-\U0003134f]")
# A space first: the scan stops only at spaces. Left to `re` to compile on first use (1.6 ms, which a start
# that reads its cards from the cache need not pay).
_BESIDE_CJK = f" (?:(?={_CJK})|(?<={_CJK} ))"


def search_text(card: Card) -> str:
    """What free-text search looks in: each field of the card lower-cased, with single spaces, a line apart."""
    return "\n".join(map(_spaced, _text_values(card))).lower()  # lower() never makes or unmakes a space


def search_form(words: str) -> str:
    """Words of a query as the search text has them: lower-cased, single-spaced, no space beside a CJK character."""
    return _spaced(words).lower()


def _spaced(value: str) -> str:
    """`value` single-spaced, with no space beside a CJK character (most fields are ASCII: nothing to look for)."""
    value = _one_spaced(value)
    return value if value.isascii() else re.sub(_BESIDE_CJK, "", value)


def _one_spaced(value: str) -> str:
    """`value` with each run of white space one space and none at its ends. Most fields already are, and
    telling so (no white space but single spaces: all else is unprintable) is quicker than splitting them."""
    if value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " ":
        return value
    return " ".join(value.split())


def card_text(card: Card) -> str:
    """What a card says, a line per field: the text free words are searched in."""
    return "\n".join(_text_values(card))


# In the order a card's text is read: its own fields, then those of its options and key points, then hints.
_TEXT_FIELDS = ("front", "back", "prompt", "text", "explanation", "solution", "model_answer", "options",
                "key_points", "hints")
_text_fields_of: dict[type, tuple[str, ...]] = {}  # a card type's _TEXT_FIELDS (most types have 3 or 4)


def _text_values(card: Card) -> list[str]:
    kind = type(card)
    names = _text_fields_of.get(kind)
    if names is None:
        names = _text_fields_of[kind] = tuple(name for name in _TEXT_FIELDS if name in kind.model_fields)
    fields = card.__dict__  # a pydantic model's values; asking the model itself is slower
    values = []
    for name in names:
        value = fields.get(name)
        if isinstance(value, str):
            values.append(CLOZE_PATTERN.sub(_cloze_words, value) if name == "text" else value)
        elif name == "options":
            for option in value or ():
                values.append(option.text)
                if option.why:
                    values.append(option.why)
        elif name == "key_points":
            for point in value or ():
                values.append(point.text)
                values.extend(point.keywords)
        elif name == "hints":
            values.extend(value or ())
    return values


def _cloze_words(match: re.Match[str]) -> str:
    return " ".join(filter(None, match.groups()[1:]))
