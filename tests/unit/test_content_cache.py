"""The content cache: a warm load equals a cold one, and any change to a file is seen."""

from __future__ import annotations

import os
from pathlib import Path

from quizapp.deck import load_deck
from quizapp.deck.loader import content_cache

GOOD = "topic: t\ntitle: T\ncards:\n  - {id: a, type: flashcard, front: f, back: b}\n"


def test_warm_load_equals_cold_and_sees_changes(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    path = content / "t.yaml"
    path.write_text(GOOD)
    cache = content_cache(tmp_path / "cache")
    (content / "u.yaml").write_text(GOOD.replace("topic: t", "topic: u"))
    cold = load_deck([content], solvers=(), cache=cache)
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 2  # one entry per file
    warm = load_deck([content], solvers=(), cache=cache)
    assert [c.card for c in warm.cards()] == [c.card for c in cold.cards()]
    # Same size, new text, new mtime: reloaded.
    path.write_text(GOOD.replace("back: b", "back: c"))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    changed = load_deck([content], solvers=(), cache=cache)
    assert changed.topic("t").cards[0].card.back == "c"
    # Errors are cached too, with their places.
    path.write_text(GOOD.replace("back: b", "bak: bb"))
    assert [e.line for e in load_deck([content], solvers=(), cache=cache).errors] == [4]
    assert [e.line for e in load_deck([content], solvers=(), cache=cache).errors] == [4]


def test_a_corrupt_or_unwritable_cache_is_ignored(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "t.yaml").write_text(GOOD)
    cache_dir = tmp_path / "cache"
    load_deck([content], solvers=(), cache=content_cache(cache_dir))
    for entry in cache_dir.glob("*.pickle"):
        entry.write_bytes(b"garbage")
    assert load_deck([content], solvers=(), cache=content_cache(cache_dir)).card_count == 1
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert load_deck([content], solvers=(), cache=content_cache(blocker / "cache")).card_count == 1
