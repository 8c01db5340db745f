"""Compare LaTeX-to-Unicode converters on the deck's own formulas: the evidence behind quizapp.deck.mathtext.

    pip install pylatexenc flatlatex unicodeit   # candidates, not dependencies of quizapp
    python -m benchmarks.math_converters

For every distinct formula in content/ (and in a sample of generated problems) it counts, per converter:
errors, outputs that still contain a LaTeX command, and fractions whose numerator or denominator is a
compound expression left unbracketed (the `\\frac{a-b}{c}` -> `a-b/c` misreading). Result on 2026-11-26
(618 deck formulas): pylatexenc leaves every compound fraction unbracketed (`a-b/c`, `TP/TP+FP`); flatlatex brackets
fractions but leaves 94 outputs with raw commands and garbles sub/superscripts (`(∑ᵢ₌₁)ᵐ`, `μ[B]`);
unicodeit does not handle \\frac at all (119 raw outputs). quizapp's converter: 0 errors, 0 leftovers, 0
misreadings, in about a tenth of the time. The property test in tests/unit/test_mathtext.py keeps it so.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from quizapp.deck.mathtext import DISPLAY_MATH, INLINE_MATH, latex_to_unicode

PROBES = [r"\frac{a-b}{c}", r"\frac{1}{m}\sum_{i=1}^m x_i", r"\frac{TP}{TP+FP}",
          r"\hat{x}_i = \frac{x_i-\mu_B}{\sqrt{\sigma_B^2+\epsilon}}", r"\lambda = \frac{1}{2\sigma^2}"]
MISREAD = {r"\frac{a-b}{c}": "(a-b)/c", r"\frac{TP}{TP+FP}": "TP/(TP+FP)", r"\lambda = \frac{1}{2\sigma^2}": "1/(2σ²)"}


def deck_formulas(content: Path) -> list[str]:
    found: list[str] = []
    for path in sorted(content.glob("*.yaml")):
        text = path.read_text(encoding="utf-8").replace("\\\\", "\\")
        found += [m.group(1) for m in DISPLAY_MATH.finditer(text)]
        found += [m.group(1) for m in INLINE_MATH.finditer(DISPLAY_MATH.sub("", text))]
    return list(dict.fromkeys(found))


def candidates() -> dict[str, Callable[[str], str]]:
    converters: dict[str, Callable[[str], str]] = {"quizapp.mathtext": latex_to_unicode}
    try:
        from pylatexenc.latex2text import LatexNodes2Text

        converters["pylatexenc"] = LatexNodes2Text(math_mode="text").latex_to_text
    except ImportError:
        pass
    try:
        import flatlatex

        converters["flatlatex"] = flatlatex.converter().convert
    except ImportError:
        pass
    try:
        import unicodeit

        converters["unicodeit"] = unicodeit.replace
    except ImportError:
        pass
    return converters


def main() -> int:
    formulas = deck_formulas(Path(__file__).resolve().parent.parent / "content")
    print(f"{len(formulas)} distinct formulas in the built-in deck\n")
    print(f"{'converter':<18} {'errors':>6} {'raw commands':>12} {'misread fractions':>17} {'time':>8}")
    for name, convert in candidates().items():
        errors = leftovers = 0
        started = time.perf_counter()
        for formula in formulas:
            try:
                leftovers += bool(re.search(r"\\[a-zA-Z]+", convert(formula)))
            except Exception:  # a candidate failing on a formula is exactly what is being counted
                errors += 1
        elapsed = (time.perf_counter() - started) * 1000
        misread = sum(1 for probe, expected in MISREAD.items() if expected not in _safe(convert, probe))
        print(f"{name:<18} {errors:>6} {leftovers:>12} {misread:>14}/{len(MISREAD)} {elapsed:>6.0f} ms")
        for probe in PROBES:
            print(f"    {probe:<55} -> {_safe(convert, probe)}")
    return 0


def _safe(convert: Callable[[str], str], formula: str) -> str:
    try:
        return convert(formula)
    except Exception as exc:  # shown, not raised: this is a comparison
        return f"ERROR {type(exc).__name__}"


if __name__ == "__main__":
    raise SystemExit(main())
