"""The drill screen: the editor, checks off the UI thread (keys work during one), verdicts, $EDITOR."""

from __future__ import annotations

import contextlib

from quizapp.drills.task import DrillTask
from quizapp.tui.drill_app import DrillApp
from quizapp.tui.widgets.code_drill import CodeDrill
from quizapp.tui.widgets.title_bar import TitleBar
from tests.ui.waiting import until
from solvers.drills import get_drill

TASK = DrillTask("t/auc", "ROC AUC", "Write `roc_auc(y_true, y_score)`.", "roc_auc", "auc",
                 "import numpy as np\n\ndef roc_auc(y_true, y_score):\n    ...\n", 10.0, ("Sort once.", "Average ties."))
SLOW_PASS = get_drill("auc").solution.replace(
    "    y_true = np.asarray(y_true)", "    import time\n    time.sleep(0.01)\n    y_true = np.asarray(y_true)")


def drill_app(code: str | None = None) -> DrillApp:
    """`quizapp drill --edit`'s app: its return value is the last attempt checked when the screen closes."""
    return DrillApp(TASK, code)


async def test_keys_work_while_a_check_runs_and_the_verdict_follows() -> None:
    messages = []
    app = drill_app(SLOW_PASS)
    async with app.run_test(size=(100, 40), message_hook=messages.append) as pilot:
        drill = app.screen.query_one(CodeDrill)
        assert app.focused is drill.editor and drill.code == SLOW_PASS
        await pilot.press("ctrl+r")
        assert drill.running
        await pilot.press("end", "enter", "#", " ", "o", "k")  # typed into the editor during the check
        await pilot.press("escape", "h", "s")  # leave the editor, a hint, the solution
        assert drill.running, "the check (over 2 s of sleeps) is still going: the keys did not wait for it"
        assert drill.code.startswith("\n# ok") or "# ok" in drill.code
        assert drill.hints_shown == 1 and drill.has_class("-solution")
        await until(pilot, lambda: not drill.running)
        assert drill.verdict.status == "pass"
        assert "Pass: all" in str(app.screen.query_one("#drill-verdict").render())
        checked = list({id(m): m for m in messages if isinstance(m, CodeDrill.Checked)}.values())  # one, bubbling
        assert len(checked) == 1 and checked[0].attempt.code == SLOW_PASS  # the code as it was checked
        await pilot.press("escape")
        await pilot.pause()
    attempt = app.return_value
    assert attempt.key == "t/auc" and attempt.correct and attempt.answer == SLOW_PASS
    assert attempt.verdict.suggested_rating == 3


async def test_a_failing_attempt_shows_the_counterexample_and_no_solution() -> None:
    app = drill_app("def roc_auc(y_true, y_score):\n    return 0.5\n")
    async with app.run_test(size=(100, 40)) as pilot:
        drill = app.screen.query_one(CodeDrill)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: drill.verdict is not None)
        shown = str(app.screen.query_one("#drill-verdict").render())
        assert shown.startswith("Fail") and "Smallest failing input:" in shown
        assert not drill.has_class("-solution")
        await pilot.press("escape", "escape")
        await pilot.pause()
    assert app.return_value.verdict.status == "fail" and app.return_value.verdict.suggested_rating == 1


async def test_running_again_restarts_and_leaving_cancels(monkeypatch) -> None:
    app = drill_app("def roc_auc(y_true, y_score):\n    while True:\n        pass\n")
    async with app.run_test(size=(100, 40)) as pilot:
        drill = app.screen.query_one(CodeDrill)
        await pilot.press("ctrl+r")
        first = drill._cancel
        await pilot.press("ctrl+r")
        assert first.is_set() and drill._cancel is not first
        second = drill._cancel
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert second.is_set()  # the screen went away: the endless loop is stopped, not left running
    assert app.return_value is None


async def test_e_opens_the_editor_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("EDITOR", "sed -i s/[.][.][.]/return\\ 0.5/")  # shlex drops a lone backslash: \. matched any character
    monkeypatch.delenv("VISUAL", raising=False)
    app = drill_app()
    async with app.run_test(size=(100, 40)) as pilot:
        monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
        drill = app.screen.query_one(CodeDrill)
        await pilot.press("escape")
        outside = app.focused
        assert outside is not drill.editor
        await pilot.press("e")
        await pilot.pause()
        assert "return 0.5" in drill.code and app.focused is outside  # back where it was, not in the editor
        await pilot.press("r")  # so the footer's keys still work: r checks the code, it is not typed into it
        await until(pilot, lambda: drill.verdict is not None)
        assert drill.verdict.status == "fail" and drill.code == TASK.starter.replace("...", "return 0.5")


async def test_e_without_an_editor_says_what_to_set(monkeypatch) -> None:
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    app = drill_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("escape", "e")
        await pilot.pause()
        assert any("$EDITOR" in n.message for n in app._notifications)


async def test_enter_keeps_the_indentation_of_the_line_and_indents_after_a_colon() -> None:
    app = drill_app("def roc_auc(y_true, y_score):")
    async with app.run_test(size=(100, 30)) as pilot:
        drill = app.screen.query_one(CodeDrill)
        drill.editor.move_cursor((0, len("def roc_auc(y_true, y_score):")))
        await pilot.press("enter", *"if", "space", *"True:", "enter", *"pass", "enter", *"x")
        assert drill.editor.text == "def roc_auc(y_true, y_score):\n    if True:\n        pass\n        x"


async def test_a_pass_keeps_its_verdict_in_view_above_the_solution_it_shows() -> None:
    # At 80x24 the model solution a pass shows was scrolled into view and pushed the verdict (and the warning
    # of a pass that grows faster than it should) out of sight: the screen said "Model solution", not "Pass".
    app = drill_app(get_drill("auc").solution)
    async with app.run_test(size=(80, 24)) as pilot:
        drill = app.screen.query_one(CodeDrill)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: drill.verdict is not None)
        await pilot.pause()
        await pilot.pause()
        result, verdict = app.screen.query_one("#drill-result"), app.screen.query_one("#drill-verdict")
        assert drill.verdict.status == "pass" and drill.has_class("-solution")
        assert result.max_scroll_y > 0  # the solution does not fit below the verdict: there is something to hide
        assert result.scroll_y <= verdict.virtual_region.y < result.scroll_y + result.scrollable_content_region.height
        assert str(verdict.render()).startswith("Pass")


async def test_the_title_keeps_the_drills_key_at_80_columns() -> None:
    """The title is cut (with an ellipsis), not the key: at 80 columns a long title pushed the key off the line."""
    long = DrillTask("generative-discriminative/write-naive-bayes-posterior",
                     "Naive Bayes posterior from priors and likelihoods", TASK.prompt, TASK.function, TASK.checker,
                     TASK.starter, TASK.time_limit, TASK.hints)
    for width in (80, 100):
        app = DrillApp(long)
        async with app.run_test(size=(width, 24)):
            line = str(app.screen.query_one(TitleBar).render())
            assert line.endswith(" — generative-discriminative/write-naive-bayes-posterior") and len(line) <= width
            assert line.startswith("Drill — Naive Bayes") and "…" in line
    app = DrillApp(long)
    async with app.run_test(size=(120, 24)):  # room for all of it: nothing is cut
        assert str(app.screen.query_one(TitleBar).render()) == (
            "Drill — Naive Bayes posterior from priors and likelihoods — "
            "generative-discriminative/write-naive-bayes-posterior")


async def test_a_long_subtitle_gives_way_after_the_title_has_given_some() -> None:
    """A review of many topics: the title ("Review") stays whole, the list of topics is cut."""
    app = DrillApp(TASK)
    async with app.run_test(size=(40, 24)) as pilot:
        app.screen.title = "Review"
        app.screen.sub_title = "auc-roc, batch-norm, class-imbalance, conv-1x1, l1-l2"
        await pilot.pause()
        line = str(app.screen.query_one(TitleBar).render())
        assert line.startswith("Review — auc-roc, batch-norm") and line.endswith("…") and len(line) == 40


async def test_a_long_verdict_stays_above_the_footer_at_80x24() -> None:
    """At 80x24 the prompt (up to 40%), the editor (at least its minimum) and a long verdict (up to 45%) must fit
    between the title (and an interview's clock) and the footer: with an 8-row editor minimum the result ran a row
    under the footer, so the first hint after a failing check was hidden there."""
    from pathlib import Path

    from textual.app import App
    from textual.content import Content

    import quizapp.tui.drill_app

    from quizapp.deck import load_deck
    from quizapp.drills.task import tasks
    from quizapp.paths import builtin_content_dir
    from quizapp.tui.screens.drill import DrillScreen

    class InterviewDrill(App):
        CSS_PATH = Path(quizapp.tui.drill_app.__file__).with_name("app.tcss")

        def __init__(self, task) -> None:
            super().__init__()
            self.drill_task = task

        def on_mount(self) -> None:
            self.push_screen(DrillScreen(self.drill_task, interview_clock=lambda: Content("Interview 12:00 · drill 15:00")))

    longest = sorted(tasks(load_deck([builtin_content_dir()])), key=lambda task: len(task.prompt))[-2:]
    for app in [make(task) for task in longest for make in (DrillApp, InterviewDrill)]:
        async with app.run_test(size=(80, 24)) as pilot:
            drill = app.screen.query_one(CodeDrill)
            app.screen.query_one("#drill-verdict").update("a line of a long verdict\n" * 20)
            await pilot.press("escape", "h")
            await pilot.pause()
            result = app.screen.query_one("#drill-result")
            assert result.region.bottom <= drill.region.bottom, (app, result.region, drill.region)
