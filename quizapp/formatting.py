"""Study data as text for people, shared by the front ends: a card with its schedule and history (Markdown),
and the statistics (plain text)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path

from quizapp.config import Settings
from quizapp.deck.model import DeckCard
from quizapp.deck.plaintext import sources_line, with_label
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
from quizapp.plural import counted
from quizapp.safetext import shown_path
from quizapp.study.card_info import CardInfo
from quizapp.study.clock import Clock, from_ms, to_ms
from quizapp.study.marking import describe_marks
from quizapp.study.scheduling import Scheduling, format_interval
from quizapp.study.stats import Stats
from quizapp.study.store import FLAG_COLOURS, Store

__all__ = ["card_details_markdown", "card_info_dict", "card_info_text", "due_when", "history_rows", "leech_warning",
           "set_aside_note", "shelved_note", "shown_location", "stats_text"]

STATE_NAMES = {1: "learning", 2: "review", 3: "relearning"}
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def card_details_markdown(card: DeckCard, store: Store, settings: Settings, clock: Clock, *,
                          schedule: bool = True, heading: bool = True) -> str:
    """A card as Markdown: its key as a heading (unless `heading` is false: shown beside it), its content, and
    (unless `schedule` is false) its schedule and history."""
    parts = [f"## {card.key}"] if heading else []
    parts += [f"*{card.type}* · tags: {', '.join(card.card.tags) or '—'} · `{shown_location(card.path, card.line)}`",
              _content(card)]
    if card.card.explanation:
        parts.append("**Why:** " + card.card.explanation)
    if card.card.sources:
        parts.append("*" + sources_line(card.card.sources) + "*")
    if card.card.follow_ups:
        parts.append("**Follow-ups:** " + ", ".join(f"`{ref}`" for ref in card.card.follow_ups))
    if schedule:
        parts.append(_schedule(card, store, settings, clock))
    return "\n\n".join(parts)


def due_when(due: datetime, now: datetime) -> str:
    """When a due date is, from now: "in 3d", "now" (within a minute), or "27m ago" for an overdue card."""
    if abs((due - now).total_seconds()) < 60:
        return "now"
    return f"in {format_interval(due - now)}" if due > now else f"{format_interval(now - due)} ago"


def shelved_note(shelved: int) -> str:
    """What a review of a search says when it is done and some of the cards found are suspended or buried."""
    if not shelved:
        return ""
    return (f"{shelved} of the cards found {'are' if shelved != 1 else 'is'} suspended or buried, "
            "and a review leaves those out.")


def set_aside_note(set_aside: int) -> str:
    """Beside a review's counts: the cards a search or an interview chose that wait for another day."""
    return f"{set_aside} set aside for another day (siblings)" if set_aside else ""


def shown_location(path: Path, line: int | None = None) -> str:
    """A content file's place as people read it: relative to the working directory when inside it, else with
    ~ for the home directory, else as it is."""
    for base, prefix in ((Path.cwd(), ""), (Path.home(), "~/")):
        try:
            shown = prefix + str(path.relative_to(base))
            break
        except ValueError:
            continue
    else:
        shown = str(path)
    shown = shown_path(shown)
    return f"{shown}:{line}" if line is not None else shown


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
            when = due_when(due, now)
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
        f"Today ({stats.today}): {counted(stats.reviews_today, 'review')} (scheduled), {counted(stats.answers_today, 'answer')} in all "
        f"(review, quiz, cram, interview), {stats.due_now} due, "
        f"{stats.new_available} new available; streak {counted(stats.streak, 'day')}",
        "",
        "Cards (each cloze deletion is one): " + ", ".join(f"{name} {count}" for name, count in stats.cards_by_state.items()),
        "True retention (30 days): "
        + ", ".join(f"{kind} {_percent(*counts)}" for kind, counts in stats.retention.items()),
        "Due in the next 7 days: " + " ".join(str(n) for n in stats.forecast[:7])
        + f" (30 days: {sum(stats.forecast)})",
        "",
        "Accuracy by topic (every answer: review, quiz, cram, interview):",
    ]
    if stats.topic_accuracy:
        width = max(len(topic) for topic in stats.topic_accuracy)
        for topic, (passed, total) in sorted(stats.topic_accuracy.items()):
            lines.append(f"  {topic.ljust(width)}  {_percent(passed, total)}")
    else:
        lines.append("  no reviews yet")
    if stats.leeches:
        lines += ["", f"Leeches ({len(stats.leeches)}: forgotten again and again; rewrite or split them, then "
                  "`quizapp card unsuspend KEY`):"]
        lines += [f"  {key}" for key in stats.leeches[:20]]
        if len(stats.leeches) > 20:
            lines.append(f"  ... and {len(stats.leeches) - 20} more (browse: is:leech)")
    if stats.orphaned:
        lines += ["", f"Orphaned ({len(stats.orphaned)}: history kept, card no longer in the content):"]
        lines += [f"  {key}" for key in stats.orphaned[:20]]
        if len(stats.orphaned) > 20:
            lines.append(f"  ... and {len(stats.orphaned) - 20} more")
    return "\n".join(lines)


def leech_warning(recorded) -> str:
    """What to tell the user when a rating made a card a leech (a `Recorded` with `leech`)."""
    key = recorded.question.key
    done = "It is suspended" if recorded.suspended else "It is marked as a leech"
    return (f"{key} keeps being forgotten: it is a leech. {done}; rewrite or split it, then "
            f"`quizapp card unsuspend {key}` (browse finds leeches with is:leech).")


def history_rows(info: CardInfo, tz: tzinfo) -> list[tuple[str, str, str, str, str, str]]:
    """The card's history, answers and events together, oldest first: (when, what, rating, time, answer, seed)."""
    rows: list[tuple[int, int, tuple[str, ...]]] = []
    for entry in info.reviews:
        verdict = "" if entry.correct is None else (" ✓" if entry.correct else " ✗")
        rows.append((entry.reviewed_ms, 0, (
            f"{from_ms(entry.reviewed_ms).astimezone(tz):%Y-%m-%d %H:%M}", entry.mode,
            RATING_NAMES.get(entry.rating, str(entry.rating)) + verdict,
            f"{(entry.duration_ms or 0) / 1000:.0f}s" if entry.duration_ms is not None else "",
            _one_line(entry.answer or ""), "" if entry.seed is None else str(entry.seed))))
    for event in info.events:
        what = event.event
        if event.event == "flag":
            what = f"flag {FLAG_COLOURS.get(event.value or 0, 'cleared')}" if event.value else "unflag"
        rows.append((event.at_ms, 1, (f"{from_ms(event.at_ms).astimezone(tz):%Y-%m-%d %H:%M}", what, "", "", "",
                                      "")))
    return [row for _, _, row in sorted(rows, key=lambda item: item[:2])]


def card_info_text(info: CardInfo, now: datetime, tz: tzinfo) -> str:
    """`quizapp card info` as plain text."""
    row = info.schedule
    marks = ", ".join(describe_marks(info.marks, to_ms(now), info.set_aside_by)) or "none"
    lines = [
        info.key,
        f"  from        {info.location} ({info.type})",
        f"  state       {info.state}",
    ]
    if row is not None:
        due = from_ms(row.due_ms)
        when = due_when(due, now)
        lines += [
            f"  due         {due.astimezone(tz):%Y-%m-%d %H:%M} ({when})",
            f"  stability   {row.stability:.2f} days" if row.stability is not None else "  stability   -",
            f"  difficulty  {row.difficulty:.2f} (1-10)" if row.difficulty is not None else "  difficulty  -",
            f"  recall now  {info.retrievability:.1%}",
        ]
    answers = len(info.reviews)
    lines += [f"  reviews     {info.reps} scheduled, {counted(answers, 'answer')} in all; "
              f"lapses {info.lapses}",
              f"  marks       {marks}", "", "  history"]
    history = history_rows(info, tz)
    if not history:
        lines.append("    not reviewed yet")
    widths = [max(len(row[i]) for row in history) for i in range(6)] if history else []
    for entry in history:
        lines.append("    " + "  ".join(cell.ljust(width) for cell, width in zip(entry, widths)).rstrip())
    return "\n".join(lines)


def card_info_dict(info: CardInfo) -> dict:
    """`quizapp card info --json`: plain values, times in ms since the epoch (UTC)."""
    row = info.schedule
    return {
        "key": info.key, "topic": info.topic, "location": info.location, "type": info.type, "state": info.state,
        "due_ms": row.due_ms if row else None,
        "stability": row.stability if row else None,
        "difficulty": row.difficulty if row else None,
        "retrievability": info.retrievability,
        "reps": info.reps, "lapses": info.lapses,
        "suspended": info.marks.suspended, "buried_until_ms": info.marks.buried_until_ms,
        "flag": FLAG_COLOURS.get(info.marks.flag), "leech": info.marks.leech, "set_aside_by": info.set_aside_by,
        "reviews": [{"reviewed_ms": e.reviewed_ms, "mode": e.mode, "rating": e.rating, "correct": e.correct,
                     "duration_ms": e.duration_ms, "answer": e.answer, "seed": e.seed} for e in info.reviews],
        "events": [{"at_ms": e.at_ms, "event": e.event, "value": e.value} for e in info.events],
    }


def _one_line(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
