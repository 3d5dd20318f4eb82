"""What a call may run: the module's own code reachable from a called name, over-approximated by spelling.

Used to prove that a call cannot see something (condense-init: the dict being filled). Resolution is by
name, not by type, so it errs towards "reachable": calling `matrix` reaches every def, class or named
lambda of the module spelled `matrix`, then every one those spell (`Value` reaches the whole class, `.log()`
every method named `log`). Always reachable as well: every `__dunder__` method (operators call them
implicitly), every unnamed lambda, and every def, class or lambda that is used as a value somewhere
(`fs = [g]`, `key=g`, a decorator), since it may be called through that value. Code outside the module
(the standard library) is assumed not to call back into it except through those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import libcst as cst

from ._shared import names_in, walk


def _code(module: cst.Module) -> tuple[dict[str, list[cst.CSTNode]], set[int], list[cst.CSTNode]]:
    """(name -> its defs, classes and lambdas; ids of the name nodes that define them; unnamed lambdas)."""
    named: dict[str, list[cst.CSTNode]] = {}
    defining: set[int] = set()
    lambdas = [n for n in walk(module) if isinstance(n, cst.Lambda)]
    for node in walk(module):
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            named.setdefault(node.name.value, []).append(node)
            defining.add(id(node.name))
        elif isinstance(node, cst.Assign) and isinstance(node.value, cst.Lambda):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    named.setdefault(target.target.value, []).append(node.value)
                    defining.add(id(target.target))
    named_lambdas = {id(n) for nodes in named.values() for n in nodes}
    return named, defining, [n for n in lambdas if id(n) not in named_lambdas]


def _escaped(module: cst.Module, named: dict[str, list[cst.CSTNode]], defining: set[int]) -> set[str]:
    """Names of code that is used as a value somewhere, not only called by its name."""
    calls = [n.func for n in walk(module) if isinstance(n, cst.Call)]
    called = {id(f) for f in calls} | {id(f.attr) for f in calls if isinstance(f, cst.Attribute)}
    escaped: set[str] = set()
    for node in walk(module):
        if isinstance(node, cst.Name) and node.value in named and id(node) not in defining | called:
            escaped.add(node.value)
    return escaped


def reachable(module: cst.Module, called: Iterable[str]) -> list[cst.CSTNode]:
    """The defs, classes and lambdas of the module that calling the names `called` may run."""
    named, defining, unnamed = _code(module)
    todo = [*called, *_escaped(module, named, defining)]
    todo += [n for n in named if n.startswith("__") and n.endswith("__")]
    todo += [name for node in unnamed for name in names_in(node)]
    bodies: list[cst.CSTNode] = list(unnamed)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for body in named.get(name, ()):
            bodies.append(body)
            todo.extend(names_in(body) - seen)
    return bodies


def deepens_recursion(module: cst.Module, parent_of: Callable[[cst.CSTNode], cst.CSTNode | None],
                      stmt: cst.CSTNode, moved: Iterable[cst.CSTNode]) -> bool:
    """Whether code moved from `stmt` into a comprehension or generator (one frame deeper) may call back into a
    function that holds `stmt`: then every level of that recursion gains a frame, not the program one frame in
    all, and a recursion the original survives can pass the recursion limit. At module level it cannot."""
    holders = []
    node = parent_of(stmt)
    while node is not None:
        if isinstance(node, (cst.FunctionDef, cst.Lambda)):
            holders.append(node)
        node = parent_of(node)
    if not holders:
        return False
    called = set().union(*(names_in(n) for n in moved))
    bodies = {id(body) for body in reachable(module, called)}
    return any(id(holder) in bodies for holder in holders)
