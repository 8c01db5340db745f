"""The hostile-content corpus through validate and plain review: every finding reported where it is, and
no control character from data reaches the output, even when a value gets past the loader."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.cli import main
from quizapp.deck import load_deck
from quizapp.deck.mathtext import latex_to_unicode, render_math
from quizapp.safetext import one_line, shown_path, text, visible
from tests.hostile_corpus import BYPASS, HOSTILE, control_characters, expectations, fixtures, is_valid
from tests.study_helpers import FIXTURE_DECK

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("fixture", fixtures(), ids=lambda path: path.stem)
def test_validate_reports_each_finding_at_its_place(fixture: Path, capsys, isolated_env: Path) -> None:
    assert main(["--no-builtin", "validate", str(fixture)]) == (0 if is_valid(fixture) else 1)
    out = capsys.readouterr().out
    reported = [line.removeprefix(f"{fixture}:") for line in out.splitlines()]
    for expected in expectations(fixture):
        assert expected in reported
    assert control_characters(out) == []


def test_validate_over_the_whole_corpus_writes_no_control_character(capsys, isolated_env: Path) -> None:
    assert main(["--no-builtin", "validate", str(HOSTILE)]) == 1
    out = capsys.readouterr().out
    assert "\\x1b" in out and "U+202E" in out  # the characters are named, visibly
    assert control_characters(out) == []


def test_markup_in_names_is_valid_content() -> None:
    deck = load_deck([HOSTILE / "markup-in-names.yaml"])
    assert deck.topic("markup").title.startswith("[/bad] [link=")
    assert [card.key for card in deck.cards()] == ["markup/c1"]


def test_plain_review_of_values_that_bypassed_the_loader_sends_no_control_character(tmp_path: Path) -> None:
    """The second line of defence: with the loader's checks off, the hostile cards load and are reviewed;
    what they hold is shown escaped, and nothing a terminal would act on is written."""
    code = BYPASS + "from quizapp.cli import main; raise SystemExit(main(__import__('sys').argv[1:]))"
    answers = "\n".join(["", "3", "a", "3", "2", "3"] * 12) + "\n"
    result = subprocess.run(
        [sys.executable, "-c", code, "--no-builtin", "--content", str(HOSTILE), "--data-dir", str(tmp_path / "d"),
         "review", "--plain", "--seed", "1"],
        input=answers, capture_output=True, text=True, timeout=120, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), "QUIZAPP_CONFIG": str(tmp_path / "none.toml")},
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # (a carriage return in Markdown text is read as a line break by the Markdown renderer: shown, not sent)
    for shown in ("\\x1b[6n", "\\x1b]0;OWNED\\x07", "\\x9b6n", "U+202E", "\\x7f"):
        assert shown in out  # the hostile cards were shown, escaped
    assert "recorded:" in out
    assert control_characters(out) == [] and control_characters(result.stderr) == []


def test_deep_math_that_bypassed_validation_renders_as_written() -> None:
    deep = "$" + "{" * 500 + "x" + "}" * 500 + "$"
    assert render_math(f"before {deep} after").startswith("before ${{{")
    assert latex_to_unicode("{" * 2000 + "}" * 2000) == "{" * 2000 + "}" * 2000
    assert render_math("$$" + "\\frac{" * 300 + "$$")  # unbalanced and deep: still no exception


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_math_rendering_never_raises(source: str) -> None:
    render_math(source)
    render_math(f"${source}$ and $${source}$$")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_visible_leaves_nothing_a_terminal_acts_on(value: str) -> None:
    for shown in (visible(value), one_line(value), text(value).plain, text(value, "bold", single_line=True).plain):
        assert control_characters(shown) == []
    assert "\n" not in one_line(value) and "\t" not in one_line(value)
    assert not set("\n\t\u2028\u2029") & set(shown_path(value)) and control_characters(shown_path(value)) == []
    if not control_characters(value):
        assert visible(value) == value  # clean text is left exactly as it is


def test_markup_is_never_read_from_data() -> None:
    assert text("[/bad] [link=x]y[/link]").plain == "[/bad] [link=x]y[/link]"


# --- broken paths in a content folder ---------------------------------------------------------------


def test_a_symlink_loop_is_one_problem_and_the_rest_loads(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "good.yaml").write_bytes((FIXTURE_DECK / "mini.yaml").read_bytes())
    (folder / "loop.yaml").symlink_to(folder / "loop.yaml")
    (folder / "gone.yaml").symlink_to(folder / "missing.yaml")
    deck = load_deck([folder, tmp_path / "loop-dir"])
    assert deck.topic("mini").cards
    messages = {error.path.name: error.message for error in deck.errors}
    assert "symbolic link" in messages["loop.yaml"] and "symbolic link" in messages["gone.yaml"]
    assert messages["loop-dir"] == "no such file or folder"


def test_a_file_name_with_a_newline_prints_no_line_of_its_own(tmp_path: Path, capsys, isolated_env: Path) -> None:
    """`evil\\e]0;OWNED\\a\\nfake.yaml:1:1: all good.yaml`: the ESC was shown escaped but the newline was not,
    so an editor's quickfix list read a problem at `fake.yaml:1:1` that is not there."""
    folder = tmp_path / "content"
    folder.mkdir()
    text = (FIXTURE_DECK / "mini.yaml").read_text("utf-8")
    (folder / "evil\x1b]0;OWNED\x07\nfake.yaml:1:1: all\u2028good.yaml").write_text(text + "  - oops\n", "utf-8")
    (folder / "same-topic.yaml").write_text(text, "utf-8")  # its topic is "already used by" the other file
    assert main(["--no-builtin", "validate", str(folder)]) == 1
    lines = capsys.readouterr().out.splitlines()
    shown = f"{folder}/evil\\x1b]0;OWNED\\x07\\x0afake.yaml:1:1: allU+2028good.yaml"
    assert [line for line in lines if not line.startswith(str(folder))] == [lines[-1]]  # and the summary
    assert any(line.startswith(shown + ":") for line in lines)
    assert any(line.endswith(f"already used by {shown}; topic ids must be unique across all content") for line in lines)


def test_a_pipe_a_device_or_a_folder_with_a_content_name_is_named_for_what_it_is(tmp_path: Path) -> None:
    """They were "no such file or folder" (a pipe given by name), "a symbolic link to nothing" (a link to
    /dev/zero, to a pipe or to a folder) or silently left out (a folder named x.yaml); none is opened."""
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "good.yaml").write_bytes((FIXTURE_DECK / "mini.yaml").read_bytes())
    os.mkfifo(folder / "pipe.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "to-pipe.yaml").symlink_to(folder / "pipe.yaml")
    (folder / "folder.yaml").mkdir()
    (folder / "to-folder.yaml").symlink_to(tmp_path)
    deck = load_deck([folder, folder / "pipe.yaml"])
    assert deck.topic("mini").cards
    messages = {(error.path.name, error.message) for error in deck.errors}
    pipe = "a named pipe (FIFO), not a regular file: a content file is a regular .yaml file; remove it"
    assert messages == {
        ("pipe.yaml", pipe),
        ("zero.yaml", "a symbolic link to a device, not a regular file: a content file is a regular .yaml file; "
                      "remove it"),
        ("to-pipe.yaml", "a symbolic link to " + pipe),
        ("folder.yaml", "a folder with a content file's name: folders inside a content folder are not read"),
        ("to-folder.yaml", "a symbolic link to a folder with a content file's name: folders inside a content "
                           "folder are not read"),
    }


def test_the_broken_paths_of_a_folder_are_reported_in_name_order(tmp_path: Path) -> None:
    """They came in the order the folder happened to list them (b, c, j, i, ...), unlike its files."""
    for name in "abcdefghij":
        (tmp_path / f"{name}.yaml").symlink_to(tmp_path / "missing.yaml")
    assert [error.path.name for error in load_deck([tmp_path]).errors] == [f"{name}.yaml" for name in "abcdefghij"]


def test_a_file_that_became_a_pipe_after_it_was_listed_is_refused_without_waiting(tmp_path: Path) -> None:
    """The reader trusted the listing: a pipe put in a file's place between the two waited for a writer."""
    from quizapp.deck import load_file
    from tests.pipes import call_without_waiting

    pipe = tmp_path / "t.yaml"
    os.mkfifo(pipe)
    topic, errors = call_without_waiting(lambda: load_file(pipe), pipe)
    assert topic is None and [error.message for error in errors] == [
        "a named pipe (FIFO), not a regular file: a content file is a regular .yaml file; remove it"]


def test_a_file_over_the_size_limit_is_not_read_into_memory_for_the_cache(tmp_path: Path) -> None:
    """The content cache hashed every file whole before the size was checked: a 3 GB file took 3 GB."""
    import tracemalloc

    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "good.yaml").write_bytes((FIXTURE_DECK / "mini.yaml").read_bytes())
    with open(folder / "huge.yaml", "wb") as huge:
        huge.truncate(200 * 2**20)  # sparse: no disk space taken
    tracemalloc.start()
    try:
        deck = load_deck([folder], cache=tmp_path / "cache")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert deck.has_topic("mini")
    assert [error.message for error in deck.errors] == [
        "file is too large (209.7 MB; the limit is 2 MB): split it into several topics"]
    assert peak < 50 * 2**20


def test_an_unreadable_folder_is_one_problem_and_the_rest_loads(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path):  # root may read any folder, so refuse this one the way the kernel would
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    deck = load_deck([locked, FIXTURE_DECK])
    assert deck.has_topic("mini")
    assert [(error.path, error.message) for error in deck.errors] == [(locked, "cannot read it: Permission denied")]


def test_validate_names_a_broken_path_and_loads_the_rest(tmp_path: Path, capsys, isolated_env: Path) -> None:
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    assert main(["--no-builtin", "validate", str(tmp_path), str(FIXTURE_DECK)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{tmp_path / 'loop.yaml'}: a symbolic link to nothing (or in a loop)")
    assert out[-1].startswith("1 error in 1 file;") and "0 cards" not in out[-1]


@pytest.mark.parametrize(("value", "problem"), [
    (r'"$a\t+ b$"', "'\\t' in a double-quoted string is a YAML escape (tab) inside math"),
    (r'"$\nabla f$"', "so '\\nabla' lost its backslash"),
    (r'"\rho is the correlation"', "so '\\rho' lost its backslash"),
    (r'"line one\nline two"', None),          # a newline in prose is meant
    (r'"$\\alpha$ and \\frac"', None),        # escaped backslashes are LaTeX as written
    (r"'$\text{softmax}$'", None),            # single quotes keep backslashes
    (r'"a tab\t: then text"', None),
    (r'"Straße, 東京, emoji 🙂, Arabic مرحبا"', None),
])
def test_what_the_character_check_reports_and_what_it_leaves(tmp_path: Path, value: str, problem: str | None) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(f"topic: t\ntitle: T\ncards:\n  - {{id: a, type: flashcard, front: {value}, back: b}}\n",
                    encoding="utf-8")
    errors = load_deck([path]).errors
    if problem is None:
        assert errors == ()
    else:
        assert len(errors) == 1 and problem in errors[0].message and errors[0].line == 4


def test_deep_lists_are_shown_whole_in_plain_mode_and_the_anki_export() -> None:
    """Past 9 lists markdown-it drops what is inside; the export showed levels 1 to 9 only. Nine are drawn."""
    from quizapp.deck.plaintext import markdown_to_text
    from quizapp.export.html import markdown_to_html

    twelve, nine = (card["back"] for card in yaml.safe_load((HOSTILE / "deep-list.yaml").read_text())["cards"])
    assert "level 12" in markdown_to_html(twelve) and "level 12" in markdown_to_text(twelve)
    assert markdown_to_text(nine).splitlines()[8].strip() == "▪ 9"  # drawn as a list, not returned as written
    assert "<li>9</li>" in markdown_to_html(nine)


def test_an_options_line_break_cannot_make_a_fake_option_in_plain_mode(tmp_path: Path) -> None:
    """Each option is one line (as in the TUI), so "[x] 3  c) RMSprop  ✓" cannot stand on a line of its own."""
    result = subprocess.run(
        [sys.executable, "-m", "quizapp", "--no-builtin", "--content", str(HOSTILE / "option-line-break.yaml"),
         "--data-dir", str(tmp_path / "d"), "review", "--plain", "--seed", "1"],
        input="b\n\n:q\n", capture_output=True, text=True, timeout=60, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), "QUIZAPP_CONFIG": str(tmp_path / "none.toml")},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "  a) Adam [x] 3  c) RMSprop  ✓" in lines and "  b) SGD  b) Adagrad" in lines
    assert " *a) Adam [x] 3  c) RMSprop  ✓" in lines  # the verdict's list of options
    assert not any(line.lstrip().startswith(("[x]", "b) Adagrad")) for line in lines)
