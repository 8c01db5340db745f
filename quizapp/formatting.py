"""Study data as text for people, shared by the front ends: a card with its schedule and history (Markdown),
and the statistics (plain text)."""

from __future__ import annotations

from quizapp.config import Settings
from quizapp.deck.model import DeckCard
from quizapp.deck.plaintext import with_label
from quizapp.deck.schema import (
    DEFAULT_OPEN_TIME_LIMIT,
    ChoiceCard,
    ClozeCard,
    CodeCard,
    Flashcard,
    GeneratedCard,
    NumericCard,
    OpenCard,
    TemplateCard,
)
from quizapp.study.clock import Clock, from_ms
from quizapp.study.scheduling import Scheduling, format_interval
from quizapp.study.stats import Stats
from quizapp.study.store import Store

__all__ = ["card_details_markdown", "stats_text"]

STATE_NAMES = {1: "learning", 2: "review", 3: "relearning"}
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def card_details_markdown(card: DeckCard, store: Store, settings: Settings, clock: Clock) -> str:
    parts = [f"## {card.key}", f"*{card.type}* · tags: {', '.join(card.card.tags) or '—'} · `{card.location}`",
             _content(card)]
    if card.card.explanation:
        parts.append("**Why:** " + card.card.explanation)
    if card.card.sources:
        parts.append("*Sources: " + "; ".join(card.card.sources) + "*")
    if card.card.follow_ups:
        parts.append("**Follow-ups:** " + ", ".join(f"`{ref}`" for ref in card.card.follow_ups))
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
    if isinstance(body, TemplateCard):
        params = ", ".join(f"`{name}`" for name in body.params)
        return (f"{with_label('Template:', body.prompt)}\n\n**Answer:** `{body.answer}` · parameters {params} · "
                f"difficulty {body.difficulty}: fresh numbers each time.")
    if isinstance(body, OpenCard):
        points = "\n".join(f"{n}. {point.text}" + (f" *(keywords: {', '.join(point.keywords)})*" if point.keywords
                                                    else "") for n, point in enumerate(body.key_points, 1))
        limit = body.time_limit or DEFAULT_OPEN_TIME_LIMIT
        return (f"{with_label('Open question:', body.prompt)}\n\n**Key points** ({limit} s to answer):\n\n{points}"
                f"\n\n{with_label('Model answer:', body.model_answer)}")
    if isinstance(body, CodeCard):
        return (f"{with_label('Coding drill:', body.prompt)}\n\nWrite `{body.function}`, checked by "
                f"`{body.checker}` (`quizapp drill {card.key}`).")
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


def _percent(passed: int, total: int) -> str:
    return f"{100 * passed / total:.0f}% of {total}" if total else "no data"


def stats_text(stats: Stats) -> str:
    lines = [
        f"Today ({stats.today}): {stats.reviews_today} reviews (scheduled), {stats.answers_today} answers in all "
        f"(review, quiz, cram), {stats.due_now} due, "
        f"{stats.new_available} new available; streak {stats.streak} day{'s' * (stats.streak != 1)}",
        "",
        "Cards (each cloze deletion is one): " + ", ".join(f"{name} {count}" for name, count in stats.cards_by_state.items()),
        "True retention (30 days): "
        + ", ".join(f"{kind} {_percent(*counts)}" for kind, counts in stats.retention.items()),
        "Due in the next 7 days: " + " ".join(str(n) for n in stats.forecast[:7])
        + f" (30 days: {sum(stats.forecast)})",
        "",
        "Accuracy by topic (every answer: review, quiz, cram):",
    ]
    if stats.topic_accuracy:
        width = max(len(topic) for topic in stats.topic_accuracy)
        for topic, (passed, total) in sorted(stats.topic_accuracy.items()):
            lines.append(f"  {topic.ljust(width)}  {_percent(passed, total)}")
    else:
        lines.append("  no reviews yet")
    if stats.orphaned:
        lines += ["", f"Orphaned ({len(stats.orphaned)}: history kept, card no longer in the content):"]
        lines += [f"  {key}" for key in stats.orphaned[:20]]
        if len(stats.orphaned) > 20:
            lines.append(f"  ... and {len(stats.orphaned) - 20} more")
    return "\n".join(lines)
