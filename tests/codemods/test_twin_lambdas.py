import subprocess
import sys
from pathlib import Path

import pytest
from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSkip, TransformSuccess, apply, find_sites
from trimbench.codemods.twin_lambdas import TwinLambdas, twins

from ._cases import assert_refuses, program
from ._original import assert_parses, line_count, original_source
from ._per_site import assert_sites_independent, new_violations


# A line as wide as the rules allow: the pairs may be as wide as the file's widest line, not wider.
WIDE = "# " + "-" * 118 + "\n"


class TestTwinLambdasChanges(CodemodTest):
    TRANSFORM = TwinLambdas

    def test_the_chains_step_07(self) -> None:
        before = """
class Value:
    def __neg__(self): return self * -1
    def __sub__(self, other): return self + (-other)
    def __rsub__(self, other): return other + (-self)
    def __truediv__(self, other): return self * other**-1
    def __rtruediv__(self, other): return other * self**-1
"""
        after = """
class Value:
    def __neg__(self): return self * -1
    __sub__, __rsub__ = lambda self, other: self + (-other), lambda self, other: other + (-self)
    __truediv__, __rtruediv__ = lambda self, other: self * other**-1, lambda self, other: other * self**-1
"""
        self.assertCodemod(WIDE + before, WIDE + after)

    def test_either_order_indented_bodies_literal_defaults_and_comments(self) -> None:
        before = """
class Vec:
    # products
    def __rmul__(self, k, /): # scale
        return self.scaled(k)

    def __mul__(self, k=2): return self.scaled(k) # also scale
"""
        after = """
class Vec:
    # products
    __rmul__, __mul__ = lambda self, k, /: self.scaled(k), lambda self, k=2: self.scaled(k) # scale; also scale
"""
        self.assertCodemod(WIDE + before, WIDE + after)

    def test_the_parser_decides_the_parentheses(self) -> None:
        before = """
class Pair:
    def __add__(self, other): return self.x + other, self.y
    def __radd__(self, other): return (yield_ := other), self
    def __mod__(self, other): return lambda: other
    def __rmod__(self, other): return other if self else None
"""
        after = """
class Pair:
    __add__, __radd__ = lambda self, other: (self.x + other, self.y), lambda self, other: ((yield_ := other), self)
    __mod__, __rmod__ = lambda self, other: lambda: other, lambda self, other: other if self else None
"""
        self.assertCodemod(WIDE + before, WIDE + after)


def test_twins_are_a_binary_operators_x_and_rx() -> None:
    assert twins("__sub__", "__rsub__") and twins("__rtruediv__", "__truediv__") and twins("__and__", "__rand__")
    assert not twins("__add__", "__rsub__") and not twins("__neg__", "__rneg__") and not twins("__eq__", "__req__")
    assert not twins("__add__", "__add__") and not twins("add", "radd")


TWINS = WIDE + """
class Value:
    def __sub__(self, other): return self + (-other)
    def __rsub__(self, other): return other + (-self)
"""

MUST_NOT_APPLY = [
    pytest.param(TWINS.replace("    def __rsub__", "    def __neg__(self): return self\n    def __rsub__"),
                 id="not-consecutive"),
    pytest.param(TWINS.replace("__rsub__", "__rmul__"), id="not-twins"),
    pytest.param(TWINS.replace("    def __sub__", "    @staticmethod\n    def __sub__"), id="decorator"),
    pytest.param(TWINS.replace("(self, other): return self", "(self, other: int): return self"), id="annotation"),
    pytest.param(TWINS.replace("(self, other): return self", "(self, other) -> int: return self"),
                 id="return-annotation"),
    pytest.param("k = 1" + TWINS.replace("(self, other): return self", "(self, other=k): return self"),
                 id="default-not-a-literal"),
    pytest.param(TWINS.replace("(self, other): return self", "(self, *other): return self"), id="star-args"),
    pytest.param(TWINS.replace("(self, other): return self", "(self, other, **kw): return self"), id="star-kwargs"),
    pytest.param(TWINS.replace("(self, other): return self", "(self, *, other): return self"), id="keyword-only"),
    pytest.param(TWINS.replace("    def __sub__", "    async def __sub__"), id="async"),
    pytest.param(TWINS.replace("return self + (-other)", "return (yield other)"), id="yield"),
    pytest.param(TWINS.replace("return self + (-other)", "return super().__sub__(other)"), id="super"),
    pytest.param(TWINS.replace("return self + (-other)", "return __class__(other)"), id="class-cell"),
    pytest.param(TWINS.replace("def __sub__(self, other): return self + (-other)",
                               'def __sub__(self, other):\n        """Minus."""\n        return self + (-other)'),
                 id="docstring"),
    pytest.param(TWINS.replace("return self + (-other)", "print(other); return self"), id="two-statements"),
    pytest.param(TWINS.replace("return self + (-other)", "return"), id="bare-return"),
    pytest.param(TWINS.replace("def __sub__(self, other): return self + (-other)",
                               "def __sub__(self, other):\n        x = -other\n        return self + x"),
                 id="not-a-single-return"),
    pytest.param(TWINS.replace("return self + (-other)", "return (self +\n            (-other))"),
                 id="multi-line-body"),
    pytest.param(TWINS.replace("(self, other): return self", "(self,\n                other): return self"),
                 id="multi-line-parameters"),
    pytest.param(TWINS.replace("def __sub__(self, other): return self + (-other)",
                               "def __sub__(self, other):\n        # negate, then add\n        return self + (-other)"),
                 id="own-line-comment-inside"),
    pytest.param(TWINS.replace("    def __rsub__", "    # reflected\n    def __rsub__"),
                 id="own-line-comment-between"),
    pytest.param(TWINS.replace("return self + (-other)", "return self + (-other) # type: ignore"),
                 id="pragma-comment"),
    pytest.param(TWINS.replace(WIDE, ""), id="over-the-files-width"),
    pytest.param(TWINS + "print(__name__)\n", id="spells-name"),
    pytest.param(TWINS + "print(Value.__qualname__)\n", id="spells-qualname"),
    pytest.param("import inspect\n" + TWINS, id="line-reader"),
    pytest.param(TWINS + "print(getattr(Value, 'x', 0))\n", id="name-reader"),
    pytest.param(TWINS + "print(eval('1'))\n", id="dynamic-name"),
    pytest.param(TWINS + "print(Value.__rsub__)\n", id="a-method-read-elsewhere"),
    pytest.param(TWINS + "names = ['__sub__']\n", id="a-method-named-in-a-string"),
    pytest.param(TWINS.replace("class Value:", "class Value(Base):"), id="base-class"),
    pytest.param(TWINS.replace("class Value:", "class Value(metaclass=Meta):"), id="metaclass"),
    pytest.param(TWINS.replace("class Value:", "@register\nclass Value:"), id="class-decorator"),
    pytest.param(TWINS.replace("(self, other): return self", "(self, other): return " + "0.0 * " * 5 + "self"),
                 id="over-120-columns"),
    pytest.param("def __sub__(self, other): return 1\ndef __rsub__(self, other): return 2\n", id="not-in-a-class"),
]


@pytest.mark.parametrize("source", MUST_NOT_APPLY)
def test_must_not_apply(source: str) -> None:
    assert_refuses("twin-lambdas", source)


def test_the_table_s_twins_alone_are_rewritten() -> None:
    assert isinstance(apply("twin-lambdas", TWINS), TransformSuccess)  # so each case is refused for its own reason


def test_calls_by_name_are_no_read() -> None:
    source = TWINS + "class Sub(object):\n    def __sub__(self, other): return Value.__sub__(self, other)\n"
    assert "    __sub__, __rsub__ = lambda self, other:" in apply("twin-lambdas", source).code


def test_pairs_never_share_a_def_and_are_independent_sites() -> None:
    source = WIDE + program("""
        class Value:
            def __rsub__(self, other): return other + (-self)
            def __sub__(self, other): return self + (-other)
            def __rsub__(self, other): return 0
            class Inner:
                def __and__(self, other): return 1
                def __rand__(self, other): return 2
            def __pow__(self, other): return 3
            def __rpow__(self, other): return 4
        """)
    sites = find_sites("twin-lambdas", source)
    assert [s.line for s in sites] == [3, 7, 9]
    assert "`__rsub__` and `__sub__`" in sites[0].summary
    assert "    def __rsub__(self, other): return 0\n" in apply("twin-lambdas", source).code
    assert_sites_independent("twin-lambdas", source)


def test_original_sub_and_truediv() -> None:
    source = original_source()
    assert [s.line for s in find_sites("twin-lambdas", source)] == [53, 56]
    assert_sites_independent("twin-lambdas", source)
    result = apply("twin-lambdas", source)
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert line_count(result.code) == line_count(source) - 2
    assert "    __sub__, __rsub__ = lambda self, other: self + (-other), lambda self, other: other + (-self)\n" \
        "    def __rmul__(self, other): return self * other\n" \
        "    __truediv__, __rtruediv__ = lambda self, other: self * other**-1, lambda self, other: other * self**-1\n" \
        in result.code
    assert new_violations(source, result.code) == []


def test_composes_with_operator_dunders_in_either_order() -> None:
    source = original_source()
    first = apply("twin-lambdas", apply("operator-dunders", source).code)
    second = apply("operator-dunders", apply("twin-lambdas", source).code)
    assert isinstance(first, TransformSuccess) and isinstance(second, TransformSuccess)
    assert first.code == second.code and line_count(first.code) == line_count(source) - 7


# --- differential: both programs really run, floats printed with repr -------------------------------------

VALUE = """
    import random
    random.seed(9)
    scale = 3.0
    class Value:
        scale = -1.0  # a class attribute: neither the def nor the lambda sees it
        def __init__(self, data): self.data = data
        def __add__(self, other): return Value(self.data + (other.data if isinstance(other, Value) else other))
        def __mul__(self, other): return Value(self.data * (other.data if isinstance(other, Value) else other))
        def __radd__(self, other): return self + other
        def __rmul__(self, other): return self * other
        def __pow__(self, k): return Value(self.data**k)
        def __neg__(self): return self * -1
        def __sub__(self, other): return self + (-other) * scale
        def __rsub__(self, other): return other + (-self)
        def __truediv__(self, other, /): return self * other**-1
        def __rtruediv__(self, other, k=-1): return other * self**k
"""


def run(path: Path) -> str:
    done = subprocess.run([sys.executable, str(path)], cwd=path.parent, timeout=30, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_rewrite_prints_the_same_bytes(tmp_path: Path) -> None:
    source = WIDE + program(VALUE + """
    xs = [Value(random.gauss(0, 1)) for _ in range(4)]
    for x in xs:
        y = (x - 0.5) / (1.5 - x) - 2 / x + x / 3
        print(repr(y.data))
    scale = 0.25
    print(repr((xs[0] - xs[1]).data))
    """)
    result = apply("twin-lambdas", source)
    assert isinstance(result, TransformSuccess) and result.code.count(" = lambda self, other") == 2
    (tmp_path / "before.py").write_text(source)
    (tmp_path / "after.py").write_text(result.code)
    expected = run(tmp_path / "before.py")
    assert expected.strip() and run(tmp_path / "after.py") == expected


def test_a_module_that_prints_the_methods_names_is_refused(tmp_path: Path) -> None:
    reads = "print([f.__name__ for f in (Value.__sub__, Value.__rsub__)])\n"
    source = WIDE + program(VALUE) + reads
    assert isinstance(apply("twin-lambdas", source), TransformSkip)
    unsound = apply("twin-lambdas", WIDE + program(VALUE)).code + reads  # what it would write if it did not look
    (tmp_path / "before.py").write_text(source)
    (tmp_path / "unsound.py").write_text(unsound)
    assert run(tmp_path / "before.py") == "['__sub__', '__rsub__']\n"
    assert run(tmp_path / "unsound.py") == "['<lambda>', '<lambda>']\n"


def test_a_default_read_from_the_class_body_would_change_so_it_is_refused(tmp_path: Path) -> None:
    # The def's default is computed when `__sub__` is already bound in the class; in the pair, before it is.
    source = program("""
        __sub__ = lambda self, other: 'the global'
        class Value:
            def __sub__(self, other): return 'the method'
            def __rsub__(self, other, sub=__sub__): return sub(self, other)
        print(1 - Value())
        """)
    assert isinstance(apply("twin-lambdas", source), TransformSkip)
    unsound = source.replace("    def __sub__(self, other): return 'the method'\n"
                             "    def __rsub__(self, other, sub=__sub__): return sub(self, other)\n",
                             "    __sub__, __rsub__ = lambda self, other: 'the method', "
                             "lambda self, other, sub=__sub__: sub(self, other)\n")
    (tmp_path / "before.py").write_text(source)
    (tmp_path / "unsound.py").write_text(unsound)
    assert run(tmp_path / "before.py") == "the method\n" and run(tmp_path / "unsound.py") == "the global\n"


def test_a_tuple_body_unparenthesized_would_break_so_it_is_parenthesized(tmp_path: Path) -> None:
    source = WIDE + program("""
        class Pair:
            def __init__(self, x): self.x = x
            def __add__(self, other): return self.x + other, 'left'
            def __radd__(self, other): return other + self.x, 'right'
        print(Pair(1.5) + 2.25, 0.5 + Pair(1.5))
        """)
    result = apply("twin-lambdas", source)
    assert isinstance(result, TransformSuccess)
    unsound = result.code.replace("(self.x + other, 'left')", "self.x + other, 'left'")
    (tmp_path / "before.py").write_text(source)
    (tmp_path / "after.py").write_text(result.code)
    (tmp_path / "unsound.py").write_text(unsound)
    expected = run(tmp_path / "before.py")
    assert run(tmp_path / "after.py") == expected
    done = subprocess.run([sys.executable, str(tmp_path / "unsound.py")], capture_output=True, text=True, timeout=30)
    assert done.returncode != 0 and "ValueError" in done.stderr  # three values to unpack into two names
