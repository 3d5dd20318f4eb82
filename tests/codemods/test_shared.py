"""The codemods' shared helpers: the parser as precedence table, walking nodes, who else reads a name."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ParentNodeProvider, ScopeProvider

from trimbench.codemods._shared import (NAME_READERS, bound_names, code, declared_names, def_lines, docstring,
                                        docstrings, exposed, fill, indent_of, is_pragma, joined_trailing, literal,
                                        name_scopes, placed, placed_all, read_elsewhere, spelled, string_words, walk)


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


@pytest.mark.parametrize("source, expected", [
    pytest.param("t = 1\ng = (t for _ in xs)\n", True, id="kept-generator-runs-whenever-resumed"),
    pytest.param("t = 1\nprint(sum(t for _ in xs))\n", True, id="consumed-too-unless-told"),
    pytest.param("t = 1\ng = (x for x in t)\n", False, id="first-iterable-runs-at-once"),
])
def test_read_elsewhere_counts_generator_expressions_unless_told_they_are_consumed(source: str, expected: bool) -> None:
    wrapper = MetadataWrapper(cst.parse_module(source))
    scopes = wrapper.resolve(ScopeProvider)
    asked: list[cst.GeneratorExp] = []
    consumed = lambda generator: asked.append(generator) or True  # noqa: E731
    assert read_elsewhere(lambda node: scopes.get(node), scopes[wrapper.module], "t") is expected
    assert read_elsewhere(lambda node: scopes.get(node), scopes[wrapper.module], "t", consumed) is False
    assert [type(g).__name__ for g in asked] == (["GeneratorExp"] if expected else [])


@pytest.mark.parametrize("source, expected", [
    pytest.param("1.5", True, id="number"),
    pytest.param("'a' 'b'", True, id="plain-concatenation"),
    pytest.param("'a' f'{x}'", False, id="concatenation-with-an-f-string"),
    pytest.param("f'{x}'", False, id="f-string"),
    pytest.param("x", False, id="name"),
])
def test_literal(source: str, expected: bool) -> None:
    assert literal(cst.parse_expression(source)) is expected


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


def test_name_scopes_place_each_binding_where_python_binds_it() -> None:
    scopes = name_scopes(cst.parse_module(
        "@dec(d := 1)\ndef f(a: (an := 2) = (w := 3), *b, **c) -> (r := 4):\n    x = 1\n    [q for q in a]\n"
        "    g = lambda z: (y := z)\nclass K(B, metaclass=(mk := 5)):\n    k = 1\n    def meth(self): pass\n"))
    where = {name: [getattr(scope, "name", type(scope).__name__) for _, scope in pairs]
             for name, pairs in scopes.bindings.items()}
    assert where == {"d": ["Module"], "f": ["Module"], "a": ["f"], "an": ["Module"], "w": ["Module"], "b": ["f"],
                     "c": ["f"], "r": ["Module"], "x": ["f"], "q": ["f"], "g": ["f"], "z": ["Lambda"],
                     "y": ["Lambda"], "K": ["Module"], "mk": ["Module"], "k": ["K"], "meth": ["K"], "self": ["meth"]}


@pytest.mark.parametrize("source, expected", [
    pytest.param("n = 1\nprint(n)\n", True, id="same-scope"),
    pytest.param("print(n)\nn = 1\n", True, id="a-read-above-the-binding-counts-too"),
    pytest.param("n = 1\ndef f():\n    return n\n", True, id="a-function-reading-a-global"),
    pytest.param("n = 1\ndef f(n):\n    return n\n", False, id="a-parameter-hides-it"),
    pytest.param("n = 1\ndef f():\n    n = 2\n    return lambda: n\n", False, id="hidden-by-an-enclosing-def"),
    pytest.param("n = 1\nclass K:\n    n = 2\n    m = n\n", True, id="a-class-body-hides-nothing"),
    pytest.param("def f():\n    n = 1\nprint(n)\n", False, id="a-local-is-not-seen-outside"),
])
def test_name_scopes_sees(source: str, expected: bool) -> None:
    scopes = name_scopes(cst.parse_module(source))
    _, binding_scope = min(scopes.bindings["n"], key=lambda pair: (pair[0].lineno, pair[0].col_offset))  # `n = 1`
    [(_, read_scope)] = scopes.reads["n"]
    assert scopes.sees(read_scope, "n", binding_scope) is expected


@pytest.mark.parametrize("comment, expected", [
    pytest.param("# noqa: F401", True, id="noqa"),
    pytest.param("#type: ignore", True, id="type-ignore"),
    pytest.param("# pragma: no cover", True, id="coverage"),
    pytest.param("# random.seed, random.choices", False, id="words"),
])
def test_is_pragma(comment: str, expected: bool) -> None:
    assert is_pragma(cst.Comment(comment)) is expected


def test_string_words_skip_docstrings() -> None:
    module = cst.parse_module('"""The doc."""\nnames = ["__sub__", f"a {b}c"]  # not a comment\n')
    assert string_words(module) == ["__sub__", "a", "c"]


@pytest.mark.parametrize("source, calls, expected", [
    pytest.param("class V:\n    def __sub__(self, o): return 1\n", False, False, id="a-def-binds"),
    pytest.param("class V:\n    __sub__ = f\n", False, False, id="an-assignment-binds"),
    pytest.param("x = V.__sub__(a, b)\n", False, False, id="a-call-reads-only-the-result"),
    pytest.param("x = V.__sub__(a, b)\n", True, True, id="a-call-counts-when-asked"),
    pytest.param("print(V.__sub__)\n", False, True, id="an-attribute-read"),
    pytest.param("f = __sub__\n", False, True, id="a-name-read"),
    pytest.param("print(getattr(V, '__sub__'))\n", False, True, id="in-a-string"),
    pytest.param('"""__sub__"""\n', False, False, id="in-the-docstring"),
])
def test_exposed(source: str, calls: bool, expected: bool) -> None:
    assert exposed(cst.parse_module(source), "__sub__", calls=calls) is expected


def test_joined_trailing_joins_in_order_and_keeps_a_lone_comment() -> None:
    line = cst.parse_statement("x = 1\n")
    both = line.with_changes(trailing_whitespace=joined_trailing([cst.Comment("# one"), cst.Comment("#two")]))
    assert code(both) == "x = 1 # one; two\n"
    alone = line.with_changes(trailing_whitespace=joined_trailing([cst.Comment("#  as  written")]))
    assert code(alone) == "x = 1 #  as  written\n"
    assert code(line.with_changes(trailing_whitespace=joined_trailing([]))) == "x = 1\n"


def test_name_readers_are_seen_in_code_and_in_strings() -> None:
    module = cst.parse_module("print(f.__qualname__, getattr(v, 'x'))\nkey = '__name__'\n")
    assert spelled(module, NAME_READERS) == ["__name__", "__qualname__", "getattr"]


@pytest.mark.parametrize("source, expected", [
    pytest.param("def f(x): return x  # one\n", (["return x"], ["# one"]), id="one-line"),
    pytest.param("def f(x):  # head\n    y = x\n    return y  # tail\n", (["y = x", "return y"], ["# head", "# tail"]),
                 id="indented-header-comment-first"),
    pytest.param("def f(x):\n    # why\n    return x\n", None, id="own-line-comment"),
    pytest.param("def f(x):\n    return x\n    # after\n", None, id="comment-at-the-end"),
    pytest.param("def f(x):\n    if x:\n        return x\n", None, id="compound-statement"),
])
def test_def_lines(source: str, expected) -> None:
    found = def_lines(cst.parse_statement(source))
    got = None if found is None else ([code(line.body[0]) for line in found[0]], [c.value for c in found[1]])
    assert got == expected
