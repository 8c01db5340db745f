"""`quizapp generate` and `quizapp check` as a user runs them."""

from __future__ import annotations

import json

import pytest

import solvers
from quizapp.cli import main
from quizapp.deck.plaintext import markdown_to_text


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_names_every_solver(capsys) -> None:
    code, out, _ = run(capsys, "generate", "--list")
    assert code == 0
    assert {line.split()[0] for line in out.splitlines()} == set(solvers.registry())


def test_json_has_the_documented_fields_and_is_deterministic(capsys) -> None:
    code, out, _ = run(capsys, "generate", "auc", "--seed", "7", "--difficulty", "2", "--json")
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"solver", "seed", "difficulty", "params", "prompt", "answer", "tolerance", "solution"}
    assert (data["solver"], data["seed"], data["difficulty"]) == ("auc", 7, 2)
    assert json.loads(run(capsys, "generate", "auc", "--seed", "7", "--difficulty", "2", "--json")[1]) == data


def test_show_prints_answer_and_solution(capsys) -> None:
    code, out, _ = run(capsys, "generate", "prf", "--seed", "3", "--show")
    problem = solvers.get_solver("prf").generate(3, 1)
    assert code == 0 and "Answer:" in out and markdown_to_text(problem.solution).splitlines()[0] in out
    assert "$" not in out and "\\" not in out  # Markdown and LaTeX rendered for the terminal


@pytest.mark.parametrize(("answer", "code", "word"), [("right", 0, "Correct"), ("12345", 1, "Incorrect"),
                                                       ("seven", 2, "Could not read")])
def test_check_exit_codes(capsys, answer: str, code: int, word: str) -> None:
    problem = solvers.get_solver("batchnorm").generate(11, 1)
    text = repr(problem.answer) if answer == "right" else answer
    got, out, _ = run(capsys, "check", "batchnorm", "--seed", "11", text)
    assert got == code and out.startswith(word)
    assert out.lower().count("correct") <= 1  # said once, not "correct: Correct: ..."


def test_unknown_solver_suggests_a_name(capsys) -> None:
    code, _, err = run(capsys, "generate", "acu", "--seed", "1")
    assert code == 2 and "auc" in err and "Traceback" not in err
