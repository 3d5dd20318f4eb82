"""What the source proves about a name: a number, a builtin, a dict nothing else holds."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import ExpressionContextProvider, MetadataWrapper, ParentNodeProvider, ScopeProvider

from trimbench.codemods._bindings import Bindings
from trimbench.codemods._shared import declared_names, walk


class Resolved:
    """The metadata a codemod would see, for Bindings to read through `get_metadata`."""

    def __init__(self, source: str) -> None:
        self.wrapper = MetadataWrapper(cst.parse_module(source))
        self.module = self.wrapper.module
        self.data = self.wrapper.resolve_many([ScopeProvider, ParentNodeProvider, ExpressionContextProvider])
        self.bindings = Bindings(self, declared_names(self.wrapper.module))

    def get_metadata(self, provider, node, default=None):
        return self.data[provider].get(node, default)

    def last_name(self, name: str) -> cst.Name:
        return [n for n in walk(self.wrapper.module) if isinstance(n, cst.Name) and n.value == name][-1]


@pytest.mark.parametrize("source, expected", [
    pytest.param("n = 16\nprint(n)\n", True, id="literal"),
    pytest.param("a, n = 4, 2 * 8\nprint(n)\n", True, id="tuple-element"),
    pytest.param("m = 3\nn = m ** 2 - 1\nn += m\nprint(n)\n", True, id="arithmetic-of-numbers"),
    pytest.param("for n in range(3):\n    pass\nprint(n)\n", True, id="range-target"),
    pytest.param("for n, x in enumerate(xs):\n    pass\nprint(n)\n", True, id="enumerate-index"),
    pytest.param("for x, n in enumerate(xs):\n    pass\nprint(n)\n", False, id="enumerate-item"),
    pytest.param("def range(k):\n    return 'ab'\nfor n in range(3):\n    pass\nprint(n)\n", False,
                 id="range-shadowed"),
    pytest.param("n = 16\nn = g()\nprint(n)\n", False, id="one-binding-unknown"),
    pytest.param("import n\nprint(n)\n", False, id="import"),
    pytest.param("n = 16\ndef f():\n    global n\n    n = 1\nprint(n)\n", False, id="declared-global"),
    pytest.param("n = m\nm = n\nprint(n)\n", False, id="cycle"),
])
def test_numeric(source: str, expected: bool) -> None:
    resolved = Resolved(source)
    assert resolved.bindings.numeric(resolved.last_name("n")) is expected


@pytest.mark.parametrize("source, expected", [
    pytest.param("d = {}\nd['a'] = 1\nprint(d['a'], d.get('a'), len(d), list(d.values()))\n", True,
                 id="read-on-the-spot"),
    pytest.param("d = dict()\nfor k, v in d.items():\n    pass\n", True, id="dict-call-and-a-consumed-view"),
    pytest.param("d = {}\nalias = d\n", False, id="aliased"),
    pytest.param("d = {}\nview = d.values()\n", False, id="view-kept"),
    pytest.param("d = {}\ng(d)\n", False, id="passed-to-a-function"),
    pytest.param("d = {}\nm = d.get\n", False, id="bound-method-kept"),
    pytest.param("d = make()\n", False, id="not-known-to-be-a-dict"),
    pytest.param("d = {}\nd |= {'a': 1}\nd |= {k: 2 for k in 'bc'}\nprint(d['a'])\n", True,
                 id="merged-in-place-with-displays"),
    pytest.param("d = {}\nd |= other\n", False, id="merged-with-what-may-not-be-a-dict"),
    pytest.param("d = {}\nd |= {'self': d}\n", False, id="merged-into-itself"),
    pytest.param("d = {}\nd += {'a': 1}\n", False, id="another-operator"),
])
def test_private_dict(source: str, expected: bool) -> None:
    resolved = Resolved(source)
    scope = resolved.get_metadata(ScopeProvider, resolved.wrapper.module)
    assert resolved.bindings.private_dict(scope, "d") is expected


@pytest.mark.parametrize("source, expected", [
    pytest.param("print(set())\n", True, id="builtin"),
    pytest.param("set = list\nprint(set())\n", False, id="assigned"),
    pytest.param("def set():\n    return 1\nprint(set())\n", False, id="def"),
    pytest.param("from mylib import set\nprint(set())\n", False, id="imported"),
    pytest.param("def f(set):\n    print(set())\n", False, id="parameter"),
    pytest.param("def f():\n    global set\n    set = list\nprint(set())\n", False, id="global"),
    pytest.param("from mylib import *\nprint(set())\n", False, id="star-import-may-bind-it"),
    pytest.param("import builtins\nbuiltins.set = list\nprint(set())\n", False, id="builtins-module-rebinds-it"),
    pytest.param("globals()['set'] = list\nprint(set())\n", False, id="dynamic-name"),
])
def test_builtin(source: str, expected: bool) -> None:
    resolved = Resolved(source)
    assert resolved.bindings.builtin(resolved.last_name("set"), "set") is expected


@pytest.mark.parametrize("source, expected", [
    pytest.param("m = [0.0] * len(xs)\nfor i in range(3):\n    m[i] = m[i] + 1\nprint(len(m), sum(m), m[:])\n", True,
                 id="display-times-len-read-in-place"),
    pytest.param("a, m = 1, [x for x in xs]\nm = []\nm = list(xs)\nm = [0] * 4\nprint(m[0])\n", True,
                 id="every-binding-a-new-list"),
    pytest.param("n = 3\nm = [0] * n\nm[0] += 1\nprint(m[0])\n", True, id="numeric-count-and-augmented-store"),
    pytest.param("def f(xs):\n    m = [0] * 2\n    m[0] = sum(m[j] for j in range(2))\n    return m[0]\n", True,
                 id="local-read-by-a-consumed-generator"),
    pytest.param("m = [0] * 3\nv = m\n", False, id="aliased"),
    pytest.param("m = [0] * 3\ng(m)\n", False, id="passed-to-a-function"),
    pytest.param("m = [0] * 3\nfor x in m:\n    pass\n", False, id="iterated"),
    pytest.param("m = [0] * 3\nappend = m.append\n", False, id="method-kept"),
    pytest.param("m = [0] * 3\nm[0:1] = []\n", False, id="slice-store-resizes"),
    pytest.param("m = [0] * 3\ndel m[0]\n", False, id="del-resizes"),
    pytest.param("m = [0] * 3\ndef f():\n    return m[0]\n", False, id="read-by-a-function"),
    pytest.param("m = [0] * 3\ng = (m[0] for _ in 'x')\n", False, id="read-by-a-kept-generator"),
    pytest.param("m = [0] * 3\ndef f():\n    global m\n    m = [1]\n", False, id="declared-global"),
    pytest.param("m = make()\n", False, id="not-known-to-be-a-list"),
    pytest.param("m = [0] * count()\n", False, id="count-may-be-a-list-subclass"),
    pytest.param("m = [0] * 3\nm = other\n", False, id="one-binding-unknown"),
    pytest.param("def f(m):\n    m[0] = 1\n", False, id="parameter"),
    pytest.param("class C:\n    m = [0] * 3\n    m[0] = 1\n", False, id="class-attribute"),
    pytest.param("def list(x):\n    return shared\nm = list(xs)\n", False, id="list-shadowed"),
])
def test_private_fixed_list(source: str, expected: bool) -> None:
    resolved = Resolved(source)
    assert resolved.bindings.private_fixed_list(resolved.last_name("m")) is expected


@pytest.mark.parametrize("source, expected", [
    pytest.param("print(sum(x for x in xs))\n", True, id="summed"),
    pytest.param("print(max(x for x in xs))\n", True, id="reduced"),
    pytest.param("g = (x for x in xs)\n", False, id="kept"),
    pytest.param("print(f(x for x in xs))\n", False, id="passed-to-a-function"),
    pytest.param("print(sum((x for x in xs), start))\n", False, id="not-the-lone-argument"),
    pytest.param("def sum(g):\n    return g\nprint(sum(x for x in xs))\n", False, id="sum-shadowed"),
])
def test_consumed_at_once(source: str, expected: bool) -> None:
    resolved = Resolved(source)
    generator = next(n for n in walk(resolved.wrapper.module) if isinstance(n, cst.GeneratorExp))
    assert resolved.bindings.consumed_at_once(generator) is expected


@pytest.mark.parametrize("source, expected", [
    pytest.param("n = 1\nuse(n)\n", True, id="assigned-before"),
    pytest.param("a, *n = xs\nuse(n)\n", True, id="a-tuple-target"),
    pytest.param("n = 1\nn += 1\nuse(n)\n", True, id="augmented-after-a-binding"),
    pytest.param("n = 1\nfor i in range(3):\n    if i:\n        use(n)\n", True, id="in-an-enclosing-block"),
    pytest.param("for n, x in enumerate(xs):\n    use(n)\n", True, id="a-for-target-around-it"),
    pytest.param("for i in range(3):\n    pass\nelse:\n    n = 1\nuse(n)\n", False, id="only-in-a-nested-block"),
    pytest.param("if flag:\n    n = 1\nuse(n)\n", False, id="only-under-an-if"),
    pytest.param("use(n)\nn = 1\n", False, id="assigned-after"),
    pytest.param("obj.n = 1\nuse(n)\n", False, id="an-attribute-of-that-name"),
    pytest.param("n = 1\ndel n\nuse(n)\n", False, id="deleted"),
    pytest.param("n = 1\ndef f():\n    use(n)\n", False, id="another-scopes-binding"),
])
def test_bound_at(source: str, expected: bool) -> None:
    resolved = Resolved(source)
    use = [n for n in walk(resolved.wrapper.module) if isinstance(n, cst.SimpleStatementLine) and "use" in
           {x.value for x in walk(n) if isinstance(x, cst.Name)}][0]
    assert resolved.bindings.bound_at(use, {"n"}) is expected


@pytest.mark.parametrize("source, expected", [
    pytest.param("xs = [B] + [f(c) for c in doc] + [B]\nn = len(xs) - 1\nprint(xs[0], xs[n])\n", True,
                 id="made-on-the-spot-read-on-the-spot"),
    pytest.param("for s in r:\n    xs = [s]\n    xs.append(s)\n    print(xs[0])\n", True, id="rebuilt-each-time"),
    pytest.param("xs = []\nys = xs\n", False, id="aliased"),
    pytest.param("xs = ys = []\n", False, id="bound-with-another-name"),
    pytest.param("xs = list(r)\n", False, id="not-known-to-be-fresh"),
    pytest.param("xs = [1] + r\n", False, id="added-to-something-unknown"),
    pytest.param("xs = []\ng(xs)\n", False, id="handed-out"),
    pytest.param("xs = []\ndef f():\n    return xs[0]\n", False, id="read-by-a-function"),
    pytest.param("xs = []\ngen = (xs[0] for _ in r)\n", False, id="read-by-a-generator"),
    pytest.param("xs = []\nxs += [1]\n", False, id="augmented"),
    pytest.param("xs = []\ndef f():\n    global xs\n    xs = [2]\n", False, id="declared-global"),
    pytest.param("for xs in r:\n    pass\n", False, id="a-loop-target"),
])
def test_private_list(source: str, expected: bool) -> None:
    resolved = Resolved(source)
    scope = resolved.get_metadata(ScopeProvider, resolved.wrapper.module)
    assert resolved.bindings.private_list(scope, "xs") is expected


@pytest.mark.parametrize("source, expected", [
    pytest.param("i = 2\nprint(i * 3 + 1)\n", True, id="arithmetic-of-a-numeric-name"),
    pytest.param("i = g()\nprint(i + 1)\n", False, id="unknown-name"),
    pytest.param("print(-2.5 ** 3)\n", True, id="literals"),
])
def test_number(source: str, expected: bool) -> None:
    resolved = Resolved(source)
    call = next(n for n in walk(resolved.wrapper.module) if isinstance(n, cst.Call) and n.func.value == "print")
    assert resolved.bindings.number(call.args[0].value) is expected
