"""User settings: defaults, then config.toml, then QUIZAPP_* environment variables, validated by pydantic.

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

`Settings` is a frozen dataclass whose annotations carry pydantic constraints, so pydantic validates the
values a user gives while a start with nothing to validate (no config file, or one already validated and
cached) never imports it: pydantic is a quarter of the app's launch time.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from quizapp.errors import UserError

if TYPE_CHECKING:
    from quizapp.filecache import FileCache

__all__ = ["SETTING_NAMES", "Settings", "load_settings", "parse_step", "settings_cache"]

_STEP = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_STEP_HELP = "write a number and a unit, like 1m, 10m, 1h or 1d"


class Limits:
    """Constraints pydantic applies to an annotated field (`ge`, `le`, `pattern`), written without importing it."""

    def __init__(self, **constraints: Any) -> None:
        self.constraints = constraints

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
        return {**handler(source), **self.constraints}


Step = Annotated[str, Limits(pattern=_STEP.pattern)]


def parse_step(text: str) -> timedelta:
    """'10m' -> 10 minutes; units s, m, h, d."""
    match = _STEP.match(text)
    if not match:
        raise ValueError(f"not a step: {text!r} ({_STEP_HELP})")
    return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


@dataclass(frozen=True)
class Settings:
    """What the user can set. Values from a file or the environment go through `load_settings`, which
    validates them; constructing `Settings(...)` directly is for code that passes known-good values."""

    __pydantic_config__ = {"extra": "forbid"}

    desired_retention: Annotated[float, Limits(ge=0.7, le=0.99)] = 0.9
    learning_steps: tuple[Step, ...] = ("1m", "10m")
    relearning_steps: tuple[Step, ...] = ("10m",)
    maximum_interval: Annotated[int, Limits(ge=1, le=36500)] = 36500  # days
    new_per_day: Annotated[int, Limits(ge=0, le=10_000)] = 20
    reviews_per_day: Annotated[int, Limits(ge=0, le=100_000)] = 200
    day_starts_at: Annotated[int, Limits(ge=0, le=23)] = 4  # local hour at which a new study day begins
    enable_fuzzing: bool = True
    fsrs_parameters: tuple[float, ...] | None = None  # from `quizapp optimize`; None = the fsrs defaults
    theme: str = "textual-dark"

    @property
    def learning_deltas(self) -> tuple[timedelta, ...]:
        return tuple(parse_step(step) for step in self.learning_steps)

    @property
    def relearning_deltas(self) -> tuple[timedelta, ...]:
        return tuple(parse_step(step) for step in self.relearning_steps)


SETTING_NAMES = tuple(f.name for f in fields(Settings))
_LIST_SETTINGS = ("learning_steps", "relearning_steps")


def load_settings(
    path: Path | None, env: Mapping[str, str] = os.environ, *, cache: FileCache | None = None
) -> Settings:
    """Defaults, then the TOML file (if it exists), then QUIZAPP_<FIELD> variables.

    With a `cache`, the file's validated values are kept (as plain data) until the file changes.
    """
    file_values: dict[str, Any] = {}
    if path is not None:
        file_values = cache.load(path, _read_file) if cache is not None else _read_file(path)
    overrides = {name: env[f"QUIZAPP_{name.upper()}"] for name in SETTING_NAMES if f"QUIZAPP_{name.upper()}" in env}
    if not overrides:
        return Settings(**file_values)
    origin = {name: str(path) for name in file_values} | {name: f"$QUIZAPP_{name.upper()}" for name in overrides}
    return _validate(file_values | _split_steps(overrides), origin)


def settings_cache(folder: Path) -> FileCache:
    """A cache of validated config files that follows the settings' names, types and limits."""
    from quizapp.filecache import FileCache

    return FileCache(folder, salt=tuple(Settings.__annotations__.items()))  # annotations are text here


def _read_file(path: Path) -> dict[str, Any]:
    """The settings a file gives, validated; only the ones it sets, as plain values."""
    values = _split_steps(_read_toml(path))
    if not values:
        return {}
    settings = _validate(values, {name: str(path) for name in values})
    return {name: getattr(settings, name) for name in values}


def _split_steps(values: dict[str, Any]) -> dict[str, Any]:
    """Steps may also be written as one text: "1m, 10m"."""
    return {name: [step.strip() for step in value.split(",") if step.strip()]
            if name in _LIST_SETTINGS and isinstance(value, str) else value for name, value in values.items()}


def _validate(values: dict[str, Any], origin: Mapping[str, str]) -> Settings:
    from pydantic import ValidationError

    try:
        return _adapter().validate_python(values)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "?"
            problems.append(f"{origin.get(name, 'settings')}: {name}: {_describe(error, name)}")
        raise UserError("bad settings:\n  " + "\n  ".join(problems)) from None


@cache
def _adapter() -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(Settings)


def _describe(error: Any, name: str) -> str:
    if error["type"] == "unexpected_keyword_argument":
        import difflib

        close = difflib.get_close_matches(name, SETTING_NAMES, n=1, cutoff=0.6)
        return f"unknown setting (did you mean '{close[0]}'?)" if close else (
            f"unknown setting; the settings are {', '.join(SETTING_NAMES)}")
    if error["type"] == "string_pattern_mismatch" and name in _LIST_SETTINGS:
        return f"not a step: {error['input']!r} ({_STEP_HELP})"
    return error["msg"]


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read settings file {path}: {exc}") from None
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None
