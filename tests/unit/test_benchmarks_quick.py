"""`python -m benchmarks --quick` runs and writes a complete JSON report, so the harness cannot rot.

Only that it runs is checked here; timings belong to the full run (benchmarks/ is where performance is
measured, never in timed tests).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import solvers

FIXED_NAMES = {
    "sync.import",
    "sync.nothing_new",
    "launch.builtin_deck",
    "launch.synthetic_deck",
    "launch.peak_rss",
    "load.cold",
    "load.warm_cache",
    "store.queue",
    "store.record_p95",
    "store.stats",
    "store.card_info",
    "query.first_text",
    "query.slowest",
    "browse.key",
    "browse.refill",
    "solvers.roc_auc_speed",
    "solvers.roc_auc_equal",
    "templates.validate_100",
    "drills.auc_check",
}


@pytest.mark.slow
def test_quick_benchmarks_run_and_report_every_target(repo: Path, tmp_path: Path) -> None:
    output = tmp_path / "quick.json"
    env = {**os.environ, "QUIZAPP_CONFIG": str(tmp_path / "config.toml"), "QUIZAPP_DATA_DIR": str(tmp_path / "data")}
    env.pop("QUIZAPP_CONTENT", None)
    process = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--output", str(output)],
        cwd=repo, env=env, capture_output=True, text=True, timeout=240,
    )
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]

    report = json.loads(output.read_text())
    names = {row["name"] for row in report["results"]}
    expected = FIXED_NAMES | {f"solvers.generator.{name}" for name in solvers.registry()}
    assert expected <= names, f"missing from the report: {sorted(expected - names)}"
    assert report["quick"] is True
    for row in report["results"]:
        assert row["status"] in {"pass", "FAIL", "not implemented"}, row
        assert set(row) >= {"name", "figure", "unit", "target", "ratio", "op", "limit", "ok"}, row
    for name in sorted(expected):
        assert name in process.stdout, f"{name} is not in the printed table"
