"""Pilot: Enter on a topic whose review would be "All done" while it has new cards past today's limit offers
more of them today (Anki's "increase today's new card limit"); the home screen's counts are the review's."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from textual.widgets import Input, Static

from quizapp.tui.launch import build_app
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.more_new import MoreNewScreen
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.widgets.topic_table import TopicTable
from tests.study_helpers import settings
from tests.ui.conftest import make_context
from tests.ui.test_app_flows import content_folder

TOPICS = {
    "a.yaml": "topic: a\ntitle: Topic A\ncards:\n  - {id: c0, type: flashcard, front: f0, back: b0}\n",
    # a title that looks like markup must be shown as written
    "b.yaml": "topic: b\ntitle: '[b]Topic B[/b]'\ncards:\n" + "".join(
        f"  - {{id: c{n}, type: flashcard, front: f{n}, back: b{n}}}\n" for n in range(3)),
}


@contextmanager
def app_with_limit(tmp_path: Path, new_per_day: int):
    """The app on TOPICS with `new_per_day` new cards a day."""
    context = replace(make_context(tmp_path / "data", content_folder(tmp_path, TOPICS)),
                      settings=settings(new_per_day=new_per_day))
    app = build_app(context)
    try:
        yield app
    finally:
        app.services.store.close()


def new_column(app) -> dict[str, int]:
    return {row.slug: row.new for row in app.screen.query_one(TopicTable).rows}


async def test_enter_on_a_topic_past_the_new_card_limit_offers_more_new_cards(tmp_path: Path) -> None:
    with app_with_limit(tmp_path, 1) as app:
        async with app.run_test(size=(100, 30)) as pilot:
            assert new_column(app) == {"a": 1, "b": 1}  # what each topic's review would bring, within the limit
            await pilot.press("r", "space", "4")  # the day's one new card: a/c0, Easy
            assert app.screen.session.finished
            await pilot.press("escape")
            assert isinstance(app.screen, HomeScreen) and new_column(app) == {"a": 0, "b": 0}
            await pilot.press("down", "enter")  # topic b: nothing due, the limit spent, three new cards
            await pilot.pause()
            assert isinstance(app.screen, MoreNewScreen)
            message = str(app.screen.query_one("#more-new-message", Static).render())
            assert "[b]Topic B[/b]" in message and "3 new cards left" in message
            field = app.screen.query_one(Input)
            assert field.value == "3"  # the default (10), at most what is left
            await pilot.press("backspace", "2", "enter")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
            session = app.screen.session
            assert session.topics == ["b"] and session.counts().new == 2 and session.current.key == "b/c0"
            await pilot.press("space", "4", "space", "4")
            assert session.finished and session.reviewed == 2
            await pilot.press("escape")
            assert new_column(app) == {"a": 0, "b": 0}
            # Offered again (one card is left); declined, the review says all done and offers review ahead.
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, MoreNewScreen)
            assert "1 new card left" in str(app.screen.query_one("#more-new-message", Static).render())
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen) and app.screen.session.finished
            assert "All done" in str(app.screen.query_one("#done-message", Static).render())
            # A topic with no new card left is not offered any: its review opens straight away.
            await pilot.press("escape", "up", "enter")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen) and app.screen.session.topics == ["a"]


async def test_a_bad_number_is_refused_and_the_dialog_stays(tmp_path: Path) -> None:
    with app_with_limit(tmp_path, 0) as app:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("down", "enter")
            await pilot.pause()
            assert isinstance(app.screen, MoreNewScreen)
            await pilot.press("backspace", "0", "enter")
            await pilot.pause()
            assert isinstance(app.screen, MoreNewScreen)  # 0 is not "more": the dialog waits for a number
            await pilot.press("backspace", "1", "enter")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen) and app.screen.session.current.key == "b/c0"


async def test_a_topic_that_runs_out_during_its_review_offers_more_new_cards_on_the_done_screen(tmp_path: Path) -> None:
    with app_with_limit(tmp_path, 1) as app:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("down", "enter")  # topic b: one new card today, three in the topic
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen) and app.screen.session.current.key == "b/c0"
            await pilot.press("space", "4")
            assert app.screen.session.finished
            done = str(app.screen.query_one("#done-message", Static).render())
            assert "2 new cards of this topic are left: press n to learn more today" in done
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, MoreNewScreen)
            await pilot.press("backspace", "1", "enter")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen) and app.screen.session.current.key == "b/c1"
            await pilot.press("space", "4")
            done = str(app.screen.query_one("#done-message", Static).render())
            assert "1 new card of this topic is left" in done
            await pilot.press("n", "escape")  # declined: still all done, and still offered
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen) and app.screen.session.finished


def test_the_help_names_the_keys_of_the_done_screen() -> None:
    from quizapp.tui.screens.help import HELP

    for binding_id in ("review.ahead", "review.more-new"):
        assert f"{{{binding_id}}}" in HELP, binding_id  # replaced by the key bound now
