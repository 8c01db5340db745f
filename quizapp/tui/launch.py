"""Build the app from a context (shared by the CLI and the tests) and run it."""

from __future__ import annotations

from quizapp.context import AppContext
from quizapp.tui.services import Services

__all__ = ["build_app", "run_app"]


def build_app(context: AppContext, *, start: str = "home", topics: list[str] | None = None):
    from quizapp.tui.app import QuizApp

    services = Services(context=context, deck=context.load_deck(), store=context.open_store())
    return QuizApp(services, start=start, topics=topics or [])


def run_app(context: AppContext, *, start: str = "home", topics: list[str] | None = None) -> int:
    app = build_app(context, start=start, topics=topics)
    try:
        app.run()
    finally:
        app.services.store.close()
    return app.return_code or 0
