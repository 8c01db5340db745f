"""Helpers for people writing content: validation reports, the JSON Schema, starter files, topic lists."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from quizapp.deck import Deck
from quizapp.deck.schema import CARD_TYPES, SLUG_MAX_LENGTH, SLUG_PATTERN, content_json_schema
from quizapp.errors import UserError
from quizapp.plural import counted
from quizapp.safetext import ZERO_WIDTH, shown_path, unsafe_characters
from quizapp.safewrite import check_target, write_text

__all__ = ["SCHEMA_FILENAME", "schema_text", "topic_rows", "topics_table", "validation_report", "write_starter"]

SCHEMA_FILENAME = "quizapp-content.schema.json"


def validation_report(deck: Deck) -> tuple[list[str], bool]:
    """One line per error, then a summary line; and whether the content is clean."""
    lines = [str(error) for error in deck.errors]
    bad_files = len({error.path for error in deck.errors})
    cards = _card_count(deck)
    if deck.errors:
        lines.append(f"{counted(len(deck.errors), 'error')} in {counted(bad_files, 'file')}; {cards}")
    else:
        lines.append(f"no errors in {counted(len(deck.files), 'file')}; {cards}")
    return lines, not deck.errors


def _card_count(deck: Deck) -> str:
    """The cards that loaded, counted as `quizapp topics` and the app count them: each cloze deletion is a card."""
    items = len(deck.item_keys)
    if items == deck.card_count:
        return f"{counted(items, 'card')} OK"
    return f"{counted(items, 'card')} OK, from {counted(deck.card_count, 'note')} (each cloze deletion is a card)"


def schema_text() -> str:
    return json.dumps(content_json_schema(), indent=2)


def topic_rows(deck: Deck) -> list[dict[str, object]]:
    rows = []
    for topic in deck.topics:
        counts = Counter(card.type for card in topic.cards)
        rows.append(
            {
                "topic": topic.slug,
                "title": topic.title,
                "cards": len(topic.items),  # each cloze deletion is a card, as on the home screen and in Anki
                "notes": len(topic.cards),
                "by_type": {kind: counts.get(kind, 0) for kind in CARD_TYPES},
                "path": str(topic.path),
            }
        )
    return rows


def topics_table(rows: list[dict[str, object]]) -> str:
    if not rows:
        return "no topics loaded"
    kinds = list(CARD_TYPES)
    header = ["topic", "cards", "notes", *kinds]
    body = [[str(r["topic"]), str(r["cards"]), str(r["notes"]), *(str(r["by_type"][k]) for k in kinds)]  # type: ignore[index]
            for r in rows]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]

    def fmt(row: list[str]) -> str:
        return "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))

    total = sum(int(r["cards"]) for r in rows)  # type: ignore[arg-type]
    notes = sum(int(r["notes"]) for r in rows)  # type: ignore[arg-type]
    return "\n".join([fmt(header), *map(fmt, body),
                      f"{counted(len(rows), 'topic')}, {counted(total, 'card')} from {counted(notes, 'note')} (each cloze deletion is a card; "
                      "the type columns count notes)"])


def new_topic_file(folder: Path, topic: str, *, force: bool, folder_name: str = "") -> Path:
    """Where a new topic's file goes: `folder/topic.yaml`, once the id is a valid slug, the folder is one, and
    an existing file may be replaced (`force`). `folder_name` says how the user named the folder (`--out`)."""
    if not re.fullmatch(SLUG_PATTERN, topic):
        raise UserError(f"{topic!r} is not a valid topic id: use lowercase letters, digits and '-', "
                        "like 'dropout'")
    if len(topic) > SLUG_MAX_LENGTH:  # as in a content file; a longer one is no file name either
        raise UserError(f"the topic id is too long ({len(topic)} characters): at most {SLUG_MAX_LENGTH}")
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder_name}{shown_path(folder)} is a file, not a folder: name the folder to write "
                        f"{topic}.yaml into")
    path = folder / f"{topic}.yaml"
    if folder.is_dir():
        check_target(path, force=force)
    return path


def write_starter(folder: Path, topic: str, title: str | None = None, *, force: bool = False) -> Path:
    """Write `<folder>/<topic>.yaml`, a starter file that validates as written, and the schema beside it.

    An existing topic file is replaced only with `force`; the schema file is quizapp's own and is refreshed.
    """
    path = new_topic_file(folder, topic, force=force)
    text = STARTER.format(topic=topic, title=_starter_title(title or topic.replace("-", " ").capitalize()))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the folder {shown_path(folder)}: {exc.strerror or exc}") from None
    write_text(folder / SCHEMA_FILENAME, schema_text() + "\n", force=True)
    write_text(path, text, force=force)
    return path


def _starter_title(title: str) -> str:
    """The title as a YAML string that reads back as written (any quotes, colons or '#' in it)."""
    if any(unsafe_characters(char) or char in ZERO_WIDTH for char in title):
        raise UserError(f"the title {title!r} holds a control or zero-width character; type it without")
    return json.dumps(" ".join(title.split()), ensure_ascii=False)


STARTER = """\
# yaml-language-server: $schema=./quizapp-content.schema.json
# A quizapp topic. Check it with `quizapp validate`; every field is described in the README.
# Text is Markdown; math goes in $...$ (inline) or $$...$$ (display). Put math in single quotes
# or in a block (|) so that backslashes stay as written.
topic: {topic}          # unique id; your review history is keyed by it, so keep it stable
title: {title}
summary: What this topic covers, in a sentence or two.
sources:
  - Where the facts come from (a paper, a book chapter, documentation URL).
cards:
  # A flashcard: you read the front, recall, reveal the back and rate yourself 1-4.
  - id: first-flashcard
    type: flashcard
    front: What question should you be able to answer?
    back: The answer, short enough to recall in one go.
    explanation: Why the answer is right, or the trap people fall into.
    tags: [basics]

  # A choice card: mark one or more options correct; options are shuffled unless `shuffle: false`.
  - id: first-choice
    type: choice
    prompt: Which of these is true?
    options:
      - text: The right statement.
        correct: true
        why: Feedback shown for this option.
      - text: A common misconception.
        why: Why it is wrong.

  # A cloze card: each {{{{cN::...}}}} is hidden in turn and scheduled on its own.
  - id: first-cloze
    type: cloze
    text: 'Batch norm normalizes each {{{{c1::feature}}}} over the {{{{c2::mini-batch}}}}.'

  # A numeric card: type a number (0.75, 3/4, 75%) or a list ([1, 2]); tolerance is optional.
  - id: first-numeric
    type: numeric
    prompt: 'What is $\\frac{{3}}{{4}}$ as a decimal?'
    answer: 0.75
    tolerance: {{abs: 0.001}}

  # A generated card: a fresh numeric question from a solver each time (`quizapp generate --list`).
  - id: first-generated
    type: generated
    solver: auc
    difficulty: 1

  # A template card: a numeric question written here, its numbers drawn at random ("Template cards" in the
  # README). `{{p}}` shows a parameter; `{{=expr}}` a computed value, `{{=expr:.3g}}` with a format.
  - id: first-template
    type: template
    params:
      n: {{integers: [20, 200]}}
      p: {{choice: [0.1, 0.2, 0.5]}}
    prompt: 'A layer of {{n}} units has dropout rate $p = {{p}}$. How many units does a training step keep, on average?'
    answer: "n * (1 - p)"
    solution: 'Each unit is kept with probability $1 - p$, so ${{n}} \\times {{=1 - p}} = {{=answer:.4g}}$.'

  # An open question, as an interviewer asks it: answer aloud or type, then tick the key points you made.
  # Keywords mark a point when a typed answer has them (a hint; never ticked). Follow-ups are what is asked next:
  # ids in this topic, or topic/id in another.
  - id: first-open
    type: open
    prompt: Why does this idea matter in practice?
    key_points:                       # 2 to 8, each one short line
      - text: The first thing an interviewer listens for
        keywords: [first, listens]
      - text: The second point
    model_answer: |
      The answer you would be glad to give in about two minutes.
    time_limit: 120                   # seconds (15 to 900); 120 if left out
    follow_ups: [first-flashcard]
"""
