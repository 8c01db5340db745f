"""`quizapp drill`: list the coding drills, print one, check a file against it.

A KEY is `topic/id` of a `type: code` card in the loaded deck, or a checker name (then the drill's
own function name and a bare starter are used).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from quizapp.drills.runner import printable
from quizapp.errors import UserError

__all__ = ["DrillTask", "check_file", "find_task", "print_drill", "print_drill_list", "tasks"]


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

        solution = get_drill(self.checker).solution
        default = get_drill(self.checker).function
        if self.function != default:  # the card renamed the function: rename the model solution's too
            solution = solution.replace(f"def {default}(", f"def {self.function}(", 1)
        return solution


def tasks(deck) -> list[DrillTask]:
    """Every code card of the deck, in deck order."""
    return [DrillTask.from_card(card.key, card.card) for card in deck.cards() if card.type == "code"]


def find_task(deck, key: str) -> DrillTask:
    from quizapp.deck.messages import did_you_mean
    from solvers.drills import drill_names

    found = {task.key: task for task in tasks(deck)}
    if key in found:
        return found[key]
    if key in drill_names():
        return DrillTask.from_checker(key)
    choices = list(found) + sorted(drill_names())
    raise UserError(f"no drill '{key}'{did_you_mean(key, choices)}; `quizapp drill --list` shows them")


def print_drill_list(deck) -> int:
    from solvers.drills import drills

    listed = tasks(deck)
    used = {task.checker for task in listed}
    rows = [(task.key, task.title) for task in listed]
    rows += [(name, drill.title + "  (checker only)") for name, drill in sorted(drills().items()) if name not in used]
    width = max((len(key) for key, _ in rows), default=0)
    for key, title in rows:
        print(f"{printable(key).ljust(width)}  {printable(title)}")
    return 0


def print_drill(task: DrillTask, *, solution: bool) -> int:
    print(f"# {printable(task.key)}: {printable(task.title)}\n")
    print(printable(task.prompt.rstrip()))
    if solution:
        print("\n## Model solution\n")
        print(printable(task.solution.rstrip()))
        return 0
    print("\n## Starter\n")
    print(printable(task.starter.rstrip()))
    for number, hint in enumerate(task.hints, 1):
        print(f"\nHint {number}: {printable(hint)}")
    print(f"\nSave it to a file and check it: quizapp drill {task.key} --file my.py")
    return 0


def check_file(task: DrillTask, path: Path, *, seed: int | None, as_json: bool) -> int:
    from quizapp.drills.runner import check_code

    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    seed = random.SystemRandom().randrange(2**31) if seed is None else seed
    verdict = check_code(source, task.checker, function=task.function, time_limit=task.time_limit, seed=seed,
                         filename=path.name)
    if as_json:
        print(json.dumps({"key": task.key, "seed": seed, **verdict.to_dict()}, indent=2))
    else:
        print(verdict.report())
        if verdict.passed:
            print(f"\nModel solution (`quizapp drill {task.key} --solution`):\n")
            print(printable(task.solution.rstrip()))
        elif verdict.status in ("fail", "error"):
            print(f"\n(random cases from seed {seed}: --seed {seed} repeats them)")
    return verdict.exit_code
