"""The hostile corpus in the TUI: every screen drawn, nothing from data written to the terminal as a command,
and markup in names shown literally (it crashed Stats and the content-problems screen)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from quizapp.tui.screens.browse import BrowseScreen
from quizapp.safetext import visible
from quizapp.tui.screens.content_errors import ContentErrorsScreen
from quizapp.tui.screens.glossary import GlossaryScreen
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.interview import InterviewScreen
from quizapp.tui.screens.interview_report import InterviewReportScreen
from quizapp.tui.screens.interview_setup import InterviewSetupScreen
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.screens.stats import StatsScreen
from quizapp.tui.widgets.key_points import KeyPointList
from tests.hostile_corpus import HOSTILE, control_characters, loader_bypassed
from tests.ui.waiting import until


def terminal_output(app) -> str:
    """What the app would write to the terminal for the whole screen now (its driver writes exactly this)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return update.render_segments(app.console)


def screen_text(app) -> str:
    """The characters on screen, without the styles between them."""
    return re.sub(r"\x1b\[[0-9;:]*m", "", terminal_output(app))


async def check_screen(app, pilot) -> str:
    await pilot.pause()
    output = terminal_output(app)
    assert control_characters(output, terminal=True) == []
    return output


async def test_every_screen_over_the_corpus_sends_no_control_character(make_app, monkeypatch) -> None:
    loader_bypassed(monkeypatch)  # the values reach the screens as a cached or stored value would
    app = make_app(HOSTILE)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        home = await check_screen(app, pilot)
        assert "Innocent deck\\x1b]52;c;" in home and "[/bad] [link=https://evil.example]click me[/link]" in home
        for key, screen in (("e", ContentErrorsScreen), ("b", BrowseScreen), ("s", StatsScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen)
            await check_screen(app, pilot)
            await pilot.press("escape")
        await pilot.press("r")
        assert isinstance(app.screen, ReviewScreen)
        shown = ""
        for _ in range(25):  # every hostile card: show it, reveal or answer it, rate it
            if app.screen.session.current is None:
                break
            kind = app.screen.session.current.kind
            shown += await check_screen(app, pilot)
            answer = {"open": ("ctrl+s",)}.get(kind, ("space",) if kind in {"flashcard", "cloze"} else ("1", "enter"))
            await pilot.press(*answer)
            shown += await check_screen(app, pilot)
            await pilot.press("3" if kind in {"flashcard", "cloze", "open"} else "enter")  # open: focus in the points
        for escaped in ("\\x1b[6n", "\\x1b]0;OWNED\\x07", "U+202E", "\\x9b6n"):
            assert escaped in shown


async def test_markup_in_names_shows_literally_on_every_screen(make_app) -> None:
    app = make_app(HOSTILE / "markup-in-names.yaml")
    async with app.run_test(size=(120, 40)) as pilot:
        assert "[/bad] [link=https://evil.example]click me[/link]" in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        row = app.screen.query_one(DataTable).get_row_at(0)
        assert "unknown field '[/oops]'" in str(row[1])
        assert "unknown field '[/oops]'" in screen_text(app)
        await pilot.press("escape", "s")
        await pilot.pause()
        assert str(app.screen.query_one("#accuracy", DataTable).get_row_at(0)[0]).startswith("[/bad] [link=")
        await pilot.press("escape", "b")
        await pilot.pause()
        assert "markup/c1" in screen_text(app)
        await pilot.press("escape", "r")
        await until(pilot, lambda: "front[/link]" in screen_text(app))  # the card's Markdown is laid out after the screen
        assert "[/x] [link=https://evil.example]front[/link]" in screen_text(app)
        assert "\x1b]8;" not in terminal_output(app)  # no live link made from the text


async def test_the_answer_hint_is_text_not_markup(make_app, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "n.yaml").write_text("topic: n\ntitle: N\ncards:\n  - {id: a, type: numeric, prompt: 'One?', answer: 1}\n")
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#answer").value = "[1"
        await pilot.pause()
        assert "✗ the opening '[' has no matching ']' at the end" in screen_text(app)


@pytest.mark.parametrize(("key", "topics"), [("q", "#quiz-topics"), ("i", "#interview-topics")])
async def test_setup_shows_a_markup_title_literally(make_app, key: str, topics: str) -> None:
    app = make_app(HOSTILE / "markup-in-names.yaml")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(key)
        await until(pilot, lambda: app.screen.query(topics))
        prompts = [str(option.prompt) for option in app.screen.query_one(topics)._options]
        assert any("[/bad] [link=https://evil.example]click me[/link]" in prompt for prompt in prompts)


async def test_notifications_quote_data_as_plain_text(make_app) -> None:
    """A typed answer, a key or a file name in a notification is never markup nor a control sequence."""
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("r", "space", "3", "1", "enter", "enter", "1", "3", "enter", "enter")
        app.screen.query_one("#answer").value = "[/oops"
        await pilot.press("enter")  # unreadable: a warning quoting the parser, not a MarkupError
        app.notify("[/oops] \x1b]0;OWNED\x07", title="[b]key")
        await pilot.pause()
        shown = [(n.message, n.markup) for n in app._notifications]
    assert ("[b]key: [/oops] \\x1b]0;OWNED\\x07", False) in shown
    assert any(message.startswith("Could not read") for message, _ in shown)


HOSTILE_OPEN = HOSTILE / "markup-in-glossary-and-open.yaml"
LONG_WORD = "Pneumono" + "ultramicroscopic" * 8 + "silicovolcanoconiosis"


def flat(text: str) -> str:
    """Screen text without its line breaks and frame characters: a value wrapped over lines reads whole."""
    return re.sub(r"[\s│▊▎▏┃]+", " ", re.sub(r"\x1b\[\d+;\d+H", "\n", text))


async def test_the_glossary_shows_hostile_terms_literally(make_app, monkeypatch) -> None:
    loader_bypassed(monkeypatch)  # the escape sequences reach the screen as a stored value would
    app = make_app(HOSTILE_OPEN)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert isinstance(app.screen, GlossaryScreen) and table.virtual_size.width <= table.size.width  # all in view
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert ["[bold red]red term[/]", "[link=https://evil.example]链接[/link]", "markup-open"] in rows
        assert ["[/glossary]", "闭合[/]", "markup-open"] in rows
        assert ["title \\x1b]0;OWNED\\x07 here", "标题", "markup-open"] in rows
        assert [LONG_WORD, "长词", "markup-open"] in rows and ["שלום عالم mixed", "零\u200d宽", "markup-open"] in rows
        output = await check_screen(app, pilot)
        assert "\x1b]8;" not in output  # no live link made from a term
        shown = screen_text(app)
        assert "[bold red]red term[/]" in shown and "[link=https://evil.example]链接[/link]" in shown
        assert "title \\x1b]0;OWNED\\x07 here" in shown
        long_row = next(line for line in shown.splitlines() if "Pneumono" in line)
        assert "…" in long_row and "长词" in long_row and "markup-open" in long_row  # the long term cut, not the table
        for index in range(table.row_count):  # each term's detail line: the term and its topic's title
            table.move_cursor(row=index)
            await pilot.pause()
            detail = str(app.screen.query_one("#glossary-detail", Static).render())
            assert detail.startswith(rows[index][0]) and rows[index][1] in detail
            assert "[b]Open[/b] [link=https://evil.example]questions[/link] (markup-open)" in detail
            await check_screen(app, pilot)
        assert app.screen.query_one(Input).has_focus
        await pilot.press(*"[/")  # a search for markup finds it, and says it literally when not
        await pilot.pause()
        assert {str(table.get_row_at(i)[0]) for i in range(table.row_count)} == {"[bold red]red term[/]",
                                                                                 "[/glossary]"}
        await pilot.press(*"nope]")
        await pilot.pause()
        assert "No term matches '[/nope]' in English or Chinese." in screen_text(app)


async def test_an_interview_of_a_hostile_deck_shows_it_literally(make_app, monkeypatch) -> None:
    loader_bypassed(monkeypatch)
    app = make_app(HOSTILE_OPEN)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, InterviewSetupScreen)
        assert "[b]Open[/b] [link=https://evil.example…" in screen_text(app)  # cut to the list's width
        await pilot.press("ctrl+s")  # start
        await until(pilot, lambda: isinstance(app.screen, InterviewScreen) and "שלום" in screen_text(app))  # Markdown laid out
        screen = app.screen
        assert isinstance(screen, InterviewScreen) and screen.shown.key == "markup-open/open-hostile"
        output = await check_screen(app, pilot)
        assert "\x1b]8;" not in output
        shown = flat(screen_text(app))
        assert "[bold red]Explain[/] [link=https://evil.example]this[/link] שלום \u200bzero" in shown
        assert LONG_WORD[:60] in shown  # folded over lines, not cut
        await pilot.press("ctrl+s")  # the model answer and the key points
        await until(pilot, lambda: len(screen.query(".key-point-text")) == 3)
        points = [str(point.render()) for point in screen.query(".key-point-text")]
        assert points == ["[/] a closing tag first", "a point with an escape \\x1b[6n in it", f"[link=x]{LONG_WORD}"]
        for _ in range(3):
            await pilot.press("pagedown")  # read the whole card: each part drawn is checked
            output = await check_screen(app, pilot)
            assert "\x1b]8;" not in output
            shown += flat(screen_text(app))
        assert "[/] a closing tag first" in shown and "a point with an escape \\x1b[6n in it" in shown
        assert "[red]not red[/red] [link=https://evil.example]no link[/link] عربي \\x1b]52;c;aGk=\\x07 end" in shown
        screen.query_one(KeyPointList).toggle(0)
        screen.query_one(KeyPointList).toggle(2)
        await pilot.press("r")  # 2 of 3 points: a pass, the follow-up comes
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: screen.shown.key == "markup-open/choice-hostile" and "[/] that" in flat(screen_text(app)))
        shown = flat(screen_text(app))
        assert "[blink]Pick[/blink] one" in shown and "[green]this[/green]" in shown and "[/] that" in shown
        await check_screen(app, pilot)
        await pilot.press("2", "enter")  # a miss: the interview is over
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, InterviewReportScreen))
        output = await check_screen(app, pilot)
        assert "\x1b]8;" not in output
        report = app.screen.markdown
        assert "- **markup-open/open-hostile** - a point with an escape \\x1b[6n in it" in flat(visible(report))


CHARACTER_REFERENCES = """topic: char-refs
title: Character references
cards:
  - id: rlo
    type: flashcard
    front: "Which is right? &#x202E;thgir si siht&#x202C; &#8294;isolate&#8297;"
    back: "back &#x202E;kcab&#x202C;"
    explanation: "`&#x202E;` in code stays as written"
"""


async def test_a_character_reference_to_a_bidi_control_is_shown_escaped(make_app, tmp_path: Path,
                                                                         monkeypatch) -> None:
    """`&#x202E;` is eight plain characters, and the Markdown parser turns it into the right-to-left override
    itself: it reached the terminal raw from the review screen (the loader now refuses it too)."""
    loader_bypassed(monkeypatch)
    path = tmp_path / "refs.yaml"
    path.write_text(CHARACTER_REFERENCES, encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, ReviewScreen)
        await check_screen(app, pilot)
        assert "U+202Ethgir si sihtU+202C U+2066isolateU+2069" in screen_text(app)
        await pilot.press("space")
        await check_screen(app, pilot)
        assert "back U+202EkcabU+202C" in screen_text(app) and "&#x202E; in code stays as written" in screen_text(app)


LINKS = """topic: links
title: Links
cards:
  - id: links
    type: flashcard
    front: "[slides](/tmp/slides.desktop) [editor](vscode://file/etc/passwd) [paper](https://example.org/p)"
    back: b
"""


async def test_only_web_links_are_opened(make_app, tmp_path: Path) -> None:
    """A click on a card's link handed any href to the system's opener (a file path, vscode://)."""
    from textual.widgets import Markdown

    from quizapp.tui.widgets.markdown_card import MarkdownCard

    path = tmp_path / "links.yaml"
    path.write_text(LINKS, encoding="utf-8")
    app = make_app(path)
    opened: list[str] = []
    app.open_url = lambda url, **kwargs: opened.append(url)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        prompt = app.screen.query(MarkdownCard).first()
        for href in ("/tmp/slides.desktop", "vscode://file/etc/passwd", "https://example.org/p"):
            prompt.post_message(Markdown.LinkClicked(prompt, href))
            await pilot.pause()
        assert opened == ["https://example.org/p"]
        shown = [notification.message for notification in app._notifications]
        assert "Not opened: /tmp/slides.desktop is not a web link (http, https or mailto)" in shown


async def test_a_toast_is_never_markup(make_app) -> None:
    """A widget's notify asks for markup by default, so a toast quoting '[/x]' raised MarkupError and
    '[@click=app.quit]' made a clickable action."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.notify("'[/x]' is not a number [@click=app.quit]quit[/]")
        await pilot.pause()
        (toast,) = [n for n in app._notifications if n.message.startswith("'[/x]'")]
        assert toast.message == "'[/x]' is not a number [@click=app.quit]quit[/]" and not toast.markup
