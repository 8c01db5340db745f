"""Launch to the home screen drawn, as whole processes, against a minimal Textual app; peak memory.

Each launch is a fresh `python -m benchmarks.launch_driver ...` process, timed from just before it is
spawned until the driver reports its first screen drawn (CLOCK_MONOTONIC is shared by all processes).
The figures are medians of repeat starts (data dir and content cache in place), three times as many as the
other figures take, because a start is short and whole processes are at the mercy of a shared machine. Each
round starts every variant once, in a rotating order, and the ratio is the median over rounds of quizapp's
time over the minimal app's in the same round: a slow spell of the machine then slows both sides of a pair.
The ratio of the medians and the first start of each variant are reported beside it, and so is each
quizapp variant's paired ratio over the minimal app that also validates a pydantic model (what reading
settings into a pydantic model alone adds to a start).
Peak RSS is the child's own high-water mark (VmHWM from /proc/self/status, reported by the driver): the
parent's `ru_maxrss` for children would include the memory of the benchmark process they were forked from.
"""

from __future__ import annotations

import compileall
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness import Config, Result, median
from benchmarks.synthetic import write_deck

__all__ = ["run"]

REPO = Path(__file__).resolve().parent.parent
LAUNCH_LIMIT = 1.5
RSS_LIMIT_MB = 150.0


@dataclass(frozen=True)
class Launch:
    seconds: float
    peak_rss_mb: float


def launch(args: list[str], workdir: Path) -> Launch:
    result = workdir / "launch-result.json"
    result.unlink(missing_ok=True)
    env = {**os.environ, "QUIZAPP_CONFIG": str(workdir / "no-config.toml"), "PYTHONPATH": str(REPO)}
    env.pop("QUIZAPP_CONTENT", None)
    with open(workdir / "launch-stderr.txt", "w+") as stderr:
        start = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "benchmarks.launch_driver", *args, "--result", str(result)],
                                   cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=stderr)
        try:
            process.wait(timeout=300)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.returncode != 0 or not result.exists():
            stderr.seek(0)
            raise RuntimeError(f"launch {args} exited {process.returncode}: {stderr.read()[-2000:]}")
    drawn = json.loads(result.read_text())
    return Launch(drawn["at"] - start, drawn["peak_rss_kib"] / 1024)


def run(config: Config) -> list[Result]:
    import solvers

    # An installed quizapp starts from bytecode (pip compiles it); a checkout run with PYTHONDONTWRITEBYTECODE
    # would compile every module at every start, and that would be measured instead of quizapp.
    for package in ("quizapp", "solvers"):
        compileall.compile_dir(REPO / package, quiet=1)

    files, per_file = (100, 100) if not config.quick else (5, 20)
    deck = config.workdir / "launch-deck"
    write_deck(deck, files, per_file, seed=1, solvers=sorted(solvers.registry()))
    cards = files * per_file
    variants = {
        "minimal": ["minimal"],
        "minimal_pydantic": ["minimal-pydantic"],
        "builtin": ["quizapp", "--data-dir", str(config.workdir / "launch-data-builtin")],
        "synthetic": ["quizapp", "--no-builtin", "--content", str(deck),
                      "--data-dir", str(config.workdir / "launch-data-synthetic")],
    }
    # A first round, outside the medians: it creates the data dirs and fills the content cache, as a user's
    # first start does; the timed rounds are the starts after that.
    first = {name: launch(args, config.workdir) for name, args in variants.items()}
    samples: dict[str, list[Launch]] = {name: [] for name in variants}
    repeats = config.repeats * 3
    names = list(variants)
    for round_ in range(repeats):
        for name in names[round_ % len(names):] + names[:round_ % len(names)]:
            samples[name].append(launch(variants[name], config.workdir))

    seconds = {name: median([s.seconds for s in runs]) for name, runs in samples.items()}
    paired = {name: _paired(runs, samples["minimal"]) for name, runs in samples.items()}
    rss = {name: max(s.peak_rss_mb for s in [first[name], *runs]) for name, runs in samples.items()}  # a peak
    floor = seconds["minimal"]
    details = {f"{name}_ms": round(value * 1000, 1) for name, value in seconds.items()}
    details |= {f"{name}_peak_rss_mb": round(value, 1) for name, value in rss.items()}
    details |= {f"{name}_first_start_ms": round(run.seconds * 1000, 1) for name, run in first.items()}
    details |= {f"{name}_ratio_of_medians": round(seconds[name] / seconds["minimal"], 3) for name in names[1:]}
    details |= {f"{name}_over_minimal_pydantic": round(_paired(samples[name], samples["minimal_pydantic"]), 3)
                for name in ("builtin", "synthetic")}
    details["rounds_ms"] = {name: [round(run.seconds * 1000) for run in runs] for name, runs in samples.items()}
    details["repeats"] = repeats
    peer = f"minimal Textual app ({floor * 1000:.0f} ms)"

    def over_pydantic(name: str) -> str:
        return f" ({details[f'{name}_over_minimal_pydantic']:.2f}x one that reads pydantic settings)"

    return [
        Result("launch.builtin_deck", seconds["builtin"] * 1000, "ms", paired["builtin"], "<=",
               LAUNCH_LIMIT, f"{peer}; built-in deck{over_pydantic('builtin')}", details=details),
        Result("launch.synthetic_deck", seconds["synthetic"] * 1000, "ms", paired["synthetic"], "<=",
               LAUNCH_LIMIT, f"{peer}; {cards:,} cards in {files} files{over_pydantic('synthetic')}",
               details=details),
        Result("launch.peak_rss", rss["synthetic"], "MB", rss["synthetic"] / RSS_LIMIT_MB, "<", 1.0,
               f"{RSS_LIMIT_MB:.0f} MB budget; {cards:,} cards (minimal app: {rss['minimal']:.0f} MB)",
               details=details),
    ]


def _paired(runs: list[Launch], floor_runs: list[Launch]) -> float:
    """The median over rounds of one variant's time over another's in the same round."""
    return median([run.seconds / floor_run.seconds for run, floor_run in zip(runs, floor_runs)])
