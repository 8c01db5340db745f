"""`quizapp export anki --scheduling`: each study item's schedule and review history as Anki stores them.

What Anki's own "Include scheduling information" puts in a package, read from the store:
- each card's `type` (new 0, learning 1, review 2, relearning 3) and `queue` (the same, but 3 for a learning step
  of a day or more; suspended -1, buried -3), `due` (a learning card's due moment in epoch seconds, a review
  card's, or a learning step of days, the due day counted from the collection's `crt`),
  `ivl`, `reps`, `lapses`, `left` (learning steps to go), its flag, and the FSRS memory state in `cards.data`
  (`{"s": stability, "d": difficulty, "decay": the forgetting curve's, "lrt": last review in epoch seconds}`, as
  Anki 25 keeps it: without "decay" Anki draws the curve of FSRS-5, and its recall of a card was 15% where ours
  was 45%);
- one `revlog` row per scheduled review (id: the review's time in ms, made unique; ease: the rating; type: learn,
  review or relearn from the state before it; ivl and lastIvl: days, or negative seconds under a day), and a
  "manual" row (ease 0) for each reset, as Anki's Forget writes.

`crt` is the start of the study day of the first review, and the collection's `rollover` is `day_starts_at`, so
Anki counts days as quizapp does; `schedVer` 2 keeps Anki from reading the package as its v1 scheduler's. A
study item matches the Anki card of its note (`note_guid`) and template (`ord`: a cloze deletion's number - 1);
generated and template cards are several notes in Anki, so their items match none and stay new. Quiz, cram and
interview answers change no schedule and are left out.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from quizapp.config import Settings
from quizapp.safetext import shown_path
from quizapp.study.clock import Clock, StudyDay, from_ms, to_ms
from quizapp.study.scheduling import Scheduling
from quizapp.study.store import CardMarks, CardRow, CardState, EventRow, LogRow, Store, StoreError
from quizapp.study.totals import DAY_MS

__all__ = ["AnkiCard", "AnkiSchedule", "Revlog", "read_schedule", "write_schedule"]

# Anki's card types and queues, and its revlog kinds
NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
DAY_LEARNING, SUSPENDED, BURIED = 3, -1, -3  # queues: a learning step of a day or more; marked by the user
LEARN_ENTRY, REVIEW_ENTRY, RELEARN_ENTRY, MANUAL_ENTRY = 0, 1, 2, 4
STARTING_FACTOR = 2500  # Anki's starting ease (permille), which a card gets when it graduates
_TYPES = {CardState.LEARNING: LEARNING, CardState.REVIEW: REVIEW, CardState.RELEARNING: RELEARNING}
_ENTRY_TYPES = {None: LEARN_ENTRY, CardState.LEARNING: LEARN_ENTRY, CardState.REVIEW: REVIEW_ENTRY,
                CardState.RELEARNING: RELEARN_ENTRY}


@dataclass(frozen=True, slots=True)
class AnkiCard:
    """The scheduling columns of one Anki card; `due` None keeps the new card's position genanki gave it."""

    type: int
    queue: int
    due: int | None
    ivl: int
    factor: int
    reps: int
    lapses: int
    left: int
    flags: int
    data: str


@dataclass(frozen=True, slots=True)
class Revlog:
    """One revlog row, without its card id (known once the card is found in the package)."""

    id: int
    ease: int
    ivl: int
    last_ivl: int
    factor: int
    time: int
    type: int


@dataclass(frozen=True, slots=True)
class AnkiSchedule:
    crt: int  # the collection's creation, epoch seconds: the start of the study day review days count from
    rollover: int  # the hour a study day starts (Anki's "Next day starts at")
    cards: Mapping[str, AnkiCard]  # by study item key (`topic/id`, `topic/id#c2`)
    revlog: Mapping[str, tuple[Revlog, ...]]  # by study item key, oldest first


def read_schedule(store: Store, settings: Settings, clock: Clock) -> AnkiSchedule:
    """Every study item with a schedule, marks or history, as Anki would hold it at `clock.now()`."""
    try:
        log = store.log(modes=("review",))
        resets = [event for event in store.events() if event.event == "reset" and event.state_before is not None]
        states = {row.key: row for row in store.cards()}
        marks = store.marks()
        keys = sorted({*states, *marks, *(entry.key for entry in log)})
        counts = {key: (store.reps(key), store.lapses(key)) for key in keys}
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{shown_path(store.path)} cannot be read ({exc}); nothing was exported. Move it "
                         "aside, or point "
                         "--data-dir elsewhere, or export without --scheduling.") from None
    now = clock.now()
    first = min([to_ms(now), *(entry.reviewed_ms for entry in log)])
    start = StudyDay.containing(from_ms(first), clock.tz, settings.day_starts_at)

    def day_of(ms: int) -> int:
        return (StudyDay.containing(from_ms(ms), clock.tz, settings.day_starts_at).day - start.day).days

    decay = Scheduling(settings, clock.tz).decay
    cards = {key: _card(states.get(key), marks.get(key, CardMarks()), *counts[key], to_ms(now), day_of, settings,
                        decay)
             for key in keys}
    return AnkiSchedule(int(start.start.timestamp()), settings.day_starts_at, cards,
                        _revlog(log, resets, states))


def _card(row: CardRow | None, marks: CardMarks, reps: int, lapses: int, now_ms: int, day_of: Callable[[int], int],
          settings: Settings, decay: float) -> AnkiCard:
    queue = SUSPENDED if marks.suspended else BURIED if marks.buried(now_ms) else None
    if row is None:
        return AnkiCard(NEW, NEW if queue is None else queue, None, 0, 0, reps, lapses, 0, marks.flag, "")
    kind = _TYPES[CardState(row.state)]
    memory = ({} if row.stability is None or row.difficulty is None
              else {"s": row.stability, "d": row.difficulty, "decay": decay})
    if row.last_review_ms is not None:
        memory["lrt"] = row.last_review_ms // 1000
    data = json.dumps(memory, separators=(",", ":")) if memory else ""
    if kind == REVIEW:
        ivl = max(1, round((row.due_ms - (row.last_review_ms or row.due_ms)) / DAY_MS))
        return AnkiCard(REVIEW, REVIEW if queue is None else queue, day_of(row.due_ms), ivl, STARTING_FACTOR, reps,
                        lapses, 0, marks.flag, data)
    steps = settings.learning_deltas if kind == LEARNING else settings.relearning_deltas
    left = max(1, len(steps) - (row.step or 0))
    if row.due_ms - (row.last_review_ms or row.due_ms) >= DAY_MS:  # as Anki: a step of days is due on a day
        due, in_queue = day_of(row.due_ms), DAY_LEARNING
    else:
        due, in_queue = row.due_ms // 1000, LEARNING
    return AnkiCard(kind, in_queue if queue is None else queue, due, 1 if kind == RELEARNING else 0,
                    STARTING_FACTOR if kind == RELEARNING else 0, reps, lapses, left, marks.flag, data)


def _interval(ms: int | None) -> int:
    """An interval as the revlog writes it: whole days from a day on, negative seconds below."""
    if ms is None or ms <= 0:
        return 0
    return round(ms / DAY_MS) if ms >= DAY_MS else -round(ms / 1000)


def _span(row: CardRow | None) -> int | None:
    return None if row is None or row.last_review_ms is None else row.due_ms - row.last_review_ms


def _revlog(log: Sequence[LogRow], resets: Sequence[EventRow],
            states: Mapping[str, CardRow]) -> dict[str, tuple[Revlog, ...]]:
    """The rows of each key; ids are the times in ms, nudged forward where two fall on the same millisecond."""
    by_key: dict[str, list[LogRow]] = {}
    for entry in log:
        by_key.setdefault(entry.key, []).append(entry)
    rows: list[tuple[int, str, tuple]] = []
    for key, entries in by_key.items():
        for number, entry in enumerate(entries):
            before = CardRow.from_json(entry.state_before) if entry.state_before else None
            if entry.due_ms is not None:  # the due date this review chose
                after = entry.due_ms - entry.reviewed_ms
            else:  # an entry older than that column: the state the next review found, or the card's now
                following = entries[number + 1] if number + 1 < len(entries) else None
                nxt = CardRow.from_json(following.state_before) if following and following.state_before else None
                after = _span(nxt if following else states.get(key))
            graduated = before is not None and before.state in (CardState.REVIEW, CardState.RELEARNING)
            factor = STARTING_FACTOR if graduated or (after or 0) >= DAY_MS else 0
            kind = _ENTRY_TYPES[None if before is None else CardState(before.state)]
            rows.append((entry.reviewed_ms, key, (entry.rating, _interval(after), _interval(_span(before)), factor,
                                                  entry.duration_ms or 0, kind)))
    for event in resets:  # as Anki's Forget: ease 0, interval 0, the interval it had
        last_ivl = _interval(_span(CardRow.from_json(event.state_before)))
        rows.append((event.at_ms, event.key, (0, 0, last_ivl, 0, 0, MANUAL_ENTRY)))
    result: dict[str, list[Revlog]] = {}
    last = -1
    for ms, key, values in sorted(rows, key=lambda row: row[0]):
        last = max(ms, last + 1)
        result.setdefault(key, []).append(Revlog(last, *values))
    return {key: tuple(entries) for key, entries in result.items()}


def write_schedule(db: sqlite3.Connection, schedule: AnkiSchedule, guid_of: Callable[[str], str]) -> set[str]:
    """Set the scheduling of every card of `schedule` found in the package's database and add its revlog rows;
    `guid_of(note_key)` is a note's GUID. Returns the keys found."""
    conf = json.loads(db.execute("SELECT conf FROM col").fetchone()[0])
    conf["rollover"] = schedule.rollover
    # genanki's collection names no scheduler, so Anki reads it as the old v1 one and "upgrades" the review log
    # on import: a learning card's Good (3) became Easy (4), as v1 had three buttons there
    conf["schedVer"] = 2
    db.execute("UPDATE col SET crt = ?, conf = ?", (schedule.crt, json.dumps(conf)))
    notes = dict(db.execute("SELECT guid, id FROM notes"))
    found = set()
    for key, card in schedule.cards.items():
        note_key, _, cloze = key.partition("#c")
        note_id = notes.get(guid_of(note_key))
        if note_id is None:
            continue
        ord_ = int(cloze) - 1 if cloze else 0
        row = db.execute("SELECT id FROM cards WHERE nid = ? AND ord = ?", (note_id, ord_)).fetchone()
        if row is None:
            continue
        found.add(key)
        db.execute("UPDATE cards SET type = ?, queue = ?, due = COALESCE(?, due), ivl = ?, factor = ?, reps = ?, "
                   "lapses = ?, left = ?, flags = ?, data = ? WHERE id = ?",
                   (card.type, card.queue, card.due, card.ivl, card.factor, card.reps, card.lapses, card.left,
                    card.flags, card.data, row[0]))
        db.executemany("INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
                       "VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
                       _revlog_values(row[0], schedule.revlog.get(key, ())))
    return found


def _revlog_values(card_id: int, rows: Iterable[Revlog]) -> list[tuple]:
    return [(r.id, card_id, r.ease, r.ivl, r.last_ivl, r.factor, r.time, r.type) for r in rows]
