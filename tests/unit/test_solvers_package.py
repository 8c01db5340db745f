"""Package-level guarantees: numpy-only imports and registry look-up."""

import subprocess
import sys

import pytest

from solvers import get_solver, registry


def test_importing_solvers_imports_only_numpy_and_the_stdlib():
    code = (
        "import sys, solvers\n"
        "heavy = {'scipy', 'sklearn', 'torch', 'imblearn', 'textual', 'pydantic', 'pandas'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_registry_returns_a_fresh_dict():
    first = registry()
    first.pop("auc")
    assert "auc" in registry()


def test_get_solver():
    assert get_solver("batchnorm").topic == "batch-norm"


@pytest.mark.parametrize(("typo", "suggestion"), [("acu", "'auc'"), ("batch-norm", "'batchnorm'"), ("smot", "'smote'")])
def test_unknown_solver_suggests_the_closest_name(typo, suggestion):
    with pytest.raises(KeyError) as error:
        get_solver(typo)
    message = str(error.value)
    assert f"Unknown solver {typo!r}" in message and f"Did you mean {suggestion}" in message
    assert "coin-mle" in message  # the known names are listed


def test_unknown_solver_without_close_match():
    with pytest.raises(KeyError, match="Known solvers") as error:
        get_solver("zzzzzzzz")
    assert "Did you mean" not in str(error.value)


@pytest.mark.parametrize(
    "module",
    ["__init__", "_format", "_validate", "answers", "auc", "batchnorm", "conv", "dropout", "generative", "gradients",
     "imbalance", "overfitting", "prf", "problem", "registry", "regularization"],
)
def test_docstring_examples_run(module):
    import doctest
    import importlib

    name = "solvers" if module == "__init__" else f"solvers.{module}"
    failures, _ = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0
