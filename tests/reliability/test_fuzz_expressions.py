"""Fuzzing the expression language and the template text parser.

Whatever the text, `parse_expression` and `Expression.evaluate` raise nothing but `ExpressionError`, and
`parse_text` nothing but `TemplateError`; no evaluation runs past its budget; and no code object is ever
executed, and no process started (an audit hook watches: `ast.parse` raises the "compile" event for its
syntax tree, but "exec" never happens).
"""

from __future__ import annotations

import sys
import time

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solvers.expressions import FUNCTIONS, Evaluation, ExpressionError, parse_expression
from solvers.templates import TemplateError, parse_text

FORBIDDEN = frozenset({"exec", "os.system", "os.posix_spawn", "os.spawn", "os.fork", "subprocess.Popen",
                       "ctypes.dlopen", "builtins.input", "import"})
SECONDS = 0.25
_seen: list[str] = []
_watching = [False]


def _audit(event: str, args: tuple) -> None:
    if _watching[0] and event in FORBIDDEN:
        _seen.append(event)


sys.addaudithook(_audit)  # cannot be removed; it only compares a string while not watching

TOKENS = st.sampled_from([
    "z", "k", "x", "y", "1", "0", "2", "-1", "0.5", "1e308", "9", "10**", "**", "*", "/", "//", "%", "+", "-",
    "(", ")", "[", "]", ",", ":", "<", "<=", "==", "!=", " and ", " or ", " not ", " if ", " else ", "True",
    ".", "__class__", "lambda", "'s'", "=", "ddof=1", "beta=2", "pi", *[f"{name}(" for name in FUNCTIONS],
])
SCOPE = {"z": np.array([0.5, -1.0, 2.0, 0.0]), "k": 2, "x": 1.5, "y": np.array([1.0, 0.0, 1.0, 0.0])}


def _run(text: str) -> None:
    evaluation = Evaluation(max_seconds=SECONDS)
    start = time.perf_counter()
    _watching[0] = True
    try:
        parse_expression(text).evaluate(SCOPE, evaluation)
    except ExpressionError:
        pass
    finally:
        _watching[0] = False
    assert time.perf_counter() - start < SECONDS + 0.5, text
    assert not _seen, (text, _seen)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TOKENS, max_size=30).map("".join))
def test_token_soup_is_a_content_error_or_a_value(text: str) -> None:
    _run(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_is_a_content_error_or_a_value(text: str) -> None:
    _run(text)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 40), st.sampled_from(["(", "[", "-", "not ", "abs(", "sum(["]))
def test_deep_nesting_is_refused_quickly(depth: int, opener: str) -> None:
    closer = {"(": ")", "[": "]", "-": "", "not ": "", "abs(": ")", "sum([": "])"}[opener]
    _run(opener * depth * 25 + "1" + closer * depth * 25)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("{}=:.3gxz_ \\[]()+1")), max_size=80))
def test_placeholder_parsing_raises_only_template_errors(text: str) -> None:
    try:
        pieces = parse_text(text, {"x", "z"})
    except TemplateError:
        return
    literal = "".join(p for p in pieces if isinstance(p, str))
    assert len(literal) <= len(text)


NUMBERS = st.one_of(st.integers(-10**6, 10**6), st.floats(-1e6, 1e6, allow_nan=False), st.sampled_from([0, 1, 2]),
                    st.lists(TOKENS, min_size=1, max_size=6).map("".join))
SPECS = st.fixed_dictionaries({}, optional={
    "integers": st.lists(NUMBERS, max_size=3), "uniform": st.lists(NUMBERS, max_size=3),
    "normal": st.lists(NUMBERS, max_size=3), "choice": st.one_of(st.lists(NUMBERS, max_size=4), NUMBERS),
    "shuffle": st.lists(NUMBERS, max_size=4), "expr": NUMBERS, "size": NUMBERS,
    "round": st.integers(-8, 14),
})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["x", "y", "z", "n"]), SPECS, max_size=3),
       st.one_of(st.none(), st.lists(TOKENS, max_size=8).map("".join)),
       st.lists(TOKENS, max_size=10).map("".join), st.text(alphabet="{}=:.3gxyzn _", max_size=40))
def test_random_templates_raise_only_template_errors_within_budget(params, where, answer, prompt) -> None:
    from solvers.templates import Template, TemplateErrors

    try:
        template = Template.build("fuzz/t", params=params, where=where, answer=answer or "1", prompt=prompt or "p")
    except TemplateErrors:
        return
    for seed in range(3):
        start = time.perf_counter()
        try:
            template.generate(seed)
        except TemplateError:
            pass
        assert time.perf_counter() - start < 3.0
