"""Browse's search box on 10,000 cards: what a key costs while typing, and the refill once typing pauses.

The budgets are absolute, as nothing else draws our list: a key in the box within 50 ms (it used to refill the
whole list, about 1.3 s), and the list refilled within 500 ms of Enter. The app runs headless (Textual's
`run_test`), keys are pressed as a user would, and each figure is the CPU time of this process (the machine is
shared; the app is single-threaded), the median over the keys of a few searches.
"""

from __future__ import annotations

import asyncio
import time

from benchmarks.harness import Config, Result, median
from benchmarks.synthetic import study_now, write_deck

__all__ = ["run"]

KEY_MS = 50.0
REFILL_MS = 500.0
SEARCHES = ("gradient loss", "tag:bias", "-type:cloze", "layer")


def run(config: Config) -> list[Result]:
    from quizapp.context import AppContext
    from quizapp.paths import ContentLocations
    from quizapp.study.clock import FixedClock
    from quizapp.tui.launch import build_app

    files, per_file = (100, 100) if not config.quick else (5, 20)
    deck = config.workdir / "browse-deck"
    write_deck(deck, files, per_file, seed=3)
    data = config.workdir / "browse-data"
    context = AppContext(data_dir=data, locations=ContentLocations(builtin=None, user=data / "content", extra=(deck,)),
                         clock=FixedClock(study_now()), seed=1)
    app = build_app(context)
    keys, refills = asyncio.run(_type_searches(app, SEARCHES[:config.size(len(SEARCHES), 1)]))
    app.services.store.close()
    size = f"{files * per_file:,} cards"
    key_ms, refill_ms = median(keys) * 1000, median(refills) * 1000
    return [
        Result("browse.key", key_ms, "ms", key_ms / KEY_MS, "<=", 1.0, f"{KEY_MS:.0f} ms a key in the search box",
               details={"size": size, "keys": len(keys)}),
        Result("browse.refill", refill_ms, "ms", refill_ms / REFILL_MS, "<=", 1.0,
               f"{REFILL_MS:.0f} ms for the list to follow the search", details={"size": size, "searches": len(refills)}),
    ]


async def _type_searches(app, searches) -> tuple[list[float], list[float]]:
    """CPU seconds of each key typed into browse's search box, and of each Enter that applies the search."""
    keys, refills = [], []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        for search in searches:
            await pilot.press("slash", "ctrl+u", "enter", "slash")  # the whole list again, the box focused
            await pilot.pause()
            for character in search:
                start = time.process_time()
                await pilot.press("space" if character == " " else character)
                await pilot.pause()
                keys.append(time.process_time() - start)
            start = time.process_time()
            await pilot.press("enter")
            await pilot.pause()
            refills.append(time.process_time() - start)
    return keys, refills
