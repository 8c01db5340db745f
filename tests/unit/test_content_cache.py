"""The content cache: a warm load equals a cold one, and any change to a file is seen."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from quizapp.deck import load_deck

GOOD = "topic: t\ntitle: T\ncards:\n  - {id: a, type: flashcard, front: f, back: b}\n"


def content_folder(tmp_path: Path, **files: str) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    for slug, text in files.items():
        (content / f"{slug}.yaml").write_text(text)
    return content


def test_warm_load_equals_cold_and_sees_changes(tmp_path: Path) -> None:
    content = content_folder(tmp_path, t=GOOD, u=GOOD.replace("topic: t", "topic: u"))
    cache = tmp_path / "cache"
    cold = load_deck([content], solvers=(), cache=cache)
    warm = load_deck([content], solvers=(), cache=cache)
    assert warm == cold
    path = content / "t.yaml"
    path.write_text(GOOD.replace("back: b", "back: c"))
    changed = load_deck([content], solvers=(), cache=cache)
    assert changed.topic("t").cards[0].card.back == "c"
    # Errors are cached too, with their places.
    path.write_text(GOOD.replace("back: b", "bak: bb"))
    assert [e.line for e in load_deck([content], solvers=(), cache=cache).errors] == [4]
    assert [e.line for e in load_deck([content], solvers=(), cache=cache).errors] == [4]


def test_a_file_put_back_at_its_old_mtime_is_read_again(tmp_path: Path) -> None:
    """`cp -p`, `rsync -t` and `tar x` restore the modification time: only the bytes tell."""
    content = content_folder(tmp_path, t=GOOD)
    path = content / "t.yaml"
    cache = tmp_path / "cache"
    assert load_deck([content], solvers=(), cache=cache).topic("t").cards[0].card.back == "b"
    edited = tmp_path / "edited.yaml"
    edited.write_text(GOOD.replace("back: b", "back: x"))  # same size
    stat = path.stat()
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    shutil.copy2(edited, path)
    assert path.stat().st_mtime_ns == stat.st_mtime_ns and path.stat().st_size == stat.st_size
    assert load_deck([content], solvers=(), cache=cache).topic("t").cards[0].card.back == "x"


def test_a_corrupt_or_unwritable_cache_is_ignored(tmp_path: Path) -> None:
    content = content_folder(tmp_path, t=GOOD)
    cache = tmp_path / "cache"
    load_deck([content], solvers=(), cache=cache)
    entries = list(cache.iterdir())
    assert [entry.suffix for entry in entries] == [".pickle"]
    for damage in (b"garbage", entries[0].read_bytes()[:-40], b""):
        entries[0].write_bytes(damage)
        assert load_deck([content], solvers=(), cache=cache).card_count == 1
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert load_deck([content], solvers=(), cache=blocker / "cache").card_count == 1


def test_an_entry_from_other_code_is_not_used(tmp_path: Path, monkeypatch) -> None:
    import quizapp.deck.loader as loader

    content = content_folder(tmp_path, t=GOOD)
    cache = tmp_path / "cache"
    load_deck([content], solvers=(), cache=cache)
    parsed: list[str] = []
    real = loader.load_file
    monkeypatch.setattr(loader, "load_file", lambda path, **kw: parsed.append(path.name) or real(path, **kw))
    monkeypatch.setattr(loader, "__version__", "0.0.0-other")
    assert load_deck([content], solvers=(), cache=cache).card_count == 1 and parsed == ["t.yaml"]


def test_a_changed_file_is_the_only_one_parsed_again(tmp_path: Path, monkeypatch) -> None:
    import quizapp.deck.loader as loader

    content = content_folder(tmp_path, **{slug: GOOD.replace("topic: t", f"topic: {slug}") for slug in "abc"})
    cache = tmp_path / "cache"
    load_deck([content], solvers=(), cache=cache)
    parsed: list[str] = []
    real = loader.load_file
    monkeypatch.setattr(loader, "load_file", lambda path, **kw: parsed.append(path.name) or real(path, **kw))
    assert load_deck([content], solvers=(), cache=cache).card_count == 3 and parsed == []
    (content / "b.yaml").write_text(GOOD.replace("topic: t", "topic: b") + "  - {id: z, type: flashcard, front: f, back: b}\n")
    assert load_deck([content], solvers=(), cache=cache).card_count == 4 and parsed == ["b.yaml"]


def test_a_missing_folder_that_appears_is_seen_despite_the_cache(tmp_path: Path) -> None:
    content, later = content_folder(tmp_path, t=GOOD), tmp_path / "later"
    cache = tmp_path / "cache"
    assert [e.message for e in load_deck([content, later], solvers=(), cache=cache).errors] == [
        "no such file or folder"]
    later.mkdir()
    assert load_deck([content, later], solvers=(), cache=cache).errors == ()


def test_cards_from_the_cache_are_the_validated_cards_of_every_type(tmp_path: Path) -> None:
    """The cache keeps cards as plain values and builds them again without validating: each comes back the
    same model (nested options, tolerances, parameters and key points included), frozen, with the same
    fields set, and the cached entry stays plain after a warm load rewrites it."""
    import pydantic

    from quizapp.paths import builtin_content_dir

    builtin = builtin_content_dir()
    assert builtin is not None
    content = tmp_path / "content"
    shutil.copytree(builtin, content)
    cache = tmp_path / "cache"
    cold = load_deck([content], cache=cache)
    warm = load_deck([content], cache=cache)
    assert warm == cold and not cold.errors
    assert {card.type for card in cold.cards()} >= {"flashcard", "choice", "numeric", "cloze", "generated",
                                                      "template", "code", "open"}
    for before, after in zip(cold.cards(), warm.cards(), strict=True):
        assert type(after.card) is type(before.card)
        assert after.card.model_dump() == before.card.model_dump()
        assert after.card.model_fields_set == before.card.model_fields_set
        assert after.card.model_dump_json(exclude_unset=True) == before.card.model_dump_json(exclude_unset=True)
        for name in type(before.card).model_fields:
            value = getattr(after.card, name)
            items = value if isinstance(value, list) else value.values() if isinstance(value, dict) else [value]
            original = getattr(before.card, name)
            originals = original if isinstance(original, list) else (
                original.values() if isinstance(original, dict) else [original])
            assert [type(item) for item in items] == [type(item) for item in originals], name
        with pytest.raises(pydantic.ValidationError):
            after.card.id = "changed"
    # One file changes: the entry is written again, and the unchanged files' cards still come back whole.
    first = sorted(content.glob("*.yaml"))[0]
    first.write_text(first.read_text() + "\n")
    assert load_deck([content], cache=cache) == cold
    entry = next(cache.iterdir()).read_bytes()
    assert b"__pydantic_fields_set__" not in entry  # no model was pickled the slow way, as pydantic's state
    again = load_deck([content], cache=cache)
    assert again == cold
    choice = next(card.card for card in again.cards() if card.type == "choice")
    assert all(type(option).__name__ == "ChoiceOption" for option in choice.options)
