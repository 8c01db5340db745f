"""Drills: checking a correct ROC-AUC solution on 200 random cases (plus the edge cases) in under a second
of wall time, the process start included, next to a bare `python -I -c pass` measured in the same rounds.
"""

from __future__ import annotations

import subprocess
import sys

from benchmarks.harness import Config, Result, interleaved, median

__all__ = ["run"]

BUDGET_SECONDS = 1.0


def run(config: Config) -> list[Result]:
    from quizapp.drills import check_code
    from solvers.drills import get_drill

    solution = get_drill("auc").solution
    cases = config.size(200, 20)
    verdicts = []

    def check() -> None:
        verdict = check_code(solution, "auc", random_cases=cases, seed=len(verdicts))
        verdicts.append(verdict)
        if not verdict.passed:
            raise RuntimeError(f"the model solution did not pass: {verdict.report()}")

    def bare_python() -> None:
        subprocess.run([sys.executable, "-I", "-c", "pass"], check=True)

    def python_with_numpy() -> None:  # the floor of any check: the child imports numpy
        subprocess.run([sys.executable, "-I", "-c", "import numpy"], check=True)

    samples = interleaved({"check": check, "python": bare_python, "numpy": python_with_numpy},
                          max(config.repeats, 3))
    figure, floor = median(samples["check"]), median(samples["python"])
    details = {"check_ms": round(figure * 1000, 1), "bare_python_ms": round(floor * 1000, 1),
               "python_import_numpy_ms": round(median(samples["numpy"]) * 1000, 1),
               "over_bare_python": round(figure / floor, 1), "cases": verdicts[-1].total,
               "child_seconds": verdicts[-1].seconds, "rounds": len(samples["check"]),
               "all_check_ms": [round(s * 1000, 1) for s in samples["check"]]}
    return [Result("drills.auc_check", figure * 1000, "ms", figure / BUDGET_SECONDS, "<=", 1.0,
                   f"{BUDGET_SECONDS:g} s for a correct AUC on {verdicts[-1].total} cases, process start included "
                   f"(bare python -I: {floor * 1000:.0f} ms)", details=details)]
