"""The loaded deck as plain values: topics, their cards (validated, with where they came from) and study items.

A `Deck` is built once by the loader and never changes; every lookup map is built at construction.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.deck.errors import ContentError
from quizapp.deck.followups import FollowUpGraph, follow_up_graph
from quizapp.deck.search_text import search_text
from quizapp.safetext import shown_path

if TYPE_CHECKING:
    from quizapp.deck.schema import Card

__all__ = ["Deck", "DeckCard", "GlossaryTerm", "StudyItem", "Topic", "card_hash", "item_key", "split_key"]


def item_key(topic: str, card_id: str, cloze: int | None = None) -> str:
    """The key review history is stored under: `topic/id`, or `topic/id#c2` for one deletion of a cloze card."""
    return f"{topic}/{card_id}" if cloze is None else f"{topic}/{card_id}#c{cloze}"


def split_key(key: str) -> tuple[str, str]:
    """`topic/id#c2` -> ("topic", "id"): the topic and the card a study item belongs to."""
    topic, _, rest = key.partition("/")
    return topic, rest.split("#", 1)[0]


def card_hash(card: Card) -> str:
    """A short fingerprint of a card's content, to tell "edited since last review"."""
    return hashlib.sha256(card.model_dump_json().encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class DeckCard:
    """A validated card with the topic it belongs to and where its file defines it."""

    topic: str
    card: Card
    path: Path
    line: int
    content_hash: str
    search_text: str = field(repr=False)  # what free-text search reads (`search_text.search_text`)
    clozes: tuple[int, ...] = ()  # the deletion numbers of a cloze card; empty for every other type
    follow_up_at: tuple[tuple[int, int], ...] = ()  # (line, column) of each of `card.follow_ups` in the file

    @classmethod
    def of(cls, topic: str, card: Card, path: Path, line: int,
           follow_up_at: tuple[tuple[int, int], ...] = ()) -> DeckCard:
        """A card as the loader found it, with its fingerprint and deletion numbers worked out."""
        clozes = tuple(card.numbers) if card.type == "cloze" else ()
        return cls(topic, card, path, line, card_hash(card), search_text(card), clozes, follow_up_at)

    @property
    def id(self) -> str:
        return self.card.id

    @property
    def type(self) -> str:
        return self.card.type

    @property
    def key(self) -> str:
        return item_key(self.topic, self.card.id)

    @property
    def location(self) -> str:
        return f"{shown_path(self.path)}:{self.line}"

    def study_items(self) -> tuple[StudyItem, ...]:
        clozes = self.clozes
        return tuple(StudyItem(self, n) for n in clozes) if clozes else (StudyItem(self, None),)


@dataclass(frozen=True, slots=True)
class StudyItem:
    """One schedulable unit: a card, or one deletion of a cloze card (key `topic/id#c2`)."""

    card: DeckCard
    cloze: int | None = None
    key: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", item_key(self.card.topic, self.card.id, self.cloze))

    @property
    def topic(self) -> str:
        return self.card.topic


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """One entry of a topic's bilingual glossary: an English term and its standard Chinese term."""

    term: str
    zh: str

    @staticmethod
    def key(term: str) -> str:
        """What makes two terms one: case, surrounding spaces and how Unicode writes it aside (NFKC: 'café'
        precomposed or with a combining accent, full-width letters, a no-break space)."""
        return unicodedata.normalize("NFKC", term.strip()).casefold()


@dataclass(frozen=True, slots=True)
class Topic:
    """One content file's topic with its valid cards, in file order."""

    slug: str
    title: str
    summary: str | None
    sources: tuple[str, ...]
    path: Path
    line: int  # where the topic's name is written: a second topic of that name is reported there
    column: int
    cards: tuple[DeckCard, ...]
    glossary: tuple[GlossaryTerm, ...] = ()
    items: tuple[StudyItem, ...] = field(init=False, repr=False, compare=False)
    item_keys: tuple[str, ...] = field(init=False, repr=False, compare=False)  # of `items`, in order
    _cards_by_id: dict[str, DeckCard] = field(init=False, repr=False, compare=False)
    _items_by_key: dict[str, StudyItem] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        items = tuple(item for card in self.cards for item in card.study_items())
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "item_keys", tuple(item.key for item in items))
        object.__setattr__(self, "_cards_by_id", {card.id: card for card in self.cards})
        object.__setattr__(self, "_items_by_key", {item.key: item for item in items})

    def card(self, card_id: str) -> DeckCard | None:
        return self._cards_by_id.get(card_id)

    def item(self, key: str) -> StudyItem | None:
        return self._items_by_key.get(key)


@dataclass(frozen=True, slots=True)
class Deck:
    """Every loaded topic, the problems found while loading, and the files read.

    `graph` is the resolved follow-ups (the loader passes the one it reported problems from; built here
    when not given).
    """

    topics: tuple[Topic, ...] = ()
    errors: tuple[ContentError, ...] = ()
    files: tuple[Path, ...] = ()
    graph: FollowUpGraph | None = field(default=None, repr=False, compare=False)
    _topics_by_slug: dict[str, Topic] = field(init=False, repr=False, compare=False)
    item_keys: frozenset[str] = field(init=False, repr=False, compare=False)
    _follow_ups: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _notes: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_topics_by_slug", {topic.slug: topic for topic in self.topics})
        object.__setattr__(self, "item_keys", frozenset(key for topic in self.topics for key in topic.item_keys))
        graph = self.graph if self.graph is not None else follow_up_graph(self.topics)
        object.__setattr__(self, "graph", graph)
        first_deletion = {card.key: item_key(card.topic, card.id, card.clozes[0])
                          for topic in self.topics for card in topic.cards if card.clozes}
        object.__setattr__(self, "_follow_ups", {key: tuple(first_deletion.get(target, target) for target in targets)
                                                 for key, targets in graph.edges.items()})
        object.__setattr__(self, "_notes", graph.groups())

    def follow_ups(self, key: str) -> tuple[str, ...]:
        """The study-item keys asked after the card of `key` (a card or cloze-deletion key), in the order
        written; () for none or an unknown key.

        A follow-up that is a cloze card means its first deletion (one question per step of a chain). Only
        refs that resolve are here (the others are `errors`), and following them never comes back to a card
        already on the chain: the graph has no cycles.
        """
        return self._follow_ups.get(key.split("#", 1)[0], ())

    def note_of(self, key: str) -> str:
        """The sibling group of a study item: every deletion of a cloze card, and every card joined to it by
        follow-ups (in either direction, transitively), share one. Named by the group's smallest card key, so
        a card without follow-ups is its own `topic/id` (what a key not in the deck gives too)."""
        card_key = key.split("#", 1)[0]
        return self._notes.get(card_key, card_key)

    def topic(self, slug: str) -> Topic:
        return self._topics_by_slug[slug]

    def has_topic(self, slug: str) -> bool:
        return slug in self._topics_by_slug

    def card(self, key: str) -> DeckCard:
        """The card of a study item's key (`topic/id` or `topic/id#c2`); KeyError if there is none."""
        slug, card_id = split_key(key)
        topic = self._topics_by_slug.get(slug)
        card = topic.card(card_id) if topic is not None else None
        if card is None:
            raise KeyError(key)
        return card

    def item(self, key: str) -> StudyItem | None:
        topic = self._topics_by_slug.get(key.partition("/")[0])
        return topic.item(key) if topic is not None else None

    def cards(self, topics: Sequence[str] | None = None) -> list[DeckCard]:
        return [card for topic in self._chosen(topics) for card in topic.cards]

    def items(self, topics: Sequence[str] | None = None) -> list[StudyItem]:
        """Schedulable units in deck order (file order, then card order)."""
        return [item for topic in self._chosen(topics) for item in topic.items]

    def keys(self, topics: Sequence[str] | None = None) -> list[str]:
        return [item.key for item in self.items(topics)]

    @property
    def card_count(self) -> int:
        return sum(len(topic.cards) for topic in self.topics)

    def _chosen(self, topics: Sequence[str] | None) -> Iterable[Topic]:
        return self.topics if not topics else [self._topics_by_slug[slug] for slug in topics]
