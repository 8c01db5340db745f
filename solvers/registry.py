"""The registry of problem generators, by name: the built-in solvers and those of installed plugins.

Every topic module lists its solvers in ``SOLVERS``; this module gathers them. Names are stable
identifiers (they seed the random generator), topics are the content deck's topic slugs.

Plugins are installed packages that declare an entry point in the group ``quizapp.solvers``; the entry
point names a :class:`Solver`, a list of them, or a module with a ``SOLVERS`` list. They are found on the
first use of the registry. A plugin that cannot be loaded, or that offers something else, or a name that is
already taken, gives one :class:`PluginWarning` and is left out: it never stops the app.
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Mapping
from functools import cache
from typing import TypeVar

from . import auc, batchnorm, conv, dropout, generative, gradients, imbalance, overfitting, prf, regularization
from .problem import Solver

__all__ = ["ENTRY_POINT_GROUP", "PluginWarning", "get_solver", "lookup", "registry", "solver_packages"]

ENTRY_POINT_GROUP = "quizapp.solvers"
BUILTIN_PACKAGE = "solvers"
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # a slug, as a generated card's `solver:` needs

T = TypeVar("T")

_MODULES = (auc, prf, batchnorm, regularization, imbalance, gradients, conv, dropout, generative, overfitting)
_BUILTIN: dict[str, Solver] = {solver.name: solver for module in _MODULES for solver in module.SOLVERS}


class PluginWarning(UserWarning):
    """A solver plugin that could not be used."""


@cache
def _loaded() -> tuple[dict[str, Solver], dict[str, str]]:
    """Every solver, and the package each comes from (plugins are loaded once per process)."""
    solvers = dict(_BUILTIN)
    packages = dict.fromkeys(solvers, BUILTIN_PACKAGE)
    for name, package, solver in _plugin_solvers():
        if name in solvers:
            _warn(f"solver plugin {package}: the name '{name}' is already taken by {packages[name]}; "
                  "this one is left out")
            continue
        solvers[name] = solver
        packages[name] = package
    return solvers, packages


def _plugin_solvers() -> list[tuple[str, str, Solver]]:
    from importlib.metadata import entry_points

    try:
        points = entry_points(group=ENTRY_POINT_GROUP)
    except Exception as exc:  # a broken installation's metadata must not stop the app
        _warn(f"solver plugins could not be listed: {type(exc).__name__}: {exc}")
        return []
    found = []
    for point in sorted(points, key=lambda p: p.name):
        package = point.dist.name if point.dist is not None else point.value.split(":")[0]
        try:
            offered = point.load()
        except BaseException as exc:  # noqa: BLE001 - importing a plugin runs its code; nothing of it may crash us
            if isinstance(exc, KeyboardInterrupt):
                raise
            _warn(f"solver plugin '{point.name}' (package {package}) failed to load: "
                  f"{type(exc).__name__}: {exc}; its solvers are not available")
            continue
        solvers = _as_solvers(offered)
        if solvers is None:
            _warn(f"solver plugin '{point.name}' (package {package}) offers {type(offered).__name__}, not a "
                  "solvers.Solver, a list of them or a module with SOLVERS; it is left out")
            continue
        for solver in solvers:
            if not _NAME.match(solver.name) or len(solver.name) > 64:
                _warn(f"solver plugin '{point.name}' (package {package}): the name {solver.name!r} is not "
                      "lowercase words joined by '-'; it is left out")
                continue
            found.append((solver.name, package, solver))
    return found


def _as_solvers(offered: object) -> list[Solver] | None:
    if isinstance(offered, Solver):
        return [offered]
    items = getattr(offered, "SOLVERS", offered)
    if isinstance(items, (list, tuple)) and all(isinstance(item, Solver) for item in items):
        return list(items)
    return None


def _warn(message: str) -> None:
    # Shown as "quizapp:0: PluginWarning: ..." without a line of our source under it.
    warnings.warn_explicit(message, PluginWarning, filename="quizapp", lineno=0)


def registry() -> dict[str, Solver]:
    """A fresh dict mapping each generator name to its :class:`Solver`, plugins' included.

    >>> registry()["auc"].topic
    'auc-roc'
    """
    return dict(_loaded()[0])


def solver_packages() -> dict[str, str]:
    """The package each solver comes from: ``"solvers"`` for the built-in ones, else the plugin's."""
    return dict(_loaded()[1])


def get_solver(name: str) -> Solver:
    """The solver called ``name``.

    Raises
    ------
    KeyError
        If there is none, suggesting the closest names.
    """
    return lookup(_loaded()[0], name, "solver")


def lookup(table: Mapping[str, T], name: str, kind: str) -> T:
    """``table[name]``, or a KeyError that suggests the closest names and lists them all."""
    try:
        return table[name]
    except (KeyError, TypeError):
        pass
    close = difflib.get_close_matches(str(name), list(table), n=3)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise KeyError(f"Unknown {kind} {name!r}.{hint} Known {kind}s: {', '.join(sorted(table))}.")
