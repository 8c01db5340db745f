"""Number and Markdown formatting shared by prompts, solutions and verdicts.

Prompts must show exactly the numbers an answer is computed from, so inputs are drawn on a
decimal grid first and then shown with :func:`fmt`, which never adds float noise
(``0.35``, not ``0.35000000000000003``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

__all__ = ["fmt", "fmt_factor", "fmt_vector", "md_table", "precision_note"]


def fmt(x: float, digits: int = 6) -> str:
    """Format a number briefly: integers without a point, others to ``digits`` significant figures.

    >>> fmt(0.35000000000000003), fmt(4.0), fmt(-0.0), fmt(1e-5)
    ('0.35', '4', '0', '1e-5')
    """
    return _fmt(float(x), digits)


@lru_cache(maxsize=4096)  # prompts repeat the same grid numbers; formatting dominates generate()
def _fmt(x: float, digits: int) -> str:
    if x == 0:
        return "0"
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    text = f"{x:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def fmt_factor(x: float, digits: int = 6) -> str:
    """Like :func:`fmt`, with negative numbers in parentheses so that ``2 · (-3)`` reads right.

    >>> fmt_factor(-1.5), fmt_factor(2.0)
    ('(-1.5)', '2')
    """
    text = fmt(x, digits)
    return f"({text})" if text.startswith("-") else text


def fmt_vector(values: Iterable[float], digits: int = 6) -> str:
    """Format numbers as ``[a, b, c]``.

    >>> fmt_vector([0.5, 1.0, -0.25])
    '[0.5, 1, -0.25]'
    """
    return "[" + ", ".join(fmt(v, digits) for v in values) + "]"


def md_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A Markdown table; cells that are numbers go through :func:`fmt`."""

    def cell(value: object) -> str:
        if type(value) is str:  # the common cases first: this runs for every cell of every prompt
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _fmt(float(value), 6)
        return str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def precision_note(sig_figs: int | None, *, length: int = 1) -> str:
    """The sentence telling the user how precise the answer must be and in what form."""
    if length > 1:
        form = f"Give the answer as a vector of {length} numbers, e.g. [0.1, -0.2, ...]"
        if sig_figs is None:
            return form + ", exactly."
        return form + f", each to {sig_figs} significant figures."
    if sig_figs is None:
        return "Give the exact value."
    return f"Give the answer to {sig_figs} significant figures."
