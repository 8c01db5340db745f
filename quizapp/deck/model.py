"""The loaded deck: topics, cards with their source location, and the schedulable study items.

A topic keeps three things apart: `item_keys` (what the home screen counts), `entries` (each card's id,
type, line and cloze numbers: what scheduling needs) and `content` (the cards' validated text). From the
content cache the keys are read at once, while entries and content stay pickled until first used: a start
that only counts cards builds no object per card and never imports pydantic.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from quizapp.deck.errors import ContentError

if TYPE_CHECKING:
    from quizapp.deck.schema import Card

__all__ = ["CardEntry", "Deck", "DeckCard", "Lazy", "StudyItem", "Topic", "card_hash", "item_key"]

T = TypeVar("T")

CardEntry = tuple[str, str, int, tuple[int, ...]]  # id, type, line, cloze numbers (empty unless a cloze card)


def item_key(topic: str, card_id: str, cloze: int | None = None) -> str:
    """The key review history is stored under: `topic/id`, or `topic/id#c2` for one deletion of a cloze card."""
    return f"{topic}/{card_id}" if cloze is None else f"{topic}/{card_id}#c{cloze}"


def card_hash(card: Card) -> str:
    """A short fingerprint of a card's content, to tell "edited since last review"."""
    import hashlib

    return hashlib.sha256(card.model_dump_json().encode()).hexdigest()[:16]


class Lazy(Generic[T]):
    """A value kept pickled until it is first read.

    Pickled at protocol 5, the bytes are an out-of-band buffer, which the content cache maps instead of
    reading: a value nobody reads is never even paged in. If the bytes cannot be unpickled (a damaged cache,
    a library upgraded underneath), `recover` makes the value again.
    """

    __slots__ = ("_blob", "_value", "recover")

    def __init__(self, value: T | None = None, blob: bytes | memoryview | None = None) -> None:
        self._value = value
        self._blob = blob
        self.recover: Callable[[], T] | None = None

    def get(self) -> T:
        if self._blob is not None:
            try:
                value = pickle.loads(self._blob)
            except Exception:
                if self.recover is None:
                    raise
                value = self.recover()
            self._value, self._blob = value, None
        return self._value

    def __reduce_ex__(self, protocol: int):
        blob = self._blob if self._blob is not None else pickle.dumps(self._value, protocol=pickle.HIGHEST_PROTOCOL)
        return Lazy, (None, pickle.PickleBuffer(blob) if protocol >= 5 else bytes(blob))


class DeckCard(NamedTuple):
    """A card of the deck: where it is, what scheduling needs, and its text (`card`) read on demand."""

    topic: str
    id: str
    type: str
    path: Path
    line: int
    clozes: tuple[int, ...] = ()
    content: Lazy[tuple[Card, ...]] | None = None  # the topic's cards, this one at `position`
    position: int = 0

    @property
    def card(self) -> Card:
        return self.content.get()[self.position]

    @property
    def key(self) -> str:
        return item_key(self.topic, self.id)

    @property
    def content_hash(self) -> str:
        return card_hash(self.card)

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"

    def study_items(self) -> tuple[StudyItem, ...]:
        return tuple(StudyItem(self, n) for n in self.clozes) if self.clozes else (StudyItem(self, None),)


class StudyItem(NamedTuple):
    """One schedulable unit: a card, or one deletion of a cloze card (key `topic/id#c2`)."""

    card: DeckCard
    cloze: int | None = None

    @property
    def key(self) -> str:
        return item_key(self.card.topic, self.card.id, self.cloze)

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
    item_keys: tuple[str, ...] = field(default=(), repr=False)  # of `items`, in order; stored, not rebuilt
    lazy_entries: Lazy[tuple[CardEntry, ...]] = field(default_factory=lambda: Lazy(()), repr=False, compare=False)
    content: Lazy[tuple[Card, ...]] = field(default_factory=lambda: Lazy(()), repr=False, compare=False)
    line: int = 1

    @classmethod
    def build(cls, slug: str, title: str, summary: str | None, sources: Sequence[str], path: Path, line: int,
              cards: Sequence[tuple[Card, int]]) -> Topic:
        """A topic from its validated cards, each with the line it starts on."""
        entries = tuple((card.id, card.type, at, tuple(card.numbers) if card.type == "cloze" else ())
                        for card, at in cards)
        keys = tuple(item_key(slug, card_id, n) for card_id, _, _, clozes in entries for n in (clozes or (None,)))
        content = Lazy(tuple(card for card, _ in cards))
        return cls(slug, title, summary, tuple(sources), path, keys, Lazy(entries), content, line)

    def __post_init__(self) -> None:
        # Bound to the path and keys, not to the topic: no reference cycle keeps a replaced deck alive.
        self.lazy_entries.recover = partial(_read_again, self.path, self.item_keys, "entries")
        self.content.recover = partial(_read_again, self.path, self.item_keys, "content")

    def __reduce__(self):
        # Only the fields: the derived views below are rebuilt on demand, not stored in the content cache.
        return Topic, (self.slug, self.title, self.summary, self.sources, self.path, self.item_keys,
                       self.lazy_entries, self.content, self.line)

    @property
    def entries(self) -> tuple[CardEntry, ...]:
        return self.lazy_entries.get()

    @cached_property
    def cards(self) -> tuple[DeckCard, ...]:
        return tuple(DeckCard(self.slug, card_id, kind, self.path, line, clozes, self.content, position)
                     for position, (card_id, kind, line, clozes) in enumerate(self.entries))

    @cached_property
    def items(self) -> tuple[StudyItem, ...]:
        return tuple(item for card in self.cards for item in card.study_items())

    @cached_property
    def _items_by_key(self) -> dict[str, StudyItem]:
        return {item.key: item for item in self.items}

    @cached_property
    def _cards_by_id(self) -> dict[str, DeckCard]:
        return {card.id: card for card in self.cards}

    def item(self, key: str) -> StudyItem | None:
        return self._items_by_key.get(key)

    def card(self, card_id: str) -> DeckCard | None:
        return self._cards_by_id.get(card_id)


def _read_again(path: Path, keys: tuple[str, ...], part: str) -> object:
    """A topic's entries or cards read again from its file, for when the cached copy cannot be read."""
    from quizapp.deck.loader import load_file, solver_names
    from quizapp.errors import UserError

    topic, _ = load_file(path, solvers=solver_names())
    if topic is None or topic.item_keys != keys:
        raise UserError(f"{path} changed since it was loaded: reload the content (ctrl+p, Reload content), "
                        "or start quizapp again")
    return topic.entries if part == "entries" else topic.content.get()


@dataclass(frozen=True)
class Deck:
    topics: tuple[Topic, ...] = ()
    errors: tuple[ContentError, ...] = ()
    files: tuple[Path, ...] = field(default=())

    @cached_property
    def _topics_by_slug(self) -> dict[str, Topic]:
        return {topic.slug: topic for topic in self.topics}

    @property
    def item_keys(self) -> frozenset[str]:
        return self._item_keys

    @cached_property
    def _item_keys(self) -> frozenset[str]:
        return frozenset(self.keys())

    def topic(self, slug: str) -> Topic:
        return self._topics_by_slug[slug]

    def has_topic(self, slug: str) -> bool:
        return slug in self._topics_by_slug

    def card(self, key: str) -> DeckCard:
        slug, _, card_id = key.split("#", 1)[0].partition("/")
        topic = self._topics_by_slug.get(slug)
        card = topic.card(card_id) if topic is not None else None
        if card is None:
            raise KeyError(key)
        return card

    def item(self, key: str) -> StudyItem | None:
        """The study item with this key; only its topic's cards are built to find it."""
        topic = self._topics_by_slug.get(key.partition("/")[0])
        return topic.item(key) if topic is not None else None

    def cards(self, topics: list[str] | None = None) -> list[DeckCard]:
        return [card for topic in self._chosen(topics) for card in topic.cards]

    def keys(self, topics: list[str] | None = None) -> tuple[str, ...]:
        """The keys of `items(topics)`, in the same order, without building the items."""
        wanted = tuple(topics or ())
        if wanted not in self._keys_cache:
            self._keys_cache[wanted] = tuple(chain.from_iterable(t.item_keys for t in self._chosen(topics)))
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
        keys = self.keys(topics)
        start, size_then = self._unseen_cursor.get(wanted, (0, 0))
        if len(known) < size_then:
            start = 0
        found: list[str] = []
        first = None
        for index in range(start, len(keys)):
            if keys[index] not in known:
                first = index if first is None else first
                found.append(keys[index])
                if len(found) == limit:
                    break
        self._unseen_cursor[wanted] = (first if first is not None else len(keys), len(known))
        return [self.item(key) for key in found]

    @cached_property
    def _unseen_cursor(self) -> dict[tuple[str, ...], tuple[int, int]]:
        return {}

    def items(self, topics: list[str] | None = None) -> tuple[StudyItem, ...]:
        """Schedulable units in deck order (file order, then card order)."""
        wanted = tuple(topics or ())
        if wanted not in self._items_cache:
            self._items_cache[wanted] = tuple(chain.from_iterable(t.items for t in self._chosen(topics)))
        return self._items_cache[wanted]

    @cached_property
    def _items_cache(self) -> dict[tuple[str, ...], tuple[StudyItem, ...]]:
        return {}

    def _chosen(self, topics: list[str] | None) -> tuple[Topic, ...]:
        return self.topics if not topics else tuple(self._topics_by_slug[slug] for slug in topics)

    @property
    def card_count(self) -> int:
        return sum(len(topic.entries) for topic in self.topics)
