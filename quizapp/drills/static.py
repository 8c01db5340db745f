"""Checks on a drill's starter code that read it with `ast` and never run it.

Content files never carry code that runs: a code card's starter is only parsed, to check that it is
Python and that it defines the function the card names, taking the checker's arguments. The checks run
the editor's code, and a user may run them on the starter as it is, so a starter is a skeleton that does
nothing: imports of numpy or the standard library, and functions whose bodies are `...`, `pass`, a
docstring or `raise NotImplementedError` (a shared file's `...; __import__("os").system(...)`, past the
edge of the editor, ran at the first check).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator, Sequence

__all__ = ["starter_problem"]


def starter_problem(source: str, function: str, params: Sequence[str]) -> str | None:
    """What is wrong with ``source`` as a starter for ``function(*params)``, or None.

    >>> starter_problem("def f(a, b):\\n    ...\\n", "f", ["a", "b"]) is None
    True
    >>> starter_problem("def g(a):\\n    ...\\n", "f", ["a"])
    'the starter does not define `f`'
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return f"the starter is not valid Python: {exc.msg} (line {exc.lineno} of the starter)"
    except ValueError as exc:
        return f"the starter is not valid Python: {exc}"
    except (MemoryError, RecursionError):  # Python's parser on `x = ------...1` or `1+1+...` thousands deep
        return "the starter is nested too deeply for Python to read: a skeleton needs no deep expression"
    running = next(_running_code(tree.body), None)
    if running is not None:
        return (f"the starter runs code (line {running.lineno} of the starter): a starter is a skeleton of "
                "imports and functions whose bodies are `...`, `pass` or a docstring; the user writes the rest")
    definitions = [node for node in _top_level(tree.body) if _defines(node, function)]
    if not definitions:
        return f"the starter does not define `{function}`"
    last = definitions[-1]
    if isinstance(last, (ast.Import, ast.ImportFrom)):  # the checks would call a library function the file chose
        return (f"the starter imports `{function}` (line {last.lineno} of the starter): a starter defines it with "
                "`def` and a body of `...`; the user writes the rest")
    if isinstance(last, (ast.FunctionDef, ast.AsyncFunctionDef)) and not _accepts(last.args, len(params)):
        return (f"the starter's `{function}` cannot be called as {function}({', '.join(params)}): "
                "give it that many positional parameters")
    return None


# Modules a starter may import: importing them runs no code of the content file (and prints or opens nothing).
_IMPORTABLE = (frozenset(sys.stdlib_module_names) | {"numpy", "scipy"}) - {"antigravity", "this", "__hello__",
                                                                          "__phello__", "idlelib"}
# Parts of a module's name that make importing it run a program: `unittest.__main__` runs unittest's main,
# `venv.__main__` makes a virtual environment, `lib2to3.__main__` rewrites files; test packages run tests.
_RUNS_ON_IMPORT = frozenset({"__main__", "test", "tests"})
_EVALUATING = (ast.Call, ast.NamedExpr, ast.Lambda, ast.Await, ast.Yield, ast.YieldFrom, ast.ListComp, ast.SetComp,
               ast.DictComp, ast.GeneratorExp)


def _running_code(body: list[ast.stmt], *, in_function: bool = False) -> Iterator[ast.stmt]:
    """Statements of a starter that would do something when it is run or its functions called."""
    for node in body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # a docstring or `...`
        if isinstance(node, ast.Pass):
            continue
        if in_function:
            if not _raises_not_implemented(node):
                yield node
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if getattr(node, "level", 0) or not all(map(_importable, _imported_modules(node))):
                yield node
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            header = [*node.args.defaults, *node.args.kw_defaults, node.returns,
                      *(argument.annotation for argument in _all_args(node.args))]
            if node.decorator_list or any(_evaluates(part) for part in header if part is not None):
                yield node
            else:
                yield from _running_code(node.body, in_function=True)
        elif isinstance(node, ast.If) and isinstance(node.test, ast.Constant):
            yield from _running_code(node.body + node.orelse)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and not _names_only(node):
            yield node  # `np[print("x")] = 1` runs the index, `np.random.seed = ...` changes numpy for the checks
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Lambda):
            if not isinstance(node.value.body, ast.Constant) or _evaluates(node.value.args):
                yield node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None and _is_constant(node.value):
            continue  # EPS = 1e-12
        else:
            yield node


def _imported_modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    """The modules an import may load: `from unittest import __main__` loads the submodule `unittest.__main__`."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return [node.module or ""] + [f"{node.module}.{alias.name}" for alias in node.names]


def _importable(module: str) -> bool:
    parts = module.split(".")
    return parts[0] in _IMPORTABLE and _RUNS_ON_IMPORT.isdisjoint(parts)


def _all_args(args: ast.arguments) -> list[ast.arg]:
    return [*args.posonlyargs, *args.args, *args.kwonlyargs, *filter(None, (args.vararg, args.kwarg))]


def _evaluates(node: ast.AST) -> bool:
    """Whether evaluating `node` (a default, an annotation) could call anything or take long (9**9**9)."""
    return any(isinstance(inner, _EVALUATING) or (isinstance(inner, ast.BinOp) and not isinstance(inner.op, ast.BitOr))
               for inner in ast.walk(node))


def _names_only(node: ast.Assign | ast.AnnAssign) -> bool:
    """Whether an assignment binds plain names, under an annotation that calls nothing (a module's is evaluated)."""
    if isinstance(node, ast.AnnAssign):
        return isinstance(node.target, ast.Name) and not _evaluates(node.annotation)
    return all(isinstance(target, ast.Name) for target in node.targets)


def _is_constant(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) or (isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant))


def _raises_not_implemented(node: ast.stmt) -> bool:
    if not isinstance(node, ast.Raise) or node.cause is not None or node.exc is None:
        return False
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    arguments = node.exc.args + [k.value for k in node.exc.keywords] if isinstance(node.exc, ast.Call) else []
    return (isinstance(exc, ast.Name) and exc.id == "NotImplementedError"
            and all(isinstance(argument, ast.Constant) for argument in arguments))


def _top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements that run at module level, looking into if/try/with blocks."""
    for node in body:
        yield node
        if isinstance(node, (ast.If, ast.With, ast.Try)):
            for block in ("body", "orelse", "finalbody"):
                yield from _top_level(getattr(node, block, []))
            for handler in getattr(node, "handlers", []):
                yield from _top_level(handler.body)


def _defines(node: ast.stmt, name: str) -> bool:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name == name
    if isinstance(node, ast.Assign):
        return any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    if isinstance(node, ast.AnnAssign):
        return isinstance(node.target, ast.Name) and node.target.id == name and node.value is not None
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return any((alias.asname or alias.name.split(".")[0]) == name for alias in node.names)
    return False


def _accepts(args: ast.arguments, count: int) -> bool:
    positional = len(args.posonlyargs) + len(args.args)
    required = positional - len(args.defaults)
    keyword_only_required = sum(default is None for default in args.kw_defaults)
    return required <= count and (positional >= count or args.vararg is not None) and not keyword_only_required
