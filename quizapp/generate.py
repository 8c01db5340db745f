"""`quizapp generate` and `quizapp check`: generated questions on the command line.

A NAME is a solver (`auc`) or a card of the deck (`topic/id`): a template card, or a generated card. A
template's problem is made at its own difficulty unless `--difficulty` says otherwise.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any

from quizapp.errors import UserError
from quizapp.safetext import visible

__all__ = ["check_generated", "print_problem", "print_solver_list"]

_EXIT_BY_STATUS = {"correct": 0, "incorrect": 1, "invalid": 2}
DeckLoader = Callable[[], Any]


def _say(text: str) -> None:
    """Prompts and names may come from content files and plugins: shown, never sent to the terminal raw."""
    print(visible(text))


def print_solver_list() -> int:
    import solvers
    from solvers.registry import solver_packages

    registry = solvers.registry()
    packages = solver_packages()
    width = max((len(name) for name in registry), default=0)
    for name, solver in sorted(registry.items()):
        _say(f"{name.ljust(width)}  {solver.topic:<32} {solver.title:<48} {packages.get(name, 'solvers')}")
    return 0


def print_problem(name: str, seed: int | None, difficulty: int | None, *, show: bool, as_json: bool,
                  load_deck: DeckLoader | None = None) -> int:
    seed = secrets.randbelow(2**31) if seed is None else seed
    problem = _problem(name, seed, difficulty, load_deck)
    if as_json:
        print(json.dumps(problem.to_dict(), indent=2))
        return 0
    from quizapp.deck.plaintext import markdown_to_text  # for a terminal: math in Unicode, no Markdown source

    _say(f"# {name}  (seed {seed}, difficulty {problem.difficulty})\n")
    _say(markdown_to_text(problem.prompt))
    if show:
        import solvers

        _say(f"\nAnswer: {solvers.format_answer(problem.answer)}\n")
        _say(markdown_to_text(problem.solution))
    else:
        _say(f"\nCheck your answer: quizapp check {name} --seed {seed} --difficulty {problem.difficulty} ANSWER")
    return 0


def check_generated(name: str, seed: int, difficulty: int | None, answer: str,
                    load_deck: DeckLoader | None = None) -> int:
    problem = _problem(name, seed, difficulty, load_deck)
    verdict = problem.check(answer)
    _say(verdict.message)  # it opens with the verdict ("Correct: ..."); the exit code is for scripts
    return _EXIT_BY_STATUS[verdict.status]


def _problem(name: str, seed: int, difficulty: int | None, load_deck: DeckLoader | None):
    if seed < 0:
        raise UserError(f"--seed must be a non-negative integer, got {seed}")
    if "/" not in name:
        return _solver(name).generate(seed, difficulty or 1)
    if load_deck is None:
        raise UserError(f"'{name}' names a card, but no deck is loaded")
    return _card_problem(name, seed, difficulty, load_deck())


def _card_problem(key: str, seed: int, difficulty: int | None, deck: Any):
    from quizapp.deck.schema import GeneratedCard, TemplateCard
    from quizapp.deck.templates import template_problem
    from solvers.templates import TemplateError

    item = deck.item(key)  # a card's key, or a deletion's of a cloze card: "#c1" on any other is no key
    if item is None:
        skipped = [e for e in deck.errors if e.where and f"(id {key.partition('/')[2]})" in e.where]
        why = f"; it has content problems: {skipped[0]}" if skipped else "; see `quizapp topics`"
        raise UserError(f"no card '{key}' in the deck{why}")
    card = item.card.card
    if isinstance(card, TemplateCard):
        try:
            return template_problem(card, key, seed, difficulty, strict=True)
        except TemplateError as error:
            raise UserError(f"{key}: this instance cannot be computed: {error}") from None
    if isinstance(card, GeneratedCard):
        return _solver(card.solver).generate(seed, difficulty or card.difficulty)
    raise UserError(f"'{key}' is a {card.type} card: generate works with template and generated cards")


def _solver(name: str):
    import solvers

    try:
        return solvers.get_solver(name)
    except KeyError as exc:
        raise UserError(str(exc.args[0]) if exc.args else f"unknown solver '{name}'") from None
