"""Content problems as plain values: what is wrong and where (file:line:col)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["ContentError"]


@dataclass(frozen=True, slots=True)
class ContentError:
    path: Path
    line: int | None
    column: int | None
    where: str  # e.g. "cards[2] (id small-auc): answer"; empty for whole-file problems
    message: str

    @property
    def location(self) -> str:
        place = str(self.path)
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
