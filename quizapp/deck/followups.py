"""Follow-up chains: which card an interviewer asks next, resolved across the whole deck.

A card's `follow_ups` name cards by id (same topic) or `topic/id`. Resolving them needs every topic, so it
happens once the deck is loaded: each ref either names a loaded card or is a problem (missing, the card
itself, listed twice, or closing a cycle). The graph keeps only the good edges, so it never has a cycle:
a walk along follow-ups always ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


class DeckCard(Protocol):
    """What is read here of `quizapp.deck.model.DeckCard` (which imports this module, so it is not imported)."""

    topic: str
    card: Any  # its `follow_ups` are read

    @property
    def key(self) -> str: ...


class Topic(Protocol):
    slug: str
    cards: Sequence[DeckCard]

    def card(self, card_id: str) -> DeckCard | None: ...

__all__ = ["FollowUpGraph", "FollowUpProblem", "follow_up_graph", "resolve_ref"]


def resolve_ref(topic: str, ref: str) -> str:
    """The card key a follow-up ref names: `id` is in the card's own topic, `topic/id` anywhere."""
    return ref if "/" in ref else f"{topic}/{ref}"


@dataclass(frozen=True, slots=True)
class FollowUpProblem:
    """Follow-up number `index` of `card` cannot be used; `message` says why."""

    card: DeckCard
    index: int
    message: str


@dataclass(frozen=True, slots=True)
class FollowUpGraph:
    """Card key -> the card keys its good follow-ups name, in the order written; no cycles, no self-edges."""

    edges: dict[str, tuple[str, ...]]
    problems: tuple[FollowUpProblem, ...]

    def groups(self) -> dict[str, str]:
        """Card key -> the name of its group (the smallest card key of the group), for every card with an
        edge: cards joined by follow-ups, in either direction, are one group."""
        parent: dict[str, str] = {}

        def root(key: str) -> str:
            parent.setdefault(key, key)
            while parent[key] != key:
                parent[key] = parent[parent[key]]  # halve the path as it is walked
                key = parent[key]
            return key

        for source, targets in self.edges.items():
            for target in targets:
                a, b = root(source), root(target)
                if a != b:
                    parent[max(a, b)] = min(a, b)  # the smaller key stays the root: the group's name
        return {key: root(key) for key in parent}


def follow_up_graph(topics: Iterable[Topic]) -> FollowUpGraph:
    """Resolve every card's follow-ups against the loaded cards of `topics`.

    Cards are found through their topics: most cards have no follow-ups, and a map of every card's key
    would be built at each start for them too.
    """
    by_slug = {topic.slug: topic for topic in topics}

    def card_at(key: str) -> DeckCard | None:
        slug, _, card_id = key.partition("/")
        topic = by_slug.get(slug)
        return topic.card(card_id) if topic is not None else None

    problems: list[FollowUpProblem] = []
    written: dict[str, list[tuple[str, int]]] = {}  # card key -> (target, index of the ref)
    cards: dict[str, DeckCard] = {}  # the cards with follow-ups and their targets
    for topic in by_slug.values():
        for card in topic.cards:
            refs = card.card.follow_ups
            if not refs:
                continue
            key = card.key
            cards[key] = card
            targets: list[tuple[str, int]] = []
            for index, ref in enumerate(refs):
                target = resolve_ref(card.topic, ref)
                found = card_at(target)
                problem = None
                if target == key:
                    problem = "a card is not its own follow-up"
                elif found is None:
                    problem = _missing(ref, target, by_slug)
                elif any(target == seen for seen, _ in targets):
                    problem = f"follow-up '{ref}' is listed twice"
                if problem is not None:
                    problems.append(FollowUpProblem(card, index, problem))
                else:
                    cards[target] = found
                    targets.append((target, index))
            written[key] = targets
    edges, cycles = _without_cycles(written, cards)
    return FollowUpGraph(edges, tuple(problems + cycles))


def _without_cycles(
    written: dict[str, list[tuple[str, int]]], cards: dict[str, DeckCard]
) -> tuple[dict[str, tuple[str, ...]], list[FollowUpProblem]]:
    """Walk depth first in deck order; an edge back to a card on the current path closes a cycle: it is
    reported (at that ref, naming the cycle) and left out. Iterative, so a long chain cannot overflow."""
    ON_PATH, DONE = 1, 2
    state: dict[str, int] = {}
    kept: dict[str, list[str]] = {}
    problems: list[FollowUpProblem] = []
    for start in written:
        if start in state:
            continue
        state[start] = ON_PATH
        path = [start]
        stack: list[tuple[str, Iterator[tuple[str, int]]]] = [(start, iter(written[start]))]
        while stack:
            node, pending = stack[-1]
            for target, index in pending:
                seen = state.get(target)
                if seen == ON_PATH:
                    cycle = [node, *path[path.index(target):]]  # told from the card whose ref closes it
                    problems.append(FollowUpProblem(cards[node], index, _cycle_message(cards[node].topic, cycle)))
                    continue
                kept.setdefault(node, []).append(target)
                if seen is None:
                    state[target] = ON_PATH
                    path.append(target)
                    stack.append((target, iter(written.get(target, ()))))
                    break
            else:
                state[node] = DONE
                path.pop()
                stack.pop()
    return {key: tuple(targets) for key, targets in kept.items()}, problems


_CYCLE_SHOWN = 8


def _cycle_message(topic: str, cycle: list[str]) -> str:
    names = [key.split("/", 1)[1] if key.startswith(topic + "/") else key for key in cycle]
    if len(names) > _CYCLE_SHOWN:  # a cycle through thousands of cards is named by its ends, on one line
        names = [*names[:_CYCLE_SHOWN - 3], f"({len(names) - _CYCLE_SHOWN + 1:,} more)", *names[-2:]]
    return (f"this follow-up closes a cycle: {' -> '.join(names)}; "
            "a chain must end, so remove one of these follow-ups")


def _missing(ref: str, target: str, topics: dict[str, Topic]) -> str:
    import difflib

    slug, card_id = target.split("/", 1)
    topic_ids = [card.card.id for card in topics[slug].cards] if slug in topics else []
    if "/" in ref and not topic_ids:
        loaded = sorted(name for name, topic in topics.items() if topic.cards)
        close = difflib.get_close_matches(slug, loaded, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}/{card_id}'?)" if close else ""
        return f"follow-up '{ref}': no topic '{slug}' is loaded{hint}"
    close = difflib.get_close_matches(card_id, topic_ids, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0] if '/' not in ref else f'{slug}/{close[0]}'}'?)" if close else ""
    return f"follow-up '{ref}': no valid card with id '{card_id}' in topic '{slug}'{hint}"
