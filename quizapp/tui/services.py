"""What the app works with, built outside it and passed in: context (settings, clock, seed), deck and store."""

from __future__ import annotations

from dataclasses import dataclass, field

from quizapp.context import AppContext
from quizapp.deck import Deck
from quizapp.study.store import Store

__all__ = ["Services"]


@dataclass
class Services:
    context: AppContext
    deck: Deck
    store: Store
    notices: list[str] = field(default_factory=list)  # shown as warnings when the app starts (the start's sync)

    @property
    def settings(self):
        return self.context.settings

    @property
    def clock(self):
        return self.context.clock

    def reload_deck(self) -> Deck:
        """Read the content files again (after the user edited them)."""
        from quizapp.study.query import forget_index

        forget_index()
        self.deck = self.context.load_deck()
        return self.deck
