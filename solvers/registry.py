"""The registry of problem generators, by name.

Every topic module lists its solvers in ``SOLVERS``; this module gathers them. Names are stable
identifiers (they seed the random generator), topics are the content deck's topic slugs.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import TypeVar

from . import auc, batchnorm, conv, dropout, generative, gradients, imbalance, overfitting, prf, regularization
from .problem import Solver

__all__ = ["get_solver", "lookup", "registry"]

T = TypeVar("T")

_MODULES = (auc, prf, batchnorm, regularization, imbalance, gradients, conv, dropout, generative, overfitting)
_SOLVERS: dict[str, Solver] = {solver.name: solver for module in _MODULES for solver in module.SOLVERS}


def registry() -> dict[str, Solver]:
    """A fresh dict mapping each generator name to its :class:`Solver`.

    >>> registry()["auc"].topic
    'auc-roc'
    """
    return dict(_SOLVERS)


def get_solver(name: str) -> Solver:
    """The solver called ``name``.

    Raises
    ------
    KeyError
        If there is none, suggesting the closest names.
    """
    return lookup(_SOLVERS, name, "solver")


def lookup(table: Mapping[str, T], name: str, kind: str) -> T:
    """``table[name]``, or a KeyError that suggests the closest names and lists them all."""
    try:
        return table[name]
    except (KeyError, TypeError):
        pass
    close = difflib.get_close_matches(str(name), list(table), n=3)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise KeyError(f"Unknown {kind} {name!r}.{hint} Known {kind}s: {', '.join(sorted(table))}.")
