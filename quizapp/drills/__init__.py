"""Coding drills: check a user's code against a drill from ``solvers.drills`` (see :mod:`.runner`)."""

from quizapp.drills.runner import Verdict, check_code

__all__ = ["Verdict", "check_code"]
