"""Template cards (`type: template`) as solvers' templates: compiled once per card, sampled at load.

The deck model keeps the card's fields; this module turns them into a `solvers.templates.Template`, makes a
`solvers.Problem` for a seed (what review, quiz, `generate` and the Anki export ask), and lists the problems
that validation reports, and finds where in the file a column of a value's text is (parse.py places them).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from pathlib import Path

from solvers import Problem, Tolerance
from solvers.problem import DIFFICULTIES
from solvers.templates import Template, TemplateError, TemplateErrors

from quizapp.deck.mathtext import math_problem
from quizapp.deck.schema import TemplateCard
from quizapp.deck.yamlsource import Position

__all__ = ["REVIEW_RETRIES", "VALIDATION_SECONDS", "VALIDATION_SEEDS", "TemplateBudget", "compile_template",
           "locate_in_source", "template_errors", "template_problem"]

VALIDATION_SEEDS = 20  # per difficulty, at load and in `quizapp validate`
# What checking the templates of one load may take, all its files' together: the built-in deck's 31 take 0.1 s.
# Each instance is bounded (solvers.expressions.MAX_SECONDS), but a shared file of 2,000 slow templates took
# hours to load, and a limit per file let a deck of many files, each just under it, take it once per file.
VALIDATION_SECONDS = 10.0
REVIEW_RETRIES = 20
_CACHE_SIZE = 512
_compiled: OrderedDict[tuple[str, int], tuple[TemplateCard, Template]] = OrderedDict()


def compile_template(card: TemplateCard, key: str) -> Template:
    """The compiled template of `card` (kept for the card object's lifetime in a small cache).

    Raises
    ------
    TemplateErrors
        If the card does not compile (validation at load reports these, so a loaded card always compiles).
    """
    slot = (key, id(card))
    hit = _compiled.get(slot)
    if hit is not None and hit[0] is card:
        _compiled.move_to_end(slot)
        return hit[1]
    template = Template.build(
        key,
        params={name: param.model_dump(exclude_none=True) for name, param in card.params.items()},
        where=card.where,
        prompt=card.prompt,
        answer=card.answer,
        solution=card.solution,
        tolerance=Tolerance.from_dict(card.tolerance.model_dump(exclude_none=True)) if card.tolerance else None,
        difficulty=card.difficulty,
    )
    _compiled[slot] = (card, template)
    if len(_compiled) > _CACHE_SIZE:
        _compiled.popitem(last=False)
    return template


def template_problem(card: TemplateCard, key: str, seed: int, difficulty: int | None = None, *,
                     strict: bool = False) -> Problem:
    """The problem of `card` for `seed` (at the card's difficulty unless given).

    Validation samples seeds but cannot try them all: in review (`strict=False`) an instance that fails is
    replaced by the next seed's, so a question is always shown, and the problem records the seed it used.
    `strict=True` (the `generate` and `check` commands) raises the TemplateError instead.
    """
    template = compile_template(card, key)
    if not strict:
        for attempt in range(REVIEW_RETRIES - 1):
            try:
                return template.generate((seed + attempt) % 2**63, difficulty)
            except TemplateError:
                continue
        seed = (seed + REVIEW_RETRIES - 1) % 2**63
    return template.generate(seed, difficulty)


class TemplateBudget:
    """The time left for checking templates in one load (`quizapp validate`, a start of the app), shared by all
    its files; only the time spent checking them counts. `ran_out_at` is the card whose check used it up."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = VALIDATION_SECONDS if seconds is None else seconds
        self.left = self.seconds
        self.ran_out_at: str | None = None  # `file:line:col` of that card
        self.unchecked: set[Path] = set()  # the files with a template left unchecked: not for the content cache

    def check(self, card: TemplateCard, key: str, path: Path, place: str) -> list[TemplateError] | None:
        """The problems of `card` (at `place`, in the file at `path`), or None when the time ran out first."""
        started = time.perf_counter()
        errors = template_errors(card, key, deadline=started + max(self.left, 0.0))
        self.left -= time.perf_counter() - started
        if errors and errors[0].message == "checking ran out of time":
            self.ran_out_at = self.ran_out_at or place
            self.unchecked.add(path)
            return None
        return errors

    def unchecked_message(self, place: str) -> str:
        where = "at this card" if place == self.ran_out_at else f"at {self.ran_out_at}"
        return (f"not checked: checking templates may take {self.seconds:g} s in all, every loaded file's together, "
                f"and the time ran out {where}; make the templates' parameters and expressions lighter "
                "(or their `where` likelier), or load fewer of them at once")


def template_errors(card: TemplateCard, key: str, seeds: int = VALIDATION_SEEDS, *,
                    deadline: float | None = None) -> list[TemplateError]:
    """Every problem of the card: what does not compile, or else what sampling `seeds` per difficulty finds
    (until `deadline`, a `time.perf_counter()` value)."""
    try:
        template = compile_template(card, key)
    except TemplateErrors as errors:
        return list(errors.errors)
    return template.sample_errors(seeds, deadline=deadline) or _filled_math_errors(card, template)


def _filled_math_errors(card: TemplateCard, template: Template) -> list[TemplateError]:
    """Math that the filled prompt or solution cannot draw, at seed 0 of each difficulty.

    Braces that balance as written can be unmatched once filled: `{{` writes one `{`, so `^{{{=n}}}` leaves
    a `}` too many. The position is the field's: what is wrong shows only in the filled text.
    """
    for difficulty in DIFFICULTIES:
        problem = template.generate(0, difficulty)
        for field, filled, written in (("prompt", problem.prompt, card.prompt),
                                       ("solution", problem.solution, card.solution or "")):
            message = math_problem(filled) if "$" in filled else None
            if message:
                if "{{" in written:
                    message += "; `{{` writes one literal `{`: to put a value inside braces, write `{ {=expr} }`"
                return [TemplateError(message, (field,), None, 0, difficulty)]
    return []


def locate_in_source(lines: list[str], start: Position, text: str, offset: int, *, window: int = 400) -> Position:
    """The file position of character `offset` of a string value that starts at `start`.

    YAML quoting, escapes, block indentation and folding all move a value's characters around in the file,
    so the value's own line around `offset` is searched for in the file from `start` on: the whole line first,
    then the text from `offset` to the line's end. A folded scalar (`>`) joins the file's lines with spaces,
    so then the text from `offset` to one of its spaces is looked for at the end of a line of the file. When
    none is found, the value's start is the answer.
    """
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line_end = len(text) if line_end < 0 else line_end
    rows = range(start.line - 1, min(len(lines), start.line - 1 + window))
    for needle, shift in ((text[line_start:line_end], offset - line_start), (text[offset:line_end], 0)):
        if not needle.strip():
            continue
        for number in rows:
            begin = start.column - 1 if number == start.line - 1 else 0
            found = lines[number].find(needle, begin)
            if found >= 0:
                return Position(number + 1, found + shift + 1)
    folds = [index for index in range(line_end - 1, offset, -1) if text[index] == " "]
    for end in folds:  # the longest first: the line of the file that ends with it is the one
        needle = text[offset:end]
        for number in rows:
            line = lines[number].rstrip()
            if needle.strip() and line.endswith(needle) and len(line) - len(needle) >= (
                    start.column - 1 if number == start.line - 1 else 0):
                return Position(number + 1, len(line) - len(needle) + 1)
    return start
