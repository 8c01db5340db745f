"""Keys that arrive faster than the app handles them, as a paste-speed burst from a terminal does.

`pilot.press` waits for the app to be idle after every key, so it never shows what a burst does. Here the keys are
posted to the app all at once, as its driver posts a terminal read of many keys: the app forwards each to the
focused widget's queue, but a priority binding (ctrl+s, ctrl+r) runs as soon as the app reads its key, and a key
the focused widget binds (backspace, arrows) goes up to the app before its action runs.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.keys import _character_to_key

from quizapp.tui.drill_app import DrillApp
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.widgets.code_drill import CodeDrill
from tests.ui.test_code_drill import TASK
from tests.ui.waiting import until

OPEN_DECK = Path(__file__).resolve().parent.parent / "fixtures" / "open"
# Letters and digits that are keys of the review screen once the answer is shown (r, i, e, a, n, u, 1-4).
ANSWER = "the input distribution stays put; a larger learning rate is fine, 1 2 3 4 review info edit undo"


def burst(app, *keys: str) -> None:
    """Post `keys` (single characters or key names) to the app without waiting between them."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(_character_to_key(key) if not key.isalnum() else key, key))
        else:
            app.post_message(events.Key(key, None))


async def test_ctrl_s_after_a_burst_reveals_every_key_typed_before_it(make_app) -> None:
    app = make_app(OPEN_DECK)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.session.current.kind == "open"
        card = screen.session.current.key
        burst(app, *ANSWER, "x", "backspace", "ctrl+s")  # a backspace just before ctrl+s too
        await until(pilot, lambda: screen.is_answered)
        await pilot.pause()
        assert screen.panel.typed_answer == ANSWER  # all of it, not the part the box had handled by then
        assert app.screen is screen  # no letter went on as a key of the screen (i: card info, e: edit)
        assert screen.session.current.key == card and screen.is_answered  # nor a rating (1-4), still to be given


async def test_backspaces_in_a_burst_delete_where_they_were_typed() -> None:
    app = DrillApp(TASK, "def f(xy, zz):")
    async with app.run_test(size=(100, 40)) as pilot:
        editor = app.focused
        editor.move_cursor((0, len("def f(xy, zz):")))
        burst(app, *["backspace"] * 8, *"x, y=0)", "left", "left", "1")  # left is bound too, like backspace
        await until(pilot, lambda: len(editor.text) == len("def f(x, y=10)"))
        await pilot.pause()
        assert editor.text == "def f(x, y=10)"


async def test_ctrl_r_after_a_burst_checks_every_key_typed_before_it() -> None:
    messages = []
    app = DrillApp(TASK, "")
    async with app.run_test(size=(100, 40), message_hook=messages.append) as pilot:
        typed = "def roc_auc(y_true, y_score):\nreturn 0.5"  # Enter indents the next line
        burst(app, *[("enter" if c == "\n" else c) for c in typed], "ctrl+r")
        await until(pilot, lambda: any(isinstance(m, CodeDrill.Checked) for m in messages))
        checked = next(m for m in messages if isinstance(m, CodeDrill.Checked))
        assert checked.attempt.code == "def roc_auc(y_true, y_score):\n    return 0.5"
