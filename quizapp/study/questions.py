"""A study item turned into something to ask: the prompt, the expected answer, and how to check a response.

Front ends (the TUI, the plain-text mode) show a Question and pass the user's response back; nothing here
knows how it is displayed.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from typing import Literal

from fsrs import Rating

import solvers

from quizapp.deck.mathtext import verbatim_spans
from quizapp.deck.model import StudyItem
from quizapp.deck.schema import (
    CLOZE_PATTERN,
    ChoiceCard,
    ChoiceOption,
    ClozeCard,
    CodeCard,
    Flashcard,
    DEFAULT_OPEN_TIME_LIMIT,
    GeneratedCard,
    KeyPoint,
    NumericCard,
    OpenCard,
    TemplateCard,
)
from quizapp.plural import counted

__all__ = [
    "Outcome",
    "clock_time",
    "countdown",
    "Question",
    "build_question",
    "judge_points",
    "not_answered",
    "parse_choice",
    "parse_points",
    "points_summary",
    "rating_for_points",
    "suggest_rating",
    "suggested_points",
    "time_left",
]

AUTO_CHECKED = frozenset({"choice", "numeric", "generated", "code"})
TYPED = frozenset({"numeric", "generated"})
LETTERS = "abcdefghij"


@dataclass(frozen=True)
class Outcome:
    """The result of checking a response. `status` is "invalid" when the response could not be read."""

    status: Literal["correct", "incorrect", "invalid"]
    message: str
    expected: str
    response: str = ""
    chosen: frozenset[int] = frozenset()
    points: frozenset[int] | None = None  # an open question's key points the user says they made
    suggested: frozenset[int] = frozenset()  # the points whose keywords the typed answer has (a hint)
    of: int = 0  # how many key points the open question has

    @property
    def correct(self) -> bool | None:
        return None if self.status == "invalid" else self.status == "correct"

    def detail(self) -> dict[str, object] | None:
        """What the log keeps besides the typed text: the points ticked, of how many, and the suggestion."""
        if self.points is None:
            return None
        return {"points": sorted(self.points), "of": self.of, "suggested": sorted(self.suggested)}


@dataclass(frozen=True)
class Question:
    item: StudyItem
    kind: str
    prompt: str  # Markdown shown before answering
    answer: str  # Markdown shown after answering (the back, the revealed cloze, the expected value)
    explanation: str | None
    solution: str | None = None  # worked steps of a generated problem
    sources: tuple[str, ...] = ()
    options: tuple[ChoiceOption, ...] = ()  # in the order shown
    seed: int | None = None
    problem: object | None = field(default=None, repr=False, compare=False)
    drill: object | None = field(default=None, repr=False, compare=False)  # a code card's DrillTask
    key_points: tuple[KeyPoint, ...] = ()  # an open question's, in file order
    time_limit: int | None = None  # seconds to answer an open question (a guide: the clock goes on)

    @property
    def key(self) -> str:
        return self.item.key

    @property
    def auto_checked(self) -> bool:
        return self.kind in AUTO_CHECKED

    @property
    def self_graded(self) -> bool:
        """Graded yes or no by the user once its back is shown (a flashcard, a cloze): neither checked nor open."""
        return not self.auto_checked and self.kind != "open"

    @property
    def correct_options(self) -> frozenset[int]:
        return frozenset(i for i, option in enumerate(self.options) if option.correct)

    @property
    def multiple(self) -> bool:
        return len(self.correct_options) > 1

    def check(self, response: str) -> Outcome:
        if self.kind == "choice":
            return self._check_choice(response)
        if self.kind in {"numeric", "generated"}:
            return self._check_number(response)
        raise ValueError(f"{self.kind} cards are self-rated, not checked")

    def check_choice(self, chosen: frozenset[int]) -> Outcome:
        expected = ", ".join(LETTERS[i] for i in sorted(self.correct_options))
        response = "".join(LETTERS[i] for i in sorted(chosen))
        if not chosen:
            return Outcome("invalid", "No option chosen: choose at least one.", expected, response, chosen)
        if chosen == self.correct_options:
            return Outcome("correct", "Correct.", expected, response, chosen)
        return Outcome("incorrect", f"Not quite: the answer is {expected}.", expected, response, chosen)

    def _check_choice(self, response: str) -> Outcome:
        chosen = parse_choice(response, len(self.options))
        if isinstance(chosen, str):
            expected = ", ".join(LETTERS[i] for i in sorted(self.correct_options))
            return Outcome("invalid", chosen, expected, response)
        return self.check_choice(chosen)

    @property
    def answer_size(self) -> int | None:
        """How many numbers a typed answer must have (1 for a single number); None for other kinds. Not a
        secret: the prompt asks for a number or a vector of so many."""
        if self.kind not in {"numeric", "generated"}:
            return None
        expected = self.problem.answer if self.problem is not None else self._numeric_card().answer
        if hasattr(expected, "tolist"):  # a numpy array or scalar
            expected = expected.tolist()
        return len(expected) if isinstance(expected, (list, tuple)) else 1

    def _numeric_card(self) -> NumericCard:
        card = self.item.card.card
        assert isinstance(card, NumericCard)
        return card

    def _check_number(self, response: str) -> Outcome:
        if self.problem is not None:
            verdict = self.problem.check(response)
        else:
            card = self._numeric_card()
            tolerance = solvers.Tolerance.from_dict(card.tolerance.model_dump(exclude_none=True)) if card.tolerance else None
            verdict = solvers.check_answer(response, card.answer, tolerance)  # None: the solvers' default
        return Outcome(verdict.status, verdict.message, solvers.format_answer(verdict.expected), response)


def parse_choice(text: str, count: int) -> frozenset[int] | str:
    """'b', 'a c', 'a,c', '2' or '1 3' -> option indexes; a message when the text cannot be read."""
    tokens = [t for t in re.split(r"[\s,;]+", text.strip().lower()) if t]
    if len(tokens) == 1 and tokens[0].isalpha() and len(tokens[0]) > 1:
        tokens = list(tokens[0])  # "ac" means a and c
    chosen: set[int] = set()
    valid = f"letters a-{LETTERS[count - 1]} or numbers 1-{count}"
    for token in tokens:
        if len(token) == 1 and token in LETTERS[:count]:
            chosen.add(LETTERS.index(token))
        elif token.isascii() and token.isdigit() and len(token) <= 2 and 1 <= int(token) <= count:
            chosen.add(int(token) - 1)
        else:
            return f"Could not read {token!r}: answer with {valid}, e.g. 'b' or 'a c'."
    return frozenset(chosen) if chosen else f"No option chosen: answer with {valid}."


def suggest_rating(outcome: Outcome) -> Rating:
    """Wrong -> Again; right -> Good; an open question by its share of points (`rating_for_points`). Easy
    only when the user picks it: suggesting it for quick answers inflates intervals (Anki's manual warns
    against overusing Easy)."""
    if outcome.points is not None:
        return rating_for_points(len(outcome.points), outcome.of)
    return Rating.Good if outcome.correct is True else Rating.Again


def rating_for_points(made: int, total: int) -> Rating:
    """All the key points: Good; at least half: Hard; fewer: Again."""
    if total > 0 and made >= total:
        return Rating.Good
    if total > 0 and 2 * made >= total:
        return Rating.Hard
    return Rating.Again


def points_summary(made: int, total: int) -> str:
    """ "3 of 4 points: Hard" """
    return f"{made} of {counted(total, 'point')}: {rating_for_points(made, total).name}"


def suggested_points(key_points: tuple[KeyPoint, ...], typed: str) -> frozenset[int]:
    """The points one of whose keywords is in `typed` as a whole word or phrase, ignoring case. A hint for
    the user to confirm, never a verdict: a point without keywords is never suggested."""
    if not typed.strip():
        return frozenset()
    found = set()
    for index, point in enumerate(key_points):
        if any(_has_phrase(typed, keyword) for keyword in point.keywords):
            found.add(index)
    return frozenset(found)


def _has_phrase(text: str, phrase: str) -> bool:
    words = r"\s+".join(re.escape(word) for word in phrase.split())
    return bool(words) and re.search(rf"(?<!\w){words}(?!\w)", text, re.IGNORECASE) is not None


def parse_points(text: str, count: int) -> frozenset[int] | str:
    """'1 3', '1,3', 'all' or 'none' -> key point indexes; a message when the text cannot be read."""
    words = [w for w in re.split(r"[\s,;]+", text.strip().lower()) if w]
    if words == ["all"]:
        return frozenset(range(count))
    if words in (["none"], ["0"]):
        return frozenset()
    chosen: set[int] = set()
    for word in words:
        if not (word.isascii() and word.isdigit() and len(word) <= 2 and 1 <= int(word) <= count):
            return f"Could not read {word!r}: type the numbers of the points you made (1-{count}), 'all' or 'none'."
        chosen.add(int(word) - 1)
    return frozenset(chosen) if chosen else f"Type the numbers of the points you made (1-{count}), 'all' or 'none'."


def clock_time(seconds: float) -> str:
    """Time taken, as a stopwatch shows it (whole seconds gone by): 45.9 -> 0:45; 754 -> 12:34; -5 -> -0:05.
    Every time taken on screen, in plain mode and in the report reads this way, so they agree."""
    whole = int(abs(seconds))
    return f"{'-' * (seconds < 0 and whole > 0)}{whole // 60}:{whole % 60:02d}"


def countdown(seconds: float) -> str:
    """Time left, as a countdown shows it: 2:00 at the start (119.6 s left), 0:00 at the end, then -0:01."""
    return clock_time(math.ceil(seconds))


def time_left(limit: int, elapsed: float) -> tuple[str, bool]:
    """("1:42 left", False) before the limit, ("0:12 over", True) after it: the clock never stops the user."""
    remaining = limit - elapsed
    text = countdown(remaining) if remaining >= 0 else clock_time(-remaining)  # 2:00 at the start, 0:00 at the end
    return (f"{text} over", True) if remaining < 0 else (f"{text} left", False)


def judge_points(question: Question, typed: str, points: frozenset[int], suggested: frozenset[int]) -> Outcome:
    """An open question judged by the points the user ticked: counted right from half of them (Hard)."""
    total = len(question.key_points)
    made = frozenset(i for i in points if 0 <= i < total)
    rating = rating_for_points(len(made), total)
    return Outcome("correct" if rating != Rating.Again else "incorrect", points_summary(len(made), total),
                   question.answer, typed, points=made, suggested=suggested & frozenset(range(total)), of=total)


def not_answered(question: Question) -> Outcome:
    """The user asked to see the answer of a choice or typed question instead of answering it: a miss."""
    return Outcome("incorrect", "Not answered: here is the answer.", question.answer)


def build_question(item: StudyItem, rng: random.Random) -> Question:
    card = item.card.card
    common = dict(item=item, kind=card.type, explanation=card.explanation, sources=tuple(card.sources))
    if isinstance(card, Flashcard):
        return Question(prompt=card.front, answer=card.back, **common)
    if isinstance(card, ClozeCard):
        number = item.cloze or card.numbers[0]
        return Question(prompt=render_cloze(card.text, number, reveal=False),
                        answer=render_cloze(card.text, number, reveal=True), **common)
    if isinstance(card, ChoiceCard):
        options = list(card.options)
        if card.shuffle:
            rng.shuffle(options)
        correct = ", ".join(f"{LETTERS[i]}) {o.text}" for i, o in enumerate(options) if o.correct)
        return Question(prompt=card.prompt, answer=correct, options=tuple(options), **common)
    if isinstance(card, NumericCard):
        return Question(prompt=card.prompt, answer=solvers.format_answer(card.answer), **common)
    if isinstance(card, GeneratedCard):
        seed = rng.randrange(2**31)
        problem = solvers.get_solver(card.solver).generate(seed, card.difficulty)
        return Question(prompt=problem.prompt, answer=solvers.format_answer(problem.answer), solution=problem.solution,
                        seed=seed, problem=problem, **common)
    if isinstance(card, TemplateCard):  # asked and checked exactly like a generated problem
        from quizapp.deck.templates import template_problem

        problem = template_problem(card, item.key, rng.randrange(2**31))
        return Question(prompt=problem.prompt, answer=solvers.format_answer(problem.answer), solution=problem.solution,
                        seed=problem.seed, problem=problem, **{**common, "kind": "generated"})
    if isinstance(card, OpenCard):  # answered aloud or typed, then judged by its key points
        return Question(prompt=card.prompt, answer=card.model_answer, key_points=tuple(card.key_points),
                        time_limit=card.time_limit or DEFAULT_OPEN_TIME_LIMIT, **common)
    if isinstance(card, CodeCard):  # written in the drill editor and checked there, off this thread
        from quizapp.drills.task import DrillTask

        task = DrillTask.from_card(item.key, card)
        return Question(prompt=card.prompt, answer=f"```python\n{task.solution}\n```", drill=task, **common)
    raise TypeError(f"unknown card type {card.type}")


def render_cloze(text: str, active: int, *, reveal: bool) -> str:
    """Hide deletion `active` (as [...] or [hint]); show the others; on reveal, mark the hidden answer in bold
    (not in math or code, where the stars would be shown: 'd_ff = ∗∗2048∗∗')."""
    parts: list[str] = []
    answers: list[int] = []  # indexes in `parts` of the revealed answers
    position = 0
    for match in CLOZE_PATTERN.finditer(text):
        number, answer, hint = int(match.group(1)), match.group(2), match.group(3)
        parts.append(text[position:match.start()])
        if number == active and reveal:
            answers.append(len(parts))
        parts.append(answer if number != active or reveal else f"[{hint}]" if hint else "[...]")
        position = match.end()
    parts.append(text[position:])
    if answers:
        spans = verbatim_spans("".join(parts))
        for index in answers:
            start = sum(map(len, parts[:index]))
            end = start + len(parts[index])
            # in bold unless it is part of math or code (all of a formula may be the answer: **$x$**)
            if all(high <= start or end <= low or start <= low and high <= end for low, high in spans):
                parts[index] = f"**{parts[index]}**"
    return "".join(parts)
