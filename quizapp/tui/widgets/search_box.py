"""A screen's search box: its search key (`/` unless remapped) pressed in the box while it is empty is not typed.

The key asks for the search box, and the user is in it already (the glossary opens with its box in focus): a
'/' out of habit became the search text, and no term or card matched it. Once something is typed, the key
types its character, as in "A/B test".
"""

from __future__ import annotations

from textual import events

from quizapp.tui.keys import action_id, keys_of
from quizapp.tui.widgets.text_box import TextBox

__all__ = ["SearchBox"]


class SearchBox(TextBox):
    def on_key(self, event: events.Key) -> None:
        """Runs before the box's own key handling, which `prevent_default` then skips (Textual's public way)."""
        if not self.value and event.key in self._search_keys():
            event.stop()
            event.prevent_default()

    def _search_keys(self) -> list[str]:
        """The keys of the screen's binding that focuses its search box (`focus_search`), the keymap applied."""
        try:
            return keys_of(self.screen, action_id(self.screen, "focus_search"))
        except KeyError:  # a screen without a search key
            return []
