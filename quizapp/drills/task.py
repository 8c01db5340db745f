"""What the user is asked to write, and what one attempt produced: plain records, no Textual.

A drill KEY is `topic/id` of a `type: code` card in the loaded deck, or a checker name (then the
drill's own function name and a bare starter are used).
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.drills.runner import Verdict
from quizapp.errors import UserError

__all__ = ["Attempt", "DrillTask", "find_task", "tasks"]


@dataclass(frozen=True, slots=True)
class DrillTask:
    """What the user is asked to write: a code card's fields, or a bare checker's defaults."""

    key: str
    title: str
    prompt: str
    function: str
    checker: str
    starter: str
    time_limit: float | None
    hints: tuple[str, ...]

    @classmethod
    def from_card(cls, key: str, card) -> DrillTask:
        from solvers.drills import get_drill

        return cls(key, get_drill(card.checker).title, card.prompt, card.function, card.checker, card.starter,
                   card.time_limit, tuple(card.hints))

    @classmethod
    def from_checker(cls, name: str) -> DrillTask:
        from solvers.drills import get_drill

        drill = get_drill(name)
        starter = f"import numpy as np\n\n\ndef {drill.function}({', '.join(drill.params)}):\n    ...\n"
        prompt = f"{drill.title}: write `{drill.function}({', '.join(drill.params)})`."
        return cls(name, drill.title, prompt, drill.function, name, starter, None, ())

    @property
    def solution(self) -> str:
        from solvers.drills import get_drill

        return get_drill(self.checker).solution_for(self.function)


def tasks(deck) -> list[DrillTask]:
    """Every code card of the deck, in deck order."""
    return [DrillTask.from_card(card.key, card.card) for card in deck.cards() if card.type == "code"]


def find_task(deck, key: str) -> DrillTask:
    """The task for ``key``: a code card's `topic/id`, or a checker name."""
    from quizapp.deck.messages import did_you_mean
    from solvers.drills import drill_names

    found = {task.key: task for task in tasks(deck)}
    if key in found:
        return found[key]
    if key in drill_names():
        return DrillTask.from_checker(key)
    choices = list(found) + sorted(drill_names())
    raise UserError(f"no drill '{key}'{did_you_mean(key, choices)}; `quizapp drill --list` shows them")


@dataclass(frozen=True, slots=True)
class Attempt:
    """One check of the user's code. For the review log: ``answer`` is the code, ``correct`` the pass,
    ``verdict.to_dict()`` the details, ``verdict.suggested_rating`` Good (3) or Again (1)."""

    key: str
    code: str
    verdict: Verdict

    @property
    def answer(self) -> str:
        return self.code

    @property
    def correct(self) -> bool:
        return self.verdict.passed
