"""SVG snapshots of the main screens at a fixed size, seed and clock. Review a changed picture before accepting
it with `pytest tests/ui/test_snapshots.py --snapshot-update`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from fsrs import Rating

from quizapp.study.quiz import QuizSession
from quizapp.study.review import ReviewSession

SIZE = (100, 32)
REPOSITORY = Path(__file__).parents[2]


def seed_history(app) -> None:
    """Two weeks of reviews through the engine, so stats and home have something to show."""
    services = app.services
    clock = services.clock
    start = clock.moment
    clock.moment = start - timedelta(days=14)
    ratings = [Rating.Good, Rating.Again, Rating.Easy, Rating.Good, Rating.Hard]
    for day in range(14):
        session = ReviewSession(services.deck, services.store, services.settings, clock, seed=day)
        for index in range(6):
            question = session.current
            if question is None:
                break
            if question.kind == "choice":
                session.check_choice(question.correct_options)
            elif question.auto_checked:
                session.check("0")
            session.rate(ratings[(day + index) % len(ratings)])
        clock.moment += timedelta(days=1)
    clock.moment = start


def test_home(snap_compare, make_app) -> None:
    app = make_app()
    seed_history(app)
    assert snap_compare(app, terminal_size=SIZE)


def test_review_choice_before_answering(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), press=["r", "space", "3"], terminal_size=SIZE)


def test_review_choice_after_answering(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), press=["r", "space", "3", "2", "enter"], terminal_size=SIZE)


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (100, 40)], ids=["80x24", "100x30", "100x40"])
def test_review_generated_after_answering(snap_compare, make_app, size) -> None:
    """A long generated card, answered: the view has moved to the verdict and the worked solution."""
    app = make_app()

    async def answer(pilot) -> None:
        await pilot.press("r")
        screen = app.screen
        while screen.session.current.kind != "generated":
            question = screen.session.current
            if question.kind == "choice":
                screen.session.check_choice(question.correct_options)
            elif question.auto_checked:
                screen.session.check("0")
            screen.session.rate(Rating.Good)
        screen._show_current()
        await pilot.pause()
        await pilot.press(*"0.5", "enter")

    assert snap_compare(app, run_before=answer, terminal_size=size)


def test_quiz_results(snap_compare, make_app) -> None:
    app = make_app()

    async def finish_quiz(pilot) -> None:
        from quizapp.tui.screens.quiz_results import QuizResultsScreen

        services = app.services
        session = QuizSession(services.deck, services.store, services.clock, count=4, seed=3)
        while not session.finished:
            question = session.current
            if question.kind == "choice":
                session.check_choice(frozenset({0}))
            else:
                session.check("0.75")
        app.push_screen(QuizResultsScreen(session))
        await pilot.pause()

    assert snap_compare(app, run_before=finish_quiz, terminal_size=SIZE)


def test_stats(snap_compare, make_app) -> None:
    app = make_app()
    seed_history(app)
    assert snap_compare(app, press=["s"], terminal_size=(100, 44))


def mark_some(app) -> None:
    """Marks of every kind on the fixture deck, as the user would set them."""
    from quizapp.study.clock import StudyDay, to_ms
    from quizapp.study.marking import mark

    services = app.services
    now = services.clock.now()
    day = StudyDay.containing(now, services.clock.tz, services.settings.day_starts_at)
    mark(services.store, ["mini/pick-one"], "suspend", day, to_ms(now))
    mark(services.store, ["mini/number"], "bury", day, to_ms(now))
    for key, colour in (("mini/flash", 1), ("mini/pick-many", 2), ("mini/blanks#c1", 3), ("mini/gen", 4)):
        mark(services.store, [key], "flag", day, to_ms(now), flag=colour)


def test_card_info(snap_compare, make_app, monkeypatch) -> None:
    """Card info of a card with answers and marks: every fact and the whole history fit at 100x30."""
    from quizapp.tui.screens.card_info import CardInfoScreen

    monkeypatch.chdir(REPOSITORY)  # files are shown relative to it
    app = make_app()
    seed_history(app)
    mark_some(app)

    async def open_info(pilot) -> None:
        app.push_screen(CardInfoScreen(app.services, "mini/flash"))
        await pilot.pause()

    assert snap_compare(app, run_before=open_info, terminal_size=(100, 30))


def test_browse(snap_compare, make_app, monkeypatch) -> None:
    """Browse at 100x30 with history, marks of every kind, a selection and a sort: nothing cut."""
    monkeypatch.chdir(REPOSITORY)
    app = make_app()
    seed_history(app)
    mark_some(app)
    assert snap_compare(app, press=["b", "o", "space", "space", "up"], terminal_size=(100, 30))


def test_quiz_setup_at_80_columns(snap_compare, make_app) -> None:
    """The built-in topics at 80x24, two of them ticked: a tick on, a blank off (Textual drew "X" both ways), and
    long titles cut with "…" right after their last whole character ('Batch normalization (批归 …' was cut
    in the middle of 一)."""
    assert snap_compare(make_app(builtin=True), press=["q", "space", "down", "down", "space"], terminal_size=(80, 24))
