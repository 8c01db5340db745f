"""`quizapp generate` and `quizapp check`: generated questions from the solvers, on the command line."""

from __future__ import annotations

import json
import secrets

from quizapp.errors import UserError

__all__ = ["check_generated", "print_problem", "print_solver_list"]

_EXIT_BY_STATUS = {"correct": 0, "incorrect": 1, "invalid": 2}


def print_solver_list() -> int:
    import solvers

    registry = solvers.registry()
    width = max((len(name) for name in registry), default=0)
    for name, solver in sorted(registry.items()):
        print(f"{name.ljust(width)}  {solver.topic:<32} {solver.title}")
    return 0


def print_problem(name: str, seed: int | None, difficulty: int, *, show: bool, as_json: bool) -> int:
    seed = secrets.randbelow(2**31) if seed is None else seed
    problem = _solver(name).generate(seed, difficulty)
    if as_json:
        print(json.dumps(problem.to_dict(), indent=2))
        return 0
    from quizapp.deck.plaintext import markdown_to_text  # for a terminal: math in Unicode, no Markdown source

    print(f"# {name}  (seed {seed}, difficulty {difficulty})\n")
    print(markdown_to_text(problem.prompt))
    if show:
        import solvers

        print(f"\nAnswer: {solvers.format_answer(problem.answer)}\n")
        print(markdown_to_text(problem.solution))
    else:
        print(f"\nCheck your answer: quizapp check {name} --seed {seed} --difficulty {difficulty} ANSWER")
    return 0


def check_generated(name: str, seed: int, difficulty: int, answer: str) -> int:
    problem = _solver(name).generate(seed, difficulty)
    verdict = problem.check(answer)
    print(verdict.message)  # it opens with the verdict ("Correct: ..."); the exit code is for scripts
    return _EXIT_BY_STATUS[verdict.status]


def _solver(name: str):
    import solvers

    try:
        return solvers.get_solver(name)
    except KeyError as exc:
        raise UserError(str(exc.args[0]) if exc.args else f"unknown solver '{name}'") from None
