"""The bilingual glossary: every topic's English terms with their standard Chinese terms, searchable both ways.

Topics list their terms in the content file (`glossary:`); here they are merged into one alphabetical list,
a term used by several topics appearing once with all of them. No UI in here: the CLI prints `glossary_table`,
the TUI shows the same rows in a table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.cells import cell_len

from quizapp.deck.model import Deck, GlossaryTerm
from quizapp.deck.search_text import search_form

__all__ = ["GlossaryRow", "glossary_rows", "glossary_table", "pad_cells", "search_glossary"]

_VARIANT_SEPARATOR = " / "


@dataclass(frozen=True, slots=True)
class GlossaryRow:
    """One English term, its Chinese term(s) and the topics (slugs, in deck order) that list it."""

    term: str
    zh: str
    topics: tuple[str, ...]

    def matches(self, query: str) -> bool:
        """A substring of the English term or of the Chinese, as the card search reads text (ignoring case, and
        a space beside a Chinese character: "k 折" finds "k折"); an empty query matches all."""
        needle = search_form(query.strip())
        return not needle or needle in search_form(self.term) or needle in search_form(self.zh)

    def to_dict(self) -> dict[str, object]:
        return {"term": self.term, "zh": self.zh, "topics": list(self.topics)}


def glossary_rows(deck: Deck) -> list[GlossaryRow]:
    """Every glossary term of the deck once, sorted by the English term (ignoring case)."""
    terms: dict[str, tuple[str, list[str], list[str]]] = {}
    for topic in deck.topics:
        for entry in topic.glossary:
            term, variants, topics = terms.setdefault(GlossaryTerm.key(entry.term), (entry.term, [], []))
            for variant in entry.zh.split(_VARIANT_SEPARATOR):
                if variant.strip() and variant.strip() not in variants:
                    variants.append(variant.strip())
            if topic.slug not in topics:
                topics.append(topic.slug)
    rows = [GlossaryRow(term, _VARIANT_SEPARATOR.join(variants), tuple(topics))
            for term, variants, topics in terms.values()]
    return sorted(rows, key=lambda row: (row.term.casefold(), row.term))


def search_glossary(rows: Iterable[GlossaryRow], query: str | None) -> list[GlossaryRow]:
    return [row for row in rows if row.matches(query or "")]


def pad_cells(text: str, width: int) -> str:
    """`text` padded with spaces to `width` terminal cells (a CJK character takes two)."""
    return text + " " * max(0, width - cell_len(text))


def glossary_table(rows: list[GlossaryRow]) -> str:
    """The rows as aligned plain-text columns (term, 中文, topics), measured in terminal cells."""
    header = ("term", "中文", "topics")
    body = [(row.term, row.zh, ", ".join(row.topics)) for row in rows]
    widths = [max(cell_len(line[i]) for line in [header, *body]) for i in range(2)]
    lines = [f"{pad_cells(term, widths[0])}  {pad_cells(zh, widths[1])}  {topics}".rstrip()
             for term, zh, topics in [header, *body]]
    return "\n".join(lines)
