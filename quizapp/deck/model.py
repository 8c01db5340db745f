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

    @cached_property
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

    def study_items(self) -> tuple[StudyItem, ...]:
        return self._study_items

    @cached_property
    def _study_items(self) -> tuple[StudyItem, ...]:
        if isinstance(self.card, ClozeCard):
            return tuple(StudyItem(self, n) for n in self.card.numbers)
        return (StudyItem(self, None),)


@dataclass(frozen=True)
class StudyItem:
    """One schedulable unit: a card, or one deletion of a cloze card (key `topic/id#c2`)."""

    card: DeckCard
    cloze: int | None = None

    @cached_property
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

    @cached_property
    def _all_items(self) -> tuple[StudyItem, ...]:
        return tuple(item for topic in self.topics for card in topic.cards for item in card.study_items())

    @cached_property
    def _topic_items(self) -> dict[str, tuple[StudyItem, ...]]:
        return {t.slug: tuple(i for card in t.cards for i in card.study_items()) for t in self.topics}

    @property
    def item_keys(self) -> frozenset[str]:
        return self._item_keys

    @cached_property
    def _item_keys(self) -> frozenset[str]:
        return frozenset(self._items_by_key)

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

    def keys(self, topics: list[str] | None = None) -> tuple[str, ...]:
        """The keys of `items(topics)`, in the same order (kept so hot loops need no attribute lookups)."""
        wanted = tuple(topics or ())
        if wanted not in self._keys_cache:
            self._keys_cache[wanted] = tuple(item.key for item in self.items(topics))
        return self._keys_cache[wanted]

    @cached_property
    def _keys_cache(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        return {}

    def first_unseen(self, known: set[str], topics: list[str] | None, limit: int) -> list[StudyItem]:
        """The first `limit` items (deck order) whose keys are not in `known`.

        Known keys only accumulate while a deck is in use, so the scan resumes where the previous one found
        its first unseen item; if `known` shrank (an undo), it starts over.
        """
        wanted = tuple(topics or ())
        keys, items = self.keys(topics), self.items(topics)
        start, size_then = self._unseen_cursor.get(wanted, (0, 0))
        if len(known) < size_then:
            start = 0
        found: list[StudyItem] = []
        first = None
        for index in range(start, len(keys)):
            if keys[index] not in known:
                first = index if first is None else first
                found.append(items[index])
                if len(found) == limit:
                    break
        self._unseen_cursor[wanted] = (first if first is not None else len(keys), len(known))
        return found

    @cached_property
    def _unseen_cursor(self) -> dict[tuple[str, ...], tuple[int, int]]:
        return {}

    def items(self, topics: list[str] | None = None) -> tuple[StudyItem, ...]:
        """Schedulable units in deck order (file order, then card order)."""
        if not topics:
            return self._all_items
        if len(topics) == 1:
            return self._topic_items[topics[0]]
        return tuple(item for slug in topics for item in self._topic_items[slug])

    @property
    def card_count(self) -> int:
        return len(self._cards_by_key)
