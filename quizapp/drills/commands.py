"""`quizapp drill`: list the coding drills, print one, check a file against it."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from quizapp.deck.plaintext import markdown_to_text, terminal_width, wrap_text
from quizapp.drills.task import DrillTask, tasks
from quizapp.plural import counted
from quizapp.safetext import shown_path, visible

__all__ = ["check_file", "edit_drill", "print_drill", "print_drill_list"]


def print_drill_list(deck, width: int | None = None) -> int:
    """Each drill's key and title in two columns; on a terminal (or given `width`) too narrow for them, the titles
    wrap inside their column, or go under their keys when the keys leave them less than a third of the line."""
    from solvers.drills import drills

    listed = tasks(deck)
    used = {task.checker for task in listed}
    rows = [(task.key, task.title) for task in listed]
    rows += [(name, drill.title + "  (checker only)") for name, drill in sorted(drills().items()) if name not in used]
    width = width or terminal_width(sys.stdout)
    column = max((len(key) for key, _ in rows), default=0) + 2
    rows = [(visible(key), visible(title)) for key, title in rows]
    if width is None or all(column + len(title) <= width for _, title in rows):
        lines = [f"{key.ljust(column)}{title}" for key, title in rows]
    elif column <= width * 2 // 3:
        lines = [key.ljust(column) + _indented(wrap_text(title, width - column), column)[column:]
                 for key, title in rows]
    else:
        lines = [f"{key}\n{_indented(wrap_text(title, width - 4), 4)}" for key, title in rows]
    print("\n".join(lines))
    return 0


def _indented(text: str, spaces: int) -> str:
    return "\n".join(" " * spaces + line for line in text.split("\n"))


def print_drill(task: DrillTask, *, solution: bool, hints: bool = False) -> int:
    print(f"# {visible(task.key)}: {visible(task.title)}\n")
    print(visible(markdown_to_text(task.prompt).rstrip()))  # math as Unicode, as the app and plain mode show it
    if solution:
        print("\n## Model solution\n")
        print(visible(task.solution.rstrip()))
        return 0
    print("\n## Starter\n")
    print(visible(task.starter.rstrip()))
    if hints:
        for number, hint in enumerate(task.hints, 1):
            print(f"\nHint {number}: {visible(markdown_to_text(hint).strip())}")
    elif task.hints:
        print(f"\n{counted(len(task.hints), 'hint')}: quizapp drill {task.key} --hints")
    print(f"\nSave it to a file and check it: quizapp drill {task.key} --file my.py")
    return 0


def _read(path: Path) -> str:
    from quizapp.errors import UserError

    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {shown_path(path)}: {getattr(exc, 'strerror', None) or exc}") from None


def edit_drill(task: DrillTask, path: Path | None, *, seed: int | None) -> int:
    """The drill screen; the code of the last check is written back to ``path`` when one was given."""
    from quizapp.tui.drill_app import run_drill

    attempt = run_drill(task, _read(path) if path is not None else None, seed=seed or 0)
    if attempt is None:
        return 0
    if path is not None:
        path.write_text(attempt.code, encoding="utf-8")
    print(attempt.verdict.headline)
    return attempt.verdict.exit_code


def check_file(task: DrillTask, path: Path, *, seed: int | None, as_json: bool) -> int:
    from quizapp.drills.runner import check_code

    source = _read(path)
    seed = random.SystemRandom().randrange(2**31) if seed is None else seed
    verdict = check_code(source, task.checker, function=task.function, time_limit=task.time_limit, seed=seed,
                         filename=path.name)
    if as_json:
        print(json.dumps({"key": task.key, "seed": seed, **verdict.to_dict()}, indent=2))
    else:
        print(verdict.report())
        if verdict.passed:
            print(f"\nModel solution (`quizapp drill {task.key} --solution`):\n")
            print(visible(task.solution.rstrip()))
        elif verdict.status in ("fail", "error"):
            print(f"\n(random cases from seed {seed}: --seed {seed} repeats them)")
    return verdict.exit_code
