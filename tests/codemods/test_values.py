"""Which values are inert (run no user code) and which constant (read nothing, run nothing, cannot fail)."""

from __future__ import annotations

import libcst as cst
import pytest

from trimbench.codemods._shared import walk
from trimbench.codemods._values import constant, inert, surely_reads

from .test_bindings import Resolved


def value_of(source: str) -> tuple[Resolved, cst.BaseExpression]:
    resolved = Resolved(source)
    assign = [n for n in walk(resolved.wrapper.module) if isinstance(n, cst.Assign)][-1]
    return resolved, assign.value


@pytest.mark.parametrize("source, is_inert, is_constant", [
    pytest.param("x = []\n", True, True, id="empty-list"),
    pytest.param("x = {'a': (1, -2.0), None: ''}\n", True, True, id="dict-of-literals"),
    pytest.param("x = set()\n", True, True, id="empty-builtin-set"),
    pytest.param("x = bytearray()\n", True, True, id="empty-builtin-bytearray"),
    pytest.param("x = [a, (b, 1)]\n", True, False, id="names-read-a-variable"),
    pytest.param("x = 2 ** -3\n", True, False, id="arithmetic-may-fail"),
    pytest.param("x = 'a' 'b'\n", True, True, id="plain-concatenation"),
    pytest.param("x = 'a' f'{q}'\n", False, False, id="f-string-formats"),
    pytest.param("x = {k: 1}\n", False, False, id="dict-key-hash-may-run-code"),
    pytest.param("x = {a, b}\n", False, False, id="set-element-hash-may-run-code"),
    pytest.param("x = [*xs]\n", False, False, id="spread-iterates"),
    pytest.param("x = set(xs)\n", False, False, id="builtin-with-an-argument"),
    pytest.param("set = make\nx = set()\n", False, False, id="set-rebound"),
    pytest.param("x = str()\n", False, False, id="not-a-container"),
    pytest.param("x = a + 1\n", False, False, id="operator-on-a-name"),
])
def test_inert_and_constant(source: str, is_inert: bool, is_constant: bool) -> None:
    resolved, value = value_of(source)
    assert inert(value, resolved.bindings) is is_inert
    assert constant(value, resolved.bindings) is is_constant


@pytest.mark.parametrize("source, expected", [
    pytest.param("m[i] = beta * m[i] + g\n", True, id="operand"),
    pytest.param("m[i] = f(m[i].real)\n", True, id="argument-and-attribute"),
    pytest.param("m[i] = g or m[i]\n", False, id="short-circuit"),
    pytest.param("m[i] = m[i] if c else 0\n", False, id="conditional"),
    pytest.param("m[i] = [m[i] for _ in xs]\n", False, id="comprehension"),
    pytest.param("m[i] = m[j]\n", False, id="another-index"),
    pytest.param("m[i] = v[i]\n", False, id="another-list"),
])
def test_surely_reads(source: str, expected: bool) -> None:
    _, value = value_of(source)
    target = cst.parse_expression("m[i]")
    assert surely_reads(value, target) is expected
