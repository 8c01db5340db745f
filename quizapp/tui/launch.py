"""Build the app from a context (shared by the CLI and the tests) and run it."""

from __future__ import annotations

import gc
import sys
from typing import Any

from quizapp.context import AppContext
from quizapp.safetext import visible
from quizapp.tui.services import Services

__all__ = ["build_app", "run_app"]


def build_app(context: AppContext, *, start: str = "home", topics: list[str] | None = None,
              query: str | None = None, interview=None, quiz=None):
    from quizapp.tui.app import QuizApp

    store = context.open_store()
    report = _sync(store, context)
    services = Services(context=context, deck=context.load_deck(), store=store,
                        notices=report.notices() if report else [])
    return QuizApp(services, start=start, topics=topics or [], query=query, interview=interview, quiz=quiz)


def run_app(context: AppContext, *, start: str = "home", topics: list[str] | None = None, query: str | None = None,
            interview=None, quiz=None, **run: Any) -> int:
    """Build the app and run it until it quits; `run` goes to `App.run` (the launch benchmark runs headless).
    `query` is a search that chooses the cards of the review or quiz it starts with; `interview` the
    InterviewOptions of `quizapp interview`, `quiz` the QuizOptions of `quizapp quiz`."""
    # The modules and the deck loaded so far live as long as the process: freezing them keeps the garbage
    # collector from walking them all again, which with a large deck costs more than drawing a screen. The
    # collector waits until then, or its first pass after the load would walk them all once more.
    gc.disable()
    try:
        app = build_app(context, start=start, topics=topics, query=query, interview=interview, quiz=quiz)
        gc.freeze()
    finally:
        gc.enable()
    try:
        app.run(**run)
    finally:
        report = _sync(app.services.store, context)
        app.services.store.close()
        for line in report.notices() if report else ():
            print(visible(f"quizapp: {line}"), file=sys.stderr)
    return app.return_code or 0


def _sync(store, context: AppContext):
    """The sync at the start and the end of a session; its module (and the log replay it brings) is imported
    only when a sync folder is set, which a start without one need not pay for."""
    if context.settings.sync_path is None:
        return None
    from quizapp.study.sync import sync_if_set_up

    return sync_if_set_up(store, context.data_dir, context.settings)
