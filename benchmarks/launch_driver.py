"""Start an app headless, note the moment its first screen is drawn, and exit.

Run as a child process by the launch benchmark, once for quizapp and once for a minimal Textual app, so
both are timed the same way: from process start until the target screen has processed its mount (for
quizapp: the home screen with today's numbers and the topic table filled) and its frame is rendered.
`minimal-pydantic` is the minimal app that first validates a one-field pydantic model, as reading settings
into a pydantic model (which #12 asks for) does: what that choice alone costs a start, reported beside the
targets.

    python -m benchmarks.launch_driver minimal|minimal-pydantic --result OUT.json
    python -m benchmarks.launch_driver quizapp --data-dir D [--content DIR] [--no-builtin] --result OUT.json

Only what the chosen app needs is imported, so neither side pays for the other's modules.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.launch_driver")
    parser.add_argument("app", choices=("minimal", "minimal-pydantic", "quizapp"))
    parser.add_argument("--result", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--content", type=Path, action="append", default=[])
    parser.add_argument("--no-builtin", action="store_true")
    args = parser.parse_args()
    drawn: dict[str, object] = {}
    target = "HomeScreen" if args.app == "quizapp" else "MinimalScreen"

    async def autopilot(pilot) -> None:
        app = pilot.app
        while type(app.screen).__name__ != target:
            await pilot.pause(0.001)
        await _settle_and_draw(pilot)
        drawn["at"] = time.monotonic()
        drawn["screen"] = type(app.screen).__name__
        drawn["widgets"] = len(list(app.screen.walk_children()))
        app.exit()

    if args.app == "minimal":
        _minimal_app().run(headless=True, auto_pilot=autopilot)
    elif args.app == "minimal-pydantic":
        _validate_pydantic_settings()
        _minimal_app().run(headless=True, auto_pilot=autopilot)
    else:
        _run_quizapp(args, autopilot)
    drawn["peak_rss_kib"] = _peak_rss_kib()
    args.result.write_text(json.dumps(drawn))
    return 0 if "at" in drawn else 1


def _peak_rss_kib() -> int:
    """This process's peak resident memory since exec (VmHWM).

    Not `ru_maxrss`: Linux carries that high-water mark across exec, so a child would report the memory
    of the parent it was forked from.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


async def _settle_and_draw(pilot) -> None:
    """Let the screen and its widgets handle every pending message (mount, data), then render a frame."""
    wait_for_screen = getattr(pilot, "_wait_for_screen", None)
    screen = pilot.app.screen
    if wait_for_screen is None or not hasattr(screen, "_on_timer_update"):
        await pilot.pause()  # public fallback: also waits for the CPU to go idle, which adds a little
        return
    await wait_for_screen()
    screen._on_timer_update()  # lay out and render whatever is still dirty, now


def _minimal_app():
    from textual.app import App
    from textual.screen import Screen
    from textual.widgets import Static

    class MinimalScreen(Screen):
        def compose(self):
            yield Static("Hello")

    class MinimalApp(App):
        def on_mount(self) -> None:
            self.push_screen(MinimalScreen())

    return MinimalApp()


def _validate_pydantic_settings() -> None:
    from pydantic import BaseModel, ConfigDict, Field

    class Settings(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)
        new_per_day: int = Field(20, ge=0)

    Settings.model_validate({"new_per_day": 10})


def _run_quizapp(args: argparse.Namespace, autopilot) -> None:
    """Exactly what `quizapp` does (the CLI's context, then `run_app`), headless and driven by `autopilot`."""
    from quizapp.context import AppContext
    from quizapp.tui.launch import run_app

    context = AppContext.create(data_dir=args.data_dir, content=args.content, include_builtin=not args.no_builtin)
    run_app(context, headless=True, auto_pilot=autopilot)


if __name__ == "__main__":
    raise SystemExit(main())
