"""Arbitrary text in every text field of valid cards, let past the loader's character checks (as a stored or
cached value would be): plain review and every TUI screen draw it without an exception, and nothing a
terminal would act on is written."""

from __future__ import annotations

import asyncio
import io
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quizapp.plain as plain
from quizapp.cli import main
from quizapp.deck import load_deck
from quizapp.tui.launch import build_app
from tests.hostile_corpus import control_characters, loader_bypassed
from tests.ui.conftest import make_context
from tests.ui.test_hostile_tui import terminal_output

# Text of every kind, weighted towards what breaks renderers: controls, bidi, markup, Markdown, math.
PIECES = st.sampled_from(["\x1b]52;c;eA==\x07", "\x1b[6n", "\x1b\\", "\x9b", "\u202e", "\u2066", "\x7f", "\r",
                          "[/x]", "[link=https://e.example]l[/link]", "[b]", "**", "`", "$", "$$", "\\frac{",
                          "{", "}", "_", "^", "\n", "\t", "> ", "# ", "- ", "1. ", "|", "<b>", "&amp;", "\\"])
TEXT = st.lists(st.one_of(PIECES, st.text(min_size=1, max_size=8)), min_size=1, max_size=12).map("".join).filter(
    lambda text: text.strip() != "" and "{{" not in text and "}}" not in text and "::" not in text)


def unbraced(text: str) -> str:
    """A deletion's text without braces: a '}}' among its own braces would end it early, which validate refuses."""
    return text.replace("{", "(").replace("}", ")")


def deck_text(texts: list[str]) -> str:
    t = iter(texts)
    document = {
        "topic": "fuzz", "title": next(t)[:200], "summary": next(t), "sources": [next(t)[:200]],
        "cards": [
            {"id": "flash", "type": "flashcard", "front": next(t), "back": next(t), "explanation": next(t),
             "sources": [next(t)[:200]]},
            {"id": "choice", "type": "choice", "prompt": next(t), "shuffle": False,
             "options": [{"text": "right " + next(t), "correct": True, "why": next(t)},
                         {"text": "wrong " + next(t), "why": next(t)}]},
            {"id": "cloze", "type": "cloze", "text": f"{next(t)} {{{{c1::{unbraced(next(t))}::{unbraced(next(t))}}}}}"},
            {"id": "number", "type": "numeric", "prompt": next(t), "answer": 1.5, "explanation": next(t)},
        ],
    }
    return yaml.safe_dump(document, allow_unicode=True)


FIELDS = st.lists(TEXT, min_size=17, max_size=17)


def write_deck(folder: Path, texts: list[str]) -> Path:
    content = folder / "content"
    content.mkdir()
    (content / "fuzz.yaml").write_text(deck_text(texts), encoding="utf-8")
    return content


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FIELDS)
def test_plain_review_of_arbitrary_text_sends_no_control_character(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch, pytest.MonkeyPatch.context() as monkeypatch:
        folder = Path(scratch)
        loader_bypassed(monkeypatch)
        content = write_deck(folder, texts)
        assert not load_deck([content]).errors
        monkeypatch.setenv("QUIZAPP_CONFIG", str(folder / "none.toml"))
        out = io.StringIO()
        answers = io.StringIO("\n".join(["", "3", "a", "", "", "3", "1.5", ""] * 3) + "\n")
        real = plain.PlainIO
        monkeypatch.setattr(plain, "PlainIO", lambda: real(answers, out))  # stdin and stdout of the review
        code = main(["--no-builtin", "--content", str(content), "--data-dir", str(folder / "data"),
                     "review", "--plain", "--seed", "1"])
        assert code == 0
        assert "recorded: fuzz/" in out.getvalue()
        assert control_characters(out.getvalue()) == []


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FIELDS)
def test_every_screen_draws_arbitrary_text_without_control_characters(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch, pytest.MonkeyPatch.context() as monkeypatch:
        folder = Path(scratch)
        loader_bypassed(monkeypatch)
        app = build_app(make_context(folder / "data", write_deck(folder, texts)))
        try:
            asyncio.run(_visit_every_screen(app))
        finally:
            app.services.store.close()


async def _visit_every_screen(app) -> None:
    async def drawn() -> None:
        await pilot.pause()
        assert control_characters(terminal_output(app), terminal=True) == []

    async with app.run_test(size=(100, 32)) as pilot:
        await drawn()
        for key in ("b", "s"):
            await pilot.press(key)
            await drawn()
            await pilot.press("escape")
        await pilot.press("r")
        for _ in range(6):
            if app.screen.session.current is None:
                break
            kind = app.screen.session.current.kind
            await drawn()
            await pilot.press(*(("space",) if kind in {"flashcard", "cloze"} else ("1", "enter")))
            await drawn()
            await pilot.press("3" if kind in {"flashcard", "cloze"} else "enter")
        await drawn()
