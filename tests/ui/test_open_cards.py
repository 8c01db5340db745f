"""Pilot tests of an open question: typing, the countdown, the reveal, the checklist and its suggestions,
the suggested rating in words, changing it, and what the log keeps."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Static, TextArea

from quizapp.study.quiz import QuizSession
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.widgets.key_points import KeyPointList
from quizapp.tui.widgets.open_timer import OpenTimer
from tests.ui.waiting import until

OPEN_DECK = Path(__file__).resolve().parent.parent / "fixtures" / "open"


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def type_text(pilot, text: str) -> None:
    keys = {" ": "space", "\n": "enter", "'": "apostrophe", ",": "comma", ".": "full_stop"}
    await pilot.press(*[keys.get(c, c) for c in text])


async def start_review(app, pilot) -> None:
    await pilot.press("r")
    assert isinstance(app.screen, ReviewScreen)
    assert app.screen.session.current.kind == "open"


async def test_typing_the_countdown_and_the_overtime(make_app) -> None:
    app = make_app(OPEN_DECK)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(app, pilot)
        timer = app.screen.query_one(OpenTimer)
        assert timer.display and str(timer.render()) == "⏱ 1:30 left of 1:30"
        box = app.screen.query_one("#open-answer", TextArea)
        assert box.has_focus  # the user types at once
        await type_text(pilot, "it keeps the\ndistribution stable")
        assert box.text == "it keeps the\ndistribution stable"  # Enter is a new line, not an answer
        assert not app.screen.is_answered
        app.services.clock.advance(seconds=30)
        await until(pilot, lambda: str(timer.render()) == "⏱ 1:00 left of 1:30")  # the timer redraws itself
        assert not timer.has_class("-over")
        app.services.clock.advance(seconds=72)
        await until(pilot, lambda: str(timer.render()).startswith("⏱ 0:12 over the 1:30 limit"))  # it never stops the user
        assert timer.has_class("-over")  # shown in the warning colour
        assert not app.screen.is_answered
        await pilot.press("ctrl+s")
        assert app.screen.is_answered
        assert str(timer.render()) == "⏱ took 1:42 of 1:30, 0:12 over"
        app.services.clock.advance(seconds=30)
        await pilot.pause(0.7)  # more than one tick (0.5 s) of the timer: a redraw would have come
        assert str(timer.render()) == "⏱ took 1:42 of 1:30, 0:12 over"  # frozen once revealed


async def test_reveal_marks_keyword_matches_unticked_and_the_rating_follows_the_ticks(make_app) -> None:
    app = make_app(OPEN_DECK)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(app, pilot)
        await type_text(pilot, "the input DISTRIBUTION stays put\nand the learning rate can be larger")
        app.services.clock.advance(seconds=40)
        await pilot.press("ctrl+s")
        checklist = app.screen.query_one(KeyPointList)
        assert checklist.display and checklist.has_focus
        assert checklist.suggested == frozenset({0, 1})  # keyword matches: marked, a hint
        assert checklist.ticked == frozenset()  # never ticked for the user: keywords cannot see a negation
        rows = [str(row.query(".key-point-text").first().render()) for row in checklist.children[1:]]
        assert [row.endswith("· keyword found") for row in rows] == [True, True, False, False]
        hint = str(checklist.children[0].render())
        assert hint == "Tick the points you made (space, click); “keyword found” is only a hint"
        assert rows[3] == "Batch statistics add a mild [b]regularising[/b] noise"  # data, never markup
        back = app.screen.query_one("#question-back")
        assert back.display and back.source.startswith("### Model answer\n\nNormalizing each feature")
        assert text_of(app, "#verdict") == "0 of 4 points: Again"
        assert text_of(app, "#suggestion") == "0 of 4 points: Again — press 1 to accept it, or 1-4"
        await pilot.press("space", "down", "space")  # tick points 1 and 2: half of them
        assert text_of(app, "#verdict") == "2 of 4 points: Hard"
        assert text_of(app, "#suggestion") == "2 of 4 points: Hard — press 2 to accept it, or 1-4"
        await pilot.press("up", "space")  # untick point 1: 1 of 4 is fewer than half
        assert text_of(app, "#verdict") == "1 of 4 points: Again"
        await pilot.press("down", "down", "space", "down", "enter", "up", "up", "up", "space")  # tick 3, 4, 1
        assert checklist.ticked == frozenset({0, 1, 2, 3})
        assert text_of(app, "#suggestion") == "4 of 4 points: Good — press 3 to accept it, or 1-4"
        await pilot.press("4")  # the user's own rating wins over the suggestion
        await pilot.pause()
    [row] = app.services.store.log()
    assert (row.key, row.rating, row.mode, row.correct) == ("interview/why-bn", 4, "review", True)
    assert row.answer == "the input DISTRIBUTION stays put\nand the learning rate can be larger"
    assert json.loads(row.detail) == {"points": [0, 1, 2, 3], "of": 4, "suggested": [0, 1]}
    assert row.duration_ms == 40_000


async def test_a_click_ticks_a_point_and_enter_elsewhere_accepts_the_suggestion(make_app) -> None:
    app = make_app(OPEN_DECK)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(app, pilot)
        await pilot.press("ctrl+s")  # answered aloud: nothing typed, nothing suggested
        checklist = app.screen.query_one(KeyPointList)
        assert checklist.ticked == frozenset() and checklist.suggested == frozenset()
        assert not app.screen.query_one("#open-answer").display  # no empty box left behind
        assert text_of(app, "#verdict") == "0 of 4 points: Again"
        rows = list(checklist.children[1:])
        await pilot.click(rows[2])
        await pilot.click(rows[3])
        assert checklist.ticked == frozenset({2, 3})
        assert text_of(app, "#verdict") == "2 of 4 points: Hard"
        app.screen.set_focus(None)
        await pilot.press("enter")  # Enter on the screen accepts the suggested rating
        await pilot.pause()
    [row] = app.services.store.log()
    assert row.rating == 2 and row.answer is None
    assert json.loads(row.detail) == {"points": [2, 3], "of": 4, "suggested": []}


async def test_the_footer_offers_the_reveal_key(make_app) -> None:
    app = make_app(OPEN_DECK)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_review(app, pilot)
        shown = {binding.key for _, binding, enabled, _ in app.screen.active_bindings.values() if enabled
                 and binding.show}
        assert "ctrl+s" in shown
        hint = app.screen.query_one("#open-hint", Static).render()
        assert "^s shows the model answer and the key points" in str(hint)  # as the footer names the key


async def test_quiz_judges_an_open_question_by_its_points(make_app) -> None:
    app = make_app(OPEN_DECK)
    async with app.run_test(size=(100, 30)) as pilot:
        services = app.services
        session = QuizSession(services.deck, services.store, services.clock, types=("open",), count=1, seed=1)
        app.push_screen(QuizScreen(session))
        await pilot.pause()
        assert app.screen.query_one(OpenTimer).display
        await type_text(pilot, "smoother loss landscape")
        await pilot.press("ctrl+s")
        checklist = app.screen.query_one(KeyPointList)
        assert checklist.ticked == frozenset() and checklist.suggested == frozenset({1})
        assert "0 of 4 points: Again" in text_of(app, "#quiz-next")
        await pilot.press("down", "space")
        assert "1 of 4 points: Again" in text_of(app, "#quiz-next")
        await pilot.press("down", "space")
        assert "2 of 4 points: Hard" in text_of(app, "#quiz-next")
        await pilot.press("r")
        assert text_of(app, "#verdict") == "✓ 2 of 4 points: Hard"
        assert session.results().score == 1
    [row] = services.store.log()
    assert (row.mode, row.rating, row.correct) == ("quiz", 2, True)
    assert json.loads(row.detail) == {"points": [1, 2], "of": 4, "suggested": [1]}


def test_snapshot_of_a_revealed_open_question(snap_compare, make_app) -> None:
    """100x30: the timer above the panel, the typed answer, the checklist with two keyword matches marked (none
    ticked for the user; the second ticked by them), the suggested rating in words, and the model answer below,
    scrollable."""
    app = make_app(OPEN_DECK)

    async def reveal(pilot) -> None:
        await pilot.press("r")
        await type_text(pilot, "keeps the input distribution stable\nso a larger learning rate works")
        app.services.clock.advance(seconds=95)
        await pilot.press("ctrl+s", "down", "space")
        await pilot.pause()

    assert snap_compare(app, run_before=reveal, terminal_size=(100, 30))
