"""A TextArea whose editing keys keep their place among the typed characters (see `quizapp.tui.key_order`).

Textual's TextArea inserts a typed character as soon as it reads the key, but runs its own bindings (backspace,
delete, arrows, ctrl+w, ...) only once the key has bubbled up to the app: in a burst of keys a backspace landed
after the characters typed behind it (Textual issue #6605). This one runs its own bindings when it reads the key,
as `TextBox` does for a one-line box.
"""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from quizapp.tui.key_order import run_own_binding

__all__ = ["TypingArea"]


class TypingArea(TextArea):
    async def _on_key(self, event: events.Key) -> None:
        if not await run_own_binding(self, event):
            await super()._on_key(event)
