"""Counts in words: "1 review", "2 reviews" (a polished tool never prints "1 reviews" or "review(s)")."""

from __future__ import annotations

__all__ = ["counted"]


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """`number` and the noun that agrees with it; `plural` for nouns that do not just take an "s".

    >>> counted(1, "review"), counted(0, "entry", "entries"), counted(1_200, "card")
    ('1 review', '0 entries', '1,200 cards')
    """
    noun = singular if number == 1 else plural or singular + "s"
    return f"{number:,} {noun}"
