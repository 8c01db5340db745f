"""Counts in words agree with their number."""

from quizapp.plural import counted


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert counted(1, "review") == "1 review"
    assert [counted(n, "review") for n in (0, 2, 11)] == ["0 reviews", "2 reviews", "11 reviews"]


def test_irregular_plurals_and_thousands() -> None:
    assert counted(1, "entry", "entries") == "1 entry"
    assert counted(3, "entry", "entries") == "3 entries"
    assert counted(12_345, "card") == "12,345 cards"
