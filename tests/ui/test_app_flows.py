"""Pilot tests: every flow of the app, driven by keys as a user would."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static

from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.content_errors import ContentErrorsScreen
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.screens.quiz_results import QuizResultsScreen
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.screens.stats import StatsScreen
from quizapp.tui.widgets.topic_table import TopicTable


def static_text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def logged(app) -> list[tuple[str, int, str]]:
    return [(row.key, row.rating, row.mode) for row in app.services.store.log()]


def content_folder(parent: Path, files: dict[str, str]) -> Path:
    """A folder of content files, name -> YAML text."""
    folder = parent / "content"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[("space" if c == " " else c) for c in text])


async def typing_paused(pilot) -> None:
    """Stop typing for as long as browse waits before its list follows the search box."""
    await pilot.pause()  # the last key read: the wait starts
    await pilot.pause(BrowseScreen.SEARCH_DELAY + 0.05)
    await pilot.pause()  # the list refilled


async def test_full_review_of_every_card_type(make_app) -> None:
    app = make_app()
    messages: list[object] = []
    async with app.run_test(size=(100, 32), message_hook=messages.append) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("r")
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("space", "3")                 # flashcard: reveal, Good
        await pilot.press("2", "enter")                 # single choice: b is wrong
        assert "Not quite" in static_text(app, "#verdict")
        await pilot.press("1")                          # rate Again
        await pilot.press("1", "3", "enter", "enter")   # multiple choice right; Enter accepts the suggestion
        await type_text(pilot, "3/4")
        assert "reads as 0.75" in static_text(app, "#answer-hint")
        await pilot.press("enter", "4")                 # numeric right; Easy
        await pilot.press("space", "3", "space", "3")   # cloze deletions 1 and 2
        answer = app.screen.session.current.problem.answer
        await type_text(pilot, repr(answer))
        await pilot.press("enter")
        assert "Correct" in static_text(app, "#verdict")
        await pilot.press("enter")
        await pilot.pause()
    assert logged(app) == [
        ("mini/flash", 3, "review"),
        ("mini/pick-one", 1, "review"),
        ("mini/pick-many", 3, "review"),
        ("mini/number", 4, "review"),
        ("mini/blanks#c1", 3, "review"),
        ("mini/blanks#c2", 3, "review"),
        ("mini/gen", 3, "review"),
    ]
    unique = {id(m): m for m in messages if isinstance(m, Input.Submitted)}  # the hook sees each hop
    submitted = [m.value for m in unique.values()]
    assert submitted == ["3/4", repr(answer)]


async def test_unreadable_answer_is_not_counted(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("r", "space", "3", "1", "enter", "enter", "1", "3", "enter", "enter")
        await type_text(pilot, "three")
        assert "✗" in static_text(app, "#answer-hint")
        await pilot.press("enter")
        assert app.screen.session.outcome is None
        assert static_text(app, "#verdict") == ""
        # the toast says what is wrong once (its title repeated the message's "Could not read")
        assert [f"{n.title} {n.message}".lower().count("could not read") for n in app._notifications] == [1]
    assert [row[0] for row in logged(app)] == ["mini/flash", "mini/pick-one", "mini/pick-many"]


async def test_answer_hint_marks_a_reading_with_the_wrong_count(make_app) -> None:
    # "0,75" (a decimal comma) reads as two numbers: the hint must not tick what checking then refuses.
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("r", "space", "3", "1", "enter", "enter", "1", "3", "enter", "enter")
        await type_text(pilot, "0,75")
        hint = static_text(app, "#answer-hint")
        assert hint.startswith("✗") and "[0, 75]" in hint and "a single number" in hint
        await pilot.press("enter")
        assert app.screen.session.outcome is None
        shown = [f"{n.title} {n.message}".lower() for n in app._notifications]
        assert len(shown) == 1 and "expected a single number" in shown[0]
        await pilot.press(*["backspace"] * 4)
        await type_text(pilot, "[0.75]")
        assert static_text(app, "#answer-hint").startswith("✓")  # a bracketed number answers a number


async def test_undo_restores_the_card(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("r", "space", "4")
        assert app.services.store.card("mini/flash") is not None
        await pilot.press("u")
        assert app.services.store.card("mini/flash") is None and logged(app) == []
        assert app.screen.session.current.key == "mini/flash"


async def test_nothing_due_offers_review_ahead(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.action_review(["second"])
        await pilot.pause()
        await pilot.press("space", "4", "space", "4")
        assert "All done for now" in static_text(app, "#done-message")
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.cram and app.screen.session.current.key == "second/one"
        await pilot.press("space", "1")
    assert [row[2] for row in logged(app)] == ["review", "review", "cram"]


async def start_quiz(pilot) -> None:
    """Home -> quiz set-up -> a quiz with the set-up's defaults."""
    await pilot.press("q")
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, QuizScreen)


async def test_a_quiz_left_before_any_answer_goes_home_without_a_score(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await start_quiz(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)  # not a results screen reading "0/0 (0%)  No misses. Well done."
        assert [n.message for n in app._notifications] == ["No score: no question was answered."]


async def test_quiz_to_results_and_retry(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await start_quiz(pilot)
        session = app.screen.session
        answered = 0
        while not session.finished:
            question = session.current
            right = answered > 0  # the first answer is wrong, the rest right
            if question.kind == "choice":
                wrong = next(i for i in range(len(question.options)) if i not in question.correct_options)
                picks = sorted(question.correct_options) if right else [wrong]
                await pilot.press(*[str(i + 1) for i in picks], "enter")
            else:
                expected = question.problem.answer if question.problem else question.item.card.card.answer
                await type_text(pilot, repr(expected) if right else "12345")
                await pilot.press("enter")
            answered += 1
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, QuizResultsScreen)
        assert f"Score: {answered - 1}/{answered}" in static_text(app, "#score")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen) and app.screen.session.position == (1, 1)
    assert {row[2] for row in logged(app)} == {"quiz"}
    assert app.services.store.cards() == []  # quizzes never change schedules


async def test_browse_search_and_detail(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.press("b", "slash")
        assert isinstance(app.screen, BrowseScreen)
        await type_text(pilot, "type:choice gener")
        await typing_paused(pilot)
        table = app.screen.query_one("#cards", DataTable)
        assert table.row_count == 1
        await pilot.press("enter", "down")
        await pilot.pause()
        detail = app.screen.query_one("#card-detail").source
        assert static_text(app, "#detail-schedule").startswith("mini/pick-many")  # the side names the card
        assert "mini.yaml:" in detail and "Not reviewed yet." in static_text(app, "#detail-schedule")


async def test_stats_with_history(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("r", "space", "3", "2", "enter", "1")
        await pilot.press("escape", "s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        summary = str(app.screen.query_one("#stats-summary").render())
        assert "2 reviews (scheduled)" in summary and "streak 1 day" in summary
        # new cards only, none past learning: it read "True retention (30 days) — · young — · mature —"
        assert "True retention (30 days) no data yet (no review of a learned card)" in summary
        table = app.screen.query_one("#accuracy", DataTable)
        assert table.get_row_at(0)[1:] == ["2", "1", "50% of 2"]


async def test_content_errors_do_not_stop_the_app(make_app, tmp_path: Path) -> None:
    broken = content_folder(tmp_path, {"bad.yaml": "topic: bad\ntitle: Bad\ncards:\n"
                                       "  - {id: x, type: flashcard, front: f}\n"
                                       "  - {id: y, type: flashcard, front: f, back: b}\n"})
    app = make_app(broken)
    async with app.run_test(size=(100, 32)) as pilot:
        assert "1 problem in content files" in static_text(app, "#content-problems")
        assert app.services.deck.card_count == 1
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ContentErrorsScreen)
        row = app.screen.query_one(DataTable).get_row_at(0)
        assert str(row[0]) == f"{broken / 'bad.yaml'}:4:5" and "back: required field is missing" in str(row[1])


async def test_reload_content_from_the_command_palette(make_app, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "t.yaml").write_text("topic: t\ntitle: T\ncards:\n  - {id: a, type: flashcard, front: f, back: b}\n")
    app = make_app(folder)
    async with app.run_test(size=(100, 32)) as pilot:
        (folder / "t.yaml").write_text((folder / "t.yaml").read_text()
                                       + "  - {id: b, type: flashcard, front: g, back: c}\n")
        await pilot.press("ctrl+p")
        await type_text(pilot, "reload")
        await pilot.press("enter")
        await pilot.pause()
        assert app.services.deck.card_count == 2
        assert app.screen.query_one(TopicTable).rows[0].cards == 2


async def test_mouse_clicks_choose_and_rate(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("r", "space", "3")
        options = list(app.screen.query(".choice-option"))
        await pilot.click(options[0])
        assert app.screen.query_one("#choices").chosen == {0}
        await pilot.press("enter")
        await pilot.click("#rate-good")
        await pilot.pause()
    assert logged(app) == [("mini/flash", 3, "review"), ("mini/pick-one", 3, "review")]


async def test_u_types_into_the_answer_box_where_ctrl_z_undoes(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("r", "space", "3", "1", "enter", "enter", "1", "3", "enter", "enter")
        screen = app.screen
        assert screen.session.current.kind == "numeric" and screen.session.can_undo
        await pilot.press("u")
        assert screen.session.reviewed == 3 and screen.query_one(Input).value == "u"
        assert "^z Undo" in app.export_screenshot() or screen.check_action("undo", ()) is True


async def test_home_topic_table_by_keys_and_mouse(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        table = app.screen.query_one(TopicTable)
        assert [row.slug for row in table.rows] == ["mini", "second"]
        await pilot.press("down")
        assert table.highlighted.slug == "second"
        await pilot.press("enter")
        assert isinstance(app.screen, ReviewScreen) and app.screen.topics == ["second"]
        await pilot.press("escape")
        assert app.screen.query_one(TopicTable).highlighted.slug == "second"  # the cursor stayed
        await pilot.press("home")
        assert table.highlighted.slug == "mini"
        await pilot.click(TopicTable, offset=(5, 2))  # the second row: a click moves the cursor there
        assert table.highlighted.slug == "second" and isinstance(app.screen, HomeScreen)
        await pilot.click(TopicTable, offset=(5, 2))  # a click on the highlighted row opens it
        assert isinstance(app.screen, ReviewScreen) and app.screen.topics == ["second"]


async def test_a_long_topic_list_scrolls_with_the_cursor(make_app, tmp_path: Path) -> None:
    folder = content_folder(tmp_path, {
        f"t{n:02d}.yaml": f"topic: t{n:02d}\ntitle: Topic number {n}\n"
                          "cards:\n  - {id: a, type: flashcard, front: f, back: b}\n"
        for n in range(40)})
    app = make_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(TopicTable)
        await pilot.press("end")
        await pilot.pause()
        assert table.highlighted.slug == "t39" and table.scroll_offset.y > 0
        assert "Topic number 39" in table.render_line(table.scrollable_content_region.height - 1).text
        await pilot.press("pageup")
        assert table.highlighted.slug == f"t{39 - table.page:02d}"
        await pilot.press("end")
        await pilot.resize_terminal(80, 16)  # smaller: the highlighted topic stays in view
        await pilot.pause()
        assert table.scroll_offset.y <= 39 < table.scroll_offset.y + table.page
        await pilot.press("home")
        await pilot.pause()
        assert table.scroll_offset.y == 0 and "Topic number 0" in table.render_line(1).text


async def test_a_title_with_a_newline_stays_on_its_row(make_app, tmp_path: Path) -> None:
    folder = content_folder(tmp_path, {"t.yaml": 'topic: t\ntitle: "Two\\nlines\\tand a tab"\n'
                                               "cards:\n  - {id: a, type: flashcard, front: f, back: b}\n"})
    app = make_app(folder)
    async with app.run_test(size=(80, 24)):
        line = app.screen.query_one(TopicTable).render_line(1)
        assert "Two lines and a tab" in line.text and "\n" not in line.text and line.cell_length == 76


async def review_until(pilot, app, kind: str) -> None:
    """Rate cards Good (answering auto-checked ones right) until one of `kind` is on screen."""
    while app.screen.session.current.kind != kind:
        question = app.screen.session.current
        if question.kind == "choice":
            await pilot.press(*[str(i + 1) for i in sorted(question.correct_options)], "enter")
        elif question.kind in {"numeric", "generated"}:
            app.screen.session.check(repr(question.problem.answer) if question.problem else
                                     str(question.item.card.card.answer))
            app.screen.answered()
            app.screen.panel.show_outcome(app.screen.session.outcome)
        else:
            await pilot.press("space")
        await pilot.press("3")
        await pilot.pause()


async def test_typed_answer_can_be_shown_unanswered_by_key_or_two_empty_enters(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("r")
        await review_until(pilot, app, "numeric")
        await pilot.press("enter")  # an empty Enter only says what to do
        assert not app.screen.is_answered
        await pilot.press("enter")
        assert app.screen.is_answered and "Not answered" in static_text(app, "#verdict")
        assert "Suggested: Again" in static_text(app, "#suggestion")
        await pilot.press("enter")  # accepts Again
        await review_until(pilot, app, "generated")
        await pilot.press("ctrl+s")
        assert app.screen.is_answered and "Suggested: Again" in static_text(app, "#suggestion")
        await pilot.press("1")
        await pilot.pause()
    rows = {row.key: row for row in app.services.store.log()}
    assert (rows["mini/number"].rating, rows["mini/number"].correct, rows["mini/number"].answer) == (1, False, None)
    assert (rows["mini/gen"].rating, rows["mini/gen"].correct) == (1, False)


async def test_the_expected_answer_is_shown_once(make_app) -> None:
    """A typed answer's verdict states the expected answer; a line 'Expected: ...' under it said it again. Shown
    unanswered, the verdict does not state it, and the line does."""
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("r")
        await review_until(pilot, app, "numeric")
        await type_text(pilot, "12345")
        await pilot.press("enter")
        back = app.screen.query_one("#question-back")
        assert "the expected answer is 0.75" in static_text(app, "#verdict") and "Expected:" not in back.source
        await pilot.press("1")
        await review_until(pilot, app, "generated")
        await pilot.press("ctrl+s")
        assert "Not answered" in static_text(app, "#verdict") and "Expected:" in back.source


async def test_a_choice_can_be_shown_unanswered_instead_of_guessed(make_app) -> None:
    # ctrl+s was offered for typed questions only: who did not know a choice question had to guess.
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("r")
        await review_until(pilot, app, "choice")
        key = app.screen.session.current.key
        await pilot.press("enter")  # nothing chosen: it says what to do, both ways
        assert not app.screen.is_answered
        assert any("or ^s to see the answer, counted as a miss" in str(note.message) for note in app._notifications)
        await pilot.press("ctrl+s")
        assert app.screen.is_answered and "Not answered" in static_text(app, "#verdict")
        assert "Suggested: Again" in static_text(app, "#suggestion")
        await pilot.press("enter")  # accepts Again
        await pilot.pause()
    row = next(row for row in app.services.store.log() if row.key == key)
    assert (row.rating, row.correct, row.answer) == (1, False, None)


async def test_ctrl_z_undoes_while_typing_and_several_levels(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("r")
        await review_until(pilot, app, "numeric")
        assert len(logged(app)) == 3 and isinstance(app.screen.focused, Input)
        await type_text(pilot, "0.")
        await pilot.press("ctrl+z", "ctrl+z")
        await pilot.pause()
        assert [row[0] for row in logged(app)] == ["mini/flash"]
        assert app.screen.session.current.key == "mini/pick-one"


async def test_a_right_answer_suggests_good_in_words(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("r", "space", "3", "1", "enter")  # pick-one: a is right, answered at once
        assert "Suggested: Good" in static_text(app, "#suggestion")


async def test_a_long_card_scrolls_from_the_keyboard_and_shows_the_verdict(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.press("r")
        await review_until(pilot, app, "generated")
        panel = app.screen.panel
        box = panel.query_one("#answer-box")
        await pilot.pause()
        assert panel.scroll_offset.y <= box.virtual_region.y < panel.scroll_offset.y + panel.size.height
        await type_text(pilot, repr(app.screen.session.current.problem.answer))
        await pilot.press("enter")
        await pilot.pause()
        verdict = panel.query_one("#verdict")
        assert panel.scroll_offset.y <= verdict.virtual_region.y < panel.scroll_offset.y + panel.size.height
        before = panel.scroll_offset.y
        await pilot.press("pagedown")
        await pilot.pause()
        assert panel.scroll_offset.y > before
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert panel.scroll_offset.y < panel.max_scroll_y or panel.scroll_offset.y < before + 1


async def test_ctrl_u_in_a_numeric_answer_box_clears_it_to_the_start_as_in_a_shell(make_app) -> None:
    """The screen's ctrl+u (half a page up, taking the key first) kept it from the box: typing after it added on."""
    app = make_app()
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.press("r")
        await review_until(pilot, app, "generated")
        box = app.screen.panel.query_one("#answer-box #answer")
        await type_text(pilot, "321")
        await pilot.press("left", "ctrl+u")
        await pilot.pause()
        assert (box.value, box.cursor_position) == ("1", 0)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "20")
        await pilot.pause()
        assert box.value == "20"


async def test_a_theme_picked_is_saved_and_an_unknown_one_is_a_warning(tmp_path: Path) -> None:
    from dataclasses import replace

    from quizapp.config import load_settings
    from quizapp.tui.launch import build_app
    from tests.study_helpers import FIXTURE_DECK
    from tests.ui.conftest import make_context

    config = tmp_path / "config.toml"
    config.write_text("# my settings\nnew_per_day = 15\n")
    context = replace(make_context(tmp_path / "data", FIXTURE_DECK), config_path=config)
    app = build_app(context)
    async with app.run_test(size=(100, 32)) as pilot:
        app.theme = "textual-light"
        await pilot.pause()
    app.services.store.close()
    assert config.read_text() == '# my settings\nnew_per_day = 15\ntheme = "textual-light"\n'
    assert load_settings(config, {}).theme == "textual-light"

    config.write_text('theme = "no-such-[b]theme"\n')
    context = replace(context, settings=load_settings(config, {}))
    app = build_app(context)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        shown = [n.message for n in app._notifications]
    app.services.store.close()
    assert any("Unknown theme 'no-such-[b]theme'" in message for message in shown)


async def test_every_place_counts_the_same_figures(tmp_path: Path) -> None:
    """Review, cram and quiz answers recorded; home, Stats, `stats --json` and `topics` then agree on each figure."""
    import json
    import subprocess
    import sys
    from dataclasses import replace
    from datetime import datetime, timezone

    from fsrs import Rating

    from quizapp.study.clock import FixedClock
    from quizapp.study.quiz import QuizSession
    from quizapp.study.review import ReviewSession
    from quizapp.tui.launch import build_app
    from tests.conftest import REPO
    from tests.study_helpers import FIXTURE_DECK
    from tests.ui.conftest import make_context

    # The CLI reads the real clock: record "now", a minute before it.
    clock = FixedClock(datetime.now(timezone.utc).replace(microsecond=0))
    clock.advance(minutes=-1)
    app = build_app(replace(make_context(tmp_path / "data", FIXTURE_DECK), clock=clock))
    services = app.services
    review = ReviewSession(services.deck, services.store, services.settings, services.clock, topics=["second"])
    review.rate(Rating.Good)
    review.rate(Rating.Again)
    cram = ReviewSession(services.deck, services.store, services.settings, services.clock, cram=True)
    cram.rate(Rating.Good)
    quiz = QuizSession(services.deck, services.store, services.clock, types=("flashcard",), count=2, seed=1)
    quiz.self_grade(True)
    async with app.run_test(size=(100, 32)) as pilot:
        glance = {label: value for value, label in app.screen.query_one("#glance").figures}
        rows = {row.slug: row for row in app.screen.query_one(TopicTable).rows}
        await pilot.press("s")
        await pilot.pause()
        summary = str(app.screen.query_one("#stats-summary").render())
    services.store.close()
    env = {**__import__("os").environ, "PYTHONPATH": str(REPO), "QUIZAPP_CONFIG": str(tmp_path / "none.toml")}
    common = ["--no-builtin", "--content", str(FIXTURE_DECK), "--data-dir", str(tmp_path / "data")]
    stats = json.loads(subprocess.run([sys.executable, "-m", "quizapp", "stats", "--json", *common], env=env,
                                      capture_output=True, text=True, check=True).stdout)
    topics = json.loads(subprocess.run([sys.executable, "-m", "quizapp", "topics", "--json", *common], env=env,
                                       capture_output=True, text=True, check=True).stdout)
    assert stats["reviews_today"] == 2 == int(glance["Reviews today"])  # scheduled reviews only
    assert stats["answers_today"] == 4 == stats["reviews_per_day"][stats["today"]]  # review, cram and quiz
    assert "2 reviews (scheduled) · 4 answers in all" in summary
    assert {t["topic"]: t["cards"] for t in topics} == {slug: row.cards for slug, row in rows.items()}


async def test_a_locked_database_keeps_the_answer_on_screen_to_rate_again(make_app, tmp_path: Path) -> None:
    import sqlite3

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("r", "space")
        holder = sqlite3.connect(tmp_path / "data" / "quizapp.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        await pilot.press("3")
        await pilot.pause()
        assert app.screen.is_answered and app.screen.session.current.key == "mini/flash"
        assert any(n.message.startswith("Not recorded:") and "locked" in n.message for n in app._notifications)
        holder.execute("ROLLBACK")
        holder.close()
        await pilot.press("3")
        await pilot.pause()
        assert app.screen.session.current.key == "mini/pick-one"
    assert logged(app) == [("mini/flash", 3, "review")]


async def test_a_coding_drill_in_review_is_answered_in_the_editor_and_rated(tmp_path: Path) -> None:
    from quizapp.tui.launch import build_app
    from quizapp.tui.screens.drill import DrillScreen
    from tests.ui.conftest import make_context

    content = content_folder(tmp_path, {"c.yaml": (
        "topic: c\ntitle: Code\ncards:\n  - id: clip\n    type: code\n    prompt: Write `soft_threshold(w, lam)`.\n"
        "    function: soft_threshold\n    checker: soft-threshold\n    starter: |\n"
        "      def soft_threshold(w, lam):\n          ...\n")})
    app = build_app(make_context(tmp_path / "data", content))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("r")
        assert app.screen.session.current.kind == "code"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DrillScreen)
        app.screen.action_close()  # closed without a check: the card is still unanswered
        await pilot.pause()
        assert not app.screen.is_answered
        await pilot.press("ctrl+s")  # gives up: the model solution is shown, a miss
        assert app.screen.is_answered and "Suggested: Again" in static_text(app, "#suggestion")
        await pilot.press("enter")
        await pilot.pause()
    rows = [(row.key, row.rating, row.correct) for row in app.services.store.log()]
    app.services.store.close()
    assert rows == [("c/clip", 1, False)]


async def test_the_home_topic_summary_keeps_its_lines_after_a_visit_to_browse(make_app, tmp_path: Path) -> None:
    summary = " ".join(["A summary long enough to wrap onto three lines of the home screen."] * 4)
    folder = content_folder(tmp_path, {"a.yaml": f"topic: a\ntitle: Topic A\nsummary: {summary}\ncards:\n"
                                                 "  - {id: c0, type: flashcard, front: f0, back: b0}\n"})
    app = make_app(folder)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        home_summary = app.screen.query_one("#topic-summary")
        assert home_summary.size.height == 3
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and home_summary.size.height == 3  # browse's one line is its own


async def test_the_quiz_set_up_looks_the_same_after_a_visit_to_the_interview_set_up(make_app) -> None:
    from quizapp.tui.screens.quiz_setup import QuizSetupScreen

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        async def quiz_columns() -> list[int]:
            await pilot.press("q")
            await pilot.pause()
            assert isinstance(app.screen, QuizSetupScreen)
            heights = [column.size.height for column in app.screen.query(".setup-column")]
            await pilot.press("escape")
            await pilot.pause()
            return heights

        before = await quiz_columns()
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert await quiz_columns() == before  # each set-up screen's stylesheet rules are its own
