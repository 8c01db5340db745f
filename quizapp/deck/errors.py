"""Content problems as plain values: what is wrong and where (file:line:col); the words and the file size
limit that the loader and the reader share (the reader brings in YAML, which a load from the cache avoids)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quizapp.safetext import shown_path

__all__ = ["MAX_FILE_BYTES", "NOT_REGULAR", "ContentError"]

MAX_FILE_BYTES = 2 * 1024 * 1024  # a content file is read no further

# After what a path is instead ("a named pipe (FIFO)", "a symbolic link to a device"): the loader's words and
# the reader's, for a file found to be no regular file as it is opened.
NOT_REGULAR = "not a regular file: a content file is a regular .yaml file; remove it"


@dataclass(frozen=True, slots=True)
class ContentError:
    path: Path
    line: int | None
    column: int | None
    where: str  # e.g. "cards[2] (id small-auc): answer"; empty for whole-file problems
    message: str

    @property
    def location(self) -> str:
        place = shown_path(self.path)  # a newline in a file's name does not start a line of its own
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return place

    def __str__(self) -> str:
        middle = f" {self.where}:" if self.where else ""
        return f"{self.location}:{middle} {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "line": self.line,
            "column": self.column,
            "where": self.where,
            "message": self.message,
        }
