"""Synthetic decks and review histories for the benchmarks, written to temporary folders only.

Nothing here is committed as data: every deck and database is generated from a seed when a benchmark
needs it. The cards look like the built-in deck's (Markdown with `$...$` math, every card type, a few
hundred characters each), so loading and rendering costs are representative.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

__all__ = ["StoreShape", "build_store", "deck_in_memory", "study_now", "write_deck"]

DAY_MS = 86_400_000
_WORDS = (
    "gradient loss batch feature variance mean sample label score threshold precision recall weight "
    "bias layer kernel channel dropout penalty prior posterior likelihood margin ranking class model "
    "train validation test overfit regularize normalize estimate probability positive negative"
).split()
_MATH = (r"$\frac{a-b}{c}$", r"$\sigma^2$", r"$\hat{y}_i$", r"$\lambda \|w\|_1$", r"$\sum_i x_i$", r"$e^{-x}$")
_CARD_TYPES = ("flashcard",) * 8 + ("choice",) * 5 + ("cloze",) * 3 + ("numeric",) * 3 + ("generated",)


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    if rng.random() < 0.4:
        text += " " + rng.choice(_MATH)
    return text[0].upper() + text[1:] + "."


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # JSON strings are valid YAML double-quoted scalars


def _card_yaml(rng: random.Random, index: int, solvers: Sequence[str]) -> list[str]:
    kind = rng.choice(_CARD_TYPES)
    if kind == "generated" and not solvers:
        kind = "flashcard"
    lines = [f"  - id: card-{index}", f"    type: {kind}"]
    if kind == "flashcard":
        lines += [f"    front: {_quoted(_sentence(rng, 12))}", "    back: |"]
        lines += [f"      {_sentence(rng, 14)}" for _ in range(3)]
    elif kind == "choice":
        lines += [f"    prompt: {_quoted(_sentence(rng, 14))}", "    options:"]
        right = rng.randrange(4)
        for option in range(4):
            lines.append(f"      - text: {_quoted(f'{option}: ' + _sentence(rng, 8))}")
            if option == right:
                lines.append("        correct: true")
            lines.append(f"        why: {_quoted(_sentence(rng, 10))}")
    elif kind == "cloze":
        a, b = _sentence(rng, 2).rstrip("."), _sentence(rng, 2).rstrip(".")
        lines.append(f"    text: {_quoted(f'{_sentence(rng, 8)} {{{{c1::{a}}}}} and {{{{c2::{b}}}}}.')}")
    elif kind == "numeric":
        lines += [f"    prompt: {_quoted(_sentence(rng, 16))}", f"    answer: {rng.randint(1, 999) / 1000}",
                  "    tolerance: {abs: 0.001}"]
    else:
        lines += [f"    solver: {rng.choice(solvers)}", f"    difficulty: {rng.randint(1, 3)}"]
    lines.append("    explanation: |")
    lines += [f"      {_sentence(rng, 16)}" for _ in range(2)]
    lines.append(f"    tags: [{rng.choice(_WORDS)}, {rng.choice(_WORDS)}]")
    return lines


def write_deck(folder: Path, files: int, cards_per_file: int, *, seed: int = 0,
               solvers: Sequence[str] = ()) -> list[Path]:
    """Write `files` topic files of `cards_per_file` valid cards each into `folder`; return their paths.

    `solvers` lists the generator names `generated` cards may use (none: no generated cards).
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(files):
        lines = [
            f"topic: synthetic-{number:03d}",
            f"title: Synthetic topic {number}",
            f"summary: {_quoted(_sentence(rng, 30))}",
            "sources: [\"generated for benchmarks\"]",
            "cards:",
        ]
        for index in range(cards_per_file):
            lines += _card_yaml(rng, index, solvers)
        path = folder / f"synthetic-{number:03d}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def deck_in_memory(cards: int, topics: int, *, words: bool = False, seed: int = 0):
    """A Deck of `cards` flashcards over `topics` topics, built without YAML (for store benchmarks); with
    `words`, each card has sentences of the built-in deck's length and two tags (for search benchmarks)."""
    from quizapp.deck.model import Deck, DeckCard, Topic
    from quizapp.deck.schema import Flashcard

    rng = random.Random(seed)
    per_topic = -(-cards // topics)
    built = []
    for t in range(topics):
        slug = f"t{t:03d}"
        path = Path(f"{slug}.yaml")
        made = []
        for i in range(t * per_topic, min(cards, (t + 1) * per_topic)):
            if words:
                card = Flashcard.model_construct(
                    id=f"c{i:06d}", type="flashcard", front=_sentence(rng, 12), back=_sentence(rng, 30),
                    tags=[rng.choice(_WORDS), rng.choice(_WORDS)], explanation=_sentence(rng, 16), sources=[])
            else:
                card = Flashcard.model_construct(id=f"c{i:06d}", type="flashcard", front="front", back="back",
                                                 tags=[], explanation=None, sources=[])
            made.append(DeckCard.of(slug, card, path, i))
        built.append(Topic(slug, slug, None, (), path, 1, 1, tuple(made)))
    return Deck(topics=tuple(built))


@dataclass(frozen=True)
class StoreShape:
    """How a synthetic review history looks; the defaults describe a user who keeps up with reviews."""

    studied: float = 0.9  # fraction of the deck with a schedule; the rest is still new
    due_today: float = 0.02  # fraction of studied cards due by the end of today (review state)
    learning: float = 0.01  # fraction of studied cards in (re)learning, due within today
    history_days: int = 730
    quiet_hours: int = 6  # the log ends this long before "now": today's limits are still unused
    recent_state_days: int = 40  # reviews this recent keep their "state before" (stats read it)


def build_store(data_dir: Path, deck, reviews: int, now: datetime, *, seed: int = 0,
                shape: StoreShape = StoreShape()) -> Path:
    """Create `data_dir/quizapp.db` with schedules for part of `deck` and `reviews` logged reviews.

    Rows go in through `Store.bulk_load`; afterwards the reviews of the last `recent_state_days` get the
    card state they were made from (as `Store.record` writes it), which the statistics read.
    """
    from quizapp.study.scheduling import card_id_for
    from quizapp.study.store import Store

    rng = random.Random(seed)
    now_ms = int(now.timestamp() * 1000)
    items = deck.items()
    studied = items[: int(len(items) * shape.studied)]
    ids = {item.key: card_id_for(item.key) for item in studied}

    def cards() -> Iterator:
        from quizapp.study.store import CardRow

        for item in studied:
            roll = rng.random()
            last = now_ms - rng.randrange(1, 60) * DAY_MS
            if roll < shape.learning:
                state, step, stability = rng.choice((1, 3)), 0, 0.5
                due = now_ms + rng.randrange(-3600_000, 6 * 3600_000)
            elif roll < shape.learning + shape.due_today:
                state, step, stability, due = 2, None, 10.0, now_ms - rng.randrange(0, 7 * DAY_MS)
            else:
                state, step, stability, due = 2, None, 40.0, now_ms + rng.randrange(DAY_MS, 365 * DAY_MS)
            yield CardRow(item.key, ids[item.key], item.topic, state, step, stability, 5.0, due, last, "0" * 16)

    def log() -> Iterator:
        from quizapp.study.store import NewReview

        keys = list(ids)
        end = now_ms - shape.quiet_hours * 3_600_000
        span = shape.history_days * DAY_MS
        for n in range(reviews):
            key = keys[rng.randrange(len(keys))]
            when = end - span + n * span // reviews  # time-ordered, like a real log
            rating = rng.choices((1, 2, 3, 4), weights=(10, 15, 65, 10))[0]
            mode = "quiz" if rng.random() < 0.05 else "review"
            yield NewReview(key, ids[key], rating, when, rng.randrange(2_000, 30_000), mode)

    with Store.open(data_dir) as store:
        store.bulk_load(cards(), log())
    _add_recent_states(data_dir / "quizapp.db", now_ms - shape.recent_state_days * DAY_MS)
    return data_dir / "quizapp.db"


def _add_recent_states(path: Path, since_ms: int) -> None:
    db = sqlite3.connect(path)
    with db:
        db.execute(
            """
            UPDATE review_log SET state_before = json_object(
                'key', key, 'card_id', card_id, 'topic', substr(key, 1, instr(key, '/') - 1), 'state', 2,
                'step', NULL, 'stability', 20.0, 'difficulty', 5.0,
                'due_ms', reviewed_ms, 'last_review_ms', reviewed_ms - (id % 40 + 1) * ?,
                'content_hash', '0000000000000000')
            WHERE reviewed_ms >= ? AND mode = 'review' AND id % 10 != 0
            """,
            (DAY_MS, since_ms),
        )
        db.execute(  # the same previous state as plain columns (schema 3), which statistics read
            "UPDATE review_log SET prev_state = 2, prev_interval_ms = (id % 40 + 1) * ? "
            "WHERE state_before IS NOT NULL",
            (DAY_MS,),
        )
    db.close()


def study_now() -> datetime:
    """A fixed moment for reproducible synthetic histories (a weekday morning, UTC)."""
    return datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
