"""The interview plan's final review days, as the queue needs them: on the last `FINAL_DAYS` days before the
interview, the cards that would probably be forgotten by then are reviewed too, due or not (see
`quizapp.study.plan` for the plan itself)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import timedelta

from quizapp.config import Settings
from quizapp.deck.model import Deck, StudyItem
from quizapp.study.clock import StudyDay, to_ms
from quizapp.study.interview_day import days_left, final_day
from quizapp.study.scheduling import Scheduling
from quizapp.study.store import CardState, Store

__all__ = ["final_review"]


def final_review(deck: Deck, store: Store, settings: Settings, day: StudyDay, taken: Collection[str],
                 topics: Sequence[str] | None = None) -> list[StudyItem]:
    """On the last `FINAL_DAYS` days before the interview: the cards not due today whose predicted recall when
    the interview's day begins is below the desired retention (least likely recalled first); none on any other
    day. Limited to the plan's topics (and the session's, if it has some); suspended and buried cards stay out."""
    left = days_left(settings, day.day)
    if not final_day(left):
        return []
    on_the_day = day.start + timedelta(days=left)  # when the interview's study day begins
    wanted = set(settings.interview_topics) or None
    if topics:
        wanted = set(topics) & wanted if wanted else set(topics)
    recall = Scheduling(settings).recall
    end_ms = to_ms(day.end)
    hidden = store.hidden_keys(to_ms(day.start))
    chosen = []
    for row in store.cards():
        if row.state != CardState.REVIEW or row.due_ms < end_ms or row.key in taken or row.key in hidden:
            continue
        item = deck.item(row.key)
        if item is None or (wanted is not None and item.topic not in wanted):
            continue
        predicted = recall(row.stability, row.last_review_ms, on_the_day)
        if predicted < settings.desired_retention:
            chosen.append((predicted, item))
    chosen.sort(key=lambda pair: pair[0])
    return [item for _, item in chosen]
