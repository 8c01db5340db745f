"""Moving quizapp content and history to and from other tools.

- `anki` (+ `anki_models`, `html`): the deck as an .apkg package, one Anki deck per topic, stable GUIDs;
- `reviews_csv`: the review log in the FSRS optimizer's CSV layout;
- `optimize` (+ `settings_file`): FSRS parameters fitted to the user's own log, saved to config.toml;
- `anki_text_import` (+ `anki_text`, `html_markdown`): an Anki "Notes in Plain Text" export -> a content file.

Nothing here is imported by the study app; each command imports the module it needs.
"""

__all__: list[str] = []
