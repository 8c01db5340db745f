"""Coding drills: write the function, graded against the reference implementations.

A drill (:class:`Drill`) holds the edge cases, a random-input generator, the reference, the
comparison, an optional expected complexity and a model solution. :mod:`solvers.drills.harness`
runs a user's code against one, in a separate process started by ``quizapp.drills.runner``.

>>> get_drill("auc").params
('y_true', 'y_score')
"""

from .base import Complexity, Drill, show, show_case
from .registry import drill_names, drills, get_drill

__all__ = ["Complexity", "Drill", "drill_names", "drills", "get_drill", "show", "show_case"]
