"""Template cards: drawing, placeholders, determinism, validation at file:line:col, and every place a card is used."""

from __future__ import annotations

import json
import random
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from quizapp.cli import main
from quizapp.deck import load_deck
from quizapp.deck.model import StudyItem
from quizapp.study.questions import build_question
from solvers import Tolerance
from solvers.templates import Template, TemplateError, TemplateErrors, format_value, parse_text

HEADER = "topic: t\ntitle: T\ncards:\n"
SOFTMAX = r"""  - id: softmax-entry
    type: template
    params:
      n: {integers: [3, 5]}
      z: {uniform: [-2, 2], size: n, round: 1}
      k: {integers: [1, 3]}
      s: {expr: "sum(exp(z))"}
    where: "max(z) - min(z) >= 1"
    prompt: 'Logits $z = {z}$. What is $\mathrm{softmax}(z)_{k}$? Give 3 significant figures.'
    answer: "exp(z[k-1]) / s"
    tolerance: {sig_figs: 3}
    solution: 'Here $e^{z_k} = {=exp(z[k-1]):.4g}$ and $\sum_j e^{z_j} = {=s:.4g}$, so the answer is {=answer:.3g}.'
    difficulty: 2
"""


def template(params, answer="x", prompt="{x}", **kwargs) -> Template:
    return Template.build("t/card", params=params, prompt=prompt, answer=answer, **kwargs)


def draws(params, name="x", count=2000, difficulty=1):
    t = template(params, answer="1", prompt="-")
    return [t.generate(seed, difficulty).params[name] for seed in range(count)]


# --- distributions ---------------------------------------------------------------------------------


def test_integers_are_inclusive_and_uniform() -> None:
    values = draws({"x": {"integers": [2, 5]}})
    counts = Counter(values)
    assert set(counts) == {2, 3, 4, 5}
    assert stats.chisquare(list(counts.values())).pvalue > 1e-4


def test_uniform_is_rounded_at_the_draw_and_spans_the_range() -> None:
    values = np.array(draws({"x": {"uniform": [-2, 2], "round": 1}}))
    assert values.min() >= -2 and values.max() <= 2
    assert np.allclose(values, np.round(values, 1), atol=0)
    raw = draws({"x": {"uniform": [0, 1]}})
    assert stats.kstest(raw, "uniform").pvalue > 1e-4


def test_normal_has_its_mean_and_sd() -> None:
    values = draws({"x": {"normal": [10, 2]}}, count=4000)
    assert stats.kstest(values, "norm", args=(10, 2)).pvalue > 1e-4
    rounded = draws({"x": {"normal": [0, 1], "round": 2}}, count=50)
    assert all(round(v, 2) == v for v in rounded)


def test_choice_picks_items_and_vectors_of_items() -> None:
    assert set(draws({"x": {"choice": [0.1, 0.5, 7]}})) == {0.1, 0.5, 7}
    vectors = draws({"x": {"choice": [1, 2], "size": 4}}, count=20)
    assert all(len(v) == 4 and set(v) <= {1, 2} for v in vectors)
    from_vector = draws({"z": {"expr": "[3, 4, 5]"}, "x": {"choice": "z * 2"}})
    assert set(from_vector) == {6, 8, 10}


def test_shuffle_is_a_permutation_and_with_size_a_sample_without_replacement() -> None:
    orders = draws({"x": {"shuffle": [1, 2, 3]}}, count=600)
    assert all(sorted(order) == [1, 2, 3] for order in orders)
    assert len({tuple(order) for order in orders}) == 6
    samples = draws({"x": {"shuffle": [1, 2, 3, 4, 5], "size": 3}}, count=100)
    assert all(len(set(s)) == 3 for s in samples)


def test_size_may_be_a_parameter_and_expr_derives_values_in_order() -> None:
    t = template({"n": {"integers": [2, 4]}, "v": {"integers": [0, 9], "size": "n"}, "s": {"expr": "sum(v)"}},
                 answer="s", prompt="{v}")
    for seed in range(50):
        problem = t.generate(seed)
        assert len(problem.params["v"]) == problem.params["n"]
        assert problem.params["s"] == sum(problem.params["v"]) == problem.answer


def test_bounds_may_use_difficulty_and_earlier_parameters() -> None:
    t = template({"n": {"integers": [1, "difficulty * 10"]}, "m": {"integers": [0, "n"]}}, answer="m", prompt="{m}")
    for difficulty in (1, 2, 3):
        values = [t.generate(seed, difficulty).params for seed in range(100)]
        assert max(v["n"] for v in values) <= 10 * difficulty and all(v["m"] <= v["n"] for v in values)


def test_where_redraws_until_true() -> None:
    values = draws({"x": {"integers": [0, 9]}}, count=1)  # warm
    t = template({"x": {"integers": [0, 9]}}, where="x % 2 == 0 and x > 0")
    values = [t.generate(seed).params["x"] for seed in range(200)]
    assert set(values) == {2, 4, 6, 8}


def test_where_never_true_is_a_bounded_error() -> None:
    t = template({"x": {"integers": [0, 9]}}, where="x > 10")
    start = time.perf_counter()
    with pytest.raises(TemplateError, match="still false after 1,000 draws") as caught:
        t.generate(3)
    assert time.perf_counter() - start < 1.0
    assert (caught.value.path, caught.value.seed) == (("where",), 3)


def test_large_draws_under_a_false_where_stop_at_the_budget() -> None:
    params = {f"v{i}": {"uniform": [0, 1], "size": 10_000} for i in range(20)}
    t = template(params, where="False", answer="1", prompt="-")
    start = time.perf_counter()
    with pytest.raises(TemplateError, match="too much work|too slow"):
        t.generate(0)
    assert time.perf_counter() - start < 5.0


def test_text_that_grows_too_long_when_filled_in_is_refused() -> None:
    t = template({"v": {"uniform": [0, 1], "size": 10_000}}, answer="1", prompt="{v}" * 1000)
    with pytest.raises(TemplateError, match="too long once filled in"):
        t.generate(0)


# --- placeholders ----------------------------------------------------------------------------------


def test_placeholders_next_to_latex_braces() -> None:
    t = template({"k": {"integers": [2, 2]}, "z": {"expr": "[0.5, 1]"}},
                 prompt=r"$\mathrm{softmax}(z)_{k}$, $\frac{1}{2}$, $x_{i}$, $e^{z_{ {k} }}$, {{k}, {{=k}, {=k*2:.2f}, {=z}",
                 answer="z[0]")
    assert t.generate(0).prompt == r"$\mathrm{softmax}(z)_2$, $\frac{1}{2}$, $x_{i}$, $e^{z_{ 2 }}$, {k}, {=k}, 4.00, [0.5, 1]"


def test_vectors_and_numbers_show_exactly_the_drawn_values() -> None:
    assert format_value(np.array([0.1, -2.0, 3.25])) == "[0.1, -2, 3.25]"
    assert format_value(0.30000000000000004) == "0.30000000000000004"
    assert format_value(7) == "7" and format_value(-0.0) == "0"
    assert format_value(np.array([0.12345, 2.0]), ".3g") == "[0.123, 2]"
    assert format_value(3.0, "d") == "3"


def test_braces_inside_an_expression_are_counted_and_slices_keep_their_colon() -> None:
    pieces = parse_text("{=z[1:3]} and {=max(z[0:2]):.2f}", {"z"})
    assert len(pieces) == 3 and pieces[1] == " and "


@pytest.mark.parametrize(("text", "message", "offset"), [
    ("value {=x +}", "syntax error", None), ("{=x", "never closed", 0), ("a {=x:>1000000}", "not supported", 6),
    ("{=y}", "unknown name `y`", 2), ("{=open('f')}", "unknown function", 2),
    # `{x:.2f}` was shown braces and all; `{=answer}` in a prompt said only "unknown name"
    ("x is {x:.2f}", "`{x:.2f}` would be shown as written: to format a parameter write `{=x:.2f}`", 5),
    ("{=2 * answer}", "unknown name `answer`: `answer` is a name in the solution only", 6),
])
def test_bad_placeholders_are_errors_at_their_column(text: str, message: str, offset: int | None) -> None:
    with pytest.raises(TemplateErrors) as caught:
        template({"x": {"integers": [1, 2]}}, prompt=text)
    (error,) = caught.value.errors
    assert message in error.message and error.path == ("prompt",)
    assert offset is None or error.offset == offset


def test_answer_is_a_name_in_the_solution_only() -> None:
    t = template({"x": {"integers": [3, 3]}}, answer="x / 4", solution="so {=answer:.2f} ({answer})")
    assert t.generate(0).solution == "so 0.75 (0.75)"
    assert template({"x": {"integers": [3, 3]}}, prompt="{answer}").generate(0).prompt == "{answer}"


def test_braces_with_a_colon_that_is_no_format_stay_text() -> None:
    assert template({"x": {"integers": [3, 3]}}, prompt=r"$\{x: x > 0\}$ {x}").generate(0).prompt == r"$\{x: x > 0\}$ 3"


def test_the_default_solution_shows_the_answer_as_the_answer_line_does() -> None:
    """Without a solution, the card said "The answer is 15.200000000000001." under "Answer: 15.2"."""
    assert template({"x": {"integers": [19, 19]}}, answer="x * 0.8").generate(0).solution == "The answer is 15.2."


# --- determinism and checking ----------------------------------------------------------------------


def test_deterministic_in_key_seed_and_difficulty() -> None:
    params = {"n": {"integers": [3, 5]}, "z": {"uniform": [-2, 2], "size": "n", "round": 1}}
    one = Template.build("t/a", params=params, prompt="{z}", answer="sum(z)")
    same = Template.build("t/a", params=params, prompt="{z}", answer="sum(z)")
    other = Template.build("t/b", params=params, prompt="{z}", answer="sum(z)")
    assert one.generate(5, 2) == same.generate(5, 2)
    assert one.generate(5, 2).params != one.generate(6, 2).params
    assert one.generate(5, 2).params != one.generate(5, 3).params
    assert one.generate(5, 2).params != other.generate(5, 2).params


def test_checking_reuses_the_solvers_tolerant_parser() -> None:
    t = template({"x": {"integers": [3, 3]}}, answer="[x / 4, x]", tolerance=Tolerance(sig_figs=2))
    problem = t.generate(0)
    assert problem.check("0.75, 3").status == "correct"
    assert problem.check("[75%, 3]").status == "correct"
    assert problem.check("[0.8, 3]").status == "incorrect"
    assert problem.check("three").status == "invalid"


def test_build_collects_every_problem() -> None:
    with pytest.raises(TemplateErrors) as caught:
        Template.build("t/x", params={"n": {"integers": [3]}, "sum": {"expr": "1"}, "m": {"expr": "q"},
                                      "w": {"uniform": [0, 1], "round": 1, "sizes": 3}},
                       prompt="{=}", answer="nn", difficulty=4)
    paths = [e.path for e in caught.value.errors]
    assert paths == [("params", "n", "integers"), ("params", "sum"), ("params", "m", "expr"),
                     ("params", "w", "sizes"), ("answer",), ("prompt",), ("difficulty",)]


# --- content files ---------------------------------------------------------------------------------


def write(tmp_path: Path, cards: str) -> Path:
    path = tmp_path / "t.yaml"
    path.write_text(HEADER + cards)
    return path


def errors_of(path: Path) -> list[str]:
    return [str(e) for e in load_deck([path]).errors]


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_the_issue_example_loads_and_asks_in_review(tmp_path: Path) -> None:
    path = write(tmp_path, SOFTMAX)
    deck = load_deck([path])
    assert deck.errors == ()
    (card,) = deck.cards()
    question = build_question(StudyItem(card), random.Random(4))
    assert question.kind == "generated" and question.auto_checked and question.seed is not None
    assert "Logits $z = [" in question.prompt and r"\mathrm{softmax}(z)_" in question.prompt
    assert question.check(repr(question.problem.answer)).status == "correct"
    assert question.check("12").status == "incorrect"


@pytest.mark.parametrize("name", ["a-b", "1st", "[b]x"])
def test_a_bad_parameter_name_says_what_a_parameter_name_is(tmp_path: Path, name: str) -> None:
    """It said "use lowercase letters, digits and '-' (like 'auc-basics')", the rule for ids, where a '-'
    is a minus sign."""
    path = write(tmp_path, f"  - id: bad\n    type: template\n    params:\n      '{name}': {{integers: [1, 3]}}\n"
                           "    prompt: 'x'\n    answer: '1'\n")
    (error,) = errors_of(path)
    assert error.startswith(f"{path}:{line_of(path, name)}:7: ") and "-' (like 'auc-basics')" not in error
    assert error.endswith(f"'{name}' is not a valid parameter name: use letters, digits and _, starting with a "
                          "letter or _, at most 32 (like 'n' or 'lr_0'); a '-' would read as a minus sign")


@pytest.mark.parametrize("distribution", ["normal: [1e308, 1e308]", "uniform: [-1e308, 1e308]"])
def test_a_draw_beyond_the_float_range_is_an_error(tmp_path: Path, distribution: str) -> None:
    """The answer did not use it, so validate passed, and a quarter of the questions showed 'x is inf'."""
    path = write(tmp_path, f"  - id: bad\n    type: template\n    params:\n      x: {{{distribution}}}\n"
                           "    prompt: 'x is {x}'\n    answer: '1'\n")
    (error,) = errors_of(path)
    assert error.startswith(f"{path}:{line_of(path, 'x: ')}:")
    assert f"params.x.{distribution.split(':')[0]}: " in error and "a draw overflows (infinite or not a number)" in error


SLOW = """  - id: slow{i}
    type: template
    params:
      a: {{integers: [1, 200]}}
      b: {{integers: [1, 200]}}
    where: "a == b + sum([{terms}])"
    prompt: 'p {{a}}'
    answer: a
"""


def checking_seconds(monkeypatch) -> list[float]:
    """The time each template's check takes in loads from now on (TemplateBudget.check, which the budget counts):
    what a bound on it proves does not depend on how fast the machine reads YAML."""
    from quizapp.deck.templates import TemplateBudget

    spent: list[float] = []
    check = TemplateBudget.check

    def timed(self, *args):
        started = time.perf_counter()
        try:
            return check(self, *args)
        finally:
            spent.append(time.perf_counter() - started)

    monkeypatch.setattr(TemplateBudget, "check", timed)
    return spent


def test_a_file_of_slow_templates_is_checked_within_its_time(tmp_path: Path, monkeypatch) -> None:
    """Each instance has its own limits, but a file of slow templates (a `where` that takes ~200 draws of a long
    expression: about a second a card) took a second a card, so 2,000 of them took half an hour to load."""
    import quizapp.deck.templates as deck_templates

    monkeypatch.setattr(deck_templates, "VALIDATION_SECONDS", 1.0)
    spent = checking_seconds(monkeypatch)
    terms = ", ".join(["abs(a-b)*0"] * 75)
    path = write(tmp_path, "".join(SLOW.format(i=i, terms=terms) for i in range(8)) + SOFTMAX)
    errors = errors_of(path)
    assert len(spent) == 9 and sum(spent) < 4  # without the limit: about 8 s (a second for each slow card)
    unchecked = [e for e in errors if "not checked: checking templates may take 1 s in all, every loaded file's" in e]
    assert unchecked and unchecked[-1].startswith(f"{path}:{line_of(path, 'id: softmax')}:5: ")


def test_the_time_for_checking_templates_holds_for_the_whole_load(tmp_path: Path, monkeypatch) -> None:
    """The time was per file: a deck of many files of slow templates, each just under it, took it once per
    file (20 files, 200 s). One load has it once, and each card left out says where it ran out."""
    import quizapp.deck.templates as deck_templates

    monkeypatch.setattr(deck_templates, "VALIDATION_SECONDS", 0.25)  # a slow card takes about 1 s to check
    spent = checking_seconds(monkeypatch)
    terms = ", ".join(["abs(a-b)*0"] * 75)
    folder = tmp_path / "content"
    folder.mkdir()
    for number in range(8):
        (folder / f"t{number}.yaml").write_text(HEADER.replace("topic: t", f"topic: t{number}")
                                                + SLOW.format(i=0, terms=terms) + SOFTMAX)
    errors = load_deck([folder], cache=tmp_path / "cache").errors
    assert len(spent) == 16 and sum(spent) < 1  # with the time per file: 8 x 0.25 s at least, one per slow card
    first = f"{folder / 't0.yaml'}:{line_of(folder / 't0.yaml', 'id: slow0')}:5"
    assert str(errors[0]).startswith(f"{first}: cards[0] (id slow0): not checked: checking templates may take 0.25 s "
                                     "in all, every loaded file's together, and the time ran out at this card; ")
    later = [error for error in errors if error.path.name != "t0.yaml"]
    assert len(later) == 14 and all(f"the time ran out at {first};" in error.message for error in later)

    monkeypatch.setattr(deck_templates, "VALIDATION_SECONDS", 10.0)  # a file the time ran out for is not cached
    assert load_deck([folder / "t7.yaml"], cache=tmp_path / "cache").errors == ()


_watch = [False]
_ran: list[str] = []


def _audit(event: str, args: tuple) -> None:
    if _watch[0] and event in {"exec", "os.system", "subprocess.Popen", "os.posix_spawn", "os.fork"}:
        _ran.append(event)


sys.addaudithook(_audit)  # audit hooks stay for the process; outside a watch this only compares a flag

HOSTILE = [
    ("__import__('os')", "unknown function `__import__`"),
    ("().__class__.__bases__", "attribute access"),
    ("9**9**9**9", "power too large"),
    ("sum(range(10**12))", "unknown function `range`"),
    ("(" * 10_000 + "1" + ")" * 10_000, "too long"),
    ("(" * 200 + "1" + ")" * 200, "nested too deeply"),
    ("lambda: 1", "lambda"),
    ("[v for v in [1]]", "comprehensions"),
    ("x.real", "attribute access"),
    ("nobody + 1", "unknown name `nobody`"),
    ("factorial(10**7)", "factorial(n) needs"),
    ("1 / (x - x)", "division by zero"),
    ("log(x - 10)", "log of"),
]


@pytest.mark.parametrize(("expression", "message"), HOSTILE, ids=[f"hostile-{i}" for i in range(len(HOSTILE))])
def test_hostile_answers_are_refused_by_validate_at_their_line(tmp_path: Path, expression: str, message: str) -> None:
    card = ("  - id: bad\n    type: template\n    params:\n      x: {integers: [1, 3]}\n"
            f"    prompt: 'x is {{x}}'\n    answer: \"{expression}\"\n")
    errors_of(write(tmp_path, SOFTMAX))  # first loads import modules and build validators: not watched
    path = write(tmp_path, card)
    tracemalloc.start()
    start = time.perf_counter()
    _watch[0] = True
    try:
        errors = errors_of(path)
    finally:
        _watch[0] = False
    seconds, peak = time.perf_counter() - start, tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert seconds < 2.0 and peak < 50_000_000, (seconds, peak)
    assert _ran == [], _ran  # nothing was executed, no process started
    assert len(errors) == 1 and message in errors[0], errors
    assert errors[0].startswith(f"{path}:{line_of(path, 'answer:')}:")


def test_a_where_never_true_is_reported_at_its_line_with_the_seed(tmp_path: Path) -> None:
    path = write(tmp_path, "  - id: w\n    type: template\n    params:\n      x: {integers: [1, 3]}\n"
                           "    where: \"x > 3\"\n    prompt: '{x}'\n    answer: \"x\"\n")
    (error,) = errors_of(path)
    assert error.startswith(f"{path}:{line_of(path, 'where:')}:13:") and "still false after 1,000 draws" in error and "(seed 0" in error


def test_errors_point_at_the_column_inside_prompts_and_block_scalars(tmp_path: Path) -> None:
    path = write(tmp_path, "  - id: p\n    type: template\n    params:\n      x: {integers: [0, 3]}\n"
                           "    prompt: |\n      First line, $\\frac{1}{2}$.\n      Then {=log(x)} here.\n"
                           "    answer: \"x\"\n")
    (error,) = errors_of(path)
    assert error.startswith(f"{path}:{line_of(path, 'Then')}:14:") and "log of 0" in error and "seed" in error


@pytest.mark.parametrize("indicator", [">", ">-", ">+", "|"])
def test_errors_inside_folded_scalars_point_at_their_line_and_column(tmp_path: Path, indicator: str) -> None:
    """A folded scalar (`>`) joins its lines with spaces, so its value's lines are not the file's: the error was
    placed at the `>` (8:13) instead of the expression."""
    path = write(tmp_path, "  - id: f\n    type: template\n    params:\n      x: {integers: [1, 3]}\n"
                           f"    prompt: {indicator}\n      What is\n      {{=x / (x - x)}}\n      here?\n"
                           "    answer: x\n")
    (error,) = errors_of(path)
    assert error.startswith(f"{path}:{line_of(path, '{=x')}:14:") and "division by zero" in error


def test_a_cut_cloze_deletion_in_a_folded_scalar_is_placed_at_its_braces(tmp_path: Path) -> None:
    path = write(tmp_path, "  - id: c\n    type: cloze\n    text: >\n      The mean is\n"
                           "      {{c1::$\\frac{1}{n}}} \\sum x$}} and so on\n      here.\n")
    (error,) = errors_of(path)
    assert error.startswith(f"{path}:{line_of(path, '{{c1')}:24:") and "ends it" in error


def test_a_vector_answer_whose_length_changes_between_seeds_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "  - id: v\n    type: template\n    params:\n      n: {integers: [2, 4]}\n"
                           "      z: {integers: [0, 9], size: n}\n    prompt: '{z}'\n    answer: \"z * 2\"\n")
    (error,) = errors_of(path)
    assert error.startswith(f"{path}:{line_of(path, 'answer:')}:14:") and "shape changes between seeds" in error


def test_param_problems_point_at_the_param(tmp_path: Path) -> None:
    path = write(tmp_path, "  - id: q\n    type: template\n    params:\n      x: {integers: [1, 3]}\n"
                           "      y: {expr: \"x + zz\"}\n    prompt: '{x}'\n    answer: \"y\"\n")
    (error,) = errors_of(path)
    assert error.startswith(f"{path}:{line_of(path, 'zz')}:22:") and "unknown name `zz`" in error
    path = write(tmp_path, "  - id: q\n    type: template\n    params:\n      w: {unifrom: [0, 1]}\n"
                           "    prompt: 'w'\n    answer: \"1\"\n")
    (error,) = errors_of(path)
    assert error.startswith(f"{path}:{line_of(path, 'unifrom')}:11:") and "unifrom" in error


HUGE = "9" * 400


def test_an_absurd_number_is_quoted_short_and_worded_as_for_a_numeric_answer(tmp_path: Path) -> None:
    """`round: 999...` printed all its digits back, and a huge bound said "over 1024 bits" where a numeric card's
    answer says "too large a number": one message, a few dozen characters long, for the same mistake."""
    path = write(tmp_path, f"""  - id: huge-round
    type: template
    params:
      x: {{uniform: [0, 1], round: {HUGE}}}
    prompt: '{{x}}'
    answer: "x"
  - id: huge-bound
    type: template
    params:
      x: {{integers: [1, {HUGE}]}}
    prompt: '{{x}}'
    answer: "x"
  - id: huge-literal
    type: template
    params:
      x: {{integers: [1, 3]}}
    prompt: '{{x}}'
    answer: "x + {HUGE}"
  - id: huge-answer
    type: numeric
    prompt: q
    answer: {HUGE}
""")
    errors = errors_of(path)
    assert len(errors) == 4 and max(map(len, errors)) < len(str(path)) + 140, errors
    assert errors[0].startswith(f"{path}:7:35: cards[0] (id huge-round): params.x.round: round is a number of "
                                "decimals from -6 to 12, got 9999") and errors[0].endswith("...")
    same = "too large a number (400 digits): a number here is at most about 1.8e308"
    assert errors[1:] == [f"{path}:13:25: cards[1] (id huge-bound): params.x.integers[1]: {same}",
                          f"{path}:21:18: cards[2] (id huge-literal): answer: {same}",
                          f"{path}:25:13: cards[3] (id huge-answer): answer: {same}"]


def test_one_bad_template_does_not_hide_the_good_cards(tmp_path: Path) -> None:
    path = write(tmp_path, SOFTMAX + "  - id: bad\n    type: template\n    params:\n      x: {integers: [0, 1]}\n"
                                     "    prompt: '{x}'\n    answer: \"1 / x\"\n")
    deck = load_deck([path])
    assert [c.id for c in deck.cards()] == ["softmax-entry"] and len(deck.errors) == 1


# --- commands and export ---------------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_generate_and_check_a_template_card(tmp_path: Path, capsys, isolated_env) -> None:
    write(tmp_path, SOFTMAX)
    common = ["--no-builtin", "--content", str(tmp_path)]
    code, out, _ = run(capsys, "generate", "t/softmax-entry", "--seed", "9", "--json", *common)
    data = json.loads(out)
    assert code == 0 and {"params", "prompt", "answer", "tolerance", "solution"} <= set(data)
    assert data["difficulty"] == 2 and data["seed"] == 9
    assert json.loads(run(capsys, "generate", "t/softmax-entry", "--seed", "9", "--json", *common)[1]) == data
    code, out, _ = run(capsys, "generate", "t/softmax-entry", "--seed", "9", "--show", *common)
    from quizapp.deck.plaintext import markdown_to_text

    assert code == 0 and markdown_to_text(data["prompt"]) in out and markdown_to_text(data["solution"]) in out
    assert "Answer:" in out and "$" not in out  # a terminal gets the math in Unicode
    right = f"{data['answer']:.3g}"
    assert run(capsys, "check", "t/softmax-entry", "--seed", "9", right, *common)[0] == 0
    assert run(capsys, "check", "t/softmax-entry", "--seed", "9", "42", *common)[0] == 1
    assert run(capsys, "check", "t/softmax-entry", "--seed", "9", "forty", *common)[0] == 2
    hard = json.loads(run(capsys, "generate", "t/softmax-entry", "--seed", "9", "--difficulty", "3", "--json",
                          *common)[1])
    assert hard["difficulty"] == 3
    code, _, err = run(capsys, "generate", "t/nothing", "--seed", "1", *common)
    assert code != 0 and "no card 't/nothing'" in err and "Traceback" not in err
    code, _, err = run(capsys, "generate", "t/softmax-entry#c1", "--seed", "9", *common)  # a deletion's key
    assert code != 0 and "no card 't/softmax-entry#c1'" in err  # it generated, seeded by the made-up key


def test_anki_export_writes_k_instances_of_a_template(tmp_path: Path) -> None:
    from quizapp.export.anki import build_decks

    write(tmp_path, SOFTMAX)
    deck = load_deck([tmp_path / "t.yaml"])
    decks, summary = build_decks(deck, instances=4)
    notes = decks[0].notes
    assert summary.notes == 4 and len({note.guid for note in notes}) == 4
    assert len({note.fields[0] for note in notes}) == 4 and all("Logits" in note.fields[0] for note in notes)


def test_quiz_includes_template_cards_by_default() -> None:
    from quizapp.study.quiz import DEFAULT_QUIZ_TYPES

    assert "template" in DEFAULT_QUIZ_TYPES


def test_the_readme_example_file_validates(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "example.yaml").write_text(block)
    deck = load_deck([tmp_path / "example.yaml"])
    assert [str(e) for e in deck.errors] == []
    assert "template" in {card.type for card in deck.cards()}


def test_a_brace_left_unmatched_once_filled_in_is_reported_with_the_way_to_write_it(tmp_path: Path) -> None:
    # `{{` writes one `{`, so `^{{{=n - 1}}}` balances as written but leaves a `}` too many once filled.
    card = ("  - id: ema\n    type: template\n    params:\n      n: {integers: [2, 4]}\n"
            "    prompt: 'What is $0.9^{n}$?'\n    answer: '0.9 ** n'\n"
            "    solution: 'It is $0.9^{{{=n - 1}}} \\cdot 0.9$.'\n")
    path = write(tmp_path, card)
    (message,) = errors_of(path)
    where = f":{line_of(path, 'solution:')}:15: cards[0] (id ema): solution: math `$0.9^" + "{"
    assert where in message and "}} \\cdot 0.9$`" in message
    assert "has a `}` that closes nothing" in message and "write `{ {=expr} }`" in message
    fixed = write(tmp_path, card.replace("{{{=n - 1}}}", "{ {=n - 1} }"))
    assert errors_of(fixed) == []
