"""Evaluation order inside one statement: what Python evaluates before a given node, and whether a node is
evaluated exactly once each time the statement runs."""

from __future__ import annotations

import libcst as cst

from ._shared import walk


def evaluated_once(path: list[cst.CSTNode], stmt: cst.CSTNode) -> bool:
    """The read is evaluated exactly once whenever the statement runs."""
    if isinstance(stmt, cst.If):
        ok_header = path[1] is stmt.test
    elif isinstance(stmt, cst.For):
        ok_header = path[1] is stmt.iter
    else:
        ok_header = isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1
    if not ok_header:
        return False
    for parent, child in zip(path, path[1:]):
        if isinstance(parent, cst.BooleanOperation) and child is parent.right:
            return False
        if isinstance(parent, cst.IfExp) and child is not parent.test:
            return False
        if isinstance(parent, (cst.Lambda, cst.FormattedStringExpression, cst.While, cst.CompFor)):
            if isinstance(parent, cst.CompFor) and child is parent.iter:
                continue  # the first iterable of a comprehension is evaluated once, outside it
            return False
    return True


def keywords_before_star(stmt: cst.CSTNode) -> bool:
    """Whether a call in `stmt` has `*args` after a keyword argument: Python evaluates those out of textual order."""
    for call in walk(stmt):
        if isinstance(call, cst.Call):
            keyword = False
            for arg in call.args:
                keyword = keyword or bool(arg.keyword) or arg.star == "**"
                if keyword and arg.star == "*":
                    return True
    return False


def completed_before(stmt: cst.CSTNode, use: cst.CSTNode) -> list[cst.CSTNode]:
    """Nodes of `stmt` whose evaluation finishes before `use` is read, in Python's evaluation order."""
    done: list[cst.CSTNode] = []

    def visit(node: cst.CSTNode) -> bool:  # True once `use` is reached
        if node is use:
            return True
        if isinstance(node, cst.Assign):
            order = [node.value, *node.targets]
        elif isinstance(node, cst.AnnAssign):
            order = [node.value, node.target] if node.value is not None else [node.target]
        elif isinstance(node, cst.IfExp):
            order = [node.test, node.body, node.orelse]
        elif isinstance(node, (cst.If, cst.For)):
            order = [node.test if isinstance(node, cst.If) else node.iter]
        elif isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            # The first iterable is evaluated first, once, in the enclosing scope; the body only after it.
            order = [node.for_in.iter]
        else:
            order = list(node.children)
        for child in order:
            if child is not None and visit(child):
                return True
        done.append(node)
        return False

    visit(stmt)
    return done
