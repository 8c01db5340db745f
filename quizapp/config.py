"""User settings: defaults, then config.toml, then QUIZAPP_<NAME> environment variables, validated by pydantic.

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

[keymap]                   # binding id (or a bare name: every screen's) -> keys; see the README's table
bury = "b"
"review.suspend" = "ctrl+s"
sync_dir = "~/Sync"        # optional: study on several machines (see README)
```
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator

from quizapp.errors import UserError
from quizapp.saferead import FileRefused, read_regular
from quizapp.safetext import shown_path

__all__ = ["MAX_CONFIG_BYTES", "SETTING_NAMES", "Settings", "load_settings", "parse_step"]

MAX_CONFIG_BYTES = 1 << 20  # a settings file is a few lines; anything larger is not one
_STEP = re.compile(r"^\s*(\d{1,9}(?:\.\d{1,6})?)\s*([smhd])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_STEP_HELP = "write a number and a unit, like 1m, 10m, 1h or 1d"

Step = Annotated[str, StringConstraints(pattern=_STEP.pattern)]


def parse_step(text: str) -> timedelta:
    """'10m' -> 10 minutes; units s, m, h, d."""
    match = _STEP.match(text)
    if not match:
        raise ValueError(f"not a step: {text!r} ({_STEP_HELP})")
    return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


class Settings(BaseModel):
    """What the user can set. Build one with `load_settings`, or directly with known values in code and tests."""

    # Built on first validation: a start with nothing to validate (no config file, no QUIZAPP_ variable) skips it.
    # Descriptions are `Field(description=...)`, not attribute docstrings: those make pydantic read and parse
    # this file's source at import, a cost every start would pay.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    desired_retention: float = Field(
        0.9, ge=0.7, le=0.99, description="The share of reviews you want to recall; higher means more reviews.")
    learning_steps: tuple[Step, ...] = Field(
        ("1m", "10m"), description="Waits between the first reviews of a new card, like 1m, 10m, 1h or 1d.")
    relearning_steps: tuple[Step, ...] = Field(
        ("10m",), description="Waits between reviews of a card you forgot, until it is back in review.")
    maximum_interval: int = Field(36500, ge=1, le=36500, description="The longest wait between two reviews, in days.")
    new_per_day: int = Field(20, ge=0, le=10_000, description="New cards introduced per study day.")
    new_per_day_per_topic: int | None = Field(
        None, ge=0, le=10_000, description="New cards introduced per study day from any one topic; unset means no "
        "limit of its own.")
    reviews_per_day: int = Field(200, ge=0, le=100_000, description="Reviews of review-state cards per study day.")
    day_starts_at: int = Field(4, ge=0, le=23, description="The local hour at which a new study day begins.")
    enable_fuzzing: bool = Field(
        True, description="Spread due dates a little, so cards learned together do not stay together.")
    new_card_order: Literal["interleaved", "deck", "random"] = Field(
        "interleaved", description="Which new cards come first: one topic after another in turn (each in file "
        "order), the deck's order, or a random order that stays the same all study day.")
    new_review_order: Literal["mixed", "new_first", "reviews_first"] = Field(
        "mixed", description="How new cards mix with reviews: spread among them, all before them, or all after them.")
    bury_new_siblings: bool = Field(True, description="When a card of a note is answered (a cloze deletion, say), "
                                    "its new siblings wait until the next day.")
    bury_review_siblings: bool = Field(
        True, description="When a card of a note is answered, its review siblings wait until the next day.")
    bury_interday_learning_siblings: bool = Field(
        False, description="When a card of a note is answered, its siblings in learning from an earlier day wait too.")
    leech_threshold: int = Field(8, ge=1, le=1000, description="Lapses (a review card forgotten) that make a card a "
                                 "leech; it is warned about again every half as many.")
    leech_action: Literal["suspend", "tag"] = Field(
        "suspend", description="What happens to a leech: it is suspended, or only marked (find leeches with is:leech).")
    fsrs_parameters: tuple[float, ...] | None = Field(
        None, description="The FSRS model's weights, from `quizapp optimize`; unset means the fsrs defaults.")
    theme: str = Field("textual-dark", max_length=100,
                       description="The app's colour theme (pick one with ctrl+p, Theme).")
    interview_date: date | None = Field(
        None, description="The day of your interview (`quizapp plan YYYY-MM-DD`): until then no card is due after "
        "it, new cards come at the pace the plan accepted, and the last two days bring none and review what you "
        "would forget.")
    interview_topics: tuple[str, ...] = Field((), description="The topics the interview plan covers (none: every topic).")
    interview_new_per_day: int | None = Field(
        None, ge=0, le=10_000, description="New cards a day until the last two days before the interview "
        "(which bring none), when you accepted the plan's pace (after it, new_per_day).")
    sync_dir: str | None = Field(
        None, max_length=4096, description="A folder you already sync between machines (Syncthing, Dropbox, a "
        "git clone); set by `quizapp sync DIR`.")
    keymap: dict[str, str] = Field(
        default_factory=dict, description='Keys of the app by binding id, e.g. {"review.bury": "b"}; a bare name '
        "(bury) remaps it on every screen.")

    @field_validator("keymap", mode="before")
    @classmethod
    def _known_bindings(cls, value: Any) -> Any:
        from quizapp.keymap import keymap_problems

        if not isinstance(value, dict):
            raise ValueError('write a [keymap] table of binding id = "keys"')
        problems = keymap_problems(value)
        if problems:
            raise ValueError("\n    ".join(problems))
        return value

    @property
    def sync_path(self) -> Path | None:
        """`sync_dir` as a path (`~` expanded); None when sync is not set up."""
        return Path(self.sync_dir).expanduser() if self.sync_dir and self.sync_dir.strip() else None

    @field_validator("fsrs_parameters")
    @classmethod
    def _within_fsrs_bounds(cls, value: tuple[float, ...] | None) -> tuple[float, ...] | None:
        if value is None:
            return None
        from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS as LOW, UPPER_BOUNDS_PARAMETERS as HIGH

        if len(value) != len(LOW):
            raise ValueError(f"FSRS takes {len(LOW)} parameters, not {len(value)} (or leave it unset)")
        wrong = [f"parameter {i + 1} is {v:g}, outside [{lo:g}, {hi:g}]"
                 for i, (v, lo, hi) in enumerate(zip(value, LOW, HIGH)) if not lo <= v <= hi]
        if wrong:
            raise ValueError("; ".join(wrong))
        return value

    @model_validator(mode="after")
    def _steps_within_maximum(self) -> Settings:
        longest = timedelta(days=self.maximum_interval)
        for name in ("learning_steps", "relearning_steps"):
            for step in getattr(self, name):
                if parse_step(step) > longest:
                    raise ValueError(f"{name}: step {step!r} is longer than maximum_interval "
                                     f"({self.maximum_interval} days)")
        return self

    @property
    def learning_deltas(self) -> tuple[timedelta, ...]:
        return tuple(parse_step(step) for step in self.learning_steps)

    @property
    def relearning_deltas(self) -> tuple[timedelta, ...]:
        return tuple(parse_step(step) for step in self.relearning_steps)


SETTING_NAMES = tuple(Settings.model_fields)
_LIST_SETTINGS = ("learning_steps", "relearning_steps", "fsrs_parameters", "interview_topics")
_TABLE_SETTINGS = ("keymap",)  # not from the environment: a table is written in config.toml


def load_settings(path: Path | None, env: Mapping[str, str] = os.environ) -> Settings:
    """Defaults, then the TOML file at `path` (if there is one), then QUIZAPP_<NAME> variables."""
    values = _read_file(path) if path is not None else {}
    origin = {name: str(path) for name in values}
    for name in SETTING_NAMES:
        if name in _TABLE_SETTINGS:
            continue
        variable = f"QUIZAPP_{name.upper()}"
        if variable in env:
            values[name], origin[name] = env[variable], f"${variable}"
    if not values:
        return Settings.model_construct()  # the defaults, which need no checking
    return _validate(_split_lists(values), origin)


def _validate(values: dict[str, Any], origin: Mapping[str, str]) -> Settings:
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        problems = [_describe(error, origin) for error in exc.errors()]
        raise UserError("bad settings:\n  " + "\n  ".join(problems)) from None


def _describe(error: Any, origin: Mapping[str, str]) -> str:
    name = str(error["loc"][0]) if error["loc"] else ""
    where = origin.get(name) or ", ".join(sorted(set(origin.values()))) or "settings"
    if error["type"] == "extra_forbidden":
        import difflib

        close = difflib.get_close_matches(name, SETTING_NAMES, n=1, cutoff=0.6)
        message = f"unknown setting (did you mean '{close[0]}'?)" if close else (
            f"unknown setting; the settings are {', '.join(SETTING_NAMES)}")
    elif error["type"] == "string_pattern_mismatch":
        message = f"not a step: {error['input']!r} ({_STEP_HELP})"
    else:
        message = error["msg"].removeprefix("Value error, ")
    return f"{where}: {name}: {message}" if name else f"{where}: {message}"


def _split_lists(values: dict[str, Any]) -> dict[str, Any]:
    """A list may also be written as one text: "1m, 10m" (as environment variables must)."""
    split = {}
    for name, value in values.items():
        if name in _LIST_SETTINGS and isinstance(value, str):
            value = [part.strip() for part in value.strip().strip("[]").split(",") if part.strip()]
        split[name] = value
    return split


def _read_file(path: Path) -> dict[str, Any]:
    """The settings a TOML file gives; a missing file gives none."""
    try:
        text = read_regular(path, MAX_CONFIG_BYTES).decode("utf-8")
    except FileNotFoundError:
        return {}
    except FileRefused as refused:
        if refused.kind is not None:
            raise UserError(f"settings file {shown_path(path)} is not a regular file; point $QUIZAPP_CONFIG at "
                            "a config.toml") from None
        raise UserError(f"settings file {shown_path(path)} is {refused.size:,} bytes; a config.toml is at most "
                        f"{MAX_CONFIG_BYTES:,}") from None
    except OSError as exc:
        raise UserError(f"cannot read settings file {shown_path(path)}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise UserError(f"cannot read settings file {shown_path(path)}: {exc}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{shown_path(path)}: not valid TOML: {exc}") from None
