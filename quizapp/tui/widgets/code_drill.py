"""A coding drill: the prompt, a Python editor, the checks run off the UI thread, the verdict below.

The editor holds the starter or the last attempt. `ctrl+r` (or `r` outside the editor) runs the
checks in a worker thread, so the app stays responsive; pressing it again during a check restarts
it. `escape` leaves the editor; then `e` opens the code in $EDITOR, `s` shows the model solution,
`h` the next hint and `enter` goes back to editing. Each finished check posts
:class:`CodeDrill.Checked` with the code and the verdict, for the screen (or the app) to record.
With ``offer_solution=False`` (a mock interview) the model solution is shown only once the code passes.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static, TextArea
from textual.worker import get_current_worker

from quizapp.drills.runner import Verdict, check_code
from quizapp.safetext import visible
from quizapp.tui.editor import NO_EDITOR, editor_command, run_editor
from quizapp.tui.key_order import after_queued_keys
from quizapp.tui.keys import key_names
from quizapp.drills.task import Attempt, DrillTask
from quizapp.tui.widgets.markdown_card import MarkdownCard
from quizapp.tui.widgets.typing_area import TypingArea

__all__ = ["CodeDrill"]

_STYLE = {"pass": "bold green", "fail": "bold red", "error": "bold red", "timeout": "bold yellow",
          "invalid": "bold magenta"}


_OUTSIDE_EDITOR = frozenset({"external_editor", "toggle_solution", "hint", "edit"})


class CodeDrill(Vertical, can_focus=True):
    """The drill for one :class:`DrillTask`; ``code`` is the editor's first text (default: the starter)."""

    DEFAULT_CSS = """
    CodeDrill { height: 1fr; }
    CodeDrill #drill-prompt { height: auto; max-height: 40%; }
    CodeDrill #drill-code { height: 1fr; min-height: 5; }  /* 8 pushed a long verdict under the footer at 80x24 */
    CodeDrill #drill-result { height: auto; max-height: 45%; border-top: solid $primary-darken-2; }
    CodeDrill #drill-status { color: $text-muted; }
    CodeDrill #drill-solution { display: none; }
    CodeDrill.-solution #drill-solution { display: block; }
    """

    BINDINGS = [
        Binding("ctrl+r", "run_checks", "Run checks", id="drill.run", priority=True),
        Binding("r", "run_checks", "Run checks", show=False, id="drill.run_key"),
        Binding("e", "external_editor", "$EDITOR", id="drill.editor"),
        Binding("s", "toggle_solution", "Solution", id="drill.solution"),
        Binding("h", "hint", "Hint", id="drill.hint"),
        Binding("enter,i", "edit", "Edit", id="drill.edit"),
    ]

    class Checked(Message):
        """A check finished: the attempt holds the code that was checked and its verdict."""

        def __init__(self, attempt: Attempt) -> None:
            super().__init__()
            self.attempt = attempt

    def __init__(self, task: DrillTask, code: str | None = None, *, seed: int = 0, offer_solution: bool = True,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.drill = task
        self.initial_code = task.starter if code is None else code
        self.seed = seed
        self.offer_solution = offer_solution
        self.verdict: Verdict | None = None
        self.hints_shown = 0
        self._cancel: threading.Event | None = None

    def compose(self) -> ComposeResult:
        yield MarkdownCard(self.drill.prompt, id="drill-prompt")
        yield _editor(self.initial_code)
        with VerticalScroll(id="drill-result"):
            keys = {name: key_names(self, f"drill.{name}") for name in ("run", "editor", "solution", "hint")}
            solution = f"{keys['solution']} solution · " if self.offer_solution else ""
            yield Static(Text(f"{keys['run']} runs the checks · esc leaves the editor (then {keys['editor']} $EDITOR · "
                              f"{solution}{keys['hint']} hint)"), id="drill-status")
            yield Static("", id="drill-verdict")
            yield Static("", id="drill-hints")
            yield Static("", id="drill-solution")

    def on_mount(self) -> None:
        self.editor.focus()

    def on_unmount(self) -> None:
        if self._cancel is not None:
            self._cancel.set()  # leaving the screen stops a running check

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While typing, letters and enter belong to the editor: hide the keys that only work outside it.
        if action in _OUTSIDE_EDITOR and self.editor.has_focus:
            return False
        if action == "toggle_solution" and not self.offer_solution:
            return False
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    @property
    def editor(self) -> TextArea:
        return self.query_one("#drill-code", TextArea)

    @property
    def code(self) -> str:
        return self.editor.text

    @property
    def running(self) -> bool:
        return self._cancel is not None

    # -- actions -----------------------------------------------------------------------------------

    def action_run_checks(self) -> None:
        # ctrl+r is a priority binding: it may be read while the editor still has keys typed before it to handle
        after_queued_keys(self, self._run_checks)

    def _run_checks(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
        self._cancel = threading.Event()
        self._status(f"Checking… (the editor stays usable; {key_names(self, 'drill.run')} again restarts)")
        self._run(self.code, self._cancel)

    @work(thread=True, exclusive=True, group="drill-check")
    def _run(self, code: str, cancel: threading.Event) -> None:
        task = self.drill
        started = time.monotonic()
        verdict = check_code(code, task.checker, function=task.function, time_limit=task.time_limit,
                             seed=self.seed, cancel=cancel)
        if not get_current_worker().is_cancelled and not (cancel.is_set() and self._cancel is not cancel):
            self.app.call_from_thread(self._show_verdict, code, verdict, cancel, time.monotonic() - started)

    def _show_verdict(self, code: str, verdict: Verdict, cancel: threading.Event, seconds: float) -> None:
        if self._cancel is not cancel:
            return  # a newer check replaced this one
        self._cancel = None
        self.verdict = verdict
        self._status(f"Checked in {seconds:.2f} s · {key_names(self, 'drill.run')} checks again")
        text = Text(verdict.headline, style=_STYLE[verdict.status])
        rest = verdict.report().split("\n", 1)
        if len(rest) > 1:
            text.append("\n" + rest[1])
        self.query_one("#drill-verdict", Static).update(text)
        self.query_one("#drill-result").scroll_home(animate=False)  # the new verdict, under when it was checked
        if verdict.passed:
            self.offer_solution = True  # written and passed: comparing with the model solution is no help now
            # Below the verdict, which stays in view (scrolled to, the solution hid it and any warning in 24 rows).
            self._show_solution(True, scroll=False)
            self.refresh_bindings()
        self.post_message(self.Checked(Attempt(self.drill.key, code, verdict)))

    def action_toggle_solution(self) -> None:
        if self.offer_solution:
            self._show_solution(not self.has_class("-solution"))

    def _show_solution(self, show: bool, *, scroll: bool = True) -> None:
        if show:
            solution = Text("Model solution\n", style="bold")
            solution.append(visible(self.drill.solution.rstrip()))
            self.query_one("#drill-solution", Static).update(solution)
        self.set_class(show, "-solution")
        if show and scroll:
            self.call_after_refresh(self.query_one("#drill-solution").scroll_visible)

    def action_hint(self) -> None:
        if not self.drill.hints:
            self.notify("This drill has no hints.", timeout=3)
            return
        self.hints_shown = min(self.hints_shown + 1, len(self.drill.hints))
        lines = [f"Hint {n}: {hint}" for n, hint in enumerate(self.drill.hints[: self.hints_shown], 1)]
        hints = self.query_one("#drill-hints", Static)
        hints.update(Text(visible("\n".join(lines))))
        self.call_after_refresh(hints.scroll_visible)

    def action_edit(self) -> None:
        self.editor.focus()

    def action_external_editor(self) -> None:
        with tempfile.TemporaryDirectory(prefix="quizapp-edit-") as folder:
            path = Path(folder) / f"{self.drill.function}.py"
            command = editor_command(path)
            if command is None:
                self.notify(NO_EDITOR, severity="warning")
                return
            path.write_text(self.code, encoding="utf-8")
            problem = run_editor(self.app, command)
            if problem:
                self.notify(problem, severity="error")
                return
            # Focus stays where it was, outside the editor: the keys the footer shows (r, e, s, h) still work; focused,
            # the editor typed the r of a check into the code.
            self.editor.load_text(path.read_text(encoding="utf-8"))

    def _status(self, message: str) -> None:
        self.query_one("#drill-status", Static).update(Text(message))


class _PythonEditor(TypingArea):
    """Textual's code editor, where Enter keeps the line's indentation, one level deeper after a colon
    (without it every line of a function body had to be indented by hand)."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key != "enter" or self.read_only:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        start, end = self.selection
        before = self.document.get_line(start[0])[: start[1]]
        indent = before[: len(before) - len(before.lstrip(" \t"))]
        if before.rstrip().endswith(":"):
            indent += " " * self.indent_width
        self._replace_via_keyboard("\n" + indent, start, end)


def _editor(code: str) -> TextArea:
    """A Python code editor; plain text if the tree-sitter grammar is missing."""
    try:
        return _PythonEditor.code_editor(code, language="python", id="drill-code")
    except Exception:  # LanguageDoesNotExist without tree-sitter-python
        return _PythonEditor.code_editor(code, language=None, id="drill-code")
