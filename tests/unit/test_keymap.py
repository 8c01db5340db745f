"""The [keymap] table of config.toml: ids checked without Textual, yet equal to the app's; bad entries are
reported with the file, the accepted ids and no traceback; bare names remap every screen's binding."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.config import load_settings
from quizapp.errors import UserError
from quizapp.keymap import BINDING_IDS, expand_keymap, keymap_problems


def app_bindings() -> list:
    """Every Binding of the app's classes: the app, each screen and each widget."""
    from textual.binding import Binding

    import quizapp.tui.screens
    import quizapp.tui.widgets

    modules = [importlib.import_module("quizapp.tui.app")]
    for package in (quizapp.tui.screens, quizapp.tui.widgets):
        modules += [importlib.import_module(f"{package.__name__}.{info.name}")
                    for info in pkgutil.iter_modules(package.__path__)]
    found = {}
    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                for binding in cls.__dict__.get("BINDINGS", []):
                    if isinstance(binding, Binding):
                        found[binding.id] = binding
    return list(found.values())


def test_the_listed_ids_are_exactly_the_apps_binding_ids() -> None:
    bindings = app_bindings()
    assert all(binding.id for binding in bindings), [b.key for b in bindings if not b.id]
    assert sorted(binding.id for binding in bindings) == sorted(BINDING_IDS)
    assert len(set(BINDING_IDS)) == len(BINDING_IDS)


def test_every_default_key_is_accepted_as_a_key() -> None:
    """The check of key names is not stricter than Textual: the app's own keys all pass it."""
    assert keymap_problems({binding.id: binding.key for binding in app_bindings()}) == []


@pytest.mark.parametrize("keys", ["b", "ctrl+s", "f9", "ctrl+1,f5", "question_mark", "shift+tab", "@", "alt+x",
                                  "S", "pagedown", "minus"])
def test_good_keys(keys: str) -> None:
    assert keymap_problems({"review.bury": keys}) == []


@pytest.mark.parametrize("keys", ["", "ctrl+", "control+s", "f99", "not_a_key_name", "ctrl+s,", 3, "two words"])
def test_bad_keys(keys) -> None:
    (problem,) = keymap_problems({"review.bury": keys})
    assert problem.startswith("review.bury: ")


def test_a_bare_name_remaps_every_screens_binding_and_a_full_id_wins() -> None:
    assert expand_keymap({"bury": "b"}) == {"review.bury": "b", "browse.bury": "b"}
    assert expand_keymap({"review.bury": "x", "bury": "b"}) == {"review.bury": "x", "browse.bury": "b"}


def test_a_bad_keymap_in_config_toml_names_the_file_the_entry_and_the_ids(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"review.suspnd" = "x"\nbury = "ctrl+"\n')
    with pytest.raises(UserError) as caught:
        load_settings(config, {})
    message = str(caught.value)
    assert f"{config}: keymap: 'review.suspnd' is not a binding id (did you mean 'review.suspend'?)" in message
    assert "the ids are app.quit, app.help" in message and "review.flag-red" in message
    assert "bury: 'ctrl+' is not a key" in message
    assert "Traceback" not in message


def test_a_good_keymap_is_read(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('new_per_day = 5\n[keymap]\nbury = "b"\n"review.suspend" = "ctrl+k"\n')
    assert load_settings(config, {}).keymap == {"bury": "b", "review.suspend": "ctrl+k"}


def test_a_keymap_that_is_not_a_table_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('keymap = "b"\n')
    with pytest.raises(UserError, match=r"keymap: write a \[keymap\] table"):
        load_settings(config, {})


def test_settings_and_the_keymap_check_do_not_import_textual() -> None:
    code = "import sys, quizapp.config, quizapp.keymap; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).parents[2])
    assert result.stdout.strip() == "False"


def test_the_readme_lists_every_binding_id_with_its_default_keys() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    for binding in app_bindings():
        keys = ", ".join(f"`{key.strip()}`" for key in binding.key.split(","))
        assert f"| `{binding.id}` | {keys} | {binding.description} |" in readme, binding.id
