"""Today's queue: learning cards when due, reviews and new cards (mixed as the settings say), siblings buried.

Reviews come most overdue first; when more are due than today's limit allows, the ones least likely to be
recalled come first (Anki's FSRS order). New cards come in turn from each topic (or in deck order, or in an
order drawn for the study day). When one card of a note is answered (a cloze deletion), its siblings wait
until the next study day, as Anki buries them; which notes were answered today is read from the log, so a
restart the same day keeps them buried. Unburying such a sibling (an unbury event, as for a card buried by
hand) brings it back today, until another of its siblings is answered. Suspended cards, and cards buried by
hand, are left out.

New cards are limited per study day (`new_per_day`, and `new_per_day_per_topic` if set; an interview plan's
accepted pace instead, its topics first); a topic can be given more for today only (`learn_more_new`, Anki's
"increase today's new card limit"), kept in the store. A topic's counts (`topic_counts`) are built by the same
code as its review's queue, so the home screen shows what the review will.

A session builds its queue once and then changes it as it goes (a rated card leaves it; a card still in
learning comes back at its due time); it is built again only when another process has written to the store,
after an undo, when siblings were buried, or when a new study day begins.
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import json
import math
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from itertools import chain, filterfalse, islice

from quizapp.config import Settings
from quizapp.deck.model import Deck, StudyItem, Topic
from quizapp.study import interview_day
from quizapp.study.clock import StudyDay, from_ms, to_ms
from quizapp.study.interview_review import final_review
from quizapp.study.scheduling import Scheduling
from quizapp.study.store import CardRow, CardState, Store
from quizapp.study.unseen import unseen_keys

__all__ = ["EXTRA_NEW_META", "LEARN_AHEAD", "MAX_EXTRA_NEW", "MORE_NEW_DEFAULT", "Queue", "QueueCounts", "build_queue",
           "buried_siblings", "extra_new", "filtered_queue", "set_aside_by",
           "learn_more_new", "more_new_available", "new_on_day", "note_of", "topic_counts", "unseen_items"]

# When nothing else is left, a learning card due within this window is shown early (as Anki does).
LEARN_AHEAD = timedelta(minutes=20)
# Where today's extra new-card allowance per topic is kept (the store's meta table): {"day": ..., "topics": {...}}
EXTRA_NEW_META = "extra_new"
MAX_EXTRA_NEW = 10_000
MORE_NEW_DEFAULT = 10  # what the offer of more new cards suggests
_LEARNING = (CardState.LEARNING, CardState.RELEARNING)


def note_of(key: str) -> str:
    """The note a study item belongs to (`topic/id` for every deletion of a cloze card): siblings share it."""
    return key.split("#", 1)[0]


@dataclass(frozen=True, slots=True)
class QueueCounts:
    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass(slots=True)
class Queue:
    """What is left to study today. `learning` holds (due_ms, item), soonest first, up to the day's end."""

    learning: list[tuple[int, StudyItem]] = field(default_factory=list)
    review: list[StudyItem] = field(default_factory=list)
    new: list[StudyItem] = field(default_factory=list)
    day_end_ms: int = 0
    order: str = "mixed"  # new cards among reviews: "mixed", "new_first" or "reviews_first"
    bury_new: bool = False
    bury_review: bool = False
    new_every: int = 1  # "mixed": one new card after every new_every - 1 reviews
    answered_count: int = 0
    group: Callable[[str], str] = note_of  # a study item's sibling group (Deck.note_of)

    def head(self, now: datetime, avoid: str | None = None) -> StudyItem | None:
        """The next item: a learning card due now, then reviews and new cards, then learning ahead.

        Learning ahead, the card `avoid` (the one just answered) is not asked again straight away but waits
        until it is due, as Anki does: otherwise its learning steps would pass in seconds (Again, Good, Good and
        it has graduated).
        """
        now_ms = to_ms(now)
        if self.learning and self.learning[0][0] <= now_ms:
            return self.learning[0][1]
        first = self._next_main()
        if first is not None:
            return first
        ahead_ms = to_ms(now + LEARN_AHEAD)
        return next((item for due_ms, item in self.learning if due_ms <= ahead_ms and item.key != avoid), None)

    def _next_main(self) -> StudyItem | None:
        if not (self.review and self.new):
            return (self.review or self.new or [None])[0]
        if self.order == "new_first":
            return self.new[0]
        if self.order == "reviews_first":
            return self.review[0]
        new_turn = self.answered_count % self.new_every == self.new_every - 1
        return self.new[0] if new_turn else self.review[0]

    def counts(self, now: datetime) -> QueueCounts:
        """What is left; learning cards count from when they may be shown (LEARN_AHEAD before they are due), as
        in Anki, so a learning card on screen is always counted."""
        ahead_ms = to_ms(now + LEARN_AHEAD)
        due = sum(1 for due_ms, _ in self.learning if due_ms <= ahead_ms)
        return QueueCounts(new=len(self.new), learning=due, review=len(self.review))

    def next_learning_due(self, now: datetime) -> datetime | None:
        """When the soonest learning card not yet due comes back, if it does today."""
        now_ms = to_ms(now)
        later = [due_ms for due_ms, _ in self.learning if due_ms > now_ms]
        return from_ms(min(later)).astimezone(now.tzinfo) if later else None

    def answered(self, key: str, state: CardRow | None, item: StudyItem) -> bool:
        """A card was rated: it leaves the queue, and comes back at its due time if still learning today.
        Its siblings are buried as the settings say; True if any was."""
        self.answered_count += 1
        note = self.group(key)
        self.learning = [pair for pair in self.learning if pair[1].key != key]
        self.review = [i for i in self.review if i.key != key]
        self.new = [i for i in self.new if i.key != key]
        before = len(self.review) + len(self.new)
        if self.bury_review:
            self.review = [i for i in self.review if self.group(i.key) != note]
        if self.bury_new:
            self.new = [i for i in self.new if self.group(i.key) != note]
        buried = len(self.review) + len(self.new) < before
        if state is not None and state.state in _LEARNING and state.due_ms < self.day_end_ms:
            bisect.insort(self.learning, (state.due_ms, item), key=lambda pair: pair[0])
        return buried

    def __iter__(self) -> Iterator[StudyItem]:
        yield from (item for _, item in self.learning)
        yield from self.review
        yield from self.new


def build_queue(deck: Deck, store: Store, settings: Settings, now: datetime, day: StudyDay,
                topics: Sequence[str] | None = None) -> Queue:
    return _assemble(deck, _read_today(store, now, day, deck.note_of), settings, day, topics, store=store)


def filtered_queue(deck: Deck, store: Store, settings: Settings, now: datetime, day: StudyDay, only: Collection[str],
                   answered: Collection[str], topics: Sequence[str] | None = None) -> Queue:
    """The queue of a filtered review (`ReviewSession(only=...)`, Anki's filtered deck with rescheduling): the
    cards of `only` not yet `answered` in the session, due or not, without the daily limits (scheduled ones
    soonest due first, then new ones in deck order), and those answered that are back in learning today.

    Siblings are set aside as today's queue sets them aside, by the same settings (Anki buries them in a filtered
    deck by the options of the cards' home deck): a card whose sibling was answered today waits for the next
    study day, unless unburied since; of the others, a note gives one review and one new card at a time, and no
    new card while one of its reviews is in the queue."""
    start_ms, end_ms = to_ms(day.start), to_ms(day.end)
    hidden = store.hidden_keys(to_ms(now))
    answered_at: dict[str, dict[str, int]] = {}  # note -> its cards answered today -> when last
    for done in store.reviews_since(start_ms):
        when = answered_at.setdefault(deck.note_of(done.key), {})
        when[done.key] = max(done.at_ms, when.get(done.key, done.at_ms))
    unburied = store.unburied_since(start_ms)

    def set_aside(key: str, row: CardRow | None) -> bool:
        siblings = [at_ms for other, at_ms in answered_at.get(deck.note_of(key), {}).items() if other != key]
        return bool(siblings) and max(siblings) > unburied.get(key, -1) and _waits_as_sibling(row, start_ms, settings)

    learning: list[tuple[int, StudyItem]] = []
    review: list[tuple[int, StudyItem, int]] = []
    new: list[StudyItem] = []
    for item in deck.items(topics):
        if item.key not in only or item.key in hidden:
            continue
        row = store.card(item.key)
        if item.key in answered:
            if row is not None and row.state in _LEARNING and row.due_ms < end_ms:
                learning.append((row.due_ms, item))
        elif not set_aside(item.key, row):
            if row is None:
                new.append(item)
            else:
                review.append((row.due_ms, item, row.state))
    review.sort(key=lambda entry: entry[0])
    learning.sort(key=lambda pair: pair[0])
    notes: set[str] = set()
    reviews = []
    for _, item, state in review:  # one review of a note at a time (a card in learning is not a review)
        if state not in _LEARNING and settings.bury_review_siblings:
            if deck.note_of(item.key) in notes:
                continue
            notes.add(deck.note_of(item.key))
        reviews.append(item)
    taken = {deck.note_of(item.key) for item in reviews} if settings.bury_new_siblings else set()
    new = list(_one_per_note(new, taken, len(new), deck.note_of, one=settings.bury_new_siblings))
    mixed = math.ceil((len(reviews) + len(new)) / len(new)) if new else 1  # new cards spread among reviews
    return Queue(learning=learning, review=reviews, new=new, day_end_ms=end_ms, new_every=mixed,
                 bury_new=settings.bury_new_siblings, bury_review=settings.bury_review_siblings, group=deck.note_of)


def topic_counts(deck: Deck, store: Store, settings: Settings, now: datetime, day: StudyDay) -> dict[str, QueueCounts]:
    """For each topic, the counts its own review would show now (its limits, its siblings, its backlog)."""
    today = _read_today(store, now, day, deck.note_of)
    rows: dict[str, list[_DueRow]] = {topic.slug: [] for topic in deck.topics}
    for row in today.due:
        slot = rows.get(row[0].partition("/")[0])
        if slot is not None:
            slot.append(row)
    return {slug: _assemble(deck, today, settings, day, [slug], topic_rows, store=store).counts(now)
            for slug, topic_rows in rows.items()}


def more_new_available(deck: Deck, store: Store, settings: Settings, now: datetime, day: StudyDay,
                       topics: Sequence[str]) -> int:
    """How many new cards of `topics` could be learned today with no limit: never reviewed, neither suspended
    nor buried, nor siblings of a note answered today. What more allowance (`learn_more_new`) can bring."""
    today = _read_today(store, now, day, deck.note_of)
    unlimited = replace(today, extra_new={topic: MAX_EXTRA_NEW for topic in topics})
    taken = set(today.answered_notes) if settings.bury_new_siblings else set()
    return len(_new_cards(deck, unlimited, settings, day, topics, taken, today.kept))


def new_on_day(deck: Deck, settings: Settings, day: StudyDay, seen: Collection[str], hidden: Collection[str] = (),
               done_by_topic: dict[str, int] | None = None, topics: Sequence[str] | None = None) -> list[str]:
    """The keys of the new cards the queue (of `topics`, None: all) brings on study day `day` when the cards
    `seen` are scheduled, the `hidden` ones suspended, and `done_by_topic` (topic -> count) new cards already
    learned that day: what the interview plan's forecast draws day by day. No sibling answered that day is known,
    so none is set aside."""
    done = dict(done_by_topic or {})
    today = _Today(day.start, to_ms(day.start), to_ms(day.end), [], set(hidden), set(), set(), sum(done.values()),
                   done, 0, {}, lambda topic: filterfalse(seen.__contains__, topic.item_keys))
    return [item.key for item in _new_cards(deck, today, settings, day, topics, set())]


def buried_siblings(deck: Deck, store: Store, settings: Settings, now: datetime, day: StudyDay) -> set[str]:
    """The study items today's queue leaves out until the next study day because a sibling was answered today
    (as the settings say): what a search's is:buried finds and is:due leaves out, as Anki marks them buried."""
    today = _read_today(store, now, day, deck.note_of)
    notes = today.answered_notes
    if not notes:
        return set()
    buried = {key for key, state, _, last_review_ms, _ in today.due
              if deck.note_of(key) in notes and _waits_for_sibling(state, last_review_ms, today.start_ms, settings)}
    if settings.bury_new_siblings:
        buried.update(key for topic in deck.topics for key in today.unseen(topic) if deck.note_of(key) in notes)
    return buried - today.kept


def set_aside_by(deck: Deck, store: Store, settings: Settings, key: str, day: StudyDay) -> str | None:
    """The sibling answered today for which today's queue leaves `key` out until the next study day (one of
    `buried_siblings`), or None: what card info says of it. One card's look, without today's whole queue."""
    note, start_ms = deck.note_of(key), to_ms(day.start)
    unburied_ms = store.unburied_since(start_ms).get(key, -1)
    siblings = [done.key for done in store.reviews_since(start_ms)
                if done.key != key and deck.note_of(done.key) == note and done.at_ms > unburied_ms]
    if not siblings:
        return None
    row = store.card(key)
    if row is not None and row.due_ms >= to_ms(day.end):
        return None  # not due today: nothing is set aside
    return siblings[0] if _waits_as_sibling(row, start_ms, settings) else None


def _waits_as_sibling(row: CardRow | None, start_ms: int, settings: Settings) -> bool:
    """Whether a card (`row`, None when new) whose sibling was answered today waits for the next study day."""
    if row is None:
        return settings.bury_new_siblings
    return _waits_for_sibling(row.state, row.last_review_ms, start_ms, settings)


def _waits_for_sibling(state: int, last_review_ms: int | None, start_ms: int, settings: Settings) -> bool:
    """Whether a scheduled card due today, in `state`, waits for the next study day when a sibling has been
    answered today (the study day starting at `start_ms`): a review as `bury_review_siblings` says, a learning
    card only from an earlier day and as `bury_interday_learning_siblings` says."""
    if state not in _LEARNING:
        return settings.bury_review_siblings
    return settings.bury_interday_learning_siblings and last_review_ms is not None and last_review_ms < start_ms


def extra_new(store: Store, day: StudyDay) -> dict[str, int]:
    """Topic -> the new cards allowed today beyond the limits (granted by `learn_more_new`)."""
    try:
        saved = json.loads(store.meta(EXTRA_NEW_META) or "{}")
        if saved.get("day") != day.day.isoformat():
            return {}  # granted on an earlier study day: it has lapsed
        return {str(topic): int(count) for topic, count in saved["topics"].items() if int(count) > 0}
    except (ValueError, TypeError, KeyError, AttributeError):
        return {}  # unreadable: no extra allowance, and the next grant writes it afresh


def learn_more_new(store: Store, day: StudyDay, topics: Sequence[str], count: int) -> None:
    """Allow `count` more new cards from each of `topics` on this study day only (Anki's "increase today's new
    card limit"): kept in the store, so a restart the same day keeps it."""
    if not 1 <= count <= MAX_EXTRA_NEW:
        raise ValueError(f"learn 1 to {MAX_EXTRA_NEW:,} more new cards, not {count}")
    extra = extra_new(store, day)
    for topic in topics:
        extra[topic] = min(extra.get(topic, 0) + count, MAX_EXTRA_NEW)
    store.set_meta(EXTRA_NEW_META, json.dumps({"day": day.day.isoformat(), "topics": extra}, sort_keys=True))


def unseen_items(deck: Deck, scheduled: Collection[str], topics: Sequence[str] | None, limit: int,
                 order: str = "deck", day: StudyDay | None = None) -> list[StudyItem]:
    """The first `limit` study items that have no schedule yet, in the given new-card order."""
    rank = _day_rank(day)
    # filterfalse over the keys runs in C: most of a large deck is scheduled, and is skipped fast
    streams = [_ordered(_unseen(topic, filterfalse(scheduled.__contains__, topic.item_keys), ()), order, rank)
               for topic in _chosen(deck, topics)]
    return list(islice(_merged(streams, order, rank), limit))


# (key, state, due_ms, last_review_ms, stability), as Store.due_keys gives them
_DueRow = tuple[str, int, int, "int | None", "float | None"]


@dataclass(frozen=True, slots=True)
class _Today:
    """What today's queue is made from, read from the store once (and shared by every topic's counts)."""

    now: datetime
    start_ms: int
    end_ms: int
    due: list[_DueRow]  # every card due before the day's end, soonest first
    hidden: set[str]  # suspended or buried now
    answered_notes: set[str]  # notes with a scheduled review this study day: their siblings are buried
    kept: set[str]  # cards unburied today since their note's last answer: not buried as siblings
    new_done: int  # new cards introduced today
    new_done_by_topic: dict[str, int]
    review_done: int  # reviews of review-state cards today
    extra_new: dict[str, int]  # topic -> allowance beyond the limits, for today
    unseen: Callable[[Topic], Iterator[str]]  # a topic's keys with no schedule (see `unseen_keys`)


def _read_today(store: Store, now: datetime, day: StudyDay, group: Callable[[str], str]) -> _Today:
    start_ms = to_ms(day.start)
    answered: dict[str, int] = {}  # note -> when it was last answered
    new_by_topic: dict[str, int] = {}
    review_done = 0
    for done in store.reviews_since(start_ms):
        note = group(done.key)
        answered[note] = max(done.at_ms, answered.get(note, done.at_ms))
        if done.was_new:
            topic = done.key.partition("/")[0]
            new_by_topic[topic] = new_by_topic.get(topic, 0) + 1
        review_done += done.prev_state == CardState.REVIEW
    kept = {key for key, at_ms in store.unburied_since(start_ms).items() if at_ms >= answered.get(group(key), -1)}
    end_ms = to_ms(day.end)  # the next day's start: a card due then (as the interview cap sets) is due that day
    return _Today(now, start_ms, end_ms, store.due_keys(until_ms=end_ms - 1), store.hidden_keys(to_ms(now)),
                  set(answered), kept, sum(new_by_topic.values()), new_by_topic, review_done, extra_new(store, day),
                  unseen_keys(store))


def _assemble(deck: Deck, today: _Today, settings: Settings, day: StudyDay, topics: Sequence[str] | None,
              rows: list[_DueRow] | None = None, *, store: Store) -> Queue:
    """Today's queue of `topics` (None: all), from `today`, or from `rows` of it when given (one topic's)."""
    wanted = set(topics) if topics else None
    learning: list[tuple[int, StudyItem]] = []
    due: list[_DueRow] = []
    hidden, answered_notes, kept = today.hidden, today.answered_notes, today.kept
    for row in today.due if rows is None else rows:  # soonest due first
        key, state, due_ms, last_review_ms, _ = row
        if key in hidden or (wanted and key.partition("/")[0] not in wanted):
            continue  # suspended, buried until a later day, or filtered out
        if state not in _LEARNING:
            due.append(row)
            continue
        item = deck.item(key)
        if item is None:
            continue  # orphaned: no longer in the content
        if key in kept or not (deck.note_of(key) in answered_notes
                               and _waits_for_sibling(state, last_review_ms, today.start_ms, settings)):
            learning.append((due_ms, item))
    review_slots = max(0, settings.reviews_per_day - today.review_done)
    if len(due) > review_slots:  # a backlog: the cards most likely forgotten first
        recall, now_ms = Scheduling(settings).recall_ms, to_ms(today.now)
        due.sort(key=lambda row: recall(row[4], row[3], now_ms))
    bury_review, bury_new = settings.bury_review_siblings, settings.bury_new_siblings
    review_taken = set(answered_notes) if bury_review else set()
    # items looked up only as far as today's limit reaches; orphans (None) are dropped on the way
    due_items = filter(None, (deck.item(row[0]) for row in due))
    review = list(_one_per_note(due_items, review_taken, review_slots, deck.note_of, kept, one=bury_review))
    review += final_review(deck, store, settings, day, {item.key for item in review}, topics)  # interview plan
    new_taken = answered_notes | {deck.note_of(item.key) for item in review} if bury_new else set()
    new = _new_cards(deck, today, settings, day, topics, new_taken, kept)
    return Queue(
        learning=learning,
        review=review,
        new=new,
        day_end_ms=today.end_ms,
        order=settings.new_review_order,
        bury_new=bury_new,
        bury_review=bury_review,
        new_every=math.ceil((len(review) + len(new)) / len(new)) if new else 1,
        group=deck.note_of,
    )


def _new_cards(deck: Deck, today: _Today, settings: Settings, day: StudyDay, topics: Sequence[str] | None,
               taken: set[str], kept: Collection[str] = ()) -> list[StudyItem]:
    """Today's new cards: in the new-card order, within the day's limit (and each topic's, if set), leaving out
    suspended and buried cards and the siblings of notes in `taken` (but not the cards `kept`).

    While an interview plan's accepted pace applies, the plan's topics come first (in the new-card order
    among themselves), and the other topics have what they leave of the day's limit: the plan's topics outside the
    chosen `topics` keep their claim on it, so that studying another topic does not spend the plan's pace."""
    chosen = _chosen(deck, topics)
    extra, order, rank = today.extra_new, settings.new_card_order, _day_rank(day)
    left = _new_left(interview_day.new_limit(settings, day.day), today, {topic.slug for topic in chosen} if topics else None)

    def merged(group: list[Topic], limit: int, notes: set[str]) -> Iterator[StudyItem]:
        streams = []
        for topic in group:
            candidates = _ordered(_unseen(topic, today.unseen(topic), today.hidden), order, rank)
            stream = _one_per_note(candidates, notes, limit, deck.note_of, kept, one=settings.bury_new_siblings)
            if settings.new_per_day_per_topic is not None:
                own = (settings.new_per_day_per_topic + extra.get(topic.slug, 0)
                       - today.new_done_by_topic.get(topic.slug, 0))
                stream = islice(stream, max(0, own))
            streams.append(stream)
        done = [today.new_done_by_topic.get(topic.slug, 0) for topic in group]
        return islice(_merged(streams, order, rank, done), limit)

    def allowance(group: list[Topic]) -> int:
        # Studying chosen topics, their extra allowance raises the overall limit too (as a deck's own limit does
        # in Anki); studying everything, it raises only each topic's own limit.
        return sum(extra.get(topic.slug, 0) for topic in group) if topics else 0

    first = set(interview_day.topics_first(settings, day.day))
    if not first:
        return list(merged(chosen, max(0, left + allowance(chosen)), taken))
    lead = [topic for topic in chosen if topic.slug in first]
    rest = [topic for topic in chosen if topic.slug not in first]
    new = list(merged(lead, max(0, left + allowance(lead)), taken))
    unchosen = first - {topic.slug for topic in chosen}
    outside = [topic for topic in deck.topics if topic.slug in unchosen]
    claimed = min(max(0, left), len(new) + sum(1 for _ in merged(outside, max(0, left), set(taken))))
    return new + list(merged(rest, max(0, left - claimed + allowance(rest)), taken))


def _new_left(limit: int, today: _Today, chosen: set[str] | None) -> int:
    """What is left of the day's new-card `limit` for the `chosen` topics (None: all): below 0 when their own extra
    new cards went past it. The new cards past the limit were the extra ones, so those that other topics' extra
    allowance brought do not spend the chosen topics' share (with `--more-new 2` after another topic's extra cards,
    the limit was spent twice over and the 2 brought none)."""
    left = limit - today.new_done
    if chosen is None or left >= 0:
        return left
    others = sum(min(count, today.new_done_by_topic.get(topic, 0))
                 for topic, count in today.extra_new.items() if topic not in chosen)
    return left + min(-left, others)


def _chosen(deck: Deck, topics: Sequence[str] | None) -> list[Topic]:
    return list(deck.topics) if not topics else [deck.topic(slug) for slug in topics]


def _unseen(topic: Topic, keys: Iterator[str], hidden: Collection[str]) -> Iterator[StudyItem]:
    """The study items of a topic's unscheduled `keys`, leaving out suspended and buried ones."""
    return map(topic.item, filterfalse(hidden.__contains__, keys) if hidden else keys)


def _day_rank(day: StudyDay | None) -> Callable[[StudyItem], bytes]:
    """The "random" new-card order: drawn from the study day, so it stays the same all day."""
    drawn = day.day.isoformat() if day else ""
    return lambda item: hashlib.blake2b(f"{drawn}/{item.key}".encode(), digest_size=8).digest()


def _ordered(items: Iterator[StudyItem], order: str, rank: Callable[[StudyItem], bytes]) -> Iterator[StudyItem]:
    """One topic's new cards in the new-card order (file order, unless "random")."""
    return iter(sorted(items, key=rank)) if order == "random" else items


def _merged(streams: list[Iterator[StudyItem]], order: str, rank: Callable[[StudyItem], bytes],
            done: Sequence[int] = ()) -> Iterator[StudyItem]:
    """The topics' streams as one: in turn ("interleaved"), one after another ("deck"), or merged in the day's
    drawn order ("random": each stream is in that order, so this equals one draw over all topics). `done`: how
    many new cards each stream's topic has given today, so the turn goes on where it was."""
    if order == "deck":
        return chain.from_iterable(streams)
    if order == "random":
        return heapq.merge(*streams, key=rank)
    return _round_robin(streams, done)  # interleaved


def _round_robin(iterators: list[Iterator[StudyItem]], done: Sequence[int] = ()) -> Iterator[StudyItem]:
    """One item from each iterator in turn, dropping those that run out; lazily, so that taking the first few
    new cards of a large deck looks into only as many topics as it needs. An iterator that has already given
    `done[i]` items today waits for the others to catch up: a queue built again (after an undo, a bury, a
    restart) goes on with the topic whose turn it was instead of starting over at the first."""
    turns = [(done[i] if i < len(done) else 0, i) for i in range(len(iterators))]
    heapq.heapify(turns)
    while turns:
        turn, i = heapq.heappop(turns)
        item = next(iterators[i], None)
        if item is not None:
            yield item
            heapq.heappush(turns, (turn + 1, i))


def _one_per_note(items: Iterable[StudyItem], taken: set[str], limit: int, group: Callable[[str], str],
                  kept: Collection[str] = (), *, one: bool = True) -> Iterator[StudyItem]:
    """Up to `limit` items, skipping sibling groups in `taken` (except the items `kept`: unburied today); with
    `one`, a group's first item only (and it is taken)."""
    count = 0
    for item in items:
        if count >= limit:
            return
        note = group(item.key)
        if note in taken and item.key not in kept:
            continue
        if one:
            taken.add(note)
        count += 1
        yield item
