"""`quizapp drill`: list the coding drills, print one, check a file against it."""

from __future__ import annotations

import json
import random
from pathlib import Path

from quizapp.drills.runner import printable
from quizapp.drills.task import DrillTask, tasks

__all__ = ["check_file", "print_drill", "print_drill_list"]


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


def print_drill(task: DrillTask, *, solution: bool, hints: bool = False) -> int:
    print(f"# {printable(task.key)}: {printable(task.title)}\n")
    print(printable(task.prompt.rstrip()))
    if solution:
        print("\n## Model solution\n")
        print(printable(task.solution.rstrip()))
        return 0
    print("\n## Starter\n")
    print(printable(task.starter.rstrip()))
    if hints:
        for number, hint in enumerate(task.hints, 1):
            print(f"\nHint {number}: {printable(hint)}")
    elif task.hints:
        print(f"\n{len(task.hints)} hint(s): quizapp drill {task.key} --hints")
    print(f"\nSave it to a file and check it: quizapp drill {task.key} --file my.py")
    return 0


def check_file(task: DrillTask, path: Path, *, seed: int | None, as_json: bool) -> int:
    from quizapp.drills.runner import check_code
    from quizapp.errors import UserError

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
