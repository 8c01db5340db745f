"""Quiz results: the score, a per-topic breakdown, and every miss with its explanation.

Dismissed with `RETRY` when the user asks to retry the misses, else with None.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from quizapp.study.quiz import QuizSession
from quizapp.tui.keys import key_names
from quizapp.tui.widgets.markdown_card import MarkdownCard
from quizapp.tui.widgets.title_bar import TitleBar

__all__ = ["RETRY", "QuizResultsScreen"]

RETRY = "retry"


class QuizResultsScreen(Screen[str | None]):
    CSS_PATH = "quiz_results.tcss"
    BINDINGS = [
        Binding("r", "retry", "Retry misses", id="quiz-results.retry"),
        Binding("escape", "dismiss", "Home", id="quiz-results.home"),
    ]

    def __init__(self, session: QuizSession) -> None:
        super().__init__()
        self.session = session
        self.results = session.results()

    def compose(self) -> ComposeResult:
        results = self.results
        yield TitleBar()
        with VerticalScroll(id="results"):
            yield Static(f"[b]Score: {results.score}/{results.total}[/]  ({results.percent:.0f}%)", id="score")
            yield DataTable(id="by-topic", cursor_type="none", show_cursor=False)
            yield MarkdownCard(self._misses_markdown(), id="misses")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Quiz results"
        table = self.query_one(DataTable)
        table.add_columns("Topic", "Right", "Asked", "Score")
        for topic, (right, asked) in sorted(self.results.by_topic.items()):
            table.add_row(topic, str(right), str(asked), f"{100 * right / asked:.0f}%")

    def _misses_markdown(self) -> str:
        misses = self.results.misses
        if not misses:
            return "**No misses.** Well done."
        parts = [f"## Misses ({len(misses)}) — press {key_names(self, 'quiz-results.retry')} to retry them"]
        for miss in misses:
            question, outcome = miss.question, miss.outcome
            answer = f"you answered `{outcome.response}`; " if outcome.response else ""
            parts.append(f"### {question.key}\n\n{question.prompt}\n\n*{answer}expected:* {question.answer}")
            if question.explanation:
                parts.append(question.explanation)
        return "\n\n".join(parts)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return bool(self.results.misses)
        return True

    def action_retry(self) -> None:
        if self.results.misses:
            self.dismiss(RETRY)
