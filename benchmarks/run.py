"""Run every benchmark, print the table, and write it as JSON.

    python -m benchmarks            # the full run (a few minutes); exits 1 when a target is missed
    python -m benchmarks --quick    # a small run (seconds) that CI uses to keep the harness working
    python -m benchmarks --only store --only launch

Quick runs check that every benchmark still runs, not the timings: they exit 0 unless a benchmark
itself breaks (exit 2). Results go to benchmarks/results/ (git-ignored) unless --output says otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

if __package__ in (None, ""):  # `python benchmarks/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import Config, Result  # noqa: E402

__all__ = ["GROUPS", "main"]

RESULTS = Path(__file__).resolve().parent / "results"


def _group(module: str) -> Callable[[Config], list[Result]]:
    def run(config: Config) -> list[Result]:
        import importlib

        return importlib.import_module(f"benchmarks.{module}").run(config)

    return run


# Cheap groups first, so a quick run fails fast if the harness is broken.
GROUPS: dict[str, Callable[[Config], list[Result]]] = {
    "solvers": _group("solving"),
    "templates": _group("templates"),
    "drills": _group("drills"),
    "load": _group("loading"),
    "store": _group("study"),
    "query": _group("query"),
    "browse": _group("browse"),
    "sync": _group("sync"),
    "launch": _group("launch"),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and one repeat: checks the harness runs")
    parser.add_argument("--only", action="append", choices=sorted(GROUPS), help="run only this group (repeatable)")
    parser.add_argument("--repeats", type=int, default=None, help="repeats per figure (default 5; 1 with --quick)")
    parser.add_argument("--output", type=Path, default=None,
                        help="JSON file (default benchmarks/results/latest.json, or latest-quick.json)")
    args = parser.parse_args(argv)
    repeats = args.repeats or (1 if args.quick else 5)
    output = args.output or RESULTS / ("latest-quick.json" if args.quick else "latest.json")

    results: list[Result] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as tmp:
        config = Config(quick=args.quick, workdir=Path(tmp), repeats=repeats)
        for name, run in GROUPS.items():
            if args.only and name not in args.only:
                continue
            print(f"running {name} ...", file=sys.stderr, flush=True)
            try:
                results.extend(run(config))
            except Exception as exc:  # one broken group must not hide the others' figures
                results.append(Result.error(f"{name}.error", exc))

    print(table(results))
    _write_json(output, results, args.quick, repeats, time.perf_counter() - started)
    print(f"\nwrote {output}")
    if any(r.status == "error" for r in results):
        return 2
    if args.quick:
        return 0
    return 0 if all(r.ok for r in results) else 1


def table(results: list[Result]) -> str:
    rows = [("benchmark", "figure", "target", "ratio", "result")]
    for r in results:
        figure = "-" if r.figure is None else _number(r.figure, r.unit)
        ratio = "-" if r.ratio is None else f"{r.ratio:.3g} {r.op} {r.limit:g}"
        rows.append((r.name, figure, r.target, ratio, r.status))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    failed = [r for r in results if not r.ok]
    lines.append("")
    lines.append(f"{len(results) - len(failed)} of {len(results)} targets met"
                 + (f"; missed: {', '.join(r.name for r in failed)}" if failed else ""))
    for r in results:
        if r.status in {"error", "not implemented"}:
            lines.append(f"  {r.name}: {r.details.get('error') or r.details.get('why')}")
    return "\n".join(lines)


def _number(value: float, unit: str) -> str:
    if unit == "abs diff":
        return f"{value:.1e}"
    if unit == "/s":
        return f"{value:,.0f}/s"
    return f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def _write_json(path: Path, results: list[Result], quick: bool, repeats: int, seconds: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "quick": quick,
        "repeats": repeats,
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(seconds, 1),
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "benchmarks": [r.name for r in results],
        "results": [r.to_dict() for r in results],
    }
    path.write_text(json.dumps(document, indent=2) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
