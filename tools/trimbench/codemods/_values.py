"""What computing a value may do: run user code, read a variable, fail. Which values are inert, which constant.

Static and conservative, like _bindings.py: a value these rules do not understand may do anything.
- inert: computing it runs no user code. Names (a read runs nothing), literals, arithmetic of number literals,
  a call of a builtin with no argument that makes a new empty container (`set()`, `dict()`, ...: the name must
  provably mean the builtin, `Bindings.builtin`), and displays of those. A set element or a dict key must be a
  hashable constant: hashing anything else may run its `__hash__`/`__eq__`.
- constant: computing it reads no variable, runs no user code, cannot fail, and gives an equal value wherever
  and whenever it runs (a new one each time when it is mutable): `[]`, `{}`, `()`, `0`, `-1`, `''`, `None`,
  `set()`, displays of those. No arithmetic (`1 / 0` fails), no name but `None`, `True`, `False`.
"""

from __future__ import annotations

import libcst as cst

from ._shared import literal

# Builtins that, called with no argument, make a new empty container and run no user code.
EMPTY_CONTAINERS = frozenset({"set", "list", "dict", "tuple", "frozenset", "bytearray"})
_KEYWORDS = frozenset({"None", "True", "False"})  # names nothing can rebind
_NUMBERS = (cst.Integer, cst.Float, cst.Imaginary)
# Nodes whose every child is computed whenever the node itself is computed to its end: no branch, no laziness.
_EAGER = (cst.BinaryOperation, cst.UnaryOperation, cst.Call, cst.Arg, cst.Attribute, cst.Subscript,
          cst.SubscriptElement, cst.Index, cst.Tuple, cst.List, cst.Element)


def number(node: cst.CSTNode) -> bool:
    """A number literal, or arithmetic of number literals (`-1`, `2 ** -3`): no variable, no user code."""
    if isinstance(node, _NUMBERS):
        return True
    if isinstance(node, cst.UnaryOperation):
        return number(node.expression)
    return isinstance(node, cst.BinaryOperation) and number(node.left) and number(node.right)


def empty_builtin(node: cst.CSTNode, bindings) -> bool:
    """`set()`, `list()`, ... with no argument, the name provably the builtin: a new empty container."""
    return (isinstance(node, cst.Call) and not node.args and isinstance(node.func, cst.Name) and not node.func.lpar
            and node.func.value in EMPTY_CONTAINERS and bindings.builtin(node.func, node.func.value))


def empty_container(node: cst.CSTNode, bindings) -> bool:
    """`[]`, `{}`, `()` or an empty builtin call: a collector started early, the one value worth moving up a block
    (moving a setting such as `num_steps = 5` up into an unrelated line would read worse, and save the same)."""
    if isinstance(node, (cst.List, cst.Dict, cst.Tuple)) and not node.elements:
        return True
    return empty_builtin(node, bindings)


def hashable(node: cst.CSTNode) -> bool:
    """A constant whose hash runs no user code: a literal, `None`/`True`/`False`, a signed number, a tuple of those."""
    if literal(node) or (isinstance(node, cst.Name) and node.value in _KEYWORDS):
        return True
    if isinstance(node, cst.UnaryOperation):
        return isinstance(node.operator, (cst.Minus, cst.Plus)) and isinstance(node.expression, _NUMBERS)
    return isinstance(node, cst.Tuple) and all(isinstance(e, cst.Element) and hashable(e.value)
                                               for e in node.elements)


def inert(node: cst.CSTNode, bindings) -> bool:
    """Computing `node` runs no user code (see the module docstring)."""
    if isinstance(node, cst.Name) or literal(node) or number(node) or empty_builtin(node, bindings):
        return True
    return _display(node, lambda value: inert(value, bindings))


def constant(node: cst.CSTNode, bindings) -> bool:
    """Computing `node` reads no variable, runs no user code, cannot fail, and gives an equal value anywhere."""
    if hashable(node) or empty_builtin(node, bindings):
        return True
    return _display(node, lambda value: constant(value, bindings))


def _display(node: cst.CSTNode, item) -> bool:
    """A tuple, list, set or dict display, no `*`/`**` spread, whose items pass `item` and keys are hashable."""
    if isinstance(node, (cst.Tuple, cst.List)):
        return all(isinstance(e, cst.Element) and item(e.value) for e in node.elements)
    if isinstance(node, cst.Set):
        return all(isinstance(e, cst.Element) and hashable(e.value) for e in node.elements)
    if isinstance(node, cst.Dict):
        return all(isinstance(e, cst.DictElement) and hashable(e.key) and item(e.value) for e in node.elements)
    return False


def surely_reads(value: cst.CSTNode, subscript: cst.Subscript) -> bool:
    """Whether computing `value` to its end surely loaded `subscript` (`m[i]`, a name indexed by a name or an
    integer): outside any `and`/`or`, conditional, comparison chain, comprehension or lambda, which may skip it."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Subscript) and _same_subscript(node, subscript):
            return True
        if isinstance(node, _EAGER):
            stack.extend(node.children)
    return False


def _same_subscript(one: cst.Subscript, other: cst.Subscript) -> bool:
    def parts(node: cst.Subscript) -> tuple[str, type, str] | None:
        index = node.slice[0].slice if len(node.slice) == 1 else None
        if not (isinstance(node.value, cst.Name) and isinstance(index, cst.Index)):
            return None
        if index.star or not isinstance(index.value, (cst.Name, cst.Integer)):
            return None
        return node.value.value, type(index.value), index.value.value
    return parts(one) is not None and parts(one) == parts(other)
