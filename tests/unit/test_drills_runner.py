"""The drill runner: every way the user's code can go wrong gets its verdict, and the limits hold."""

from __future__ import annotations

import json
import threading
import time

import pytest

from quizapp.drills import Verdict, check_code
from quizapp.drills.runner import OUTPUT_LIMIT
from quizapp.safetext import visible as printable
from solvers.drills import get_drill

AUC = get_drill("auc").solution


def test_an_endless_loop_stops_within_the_time_limit_plus_one_second() -> None:
    started = time.monotonic()
    verdict = check_code("def roc_auc(y_true, y_score):\n    while True:\n        pass\n", "auc", time_limit=1.5)
    elapsed = time.monotonic() - started
    assert verdict.status == "timeout" and "1.5 s" in verdict.message
    assert 1.5 <= verdict.seconds < 1.5 + 1, verdict.seconds  # from the moment the code started
    assert elapsed < 1.5 + 1 + 3, elapsed  # with the start of python and numpy, slow on a loaded machine
    assert "Stopped during case 1 of" in verdict.report()


def test_a_slow_function_times_out_in_a_later_case() -> None:
    slow = AUC.replace("    y_true = np.asarray(y_true)", "    import time; time.sleep(0.05)\n    y_true = np.asarray(y_true)")
    verdict = check_code(slow, "auc", time_limit=1)
    assert verdict.status == "timeout" and verdict.cases > 5


def test_a_ten_gigabyte_allocation_is_stopped() -> None:
    source = "import numpy as np\ndef roc_auc(y_true, y_score):\n    big = np.ones(10 * 2**30 // 8)\n    return 0.5\n"
    started = time.monotonic()
    verdict = check_code(source, "auc")
    assert verdict.status == "error" and verdict.message.startswith("MemoryError"), verdict.report()
    assert verdict.line == 3 and "np.ones" in verdict.source_line
    assert time.monotonic() - started < 5


def test_a_growing_list_is_stopped_by_the_memory_limit() -> None:
    source = "def roc_auc(y_true, y_score):\n    items = []\n    while True:\n        items.append([0] * 10**6)\n"
    verdict = check_code(source, "auc", time_limit=10)
    assert verdict.status == "error" and "MemoryError" in verdict.message


def test_a_syntax_error_is_invalid_with_its_line() -> None:
    verdict = check_code("import numpy as np\n\ndef roc_auc(y_true, y_score:\n    return 1\n", "auc")
    assert verdict.status == "invalid" and verdict.exit_code == 2
    assert verdict.line == 3 and "SyntaxError" in verdict.message


@pytest.mark.parametrize("deep", ["X = " + "-" * 6_000 + "1", "X = " + "1+" * 5_000 + "1"])
def test_code_too_deep_for_the_parser_is_invalid_not_a_crash(deep: str) -> None:
    """`quizapp drill KEY --file` on such a file ended in a MemoryError or RecursionError traceback."""
    verdict = check_code(f"{deep}\n{AUC}", "auc")
    assert verdict.status == "invalid" and verdict.exit_code == 2
    assert verdict.message == "the code is nested too deeply for Python to read: split the expression"


def test_a_missing_function_is_invalid_and_names_what_is_there() -> None:
    verdict = check_code("def auc(y_true, y_score):\n    return 1\n", "auc")
    assert verdict.status == "invalid" and "`roc_auc`" in verdict.message and "auc" in verdict.message


def test_the_wrong_signature_is_invalid() -> None:
    verdict = check_code("def roc_auc(y_true):\n    return 1\n", "auc")
    assert verdict.status == "invalid" and "roc_auc(y_true, y_score)" in verdict.message


def test_a_name_that_is_not_a_function_is_invalid() -> None:
    assert check_code("roc_auc = 0.5\n", "auc").status == "invalid"


def test_an_exception_is_an_error_with_the_line_in_the_users_code() -> None:
    source = "def helper(x):\n    return x[10]\n\ndef roc_auc(y_true, y_score):\n    return helper(y_true)\n"
    verdict = check_code(source, "auc")
    assert verdict.status == "error" and verdict.exit_code == 1
    assert verdict.message.startswith("IndexError")
    assert verdict.line == 2 and verdict.source_line == "return x[10]"
    assert verdict.case.startswith("y_true = np.array(")


def test_an_exception_at_the_top_level_is_an_error() -> None:
    verdict = check_code("import no_such_module_here\n", "auc")
    assert verdict.status == "error" and "ModuleNotFoundError" in verdict.message and verdict.line == 1


def test_exit_in_the_users_code_is_an_error_not_a_crash() -> None:
    verdict = check_code("import sys\ndef roc_auc(y_true, y_score):\n    sys.exit(3)\n", "auc")
    assert verdict.status == "error" and "SystemExit" in verdict.message and verdict.line == 3


def test_a_hundred_megabytes_of_output_are_cut_and_stopped() -> None:
    source = "def roc_auc(y_true, y_score):\n    for _ in range(100):\n        print('x' * 2**20)\n    return 0.5\n"
    started = time.monotonic()
    verdict = check_code(source, "auc")
    assert verdict.status == "error" and "printed more than" in verdict.message
    assert len(verdict.output) < 10_000 and "more characters cut" in verdict.output
    assert time.monotonic() - started < 5


def test_output_written_to_the_file_descriptor_is_cut_and_stopped() -> None:
    source = ("import os\ndef roc_auc(y_true, y_score):\n    for _ in range(100):\n"
              "        os.write(1, b'y' * 2**20)\n    return 0.5\n")
    verdict = check_code(source, "auc")
    assert verdict.status == "error" and f"{OUTPUT_LIMIT:,}" in verdict.message
    assert len(verdict.output) < 10_000


def test_a_little_output_is_kept_with_a_pass() -> None:
    source = AUC.replace("    y_true = np.asarray(y_true)", "    print('called')\n    y_true = np.asarray(y_true)")
    verdict = check_code(source, "auc", random_cases=3)
    assert verdict.status == "pass" and verdict.output.startswith("called\ncalled")


def test_reading_stdin_is_an_error_that_explains_why() -> None:
    verdict = check_code("def roc_auc(y_true, y_score):\n    return float(input())\n", "auc")
    assert verdict.status == "error" and "EOFError" in verdict.message and "no input" in verdict.message


def test_returning_nothing_fails_and_says_return_is_missing() -> None:
    verdict = check_code("def roc_auc(y_true, y_score):\n    0.5\n", "auc")
    assert verdict.status == "fail" and "return" in verdict.message


def test_changing_the_input_in_place_does_not_change_the_reference() -> None:
    source = '''
import numpy as np
def batch_norm_forward(x, gamma, beta, eps):
    mean = x.mean(axis=0)
    x -= mean
    var = (x ** 2).mean(axis=0)
    x /= np.sqrt(var + eps)
    return gamma * x + beta
'''
    assert check_code(source, "batchnorm-forward").status == "pass"


def test_the_card_can_name_its_own_function() -> None:
    source = get_drill("auc").solution_for("auc_score")
    assert check_code(source, "auc", function="auc_score").status == "pass"
    assert check_code(AUC, "auc", function="auc_score").status == "invalid"


def test_the_code_runs_in_a_temporary_folder_without_the_projects_path() -> None:
    source = '''
import os, sys
def roc_auc(y_true, y_score):
    assert set(os.listdir(".")) <= {"scratch.txt"}, os.listdir(".")
    assert "quizapp" not in sys.modules
    open("scratch.txt", "w").write("ok")
    return 0.5
'''
    verdict = check_code(source, "auc")
    assert verdict.status == "fail" and "expected" in verdict.message  # ran, and only the answer was wrong


def test_the_same_seed_gives_the_same_verdict_and_cancel_stops_a_check() -> None:
    wrong = "import numpy as np\ndef roc_auc(y_true, y_score):\n    return float(np.mean(y_score))\n"
    first, second = check_code(wrong, "auc", seed=5), check_code(wrong, "auc", seed=5)
    assert first.case == second.case and first.got == second.got
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    started = time.monotonic()
    verdict = check_code("def roc_auc(a, b):\n    while True:\n        pass\n", "auc", time_limit=30, cancel=cancel)
    assert verdict.status == "timeout" and "cancelled" in verdict.message
    assert time.monotonic() - started < 3


def test_a_verdict_round_trips_through_json_and_reports_plain_text() -> None:
    verdict = check_code("def roc_auc(y_true, y_score):\n    print('\\x1b[31mred')\n    return 2.0\n", "auc")
    again = Verdict.from_dict(json.loads(json.dumps(verdict.to_dict())))
    assert again == verdict and again.suggested_rating == 1
    assert "\x1b" not in verdict.report() and "\\x1b[31mred" in verdict.report()
    assert printable("a\tb\nc\x07") == "a\tb\nc\\x07"


def test_what_the_users_code_raises_reaches_the_headline_written_out() -> None:
    """The headline is shown on its own (`drill --edit`), logged and put in the interview's Markdown report:
    an exception's escape, OSC and bidi characters reached them raw."""
    source = "def roc_auc(y_true, y_score):\n    raise ValueError('\\x1b]0;title\\x07\\x1b[31mred \\u202eevil')\n"
    headline = check_code(source, "auc").headline
    assert headline.startswith("Error (line 2): ValueError:")
    assert "\x1b" not in headline and "\x07" not in headline and "\u202e" not in headline
    assert "\\x1b]0;title\\x07\\x1b[31mred U+202Eevil" in headline


def test_an_unknown_checker_is_a_key_error_with_a_suggestion() -> None:
    with pytest.raises(KeyError, match="Did you mean 'auc'"):
        check_code(AUC, "acu")


def test_processes_the_code_starts_are_stopped_with_it(tmp_path) -> None:
    pid_file = tmp_path / "pid"
    source = f'''
import subprocess
def roc_auc(y_true, y_score):
    child = subprocess.Popen(["sleep", "60"])
    open({str(pid_file)!r}, "w").write(str(child.pid))
    while True:
        pass
'''
    verdict = check_code(source, "auc", time_limit=1)
    assert verdict.status == "timeout"
    pid = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().split()[2] == "Z":
                    break  # killed, waiting to be reaped
        except FileNotFoundError:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"the code's child process {pid} is still running")


def test_the_report_counts_every_character_cut_not_only_those_it_cut_itself() -> None:
    """A million characters printed: the process keeps 4,000 and notes the rest; the report shows 1,500 and
    must say how many more were printed in all (it said 2,534, the rest of what was kept)."""
    kept = "x" * 4_000 + "\n... (996,001 more characters cut)"
    report = Verdict("error", "printed more than 1,000,000 characters", output=kept).report()
    assert "... (998,501 more characters cut)" in report
    assert report.count("x") == 1_500 and "996,001" not in report
    short = Verdict("error", "boom", output="y" * 2_000).report()
    assert "... (500 more characters cut)" in short
