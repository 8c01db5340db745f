"""A card as a browser shows it: rendered content, schedule, review history and source location."""

from __future__ import annotations

from quizapp.config import Settings
from quizapp.deck.model import DeckCard
from quizapp.deck.plaintext import with_label
from quizapp.deck.schema import ChoiceCard, ClozeCard, Flashcard, GeneratedCard, NumericCard
from quizapp.study.clock import Clock, from_ms
from quizapp.study.scheduling import Scheduling, format_interval
from quizapp.study.store import Store

__all__ = ["card_details_markdown", "matches"]

STATE_NAMES = {1: "learning", 2: "review", 3: "relearning"}
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


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


def card_details_markdown(card: DeckCard, store: Store, settings: Settings, clock: Clock) -> str:
    parts = [f"## {card.key}", f"*{card.type}* · tags: {', '.join(card.card.tags) or '—'} · `{card.location}`",
             _content(card)]
    if card.card.explanation:
        parts.append("**Why:** " + card.card.explanation)
    if card.card.sources:
        parts.append("*Sources: " + "; ".join(card.card.sources) + "*")
    parts.append(_schedule(card, store, settings, clock))
    return "\n\n".join(parts)


def _content(card: DeckCard) -> str:
    body = card.card
    if isinstance(body, Flashcard):
        return f"{with_label('Front:', body.front)}\n\n{with_label('Back:', body.back)}"
    if isinstance(body, ChoiceCard):
        lines = [with_label("Prompt:", body.prompt), ""]
        lines += [f"- {'✓' if o.correct else '✗'} {o.text}" + (f" — *{o.why}*" if o.why else "") for o in body.options]
        return "\n".join(lines)
    if isinstance(body, NumericCard):
        return f"{with_label('Prompt:', body.prompt)}\n\n**Answer:** {body.answer}"
    if isinstance(body, ClozeCard):
        return with_label("Text:", body.text)
    if isinstance(body, GeneratedCard):
        return f"**Generated** by solver `{body.solver}` at difficulty {body.difficulty}: a fresh problem each time."
    return ""


def _schedule(card: DeckCard, store: Store, settings: Settings, clock: Clock) -> str:
    now = clock.now()
    scheduling = Scheduling(settings)
    lines = ["### Schedule", "", "| item | state | due | stability | difficulty | recall now |", "|---|---|---|---|---|---|"]
    history: list[str] = []
    for item in card.study_items():
        row = store.card(item.key)
        if row is None:
            lines.append(f"| {item.key} | new | — | — | — | — |")
        else:
            due = from_ms(row.due_ms)
            when = "now" if due <= now else f"in {format_interval(due - now)}"
            recall = scheduling.retrievability(row, now)
            lines.append(
                f"| {item.key} | {STATE_NAMES.get(row.state, row.state)} | {due.astimezone(clock.tz):%Y-%m-%d %H:%M} "
                f"({when}) | {row.stability:.1f} d | {row.difficulty:.2f} | {recall:.0%} |"
            )
        for entry in store.log(item.key):
            moment = from_ms(entry.reviewed_ms).astimezone(clock.tz)
            verdict = "" if entry.correct is None else (" ✓" if entry.correct else " ✗")
            history.append(f"| {moment:%Y-%m-%d %H:%M} | {item.key} | {entry.mode} | "
                           f"{RATING_NAMES[entry.rating]}{verdict} | {(entry.duration_ms or 0) / 1000:.0f}s |")
    lines += ["", "### History", ""]
    if history:
        lines += ["| when | item | mode | rating | time |", "|---|---|---|---|---|", *history]
    else:
        lines.append("Not reviewed yet.")
    return "\n".join(lines)
