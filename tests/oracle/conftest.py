"""Oracle tests: our numbers against trusted libraries.

The solvers' oracle modules carry the ``solvers`` marker so that ``pytest -k solvers`` selects
them along with tests/unit/test_solvers_*.py.
"""


def pytest_configure(config):
    config.addinivalue_line("markers", "solvers: tests of the numpy-only solvers package (select with -k solvers)")
