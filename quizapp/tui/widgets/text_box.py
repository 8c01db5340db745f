"""A one-line text box whose editing keys keep their place among the typed characters.

Textual inserts a typed character as soon as the box reads its key, but runs the box's own bindings (backspace,
delete, arrows, ctrl+k, ...) only once the key has bubbled up to the app, behind whatever the screen is busy
with. In a burst of keys (a fast typist while the browse list refills, a paste of keystrokes over ssh) a
backspace then lands after the letters typed behind it: "tag:", six backspaces and "prop:d>5" gave "tag:pr"
(Textual issue #6605). This box runs its own bindings when it reads the key (`key_order`).

It also tells the footer which keys it types: Textual knows no character for "at", "minus", "slash"..., so a
screen's "@" or "/" binding would be offered while the box types the key.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from quizapp.tui.key_order import run_own_binding
from quizapp.tui.keys import typed_character

__all__ = ["TextBox"]


class TextBox(Input):
    async def _on_key(self, event: events.Key) -> None:
        if not await run_own_binding(self, event):
            await super()._on_key(event)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return super().check_consume_key(key, character or typed_character(key))
