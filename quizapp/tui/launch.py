"""Build the app from a context (shared by the CLI and the tests) and run it."""

from __future__ import annotations

import gc

from quizapp.context import AppContext
from quizapp.tui.services import Services

__all__ = ["build_app", "run_app"]


def build_app(context: AppContext, *, start: str = "home", topics: list[str] | None = None):
    from quizapp.tui.app import QuizApp

    services = Services(context=context, deck=context.load_deck(), store=context.open_store())
    app = QuizApp(services, start=start, topics=topics or [])
    # The modules and the deck loaded so far live as long as the app: freezing them keeps the garbage
    # collector from walking them all again, which with a large deck costs more than drawing a screen.
    gc.freeze()
    return app


def run_app(context: AppContext, *, start: str = "home", topics: list[str] | None = None) -> int:
    app = build_app(context, start=start, topics=topics)
    try:
        app.run()
    finally:
        app.services.store.close()
    return app.return_code or 0
