"""What the TUI's Markdown draws from hostile content: code fences highlighted only where that is safe, raw HTML
as text."""

from __future__ import annotations

import textual.highlight
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownFence

from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.widgets.markdown_card import HIGHLIGHT_BUDGET, _parser
from tests.hostile_corpus import HOSTILE
from tests.ui.test_hostile_tui import screen_text
from tests.ui.waiting import until


def fence_languages(markdown: str) -> list[str]:
    return [token.info for token in _parser().parse(markdown) if token.type in {"fence", "code_block"}]


def test_only_allowed_languages_within_the_budget_reach_pygments() -> None:
    assert fence_languages("```Python\nx = 1\n```\n\n```yaml {.x}\na: 1\n```") == ["python", "yaml"]
    assert fence_languages("```zeek\n1\n```\n\n```\nuntagged\n```\n\n    indented") == ["text"] * 3
    big = "x = 1\n" * (HIGHLIGHT_BUDGET // 6)
    assert fence_languages(f"```python\n{big}```\n\n```python\n{big}```") == ["python", "text"]


async def test_a_fence_in_a_slow_lexers_language_is_shown_plain_not_highlighted(make_app, monkeypatch) -> None:
    """The zeek lexer took 45 s on the UI thread for this card's answer; Textual guessed an untagged fence's
    language by running every lexer. Only the plain text lexer may be asked for here."""
    asked: list[str] = []
    real = textual.highlight.get_lexer_by_name

    def recorded(name: str, **options):
        asked.append(name)
        return real("text", **options)  # fast whatever was asked, so the test fails rather than hangs

    monkeypatch.setattr(textual.highlight, "get_lexer_by_name", recorded)
    monkeypatch.setattr(textual.highlight, "guess_language", lambda code, path: asked.append("guessed") or "text")
    app = make_app(HOSTILE / "slow-lexer-fence.yaml")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, ReviewScreen)
        codes: list[str] = []
        for _ in range(2):
            await pilot.press("space")
            back = app.screen.query_one("#question-back", Markdown)
            await until(pilot, lambda: back.query(MarkdownFence))
            codes += [fence.code for fence in back.query(MarkdownFence)]
            await pilot.press("3")
        assert any(code.startswith("1111") and code.endswith("1x") for code in codes)
        assert len(codes) == 3
    assert asked and set(asked) == {"text"}


async def test_raw_html_is_shown_as_text_as_in_plain_mode(make_app) -> None:
    app = make_app(HOSTILE / "raw-html.yaml")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("r")
        await until(pilot, lambda: "This line is hidden in the TUI." in screen_text(app))
        assert "<div>" in screen_text(app) and "</div>" in screen_text(app)
        await pilot.press("space")
        await until(pilot, lambda: "text" in screen_text(app).split("Answer:")[-1])
        assert "Inline <span>kept?</span> and <!-- c --> text" in screen_text(app)


def test_text_nested_too_deep_is_one_block_as_written_and_nine_lists_are_drawn() -> None:
    import yaml

    twelve, nine = (card["back"] for card in yaml.safe_load((HOSTILE / "deep-list.yaml").read_text())["cards"])
    tokens = _parser().parse(twelve)
    assert [token.type for token in tokens] == ["code_block"] and "- level 12" in tokens[0].content
    assert "9" in [token.content for token in _parser().parse(nine) if token.type == "inline"]
    assert "quoted" in [token.content for token in _parser().parse(nine) if token.type == "inline"]
