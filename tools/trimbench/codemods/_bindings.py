"""What the source proves about a name: what it is bound to (a plain value, a builtin, a number), who holds it.

Static and conservative: a binding the rules here do not understand (an import, a parameter, a call's
result) proves nothing, and the answer is "not known", never a guess. A builtin is proven only in a module
that has no star import and spells neither `builtins`, `__builtins__` nor a dynamic name (`globals()`...):
through those a program can replace a builtin without binding its name.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection

import libcst as cst
import libcst.matchers as m
from libcst.metadata import (Assignment, BuiltinAssignment, ClassScope, ExpressionContext, ExpressionContextProvider,
                             ParentNodeProvider, Scope, ScopeProvider)

from ._flow import in_place, reads_of
from ._shared import DYNAMIC_NAMES, names_in, read_elsewhere, walk

ARITHMETIC = (cst.Add, cst.Subtract, cst.Multiply, cst.Divide, cst.FloorDivide, cst.Modulo, cst.Power)
_VIEWS = frozenset({"keys", "values", "items"})  # live views of the dict: safe only when consumed at once
# Builtins that keep no reference to their argument (they copy or reduce it, consuming an iterator at once).
CONSUMERS = frozenset({"len", "list", "tuple", "sorted", "set", "frozenset", "dict", "print", "repr", "str", "sum",
                      "min", "max", "any", "all"})
_SHADOWING = DYNAMIC_NAMES | {"builtins", "__builtins__"}  # ways to replace a builtin without binding its name


SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.Module)  # the nodes whose body is a scope of its own


def _bound_by(targets: list[cst.BaseExpression]) -> set[str]:
    """The names plain targets bind (`x`, `a, *b`), leaving out attributes and subscripts."""
    elements = [e.value for t in targets for e in (t.elements if isinstance(t, (cst.Tuple, cst.List)) else [])]
    return {n.value for n in [*targets, *elements] if isinstance(n, cst.Name)}


class Bindings:
    """Answers about one module's bindings, for a codemod that depends on ScopeProvider and ParentNodeProvider
    (and ExpressionContextProvider for `private_fixed_list`)."""

    def __init__(self, codemod, declared: Collection[str]) -> None:
        self.meta: Callable = codemod.get_metadata
        self.codemod = codemod  # its `module`, read once, when a builtin is first asked about
        self.declared = declared  # names some `global`/`nonlocal` names: any call may rebind them
        self._deleted: dict[int, set[str]] = {}  # id() of a scope's node -> the names a `del` in it names

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
        """`name`, read at `node`, can only be the builtin: no binding of it in any enclosing scope."""
        scope = self.meta(ScopeProvider, node, None)
        return scope is not None and not self._shadowable and all(isinstance(a, BuiltinAssignment) for a in scope[name])

    @functools.cached_property
    def _shadowable(self) -> bool:
        module = self.codemod.module
        return bool(names_in(module) & _SHADOWING) or any(isinstance(n, cst.ImportStar) for n in walk(module))

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
        """The dict is a dict, and nothing holds it but its name (every read is on the spot).

        Every binding is a dict display, comprehension or `dict()`, or `d |= {...}` with a display or
        comprehension: merged into a dict in place, that leaves the name on the same dict.
        """
        assignments = scope.assignments[name]
        if not assignments:
            return False
        for assignment in assignments:
            holder = self.assigned_value(assignment.node)
            dict_call = m.matches(holder, m.Call(func=m.Name("dict"))) and self.builtin(assignment.node, "dict")
            parent = self.meta(ParentNodeProvider, assignment.node, None)
            merged = (isinstance(parent, cst.AugAssign) and parent.target is assignment.node
                      and isinstance(parent.operator, cst.BitOrAssign)
                      and isinstance(parent.value, (cst.Dict, cst.DictComp)))
            if not (isinstance(holder, (cst.Dict, cst.DictComp)) or dict_call or merged):
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
        if isinstance(parent, cst.Arg):
            return self._consumed(parent)
        call = self.meta(ParentNodeProvider, parent, None)
        if not (isinstance(parent, cst.Attribute) and isinstance(call, cst.Call) and call.func is parent):
            return False
        if parent.attr.value not in _VIEWS:
            return True
        loop = self.meta(ParentNodeProvider, call, None)
        return (isinstance(loop, (cst.For, cst.CompFor)) and loop.iter is call) or self.read_on_the_spot(call)

    def consumed_at_once(self, generator: cst.GeneratorExp) -> bool:
        """The generator expression runs where it stands, never later: the lone argument of a builtin that
        consumes it (`sum(...)`, `max(...)`) or drops it (`print(...)`)."""
        parent = self.meta(ParentNodeProvider, generator, None)
        return isinstance(parent, cst.Arg) and self._consumed(parent)

    def _consumed(self, arg: cst.Arg) -> bool:
        """The lone argument of a builtin that copies or reduces it: `len(xs)`, `sum(xs)`, `list(xs)`."""
        call = self.meta(ParentNodeProvider, arg, None)
        return (isinstance(call, cst.Call) and len(call.args) == 1 and not arg.star and not arg.keyword
                and isinstance(call.func, cst.Name) and call.func.value in CONSUMERS
                and self.builtin(call.func, call.func.value))

    def private_fixed_list(self, name: cst.Name) -> bool:
        """`name` holds a list of its own, of fixed length, that only its own scope's statements can see
        (`private_list` allows any in-place use, `append` included; this one also keeps the length).

        Every binding of it (in the one scope that binds it, not a class body) is a new list: a display, a
        comprehension, `list(...)`, `[...] * n` with `n` an int (a literal, `len(...)`, a numeric name). Every read
        of it is `name[...]`, a store only at one index (a slice store or `del name[i]` would change its length),
        or the lone argument of a builtin that copies or reduces it. So no other name, object or function holds
        it: two such names are never the same list. No `global`/`nonlocal` names it, no function, lambda or class
        body reads it.
        """
        scope = self.meta(ScopeProvider, name, None)
        if scope is None or name.value in self.declared:
            return False
        assignments = list(scope[name.value])
        if not assignments or not all(isinstance(a, Assignment) and a.scope is assignments[0].scope
                                      for a in assignments):
            return False
        owner = assignments[0].scope
        if isinstance(owner, ClassScope) or read_elsewhere(lambda node: self.meta(ScopeProvider, node, None), owner,
                                                           name.value, self.consumed_at_once):
            return False
        # Every access in the scope, wherever it stands: libcst links a read only to the bindings above it, so a
        # read at the top of a loop that sees the binding of the previous pass is in no assignment's references.
        return (all(self._new_list(self.assigned_value(a.node)) for a in assignments)
                and all(self._in_place(access.node) for access in owner.accesses[name.value]))

    def _new_list(self, value: cst.CSTNode | None) -> bool:
        if _fresh_list(value):
            return True
        if isinstance(value, cst.Call):
            return m.matches(value.func, m.Name("list")) and self.builtin(value.func, "list")
        if not (m.matches(value, m.BinaryOperation(left=m.List(), operator=m.Multiply()))):
            return False
        count = value.right
        if isinstance(count, cst.Integer) or (isinstance(count, cst.Name) and self.numeric(count)):
            return True  # a float or complex count raises: no list is bound at all
        return (m.matches(count, m.Call(func=m.Name("len"), args=[m.Arg(star="", keyword=None)]))
                and self.builtin(count.func, "len"))

    def _in_place(self, node: cst.CSTNode) -> bool:
        """This read of the list leaves nothing else holding it, and does not change its length."""
        parent = self.meta(ParentNodeProvider, node, None)
        if isinstance(parent, cst.Arg):
            return self._consumed(parent)
        if not (isinstance(parent, cst.Subscript) and parent.value is node):
            return False
        context = self.meta(ExpressionContextProvider, parent, None)
        one_index = len(parent.slice) == 1 and isinstance(parent.slice[0].slice, cst.Index)
        return context is ExpressionContext.LOAD or (context is ExpressionContext.STORE and one_index
                                                     and not parent.slice[0].slice.star)

    def bound_at(self, stmt: cst.CSTNode, names: Collection[str]) -> bool:
        """Each of `names` is bound whenever `stmt` runs: an earlier plain assignment in its block, or in an
        enclosing block of its scope, binds it, or a `for` around it does; and no `del` in the scope unbinds it."""
        missing, node = set(names), stmt
        while not isinstance(node, SCOPES):
            parent = self.meta(ParentNodeProvider, node)
            if isinstance(parent, (cst.Module, cst.IndentedBlock)):
                for earlier in parent.body[:next(k for k, s in enumerate(parent.body) if s is node)]:
                    small = earlier.body[0] if isinstance(earlier, cst.SimpleStatementLine) else None
                    if isinstance(small, cst.Assign):
                        missing -= _bound_by([t.target for t in small.targets])
                    elif isinstance(small, cst.AugAssign):  # it would have raised had the name been unbound
                        missing -= _bound_by([small.target])
            elif isinstance(parent, cst.For) and node is parent.body:
                missing -= _bound_by([parent.target])
            node = parent
        if id(node) not in self._deleted:
            self._deleted[id(node)] = {n.value for d in walk(node) if isinstance(d, cst.Del)
                                       for n in walk(d.target) if isinstance(n, cst.Name)}
        return not missing and not self._deleted[id(node)] & set(names)

def _fresh_list(node: cst.CSTNode) -> bool:
    """`[...]`, a list comprehension, or `+` of those: a new list, by list's own `__add__`."""
    if isinstance(node, (cst.List, cst.ListComp)):
        return True
    return (isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add)
            and _fresh_list(node.left) and _fresh_list(node.right))
