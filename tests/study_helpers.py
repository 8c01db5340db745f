"""Shared builders for study-engine tests: a fixture deck, a store in a temp dir, a fixed clock."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from quizapp.config import Settings
from quizapp.deck import Deck, load_deck
from quizapp.study.clock import FixedClock

FIXTURE_DECK = Path(__file__).parent / "fixtures" / "deck"
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)  # a Monday, 09:00 UTC


def fixture_deck() -> Deck:
    deck = load_deck([FIXTURE_DECK])
    assert not deck.errors, [str(e) for e in deck.errors]
    return deck


def fixed_clock(moment: datetime = START) -> FixedClock:
    return FixedClock(moment)


def settings(**overrides: object) -> Settings:
    """Deterministic settings; new cards in deck order with no sibling burying (the tests of those features
    set them), so a test can walk the fixture deck card by card."""
    chosen = {"enable_fuzzing": False, "new_card_order": "deck", "bury_new_siblings": False,
              "bury_review_siblings": False} | overrides
    return Settings(**chosen)


def database_at(path: Path, version: int):
    """A database at an older schema `version` (the first `version` migrations), as an older quizapp left it:
    an open sqlite3 connection in autocommit mode, for a test to fill and close."""
    import sqlite3

    from quizapp.study.store import MIGRATIONS

    db = sqlite3.connect(path, isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:version], start=1):
        for statement in filter(str.strip, script.split(";")):
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {number}")
    return db
