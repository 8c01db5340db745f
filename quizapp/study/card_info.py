"""Everything known about one study item: where it comes from, its schedule, its marks and its whole history.

Data only (the front ends and `quizapp card info` turn it into text or JSON).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from quizapp.deck.messages import did_you_mean
from quizapp.deck.model import Deck, StudyItem
from quizapp.config import Settings
from quizapp.study.clock import StudyDay, from_ms
from quizapp.study.queue import set_aside_by
from quizapp.study.scheduling import Scheduling
from quizapp.study.store import CardMarks, CardRow, EventRow, LogRow, Store

__all__ = ["STATE_NAMES", "CardInfo", "card_info", "items_named"]

STATE_NAMES = {None: "new", 1: "learning", 2: "review", 3: "relearning"}


@dataclass(frozen=True, slots=True)
class CardInfo:
    key: str
    topic: str
    location: str  # file:line of the card in its content file
    type: str
    state: str  # new, learning, review or relearning
    schedule: CardRow | None  # None while new
    retrievability: float | None  # the predicted chance of recall now; None while new
    reps: int  # scheduled reviews
    lapses: int
    marks: CardMarks
    reviews: tuple[LogRow, ...]  # every answer, in every mode, oldest first
    events: tuple[EventRow, ...]  # suspends, buries, flags, resets, leech marks, oldest first
    set_aside_by: str | None = None  # the sibling answered today: until the next study day, today's queue leaves it out

    @property
    def due(self) -> datetime | None:
        return from_ms(self.schedule.due_ms) if self.schedule else None


def card_info(deck: Deck, store: Store, scheduling: Scheduling, item: StudyItem, now: datetime, *,
              settings: Settings, day: StudyDay) -> CardInfo:
    """What is known of `item` at `now`, in study day `day` (whose siblings answered set it aside, as `settings`
    bury them)."""
    row = store.card(item.key)
    reviews = tuple(store.log(item.key))
    return CardInfo(
        key=item.key,
        topic=item.topic,
        location=item.card.location,
        type=item.card.type,
        state=STATE_NAMES.get(row.state if row else None, "unknown"),
        schedule=row,
        retrievability=scheduling.retrievability(row, now) if row else None,
        reps=store.reps(item.key),
        lapses=store.lapses(item.key),
        marks=store.marks_of(item.key),
        reviews=reviews,
        events=tuple(store.events(item.key)),
        set_aside_by=set_aside_by(deck, store, settings, item.key, day),
    )


def items_named(deck: Deck, key: str) -> list[StudyItem]:
    """The study items a user's key names: `topic/id#c2` one deletion, `topic/id` every item of the card.

    Raises KeyError with a message that says what was wrong.
    """
    item = deck.item(key)
    if item is not None:
        return [item]
    topic, _, card_id = key.partition("/")
    if not card_id or "#" in card_id or not deck.has_topic(topic):
        known = "" if deck.has_topic(topic) else f" (no topic {topic!r}; the topics are " \
            f"{', '.join(t.slug for t in deck.topics)})"
        raise KeyError(f"no card {key!r}{known}; write topic/id, or topic/id#c2 for one cloze deletion")
    card = deck.topic(topic).card(card_id)
    if card is None:
        close = did_you_mean(card_id, (card.id for card in deck.topic(topic).cards), n=3)
        raise KeyError(f"no card {card_id!r} in topic {topic!r}{close}; "
                       f"`quizapp card info --filter topic:{topic}` (or browse, b in the app) lists its cards")
    return list(card.study_items())
