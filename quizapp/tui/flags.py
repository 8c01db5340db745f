"""Flags in the TUI: their keys (Anki's ctrl+1..4, and f5..f8 for terminals that cannot send ctrl+digit) and
their coloured marker."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from quizapp.study.store import FLAG_COLOURS

__all__ = ["FLAG_STYLES", "flag_bindings", "flag_text"]

FLAG_STYLES = {1: "bold red", 2: "bold dark_orange", 3: "bold green", 4: "bold blue"}


def flag_bindings(prefix: str) -> list[Binding]:
    """`flag(n)` on ctrl+n (terminals with the kitty keyboard protocol) and on f(n+4) (every terminal, tmux
    included: a plain terminal sends ctrl+1 as 1 and ctrl+3 as escape); ids `prefix.flag-red` and so on."""
    return [Binding(f"ctrl+{number},f{number + 4}", f"flag({number})", f"Flag {colour}",
                    id=f"{prefix}.flag-{colour}", show=False, priority=True)
            for number, colour in FLAG_COLOURS.items()]


def flag_text(flag: int) -> Text:
    """A card's flag as a coloured marker and its colour's name ("■ red"); empty for no flag."""
    if not flag:
        return Text()
    return Text.assemble(("■ ", FLAG_STYLES[flag]), (FLAG_COLOURS[flag], FLAG_STYLES[flag]))
