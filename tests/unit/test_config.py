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
        ("learning_steps = ['ten minutes']\n", {}, "config.toml: learning_steps: not a step: 'ten minutes' (write"),
        ("", {"QUIZAPP_RELEARNING_STEPS": "5m, soon"}, "$QUIZAPP_RELEARNING_STEPS: relearning_steps: not a step"),
        ("new_per_dya = 5\n", {}, "config.toml: new_per_dya: unknown setting (did you mean 'new_per_day'?)"),
        ("colour = 'blue'\n", {}, "config.toml: colour: unknown setting; the settings are desired_retention,"),
        ("new_per_day = [\n", {}, "not valid TOML"),
    ],
)
def test_bad_settings_say_where(tmp_path: Path, toml: str, env: dict[str, str], expected: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(toml)
    with pytest.raises(UserError) as info:
        load_settings(path, env)
    assert expected in str(info.value)


def test_steps_may_be_one_comma_separated_text(tmp_path: Path) -> None:
    settings = load_settings(None, {"QUIZAPP_LEARNING_STEPS": "30s, 5m"})
    assert settings.learning_steps == ("30s", "5m")
    path = tmp_path / "config.toml"
    path.write_text('relearning_steps = "5m, 1h"\n')
    assert load_settings(path, {}).relearning_deltas == (timedelta(minutes=5), timedelta(hours=1))


@pytest.mark.parametrize(
    ("toml", "env", "expected"),
    [
        ('learning_steps = ["99999999d"]\n', {}, "step '99999999d' is longer than maximum_interval (36500 days)"),
        ('relearning_steps = ["2d"]\nmaximum_interval = 1\n', {}, "longer than maximum_interval (1 days)"),
        ("fsrs_parameters = [1.0]\n", {}, "fsrs_parameters: FSRS takes 21 parameters, not 1"),
        ("", {"QUIZAPP_FSRS_PARAMETERS": ", ".join(["500"] * 21)}, "parameter 1 is 500, outside"),
        ("learning_steps = ['1" + "0" * 400 + "m']\n", {}, "not a step"),
    ],
)
def test_every_setting_is_bounded(tmp_path: Path, toml: str, env: dict[str, str], expected: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(toml)
    with pytest.raises(UserError) as info:
        load_settings(path, env)
    assert expected in str(info.value)


def test_fitted_fsrs_parameters_are_accepted(tmp_path: Path) -> None:
    from fsrs.scheduler import DEFAULT_PARAMETERS

    path = tmp_path / "config.toml"
    path.write_text(f"fsrs_parameters = {list(DEFAULT_PARAMETERS)}\n")
    assert load_settings(path, {}).fsrs_parameters == tuple(DEFAULT_PARAMETERS)


def test_the_config_file_must_be_a_small_regular_file(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not a regular file"):
        load_settings(Path("/dev/zero"), {})
    with pytest.raises(UserError, match="not a regular file"):
        load_settings(tmp_path, {})
    huge = tmp_path / "config.toml"
    huge.write_text("# " + "x" * (2 << 20))
    with pytest.raises(UserError, match="at most"):
        load_settings(huge, {})


def test_a_config_file_that_became_a_pipe_after_its_check_is_refused_without_waiting(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file was checked by name and then opened: a pipe put there in between waited for a writer for ever."""
    import os

    from tests.pipes import call_without_waiting, looks_regular_by_name

    pipe = tmp_path / "config.toml"
    os.mkfifo(pipe)
    looks_regular_by_name(pipe, monkeypatch)
    with pytest.raises(UserError, match="is not a regular file"):
        call_without_waiting(lambda: load_settings(pipe, {}), pipe)


def test_every_setting_has_a_description() -> None:
    for name, info in Settings.model_fields.items():
        assert info.description, name


def test_missing_file_is_fine(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "nope.toml", {}) == Settings()


def test_step_parsing() -> None:
    assert parse_step("1.5h") == timedelta(hours=1.5)
    with pytest.raises(ValueError, match="like 1m, 10m, 1h or 1d"):
        parse_step("10 minutes")
