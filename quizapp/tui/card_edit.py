"""Editing a card where it is written: its content file, at its line, in the user's editor; then the content
is read again and the card checked, so a mistake shows as a problem with its file:line, never a crash.

Used by review, browse and card info (`e`); each shows the card again when `edit_card` says the deck changed.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import App

from quizapp.deck.model import Deck
from quizapp.tui.editor import NO_EDITOR, editor_command, run_editor
from quizapp.tui.keys import action_key
from quizapp.tui.services import Services

__all__ = ["edit_card", "read_only_reason"]

# The built-in deck inside an installed wheel (a source checkout reads the repository's content/ instead).
_PACKAGED = Path(__file__).resolve().parents[1] / "_content"


def read_only_reason(path: Path, user_content: Path) -> str | None:
    """Why the file cannot be edited (a built-in file of an installed package, no write permission), or None."""
    packaged = path.resolve().is_relative_to(_PACKAGED)
    if packaged or not os.access(path, os.W_OK):
        kind = "is part of the installed quizapp package" if packaged else "is not writable"
        return f"{path} {kind}: copy it into {user_content} under a new topic name and edit the copy."
    return None


def edit_card(app: App, services: Services, key: str) -> bool:
    """Open the card of `key` at its line in $VISUAL / $EDITOR, then reload the content; True if it was
    reloaded (the caller shows the card anew). Every outcome is told in a notification."""
    try:
        card = services.deck.card(key)
    except KeyError:
        app.notify(f"{key} is no longer in the content; reload it from the command palette.", severity="warning")
        return False
    reason = read_only_reason(card.path, services.context.locations.user)
    command = editor_command(card.path, card.line)
    problem = reason or (NO_EDITOR if command is None else run_editor(app, command))
    if problem:
        app.notify(problem, title=f"Cannot edit {key}", severity="warning", timeout=8)
        return False
    _report(app, services.reload_deck(), key, card.path)
    return True


def _report(app: App, deck: Deck, key: str, path: Path) -> None:
    item = deck.item(key)
    if item is not None:
        app.notify(f"Reloaded {key} from {item.card.location}", timeout=3)
        return
    problems = [error for error in deck.errors if error.path == path]
    if problems:
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        try:
            again = f"press {action_key(app.screen, 'edit')}"  # review's, browse's or card info's key
        except KeyError:
            again = "edit it"
        app.notify(f"{problems[0]}{more}. Fix it and {again} again, or see Content problems (ctrl+p).",
                   title=f"{key} no longer loads", severity="error", timeout=12)
    else:
        app.notify(f"{key} is no longer in {path}: its id changed or it was removed.", severity="warning", timeout=8)
