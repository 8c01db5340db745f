"""Benchmarks: every speed and memory target of quizapp, measured as a ratio in one run.

`python -m benchmarks` runs them all and prints a table; `--quick` runs a small version that CI runs
on every change so the harness cannot rot. See benchmarks/run.py.
"""
