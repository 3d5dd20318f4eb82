import subprocess
import sys
from pathlib import Path

import pytest
from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSkip, TransformSuccess, apply, find_sites
from trimbench.codemods.operator_dunders import OperatorDunders

from ._cases import assert_refuses, program
from ._original import assert_parses, line_count, original_source
from ._per_site import assert_sites_independent, new_violations

VALUE_HEAD = """
import math

class Value:
    def __init__(self, data, children=(), local_grads=()):
        self.data = data
"""

FACTORY = """\
    def _binary(op, local_grads): # a binary dunder from an operation and its local gradients
        node = lambda self, other: Value(op(self.data, other.data), (self, other), local_grads(self.data, other.data))
        return lambda self, other: node(self, other if isinstance(other, Value) else Value(other))
"""


class TestOperatorDundersChanges(CodemodTest):
    TRANSFORM = OperatorDunders

    def test_add_and_mul_keep_their_own_local_grads_and_their_twins_become_aliases(self) -> None:
        before = VALUE_HEAD + """
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, other): return Value(self.data**other, (self,), (other * self.data**(other-1),))
    def __radd__(self, other): return self + other
    def __truediv__(self, other): return self * other**-1
    def __rmul__(self, other): return self * other
"""
        after = VALUE_HEAD + "\n" + FACTORY + """\
    __add__ = __radd__ = _binary(lambda lhs, rhs: lhs + rhs, lambda lhs, rhs: (1, 1))
    __mul__ = __rmul__ = _binary(lambda lhs, rhs: lhs * rhs, lambda lhs, rhs: (rhs, lhs))
    def __pow__(self, other): return Value(self.data**other, (self,), (other * self.data**(other-1),))
    def __truediv__(self, other): return self * other**-1
"""
        self.assertCodemod(before, after)

    def test_one_letter_operands_when_the_module_has_them_and_operator_when_it_is_imported(self) -> None:
        before = """
import operator
a, b = 1, 2

class V:
    def __sub__(s, o):
        o = o if isinstance(o, V) else V(o)
        return V(s.x - o.x, (s, o), (1, -1))
    def __truediv__(s, o):
        o = o if isinstance(o, V) else V(o)
        return V(s.x / o.x, (s, o), (1 / o.x, -s.x / o.x**2))
    def __rsub__(s, o): return o - s
"""
        after = """
import operator
a, b = 1, 2

class V:
    def _binary(op, local_grads): # a binary dunder from an operation and its local gradients
        node = lambda s, o: V(op(s.x, o.x), (s, o), local_grads(s.x, o.x))
        return lambda s, o: node(s, o if isinstance(o, V) else V(o))
    __sub__ = _binary(operator.sub, lambda a, b: (1, -1))
    __truediv__ = _binary(operator.truediv, lambda a, b: (1 / b, -a / b**2))
    def __rsub__(s, o): return o - s
"""
        self.assertCodemod(before, after)  # `o - s` is not `__sub__`'s twin: its def stays

    def test_a_subclass_keeps_the_twin_a_def_and_comments_stay_with_their_methods(self) -> None:
        before = """
class Value:
    # arithmetic
    def __add__(self, other): # sum
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1))
    # product
    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data)) # chain rule
    def __radd__(self, other): return self + other
class Twice(Value):
    def __add__(self, other): return Value.__add__(self, other) * 2
"""
        after = """
class Value:
    # arithmetic
""" + FACTORY + """\
    __add__ = _binary(lambda lhs, rhs: lhs + rhs, lambda lhs, rhs: (1, 1)) # sum
    # product
    __mul__ = _binary(lambda lhs, rhs: lhs * rhs, lambda lhs, rhs: (rhs, lhs)) # chain rule
    def __radd__(self, other): return self + other
class Twice(Value):
    def __add__(self, other): return Value.__add__(self, other) * 2
"""
        self.assertCodemod(before, after)

    def test_a_twins_comment_joins_its_forwards_line_and_operator_bound_otherwise_means_lambdas(self) -> None:
        before = """
operator = "+"
class Value:
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1)) # sum
    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    def __radd__(self, other): return self + other # reflected
    def relu(self): return self
"""
        after = """
operator = "+"
class Value:
""" + FACTORY + """\
    __add__ = __radd__ = _binary(lambda lhs, rhs: lhs + rhs, lambda lhs, rhs: (1, 1)) # sum; reflected
    __mul__ = _binary(lambda lhs, rhs: lhs * rhs, lambda lhs, rhs: (rhs, lhs))

    def relu(self): return self
"""
        self.assertCodemod(before, after)


ADD_MUL = """
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1))
    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))
"""

MUST_NOT_APPLY = [
    pytest.param(VALUE_HEAD + """
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1))
""", id="one-dunder-is-not-worth-a-factory"),
    # `a + (-b)` and `a - b` round differently: only direct computations are generated.
    pytest.param(VALUE_HEAD + """
    def __sub__(self, other): return self + (-other)
    def __truediv__(self, other): return self * other**-1
""", id="sub-and-div-through-other-operators"),
    pytest.param(VALUE_HEAD + ADD_MUL.replace("self.data + other", "self.data @ other"), id="operator-not-the-dunders"),
    pytest.param(VALUE_HEAD + ADD_MUL.replace("__add__", "__radd__"), id="two-line-reflected-dunder"),
    pytest.param(VALUE_HEAD + ADD_MUL.replace("(1, 1)", "(self.grad, 1)"), id="grads-read-more-than-data"),
    pytest.param(VALUE_HEAD + ADD_MUL.replace("(1, 1)", "(super(), 1)"), id="grads-need-the-class-cell"),
    pytest.param(VALUE_HEAD + ADD_MUL.replace("(1, 1))", "(1, 1))\n    def __add__(self, other): return 0"),
                 id="dunder-defined-twice"),
    pytest.param(VALUE_HEAD + ADD_MUL.replace('        return Value(self.data +', '        print("adding")\n'
                                              '        return Value(self.data +'), id="extra-statement"),
    pytest.param(VALUE_HEAD + ADD_MUL.replace('        return Value(self.data +', '        # the sum\n'
                                              '        return Value(self.data +'), id="own-line-comment-inside"),
    pytest.param(VALUE_HEAD + ADD_MUL.replace("(1, 1))", "(1, 1)) # noqa: E501"), id="pragma-comment"),
    pytest.param(VALUE_HEAD + ADD_MUL.replace("(self, other):\n        other = other if isinstance(other, Value)"
                                              " else Value(other)\n        return Value(self.data * other.data, "
                                              "(self, other), (other.data, self.data))",
                                              "(this, that):\n        that = that if isinstance(that, Value) else "
                                              "Value(that)\n        return Value(this.data * that.data, (this, "
                                              "that), (that.data, this.data))"), id="parameters-named-differently"),
    pytest.param(VALUE_HEAD + ADD_MUL.replace("other", "op"), id="a-parameter-is-a-factory-name"),
    pytest.param("class node:" + ADD_MUL.replace("Value", "node"), id="the-class-is-a-factory-name"),
    pytest.param("class Value:\n    data = property(lambda self: print('read') or 1)" + ADD_MUL,
                 id="the-attribute-is-a-property"),
    pytest.param("class Value:\n    def __getattribute__(self, name): return 1" + ADD_MUL, id="getattribute"),
    pytest.param("class Value:" + ADD_MUL.replace("data", "d" * 40), id="a-line-over-120-columns"),
    pytest.param("class Base:\n    pass\nclass Value(Base):" + ADD_MUL, id="base-class-could-define-the-factory"),
    pytest.param("class Value(metaclass=Meta):" + ADD_MUL, id="metaclass"),
    pytest.param("@register\nclass Value:" + ADD_MUL, id="class-decorator"),
    pytest.param("class Value:" + ADD_MUL + "\nclass Sub(Value):\n    def f(self):\n        return self._binary\n",
                 id="factory-name-read-by-a-subclass"),
    pytest.param("class Value:" + ADD_MUL + "\ndef _binary(op, local_grads):\n    return op\n",
                 id="factory-name-a-global"),
    pytest.param("class Value:\n    def _binary(op, local_grads): return op" + ADD_MUL, id="the-class-has-a-factory"),
    pytest.param("class Value:" + ADD_MUL + "\nprint('_binary')\n", id="factory-name-in-a-string"),
    pytest.param("class Value:" + ADD_MUL + "\nprint(__name__)\n", id="spells-name"),
    pytest.param("class Value:" + ADD_MUL + "\nprint(Value.__mul__.__qualname__)\n", id="spells-qualname"),
    pytest.param("import inspect\nclass Value:" + ADD_MUL, id="line-reader"),
    pytest.param("class Value:" + ADD_MUL + "\nprint(dir(Value))\n", id="dir-would-show-the-factory"),
    pytest.param("class Value:" + ADD_MUL + "\nprint(Value.__add__)\n", id="a-dunder-spelled-elsewhere"),
    pytest.param("class Value:" + ADD_MUL + "\nprint(eval('1'))\n", id="dynamic-name"),
]


@pytest.mark.parametrize("source", MUST_NOT_APPLY)
def test_must_not_apply(source: str) -> None:
    assert_refuses("operator-dunders", source)


@pytest.mark.parametrize("head", [VALUE_HEAD, "class Value:"])
def test_the_table_s_methods_alone_are_rewritten(head: str) -> None:
    assert isinstance(apply("operator-dunders", head + ADD_MUL), TransformSuccess)  # each case refused for its reason


def test_a_twin_spelled_elsewhere_or_under_a_comment_keeps_its_def() -> None:
    source = "class Value:" + ADD_MUL + (
        "    def __radd__(self, other): return self + other\n"
        "    # reflected product\n"
        "    def __rmul__(self, other): return self * other\n"
        "print(Value(1).__radd__(2))\n")
    result = apply("operator-dunders", program(source)).code
    assert "    __add__ = _binary(" in result and "    def __radd__(self, other): return self + other\n" in result
    assert "    __mul__ = _binary(" in result and "    # reflected product\n    def __rmul__" in result


def test_import_operator_counts_only_when_it_runs_before_the_class() -> None:
    later = apply("operator-dunders", "class Value:" + ADD_MUL + "import operator\n").code
    assert "_binary(lambda lhs, rhs: lhs + rhs" in later and "operator.add" not in later
    aliased = apply("operator-dunders", "import operator as operator\nclass Value:" + ADD_MUL).code
    assert "operator.add" not in aliased


def test_each_class_is_a_site() -> None:
    source = "class Value:" + ADD_MUL + "\n" + "class Other:" + ADD_MUL.replace("Value", "Other")
    sites = find_sites("operator-dunders", source)
    assert [(s.index, s.line) for s in sites] == [(0, 2), (1, 10)]  # the first dunder of each class
    second = apply("operator-dunders", source, sites=[1]).code
    assert second.count("def _binary") == 1 and "class Other:\n    def _binary(op, local_grads):" in second
    assert "class Value:\n    def __add__(self, other):" in second
    assert_sites_independent("operator-dunders", source)


def test_original_loses_five_lines_and_keeps_the_gradients() -> None:
    source = original_source()
    result = apply("operator-dunders", source)
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert line_count(result.code) == line_count(source) - 5
    assert "\n" + FACTORY + "    __add__ = __radd__ = _binary(lambda a, b: a + b, lambda a, b: (1, 1))\n" \
        "    __mul__ = __rmul__ = _binary(lambda a, b: a * b, lambda a, b: (b, a))\n" \
        "    def __pow__(self, other):" in result.code
    assert "def __radd__" not in result.code and "def __rmul__" not in result.code
    assert "def __sub__(self, other): return self + (-other)" in result.code
    assert "def __truediv__(self, other): return self * other**-1" in result.code
    assert new_violations(source, result.code) == []


# --- differential: both programs really run, floats printed with repr -------------------------------------

AUTOGRAD = """
    import random
    random.seed(4)
    class Value:
        def __init__(self, data, children=(), local_grads=()):
            self.data, self.grad, self._children, self._local_grads = data, 0, children, local_grads
        def __add__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            return Value(self.data + other.data, (self, other), (1, 1))
        def __mul__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            return Value(self.data * other.data, (self, other), (other.data, self.data))
        def __radd__(self, other): return self + other
        def __rmul__(self, other): return self * other
        def backward(self):
            topo, seen = [], set()
            def build(v):
                if v not in seen:
                    seen.add(v)
                    for child in v._children:
                        build(child)
                    topo.append(v)
            build(self)
            self.grad = 1
            for v in reversed(topo):
                for child, local in zip(v._children, v._local_grads):
                    child.grad += local * v.grad
"""


def run(path: Path) -> str:
    done = subprocess.run([sys.executable, str(path)], cwd=path.parent, timeout=30, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_rewrite_prints_the_same_bytes(tmp_path: Path) -> None:
    source = program(AUTOGRAD + """
    xs = [Value(random.gauss(0, 1)) for _ in range(5)]
    y = sum(x * x for x in xs)
    z = 0.5 * y + 3 + xs[0] * 2.5
    z.backward()
    print(repr(z.data), [repr(x.grad) for x in xs], [repr(c.data) for c in z._children])
    """)
    result = apply("operator-dunders", source)
    assert isinstance(result, TransformSuccess) and "__add__ = __radd__ = _binary(" in result.code
    (tmp_path / "before.py").write_text(source)
    (tmp_path / "after.py").write_text(result.code)
    expected = run(tmp_path / "before.py")
    assert expected.strip() and run(tmp_path / "after.py") == expected


def test_with_a_subclass_the_alias_would_print_otherwise_so_the_twin_stays(tmp_path: Path) -> None:
    # `3 + t` calls `Value.__radd__`, whose `self + other` dispatches to the subclass's `__add__`.
    source = program(AUTOGRAD + """
    class Twice(Value):
        def __add__(self, other):
            other = other if isinstance(other, Value) else Value(other)
            return Value(2 * self.data + other.data)
    t = Twice(1.25)
    print(repr((3 + t).data), repr((t * 2).data))
    """)
    result = apply("operator-dunders", source)
    assert isinstance(result, TransformSuccess) and "def __radd__(self, other): return self + other" in result.code
    unsound = result.code.replace("    __add__ = _binary(", "    __add__ = __radd__ = _binary(").replace(
        "    def __radd__(self, other): return self + other\n", "")
    for name, text in (("before", source), ("after", result.code), ("unsound", unsound)):
        (tmp_path / f"{name}.py").write_text(text)
    expected = run(tmp_path / "before.py")
    assert run(tmp_path / "unsound.py") != expected  # the danger is real
    assert run(tmp_path / "after.py") == expected


def test_a_module_that_prints_a_dunders_name_is_refused(tmp_path: Path) -> None:
    reads = "print(Value.__mul__.__name__)\n"
    source = program(AUTOGRAD) + reads
    assert isinstance(apply("operator-dunders", source), TransformSkip)
    unsound = apply("operator-dunders", program(AUTOGRAD)).code + reads  # what it would write if it did not look
    (tmp_path / "before.py").write_text(source)
    (tmp_path / "unsound.py").write_text(unsound)
    assert run(tmp_path / "before.py") == "__mul__\n" and run(tmp_path / "unsound.py") == "<lambda>\n"
