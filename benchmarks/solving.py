"""Solvers: `roc_auc` against scikit-learn on a million tied scores, and generator throughput.

scikit-learn is a test/dev dependency; only this benchmark imports it, never `solvers`.
"""

from __future__ import annotations


import numpy as np

from benchmarks.harness import Config, Result, interleaved, median, per_second

__all__ = ["run"]

AUC_SPEEDUP = 2.0
AUC_TOLERANCE = 1e-12
GENERATED_PER_SECOND = 2000.0


def run(config: Config) -> list[Result]:
    return [*_auc(config), *_generators(config)]


def _auc(config: Config) -> list[Result]:
    from sklearn.metrics import roc_auc_score

    import solvers

    n = config.size(1_000_000, 10_000)
    rng = np.random.default_rng(8)
    y_true = rng.integers(0, 2, n)
    y_score = np.round(rng.random(n) + 0.3 * y_true, 3)  # ~1,300 distinct scores: ties everywhere
    ours, theirs = solvers.roc_auc(y_true, y_score), float(roc_auc_score(y_true, y_score))
    samples = interleaved({"solvers": lambda: solvers.roc_auc(y_true, y_score),
                           "sklearn": lambda: roc_auc_score(y_true, y_score)}, config.repeats)
    figure, peer = median(samples["solvers"]), median(samples["sklearn"])
    difference = abs(ours - theirs)
    details = {"solvers_ms": round(figure * 1000, 2), "sklearn_ms": round(peer * 1000, 2), "auc": ours,
               "samples": n, "distinct_scores": int(np.unique(y_score).size), "repeats": config.repeats}
    return [
        Result("solvers.roc_auc_speed", figure * 1000, "ms", peer / figure, ">=", AUC_SPEEDUP,
               f"speed-up over sklearn roc_auc_score ({peer * 1000:.0f} ms); {n:,} samples with ties",
               details=details),
        Result("solvers.roc_auc_equal", difference, "abs diff", difference / AUC_TOLERANCE, "<=", 1.0,
               f"|roc_auc - roc_auc_score| within {AUC_TOLERANCE:g}", details=details),
    ]


def _answer_text(answer: float | list[float]) -> str:
    return "[" + ", ".join(repr(a) for a in answer) + "]" if isinstance(answer, list) else repr(answer)


def _generators(config: Config) -> list[Result]:
    import solvers

    count = config.size(3000, 30)
    results = []
    for name, solver in sorted(solvers.registry().items()):

        def batch(solver=solver) -> None:
            for seed in range(count):
                problem = solver.generate(seed, seed % 3 + 1)
                if not problem.check(_answer_text(problem.answer)).is_correct:
                    raise RuntimeError(f"{solver.name} seed {seed}: its own answer does not check as correct")

        rate = per_second(batch, count, config.repeats)
        results.append(Result(f"solvers.generator.{name}", rate, "/s", rate / GENERATED_PER_SECOND, ">=", 1.0,
                              f"{GENERATED_PER_SECOND:,.0f} generate+check per second; difficulties 1-3",
                              details={"per_call_ms": round(1000 / rate, 3), "calls": count}))
    return results
