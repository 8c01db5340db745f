"""Figures of the reliability campaigns (cases tried, failures), printed now and again in pytest's summary."""

from __future__ import annotations

import pytest

__all__ = ["report"]

SUMMARY_PLUGIN = "quizapp-reliability-summary"


class _Summary:
    """Collects one line per campaign and repeats them in pytest's terminal summary."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def pytest_terminal_summary(self, terminalreporter) -> None:
        terminalreporter.section("reliability figures")
        for line in self.lines:
            terminalreporter.write_line(line)


def report(config: pytest.Config, line: str) -> None:
    """Print a summary line now (visible with -s) and again at the end of the run."""
    print(f"\n{line}")
    plugin = config.pluginmanager.get_plugin(SUMMARY_PLUGIN)
    if plugin is None:
        plugin = _Summary()
        config.pluginmanager.register(plugin, SUMMARY_PLUGIN)
    plugin.lines.append(line)
