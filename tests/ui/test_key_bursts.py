"""Keys that arrive faster than the app handles them, as a paste-speed burst from a terminal does.

`pilot.press` waits for the app to be idle after every key, so it never shows what a burst does. Here the keys are
posted to the app all at once, as its driver posts a terminal read of many keys: the app forwards each to the
focused widget's queue, but a priority binding (ctrl+s, ctrl+r) runs as soon as the app reads its key, and a key
the focused widget binds (backspace, arrows) goes up to the app before its action runs.
"""

from __future__ import annotations

from textual import events
from textual.keys import _character_to_key

from quizapp.tui.drill_app import DrillApp
from tests.ui.test_code_drill import TASK
from tests.ui.waiting import until


def burst(app, *keys: str) -> None:
    """Post `keys` (single characters or key names) to the app without waiting between them."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(_character_to_key(key) if not key.isalnum() else key, key))
        else:
            app.post_message(events.Key(key, None))


async def test_backspaces_in_a_burst_delete_where_they_were_typed() -> None:
    app = DrillApp(TASK, "def f(xy, zz):")
    async with app.run_test(size=(100, 40)) as pilot:
        editor = app.focused
        editor.move_cursor((0, len("def f(xy, zz):")))
        burst(app, *["backspace"] * 8, *"x, y=0)", "left", "left", "1")  # left is bound too, like backspace
        await until(pilot, lambda: len(editor.text) == len("def f(x, y=10)"))
        await pilot.pause()
        assert editor.text == "def f(x, y=10)"
