"""Turning other tools' notes into quizapp content files.

- `anki_text` (+ `anki_text_reader`, `html_markdown`): an Anki "Notes in Plain Text" export -> a content file.
"""

__all__: list[str] = []
