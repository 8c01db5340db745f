"""User settings: a pydantic model read from config.toml, overridden by QUIZAPP_* environment variables.

```toml
desired_retention = 0.9
learning_steps = ["1m", "10m"]
relearning_steps = ["10m"]
maximum_interval = 36500   # days
new_per_day = 20
reviews_per_day = 200
day_starts_at = 4          # local hour
enable_fuzzing = true
theme = "textual-dark"
```
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from quizapp.errors import UserError

__all__ = ["Settings", "load_settings", "parse_step"]

_STEP = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
Step = Annotated[str, Field(pattern=_STEP.pattern, examples=["1m", "10m", "1h", "1d"])]


def parse_step(text: str) -> timedelta:
    """'10m' -> 10 minutes; units s, m, h, d."""
    match = _STEP.match(text)
    if not match:
        raise ValueError(f"not a step: {text!r} (write a number and a unit, like 1m, 10m, 1h or 1d)")
    return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    desired_retention: float = Field(0.9, ge=0.7, le=0.99)
    learning_steps: list[Step] = Field(default_factory=lambda: ["1m", "10m"])
    relearning_steps: list[Step] = Field(default_factory=lambda: ["10m"])
    maximum_interval: int = Field(36500, ge=1, le=36500, description="days")
    new_per_day: int = Field(20, ge=0, le=10_000)
    reviews_per_day: int = Field(200, ge=0, le=100_000)
    day_starts_at: int = Field(4, ge=0, le=23, description="local hour at which a new study day begins")
    enable_fuzzing: bool = True
    fsrs_parameters: list[float] | None = Field(None, description="from `quizapp optimize`; None = defaults")
    theme: str = "textual-dark"

    @field_validator("learning_steps", "relearning_steps", mode="before")
    @classmethod
    def _steps_from_text(cls, value: Any) -> Any:
        return [s.strip() for s in value.split(",") if s.strip()] if isinstance(value, str) else value

    @property
    def learning_deltas(self) -> tuple[timedelta, ...]:
        return tuple(parse_step(step) for step in self.learning_steps)

    @property
    def relearning_deltas(self) -> tuple[timedelta, ...]:
        return tuple(parse_step(step) for step in self.relearning_steps)


def load_settings(path: Path | None, env: Mapping[str, str] = os.environ) -> Settings:
    """Defaults, then the TOML file (if it exists), then QUIZAPP_<FIELD> variables."""
    values: dict[str, Any] = _read_toml(path) if path is not None else {}
    origin = {name: str(path) for name in values}
    for name in Settings.model_fields:
        variable = f"QUIZAPP_{name.upper()}"
        if variable in env:
            values[name] = env[variable]
            origin[name] = f"${variable}"
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "?"
            problems.append(f"{origin.get(name, 'settings')}: {name}: {error['msg']}")
        raise UserError("bad settings:\n  " + "\n  ".join(problems)) from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read settings file {path}: {exc}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
