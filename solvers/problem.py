"""Generated problems and the solvers that make them.

A :class:`Solver` turns ``(seed, difficulty)`` into a :class:`Problem` through a topic module's
build function, which receives a ``numpy.random.Generator`` seeded from the seed *and* the
solver's name (never global state), so a problem is reproducible from ``(name, seed,
difficulty)`` alone. Build functions draw their inputs on a decimal grid first and compute the
answer from exactly those numbers, which is what the prompt shows.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from .answers import Tolerance, Value, Verdict, check_answer

__all__ = ["DIFFICULTIES", "Draft", "Problem", "Solver", "pick"]

DIFFICULTIES = (1, 2, 3)
T = TypeVar("T")


def pick(rng: np.random.Generator, options: list[T]) -> T:
    """One of ``options``, as the plain Python value (``rng.choice`` is slow and returns numpy scalars)."""
    return options[int(rng.integers(len(options)))]


@dataclass(frozen=True)
class Draft:
    """What a topic's build function returns; :meth:`Solver.generate` adds the identity."""

    prompt: str
    params: dict[str, Any]
    answer: Value
    tolerance: Tolerance
    solution: str


@dataclass(frozen=True)
class Problem:
    """One generated exercise: the prompt, its inputs, the answer and how to check a reply.

    ``params`` holds the inputs as plain lists and numbers (JSON-serialisable); ``answer`` is a
    float or a list of floats; ``solution`` is the worked answer in Markdown.
    """

    solver: str
    seed: int
    difficulty: int
    prompt: str
    params: dict[str, Any] = field(hash=False)
    answer: Value = field(hash=False)
    tolerance: Tolerance
    solution: str

    def check(self, text: str) -> Verdict:
        """Judge a typed answer; see :func:`solvers.check_answer`."""
        return check_answer(text, self.answer, self.tolerance)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict of every field."""
        return {
            "solver": self.solver,
            "seed": self.seed,
            "difficulty": self.difficulty,
            "params": self.params,
            "prompt": self.prompt,
            "answer": self.answer,
            "tolerance": self.tolerance.to_dict(),
            "solution": self.solution,
        }


@dataclass(frozen=True)
class Solver:
    """A named problem generator for one topic of the content deck."""

    name: str
    topic: str
    title: str
    build: Callable[[np.random.Generator, int], Draft] = field(repr=False, compare=False)

    def generate(self, seed: int, difficulty: int = 1) -> Problem:
        """Make the problem for ``seed`` at ``difficulty`` (1, 2 or 3; larger is bigger).

        Raises
        ------
        ValueError
            If ``seed`` is not a non-negative integer or ``difficulty`` is not 1, 2 or 3.
        """
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        if (
            isinstance(difficulty, bool)
            or not isinstance(difficulty, (int, np.integer))
            or difficulty not in DIFFICULTIES
        ):
            raise ValueError(f"difficulty must be 1, 2 or 3, got {difficulty!r}")
        # crc32, not hash(): str hashes change between processes.
        rng = np.random.default_rng([int(seed), zlib.crc32(self.name.encode())])
        draft = self.build(rng, int(difficulty))
        answer = [float(a) for a in draft.answer] if isinstance(draft.answer, list) else float(draft.answer)
        return Problem(
            solver=self.name,
            seed=int(seed),
            difficulty=int(difficulty),
            prompt=draft.prompt,
            params=draft.params,
            answer=answer,
            tolerance=draft.tolerance,
            solution=draft.solution,
        )
