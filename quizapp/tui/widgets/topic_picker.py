"""The topics a quiz or an interview draws from: each topic of the deck by its title, the ones asked for ticked.

A title is data: it is shown as text, never read as markup. None ticked means every topic. A title too long
for the list is cut where it is drawn, with "…" right after its last whole character (quizapp.tui.cut).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from quizapp.deck.model import Topic
from quizapp.plural import counted
from quizapp.safetext import text
from quizapp.tui.cut import CutLine
from quizapp.tui.widgets.ticks import TickList

__all__ = ["TopicPicker", "setup_subtitle"]


def setup_subtitle(only: Collection[str] | None) -> str:
    """A setup screen's subtitle: how many cards a search chose, when one did."""
    if only is None:
        return "set up"
    return f"set up: {counted(len(only), 'card')} found by the search"


class TopicPicker(TickList[str]):
    LABEL = "Topics (none chosen = all)"  # the label a screen puts above it

    def __init__(self, topics: Iterable[Topic], ticked: Collection[str], *, id: str) -> None:
        topics = list(topics)
        super().__init__(*[(text(topic.title, single_line=True), topic.slug, topic.slug in ticked) for topic in topics],
                         id=id)
        for index, topic in enumerate(topics):  # a Selection is made of text; its prompt may then be any Visual
            self.replace_option_prompt_at_index(index, CutLine(topic.title))
