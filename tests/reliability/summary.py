"""Figures of the reliability campaigns (cases tried, failures), printed now and again in pytest's summary."""

from __future__ import annotations

import pytest

__all__ = ["report"]

SUMMARY_PLUGIN = "quizapp-reliability-summary"


class _Summary:
    """Collects one line per campaign and repeats them in pytest's terminal summary."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.named: dict[str, str] = {}  # figures that grow test by test, printed once with their last value

    def pytest_terminal_summary(self, terminalreporter) -> None:
        terminalreporter.section("reliability figures")
        for line in [*self.named.values(), *self.lines]:
            terminalreporter.write_line(line)


def _plugin(config: pytest.Config) -> _Summary:
    plugin = config.pluginmanager.get_plugin(SUMMARY_PLUGIN)
    if plugin is None:
        plugin = _Summary()
        config.pluginmanager.register(plugin, SUMMARY_PLUGIN)
    return plugin


def report(config: pytest.Config, line: str, *, name: str | None = None) -> None:
    """Print a summary line now (visible with -s) and again at the end of the run; a `name`d line replaces
    the one reported before under that name."""
    print(f"\n{line}")
    plugin = _plugin(config)
    if name is None:
        plugin.lines.append(line)
    else:
        plugin.named[name] = line
