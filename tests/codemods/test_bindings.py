"""What the source proves about a name: a number, a builtin, a dict nothing else holds."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ParentNodeProvider, ScopeProvider

from trimbench.codemods._bindings import Bindings
from trimbench.codemods._shared import declared_names, walk


class Resolved:
    """The metadata a codemod would see, for Bindings to read through `get_metadata`."""

    def __init__(self, source: str) -> None:
        self.wrapper = MetadataWrapper(cst.parse_module(source))
        self.data = self.wrapper.resolve_many([ScopeProvider, ParentNodeProvider])
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
])
def test_private_dict(source: str, expected: bool) -> None:
    resolved = Resolved(source)
    scope = resolved.get_metadata(ScopeProvider, resolved.wrapper.module)
    assert resolved.bindings.private_dict(scope, "d") is expected


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
