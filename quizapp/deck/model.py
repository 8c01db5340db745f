"""The loaded deck: topics, cards with their source location, and the schedulable study items."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from quizapp.deck.errors import ContentError
from quizapp.deck.schema import Card, ClozeCard

__all__ = ["Deck", "DeckCard", "StudyItem", "Topic", "card_hash"]


def card_hash(card: Card) -> str:
    """A short fingerprint of a card's content, to tell "edited since last review"."""
    return hashlib.sha256(card.model_dump_json().encode()).hexdigest()[:16]


@dataclass(frozen=True)
class DeckCard:
    topic: str
    card: Card
    path: Path
    line: int

    @property
    def key(self) -> str:
        return f"{self.topic}/{self.card.id}"

    @property
    def type(self) -> str:
        return self.card.type

    @cached_property
    def content_hash(self) -> str:
        return card_hash(self.card)

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"

    def study_items(self) -> list[StudyItem]:
        if isinstance(self.card, ClozeCard):
            return [StudyItem(self, n) for n in self.card.numbers]
        return [StudyItem(self, None)]


@dataclass(frozen=True)
class StudyItem:
    """One schedulable unit: a card, or one deletion of a cloze card (key `topic/id#c2`)."""

    card: DeckCard
    cloze: int | None = None

    @property
    def key(self) -> str:
        return self.card.key if self.cloze is None else f"{self.card.key}#c{self.cloze}"

    @property
    def topic(self) -> str:
        return self.card.topic


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    summary: str | None
    sources: tuple[str, ...]
    path: Path
    cards: tuple[DeckCard, ...]
    line: int = 1


@dataclass(frozen=True)
class Deck:
    topics: tuple[Topic, ...] = ()
    errors: tuple[ContentError, ...] = ()
    files: tuple[Path, ...] = field(default=())

    @cached_property
    def _topics_by_slug(self) -> dict[str, Topic]:
        return {topic.slug: topic for topic in self.topics}

    @cached_property
    def _cards_by_key(self) -> dict[str, DeckCard]:
        return {card.key: card for topic in self.topics for card in topic.cards}

    @cached_property
    def _items_by_key(self) -> dict[str, StudyItem]:
        return {item.key: item for item in self.items()}

    def topic(self, slug: str) -> Topic:
        return self._topics_by_slug[slug]

    def has_topic(self, slug: str) -> bool:
        return slug in self._topics_by_slug

    def card(self, key: str) -> DeckCard:
        return self._cards_by_key[key.split("#", 1)[0]]

    def item(self, key: str) -> StudyItem | None:
        return self._items_by_key.get(key)

    def cards(self, topics: list[str] | None = None) -> list[DeckCard]:
        chosen = self.topics if not topics else [self._topics_by_slug[t] for t in topics]
        return [card for topic in chosen for card in topic.cards]

    def items(self, topics: list[str] | None = None) -> list[StudyItem]:
        """Schedulable units in deck order (file order, then card order)."""
        return [item for card in self.cards(topics) for item in card.study_items()]

    @property
    def card_count(self) -> int:
        return len(self._cards_by_key)
