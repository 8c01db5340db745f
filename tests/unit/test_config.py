"""Settings: defaults, config.toml, QUIZAPP_* overrides, and clear errors naming where a bad value came from."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from quizapp.config import Settings, load_settings, parse_step
from quizapp.errors import UserError


def test_defaults_match_the_documented_ones() -> None:
    settings = load_settings(None, {})
    assert settings == Settings()
    assert (settings.desired_retention, settings.new_per_day, settings.reviews_per_day, settings.day_starts_at) == (
        0.9, 20, 200, 4)
    assert settings.learning_deltas == (timedelta(minutes=1), timedelta(minutes=10))


def test_file_then_environment(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('desired_retention = 0.85\nlearning_steps = ["30s", "5m", "1h"]\nnew_per_day = 5\n')
    settings = load_settings(path, {"QUIZAPP_NEW_PER_DAY": "7"})
    assert settings.desired_retention == 0.85 and settings.new_per_day == 7
    assert settings.learning_deltas == (timedelta(seconds=30), timedelta(minutes=5), timedelta(hours=1))


@pytest.mark.parametrize(
    ("toml", "env", "expected"),
    [
        ("desired_retention = 2\n", {}, "config.toml: desired_retention: Input should be less than or equal to 0.99"),
        ("", {"QUIZAPP_DAY_STARTS_AT": "25"}, "$QUIZAPP_DAY_STARTS_AT: day_starts_at"),
        ("learning_steps = ['ten minutes']\n", {}, "config.toml: learning_steps"),
        ("colour = 'blue'\n", {}, "config.toml: colour: Extra inputs are not permitted"),
        ("new_per_day = [\n", {}, "not valid TOML"),
    ],
)
def test_bad_settings_say_where(tmp_path: Path, toml: str, env: dict[str, str], expected: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(toml)
    with pytest.raises(UserError) as info:
        load_settings(path, env)
    assert expected in str(info.value)


def test_missing_file_is_fine(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "nope.toml", {}) == Settings()


def test_step_parsing() -> None:
    assert parse_step("1.5h") == timedelta(hours=1.5)
    with pytest.raises(ValueError, match="like 1m, 10m, 1h or 1d"):
        parse_step("10 minutes")
