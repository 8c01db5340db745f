"""`type: code` cards: validation (checker, starter read with ast), `quizapp drill`, and the Anki export."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.deck import load_deck
from quizapp.drills.static import starter_problem
from quizapp.export.anki import export_anki
from solvers.drills import get_drill

CARD = """topic: t
title: T
cards:
  - id: auc
    type: code
    prompt: 'Write `roc_auc(y_true, y_score)` in $O(n \\log n)$.'
    function: roc_auc
    checker: auc
    starter: |
      import numpy as np

      def roc_auc(y_true, y_score):
          ...
    time_limit: 4
    hints: [Sort once.]
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(folder: Path, text: str) -> Path:
    path = folder / "t.yaml"
    path.write_text(text)
    return path


def test_a_code_card_loads_with_its_fields(tmp_path: Path) -> None:
    deck = load_deck([write(tmp_path, CARD)])
    assert not deck.errors
    card = deck.card("t/auc").card
    assert (card.type, card.function, card.checker, card.time_limit, card.hints) == ("code", "roc_auc", "auc", 4, ["Sort once."])


@pytest.mark.parametrize(("change", "where", "message"), [
    (("checker: auc", "checker: acu"), "checker", "unknown checker 'acu' (did you mean 'auc'?)"),
    (("def roc_auc(y_true, y_score)", "def auc(y_true, y_score)"), "starter", "does not define `roc_auc`"),
    (("def roc_auc(y_true, y_score)", "def roc_auc(y_true)"), "starter", "cannot be called as roc_auc(y_true, y_score)"),
    (("def roc_auc(y_true, y_score):", "def roc_auc(y_true, y_score)"), "starter", "not valid Python"),
    (("function: roc_auc", "function: roc-auc"), "function", "'roc-auc' is not a Python function name"),
    (("time_limit: 4", "time_limit: 0"), "time_limit", "greater than 0"),
])
def test_a_bad_code_card_is_an_error_at_its_field(tmp_path: Path, change, where: str, message: str) -> None:
    path = write(tmp_path, CARD.replace(*change))
    (error,) = load_deck([path]).errors
    assert error.path == path and error.line is not None and where in error.where
    assert message in error.message, error.message


def test_the_starter_is_read_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    starter = f"open({str(marker)!r}, 'w').write('x')\n\ndef roc_auc(y_true, y_score):\n    ...\n"
    assert starter_problem(starter, "roc_auc", ["y_true", "y_score"]).startswith(
        "the starter runs code (line 1 of the starter)")
    assert not marker.exists()


HIDDEN = " " * 160 + '; __import__("os").system("touch ran")'


@pytest.mark.parametrize(("source", "line"), [
    (f"def f(a, b):\n    ...{HIDDEN}\n", 2),  # past the edge of the editor, behind the `...` the user sees
    ("import os\nos.system('x')\ndef f(a, b): ...", 2),
    ("def f(a, b):\n    return __import__('os').system('x')", 2),
    ("def f(a, b=print('x')): ...", 1),
    ("def f(a: print('x'), b): ...", 1),
    ("@print\ndef f(a, b): ...", 2),  # a decorated function's line is its def
    ("import antigravity\ndef f(a, b): ...", 1),
    ("import numpy as np\nimport unittest.__main__\ndef f(a, b): ...", 2),  # runs unittest's main at import
    ("from venv import __main__\ndef f(a, b): ...", 1),  # makes a virtual environment at import
    ("import idlelib.idle\ndef f(a, b): ...", 1),  # opens IDLE at import
    ("from ctypes.test import test_random_things\ndef f(a, b): ...", 1),
    ("from .evil import x\ndef f(a, b): ...", 1),
    ("with open('x') as h:\n    def f(a, b): ...", 1),
    ("class C:\n    print('x')\ndef f(a, b): ...", 1),
    ("f = lambda a, b: print('x')", 1),
    ("def f(a, b=9**9**9): ...", 1),
    ("N = len('x')\ndef f(a, b): ...", 1),
    ("import numpy as np\nX: print('x') = 1\ndef f(a, b): ...", 2),  # a module's annotation is evaluated
    ("f: print('x') = lambda a, b: 0", 1),
    ("import numpy as np\nnp[print('x')] = 1\ndef f(a, b): ...", 2),  # the index runs before the TypeError
    ("import numpy as np\nnp.random.seed = 0\ndef f(a, b): ...", 2),  # numpy changed under the checks
])
def test_a_starter_that_would_run_code_when_checked_is_refused(source: str, line: int) -> None:
    """The checks run the editor's code, and a user may run them on the starter as shown: a shared file's
    starter with `...; __import__("os").system(...)` far to the right ran at the first ctrl+r."""
    problem = starter_problem(source, "f", ["a", "b"])
    assert problem is not None and problem.startswith(f"the starter runs code (line {line} of the starter)")


@pytest.mark.parametrize("source", [
    '"""Module doc."""\nimport numpy as np\nfrom collections import Counter\n\n\ndef f(a, b):\n    """Doc."""\n    ...',
    "def f(a: np.ndarray, b: list[int] = -1) -> float:\n    pass",
    "def f(a, b):\n    raise NotImplementedError('write it')",
    "def helper(x): ...\ndef f(a, b): ...",
    "EPS = 1e-12\nLIMIT: int = -1\ndef f(a, b: int | None = None): ...",
])
def test_a_skeleton_starter_is_accepted(source: str) -> None:
    assert starter_problem(source, "f", ["a", "b"]) is None


@pytest.mark.parametrize("source", ["from os import kill as f", "import numpy as np\nfrom os import system as f",
                                    "import json as f", "def f(a, b): ...\nfrom shutil import rmtree as f"])
def test_a_starter_that_imports_its_function_is_refused(source: str) -> None:
    """The first check of the starter as shown called the library function the file chose with the checker's
    inputs (`os.kill(h, k)` for a drill of two whole numbers)."""
    line = source.count("\n") + 1
    assert starter_problem(source, "f", ["a", "b"]) == (
        f"the starter imports `f` (line {line} of the starter): a starter defines it with `def` and a body of "
        "`...`; the user writes the rest")


@pytest.mark.parametrize("deep", ["X = " + "-" * 6_000 + "1", "X = " + "1+" * 5_000 + "1"])
def test_a_starter_too_deep_for_the_parser_is_a_problem_not_a_crash(deep: str) -> None:
    """Under the 20,000-character limit, and validate ended in a MemoryError or RecursionError traceback."""
    assert starter_problem(f"{deep}\ndef f(a, b): ...\n", "f", ["a", "b"]) == (
        "the starter is nested too deeply for Python to read: a skeleton needs no deep expression")


@pytest.mark.parametrize(("source", "ok"), [
    ("def f(a, b): ...", True),
    ("def f(a, b, c=1): ...", True),
    ("def f(*args): ...", True),
    ("def f(a, *, b): ...", False),
    ("f = lambda a, b: 0", True),
    ("from math import hypot as f", False),  # see test_a_starter_that_imports_its_function_is_refused
    ("if True:\n    def f(a, b): ...", True),
    ("def g(a, b): ...", False),
    ("class C:\n    def f(self, a, b): ...", False),
])
def test_starter_problem_finds_top_level_definitions(source: str, ok: bool) -> None:
    assert (starter_problem(source, "f", ["a", "b"]) is None) is ok


def test_drill_list_show_and_check(tmp_path: Path, capsys, isolated_env) -> None:
    write(tmp_path, CARD)
    common = ["--no-builtin", "--content", str(tmp_path)]
    code, out, _ = run(capsys, "drill", "--list", *common)
    assert code == 0 and out.splitlines()[0].split()[0] == "t/auc" and "softmax-cross-entropy" in out
    code, out, _ = run(capsys, "drill", "t/auc", *common)
    # the prompt reads as the app shows it (math as Unicode, no Markdown marks); the starter is code, as written
    assert code == 0 and "Write roc_auc(y_true, y_score) in O(n log n)." in out and "def roc_auc(y_true, y_score):" in out
    assert "Sort once." not in out and "--hints" in out
    assert "Sort once." in run(capsys, "drill", "t/auc", "--hints", *common)[1]
    mine = tmp_path / "mine.py"
    mine.write_text(get_drill("auc").solution)
    code, out, _ = run(capsys, "drill", "t/auc", "--file", str(mine), *common)
    assert code == 0 and out.startswith("Pass: all") and "Model solution" in out
    mine.write_text("def roc_auc(y_true, y_score):\n    return 0.5\n")
    code, out, _ = run(capsys, "drill", "t/auc", "--file", str(mine), "--seed", "1", *common)
    assert code == 1 and out.startswith("Fail") and "Smallest failing input:" in out
    mine.write_text("def roc_auc(y_true):\n    return 0.5\n")
    code, out, _ = run(capsys, "drill", "t/auc", "--file", str(mine), "--json", *common)
    assert code == 2 and json.loads(out)["status"] == "invalid"


def test_drill_by_checker_name_and_errors(tmp_path: Path, capsys, isolated_env) -> None:
    code, out, _ = run(capsys, "drill", "conv1x1", "--no-builtin")
    assert code == 0 and "def conv1x1(x, w, b):" in out
    code, out, _ = run(capsys, "drill", "conv1x1", "--solution", "--no-builtin")
    assert code == 0 and "x.transpose(0, 2, 3, 1)" in out
    code, _, err = run(capsys, "drill", "conv1x2", "--no-builtin")
    assert code == 2 and "no drill 'conv1x2' (did you mean 'conv1x1'?)" in err
    code, _, err = run(capsys, "drill", "conv1x1", "--file", str(tmp_path / "missing.py"), "--no-builtin")
    assert code == 2 and "cannot read" in err


def test_anki_export_puts_the_model_solution_on_the_back(tmp_path: Path) -> None:
    deck = load_deck([write(tmp_path, CARD.replace("function: roc_auc", "function: auc_score")
                            .replace("def roc_auc(", "def auc_score("))])
    out = tmp_path / "deck.apkg"
    export_anki(deck, out, timestamp=1_700_000_000)
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(out) as archive:
            archive.extract("collection.anki2", folder)
        connection = sqlite3.connect(Path(folder) / "collection.anki2")
        (fields,) = [row[0] for row in connection.execute("SELECT flds FROM notes")]
        connection.close()
    front, back = fields.split("\x1f")[:2]
    prompt, starter = front.split("<pre>", 1)
    assert prompt == r"Write <code>roc_auc(y_true, y_score)</code> in \(O(n \log n)\)."  # MathJax delimiters
    assert starter.startswith("<code class=language-python>") and "def auc_score(" in starter  # the code to start from
    assert back.startswith("<b>Model solution</b><pre><code")
    assert "def auc_score(y_true, y_score):" in back and "&quot;" in back  # renamed, and escaped as HTML


def test_the_drills_import_only_numpy() -> None:
    import subprocess
    import sys

    code = "import solvers.drills, quizapp.drills.runner, quizapp.drills.static\nimport sys; print(' '.join(sys.modules))"
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    for heavy in ("textual", "pydantic", "scipy", "sklearn", "torch", "yaml"):
        assert heavy not in loaded, heavy


@pytest.mark.parametrize("width", [79, 100, 60])
def test_drill_list_fits_a_terminal_and_breaks_titles_between_words(capsys, width) -> None:
    """At 80 columns the list's lines ran to 107 and the terminal broke its titles mid-word."""
    from quizapp.drills.commands import print_drill_list
    from quizapp.drills.task import tasks
    from quizapp.paths import builtin_content_dir

    deck = load_deck([builtin_content_dir()])
    print_drill_list(deck, width=width)
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= width
    flowed = " ".join(out.split())  # a title broken between words reads whole once the breaks are spaces
    assert all(f"{task.key} {task.title}" in flowed for task in tasks(deck))
    print_drill_list(deck)  # no terminal: one line a drill, as written
    rows = capsys.readouterr().out.splitlines()
    assert [row.split()[0] for row in rows][:len(tasks(deck))] == [task.key for task in tasks(deck)]
