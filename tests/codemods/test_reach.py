"""What a call may run: by spelling, through defs, lambdas, classes, dunders and escaped functions."""

from __future__ import annotations

import libcst as cst
import pytest

from trimbench.codemods._reach import reachable


def reached(source: str, *called: str) -> set[str]:
    """The names of the defs and classes reached, `<lambda>` for lambdas."""
    bodies = reachable(cst.parse_module(source), called)
    return {b.name.value if isinstance(b, (cst.FunctionDef, cst.ClassDef)) else "<lambda>" for b in bodies}


@pytest.mark.parametrize("source, called, expected", [
    pytest.param("def f():\n    return g()\ndef g():\n    return 1\ndef h():\n    pass\n", ["f"], {"f", "g"},
                 id="through-calls"),
    pytest.param("m = lambda n: Value(n)\nclass Value:\n    def log(self):\n        pass\n", ["m"],
                 {"<lambda>", "Value", "log"}, id="lambda-then-class-and-its-methods"),
    pytest.param("def f(x):\n    return x.log()\ndef log():\n    pass\n", ["f"], {"f", "log"}, id="methods-by-name"),
    pytest.param("class V:\n    def __add__(self, o):\n        pass\ndef f():\n    pass\n", ["f"], {"f", "__add__"},
                 id="dunders-always"),
    pytest.param("def g():\n    pass\nhooks = [g]\ndef f():\n    pass\n", ["f"], {"f", "g"}, id="escaped-function"),
    pytest.param("hooks = [lambda: 1]\ndef f():\n    pass\n", ["f"], {"f", "<lambda>"}, id="unnamed-lambda"),
    pytest.param("def f():\n    pass\ndef g():\n    pass\n", ["f"], {"f"}, id="only-what-is-called"),
])
def test_reachable(source: str, called: list[str], expected: set[str]) -> None:
    assert reached(source, *called) == expected
