"""Writing quizapp content and history in other tools' formats.

- `anki` (+ `anki_models`, `html`): the deck as an .apkg package, one Anki deck per topic, stable GUIDs;
  `anki_schedule`: with `--scheduling`, each card's schedule, FSRS memory state and review log as Anki keeps them;
- `reviews_csv`: the review log in the FSRS optimizer's CSV layout.

Nothing here is imported by the study app; each command imports the module it needs.
"""

__all__: list[str] = []
