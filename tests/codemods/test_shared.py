"""The codemods' shared helpers: the parser as precedence table, walking nodes, who else reads a name."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ParentNodeProvider, ScopeProvider

from trimbench.codemods._shared import (bound_names, code, declared_names, docstring, docstrings, fill, indent_of,
                                        is_pragma, placed, placed_all, read_elsewhere, spelled, walk)


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


@pytest.mark.parametrize("statement, values, expected", [
    pytest.param("return f(t, u)", ["a, b", "c"], ["(a, b)", "c"], id="each-placed-in-its-own-hole"),
    pytest.param("return t - u", ["a - b", "c - d"], ["a - b", "(c - d)"], id="left-bare-right-parenthesized"),
    pytest.param("return t ** u", ["-a", "b ** c"], ["(-a)", "b ** c"], id="power-both-sides"),
    pytest.param("del t, u", ["a + b", "c"], None, id="one-cannot-be-placed"),
])
def test_placed_all_places_every_value_at_once(statement: str, values: list[str], expected) -> None:
    stmt = cst.parse_statement(statement + "\n")
    uses = [next(n for n in walk(stmt) if isinstance(n, cst.Name) and n.value == name) for name in "tu"]
    result = placed_all(stmt, [(use, cst.parse_expression(v)) for use, v in zip(uses, values)])
    assert (None if result is None else [code(r) for r in result]) == expected


def test_indent_of_counts_the_indented_blocks_around_a_statement() -> None:
    wrapper = MetadataWrapper(cst.parse_module("for a in x:\n    if a:\n        b = 1\nc = 2\n"))
    parents = wrapper.resolve(ParentNodeProvider)
    named = {n.targets[0].target.value: n for n in walk(wrapper.module) if isinstance(n, cst.Assign)}
    assert [indent_of(wrapper.module, parents.get, named[k]) for k in "bc"] == ["        ", ""]


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


@pytest.mark.parametrize("words, width, head, indent, tail, expected", [
    pytest.param(["ab", "cd", "ef"], 7, 0, 0, 0, ["ab cd", "ef"], id="as-few-lines-as-fit"),
    pytest.param(["ab", "cd", "ef", "gh"], 10, 0, 0, 0, ["ab cd", "ef gh"], id="then-as-even-as-they-allow"),
    pytest.param(["ab", "cd"], 7, 3, 0, 0, ["ab", "cd"], id="the-first-line-has-a-prefix"),
    pytest.param(["ab", "cd"], 7, 0, 0, 3, ["ab", "cd"], id="the-last-line-needs-room-after-it"),
    pytest.param(["a  b", "c"], 5, 0, 0, 0, ["a  b", "c"], id="a-word-keeps-its-inner-spaces"),
    pytest.param(["abcdefghi"], 8, 0, 0, 0, None, id="a-word-too-wide"),
    pytest.param(["ab"], 4, 0, 0, 3, None, id="no-room-for-the-closing-quotes"),
    pytest.param([], 8, 0, 0, 0, [""], id="no-words"),
])
def test_fill(words, width: int, head: int, indent: int, tail: int, expected) -> None:
    assert fill(words, width, head, indent, tail) == expected


@pytest.mark.parametrize("source, expected", [
    pytest.param('"""Doc."""\nx = 1\n', '"""Doc."""', id="module"),
    pytest.param('r"""Doc."""; x = 1\n', 'r"""Doc."""', id="raw-and-a-semicolon"),
    pytest.param('"a" "b"\n', '"a" "b"', id="concatenated"),
    pytest.param('x = 1\n"""Doc."""\n', None, id="not-first"),
    pytest.param('b"""Doc."""\n', None, id="bytes"),
    pytest.param('f"""Doc."""\n', None, id="f-string"),
    pytest.param("", None, id="empty-module"),
])
def test_docstring(source: str, expected: str | None) -> None:
    found = docstring(cst.parse_module(source))
    assert (None if found is None else code(found)) == expected


def test_docstrings_of_functions_and_classes_in_source_order() -> None:
    module = cst.parse_module('"""M."""\nclass C:\n    """C."""\n    def f(self): "f."\ndef g():\n    return 1\n')
    assert [code(d) for d in docstrings(module)] == ['"""M."""', '"""C."""', '"f."']


def test_spelled_sees_names_and_strings_but_not_docstrings_or_comments() -> None:
    module = cst.parse_module('"""Use help and inspect."""\nimport sys  # __file__\nkey = f"{x}__doc__"\nsys.lineno\n')
    assert spelled(module, {"help", "inspect", "__file__", "__doc__", "lineno", "sys", "eval"}) == [
        "__doc__", "lineno", "sys"]


def test_bound_names_sees_every_kind_of_binding_in_every_scope() -> None:
    module = cst.parse_module(
        "import a.b, c as d\nfrom e import *\ndef f(x, *y, **w):\n    global g\n    [q for q in y]\n"
        "    with o as (p, r): pass\n    try: pass\n    except E as err: del err\n"
        "    match x:\n        case {'k': s, **rest}: pass\n        case [t, *u]: pass\nclass K: pass\n(v := 1)\n")
    bound = bound_names(module)
    assert set(bound) == {"a", "d", "*", "f", "x", "y", "w", "g", "q", "p", "r", "err", "s", "rest", "t", "u", "K", "v"}
    assert [type(n).__name__ for n in bound["a"]] == ["Import"] and "c" not in bound and "o" not in bound


@pytest.mark.parametrize("comment, expected", [
    pytest.param("# noqa: F401", True, id="noqa"),
    pytest.param("#type: ignore", True, id="type-ignore"),
    pytest.param("# pragma: no cover", True, id="coverage"),
    pytest.param("# random.seed, random.choices", False, id="words"),
])
def test_is_pragma(comment: str, expected: bool) -> None:
    assert is_pragma(cst.Comment(comment)) is expected
