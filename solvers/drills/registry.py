"""The registry of coding drills, by checker name (what a `type: code` card's `checker:` names)."""

from __future__ import annotations

from ..registry import lookup
from . import bayes, imbalance, layers, metrics, optimization
from .base import Drill

__all__ = ["drill_names", "drills", "get_drill"]

_MODULES = (metrics, layers, optimization, imbalance, bayes)
_DRILLS: dict[str, Drill] = {drill.name: drill for module in _MODULES for drill in module.DRILLS}


def drills() -> dict[str, Drill]:
    """A fresh dict mapping each checker name to its :class:`Drill`.

    >>> drills()["auc"].function
    'roc_auc'
    """
    return dict(_DRILLS)


def drill_names() -> frozenset[str]:
    return frozenset(_DRILLS)


def get_drill(name: str) -> Drill:
    """The drill called ``name``.

    Raises
    ------
    KeyError
        If there is none, suggesting the closest names.
    """
    return lookup(_DRILLS, name, "checker")
