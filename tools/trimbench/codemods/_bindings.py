"""What the source proves about a name: what it is bound to (a plain value, a builtin, a number), who holds it.

Static and conservative: a binding the rules here do not understand (an import, a parameter, a call's
result) proves nothing, and the answer is "not known", never a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import libcst as cst
import libcst.matchers as m
from libcst.metadata import Assignment, BuiltinAssignment, ParentNodeProvider, Scope, ScopeProvider

from ._flow import in_place, reads_of

ARITHMETIC = (cst.Add, cst.Subtract, cst.Multiply, cst.Divide, cst.FloorDivide, cst.Modulo, cst.Power)
_VIEWS = frozenset({"keys", "values", "items"})  # live views of the dict: safe only when consumed at once
# Builtins that keep no reference to their argument (they copy or reduce it, consuming an iterator at once).
CONSUMERS = frozenset({"len", "list", "tuple", "sorted", "set", "frozenset", "dict", "print", "repr", "str", "sum",
                      "min", "max", "any", "all"})


class Bindings:
    """Answers about one module's bindings, for a codemod that depends on ScopeProvider and ParentNodeProvider."""

    def __init__(self, codemod, declared: Collection[str]) -> None:
        self.meta: Callable = codemod.get_metadata
        self.declared = declared  # names some `global`/`nonlocal` names: any call may rebind them

    def assigned_value(self, target: cst.CSTNode) -> cst.CSTNode | None:
        """The value a plain `name = value` (or `a, name = x, value`) binds to `target`, else None."""
        parent = self.meta(ParentNodeProvider, target, None)
        if isinstance(parent, cst.AssignTarget):
            return self.meta(ParentNodeProvider, parent).value
        if isinstance(parent, cst.Element):
            tuple_ = self.meta(ParentNodeProvider, parent)
            holder = self.meta(ParentNodeProvider, tuple_, None)
            assign = self.meta(ParentNodeProvider, holder, None) if holder is not None else None
            if isinstance(holder, cst.AssignTarget) and isinstance(assign, cst.Assign):
                values = assign.value
                if isinstance(values, cst.Tuple) and len(values.elements) == len(tuple_.elements):
                    return values.elements[[e is parent for e in tuple_.elements].index(True)].value
        return None

    def builtin(self, node: cst.CSTNode, name: str) -> bool:
        scope = self.meta(ScopeProvider, node, None)
        return scope is not None and all(isinstance(a, BuiltinAssignment) for a in scope[name])

    def numeric(self, name: cst.Name, seen: frozenset[str] = frozenset()) -> bool:
        """Every binding `name` can have here is a number: a literal, arithmetic of those, or a `for` over range()."""
        scope = self.meta(ScopeProvider, name, None)
        if scope is None or name.value in seen or name.value in self.declared:
            return False
        bindings = scope[name.value]
        return bool(bindings) and all(self._binds_number(b, seen | {name.value}) for b in bindings)

    def _binds_number(self, binding, seen: frozenset[str]) -> bool:
        if not isinstance(binding, Assignment):
            return False  # a builtin, or an import
        target = binding.node
        parent = self.meta(ParentNodeProvider, target, None)
        if isinstance(parent, cst.For) and parent.target is target:
            return m.matches(parent.iter, m.Call(func=m.Name("range"))) and self.builtin(parent.iter.func, "range")
        if isinstance(parent, cst.Element):  # `for i, x in enumerate(xs)`: i counts from 0
            pair = self.meta(ParentNodeProvider, parent)
            loop = self.meta(ParentNodeProvider, pair, None)
            if isinstance(loop, cst.For) and loop.target is pair:
                return (pair.elements[0] is parent
                        and m.matches(loop.iter, m.Call(func=m.Name("enumerate"), args=[m.Arg(keyword=None, star="")]))
                        and self.builtin(loop.iter.func, "enumerate"))
        value = self.assigned_value(target)
        if isinstance(parent, cst.AugAssign) and parent.target is target:
            value = parent.value
        return value is not None and self._number(value, seen)

    def number(self, node: cst.CSTNode) -> bool:
        """`node` always evaluates to a number, running no user code: literals, numeric names, arithmetic of those."""
        return self._number(node, frozenset())

    def _number(self, node: cst.CSTNode, seen: frozenset[str]) -> bool:
        if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary)):
            return True
        if isinstance(node, cst.Name):
            return self.numeric(node, seen)
        if isinstance(node, cst.UnaryOperation):
            return isinstance(node.operator, (cst.Minus, cst.Plus)) and self._number(node.expression, seen)
        if isinstance(node, cst.BinaryOperation):
            return (isinstance(node.operator, ARITHMETIC)
                    and self._number(node.left, seen) and self._number(node.right, seen))
        return False

    def private_dict(self, scope: Scope, name: str) -> bool:
        """The dict is a dict, and nothing holds it but its name (every read is on the spot)."""
        assignments = scope.assignments[name]
        if not assignments:
            return False
        for assignment in assignments:
            holder = self.assigned_value(assignment.node)
            dict_call = m.matches(holder, m.Call(func=m.Name("dict"))) and self.builtin(assignment.node, "dict")
            if not (isinstance(holder, (cst.Dict, cst.DictComp)) or dict_call):
                return False
            if not all(self.read_on_the_spot(reference.node) for reference in assignment.references):
                return False
        return True

    def private_list(self, scope: Scope, name: str) -> bool:
        """The name only ever holds a list made on the spot (a display, a list comprehension, `+` of those), by
        `name = ...` alone, and nothing else can reach that list: no `global`/`nonlocal` names it, and every
        read is on the spot and in place, in the scope's own statements (no function, lambda, class body or
        generator sees it). So only code that spells `name` in the scope can change the list."""
        assignments = scope.assignments[name]
        if name in self.declared or not assignments:
            return False
        for assignment in assignments:
            if not isinstance(assignment, Assignment):
                return False  # a builtin, say
            parent = self._parent(assignment.node)
            assign = self._parent(parent) if isinstance(parent, cst.AssignTarget) else None
            if not isinstance(assign, cst.Assign) or len(assign.targets) != 1 or not _fresh_list(assign.value):
                return False
        scope_of, parent_of = (lambda node: self.meta(ScopeProvider, node, None)), self._parent
        return all(self.read_on_the_spot(read) and in_place(read, scope, scope_of, parent_of)
                   for read in reads_of(scope, name, parent_of))

    def _parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.meta(ParentNodeProvider, node, None)

    def read_on_the_spot(self, node: cst.CSTNode) -> bool:
        """This read of the dict leaves nothing that holds it: `d[k]`, `d.get(k)`, `list(d)`, `for v in d.values()`."""
        parent = self.meta(ParentNodeProvider, node, None)
        if isinstance(parent, cst.Subscript) and parent.value is node:
            return True
        if isinstance(parent, cst.Arg):  # the lone argument of a builtin that copies or reduces it
            call = self.meta(ParentNodeProvider, parent, None)
            return (isinstance(call, cst.Call) and len(call.args) == 1 and not parent.star and not parent.keyword
                    and isinstance(call.func, cst.Name) and call.func.value in CONSUMERS
                    and self.builtin(call.func, call.func.value))
        call = self.meta(ParentNodeProvider, parent, None)
        if not (isinstance(parent, cst.Attribute) and isinstance(call, cst.Call) and call.func is parent):
            return False
        if parent.attr.value not in _VIEWS:
            return True
        loop = self.meta(ParentNodeProvider, call, None)
        return (isinstance(loop, (cst.For, cst.CompFor)) and loop.iter is call) or self.read_on_the_spot(call)


def _fresh_list(node: cst.CSTNode) -> bool:
    """`[...]`, a list comprehension, or `+` of those: a new list, by list's own `__add__`."""
    if isinstance(node, (cst.List, cst.ListComp)):
        return True
    return (isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add)
            and _fresh_list(node.left) and _fresh_list(node.right))
