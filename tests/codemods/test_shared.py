"""The codemods' shared helpers: the parser as precedence table, walking nodes, who else reads a name."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ScopeProvider

from trimbench.codemods._shared import code, declared_names, placed, read_elsewhere, walk


@pytest.mark.parametrize("statement, value, expected", [
    pytest.param("return t + x", "not a", "(not a)", id="not-needs-parentheses"),
    pytest.param("return t + x", "a * b", "a * b", id="tighter-stays-bare"),
    pytest.param("return x - t", "a - b", "(a - b)", id="right-of-minus"),
    pytest.param("return f(t)", "a if b else c", "a if b else c", id="argument-takes-anything"),
    pytest.param("return t.real", "1", "(1)", id="int-attribute"),
    pytest.param("return (t)", "a or b", "a or b", id="already-parenthesized-use"),
    pytest.param("del t", "a + b", None, id="no-placement-keeps-the-meaning"),
])
def test_placed_lets_the_parser_decide(statement: str, value: str, expected: str | None) -> None:
    stmt = cst.parse_statement(statement + "\n")
    use = next(n for n in walk(stmt) if isinstance(n, cst.Name) and n.value == "t")
    result = placed(stmt, use, cst.parse_expression(value))
    assert (None if result is None else code(result)) == expected


def test_walk_visits_parents_first_and_statements_in_source_order() -> None:
    module = cst.parse_module("for a in x:\n    b = 1\n    for c in y:\n        d = 2\ne = 3\n")
    names = [n.value for n in walk(module) if isinstance(n, cst.Name)]
    assert names == ["a", "x", "b", "c", "y", "d", "e"]
    assert len(list(walk(module))) == len(list(_children_walk(module)))  # the same nodes as libcst's own children


def _children_walk(node: cst.CSTNode):
    yield node
    for child in node.children:
        yield from _children_walk(child)


def test_declared_names_are_global_and_nonlocal_ones() -> None:
    module = cst.parse_module("def f():\n    global a, b\n    def g():\n        nonlocal c\nd = 1\n")
    assert declared_names(module) == {"a", "b", "c"}


@pytest.mark.parametrize("source, expected", [
    pytest.param("t = 1\nprint(t)\n", False, id="read-by-its-own-scope"),
    pytest.param("t = 1\nprint([t for _ in range(2)])\n", False, id="comprehensions-run-in-place"),
    pytest.param("t = 1\ndef f():\n    return t\n", True, id="read-by-a-function"),
    pytest.param("t = 1\nf = lambda: t\n", True, id="read-by-a-lambda"),
    pytest.param("t = 1\nf = lambda: [t for _ in y]\n", True, id="comprehension-inside-a-lambda"),
])
def test_read_elsewhere(source: str, expected: bool) -> None:
    wrapper = MetadataWrapper(cst.parse_module(source))
    scopes = wrapper.resolve(ScopeProvider)
    module_scope = scopes[wrapper.module]
    assert read_elsewhere(lambda node: scopes.get(node), module_scope, "t") is expected
