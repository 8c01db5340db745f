"""Moving quizapp content and history to and from other tools.

- `anki`: an .apkg package of the deck, one Anki deck per topic, with stable note GUIDs;
- `reviews_csv`: the review log in the FSRS optimizer's CSV layout;
- `optimize`: FSRS parameters fitted to the user's own log;
- `anki_text_import`: an Anki "Notes in Plain Text" export turned into a content file.

Nothing here is imported by the study app; each command imports the module it needs.
"""

__all__: list[str] = []
