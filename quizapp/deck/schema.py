"""The content-file format: one pydantic model per card type, a discriminated union on `type`.

Every field name here is a contract with users' own files, the study engine, the TUI and the Anki export.
Unknown fields are errors (`extra="forbid"`), so a typo never silently drops a value.
"""

from __future__ import annotations

import keyword
import math
import re
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from quizapp.safetext import ZERO_WIDTH_BMP

__all__ = [
    "CARD_TYPES",
    "Card",
    "ChoiceCard",
    "ChoiceOption",
    "ClozeCard",
    "CodeCard",
    "Flashcard",
    "GeneratedCard",
    "GlossaryEntry",
    "KeyPoint",
    "NumericCard",
    "NumericTolerance",
    "OpenCard",
    "TemplateCard",
    "TemplateParam",
    "TopicFile",
    "TopicHeader",
    "cloze_numbers",
    "content_json_schema",
    "cut_cloze_deletion",
]

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MAX_LENGTH = 64
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_MAX_LENGTH)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Tag = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-:.]*$", max_length=64)]
# A card named by its id in the same topic, or by topic/id in another.
CardRef = Annotated[str, StringConstraints(pattern=r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*/)?[a-z0-9]+(?:-[a-z0-9]+)*$",
                                           max_length=129)]
OneLine = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\n]*\S[^\n]*$")]
DEFAULT_OPEN_TIME_LIMIT = 120  # seconds for an open question without its own time_limit

# {{c1::answer}} or {{c1::answer::hint}}. Neither part may contain "{{" or "}}", which also keeps
# matching linear on text full of unclosed openings.
_CLOZE_PART = r"((?:(?!\{\{|\}\}|::).)*)"
CLOZE_PATTERN = re.compile(r"\{\{c(\d+)::" + _CLOZE_PART + r"(?:::" + _CLOZE_PART + r")?\}\}", re.DOTALL)
MAX_CLOZE_NUMBER = 50


class _Model(BaseModel):
    # defer_build: validators are built on first use, so a start from the content cache never pays for them
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class NumericTolerance(_Model):
    """How close a typed number must be; passing any one of the given bounds is enough."""

    rel: float | None = Field(None, ge=0, allow_inf_nan=False, description="Relative tolerance, e.g. 0.01.")
    abs: float | None = Field(None, ge=0, allow_inf_nan=False, description="Absolute tolerance.")
    sig_figs: int | None = Field(None, ge=1, le=15, description="Agree to this many significant figures.")

    @model_validator(mode="after")
    def _one_bound(self) -> NumericTolerance:
        if self.rel is None and self.abs is None and self.sig_figs is None:
            raise ValueError("give at least one of rel, abs or sig_figs")
        return self


class _CardBase(_Model):
    id: Slug = Field(description="Unique within the topic; review history is keyed by topic/id.")
    tags: list[Tag] = Field(default_factory=list)
    explanation: Text | None = Field(None, description="Markdown shown after answering: the why.")
    sources: list[ShortText] = Field(default_factory=list, description="Where this card's fact comes from.")
    follow_ups: list[CardRef] = Field(
        default_factory=list, max_length=6,
        description="What an interviewer asks next: ids of cards in this topic, or topic/id in another.")


class Flashcard(_CardBase):
    type: Literal["flashcard"]
    front: Text
    back: Text


class ChoiceOption(_Model):
    text: Text
    correct: bool = False
    why: Text | None = Field(None, description="Feedback for this option.")


class ChoiceCard(_CardBase):
    type: Literal["choice"]
    prompt: Text
    options: list[ChoiceOption] = Field(min_length=2, max_length=10)
    shuffle: bool = True

    @field_validator("options")  # a field's own validator: the problem is reported at the options
    @classmethod
    def _has_correct_option(cls, options: list[ChoiceOption]) -> list[ChoiceOption]:
        if not any(option.correct for option in options):
            raise ValueError("no option is marked `correct: true`; a choice card needs at least one")
        from quizapp.deck.plaintext import markdown_to_text  # Markdown and math, only when a card is checked

        # Compared as shown: `&#65;dam` and `**Adam**` are "Adam" in plain mode (and to whoever reads them).
        repeated = _first_repeated([_folded(markdown_to_text(option.text)) for option in options])
        if repeated is not None:
            first, again = (options[i].text.strip() for i in repeated)
            written = "" if first == again else f" (written '{_cut(first, 40)}' and '{_cut(again, 40)}')"
            raise ValueError(f"options {repeated[0] + 1} and {repeated[1] + 1} read the same, "
                             f"'{_cut(markdown_to_text(again), 60)}'{written}: make each option say something else")
        return options

    @property
    def correct_indexes(self) -> frozenset[int]:
        return frozenset(i for i, option in enumerate(self.options) if option.correct)


class NumericCard(_CardBase):
    type: Literal["numeric"]
    prompt: Text
    answer: float | list[float] = Field(description="A number, or a list of numbers for a vector answer.")
    tolerance: NumericTolerance | None = None

    @field_validator("answer", mode="before")
    @classmethod
    def _numbers_only(cls, value: Any) -> float | list[float]:
        # One clear message instead of pydantic's two (one per branch of the union).
        if isinstance(value, list):
            if not 1 <= len(value) <= 100:
                raise ValueError("a list answer needs 1 to 100 numbers")
            return [_finite_number(item, f"item {i + 1}: ") for i, item in enumerate(value)]
        return _finite_number(value, "")


class ClozeCard(_CardBase):
    type: Literal["cloze"]
    text: Text

    @field_validator("text")  # reported at the text
    @classmethod
    def _has_deletions(cls, text: str) -> str:
        numbers = cloze_numbers(text)
        if "{{c" in CLOZE_PATTERN.sub("", text):  # `{{c1:x}}` too, which would be "no cloze deletion"
            raise ValueError("malformed cloze deletion: write {{c1::answer}} or {{c1::answer::hint}}")
        if not numbers:
            raise ValueError("no cloze deletion: mark at least one like {{c1::answer}}")
        if 0 in numbers:
            raise ValueError("cloze numbers start at 1: use {{c1::...}}, not {{c0::...}}")
        empty = next((m for m in CLOZE_PATTERN.finditer(text) if not m.group(2).strip()), None)
        if empty is not None:  # a deletion of nothing: its card asks for nothing and takes any answer
            raise ValueError(f"the cloze deletion {empty.group()[:40]} hides nothing: write its answer, "
                             f"{{{{c{empty.group(1)}::answer}}}}")
        if numbers[-1] > MAX_CLOZE_NUMBER:
            raise ValueError(f"cloze numbers go up to c{MAX_CLOZE_NUMBER}; split a longer text into several cards")
        return text

    @property
    def numbers(self) -> tuple[int, ...]:
        return cloze_numbers(self.text)


class GeneratedCard(_CardBase):
    type: Literal["generated"]
    solver: Slug = Field(description="A name from `quizapp generate --list`.")
    difficulty: int = Field(1, ge=1, le=3)


Expr = str  # an expression; its length and meaning are checked by solvers.templates, with the column
NumberOrExpr = Union[int, float, Expr]
ParamName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,31}$")]


class TemplateParam(_Model):
    """How one parameter of a template card is drawn: exactly one of the distributions, and options.

    Its meaning (exactly one distribution, names that resolve, bounds that make sense) is checked by
    `solvers.templates`, which reports each problem at its field and column.
    """

    integers: list[NumberOrExpr] | None = Field(None, description="[lo, hi], inclusive: a whole number.")
    uniform: list[NumberOrExpr] | None = Field(None, description="[lo, hi]: a real number; use round.")
    normal: list[NumberOrExpr] | None = Field(None, description="[mean, sd]: a real number; use round.")
    choice: list[NumberOrExpr] | Expr | None = Field(None, description="One of these items (or a vector's).")
    shuffle: list[NumberOrExpr] | Expr | None = Field(None, description="The items in a random order.")
    expr: Expr | int | float | None = Field(None, description="A derived value computed from earlier parameters.")
    size: int | Expr | None = Field(None, description="Draw a vector of this many values (a number or a name).")
    round: int | None = Field(None, description="Decimals kept at the draw (the prompt shows these numbers).")


class TemplateCard(_CardBase):
    """A generated question written in the content file: parameters, an answer expression, a worked solution."""

    type: Literal["template"]
    params: dict[ParamName, TemplateParam] = Field(
        min_length=1, max_length=50, description="Drawn in order; later ones may use earlier ones.")
    where: Expr | None = Field(None, description="Redraw the parameters until this is true (1,000 tries).")
    prompt: Text = Field(description="{name} shows a parameter, {=expr} or {=expr:.3g} a value, {{ a brace.")
    answer: Expr | int | float = Field(description="An expression giving a number or a vector.")
    tolerance: NumericTolerance | None = None
    solution: Text | None = Field(None, description="Worked answer; `answer` is a name here.")
    difficulty: int = Field(1, ge=1, le=3, description="The difficulty used in review (1-3).")


class CodeCard(_CardBase):
    """A coding drill: the user writes `function`, graded by the registered drill `checker` (in `solvers`)."""

    type: Literal["code"]
    prompt: Text
    function: str = Field(max_length=64, description="The name the user's code must define.")
    checker: Slug = Field(description="A drill from `quizapp drill --list`: inputs, reference, model solution.")
    starter: Annotated[str, StringConstraints(min_length=1, max_length=20_000)] = Field(
        description="Python code the editor starts with; it must define `function` (it is never run).")
    time_limit: float | None = Field(None, gt=0, le=120, allow_inf_nan=False,
                                     description="Seconds for all the checks; the checker's default if absent.")
    hints: list[Text] = Field(default_factory=list, max_length=10, description="Shown one at a time on request.")

    @field_validator("function")
    @classmethod
    def _python_name(cls, value: str) -> str:
        if not value.isidentifier() or keyword.iskeyword(value):
            raise ValueError(f"{value!r} is not a Python function name: use letters, digits and _ (like roc_auc)")
        return value


class KeyPoint(_Model):
    """One thing an interviewer listens for in an answer to an open question."""

    text: OneLine = Field(description="The point, in one short line.")
    keywords: list[OneLine] = Field(
        default_factory=list, max_length=10,
        description="Words that suggest the point was made in a typed answer (a hint, never a verdict).")


class OpenCard(_CardBase):
    """An interview question answered in the candidate's own words, judged by its key points."""

    type: Literal["open"]
    prompt: Text
    key_points: list[KeyPoint] = Field(min_length=2, max_length=8, description="2 to 8 points, each one line.")
    model_answer: Text = Field(description="The answer an interviewer would be glad to hear (Markdown).")
    time_limit: int | None = Field(
        None, ge=15, le=900, description=f"Seconds to answer; {DEFAULT_OPEN_TIME_LIMIT} if absent.")

    @field_validator("key_points")  # reported at the key points, as a choice card's repeated option
    @classmethod
    def _points_differ(cls, points: list[KeyPoint]) -> list[KeyPoint]:
        repeated = _first_repeated([_folded(point.text) for point in points])
        if repeated is not None:  # ticking one would tick a point the list counts twice
            raise ValueError(f"key point appears more than once: {points[repeated[1]].text[:60]!r}")
        return points


Card = Annotated[
    Union[Flashcard, ChoiceCard, NumericCard, ClozeCard, GeneratedCard, TemplateCard, CodeCard, OpenCard],
    Field(discriminator="type"),
]
CARD_TYPES: dict[str, type[_CardBase]] = {
    "flashcard": Flashcard,
    "choice": ChoiceCard,
    "numeric": NumericCard,
    "cloze": ClozeCard,
    "generated": GeneratedCard,
    "template": TemplateCard,
    "code": CodeCard,
    "open": OpenCard,
}


class GlossaryEntry(_Model):
    """An English term and the standard Chinese term for it (the notes' readers search in Chinese)."""

    term: OneLine
    zh: OneLine


class _TopicFields(_Model):
    topic: Slug = Field(description="Unique across all loaded content; review history is keyed by it.")
    title: ShortText
    summary: Text | None = None
    sources: list[ShortText] = Field(default_factory=list)
    glossary: list[GlossaryEntry] = Field(default_factory=list, description="Terms of this topic, English and Chinese.")


class TopicHeader(_TopicFields):
    """A topic file whose cards are checked one by one, so one bad card does not hide the others."""

    cards: list[Any] = Field(min_length=1)


class TopicFile(_TopicFields):
    """The whole file, as editors see it through `quizapp schema`."""

    model_config = ConfigDict(title="quizapp content file")
    cards: list[Card] = Field(min_length=1)


# 1e-3 and 2.5e3 are numbers to a reader and in YAML 1.2, but YAML 1.1 (PyYAML) reads a float only with a dot
# and a signed exponent (1.0e-3), and gives the others as text.
_EXPONENT_NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][-+]?[0-9]+")


def _finite_number(value: Any, prefix: str) -> float:
    number = _as_float(value)
    if number is None or not math.isfinite(number):
        raise ValueError(prefix + _number_problem(value))
    return number


def _as_float(value: Any) -> float | None:
    """The number `value` is, or None when it is no number or an integer beyond the float range."""
    if isinstance(value, str) and _EXPONENT_NUMBER.fullmatch(value):
        return float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return float(value)
    except OverflowError:  # YAML reads an integer of any number of digits
        return None


def _number_problem(value: Any) -> str:
    """Why `value` is no finite number, quoting at most the start of it."""
    from quizapp.deck.values import shown_value, value_and_kind  # as every content message quotes a value
    from solvers import too_large_number  # the words of templates too; numpy is loaded for a bad number

    if isinstance(value, int) and not isinstance(value, bool):
        return too_large_number(value)
    if isinstance(value, float) or isinstance(value, str) and _EXPONENT_NUMBER.fullmatch(value):
        return f"not a finite number: {shown_value(value)}"
    return f"not a number: {value_and_kind(value, 'write a number like 0.75, or a list like [1, 2]')}"


def cloze_numbers(text: str) -> tuple[int, ...]:
    return tuple(sorted({int(match.group(1)) for match in CLOZE_PATTERN.finditer(text)}))


def _folded(text: str) -> str:
    """`text` as two that read the same compare: spaces and case folded."""
    return " ".join(text.casefold().split())


def _first_repeated(keys: list[str]) -> tuple[int, int] | None:
    """(index of the first, index of the second) of the first key seen twice, or None."""
    seen: dict[str, int] = {}
    for index, key in enumerate(keys):
        if key in seen:
            return seen[key], index
        seen[key] = index
    return None


_ESCAPED_BRACE = re.compile(r"\\[{}]")


def cut_cloze_deletion(text: str) -> tuple[int, str] | None:
    """(offset of the `}}`, message) for a deletion that a `}}` of its own braces ends early, or None.

    `{{c1::$\\frac{a}{b^{2}}$}}` ends at the first `}}` (as Anki's cloze parser reads it too): the deletion
    hides `$\\frac{a}{b^{2` and the rest of the answer is shown in the question. A deletion whose braces
    are left open is the sign of it.
    """
    for match in CLOZE_PATTERN.finditer(text):
        inside = _ESCAPED_BRACE.sub("", match.group(2) + (match.group(3) or ""))
        if inside.count("{") > inside.count("}"):
            end = match.end() - 2
            hidden, after = _cut(match.group(2), 30), _cut(text[end + 2:].partition("\n")[0], 30)
            return end, (f"'}}}}' inside a cloze deletion ends it: {{{{c{match.group(1)}::...}}}} hides only "
                         f"'{hidden}' and shows '{after}' in the question (Anki reads it the same way); "
                         "write the braces of the answer apart, '} }' (LaTeX ignores the space)")
    return None


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


# What the JSON Schema can say beyond the models' own constraints, so editors flag it as the user types.
# Free text holds no terminal control or bidi override (the loader's character check); a title and a glossary
# term no zero-width character either; a cloze text at least one well-formed {{cN::...}}.
_NO_CONTROLS = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*$"
_NO_ZERO_WIDTH = "^[^" + "".join(f"\\u{ord(char):04x}" for char in ZERO_WIDTH_BMP) + "]*$"  # without astral ones
_JSON_CLOZE_PART = r"(?:(?!\{\{|\}\}|::)[\s\S])*"  # CLOZE_PATTERN's part, without Python's DOTALL
JSON_CLOZE_PATTERN = r"\{\{c[1-9][0-9]*::" + _JSON_CLOZE_PART + r"(?:::" + _JSON_CLOZE_PART + r")?\}\}"


def content_json_schema(solver_names: Any = None) -> dict[str, Any]:
    """The JSON Schema of a content file; `solver` is an enum of `solver_names` (default: the registry)."""
    if solver_names is None:
        import solvers

        solver_names = solvers.registry()
    schema = TopicFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    _forbid_controls(schema)
    defs = schema["$defs"]
    defs["GeneratedCard"]["properties"]["solver"]["enum"] = sorted(solver_names)
    defs["ChoiceCard"]["properties"]["options"]["contains"] = {
        "description": "At least one option is marked `correct: true`.",
        "properties": {"correct": {"const": True}}, "required": ["correct"]}
    cloze = defs["ClozeCard"]["properties"]["text"]
    cloze["allOf"] = [{"pattern": JSON_CLOZE_PATTERN}]
    cloze["description"] = "Text with at least one deletion like {{c1::answer}} or {{c1::answer::hint}}."
    schema["properties"]["title"]["allOf"] = [{"pattern": _NO_ZERO_WIDTH}]
    for name in ("term", "zh"):  # one line by their own pattern, which the no-control pattern does not replace
        defs["GlossaryEntry"]["properties"][name]["allOf"] = [{"pattern": _NO_CONTROLS}, {"pattern": _NO_ZERO_WIDTH}]
    return schema


def _forbid_controls(node: Any) -> None:
    """Add the no-control-character pattern to every free-text string in the schema."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"pattern", "const", "enum"} & node.keys():
            node["pattern"] = _NO_CONTROLS
        for value in node.values():
            _forbid_controls(value)
    elif isinstance(node, list):
        for value in node:
            _forbid_controls(value)
