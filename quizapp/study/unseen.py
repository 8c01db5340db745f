"""Each topic's study items that have no schedule yet (its new cards), remembered between queue builds.

Finding them means looking up every key of the deck among the scheduled ones: at 100,000 cards that is most
of the time a queue takes to build, although it changes only a little between builds. So the keys found for
a topic are kept per store, and used while `Store.scheduled_epoch` stays the same: meanwhile keys only gain
schedules, so the kept keys are filtered again (a few, not the deck) and nothing new can be missing. An undo
of a first review, a reset, or another process's write moves the epoch on, and the keys are looked up afresh.
Nothing outside this module knows the cache exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import filterfalse
from weakref import WeakKeyDictionary

from quizapp.deck.model import Topic
from quizapp.study.store import Store

__all__ = ["unseen_keys"]


@dataclass(slots=True)
class _Kept:
    epoch: int
    topics: dict[str, tuple[Topic, tuple[str, ...]]] = field(default_factory=dict)  # slug -> (topic, its keys)


_kept: WeakKeyDictionary[Store, _Kept] = WeakKeyDictionary()


def unseen_keys(store: Store) -> Callable[[Topic], Iterator[str]]:
    """A function giving the keys of a topic's study items with no schedule in `store` now, in file order (the
    store is asked once here, not once per topic)."""
    scheduled = store.scheduled_keys()
    epoch = store.scheduled_epoch()
    kept = _kept.get(store)
    if kept is None or kept.epoch != epoch:
        kept = _kept[store] = _Kept(epoch)

    def of(topic: Topic) -> Iterator[str]:
        found = kept.topics.get(topic.slug)
        if found is None or found[0] is not topic:  # not looked up yet, or the deck was reloaded
            found = kept.topics[topic.slug] = (topic, tuple(filterfalse(scheduled.__contains__, topic.item_keys)))
        return filterfalse(scheduled.__contains__, found[1])

    return of
