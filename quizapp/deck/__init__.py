"""Content files -> a validated Deck. No UI in here."""

from quizapp.deck.errors import ContentError
from quizapp.deck.loader import find_content_files, load_deck, load_file
from quizapp.deck.model import Deck, DeckCard, StudyItem, Topic

__all__ = ["ContentError", "Deck", "DeckCard", "StudyItem", "Topic", "find_content_files", "load_deck", "load_file"]
