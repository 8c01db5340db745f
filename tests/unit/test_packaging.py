"""The wheel carries the built-in deck, and one resolver finds it both installed and in a checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from quizapp.paths import builtin_content_dir


def test_checkout_reads_content_live(repo: Path) -> None:
    assert builtin_content_dir() == repo / "content"


def test_wheel_contains_content_and_both_packages(repo: Path, tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(repo)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("quizapp-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    content = sorted(p.name for p in (repo / "content").iterdir() if p.is_file())
    assert content, "the built-in deck is empty"
    for name in content:
        assert f"quizapp/_content/{name}" in names
    assert "quizapp/cli.py" in names and "solvers/__init__.py" in names
    # Installed from the wheel, the resolver picks the packaged copy.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = "from quizapp.paths import builtin_content_dir; print(builtin_content_dir())"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(site)},
                         capture_output=True, text=True, check=True)
    assert Path(out.stdout.strip()) == site / "quizapp" / "_content"
