"""Answer fuzzing: whatever a user types, every checker gives a verdict, never raises, and evaluates nothing.

The checkers: `solvers.parse_answer` (which may raise only `solvers.AnswerFormatError`), `solvers.check_answer`,
the `check` of a problem from every generator at every difficulty, and the study engine's
`parse_choice` and `Question.check` for choice, numeric and generated cards. Inputs are arbitrary text from
hypothesis plus hand-picked nasty cases (huge strings, code, nested brackets, NaN and infinities, digits from
other scripts). "Nothing is evaluated" is checked with a Python audit hook: while a checker runs, no code is
compiled or executed and no process is started.
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import solvers
from quizapp.study.questions import Outcome, build_question, parse_choice
from tests.reliability.summary import report
from tests.study_helpers import fixture_deck

FORBIDDEN_EVENTS = frozenset({
    "compile", "exec", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "subprocess.Popen", "pty.spawn", "ctypes.dlopen", "builtins.input", "code.__new__", "function.__new__",
})
VERDICTS = {"correct", "incorrect", "invalid"}






# --- nothing is evaluated ---------------------------------------------------------------------------------

_watch: list[list[str]] = []  # the events seen by the innermost active watch; empty list: not watching


def _audit(event: str, args: tuple) -> None:
    if _watch and (event in FORBIDDEN_EVENTS or event.startswith(("os.exec", "os.spawn", "os.posix_spawn"))):
        _watch[-1].append(f"{event}{args!r:.120}")


sys.addaudithook(_audit)  # audit hooks cannot be removed; outside a watch it only tests a list


@contextmanager
def watching() -> Iterator[list[str]]:
    """Collect the forbidden audit events raised inside the block."""
    seen: list[str] = []
    _watch.append(seen)
    try:
        yield seen
    finally:
        _watch.pop()


def test_the_audit_hook_sees_evaluation() -> None:
    """The detector works: eval, exec and compile inside a watch are all seen."""
    with watching() as seen:
        eval("1 + 1")  # noqa: S307 - the point of the test
        exec("x = 1")  # noqa: S102
        compile("y = 2", "<fuzz>", "exec")
    assert len(seen) >= 3, seen


# --- the checkers ------------------------------------------------------------------------------------------

Checker = Callable[[str], "str | None"]  # returns what is wrong with the verdict, None when it is fine


def _check_parse(text: str) -> str | None:
    try:
        value = solvers.parse_answer(text)
    except solvers.AnswerFormatError as error:
        return None if str(error) else "AnswerFormatError without a message"
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, float) and math.isfinite(v) for v in values):
        return f"parse_answer returned {value!r:.100}"
    return None


def _verdict_problem(verdict: object) -> str | None:
    if not isinstance(verdict, solvers.Verdict):
        return f"returned {type(verdict).__name__}, not a Verdict"
    if verdict.status not in VERDICTS or not isinstance(verdict.message, str) or not verdict.message:
        return f"bad verdict {verdict!r:.200}"
    return None


def _check_answer_against(expected: float | list[float], tolerance: solvers.Tolerance | None) -> Checker:
    def check(text: str) -> str | None:
        verdict = solvers.check_answer(text, expected, tolerance)
        problem = _verdict_problem(verdict)
        if problem is None and verdict.status != "invalid":
            try:
                solvers.parse_answer(text)
            except solvers.AnswerFormatError:
                return f"check_answer judged {verdict.status} what parse_answer cannot read"
        return problem

    return check


def _problem_checker(problem: solvers.Problem) -> Checker:
    return lambda text: _verdict_problem(problem.check(text))


def _choice_checker(count: int) -> Checker:
    def check(text: str) -> str | None:
        chosen = parse_choice(text, count)
        if isinstance(chosen, str):
            return None if chosen else "empty message"
        if not isinstance(chosen, frozenset) or not chosen or not chosen <= set(range(count)):
            return f"parse_choice returned {chosen!r:.100}"
        return None

    return check


def _question_checker(question) -> Checker:
    def check(text: str) -> str | None:
        outcome = question.check(text)
        if not isinstance(outcome, Outcome) or outcome.status not in VERDICTS or not outcome.message:
            return f"bad outcome {outcome!r:.200}"
        return None

    return check


def build_checkers() -> dict[str, Checker]:
    checkers: dict[str, Checker] = {"parse_answer": _check_parse}
    for label, expected, tolerance in (
        ("scalar, default tolerance", 0.75, None),
        ("scalar, exact", 0.0, solvers.Tolerance(abs=0.0)),
        ("vector, rel", [0.1, -0.2, 3e5], solvers.Tolerance(rel=0.01)),
        ("tiny, sig figs", 1.5e-300, solvers.Tolerance(sig_figs=3)),
    ):
        checkers[f"check_answer({label})"] = _check_answer_against(expected, tolerance)
    for name, solver in sorted(solvers.registry().items()):
        for difficulty in (1, 2, 3):
            checkers[f"{name}/d{difficulty}.check"] = _problem_checker(solver.generate(1234, difficulty))
    for count in range(2, 11):
        checkers[f"parse_choice(count={count})"] = _choice_checker(count)
    deck, rng = fixture_deck(), random.Random(0)
    for key in ("mini/pick-one", "mini/pick-many", "mini/number", "mini/gen"):
        checkers[f"Question.check({key})"] = _question_checker(build_question(deck.item(key), rng))
    return checkers


CHECKERS = build_checkers()


@dataclass
class Campaign:
    name: str
    inputs: int = 0
    checks: int = 0
    failures: list[str] = field(default_factory=list)

    def run(self, text: str) -> list[str]:
        """Every checker on `text`; returns (and records) what went wrong."""
        self.inputs += 1
        problems = []
        for name, checker in CHECKERS.items():
            self.checks += 1
            with watching() as evaluated:
                try:
                    problem = checker(text)
                except Exception as exc:
                    problem = f"raised {type(exc).__name__}: {str(exc)[:150]}"
            if evaluated:
                problem = f"evaluated something: {evaluated[:3]}"
            if problem:
                problems.append(f"{name} on {text[:60]!r}{'...' if len(text) > 60 else ''}: {problem}")
        self.failures += problems
        return problems

    def summary(self) -> str:
        return (f"answer fuzz [{self.name}]: {self.inputs} inputs x {len(CHECKERS)} checkers = {self.checks} checks, "
                f"{len(self.failures)} failures")


def assert_clean(request: pytest.FixtureRequest, campaign: Campaign) -> None:
    report(request.config, campaign.summary())
    assert not campaign.failures, f"{len(campaign.failures)} failures:\n" + "\n".join(campaign.failures[:25])


# --- nasty inputs ------------------------------------------------------------------------------------------


def nasty_answers(sentinel: Path) -> list[str]:
    code = [
        f"__import__('os').system('touch {sentinel}')",
        f"open('{sentinel}', 'w')",
        "eval('1+1')", "exec('import os')", "lambda: 0", "(lambda: 0)()", "().__class__.__base__.__subclasses__()",
        "${{7*7}}", "{{7*7}}", "%s%s%n", "'; DROP TABLE review_log; --", "1; import os", "__builtins__",
        "0.75 if True else 0", "sum([0.5, 0.25])", "3/4 + 0", "2**10", "1 << 3", "float('nan')",
    ]
    brackets = [
        "[" * 10_000 + "]" * 10_000, "[" * 400 + "1" + "]" * 400, "[[1, 2], [3]]", "((((1))))", "[1, [2, [3]]]",
        "[]", "()", "[,]", "[1,,2]", "[1, 2", "1, 2]", "[1) ", "(1]", "{1, 2}", "<1>", "[" * 999,
    ]
    specials = [
        "nan", "NaN", "-nan", "+nan", "inf", "-inf", "+inf", "Infinity", "-Infinity", "1e309", "-1e309",
        "1e-400", "9" * 400, "9" * 400 + "/1", "1/" + "0" * 400, "1/0", "0/0", "1/0.0", "0.0/0.0", "1e308/1e-308",
        "∞", "-∞", "1e", "1e+", "e5", ".", "-", "+", "%", "/", "1/", "/1", "1//2", "1/2/3", "50%%", "%50",
        "1.2.3", "--1", "+-1", "1_000", "0x10", "0b1", "0o7", "1j", "1e5_0", "0,75", "1,000", "1 000",
        "١٢٣", "٣.٥", "１２３", "１/２", "½", "²", "³", "①", "Ⅻ", "𝟙", "໓", "৩", "٣",  # digits of other scripts
        "\u2212 0.5", "\u22120.5", "−1/2",
    ]
    whitespace = ["", " ", "\t", "\n", "\r\n", "\x00", "1\x00", "\u00a0", "0.5\u00a0", "\u3000", "\u200b0.5", "\ufeff1",
                  "0.75.", "0.75..", "0.75 .", " 3/4 ", "\n0.5\n"]
    huge = ["x" * 1_000_000, "1" * 1_000_000, "a" * 1_000_000, "1, " * 333_333, "1," * 499 + "1", "a " * 500_000,
            "abcdefghij" * 100, "1 2 3 " + "9" * 100, "a" * 999 + "1", "\U0001f600" * 10_000]
    choices = ["a", "b", "A", "ac", "a c", "a,c", "a;c", "1", "1 3", "10", "0", "-1", "k", "aa", "a a a",
               "abcdefghijk", "ı", "İ", "ß", "ﬁ", "a\u0301", "1.5", "1e1", "a1", "1a", "a-c"]
    return code + brackets + specials + whitespace + huge + choices


def test_nasty_answers(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    sentinel = tmp_path / "SENTINEL"
    campaign = Campaign("nasty cases")
    for text in nasty_answers(sentinel):
        campaign.run(text)
    assert not sentinel.exists(), "an answer was executed: the sentinel file exists"
    assert_clean(request, campaign)


# --- arbitrary text ----------------------------------------------------------------------------------------

NUMBERISH = st.text(alphabet=st.sampled_from(list("0123456789.eE+-/%,;[]() \t\u2212nNaAiIfF_xj") + ["١", "²"]),
                    max_size=40)
ANSWERS = st.one_of(
    st.text(max_size=200),
    NUMBERISH,
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.lists(st.floats(), max_size=6).map(str),
    st.fractions().map(str),
    st.from_regex(r"\A[+-]?[0-9]{0,4}(\.[0-9]{0,4})?([eE][+-]?[0-9]{1,4})?%?\Z"),
)


def test_arbitrary_answers(request: pytest.FixtureRequest) -> None:
    campaign = Campaign("hypothesis text")

    @settings(max_examples=1500, derandomize=True, database=None, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(text=ANSWERS)
    def check(text: str) -> None:
        problems = campaign.run(text)
        assert not problems, problems[:5]

    try:
        check()
    finally:
        report(request.config, campaign.summary())
    assert not campaign.failures
