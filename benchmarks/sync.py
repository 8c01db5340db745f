"""Sync on a big history: importing 100,000 entries from another device into a store of 1,000,000 reviews
(replay included) within 30 s, and a sync with nothing new within 50 ms.

The local store is the study benchmark's synthetic one (`build_store`); its own history is exported once
first (reported, not a target). The other device logs 100,000 reviews of the same cards after that history,
and its file is written by the real exporter. Each timed import starts from a fresh copy of the local store.
"""

from __future__ import annotations

import shutil

from benchmarks.harness import Config, Result, median, timed
from benchmarks.synthetic import build_store, deck_in_memory, study_now

__all__ = ["run"]

IMPORT_S = 30.0
NOTHING_NEW_MS = 50.0


def run(config: Config) -> list[Result]:
    from quizapp.config import Settings
    from quizapp.study.scheduling import card_id_for
    from quizapp.study.store import NewReview, Store
    from quizapp.study.sync import FOLDER, sync

    cards, reviews, incoming = (100_000, 1_000_000, 100_000) if not config.quick else (1_000, 10_000, 1_000)
    now = study_now()
    now_ms = int(now.timestamp() * 1000)
    settings = Settings(enable_fuzzing=False)
    deck = deck_in_memory(cards, topics=100)
    local = config.workdir / "sync-local"
    build_store(local, deck, reviews, now)
    folder = config.workdir / "sync-folder"
    folder.mkdir()
    with Store.open(local) as store:
        first_export_s, report = timed(lambda: sync(store, local, folder, settings, now_ms=now_ms))
    details: dict[str, object] = {"first_export_s": round(first_export_s, 1), "first_export_entries": report.exported}

    # The other device exports through a folder of its own (it is not to import the local history), and its
    # file is then copied into the shared one, as a sync tool would.
    other, other_folder = config.workdir / "sync-other", config.workdir / "sync-other-folder"
    other_folder.mkdir()
    keys = [item.key for item in deck.items()[: int(cards * 0.9)]]  # the studied part of the deck
    with Store.open(other) as store:
        store.bulk_load([], (NewReview(keys[(n * 7919) % len(keys)], card_id_for(keys[(n * 7919) % len(keys)]),
                                       (1, 3, 3, 3, 4)[n % 5], now_ms + n * 500, 6_000, "review")
                             for n in range(incoming)))
        sync(store, other, other_folder, settings, now_ms=now_ms)
    for path in (other_folder / FOLDER).glob("*.jsonl"):
        shutil.copy(path, folder / FOLDER / path.name)

    import_samples, idle_samples = [], []
    for attempt in range(max(1, min(config.repeats, 3))):
        copy = config.workdir / f"sync-local-{attempt}"
        shutil.copytree(local, copy)
        with Store.open(copy) as store:
            def again(store=store, copy=copy):
                return sync(store, copy, folder, settings, now_ms=now_ms)

            seconds, report = timed(again)
            if report.imported != incoming or report.problems:
                raise RuntimeError(f"imported {report.imported} of {incoming}; {report.problems[:3]}")
            import_samples.append(seconds)
            details["cards_replayed"] = report.cards_replayed
            idle_samples += [timed(again)[0] for _ in range(config.size(20, 3))]
        shutil.rmtree(copy)
    import_s = median(import_samples)
    idle_ms = median(idle_samples) * 1000
    details["import_samples_s"] = [round(s, 2) for s in import_samples]
    size = f"{incoming:,} entries into {reviews:,} reviews"
    return [
        Result("sync.import", import_s, "s", import_s / IMPORT_S, "<=", 1.0,
               f"{IMPORT_S:.0f} s budget; {size}, replay included", details=details),
        Result("sync.nothing_new", idle_ms, "ms", idle_ms / NOTHING_NEW_MS, "<=", 1.0,
               f"{NOTHING_NEW_MS:.0f} ms budget; a sync that finds nothing new, {reviews:,} reviews", details=details),
    ]
