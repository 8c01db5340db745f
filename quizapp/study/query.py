"""The search language of browse, `review --filter`, `quiz --filter`, `card ... --filter` and `export ... --filter`.

    batch norm                  cards whose text holds "batch" and "norm" (case-insensitive, anywhere in a word)
    "batch size"                the phrase; `*` matches any run of characters: `normali*ation`
    topic:auc   topic:deep-*    a topic (`*` matches any run of characters); deck: is the same, as in Anki
    tag:metrics                 a tag (`*` allowed); tag:none, a card with no tags (as in Anki)
    type:cloze                  flashcard, choice, numeric, cloze, generated, template, code or open
    key:auc/roc-def             one card (`topic/id`, or `topic/id#c2` for one deletion; `*` allowed)
    is:due                      due today (not suspended nor buried: by hand, or as the sibling of a card
                                answered today); also is:new, is:learn (learning or relearning), is:review
                                (review or relearning), is:suspended, is:buried, is:leech, is:flagged
    flag:1 .. flag:4, flag:0    a flag colour (or flag:red, orange, green, blue); 0 is no flag
    rated:7                     reviewed (a scheduled review) in the last 7 study days, today included;
                                rated:7:1 answered Again in them (2 Hard, 3 Good, 4 Easy), as in Anki
    introduced:7                first reviewed in the last 7 study days (its first scheduled review ever)
    failed:1                    answered Again in a scheduled review today
    prop:r<0.8                  retrievability now; also prop:d (FSRS difficulty, 1-10), prop:s (stability,
                                days) and prop:due (days until due: 0 today, 1 tomorrow, -1 yesterday);
                                compare with < <= > >= = != (`=` at the precision written: prop:r=0.9
                                is 0.85 <= r < 0.95)
    prop:ivl>=10                the interval: whole days from the last review to the due date (0 while
                                learning; a new card has none); prop:reps<10, scheduled reviews, and
                                prop:lapses>3, times answered Again in review since the last reset (as
                                card info counts them; a new card has 0 of each); whole numbers
    -tag:bn                     not
    a b                         both (AND)
    a OR b                      either (OR, in capitals; it binds looser than AND)
    (a OR b) -c                 grouping

Free text is searched in what a card says (front, back, prompt, options and their feedback, cloze text,
explanation, solution, hints, key points, model answer), never in its field names or id. A space beside a
Chinese or Japanese character does not count, in the card or the query: "k 折" finds "k折" and back (see
`quizapp.deck.search_text`). Quote a term to search for text that looks like a field: `"rated:3"`. A query
that cannot be read raises `QueryError`, a `UserError` that names the problem, shows the query with a caret
under it, and lists what is accepted.

`parse` turns a query into a tree of frozen nodes; `select` (or `matching_keys`) evaluates one over a deck
and a store. Each term becomes a set of study-item keys, read from the store only for the terms used
(marks, states, recent reviews through the review log's time index, memory states through SQL ranges),
and the sets are intersected, joined and complemented. An AND evaluates its cheapest terms first and hands
what they found to the costlier ones, which then look only at those keys (by key in the store, or over
those cards' text) when they are few.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain, compress, repeat
from operator import contains, ge, gt, le, lt

from quizapp.config import Settings
from quizapp.deck.model import Deck, StudyItem
from quizapp.deck.search_text import card_text, search_form
from quizapp.errors import UserError
from quizapp.study.clock import Clock, StudyDay, to_ms
from quizapp.study.queue import buried_siblings
from quizapp.study.scheduling import Scheduling
from quizapp.study.store import FLAG_COLOURS, CardState, Store

__all__ = ["And", "Everything", "Field", "Not", "Or", "Prop", "QueryError", "Recent", "Text", "Node", "TYPES",
           "card_text", "forget_index", "matching_keys", "no_match", "parse", "select", "select_now"]

TYPES = ("flashcard", "choice", "numeric", "cloze", "generated", "template", "code", "open")
IS_VALUES = ("due", "new", "learn", "review", "suspended", "buried", "leech", "flagged")
FIELDS = ("topic", "tag", "type", "key", "is", "flag", "rated", "failed", "introduced", "prop")
ANSWERS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}  # rated:N:E
PROPS = {"r": "retrievability", "d": "difficulty", "s": "stability", "due": "days until due", "ivl": "interval",
         "reps": "reviews", "lapses": "lapses"}
WHOLE_PROPS = ("due", "ivl", "reps", "lapses")  # compared with whole numbers; `=` is that number exactly
COUNTED_PROPS = ("reps", "lapses")  # counted in the review log; a card never reviewed counts 0
OPS = ("<=", ">=", "!=", "<", ">", "=")
MAX_QUERY = 2_000  # characters; a query is typed by a person
MAX_DEPTH = 50  # nested parentheses
DAY_MS = 86_400_000
# Within an AND, a costly term looks only at what the cheaper ones found when that is a small share of the
# deck: a store term looks those keys up one by one (at most 1/8 of the deck: beyond, a scan is quicker), free
# text reads only their cards' text (at most 1/4 of the cards).
KEYED_LOOKUP_SHARE = 8
TEXT_SUBSET_SHARE = 4


class QueryError(UserError):
    """A query that cannot be read: what is wrong, at which column (1-based), and what is accepted."""

    def __init__(self, query: str, column: int, problem: str) -> None:
        self.query, self.column, self.problem = query, column, problem
        super().__init__(f"{problem}\n  {query}\n  {' ' * (column - 1)}^")


# --- the tree ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Everything:
    """The empty query: every card."""


@dataclass(frozen=True, slots=True)
class Text:
    """Free text or a quoted phrase, lower case; `*` in it matches any run of characters."""

    text: str


@dataclass(frozen=True, slots=True)
class Field:
    """topic:, tag:, key: (a glob), type:, is:, flag: (its number, 0 none)."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Recent:
    """rated:N (any rating), rated:N:E (answered E, 1-4), failed:N (Again) or introduced:N (first reviewed),
    over the last N study days."""

    days: int
    failed: bool
    rating: int | None = None  # rated:N:E
    introduced: bool = False


@dataclass(frozen=True, slots=True)
class Prop:
    """prop:r, prop:d, prop:s, prop:due, prop:ivl, prop:reps or prop:lapses compared with a number; `decimals` is
    the precision written."""

    prop: str
    op: str
    value: float
    decimals: int


@dataclass(frozen=True, slots=True)
class Not:
    term: Node


@dataclass(frozen=True, slots=True)
class And:
    terms: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    terms: tuple[Node, ...]


Node = Everything | Text | Field | Recent | Prop | Not | And | Or


# --- reading a query ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "(", ")", "-", "OR", "word"
    text: str  # a word without its quotes
    column: int  # 1-based
    quoted: bool = False  # the whole word was in quotes: always free text
    field_end: int = 0  # for field:value, the length of "field:" (0: not a field term)


def parse(query: str) -> Node:
    """The tree of a query; QueryError says where a query cannot be read."""
    if len(query) > MAX_QUERY:
        raise QueryError(query[:60] + "...", 1, f"a query holds at most {MAX_QUERY} characters")
    tokens = list(_tokens(query))
    if not tokens:
        return Everything()
    parser = _Parser(query, tokens)
    node = parser.alternatives(0)
    if parser.position < len(tokens):  # only a stray ")" stops the top level early
        raise QueryError(query, tokens[parser.position].column, "a ')' without its '('")
    return node


def _tokens(query: str) -> Iterator[_Token]:
    i, n = 0, len(query)
    while i < n:
        char = query[i]
        if char.isspace():
            i += 1
        elif char in "()":
            yield _Token(char, char, i + 1)
            i += 1
        elif char == "-" and (i + 1 == n or query[i + 1].isspace()):
            raise QueryError(query, i + 1, "a '-' must be followed by the term it negates, as in -tag:bn")
        elif char == "-":
            yield _Token("-", "-", i + 1)
            i += 1
        else:
            token, i = _word(query, i)
            yield token


def _word(query: str, start: int) -> tuple[_Token, int]:
    """A word from `start`, up to a space or a parenthesis outside quotes; quotes are dropped."""
    parts, i, n = [], start, len(query)
    first_close = None  # where a quote that opens the word closes
    quoted = False
    field_end = 0  # the length of "name:" when the word has an unquoted colon before any quote
    while i < n and not query[i].isspace() and query[i] not in "()":
        if query[i] == '"':
            close = query.find('"', i + 1)
            if close < 0:
                raise QueryError(query, i + 1, 'a quote without its closing quote: write "batch size"')
            first_close = close if i == start else first_close
            quoted = True
            parts.append(query[i + 1:close])
            i = close + 1
        else:
            if query[i] == ":" and not field_end and not quoted:
                field_end = i - start + 1
            parts.append(query[i])
            i += 1
    text = "".join(parts)
    if text == "OR" and not quoted:
        return _Token("OR", text, start + 1), i
    whole_quoted = first_close is not None and first_close + 1 == i
    return _Token("word", text, start + 1, quoted=whole_quoted, field_end=0 if whole_quoted else field_end), i


class _Parser:
    """alternatives := sequence ("OR" sequence)*; sequence := unary+; unary := "-" unary | "(" alternatives ")" | term"""

    def __init__(self, query: str, tokens: list[_Token]) -> None:
        self.query, self.tokens, self.position = query, tokens, 0

    def _peek(self) -> _Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _fail(self, token: _Token | None, problem: str) -> QueryError:
        column = token.column if token is not None else len(self.query.rstrip()) + 1
        return QueryError(self.query, column, problem)

    def alternatives(self, depth: int) -> Node:
        terms = [self.sequence(depth)]
        while (token := self._peek()) is not None and token.kind == "OR":
            self.position += 1
            if self._peek() is None or self._peek().kind in (")", "OR"):
                raise self._fail(self._peek(), "OR needs a term on each side, as in topic:auc OR topic:bn")
            terms.append(self.sequence(depth))
        return terms[0] if len(terms) == 1 else Or(tuple(terms))

    def sequence(self, depth: int) -> Node:
        terms = []
        while (token := self._peek()) is not None and token.kind not in ("OR", ")"):
            terms.append(self.unary(depth))
        if not terms:
            token = self._peek()
            if token is not None and token.kind == ")" and depth == 0:
                raise self._fail(token, "a ')' without its '('")
            if token is not None and token.kind == "OR":
                raise self._fail(token, "OR needs a term on each side, as in topic:auc OR topic:bn")
            raise self._fail(token, "a '(' holds at least one term" if token else "a term is missing here")
        return terms[0] if len(terms) == 1 else And(tuple(terms))

    def unary(self, depth: int) -> Node:
        token = self.tokens[self.position]
        self.position += 1
        if token.kind == "-":
            negations = 1
            while (following := self._peek()) is not None and following.kind == "-":  # --a is a
                negations += 1
                self.position += 1
            if following is None or following.kind in (")", "OR"):
                raise self._fail(token, "a '-' must be followed by the term it negates, as in -tag:bn")
            term = self.unary(depth)
            return Not(term) if negations % 2 else term
        if token.kind == "(":
            if depth >= MAX_DEPTH:
                raise self._fail(token, f"parentheses nest at most {MAX_DEPTH} deep")
            if self._peek() is not None and self._peek().kind == ")":
                raise self._fail(token, "a '(' holds at least one term")
            node = self.alternatives(depth + 1)
            closing = self._peek()
            if closing is None or closing.kind != ")":
                raise self._fail(token, "a '(' without its ')'")
            self.position += 1
            return node
        return _term(self.query, token)


def _term(query: str, token: _Token) -> Node:
    if not token.field_end:
        if not token.text.strip():
            raise QueryError(query, token.column, 'an empty phrase: write the words inside the quotes, "batch size"')
        return Text(search_form(token.text))
    name, value = token.text[:token.field_end - 1].lower(), token.text[token.field_end:]
    name = _ALIASES.get(name, name)
    if name not in FIELDS:
        if not name.isalpha():  # "3:4", "http://...": text with a colon in it
            return Text(search_form(token.text))
        raise QueryError(query, token.column, f"unknown search field {name}: at column {token.column}; use "
                         + ", ".join(f"{field}:" for field in FIELDS)
                         + f'. To search for the text, quote it: "{token.text}"')
    if not value:
        raise QueryError(query, token.column, f"{name}: needs a value, as in {_EXAMPLES[name]}")
    return _FIELD_READERS[name](query, token, name, value)


_ALIASES = {"deck": "topic"}  # Anki's word: a topic is exported as one deck, and Anki users type deck:
_EXAMPLES = {"topic": "topic:auc*", "tag": "tag:metrics", "type": "type:cloze", "key": "key:auc/roc-def",
             "is": "is:due", "flag": "flag:1", "rated": "rated:7", "failed": "failed:1", "introduced": "introduced:7",
             "prop": "prop:r<0.8"}


def _glob_field(query: str, token: _Token, name: str, value: str) -> Node:
    return Field(name, value.lower())


def _type_field(query: str, token: _Token, name: str, value: str) -> Node:
    if value.lower() not in TYPES:
        raise QueryError(query, token.column, f"unknown type:{value} at column {token.column}; use "
                         + ", ".join(f"type:{kind}" for kind in TYPES))
    return Field("type", value.lower())


def _is_field(query: str, token: _Token, name: str, value: str) -> Node:
    if value.lower() not in IS_VALUES:
        raise QueryError(query, token.column, f"unknown is:{value} at column {token.column}; use "
                         + ", ".join(f"is:{state}" for state in IS_VALUES))
    return Field("is", value.lower())


def _flag_field(query: str, token: _Token, name: str, value: str) -> Node:
    by_name = {colour: str(number) for number, colour in FLAG_COLOURS.items()}
    number = by_name.get(value.lower(), value)
    if number not in {"0", *map(str, FLAG_COLOURS)}:
        raise QueryError(query, token.column, f"unknown flag:{value} at column {token.column}; use flag:0 (none), "
                         + ", ".join(f"flag:{n} ({colour})" for n, colour in FLAG_COLOURS.items()))
    return Field("flag", number)


def _recent_field(query: str, token: _Token, name: str, value: str) -> Node:
    days, colon, answer = value.partition(":") if name == "rated" else (value, "", "")
    if not days.isdigit() or not 1 <= int(days) <= 36_500:
        raise QueryError(query, token.column, f"{name}:{value} at column {token.column}: give a number of days "
                         f"from 1 (today) up, as in {name}:1 or {name}:7")
    if colon and (not answer.isdigit() or int(answer) not in ANSWERS):
        answers = [f"{n} ({word})" for n, word in ANSWERS.items()]
        raise QueryError(query, token.column, f"rated:{value} at column {token.column}: the answer after the days "
                         f"is {', '.join(answers[:-1])} or {answers[-1]}, as in rated:{days}:1")
    return Recent(int(days), failed=name == "failed", rating=int(answer) if answer else None,
                  introduced=name == "introduced")


_PROP = re.compile(r"(?P<prop>[a-z]+)(?P<op><=|>=|!=|<|>|=)(?P<value>-?\d+(?:\.(?P<decimals>\d+))?)", re.IGNORECASE)
_PROP_RANGES = {"r": (0.0, 1.0), "d": (1.0, 10.0), "s": (0.0, 36_500.0), "due": (-36_500.0, 36_500.0),
                "ivl": (0.0, 36_500.0), "reps": (0.0, 1_000_000.0), "lapses": (0.0, 1_000_000.0)}


def _prop_field(query: str, token: _Token, name: str, value: str) -> Node:
    accepted = "; use prop:r<0.8 (retrievability), prop:d>7 (difficulty), prop:s>30 (stability, days), " \
               "prop:due<3 (days until due), prop:ivl>=10 (interval, days), prop:reps<10 (reviews) or " \
               "prop:lapses>3 (lapses), with < <= > >= = !="
    match = _PROP.fullmatch(value)
    if match is None or match["prop"].lower() not in PROPS:
        raise QueryError(query, token.column, f"cannot read prop:{value} at column {token.column}{accepted}")
    prop, number = match["prop"].lower(), float(match["value"])
    low, high = _PROP_RANGES[prop]
    if not low <= number <= high or (prop in WHOLE_PROPS and match["decimals"]):
        if prop in WHOLE_PROPS:
            unit = " of days" if prop in ("due", "ivl") else ""
            kind = f"a whole number{unit}" + ("" if prop == "due" else f" from 0 to {high:,.0f}")
        else:
            kind = f"a number from {low:g} to {high:g}"
        raise QueryError(query, token.column, f"prop:{prop} compares with {kind}, not {match['value']} "
                         f"(column {token.column})")
    return Prop(prop, match["op"], number, len(match["decimals"] or ""))


_FIELD_READERS = {"topic": _glob_field, "tag": _glob_field, "key": _glob_field, "type": _type_field,
                  "is": _is_field, "flag": _flag_field, "rated": _recent_field, "failed": _recent_field,
                  "introduced": _recent_field,
                  "prop": _prop_field}


# --- evaluating a query ------------------------------------------------------------------------------


def select(query: str | Node, deck: Deck, store: Store, scheduling: Scheduling, now: datetime, *,
           day: StudyDay | None = None, settings: Settings | None = None) -> list[StudyItem]:
    """The study items that match `query`, in deck order.

    `day` is the study day `now` falls in (is:due means due before it ends; rated:N counts from its start);
    without it, is:due means due by `now` and rated:N counts N x 24 hours back. With `settings` too, the
    siblings of cards answered today count as buried (as today's queue leaves them out), not as due.
    """
    index = _index(deck)
    return index.in_deck_order(_evaluate(query, index, store, scheduling, now, day, settings))


def select_now(query: str | Node, deck: Deck, store: Store, settings: Settings, clock: Clock) -> list[StudyItem]:
    """`select` at the clock's time, on the user's study day: what the front ends and commands call."""
    global _last_scheduling
    now = clock.now()
    day = StudyDay.containing(now, clock.tz, settings.day_starts_at)
    if _last_scheduling is None or _last_scheduling[0] is not settings:  # fsrs takes milliseconds to set up
        _last_scheduling = (settings, Scheduling(settings))
    return select(query, deck, store, _last_scheduling[1], now, day=day, settings=settings)


_last_scheduling: tuple[Settings, Scheduling] | None = None


def no_match(query: str, deck: Deck) -> str:
    """What a front end says of a search that finds no card: that it found none, and a hint. A bare word searches
    what cards say, never their ids (`interview --filter open-fight-vanishing`, a card's id, found nothing and
    the app went home without a word): a word that is a card's id, or its `topic/id`, is named with the `key:`
    that finds it."""
    words = {term.text for term in _free_text(parse(query))}
    cards = dict.fromkeys(key.split("#", 1)[0] for key in deck.keys())  # every deletion of a cloze card: one
    keys = [card for card in cards if card.lower() in words or card.partition("/")[2].lower() in words]
    said = f"no card matches the search {query!r}"
    if keys:
        return (f"{said}: a bare word searches what cards say, not their ids; "
                + " or ".join(f"key:{key}" for key in keys[:3]) + " finds the card with that id")
    return (f"{said}: a bare word searches what cards say (key:topic/id matches a card's id, topic:T a topic, "
            "* any run of characters); try it in browse (/), or loosen it")


def _free_text(node: Node) -> Iterator[Text]:
    """The free-text terms of a query that must match (not under a NOT)."""
    if isinstance(node, Text):
        yield node
    elif isinstance(node, And | Or):
        for term in node.terms:
            yield from _free_text(term)


def matching_keys(query: str | Node, deck: Deck, store: Store, scheduling: Scheduling, now: datetime, *,
                  day: StudyDay | None = None, settings: Settings | None = None) -> set[str]:
    """The keys of the study items that match `query` (see `select`)."""
    index = _index(deck)
    return _evaluate(query, index, store, scheduling, now, day, settings) & index.universe


def _evaluate(query: str | Node, index: _DeckIndex, store: Store, scheduling: Scheduling, now: datetime,
              day: StudyDay | None, settings: Settings | None = None) -> set[str] | frozenset[str]:
    """The keys a query finds; those the store knows but the deck no longer has (orphans) may be among them."""
    node = parse(query) if isinstance(query, str) else query
    return _Evaluation(index, store, scheduling, now, day, settings).keys(node)


class _DeckIndex:
    """Lookups over one deck's study items, each built the first time a query needs it."""

    def __init__(self, deck: Deck) -> None:
        self.deck = deck
        self.universe: frozenset[str] = deck.item_keys
        self._texts: tuple[list[str], list[tuple[str, ...]]] | None = None
        self._tags: dict[str, set[str]] | None = None
        self._types: dict[str, set[str]] | None = None
        self._items: tuple[StudyItem, ...] = tuple(deck.items())
        self._keys: tuple[str, ...] = tuple(item.key for item in self._items)
        self._positions: dict[str, int] | None = None
        self._card_of: dict[str, int] | None = None

    def in_deck_order(self, keys: Collection[str]) -> list[StudyItem]:
        """The deck's items among `keys`, in deck order (keys the deck lacks are left out): a few are sorted by
        position, many are picked out of the deck."""
        if len(keys) * 16 > len(self._items):
            return list(compress(self._items, map(keys.__contains__, self._keys)))
        if self._positions is None:
            self._positions = {key: n for n, key in enumerate(self._keys)}
        found = (self._positions.get(key) for key in keys)
        return [self._items[n] for n in sorted(n for n in found if n is not None)]

    def texts(self) -> tuple[list[str], list[tuple[str, ...]]]:
        """Every card's search text (lower case, single-spaced, a field a line), and alongside, its study
        items' keys."""
        if self._texts is None:
            texts, keys, previous = [], [], None
            for item in self._items:  # a card's items come one after another (a cloze card's deletions)
                if item.card is previous:
                    keys[-1] += (item.key,)
                else:
                    previous = item.card
                    texts.append(item.card.search_text)
                    keys.append((item.key,))
            self._texts = (texts, keys)
        return self._texts

    def cards_of(self, keys: Iterable[str]) -> set[int]:
        """Where in `texts()` the cards of these study items are (keys the deck lacks are left out)."""
        if self._card_of is None:
            self._card_of = {key: n for n, card_keys in enumerate(self.texts()[1]) for key in card_keys}
        return set(map(self._card_of.get, keys)) - {None}

    def tags(self) -> dict[str, set[str]]:
        if self._tags is None:
            self._tags = {}
            for card in self.deck.cards():
                for tag in card.card.tags:
                    self._tags.setdefault(tag.lower(), set()).update(item.key for item in card.study_items())
        return self._tags

    def types(self) -> dict[str, set[str]]:
        if self._types is None:
            self._types = {}
            for topic in self.deck.topics:
                for item in topic.items:
                    self._types.setdefault(item.card.type, set()).add(item.key)
        return self._types


_last_index: _DeckIndex | None = None  # the deck searched last (a deck never changes; a reload makes a new one)


def forget_index() -> None:
    """Drop the index of the deck searched last: a reload calls it, so the old deck is freed when the front end
    lets go of it rather than by the next search (which at 100,000 cards would spend 150 ms freeing it)."""
    global _last_index
    _last_index = None


def _index(deck: Deck) -> _DeckIndex:
    global _last_index
    if _last_index is None or _last_index.deck is not deck:
        _last_index = _DeckIndex(deck)
    return _last_index


class _Glob:
    """`*` matches any run of characters but a line break (within one field); the rest is itself, in any case.

    Matched piece by piece with `str.find`, never as a regex of `.*`, which backtracked: 'batch*norm*z' over a
    card of 'batch norm ' 1,800 times took 76 s, and a tag search with eight stars never ended.
    """

    def __init__(self, pattern: str) -> None:
        self.pieces = pattern.lower().split("*")

    def search(self, text: str) -> bool:
        """Whether the pieces occur in order within one line of `text` (a search text, lower case already)."""
        if not _in_order(text, self.pieces):
            return False  # most cards, found without splitting them into lines
        return any(_in_order(line, self.pieces) for line in text.split("\n"))

    def fullmatch(self, text: str) -> bool:
        text = text.lower()
        first, *rest = self.pieces
        if not rest:
            return text == first
        *middle, last = rest
        return ("\n" not in text and len(text) >= len(first) + len(last) and text.startswith(first)
                and text.endswith(last) and _in_order(text[len(first):len(text) - len(last)], middle))


def _in_order(text: str, pieces: list[str]) -> bool:
    """Whether `pieces` occur in `text` one after another (the leftmost place of each is the best one)."""
    position = 0
    for piece in pieces:
        found = text.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True


_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
_COMPARE = {"<": lt, "<=": le, ">": gt, ">=": ge}


class _Evaluation:
    """Each node's keys among a set of candidates (None: the whole deck): an AND hands what its cheaper terms
    found to the costlier ones, which then look only at those (the store by key, free text over their cards)."""

    def __init__(self, index: _DeckIndex, store: Store, scheduling: Scheduling, now: datetime,
                 day: StudyDay | None, settings: Settings | None = None) -> None:
        self.index, self.store, self.scheduling, self.now, self.day = index, store, scheduling, now, day
        self.settings = settings
        self.now_ms = to_ms(now)
        self._buried_siblings: set[str] | None = None

    def buried_siblings(self) -> set[str]:
        """Today's items buried as siblings of a card answered today (none without the day and settings)."""
        if self._buried_siblings is None:
            known = self.day is not None and self.settings is not None
            self._buried_siblings = (buried_siblings(self.index.deck, self.store, self.settings, self.now, self.day)
                                     if known else set())
        return self._buried_siblings

    def keys(self, node: Node, among: Keys | None = None) -> Keys:
        """The keys `node` finds, within `among` when it is given (without it, orphans may be among them)."""
        if isinstance(node, And):
            return self._all(node.terms, among)
        if isinstance(node, Or):
            return set().union(*(self.keys(term, among) for term in node.terms))
        if isinstance(node, Not):
            return self._pool(among) - self.keys(node.term, among)
        if isinstance(node, Everything):
            return self._pool(among)
        if isinstance(node, Text):
            found = self._text(node.text, among)
        elif isinstance(node, Field):
            found = self._field(node.name, node.value, among)
        elif isinstance(node, Recent):
            found = self._recent(node, among)
        else:
            found = self._prop(node, among)
        return found if among is None else found & among

    def _pool(self, among: Keys | None) -> Keys:
        return self.index.universe if among is None else among

    def _few(self, among: Keys | None) -> Keys | None:
        """`among` when it is small enough that looking its keys up in the store beats a scan of a table."""
        small = among is not None and len(among) * KEYED_LOOKUP_SHARE <= len(self.index.universe)
        return among if small else None

    def _all(self, terms: Iterable[Node], among: Keys | None) -> Keys:
        """The positive terms, cheapest first, each within what the ones before found; then the negated ones
        taken away, each looked for only there."""
        terms = tuple(terms)
        result = among
        for term in sorted((t for t in terms if not isinstance(t, Not)), key=_cost):
            result = self.keys(term, result)
        for term in (t.term for t in terms if isinstance(t, Not)):
            result = self._pool(result) - self.keys(term, result)
        return result

    def _text(self, text: str, among: Keys | None) -> set[str]:
        texts, keys = self.index.texts()
        if among is not None and len(among) * TEXT_SUBSET_SHARE <= len(texts):
            cards = self.index.cards_of(among)
            texts, keys = [texts[n] for n in cards], [keys[n] for n in cards]
        if "*" in text:
            hits = map(_Glob(text).search, texts)
        else:
            hits = map(contains, texts, repeat(text))  # `text in card_text` for every card, at C speed
        return set(chain.from_iterable(compress(keys, hits)))

    def _field(self, name: str, value: str, among: Keys | None) -> Keys:
        if name == "topic":
            match = _Glob(value).fullmatch
            return {key for topic in self.index.deck.topics if match(topic.slug) for key in topic.item_keys}
        if name == "tag" and value == "none":
            return self._pool(among) - set().union(*self.index.tags().values())
        if name == "tag":
            match = _Glob(value).fullmatch
            return {key for tag, keys in self.index.tags().items() if match(tag) for key in keys}
        if name == "type":
            return self.index.types().get(value, set())
        if name == "key":
            match = _Glob(value).fullmatch
            return {key for key in self._pool(among) if match(key) or match(key.split("#", 1)[0])}
        if name == "flag":
            if value == "0":
                return self._pool(among) - self.store.keys_marked("flagged", among=self._few(among))
            return self.store.keys_marked(f"flag{value}", among=self._few(among))
        return self._is(value, among)

    def _is(self, value: str, among: Keys | None) -> Keys:
        store, few = self.store, self._few(among)
        if value == "due":
            until = to_ms(self.day.end) - 1 if self.day is not None else self.now_ms
            return store.keys_due(until, among=few) - store.hidden_keys(self.now_ms) - self.buried_siblings()
        if value == "new":
            return self._pool(among) - store.scheduled_keys()
        if value == "learn":
            return store.keys_in_state((CardState.LEARNING, CardState.RELEARNING), among=few)
        if value == "review":
            return store.keys_in_state((CardState.REVIEW, CardState.RELEARNING), among=few)
        marked = store.keys_marked(value, self.now_ms, among=few)  # suspended, buried, leech, flagged
        return marked | (self.buried_siblings() & self._pool(among)) if value == "buried" else marked

    def _recent(self, node: Recent, among: Keys | None) -> set[str]:
        if self.day is not None:
            since = to_ms(self.day.start - timedelta(days=node.days - 1))
        else:
            since = self.now_ms - node.days * DAY_MS
        if node.introduced:
            return self.store.keys_introduced_since(since, among=self._few(among))
        return self.store.keys_reviewed_since(since, rating=1 if node.failed else node.rating,
                                              among=self._few(among))

    def _prop(self, node: Prop, among: Keys | None) -> set[str]:
        few = self._few(among)
        if node.op in ("=", "!="):  # at the precision written: [value - half, value + half); whole ones exactly
            half = 0.5 * 10 ** -node.decimals
            equal = [(">=", node.value), ("<=", node.value)] if node.prop in WHOLE_PROPS else \
                [(">=", node.value - half), ("<", node.value + half)]
            within = self._bounds(node.prop, equal, few)
            return within if node.op == "=" else self._bounds(node.prop, [], few) - within
        return self._bounds(node.prop, [(node.op, node.value)], few)

    def _bounds(self, prop: str, bounds: list[tuple[str, float]], among: Keys | None) -> Keys:
        """Scheduled cards (of `among`, when given) whose property meets every bound; for reps and lapses, any
        card (one never reviewed counts 0)."""
        store = self.store
        if prop in COUNTED_PROPS:
            if all(_COMPARE[op](0, value) for op, value in bounds):  # so does every card never counted
                return self._pool(among) - store.keys_counted(prop, bounds, among=among, failing=True)
            return store.keys_counted(prop, bounds, among=among)
        if prop == "ivl":
            return store.keys_within("interval", bounds, among=among)
        if prop == "d":
            return store.keys_within("difficulty", bounds, among=among)
        if prop == "s":
            return store.keys_within("stability", bounds, among=among)
        if prop == "due":
            return store.keys_within("due_ms", [_due_bound(op, value, self._day_start_ms()) for op, value in bounds],
                                     among=among)
        # Recall falls as elapsed days / stability grows: r < x exactly when elapsed > ratio(x) x stability.
        ratios = []
        for op, value in bounds:
            if value <= 0:
                if op in ("<", "<="):
                    ratios.append(("<", -1.0))  # nothing has recall below 0 (or at it, once reviewed)
                continue  # every card has recall above a bound at or under 0
            if value >= 1:
                if op in (">", ">="):
                    ratios.append(("<", -1.0))  # recall reaches 1 only at the moment of review: none
                continue
            ratios.append((_FLIPPED[op], self.scheduling.days_per_stability_at(value)))
        return store.keys_within("elapsed", ratios, self.now_ms, among=among)

    def _day_start_ms(self) -> int:
        return to_ms(self.day.start) if self.day is not None else self.now_ms


Keys = set[str] | frozenset[str]
# What a term costs over the whole deck, roughly: marks, due dates and the deck's own lookups are cheap; recent
# reviews and states read more rows; difficulty, stability, recall and key globs look at every card; free text
# reads every card's text.
_COSTS = {"topic": 0, "tag": 0, "type": 0, "flag": 0, "is": 0, "key": 2}
_COSTLIER_IS = {"learn": 1, "review": 1, "new": 1}


def _cost(node: Node) -> int:
    if isinstance(node, Field):
        return _COSTLIER_IS.get(node.value, 0) if node.name == "is" else _COSTS[node.name]
    if isinstance(node, Recent):
        return 1
    if isinstance(node, Prop):
        return 0 if node.prop == "due" else 2
    if isinstance(node, Text):
        return 3
    if isinstance(node, Not):
        return _cost(node.term)
    if isinstance(node, (And, Or)):
        return max(map(_cost, node.terms))
    return 0  # Everything


def _due_bound(op: str, days: float, day_start_ms: int) -> tuple[str, float]:
    """A bound on whole days until due (0 today) as a bound on due_ms: day d runs [start + d, start + d + 1)."""
    edge = day_start_ms + int(days) * DAY_MS
    if op == "<":
        return "<", edge
    if op == "<=":
        return "<", edge + DAY_MS
    if op == ">":
        return ">=", edge + DAY_MS
    return ">=", edge
