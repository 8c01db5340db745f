"""A cloze's revealed answer is marked in bold, except where bold cannot be written: in math and code."""

from __future__ import annotations

import pytest

from quizapp.deck.mathtext import render_math
from quizapp.study.questions import render_cloze


@pytest.mark.parametrize("text, revealed", [
    ("kernel size {{c1::1}} over", "kernel size **1** over"),
    ("maps $d_{ff} = {{c1::2048}}$ and back", "maps $d_{ff} = 2048$ and back"),
    ("$$\\sqrt{ {{c1::x}} }$$ and {{c2::y}}", "$$\\sqrt{ x }$$ and y"),
    ("call `{{c1::np.mean}}(x)` then {{c1::sum}}", "call `np.mean(x)` then **sum**"),
    ("{{c1::$\\frac{1}{N}$}} of it", "**$\\frac{1}{N}$** of it"),
])
def test_the_revealed_answer_is_bold_outside_math_and_code(text: str, revealed: str) -> None:
    assert render_cloze(text, 1, reveal=True) == revealed


def test_a_deletion_in_math_shows_its_answer_without_stars() -> None:
    # The built-in conv-1x1/ffn-as-1x1-cloze showed 'd_ff = ∗∗2048∗∗': bold markers inside math are math
    shown = render_math(render_cloze("it maps $d_{model} = 512$ to $d_{ff} = {{c2::2048}}$ and back", 2,
                                     reveal=True))
    assert "2048" in shown and "∗" not in shown and "*" not in shown
