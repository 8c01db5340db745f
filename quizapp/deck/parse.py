"""Parse and validate one content file, collecting every problem with its file, line and column.

One bad card never hides the rest: each card is validated on its own, and a file with errors still
contributes its valid cards, so the app can start with what is good and show what is not.
Imported only when a file is read (not served from the content cache): it brings in YAML and pydantic.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from quizapp.deck.errors import ContentError
from quizapp.deck.mathtext import math_problem
from quizapp.deck.messages import describe_error, did_you_mean
from quizapp.deck.values import shown_value
from quizapp.deck.model import DeckCard, GlossaryTerm, Topic
from quizapp.deck.plaintext import nesting_problem
from quizapp.deck.schema import (CARD_TYPES, SLUG_PATTERN, Card, ClozeCard, CodeCard, TemplateCard, TopicHeader,
                                 cut_cloze_deletion)
from quizapp.deck.yamlsource import YamlDocument, YamlProblem, read_yaml
from quizapp.safetext import shown_path, visible
from solvers import short_repr

if TYPE_CHECKING:
    from quizapp.deck.templates import TemplateBudget

__all__ = ["parse_file"]


@cache
def _card_adapter() -> TypeAdapter[Card]:
    return TypeAdapter(Card)  # built on first use, like the models (defer_build)


def parse_file(path: Path, *, solvers: Collection[str] = frozenset(),
               budget: TemplateBudget | None = None) -> tuple[Topic | None, list[ContentError]]:
    """Load one file: the topic with its valid cards (None if the header is unusable) and the problems.
    `budget` is the time left to check templates in a load of several files (by default, this file's own)."""
    try:
        document = read_yaml(path)
    except YamlProblem as problem:
        line, column = (problem.position.line, problem.position.column) if problem.position else (None, None)
        return None, [ContentError(path, line, column, "", problem.message)]
    return _FileLoader(path, document, solvers, budget).load()


class _FileLoader:
    def __init__(self, path: Path, document: YamlDocument, solvers: Collection[str],
                 budget: TemplateBudget | None = None) -> None:
        self.path = path
        self.document = document
        self.solvers = solvers
        self.errors: list[ContentError] = []
        self._source: list[str] | None = None  # the file's lines, split only to place a template's errors
        self.bad_cards: set[int] = set()  # cards with a problem found outside their validation
        self.bad_header = False
        self.bad_terms: set[tuple[Any, Any]] = set()  # (term, zh) of glossary entries with a character problem
        self.budget = budget  # the time for checking templates, shared by the files of one load

    def load(self) -> tuple[Topic | None, list[ContentError]]:
        data = self.document.data
        if not isinstance(data, dict):
            kind = "a list" if isinstance(data, list) else f"a single value ({shown_value(data)})"
            self._error((), "", f"a content file is a mapping (topic:, title:, cards:), not {kind}")
            return None, self.errors
        self._report_text_problems(data)
        header = self._validate_header(data)
        self._report_duplicate_terms(data.get("glossary"))
        cards = self._validate_cards(data.get("cards"))
        self.errors.sort(key=lambda error: (error.line or 0, error.column or 0))  # in file order, for editors
        if header is None or self.bad_header:
            return None, self.errors
        deck_cards = tuple(DeckCard.of(header.topic, card, self.path, line, refs) for card, line, refs in cards)
        name = self.document.position(("topic",))
        topic = Topic(header.topic, header.title, header.summary, tuple(header.sources), self.path,
                      name.line if name else 1, name.column if name else 1, deck_cards, self._glossary(header))
        return topic, self.errors

    def _report_text_problems(self, data: dict[str, Any]) -> None:
        """Characters no value may hold; the card (or the topic, for its own fields) is left out."""
        raw_cards = data.get("cards")
        for problem in self.document.text_problems:
            path = problem.path
            if len(path) >= 2 and path[0] == "cards" and isinstance(path[1], int):
                raw = raw_cards[path[1]] if isinstance(raw_cards, list) and path[1] < len(raw_cards) else None
                where = ": ".join(p for p in (_card_label(path[1], raw), _dotted(path[2:])) if p)
                self.bad_cards.add(path[1])
            else:
                where = _dotted(path)
                entry = _value_at(data, path[:2]) if path[0] == "glossary" and len(path) >= 2 else None
                if isinstance(entry, dict):  # that entry is left out, as one pydantic refuses: the topic still loads
                    self.bad_terms.add((entry.get("term"), entry.get("zh")))
                else:
                    self.bad_header = self.bad_header or path[0] in TopicHeader.model_fields
            self._append(problem.position, where, problem.message)

    def _validate_header(self, data: dict[str, Any]) -> TopicHeader | None:
        try:
            return TopicHeader.model_validate(data)
        except ValidationError as exc:
            for error in _without_missing_explained_by_typos(exc.errors()):
                self._pydantic_error(error, (), "", TopicHeader)
            fatal = any(e["loc"][:1] in {("topic",), ("title",)} for e in exc.errors())
            if fatal:
                return None
            cleaned = {k: v for k, v in data.items() if k in TopicHeader.model_fields}
            _drop_bad_glossary_entries(cleaned, exc.errors())
            cleaned["cards"] = cleaned.get("cards") if isinstance(cleaned.get("cards"), list) else [None]
            try:
                return TopicHeader.model_validate(cleaned)
            except ValidationError:
                return None

    def _report_duplicate_terms(self, raw: Any) -> None:
        """A term listed twice in one topic's glossary (ignoring case, surrounding spaces and how Unicode writes it)."""
        if not isinstance(raw, list):
            return
        seen: dict[str, str] = {}
        for index, entry in enumerate(raw):
            term = entry.get("term") if isinstance(entry, dict) else None
            if not isinstance(term, str) or not term.strip():
                continue
            key = GlossaryTerm.key(term)
            path = ("glossary", index, "term")
            if key in seen:
                self._error(path, f"glossary[{index}].term",
                            f"duplicate glossary term '{term.strip()}': also at {seen[key]}")
            else:
                seen[key] = self._place(path)

    def _glossary(self, header: TopicHeader) -> tuple[GlossaryTerm, ...]:
        """The valid entries, each term once (the duplicates are reported by `_report_duplicate_terms`)."""
        terms: dict[str, GlossaryTerm] = {}
        for entry in header.glossary:
            if (entry.term, entry.zh) in self.bad_terms:
                continue
            terms.setdefault(GlossaryTerm.key(entry.term), GlossaryTerm(entry.term.strip(), entry.zh.strip()))
        return tuple(terms.values())

    def _validate_cards(self, raw_cards: Any) -> list[tuple[Card, int, tuple[tuple[int, int], ...]]]:
        """Valid cards with their line and the (line, column) of each follow-up, checked once all are loaded."""
        if not isinstance(raw_cards, list):
            return []
        cards: list[tuple[Card, int, tuple[tuple[int, int], ...]]] = []
        seen: dict[str, str] = {}  # id -> where it was first written
        for index, raw in enumerate(raw_cards):
            card = self._validate_card(index, raw)
            path = ("cards", index)
            line = self._line(path)
            card_id = raw.get("id") if isinstance(raw, dict) else None
            if isinstance(card_id, str) and card_id in seen:  # an invalid card's id counts too: all in one run
                self._error(
                    path + ("id",),
                    f"{_card_label(index, raw)}: id",
                    f"duplicate card id '{card_id}': also at {seen[card_id]}",
                )
                continue
            if isinstance(card_id, str):
                seen[card_id] = self._place(path + ("id",))
            if card is not None and index not in self.bad_cards and self._drawable(index, raw):
                cards.append((card, line, self._positions(path + ("follow_ups",), len(card.follow_ups))))
        return cards

    def _drawable(self, index: int, raw: dict[str, Any]) -> bool:
        """Whether every text of a valid card can be drawn; what cannot is reported here."""
        drawable = True
        for path, value in _texts(("cards", index), raw):
            problem = (math_problem(value) if "$" in value else None) or nesting_problem(value)
            if problem:
                self._error(path, ": ".join(p for p in (_card_label(index, raw), _dotted(path[2:])) if p), problem)
                drawable = False
        return drawable

    def _validate_card(self, index: int, raw: Any) -> Card | None:
        path = ("cards", index)
        label = _card_label(index, raw)
        try:
            card = _card_adapter().validate_python(raw)
        except ValidationError as exc:
            kind = raw.get("type") if isinstance(raw, dict) else None
            model = CARD_TYPES.get(kind) if isinstance(kind, str) else None
            solver_checked = False
            for error in _without_missing_explained_by_typos(exc.errors()):
                loc = error["loc"]
                if model is not None and loc and loc[0] == kind:
                    loc = loc[1:]  # pydantic puts the union tag first
                if error["type"].startswith("union_tag"):
                    loc = ("type",)
                solver_checked = solver_checked or tuple(loc) == ("solver",)
                self._pydantic_error({**error, "loc": loc}, path, label, model)
            if kind == "generated" and not solver_checked:
                self._known_solver(path, label, raw.get("solver"))  # reported with the card's other problems
            return None
        if card.type == "generated" and not self._known_solver(path, label, card.solver):
            return None
        if isinstance(card, TemplateCard) and not self._template_ok(index, card, label):
            return None
        if isinstance(card, ClozeCard) and (cut := cut_cloze_deletion(card.text)) is not None:
            self._append(self._text_position(path + ("text",), cut[0]), f"{label}: text", cut[1])
            return None
        if isinstance(card, CodeCard):
            problem = _code_card_problem(card)
            if problem is not None:
                self._error(path + (problem[0],), f"{label}: {problem[0]}", problem[1])
                return None
        return card

    def _template_ok(self, index: int, card: TemplateCard, label: str) -> bool:
        """Compile the template and compute a sample of instances; report each problem where it is written."""
        if self.budget is None:  # a file loaded by itself
            from quizapp.deck.templates import TemplateBudget

            self.budget = TemplateBudget()
        place = self._place(("cards", index))
        errors = self.budget.check(card, f"{self.document.data.get('topic')}/{card.id}", self.path, place)
        if errors is None:
            self._error(("cards", index), label, self.budget.unchecked_message(place))
            return False
        for error in errors:
            path = ("cards", index, *error.path)
            where = f"{label}: {_dotted(error.path)}" if error.path else label
            self._append(self._text_position(path, error.offset), where, str(error))
        return not errors

    def _text_position(self, path: tuple[Any, ...], offset: int | None) -> Any:
        """Where column `offset` of the text at `path` is in the file (the value's start if it cannot be told)."""
        from quizapp.deck.templates import locate_in_source

        start = self.document.position(path)
        text = _value_at(self.document.data, path)
        if offset is None or start is None or not isinstance(text, str):
            return start
        if self._source is None:
            self._source = self.document.text.splitlines()  # as read: the file may be another by now
        return locate_in_source(self._source, start, text, offset)
    def _known_solver(self, path: tuple[Any, ...], label: str, solver: Any) -> bool:
        if not isinstance(solver, str) or not re.fullmatch(SLUG_PATTERN, solver) or solver in self.solvers:
            return True  # a missing or malformed name is pydantic's to report
        hint = did_you_mean(solver, self.solvers)
        known = "" if hint else f"; known solvers: {', '.join(sorted(self.solvers)) or 'none'}"
        self._error(path + ("solver",), f"{label}: solver", f"unknown solver '{solver}'{hint}{known}")
        return False

    def _pydantic_error(self, error: Any, base: tuple[Any, ...], label: str, model: type[BaseModel] | None) -> None:
        loc = tuple(error["loc"])
        field = _dotted(loc)
        where = ": ".join(part for part in (label, field) if part)
        message = describe_error(error, model)
        target = base + loc
        if error["type"] == "extra_forbidden":
            position = self.document.key_position(target)
        elif loc and loc[-1] == "[key]":  # a mapping key that breaks its rule (a template parameter's name)
            position = self.document.key_position(target[:-1])
        else:
            position = self.document.position(target)
        self._append(position, where, message)

    def _error(self, path: tuple[Any, ...], where: str, message: str) -> None:
        self._append(self.document.position(path), where, message)

    def _append(self, position: Any, where: str, message: str) -> None:
        line, column = (position.line, position.column) if position else (None, None)
        # Names and values from the file are quoted in messages: shown, never sent, to a terminal.
        self.errors.append(ContentError(self.path, line, column, visible(where), visible(message)))

    def _positions(self, path: tuple[Any, ...], count: int) -> tuple[tuple[int, int], ...]:
        places = [self.document.position(path + (index,)) for index in range(count)]
        return tuple((place.line, place.column) if place else (self._line(path), 1) for place in places)

    def _line(self, path: tuple[Any, ...]) -> int:
        position = self.document.position(path)
        return position.line if position else 1

    def _place(self, path: tuple[Any, ...]) -> str:
        """`file:line:col` of the value at `path`, for a message that points at a second place."""
        position = self.document.position(path)
        path = shown_path(self.path)
        return f"{path}:{position.line}:{position.column}" if position else f"{path}:1:1"



def _code_card_problem(card: CodeCard) -> tuple[str, str] | None:
    """(field, message) when the checker is unknown or the starter does not define the function; the
    starter is read with `ast`, never run."""
    from quizapp.drills.static import starter_problem
    from solvers.drills import drill_names, get_drill

    names = drill_names()
    if card.checker not in names:
        hint = did_you_mean(card.checker, names)
        known = "" if hint else f"; known checkers: {', '.join(sorted(names))}"
        return "checker", f"unknown checker '{card.checker}'{hint}{known} (see `quizapp drill --list`)"
    problem = starter_problem(card.starter, card.function, get_drill(card.checker).params)
    return ("starter", problem) if problem else None


def _drop_bad_glossary_entries(header: dict[str, Any], errors: list[Any]) -> None:
    """Keep the topic when its glossary has a bad entry: leave out that entry (or a glossary that is no list)."""
    locs = [e["loc"] for e in errors if e["loc"][:1] == ("glossary",)]
    if not locs:
        return
    entries = header.get("glossary")
    bad = {loc[1] for loc in locs if len(loc) > 1 and isinstance(loc[1], int)}
    if not isinstance(entries, list) or any(len(loc) == 1 for loc in locs):
        header.pop("glossary", None)
        return
    header["glossary"] = [entry for index, entry in enumerate(entries) if index not in bad]


def _without_missing_explained_by_typos(errors: list[Any]) -> list[Any]:
    """`bak: b` gives "unknown field 'bak'" and "back is missing"; the first, with its suggestion, says it all."""
    unknown = {(e["loc"][:-1], str(e["loc"][-1])) for e in errors if e["type"] == "extra_forbidden" and e["loc"]}

    def explained(error: Any) -> bool:
        if error["type"] != "missing" or not error["loc"]:
            return False
        parent, name = error["loc"][:-1], str(error["loc"][-1])
        return any(p == parent and did_you_mean(typo, [name]) for p, typo in unknown)

    return [error for error in errors if not explained(error)]


def _value_at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
def _texts(path: tuple[Any, ...], value: Any):
    """(path, string) for every string inside a card's raw value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(path + (key,), item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(path + (index,), item)


def _card_label(index: int, raw: Any) -> str:
    card_id = raw.get("id") if isinstance(raw, dict) else None
    if not isinstance(card_id, str):
        return f"cards[{index}]"
    return f"cards[{index}] (id {card_id if len(card_id) <= 40 else short_repr(card_id)})"  # an invalid id may be long


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        name = str(part) if len(str(part)) <= 40 else short_repr(str(part))  # a key of any length may be written
        text += f"[{part}]" if isinstance(part, int) else (f".{name}" if text else name)
    return text
