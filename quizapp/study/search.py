"""Finding cards: `topic:auc type:choice tag:metrics free words`."""

from __future__ import annotations

from quizapp.deck.model import DeckCard

__all__ = ["matches"]


def matches(card: DeckCard, query: str) -> bool:
    """`topic:auc type:choice tag:metrics free words`: every term must match (case-insensitive)."""
    for term in query.lower().split():
        field, _, value = term.partition(":")
        if value and field == "topic":
            ok = value in card.topic
        elif value and field == "type":
            ok = card.type.startswith(value)
        elif value and field == "tag":
            ok = any(value in tag.lower() for tag in card.card.tags)
        else:
            ok = term in _searchable(card)
        if not ok:
            return False
    return True


def _searchable(card: DeckCard) -> str:
    return (card.key + " " + card.card.model_dump_json()).lower()
