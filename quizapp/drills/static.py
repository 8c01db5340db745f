"""Checks on a drill's starter code that read it with `ast` and never run it.

Content files never carry code that runs: a code card's starter is only parsed, to check that it is
Python and that it defines the function the card names, taking the checker's arguments.
"""

from __future__ import annotations

import ast
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
    definitions = [node for node in _top_level(tree.body) if _defines(node, function)]
    if not definitions:
        return f"the starter does not define `{function}`"
    last = definitions[-1]
    if isinstance(last, (ast.FunctionDef, ast.AsyncFunctionDef)) and not _accepts(last.args, len(params)):
        return (f"the starter's `{function}` cannot be called as {function}({', '.join(params)}): "
                "give it that many positional parameters")
    return None


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
