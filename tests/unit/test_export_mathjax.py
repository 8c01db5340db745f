"""Only math reaches MathJax from the Anki export: every command it reads in a field is on the allow-list.

MathJax 3 gives TeX links (`\\href`), page CSS and attributes (`\\style`, `\\bbox[css]`, `\\mmlToken[attrs]`),
extensions (`\\require`) and new commands (`\\def`); a deny-list of them let `\\mmlToken` and `\\bbox` through.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.deck.mathtext import is_latex_command
from quizapp.export.html import markdown_to_html
from quizapp.export.mathjax_safe import ALLOWED_COMMANDS, ALLOWED_ENVIRONMENTS, safe_math
from tests.mathjax_view import commands, formulas

# What MathJax 3's packages (base, ams, html, bbox, action, unicode, require, newcommand, mhchem, ...) read as
# more than math: links, CSS, attributes, tooltips, new commands, extensions.
HOSTILE = ("href url style class cssId data require mmlToken bbox enclose unicode texttip mathtip toggle "
           "endtoggle actiontype def gdef edef let newcommand renewcommand newenvironment DeclareMathOperator "
           "csname endcsname expandafter char mathchoice verb ce pu color colorbox fcolorbox definecolor "
           "html htmlClass htmlId htmlStyle htmlData includegraphics hspace kern mkern raise lower moveleft "
           "tag label ref eqref setOptions").split()


def allowed(name: str) -> bool:
    if name.startswith(("begin{", "end{")):
        return name.partition("{")[2][:-1] in ALLOWED_ENVIRONMENTS
    return name in ALLOWED_COMMANDS or (is_latex_command(name) and name not in ("begin", "end"))


def unsafe(page: str) -> list[str]:
    return [name for tex in formulas(page) for name in commands(tex) if not allowed(name)]


def test_no_hostile_command_is_allowed() -> None:
    assert not [name for name in HOSTILE if allowed(name)]


@pytest.mark.parametrize("markdown", [
    r'Check: $\mmlToken{mi}[href="javascript:alert(document.cookie)"]{\text{click}}$',
    r"$\bbox[position:fixed;top:0;left:0;width:100%;height:100%;background:white]{\text{Correct!}}$",
    r"$\text{$\mmlToken{mi}[href=x]{y}$}$ $\unicode[fixed]{x41}$ $\enclose{box}[style=x]{y}$",
    r"$\def\x{\mmlToken}\x{mi}[href=y]{z}$ $\csname mmlToken\endcsname{mi}{x}$",
    r"$\begin{evil}x\end{evil}$ $\begin {cases} a \\ b \end {cases}$ $\toggle{a}{b}\endtoggle$",
    r"text \\(\mmlToken{mi}[href=x]{y}\\) and &#92;[\bbox[x]{y}&#92;] and \\( $a$ \\)",
    r"$a}$ and $b{$ then \mmlToken{mi}[href=x]{y} } \\)",  # an unclosed brace ran on over the text
    "$$x\\$$ \\mmlToken{mi}[href=x]{y} $$y$$",  # a formula ending in a backslash escaped its closing
    r"$a \) \mmlToken{mi}[href=x]{y} \($ $\verb|\href|$ $\ce{\mmlToken}$",
])
def test_hostile_math_reaches_mathjax_as_text(markdown: str) -> None:
    for inline in (False, True):
        assert unsafe(markdown_to_html(markdown, inline=inline)) == []


def test_math_of_the_content_is_kept() -> None:
    tex = (r"\frac{\partial L}{\partial w} \ll \hat{y}_i \cdot \sqrt{\lambda} \mathbb{E}\left[x\right] "
           r"\begin{cases} a & b \\ c \end{cases} \operatorname{softmax} \text{ and } \{x\} \, \|w\|_2^2")
    assert safe_math(tex) == tex
    assert markdown_to_html(r"$\href{https://e.org}{paper}$") == r"\(\href{https://e.org}{paper}\)"


def test_a_command_left_out_is_shown_by_name() -> None:
    assert safe_math(r"\mmlToken{mi}[href=x]{y}") == r"\backslash\text{mmlToken}{mi}[href=x]{y}"
    assert safe_math("a\\") == r"a\backslash "
    assert safe_math(r"\(x") == r"\backslash{(}x"


PIECES = ["$", "$$", "\\", "\\\\", "{", "}", "[", "]", "(", ")", "\\(", "\\)", "\\[", "\\]", " ", "\n", "\n\n", "`",
          "```\n", "&#92;", "&amp;", "a", "x_1", "\\begin{", "\\end{", "cases}", "evil}", "%", "*", "<", "&", "|",
          "\\text{", "[sound:a.mp3]", "{{c1::", "}}"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(HOSTILE).map("\\".__add__),
                          st.from_regex(r"\\[A-Za-z]{1,8}", fullmatch=True)), max_size=30).map("".join),
       st.booleans())
def test_no_text_brings_a_command_outside_the_allow_list_to_mathjax(markdown: str, inline: bool) -> None:
    assert unsafe(markdown_to_html(markdown, inline=inline)) == []
