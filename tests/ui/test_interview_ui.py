"""Pilot tests of the mock interview in the app: setup, the interview screen and its countdowns, the report and
its review of the cards to revisit; the home screen's days to the interview; a snapshot of the report."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from fsrs import Rating
from rich.cells import cell_len
from textual.widgets import Static

from quizapp.study.interview import InterviewSession
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.interview import InterviewScreen
from quizapp.tui.screens.interview_report import InterviewReportScreen
from quizapp.tui.screens.interview_setup import InterviewSetupScreen
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.widgets.key_points import KeyPointList
from quizapp.tui.widgets.open_timer import OpenTimer
from tests.ui.test_hostile_tui import screen_text
from tests.ui.waiting import until

INTERVIEW_DECK = Path(__file__).parent.parent / "fixtures" / "interview"
SIZE = (100, 32)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def answer_right(pilot, screen: InterviewScreen) -> None:
    """Answer the question on screen correctly with keys, as a candidate would."""
    question = screen.shown
    if question.kind == "open":
        await pilot.press("ctrl+s")  # reveal: the key points as a checklist
        await pilot.pause()
        points = screen.query_one(KeyPointList)
        for index in range(len(question.key_points)):
            if index not in points.ticked:
                points.cursor = index
                await pilot.press("space")
        await pilot.press("r")
    elif question.kind == "choice":
        for index in sorted(question.correct_options):
            await pilot.press(str(index + 1))
        await pilot.press("enter")
    elif question.kind in {"numeric", "generated"}:
        expected = question.problem.answer if question.problem is not None else question.item.card.card.answer
        await pilot.press(*repr(expected), "enter")
    else:
        await pilot.press("space", "y")
    await pilot.pause()


async def test_home_key_setup_interview_report_and_review_of_the_misses(make_app) -> None:
    app = make_app(INTERVIEW_DECK)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        assert any(command.title == "Interview" for command in app.get_system_commands(app.screen))
        await pilot.press("i")
        assert isinstance(app.screen, InterviewSetupScreen)
        await pilot.click("#interview-questions")
        await pilot.press("2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen) and len(screen.session.starts) == 2
        first = screen.shown.key
        await answer_right(pilot, screen)
        assert "Enter for the next question" in text_of(app, "#interview-next")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.depth == 2 and "Depth ●●○" in text_of(app, "#interview-clock")  # a follow-up
        if screen.shown.kind == "choice":  # miss it: the chain stops
            wrong = min(set(range(len(screen.shown.options))) - screen.shown.correct_options)
            await pilot.press(str(wrong + 1), "enter")
        else:
            await pilot.press("ctrl+s")
        await pilot.pause()
        missed = screen.shown.key
        assert "✗" in text_of(app, "#interview-next")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.depth == 1  # the next chain
        await pilot.press("escape")  # end early
        await pilot.pause()
        report = app.screen
        assert isinstance(report, InterviewReportScreen)
        assert "ended early" in report.markdown and f"- {missed}" in report.markdown
        assert report.report.to_revisit == [missed] and first != missed
        await pilot.press("r")  # review exactly the cards to revisit
        await pilot.pause()
        again = app.screen
        assert isinstance(again, ReviewScreen) and again.session.only == {missed}  # real, rescheduling reviews
        assert (again.title, again.sub_title) == ("Review (to revisit)", "1 card from the interview")  # no search
        assert again.session.current.key == missed and again.session.counts().total == 1
        if again.session.current.auto_checked:
            again.session.show_answer()
        again.session.rate(Rating.Again)
    log = app.services.store.log()
    assert [row.mode for row in log] == ["interview", "interview", "review"]
    assert log[-1].key == missed and app.services.store.card(missed) is not None  # now scheduled
    assert len({json.loads(row.detail)["interview"] for row in log[:2]}) == 1 and log[2].detail is None


async def test_both_countdowns_and_time_up(make_app) -> None:
    app = make_app(INTERVIEW_DECK)
    async with app.run_test(size=SIZE) as pilot:
        services = app.services
        session = InterviewSession(services.deck, services.store, services.settings, services.clock,
                                   keys=["metrics/half", "norms/why-bn"], minutes=2, seed=1)
        app._interview(session)
        await pilot.pause()
        screen = app.screen
        # The template's own 3:00 is cut to the interview's 2:00, and the line says so.
        assert text_of(app, "#interview-clock").startswith("Interview 2:00  ·  Question 2:00 (cut to the time left)")
        services.clock.advance(seconds=30)
        screen.tick()
        assert text_of(app, "#interview-clock").startswith("Interview 1:30  ·  Question 1:30 (cut to the time left)")
        await answer_right(pilot, screen)
        assert "in 0:30" in text_of(app, "#interview-next")
        services.clock.advance(seconds=5)  # reading the verdict: the next question's time has not begun
        await pilot.press("enter")
        await pilot.pause()
        assert screen.shown.kind == "open"
        # Its countdown is on the clock line, as every other type's; its hint is said once, under the answer box.
        assert not screen.query(OpenTimer)
        assert text_of(app, "#interview-clock").startswith("Interview 1:25  ·  Question 1:00  ·  Card 2 of 2")
        assert text_of(app, "#interview-next") == "" and screen.query_one("#open-hint").display
        services.clock.advance(seconds=100)
        screen.tick()
        clock_line = text_of(app, "#interview-clock")
        assert "Interview 0:00" in clock_line and "time is up: this is the last question" in clock_line
        assert screen.session.question_time_left() == timedelta(seconds=60 - 100)
        assert "Question over by 0:40" in clock_line
        await answer_right(pilot, screen)
        assert "over time" in text_of(app, "#interview-next")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InterviewReportScreen)
        assert "ended by the clock" in app.screen.markdown


async def test_setup_says_why_fewer_starting_questions_were_drawn(make_app) -> None:
    app = make_app(INTERVIEW_DECK)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        app.screen.query_one("#interview-questions").value = "50"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        drawn = len(app.screen.session.starts)
        assert drawn < 50
        assert any(n.message == f"{drawn} of 50 starting questions: no other card can start one"
                   for n in app._notifications)
        assert app.screen.sub_title == f"{drawn} starting questions (all there are) · 45 min"


async def test_setup_refuses_bad_numbers(make_app) -> None:
    app = make_app(INTERVIEW_DECK)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        minutes = app.screen.query_one("#interview-minutes")
        minutes.value = "0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewSetupScreen)
        assert any("Minutes" in n.message for n in app._notifications)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_home_counts_the_days_to_the_interview(make_app) -> None:
    app = make_app(INTERVIEW_DECK)
    start = app.services.clock.now().date()
    app.services.context.settings = app.services.settings.model_copy(
        update={"interview_date": start + timedelta(days=19)})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert text_of(app, "#interview-countdown") == "19 days to your interview"
        app.services.clock.advance(days=19)
        app.screen.refresh_data()
        assert text_of(app, "#interview-countdown") == "Your interview is today: good luck."
        app.services.clock.advance(days=1)
        app.screen.refresh_data()
        assert not app.screen.query_one("#interview-countdown").display


def test_report_snapshot(snap_compare, make_app) -> None:
    app = make_app(INTERVIEW_DECK)

    async def interview(pilot) -> None:
        services = app.services
        clock = services.clock
        session = InterviewSession(services.deck, services.store, services.settings, clock, questions=3,
                                   minutes=20, seed=3)
        for step in range(12):
            question = session.current
            if question is None:
                break
            clock.advance(seconds=25 + 10 * step)
            if question.kind == "open":  # all the points but the last
                session.reveal_open("")
                session.judge_open(frozenset(range(len(question.key_points) - 1)))
            elif question.kind == "choice":
                session.check_choice(question.correct_options)
            elif question.kind in {"numeric", "generated"}:
                right = question.problem.answer if question.problem is not None else question.item.card.card.answer
                session.check("0.123" if question.key == "metrics/auc-now" else repr(right))
            else:
                session.self_grade(True)
        app.push_screen(InterviewReportScreen(services, session))
        await pilot.pause()

    assert snap_compare(app, run_before=interview, terminal_size=(100, 48))


async def test_the_report_option_writes_the_first_report(make_app, tmp_path: Path) -> None:
    from quizapp.study.interview import InterviewOptions

    app = make_app(INTERVIEW_DECK)
    out = tmp_path / "report.md"
    app.interview_options = InterviewOptions(report=out)  # as `quizapp interview --report FILE.md` passes it
    async with app.run_test(size=SIZE) as pilot:
        services = app.services
        app._interview(InterviewSession(services.deck, services.store, services.settings, services.clock,
                                        keys=["metrics/half"], seed=1))
        await pilot.pause()
        await answer_right(pilot, app.screen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InterviewReportScreen)
        assert out.read_text(encoding="utf-8") == app.screen.markdown
        assert app.interview_options.report is None  # a later interview of the same run writes nothing


async def test_escape_during_a_follow_up_reports_the_chain_as_stopped_by_the_user(make_app) -> None:
    app = make_app(INTERVIEW_DECK)
    async with app.run_test(size=SIZE) as pilot:
        services = app.services
        app._interview(InterviewSession(services.deck, services.store, services.settings, services.clock,
                                        questions=1, seed=1))
        await pilot.pause()
        screen = app.screen
        assert screen.sub_title.startswith("1 starting question · ")
        await answer_right(pilot, screen)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.depth == 2  # a follow-up on screen
        await pilot.press("escape")
        await until(pilot, lambda: "stopped by the user" in screen_text(app))  # the report's Markdown is laid out
        report = app.screen
        assert isinstance(report, InterviewReportScreen)
        assert "| 1 of 3 | 1 | stopped by the user |" in report.markdown
        assert "stopped by the user" in screen_text(app) and "no more follow-ups" not in screen_text(app)


LONG_KEYS_DECK = """\
topic: generative-discriminative
title: Long card ids, as the built-in topics have
sources: ["Test fixture"]
cards:
  - id: open-generative-vs-discriminative
    type: open
    prompt: Generative or discriminative?
    key_points:
      - {text: "One models p(x, y)", keywords: [joint]}
      - {text: "The other p(y | x)", keywords: [conditional]}
    model_answer: A generative model learns the joint, a discriminative one the conditional.
    time_limit: 600
    follow_ups: [undersampling-probability-correction]
  - id: undersampling-probability-correction
    type: choice
    prompt: Which?
    shuffle: false
    options:
      - {text: This one, correct: true}
      - {text: That one}
    follow_ups: [laplace-prior-samples-not-sparse]
  - id: laplace-prior-samples-not-sparse
    type: flashcard
    front: Sparse?
    back: No.
"""


def table_cells(report, header_word: str) -> list:
    """The cells of the first Markdown table's column whose header has `header_word` (header first)."""
    table = report.query("MarkdownTableContent").first()
    cells = list(table.children)
    headers = [cell for cell in cells if cell.has_class("header")]
    column = next(i for i, cell in enumerate(headers) if header_word in str(cell.render()))
    return cells[column::len(headers)]


@pytest.mark.parametrize("size", [(100, 30), (80, 30)])
async def test_the_report_keeps_each_time_and_limit_on_one_line(make_app, tmp_path: Path, size) -> None:
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / "generative-discriminative.yaml").write_text(LONG_KEYS_DECK, encoding="utf-8")
    app = make_app(folder)
    async with app.run_test(size=size) as pilot:
        services = app.services
        session = InterviewSession(services.deck, services.store, services.settings, services.clock,
                                   questions=1, seed=1)
        for seconds in (754, 61, 65):  # every answer over its time: the widest cells
            services.clock.advance(seconds=seconds)
            question = session.current
            if question.kind == "open":
                session.reveal_open("")
                session.judge_open(frozenset({0}))
            elif question.kind == "choice":
                session.check_choice(question.correct_options)
            else:
                session.self_grade(True)
        assert session.finished and [a.depth for a in session.answers] == [1, 2, 3]
        app.push_screen(InterviewReportScreen(services, session))
        await until(pilot, lambda: app.screen.query("MarkdownTableContent"))  # the Markdown is laid out after it is shown
        cells = table_cells(app.screen, "time")
        assert len(cells) == 4
        for cell in cells:
            shown = str(cell.render())
            assert cell_len(shown) <= cell.content_region.width, f"{shown!r} wraps at {size}"
        on_screen = screen_text(app)
        assert "12:34/10:00" in on_screen and "1:01/1:00" in on_screen  # as the user sees it
        assert "undersampling-probability-correction" in on_screen  # the whole id, its topic wrapped below


def test_past_scores_are_bars_out_of_a_hundred_not_out_of_the_best_score() -> None:
    """Two interviews at 20% and 25%: short bars. Scaled to the best score, 25% filled the chart as 100% would."""
    from datetime import datetime, timezone

    from quizapp.study.interview import PastInterview
    from quizapp.tui.widgets.interview_history import history_text

    started = datetime(2026, 12, 4, 9, tzinfo=timezone.utc)
    past = [PastInterview("a", started, 5, 0.20, 2), PastInterview("b", started + timedelta(days=1), 5, 0.25, 1)]
    rows = history_text(past, timezone.utc).plain.splitlines()
    assert rows[0] == "Past interviews (2): score in %, oldest to newest"
    assert history_text(past[:1], timezone.utc).plain.startswith(  # one score is no trend
        "Past interviews (1): score in %, a trend shows from the second interview\n")
    assert rows[1] == "scale 0 to 100"
    bars = rows[2:6]  # four rows, the top one first
    assert bars[0].strip() == bars[1].strip() == bars[2].strip() == ""  # a fifth of the height, a quarter
    assert bars[3].split() == ["▆▆", "██"]
    assert rows[6] == "04 05"


async def test_the_setup_labels_are_whole_in_80_columns(make_app) -> None:
    """At 80x24 the setup read 'Starting questions (empty: one per 5' and 'Answers change my review schedu'."""
    app = make_app(INTERVIEW_DECK)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        rows = re.split(r"\x1b\[\d+;\d+H", screen_text(app))  # one piece a row of the terminal
        words = " ".join(" ".join(row.replace("▊", " ").replace("▎", " ") for row in rows).split())
        assert "Starting questions (empty: one per 5 minutes, less 15 minutes for each coding drill)" in words
        assert "Minutes" in words and "Coding drills" in words and "Answers reschedule my cards" in words
        assert "Start interview" in words and "No interviews yet" in words  # all of it in 24 rows


async def test_a_follow_up_says_so_on_a_narrow_screen(make_app) -> None:
    """At 80 columns a built-in key ('precision-recall-f1 · Open question · ' and nothing) pushed the key and the
    'follow-up' note after it off the one-line header; the note comes first, and a long key goes whole to the
    next line."""
    app = make_app(INTERVIEW_DECK)
    async with app.run_test(size=(56, 30)) as pilot:
        services = app.services
        app._interview(InterviewSession(services.deck, services.store, services.settings, services.clock,
                                        questions=1, seed=1))
        await pilot.pause()
        screen = app.screen
        await answer_right(pilot, screen)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.depth == 2
        rows = re.split(r"\x1b\[\d+;\d+H", screen_text(app))
        (index,) = [index for index, row in enumerate(rows) if "follow-up" in row]
        assert screen.shown.item.topic in rows[index] and screen.shown.key in rows[index + 1]


async def test_ending_before_any_answer_reports_no_score(make_app) -> None:
    app = make_app(INTERVIEW_DECK)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, InterviewReportScreen))
        assert app.screen.sub_title == "nothing answered"  # it read 'score 0%'


async def test_the_report_screen_and_file_say_the_clock_cut_the_starting_questions(make_app, tmp_path: Path) -> None:
    from quizapp.study.interview import InterviewOptions

    app = make_app(INTERVIEW_DECK)
    out = tmp_path / "report.md"
    app.interview_options = InterviewOptions(report=out)
    async with app.run_test(size=SIZE) as pilot:
        services = app.services
        app._interview(InterviewSession(services.deck, services.store, services.settings, services.clock,
                                        minutes=1, questions=3, seed=1))
        await pilot.pause()
        services.clock.advance(seconds=61)
        assert app.screen.shown.kind == "open"
        await pilot.press("ctrl+s", "r")  # revealed after the minute, no key point ticked: a miss
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InterviewReportScreen)
        said = ("1 starting question asked of the 3 asked for: the 1 minute allowed no more (2 starting "
                "questions left unasked).")
        assert said in app.screen.markdown and said in out.read_text(encoding="utf-8")
        assert "allowed no more" in " ".join(screen_text(app).split())


DRILL_DECK = Path(__file__).parent.parent / "fixtures" / "interview_drills"
BN_FORWARD = ("import numpy as np\n\n\ndef batch_norm_forward(x, gamma, beta, eps):\n"
              "    return gamma * (x - x.mean(0)) / np.sqrt(x.var(0) + eps) + beta\n")


async def start_one_question_interview(pilot, *drills: str) -> InterviewScreen:
    """From home: an interview of one starting question (and the drills typed in its box), its question answered."""
    await pilot.press("i")
    await pilot.click("#interview-questions")
    await pilot.press("1")
    if drills:
        await pilot.click("#interview-drills")
        await pilot.press(*drills)
    await pilot.press("ctrl+s")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, InterviewScreen)
    await answer_right(pilot, screen)  # the one chain: a choice, no follow-ups
    return screen


async def test_a_coding_drill_ends_the_interview_in_the_editor_with_the_clock_and_no_solution(make_app) -> None:
    from quizapp.tui.screens.drill import DrillScreen
    from quizapp.tui.widgets.code_drill import CodeDrill

    app = make_app(DRILL_DECK)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_one_question_interview(pilot, "1")
        assert len(screen.session.drills) == 1 and "1 coding drill" in screen.sub_title
        await pilot.press("enter")
        await pilot.pause()
        assert screen.shown.kind == "code" and "Coding drill 1 of 1" in text_of(app, "#interview-clock")
        assert "Enter opens the editor" in text_of(app, "#interview-next")
        assert screen.active_bindings["enter"].binding.description == "Answer / next"  # the footer: not "Submit"
        await pilot.press("enter")
        await pilot.pause()
        drill_screen = app.screen
        assert isinstance(drill_screen, DrillScreen)
        assert "Coding drill 1 of 1" in text_of(app, "#drill-clock") and "Question 15:00" in text_of(app, "#drill-clock")
        drill = drill_screen.query_one(CodeDrill)
        await pilot.press("escape", "s")  # out of the editor: s would show the model solution in a review
        await pilot.pause()
        assert not drill.has_class("-solution") and not drill.check_action("toggle_solution", ())
        drill.editor.text = BN_FORWARD.replace("x.var(0)", "x.var(0, ddof=1)")  # a first try, wrong
        await pilot.press("ctrl+r")
        await until(pilot, lambda: drill.verdict is not None)
        assert not drill.verdict.passed and not drill.has_class("-solution")
        drill.editor.text = BN_FORWARD
        app.services.clock.advance(minutes=3)  # writing it
        await pilot.press("ctrl+r")
        await until(pilot, lambda: drill.verdict is not None and drill.verdict.passed)
        assert drill.has_class("-solution")  # passed: now the solution may be compared
        app.services.clock.advance(minutes=20)  # reading the model solution: past the drill's 15 minutes
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.recorded
        assert screen.session.last.seconds == 180 and not screen.session.last.over_time  # until the check
        assert "✓ passed the checks after 1 failed attempt" in text_of(app, "#interview-next")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InterviewReportScreen)
        assert "## Coding drills" in app.screen.markdown and "Pass:" in app.screen.markdown


async def test_code_left_unchecked_in_the_drill_editor_is_there_when_it_opens_again(make_app) -> None:
    from quizapp.tui.screens.drill import DrillScreen
    from quizapp.tui.widgets.code_drill import CodeDrill

    app = make_app(DRILL_DECK)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_one_question_interview(pilot)
        await pilot.press("enter")  # the default drill of a 45-minute interview
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DrillScreen)
        app.screen.query_one(CodeDrill).editor.text = "# half written\n"
        await pilot.press("escape", "escape")  # out of the editor, then closed: nothing checked
        await pilot.pause()
        assert app.screen is screen and not screen.recorded and screen.session.current.kind == "code"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(CodeDrill).code == "# half written\n"


@pytest.mark.parametrize("in_the_editor", [True, False])
async def test_the_drill_says_in_80_columns_that_the_time_is_up(make_app, in_the_editor: bool) -> None:
    """The clock line, one row high, lost its end there: '· time' and no more of 'time is up' (on the interview
    screen, with a drill's clock line, the longest, and in the drill editor)."""
    from quizapp.tui.screens.drill import DrillScreen

    app = make_app(DRILL_DECK)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_one_question_interview(pilot)
        await pilot.press("enter")  # the default drill of a 45-minute interview
        await pilot.pause()
        if in_the_editor:
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, DrillScreen)
        app.services.clock.advance(minutes=46)
        app.screen._tick() if in_the_editor else screen.tick()
        await pilot.pause()
        rows = re.split(r"\x1b\[\d+;\d+H", screen_text(app))
        words = " ".join(" ".join(rows).split())
        assert "Interview 0:00" in words and "time is up: this is the last question" in words


async def test_an_interview_of_drills_only_names_no_starting_questions_in_its_title(make_app) -> None:
    # Its title read "0 starting questions (all there are) · 1 coding drill · 30 min"; plain mode says "1 coding
    # drill, 30 min", as the setup's notice does ("No starting question: only 1 coding drill").
    app = make_app(DRILL_DECK)
    async with app.run_test(size=SIZE) as pilot:
        services = app.services
        session = InterviewSession(services.deck, services.store, services.settings, services.clock, minutes=30,
                                   only={"coding/write-bn"}, seed=1)
        assert session.starts == [] and len(session.drills) == 1
        await app.push_screen(InterviewScreen(session))
        await pilot.pause()
        assert app.screen.sub_title == "1 coding drill · 30 min"
        both = InterviewSession(services.deck, services.store, services.settings, services.clock, minutes=30,
                                questions=1, only={"coding/bn-choice", "coding/write-bn"}, seed=1)
        await app.push_screen(InterviewScreen(both))
        await pilot.pause()
        assert app.screen.sub_title == "1 starting question · 1 coding drill · 30 min"


def test_past_interviews_say_when_the_chart_shows_only_the_latest() -> None:
    # "Past interviews (29): score in %, oldest to newest" over 20 bars: the oldest nine were not in the chart.
    from datetime import datetime, timezone

    from quizapp.study.interview import PastInterview
    from quizapp.tui.widgets.interview_history import SHOWN, history_text

    started = datetime(2026, 12, 4, 9, tzinfo=timezone.utc)
    past = [PastInterview(f"i{n}", started + timedelta(hours=n), 5, n / 40, 1) for n in range(SHOWN + 9)]
    rows = history_text(past, timezone.utc).plain.splitlines()
    assert rows[0] == f"Past interviews ({SHOWN + 9}, the latest {SHOWN} in the chart): score in %, oldest to newest"
    assert len(rows[-2].split()) == SHOWN  # a date under each bar
    assert history_text(past[:SHOWN], timezone.utc).plain.splitlines()[0] == (
        f"Past interviews ({SHOWN}): score in %, oldest to newest")


@pytest.mark.parametrize(("size", "chart"), [((80, 24), False), ((120, 40), True)], ids=["80x24", "120x40"])
async def test_past_interviews_fit_above_the_footer_of_the_set_up(make_app, monkeypatch, size, chart) -> None:
    """At 80x24 the chart of past scores was drawn below the footer, where only a mouse could scroll to it: a
    screen too short for it shows one row of small bars and the latest score instead."""
    from datetime import datetime, timezone

    from textual.widgets import Footer

    from quizapp.study.interview import PastInterview
    from quizapp.tui.widgets.interview_history import InterviewHistory

    started = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)
    past = [PastInterview(f"i{n}", started + timedelta(days=n), 8, score, 2) for n, score in enumerate((0.4, 0.55, 1))]
    monkeypatch.setattr("quizapp.tui.screens.interview_setup.past_interviews", lambda store: past)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("i")
        await pilot.pause()
        await pilot.pause()
        history = app.screen.query_one(InterviewHistory)
        assert history.region.bottom <= app.screen.query_one(Footer).region.y
        shown = screen_text(app)
        assert "Latest 2026-12-03 09:00: 100% over 8 questions" in shown
        assert ("scale 0 to 100" in shown) is chart
        if not chart:
            assert "Past interviews (3): ▃▄█ oldest to newest" in shown


async def test_an_interview_never_ticks_the_keyword_matches_of_a_wrong_answer(make_app) -> None:
    """A wrong answer with every keyword ("positive", "negative", "tie"), each one denied, recorded at once
    with r: a miss that ends the chain. The matches were ticked, so it passed as 2 of 2, Good."""
    app = make_app(INTERVIEW_DECK)
    async with app.run_test(size=SIZE) as pilot:
        services = app.services
        app._interview(InterviewSession(services.deck, services.store, services.settings, services.clock,
                                        keys=["metrics/what-auc"]))
        await pilot.pause()
        screen = app.screen
        assert screen.shown.key == "metrics/what-auc"
        screen.query_one("#open-answer").insert("Positive or negative does not matter, and a tie is never counted.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        points = screen.query_one(KeyPointList)
        assert points.suggested == frozenset({0, 1}) and points.ticked == frozenset()
        assert text_of(app, "#interview-next").startswith("0 of 2 points: Again — tick the points you made")
        await pilot.press("r")
        await pilot.pause()
        assert text_of(app, "#verdict") == "✗ 0 of 2 points: Again"
    [row] = services.store.log()
    assert (row.key, row.mode, row.correct, row.rating) == ("metrics/what-auc", "interview", False, 1)
    detail = json.loads(row.detail)
    assert (detail["points"], detail["of"], detail["suggested"]) == ([], 2, [0, 1])
