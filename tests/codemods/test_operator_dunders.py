from libcst.codemod import CodemodTest

from trimbench.codemods import TransformSuccess, apply
from trimbench.codemods.operator_dunders import OperatorDunders

from ._original import assert_parses, line_count, original_source

VALUE_HEAD = """
import math

class Value:
    def __init__(self, data, children=(), local_grads=()):
        self.data = data
"""


class TestOperatorDundersChanges(CodemodTest):
    TRANSFORM = OperatorDunders

    def test_add_and_mul_keep_their_own_local_grads(self) -> None:
        before = VALUE_HEAD + """
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, other): return Value(self.data**other, (self,), (other * self.data**(other-1),))
    def __truediv__(self, other): return self * other**-1
"""
        after = """
import math
import operator

class Value:
    def __init__(self, data, children=(), local_grads=()):
        self.data = data

    def _binary(self, other, op, local_grads):
        other = other if isinstance(other, Value) else Value(other)
        return Value(op(self.data, other.data), (self, other), local_grads(self.data, other.data))

    def __add__(self, other): return self._binary(other, operator.add, lambda a, b: (1, 1))
    def __mul__(self, other): return self._binary(other, operator.mul, lambda a, b: (b, a))
    def __pow__(self, other): return Value(self.data**other, (self,), (other * self.data**(other-1),))
    def __truediv__(self, other): return self * other**-1
"""
        self.assertCodemod(before, after)

    def test_direct_sub_and_div_are_generated_with_their_gradients(self) -> None:
        before = """
import operator

class V:
    def __sub__(s, o):
        o = o if isinstance(o, V) else V(o)
        return V(s.x - o.x, (s, o), (1, -1))
    def __truediv__(s, o):
        o = o if isinstance(o, V) else V(o)
        return V(s.x / o.x, (s, o), (1 / o.x, -s.x / o.x**2))
"""
        after = """
import operator

class V:
    def _binary(s, o, op, local_grads):
        o = o if isinstance(o, V) else V(o)
        return V(op(s.x, o.x), (s, o), local_grads(s.x, o.x))
    def __sub__(s, o): return s._binary(o, operator.sub, lambda a, b: (1, -1))
    def __truediv__(s, o): return s._binary(o, operator.truediv, lambda a, b: (1 / b, -a / b**2))
"""
        self.assertCodemod(before, after)

    def test_import_lines_up_with_commented_neighbours(self) -> None:
        before = """
import math     # math.log
random = 1
class Value:
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1))
    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))
"""
        after = """
import math     # math.log
import operator # operator.add, operator.mul
random = 1
class Value:
    def _binary(self, other, op, local_grads):
        other = other if isinstance(other, Value) else Value(other)
        return Value(op(self.data, other.data), (self, other), local_grads(self.data, other.data))
    def __add__(self, other): return self._binary(other, operator.add, lambda a, b: (1, 1))
    def __mul__(self, other): return self._binary(other, operator.mul, lambda a, b: (b, a))
"""
        self.assertCodemod(before, after)


class TestOperatorDundersNoChange(CodemodTest):
    TRANSFORM = OperatorDunders

    def assertUnchanged(self, source: str) -> None:
        self.assertCodemod(source, source, expected_skip=True)

    def test_single_dunder_is_not_worth_a_helper(self) -> None:
        self.assertUnchanged(VALUE_HEAD + """
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1))
""")

    def test_sub_via_add_is_left_alone(self) -> None:
        # `a + (-b)` and `a - b` round differently: only direct computations are generated.
        self.assertUnchanged(VALUE_HEAD + """
    def __sub__(self, other): return self + (-other)
    def __truediv__(self, other): return self * other**-1
""")

    def test_operator_must_match_the_dunder_name(self) -> None:
        self.assertUnchanged(VALUE_HEAD + """
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (1, 1))
    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (other.data, self.data))
""")

    def test_grads_reading_more_than_data_are_left_alone(self) -> None:
        self.assertUnchanged(VALUE_HEAD + """
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (self.grad, 1))
    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))
""")

    def test_extra_statement_breaks_the_shape(self) -> None:
        self.assertUnchanged(VALUE_HEAD + """
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        print("adding")
        return Value(self.data + other.data, (self, other), (1, 1))
    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))
""")

    def test_operator_name_already_taken(self) -> None:
        self.assertUnchanged("""
operator = "+"
class Value:
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1))
    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))
""")


def test_original_saves_a_line_and_keeps_the_gradients() -> None:
    source = original_source()
    result = apply("operator-dunders", source)
    assert isinstance(result, TransformSuccess)
    assert_parses(result.code)
    assert line_count(result.code) < line_count(source)
    assert "operator.add, lambda a, b: (1, 1))" in result.code
    assert "operator.mul, lambda a, b: (b, a))" in result.code
    assert "def __sub__(self, other): return self + (-other)" in result.code
    assert "def __truediv__(self, other): return self * other**-1" in result.code
