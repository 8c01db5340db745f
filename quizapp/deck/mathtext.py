"""LaTeX math in Markdown -> readable Unicode for the terminal.

`$\\frac{a-b}{c}$` becomes `(a-b)/c`, never `a-b/c`: a fraction's numerator or denominator is bracketed
unless it is a single atom. Sub- and superscripts use Unicode where every character has a form, and
`_(...)`/`^(...)` otherwise. Display math (`$$...$$`) becomes its own paragraph, one line per row.
Only a small, common subset of LaTeX is understood; an unknown command is shown by its name.
Nesting is bounded (`MAX_MATH_DEPTH`, which validation reports too); math that cannot be drawn is shown
as written, so rendering never raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["DISPLAY_MATH", "INLINE_MATH", "MAX_MATH_DEPTH", "is_latex_command", "latex_to_unicode", "math_problem",
           "render_math", "replace_math", "verbatim_spans"]

MAX_MATH_DEPTH = 40  # groups inside groups; real formulas stay under 10
MAX_MATH_CHARS = 4000

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}
SYMBOLS = {
    **GREEK,
    "cdot": "·", "times": "×", "div": "÷", "pm": "±", "mp": "∓", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥",
    "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼", "simeq": "≃", "equiv": "≡", "propto": "∝", "in": "∈",
    "notin": "∉", "subset": "⊂", "subseteq": "⊆", "cup": "∪", "cap": "∩", "sum": "∑", "prod": "∏", "int": "∫",
    "partial": "∂", "nabla": "∇", "infty": "∞", "to": "→", "rightarrow": "→", "leftarrow": "←",
    "Rightarrow": "⇒", "Leftarrow": "⇐", "iff": "⇔", "implies": "⇒", "mapsto": "↦", "mid": "|", "|": "‖",
    "lVert": "‖", "rVert": "‖", "Vert": "‖", "lvert": "|", "rvert": "|", "odot": "⊙", "otimes": "⊗", "oplus": "⊕",
    "circ": "∘", "cdots": "⋯", "ldots": "…", "dots": "…", "forall": "∀", "exists": "∃", "emptyset": "∅",
    "land": "∧", "lor": "∨", "neg": "¬", "prime": "′", "ell": "ℓ", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈",
    "rceil": "⌉", "langle": "⟨", "rangle": "⟩", "top": "ᵀ", "star": "⋆", "ast": "∗", "perp": "⊥",
    "log": "log", "ln": "ln", "exp": "exp", "max": "max", "min": "min", "arg": "arg", "argmax": "argmax",
    "argmin": "argmin", "sin": "sin", "cos": "cos", "tanh": "tanh", "det": "det", "Pr": "Pr", "lim": "lim",
    "sup": "sup", "inf": "inf", "E": "E", "quad": "  ", "qquad": "    ", ",": " ", ";": " ", ":": " ", "!": "",
    " ": " ", "{": "{", "}": "}", "%": "%", "$": "$", "&": "&", "#": "#", "_": "_", "backslash": "\\",
}
BINARY = {"cdot", "times", "div", "pm", "mp", "le", "leq", "ge", "geq", "neq", "ne", "approx", "sim", "simeq",
          "equiv", "propto", "in", "notin", "subset", "subseteq", "to", "rightarrow", "leftarrow", "Rightarrow",
          "Leftarrow", "iff", "implies", "mapsto", "mid", "odot", "otimes", "oplus", "cup", "cap", "land", "lor"}
PREFIX = {"partial", "nabla", "neg"}  # written tight against what follows: ∂J, ∇f
NAMED_OPERATORS = {"log", "ln", "exp", "max", "min", "arg", "argmax", "argmin", "sin", "cos", "tanh", "det", "Pr",
                   "lim", "sup", "inf"}
ACCENTS = {"hat": "\u0302", "bar": "\u0304", "overline": "\u0304", "tilde": "\u0303", "vec": "\u20d7",
           "dot": "\u0307", "ddot": "\u0308", "widehat": "\u0302", "widetilde": "\u0303"}
BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ", "1": "𝟙"}
TEXT_COMMANDS = {"text", "mathrm", "textrm", "mathbf", "textbf", "mathit", "textit", "operatorname", "mathsf",
                 "boldsymbol", "bm", "mathcal", "emph"}
IGNORED = {"left", "right", "big", "Big", "bigg", "Bigg", "displaystyle", "limits", "nolimits", "bigl", "bigr",
           "Bigl", "Bigr", "textstyle"}
SUPERSCRIPT = dict(zip("0123456789+-=()nijkTtaebcdfghlmoprsuvwxyz",
                       "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱʲᵏᵀᵗᵃᵉᵇᶜᵈᶠᵍʰˡᵐᵒᵖʳˢᵘᵛʷˣʸᶻ"))
SUPERSCRIPT.update({"*": "*", "∗": "*", "′": "′", "ᵀ": "ᵀ"})
SUBSCRIPT = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
SUBSCRIPT.update({"β": "ᵦ", "γ": "ᵧ", "ρ": "ᵨ", "φ": "ᵩ", "χ": "ᵪ"})

_COMMANDS = frozenset({*SYMBOLS, *ACCENTS, *TEXT_COMMANDS, *IGNORED, "frac", "dfrac", "tfrac", "sqrt", "mathbb",
                       "mathbbm", "begin", "end"})
_TOKEN = re.compile(r"\\([A-Za-z]+|.)|(\s+)|(.)", re.DOTALL)
# $$...$$ first, then $...$ whose content does not start or end with a space and is not followed by a digit.
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?=[^\s$])([^$]+?)(?<=\S)(?<!\\)\$(?!\d)")
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)
_MARKDOWN_SPECIAL = re.compile(r"([\\*_`\[\]<>|#])")


def render_math(markdown: str) -> str:
    """Replace every `$...$` and `$$...$$` in Markdown text by Unicode (code spans are left alone)."""
    return replace_math(markdown, _inline, _display)


def replace_math(markdown: str, inline: Callable[[re.Match[str]], str],
                 display: Callable[[re.Match[str]], str]) -> str:
    """Substitute math outside code spans: `display` for `$$...$$` (first), then `inline` for `$...$`.

    Shared by the terminal renderer and the Anki export, so both find math the same way.
    """
    parts = _CODE.split(markdown)
    for index in range(0, len(parts), 2):  # even parts are outside code
        parts[index] = INLINE_MATH.sub(inline, DISPLAY_MATH.sub(display, parts[index]))
    return "".join(parts)


def verbatim_spans(markdown: str) -> list[tuple[int, int]]:
    """(start, end) of the code spans and math in Markdown text, found as `replace_math` finds them: where
    Markdown emphasis would show as stars."""
    spans: list[tuple[int, int]] = []
    position = 0
    for index, part in enumerate(_CODE.split(markdown)):
        if index % 2:
            spans.append((position, position + len(part)))
        else:
            displays = [match.span() for match in DISPLAY_MATH.finditer(part)]
            # $...$ is looked for once $$...$$ is replaced: blank the display math out first
            blanked = DISPLAY_MATH.sub(lambda match: "x" * len(match.group()), part)
            spans += [(position + start, position + end) for start, end in
                      displays + [match.span() for match in INLINE_MATH.finditer(blanked)]]
        position += len(part)
    return spans


def is_latex_command(name: str) -> bool:
    """Whether `name` (without its backslash) is a command this renderer knows."""
    return name in _COMMANDS


def math_problem(markdown: str) -> str | None:
    """Why some math in `markdown` cannot be drawn (an unmatched brace, or too deeply nested), or None.

    The terminal would forgive an unmatched brace, but MathJax (which draws the Anki export) cannot.
    """
    plain = markdown.replace("\\\\", "").replace("\\{", "").replace("\\}", "")
    if plain.count("{") == plain.count("}") <= MAX_MATH_DEPTH:
        # The common case, and a quick one (this runs on every text at every cold load): as many braces
        # open as close, and too few to nest deeply. Misordered braces (`}{`) or mistakes that cancel
        # out across two formulas of one text slip through this check.
        return None
    found: list[tuple[str, int, int]] = []  # (math as written, deepest nesting, opened minus closed)

    def measure(match: re.Match[str]) -> str:
        found.append((match.group(0), *_depth_and_balance(match.group(1))))
        return ""

    replace_math(markdown, measure, measure)
    for written, _deepest, balance in found:
        if balance:
            brace = "`{` that is never closed" if balance > 0 else "`}` that closes nothing"
            return f"math {_shortened(written)} has a {brace}: MathJax (the Anki export) cannot draw it"
    worst = max((deepest for _written, deepest, _balance in found), default=0)
    if worst <= MAX_MATH_DEPTH:
        return None
    return (f"math nested {worst} groups deep cannot be drawn (the limit is {MAX_MATH_DEPTH}); "
            "it would be shown as written: simplify it")


def _shortened(math: str, limit: int = 60) -> str:
    return "`" + (math if len(math) <= limit else math[:limit - 1] + "…") + "`"


def _depth_and_balance(latex: str) -> tuple[int, int]:
    """The deepest nesting of `{...}` groups, and the braces opened minus closed; a `}` that closes
    nothing makes the balance negative at once (`\\{` is a literal brace, not a group)."""
    depth = deepest = 0
    for match in _BRACES.finditer(latex):
        if match.group() == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif match.group() == "}":
            depth -= 1
            if depth < 0:
                return deepest, depth
    return deepest, depth


_BRACES = re.compile(r"\\.|[{}]", re.DOTALL)


class _TooDeep(Exception):
    """Math nested deeper than MAX_MATH_DEPTH."""


def _inline(match: re.Match[str]) -> str:
    rendered = _convert(match.group(1))
    return _escape(rendered if rendered is not None else match.group(0))


def _display(match: re.Match[str]) -> str:
    rendered = _convert(match.group(1))
    if rendered is None:
        return "\n\n" + _escape(match.group(0)) + "\n\n"
    rows = [_escape(row.strip()) for row in rendered.split("\n") if row.strip()]
    return "\n\n" + "  \n".join(f"\u2003{row}" for row in rows) + "\n\n"


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def latex_to_unicode(latex: str) -> str:
    """Convert one math expression (without its dollar signs); math that cannot be drawn comes back as written."""
    converted = _convert(latex)
    return latex if converted is None else converted


def _convert(latex: str) -> str | None:
    if len(latex) > MAX_MATH_CHARS:  # no formula is this long: show it as written rather than parse it
        return None
    tokens = [(m.group(1), m.group(2), m.group(3)) for m in _TOKEN.finditer(latex)]
    parser = _Parser(tokens)
    try:
        text = parser.sequence(stop=None)
    except (_TooDeep, RecursionError):
        return None
    text = re.sub(r"[ \t]{2,}", " ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


class _Script(str):
    """A rendered sub- or superscript (its base is the piece before it)."""


def _needs_bracket_before_script(base: str, kind: str) -> bool:
    if isinstance(base, _Script):
        return False  # x_i^2: both scripts belong to x
    base = base.strip()
    if len(base) <= 1:
        return False
    stacked = kind == "^" and any(c in _SUPERSCRIPT_CHARS for c in base)
    return stacked or not _ATOM.fullmatch(base)


class _Fraction(str):
    """A rendered fraction; bracketed as a whole when it touches a neighbouring term (1/m∑ would mislead)."""


_LOOSE_NEIGHBOURS = set(" =+-<>≤≥≠≈,;:)]}|‖⌋⌉⟩·×→⇒∈\n")
_LOOSE_BEFORE = _LOOSE_NEIGHBOURS | set("([{⌊⌈⟨")  # (a/b) is already bracketed; a/b( is not, so only before


class _Operator(str):
    """A named operator (log, max, ...) with its trailing space: dropped before a bracket or a script."""


def _join(pieces: list[str]) -> str:
    out: list[str] = []
    for index, piece in enumerate(pieces):
        # What follows, past spaces: "1/m ∑ᵢ xᵢ" would read as 1/(m ∑ᵢ xᵢ), so a term after a gap counts too.
        after = next((p.lstrip(" ")[:1] for p in pieces[index + 1:] if p.strip(" ")), " ")
        if isinstance(piece, _Fraction):
            while len(out) > 1 and not out[-1].strip() and isinstance(out[-2], _Operator):
                out.pop()  # the space between "log" and its fraction
            before = out[-1][-1:] if out and out[-1] else " "
            if out and isinstance(out[-1], _Operator):
                out[-1], before = out[-1].rstrip(), "("  # log(a/b): the operator's argument is the fraction
                piece = f"({piece})"
            elif before not in _LOOSE_BEFORE or (after not in _LOOSE_NEIGHBOURS and after != "\n"):
                piece = f"({piece})"
        elif isinstance(piece, _Operator) and after in "([′":
            piece = piece.rstrip()  # exp(x) and tanh′, not exp (x)
        out.append(piece)
    return "".join(out)


class _Parser:
    def __init__(self, tokens: list[tuple[str | None, str | None, str | None]]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def _peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _next(self):
        token = self._peek()
        self.pos += 1
        return token

    def sequence(self, stop: str | None) -> str:
        if stop is not None:
            self.depth += 1
            if self.depth > MAX_MATH_DEPTH:
                raise _TooDeep
        try:
            return self._sequence(stop)
        finally:
            if stop is not None:
                self.depth -= 1

    def _sequence(self, stop: str | None) -> str:
        out: list[str] = []
        while (token := self._peek()) is not None:
            command, space, char = token
            if char is not None and char == stop:
                self.pos += 1
                return _join(out)
            if command is None and char == "}" and stop is None:
                self.pos += 1  # stray closing brace
                continue
            if command in {"end"}:
                self.pos += 1
                self.group()
                continue
            if char in {"^", "_"}:
                self.pos += 1
                big = bool(out) and (isinstance(out[-1], _Operator) or out[-1] in BIG_OPERATORS)
                if out and isinstance(out[-1], _Operator):
                    out[-1] = out[-1].rstrip()  # min_w, not min _w
                elif out and _needs_bracket_before_script(out[-1], char):
                    out[-1] = f"({out[-1].strip()})"  # a script on a compound base: (a/b)², not a/b²
                out.append(_Script(_script(char, self.argument(), big=big)))
                continue
            out.append(self.atom())
        return _join(out)

    def argument(self) -> str:
        """The next group `{...}` or single token, rendered."""
        while (token := self._peek()) is not None and token[1] is not None:
            self.pos += 1
        return self.atom()

    def group(self) -> str:
        token = self._peek()
        if token is not None and token[2] == "{":
            self.pos += 1
            return self.sequence(stop="}")
        return self.atom()

    def atom(self) -> str:
        token = self._next()
        if token is None:
            return ""
        command, space, char = token
        if space is not None:
            return " "
        if char is not None:
            if char == "{":
                return self.sequence(stop="}")
            if char == "&":
                return " "
            if char == "~":
                return " "
            if char == "'":
                return "′"
            return {"-": "-", "*": "∗"}.get(char, char)
        return self._command(command)

    def _command(self, name: str) -> str:
        if name == "\\":
            return "\n"
        if name == "frac" or name in {"dfrac", "tfrac"}:
            numerator, denominator = self.argument(), self.argument()
            return _Fraction(f"{_bracket(numerator)}/{_bracket(denominator, single=True)}")
        if name == "sqrt":
            index = ""
            token = self._peek()
            if token is not None and token[2] == "[":
                self.pos += 1
                index = self.sequence(stop="]")
            body = self.argument()
            root = {"3": "∛", "4": "∜"}.get(index, ("".join(SUPERSCRIPT.get(c, c) for c in index) + "√") if index else "√")
            return root + _bracket(body)
        if name in ACCENTS:
            body = self.argument().strip()
            return body + ACCENTS[name] if len(body) == 1 else f"{name}({body})"
        if name in TEXT_COMMANDS:
            return self.argument()
        if name in {"mathbb", "mathbbm"}:
            body = self.argument()
            return "".join(BLACKBOARD.get(c, c) for c in body)
        if name == "begin":
            self.group()  # environment name: aligned, cases, ... rendered row by row
            return ""
        if name in IGNORED:
            return ""
        if name in SYMBOLS:
            symbol = SYMBOLS[name]
            if name in BINARY:
                return f" {symbol} "
            if name in PREFIX:
                self._skip_space()
            return _Operator(symbol + " ") if name in NAMED_OPERATORS else symbol
        return name

    def _skip_space(self) -> None:
        while (token := self._peek()) is not None and token[1] is not None:
            self.pos += 1


def _script(kind: str, body: str, *, big: bool = False) -> str:
    """Unicode where every character has a form; otherwise a readable fallback.

    A subscript that is one word or number reads as a name (`x_new`, `F_0.5`); the index of a big
    operator is bracketed (`∑[i ∈ pos]`); anything else is parenthesised (`e^(-x)`, `J_(L-1)`).
    """
    table = SUPERSCRIPT if kind == "^" else SUBSCRIPT
    body = body.strip()
    if body and all(c in table for c in body):
        return "".join(table[c] for c in body)
    if len(body) == 1 or kind == "_" and _WORD.fullmatch(body):
        return kind + body
    if kind == "_" and big:
        return f"[{body}]"
    return f"{kind}({body})"


_SCRIPTS = "".join(sorted(set(SUPERSCRIPT.values()) | set(SUBSCRIPT.values())))
_WORD = re.compile(r"[^\W_]+(?:\.\d+)?")  # n_classes, W_rec, F_0.5: a name, not an expression
BIG_OPERATORS = {"∑", "∏", "∫", "∪", "∩"}
_SUPERSCRIPT_CHARS = set(SUPERSCRIPT.values()) - {"*"}
# One number, or one name with its accents and sub/superscripts: safe to put beside "/" unbracketed.
_ATOM = re.compile(
    rf"(?:\d+(?:\.\d+)?|[∂∇]?[^\W\d_][^\W_]*?|[∂∇])[\u0300-\u036f\u20d7′{_SCRIPTS}]*(?:_[^\W_]+(?:\.\d+)?)?"
)
_DECORATIONS = re.compile(rf"[∂∇\u0300-\u036f\u20d7′{_SCRIPTS}]|_[^\W_]+(?:\.\d+)?$")


def _bracket(text: str, *, single: bool = False) -> str:
    """Bracket unless it is one atom; `single` (denominators) also brackets names like MN, a product."""
    text = text.strip()
    atom = _ATOM.fullmatch(text) and not re.match(r"\d+[^\W\d_]", text)
    if atom and single and len(_DECORATIONS.sub("", text)) > 1 and not text[0].isdigit():
        atom = False
    root = text[:1] in "√∛∜" and (_balanced_outer(text[1:]) or _bracket(text[1:], single=single) == text[1:])
    # p(x | 1) over something reads as a whole; under a bar it stays bracketed: n/(x(1-x)), never n/x(1-x).
    call = not single and (match := _CALL.fullmatch(text)) is not None and _balanced_outer(match.group(2))
    return text if atom or root or call or _balanced_outer(text.rstrip(_SUPERSCRIPT_TAIL)) else f"({text})"


_CALL = re.compile(r"([^\W\d_]+)(\(.*\))")
_SUPERSCRIPT_TAIL = "".join(sorted(_SUPERSCRIPT_CHARS))


def _balanced_outer(text: str) -> bool:
    """True when the whole text is one bracketed group, like (a+b), not (a)+(b)."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for index, char in enumerate(text):
        depth += char == "("
        depth -= char == ")"
        if depth == 0 and index < len(text) - 1:
            return False
    return True
