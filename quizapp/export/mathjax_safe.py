"""The math of an Anki field, cut down to TeX commands that only draw math.

MathJax 3 (which Anki uses) gives a card's TeX far more than math: `\\href`/`\\url` make links (Anki runs a
`javascript:` one when clicked); `\\style`, `\\class`, `\\cssId`, `\\data`, `\\bbox[css]`, `\\mmlToken[attrs]`
and `\\enclose[attrs]` put CSS and attributes on Anki's page (`position:fixed` covers the review screen);
`\\require` loads extensions, `\\def`/`\\newcommand`/`\\csname` build commands out of text, `\\toggle`,
`\\texttip` and `\\unicode[font]` and more come with the packages MathJax loads on first use. A list of what to
refuse is never finished, so every command outside an allow-list (the subset quizapp's renderer draws, and the
common symbols, fonts, accents and environments of MathJax's base and ams packages) is shown by its name
(`\\backslash\\text{bbox}`), its arguments as plain math. Web links stay; `\\style{css}{x}` and its kind keep `{x}`.
"""

from __future__ import annotations

import re

from quizapp.deck.mathtext import is_latex_command
from quizapp.links import is_web_link

__all__ = ["ALLOWED_COMMANDS", "ALLOWED_ENVIRONMENTS", "safe_math"]

ALLOWED_COMMANDS = frozenset("""
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa lambda mu nu xi omicron
    pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma
    Upsilon Phi Psi Omega digamma
    aleph beth hbar hslash imath jmath Re Im wp ell partial infty nabla surd angle triangle forall exists nexists
    neg lnot emptyset varnothing top bot prime backprime flat natural sharp dagger ddagger checkmark S P
    ldots cdots vdots ddots dots dotsc dotsb dotsm colon because therefore lt gt
    pm mp times div cdot ast star circ bullet cap cup sqcap sqcup vee wedge land lor setminus smallsetminus wr
    diamond triangleleft triangleright oplus ominus otimes oslash odot bigcirc amalg uplus ltimes rtimes
    le leq ge geq leqslant geqslant ll gg lll ggg neq ne equiv sim simeq approx approxeq cong asymp propto doteq
    prec succ preceq succeq subset supset subseteq supseteq subsetneq supsetneq in ni notin owns mid nmid
    parallel nparallel perp models vdash dashv lesssim gtrsim nleq ngeq nless ngtr triangleq
    to gets leftarrow rightarrow Leftarrow Rightarrow leftrightarrow Leftrightarrow longleftarrow longrightarrow
    Longleftarrow Longrightarrow longleftrightarrow Longleftrightarrow mapsto longmapsto uparrow downarrow
    Uparrow Downarrow updownarrow nearrow searrow swarrow nwarrow hookleftarrow hookrightarrow rightleftharpoons
    iff implies impliedby xrightarrow xleftarrow
    sum prod coprod int iint iiint oint bigcup bigcap bigvee bigwedge bigoplus bigotimes bigodot bigsqcup
    arccos arcsin arctan arg cos cosh cot coth csc deg det dim exp gcd hom inf ker lg lim liminf limsup ln log max
    min Pr sec sin sinh sup tan tanh bmod pmod mod
    left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr bigm Bigm langle rangle
    lbrace rbrace lbrack rbrack lfloor rfloor lceil rceil vert Vert lvert rvert lVert rVert backslash
    mathrm mathit mathbf mathsf mathtt mathcal mathscr mathfrak mathbb mathnormal boldsymbol text textrm textit
    textbf textsf texttt textnormal operatorname rm bf it sf tt cal
    hat widehat tilde widetilde bar overline underline vec dot ddot dddot check breve acute grave mathring
    overrightarrow overleftarrow underrightarrow overbrace underbrace overset underset stackrel
    frac dfrac tfrac cfrac binom dbinom tbinom sqrt root of over choose atop substack boxed not
    phantom hphantom vphantom smash limits nolimits displaystyle textstyle scriptstyle scriptscriptstyle
    quad qquad enspace thinspace medspace thickspace negthinspace hline cr
""".split()) | frozenset(", : ; ! > { } | \\ # $ % & _ /".split()) | {" "}
ALLOWED_ENVIRONMENTS = frozenset("""matrix pmatrix bmatrix Bmatrix vmatrix Vmatrix smallmatrix cases aligned
    gathered split array align align* gather gather* equation equation*""".split())

# What MathJax reads as one command: `\` and ASCII letters, or `\` and one character (or nothing, at the end).
_COMMAND = re.compile(r"\\([A-Za-z]+|.|$)", re.DOTALL)
_BRACE_OR_PAIR = re.compile(r"\\.|[{}]", re.DOTALL)
_ENVIRONMENT = re.compile(r"\s*\{([A-Za-z]+\*?)\}")
# Commands whose page effect is left out with their first group: the link of a non-web `\href`, the CSS or
# attributes of `\style`, `\class`, `\cssId`, `\data`, what `\require` loads.
_GROUP_DROPPED = {"href", "url", "style", "class", "cssId", "data", "require"}


def safe_math(latex: str) -> str:
    r"""`latex` with every command outside the allow-list shown by its name instead.

    >>> safe_math(r"\frac{a}{b} \bbox[position:fixed]{x} \style{color:red}{y}")
    '\\frac{a}{b} \\backslash\\text{bbox}[position:fixed]{x} {y}'
    """
    parts, position = [], 0
    for match in _COMMAND.finditer(latex):
        if match.start() < position:
            continue
        name = match.group(1)
        if name in _GROUP_DROPPED:
            kept, end = _without_page_effect(latex, match)
            if kept is None:
                continue
            parts += [latex[position:match.start()], kept]
            position = end
        elif name in ("begin", "end"):
            environment = _ENVIRONMENT.match(latex, match.end())
            if environment is None or environment.group(1) not in ALLOWED_ENVIRONMENTS:
                parts += [latex[position:match.start()], _shown(name)]
                position = match.end()
        elif name not in ALLOWED_COMMANDS and not is_latex_command(name):
            parts += [latex[position:match.start()], _shown(name)]
            position = match.end()
    return _closed("".join(parts) + latex[position:])


def _closed(latex: str) -> str:
    """`latex` with its unclosed `{` closed. MathJax ends a formula at the first `\\)` outside braces, so
    `\\(a{\\)` would run on over the text after it (unchecked, up to a `}\\)` there); like MathJax, `\\{` is
    no brace and a `}` that closes nothing is passed over."""
    depth = 0
    for token in _BRACE_OR_PAIR.findall(latex):
        depth += token == "{"
        depth -= token == "}" and depth > 0
    return latex + "}" * depth


def _shown(name: str) -> str:
    """A command's name as math text: letters in `\\text{}` (nothing there is read as TeX), any other character
    in a group, a lone `\\` at the end (or before a line break) as the backslash only."""
    if name.isalpha():
        return rf"\backslash\text{{{name}}}"
    return r"\backslash" + (f"{{{name}}}" if name.strip() else " ")


def _without_page_effect(latex: str, match: re.Match[str]) -> tuple[str | None, int]:
    """What replaces a `\\href`-like command at `match` and the index where the rest resumes; None to keep it.
    A web link is kept; a non-web one leaves its text (`\\url`: a note); `\\style{css}` and its kind drop the
    group; an unclosed link group drops the rest (it would be the target)."""
    command = match.group(1)
    start = match.end()
    while start < len(latex) and latex[start].isspace():
        start += 1
    end = _group_end(latex, start)
    link = command in ("href", "url")
    if link and end and is_web_link(latex[start + 1:end - 1]):
        return None, 0
    if end == 0:
        return "", len(latex) if link else start
    return (r"\text{(link left out)}" if command == "url" else ""), end


def _group_end(latex: str, start: int) -> int:
    """The index after the `{...}` group at `start` (braces balanced, `\\{` literal), or 0 if there is none."""
    if not latex.startswith("{", start):
        return 0
    depth, index = 0, start
    while index < len(latex):
        char = latex[index]
        if char == "\\":
            index += 2
            continue
        depth += (char == "{") - (char == "}")
        index += 1
        if depth == 0:
            return index
    return 0
