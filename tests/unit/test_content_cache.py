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
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 3  # one entry per file, one for the deck
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


def test_a_changed_file_is_the_only_one_parsed_again(tmp_path: Path, monkeypatch) -> None:
    import quizapp.deck.parse as parse

    content = tmp_path / "content"
    content.mkdir()
    for slug in "abc":
        (content / f"{slug}.yaml").write_text(GOOD.replace("topic: t", f"topic: {slug}"))
    cache = content_cache(tmp_path / "cache")
    load_deck([content], solvers=(), cache=cache)
    parsed: list[str] = []
    real = parse.load_file
    monkeypatch.setattr(parse, "load_file", lambda path, **kw: parsed.append(path.name) or real(path, **kw))
    assert load_deck([content], solvers=(), cache=cache).card_count == 3 and parsed == []
    (content / "b.yaml").write_text(GOOD.replace("topic: t", "topic: b") + "  - {id: z, type: flashcard, front: f, back: b}\n")
    assert load_deck([content], solvers=(), cache=cache).card_count == 4 and parsed == ["b.yaml"]
    # The same files asked for by another path list are another deck (its missing paths differ).
    deck = load_deck([content, tmp_path / "nowhere"], solvers=(), cache=cache)
    assert [e.message for e in deck.errors] == ["no such file or folder"]


def test_a_damaged_card_buffer_is_read_again_from_the_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "t.yaml").write_text(GOOD)
    cache_dir = tmp_path / "cache"
    fresh = load_deck([content], solvers=())
    load_deck([content], solvers=(), cache=content_cache(cache_dir))
    for entry in cache_dir.glob("*.pickle"):  # the buffers (cards, entries) are the entry's last bytes
        data = bytearray(entry.read_bytes())
        data[-60:] = bytes(60)
        entry.write_bytes(bytes(data))
    warm = load_deck([content], solvers=(), cache=content_cache(cache_dir))
    assert [c.card for c in warm.cards()] == [c.card for c in fresh.cards()]


def test_a_missing_folder_that_appears_is_seen_despite_the_cache(tmp_path: Path) -> None:
    content, later = tmp_path / "content", tmp_path / "later"
    content.mkdir()
    (content / "t.yaml").write_text(GOOD)
    cache = content_cache(tmp_path / "cache")
    assert [e.message for e in load_deck([content, later], solvers=(), cache=cache).errors] == [
        "no such file or folder"]
    later.mkdir()
    assert load_deck([content, later], solvers=(), cache=cache).errors == ()
