"""Math rendering: Unicode that reads the way the LaTeX means, checked by evaluating both."""

from __future__ import annotations

import re
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from quizapp.deck.mathtext import latex_to_unicode, render_math
from quizapp.paths import builtin_content_dir

VALUES = {"a": Fraction(3), "b": Fraction(5), "c": Fraction(7), "x": Fraction(2)}


@st.composite
def expressions(draw, depth: int = 0) -> tuple[str, Fraction]:
    """(LaTeX, exact value) for random arithmetic with fractions, products, powers and signs."""
    if depth >= 3 or draw(st.booleans()) and depth > 0:
        if draw(st.booleans()):
            number = draw(st.integers(1, 9))
            return str(number), Fraction(number)
        name = draw(st.sampled_from(sorted(VALUES)))
        return name, VALUES[name]
    kind = draw(st.sampled_from(["+", "-", "cdot", "frac", "pow", "group"]))
    left, lv = draw(expressions(depth + 1))
    right, rv = draw(expressions(depth + 1))
    if kind == "+":
        return f"{left} + {right}", lv + rv
    if kind == "-":
        return f"{left} - ({right})", lv - rv
    if kind == "cdot":
        return f"({left}) \\cdot ({right})", lv * rv
    if kind == "frac":
        assume(rv != 0)
        return f"\\frac{{{left}}}{{{right}}}", lv / rv
    if kind == "pow":
        return f"{{{left}}}^{{2}}", lv * lv
    return f"({left})", lv


def evaluate_unicode(text: str) -> Fraction:
    """Read the rendered text with ordinary precedence (what a person would do)."""
    python = text.replace("·", "*").replace("²", "**2")
    python = re.sub(r"(\d+)", r"Fraction(\1)", python)
    for name, value in VALUES.items():
        python = re.sub(rf"\b{name}\b", f"Fraction({value.numerator})", python)
    return eval(python, {"Fraction": Fraction})  # test-only: evaluates our own generated arithmetic


@settings(max_examples=400, deadline=None)
@given(expressions())
def test_rendered_math_means_what_the_latex_means(case: tuple[str, Fraction]) -> None:
    latex, value = case
    rendered = latex_to_unicode(latex)
    assert evaluate_unicode(rendered) == value, (latex, rendered)


def test_known_renderings() -> None:
    assert latex_to_unicode(r"\frac{a-b}{c}") == "(a-b)/c"
    assert latex_to_unicode(r"\mu_B = \frac{1}{m}\sum_{i=1}^m x_i") == "μ_B = (1/m)∑ᵢ₌₁ᵐ xᵢ"
    assert latex_to_unicode(r"\hat{x}_i = \frac{x_i - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}") == (
        "x̂ᵢ = (xᵢ - μ_B)/√(σ_B² + ε)"
    )
    assert latex_to_unicode(r"\lambda = \frac{1}{2\sigma^2}") == "λ = 1/(2σ²)"
    assert latex_to_unicode(r"\frac{1}{MN}") == "1/(MN)"
    assert latex_to_unicode(r"\frac{\partial J}{\partial w}") == "∂J/∂w"


def test_markdown_around_math_is_kept_and_code_is_left_alone() -> None:
    text = "Costs $5 or more; $x_i^2$ and `$not math$` and $$\\frac{a}{b+c}$$ done"
    rendered = render_math(text)
    assert rendered.startswith("Costs $5 or more; xᵢ² and `$not math$`")
    assert "a/(b+c)" in rendered and rendered.endswith("done")


def test_every_formula_in_the_deck_converts_fully() -> None:
    content = builtin_content_dir()
    for path in sorted(content.glob("*.yaml")):
        rendered = render_math(path.read_text(encoding="utf-8").replace("\\\\", "\\"))
        leftover = re.findall(r"\$[^$\n]*\\[a-zA-Z]+[^$\n]*\$", rendered)
        assert not leftover, f"{path.name}: unconverted math {leftover[:3]}"


def test_every_generated_problem_renders_fully() -> None:
    import solvers

    for name, solver in solvers.registry().items():
        for difficulty in (1, 2, 3):
            for seed in range(15):
                problem = solver.generate(seed, difficulty)
                for text in (problem.prompt, problem.solution):
                    leftover = re.findall(r"\\[a-zA-Z]+", render_math(text))
                    assert not leftover, f"{name} d{difficulty} seed {seed}: {leftover}"


def test_no_doubled_brackets_and_readable_subscripts() -> None:
    cases = {
        r"\text{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V": "softmax(QKᵀ/√dₖ)V",
        r"\left(\frac{1}{2}\right)^2": "(1/2)²",
        r"\sum_{i \in pos} rank_i": "∑[i ∈ pos] rankᵢ",
        r"x_{new} = x + \text{gap} \cdot (x_{nn} - x)": "x_new = x + gap · (xₙₙ - x)",
        r"n_{samples}/n_{classes}": "nₛₐₘₚₗₑₛ/n_classes",
        r"F_{0.5}": "F_0.5",
        r"\arg\max_y p(x \mid y)\,p(y)": "arg max_y p(x | y) p(y)",
        r"\ln \frac{\sigma(z)}{1 - \sigma(z)} = z": "ln(σ(z)/(1 - σ(z))) = z",
        r"\mu = \frac{1}{m} \sum_i x_i": "μ = (1/m) ∑ᵢ xᵢ",
        r"\tanh'(z)": "tanh′(z)",
        r"\frac{1}{F_1} = \frac{1}{2}\left(\frac{1}{P} + \frac{1}{R}\right)": "1/F₁ = (1/2)(1/P + 1/R)",
        r"\left\lfloor \frac{a + 1}{s} \right\rfloor": "⌊ (a + 1)/s ⌋",
    }
    for latex, expected in cases.items():
        assert latex_to_unicode(latex) == expected, latex


def test_too_deep_or_too_long_math_is_shown_as_its_source() -> None:
    deep = "$" + "{" * 500 + "x" + "}" * 500 + "$"
    assert render_math(deep).count("x") == 1 and "$" in render_math(deep)
    long = "$" + "x + " * 2000 + "y$"
    assert render_math(long).startswith("$x + x")


def test_an_unmatched_brace_in_math_is_a_content_problem(tmp_path) -> None:
    from quizapp.deck import load_deck

    path = tmp_path / "t.yaml"
    path.write_text("topic: t\ntitle: T\ncards:\n"
                    "  - id: extra\n    type: flashcard\n    front: 'Weight $0.9^{3}}$?'\n    back: b\n"
                    "  - id: open\n    type: flashcard\n    front: q\n    back: 'A $\\frac{a}{b$ c'\n"
                    "  - id: fine\n    type: flashcard\n    front: 'Sets $\\{x\\}$, $e^{z_{k}}$, {not math}}'\n"
                    "    back: b\n")
    deck = load_deck([path])
    messages = [str(error) for error in deck.errors]
    assert [card.id for card in deck.cards()] == ["fine"]
    assert any(":6:12: cards[0] (id extra): front: math `$0.9^{3}}$` has a `}` that closes nothing" in m
               for m in messages), messages
    assert any(":11:11: cards[1] (id open): back: math `$\\frac{a}{b$` has a `{` that is never closed" in m
               for m in messages), messages
