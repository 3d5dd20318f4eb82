"""Which binding a read of a name can see: every read of a name in its scope, whether it runs in place, and
whether another binding always comes between a given statement and a read.

Structured control flow only: a block is entered at its top and its statements run in order, so a
statement is reached only after every statement before it in its block completed (a `break`, `return` or
exception leaves the block; coming back means starting it again from the top). `try`, `with` and `match`
are blocks like any other: a handler's block is not the `try` body, so nothing in the body shields it.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst
from libcst.metadata import Scope

Meta = Callable[[cst.CSTNode], object]  # a node -> its metadata (scope or parent), None when it has none


def reads_of(scope: Scope, name: str, parent_of: Meta) -> list[cst.Name]:
    """Every read of `name` as bound in `scope`, in no particular order: loads in the scope itself (a read
    before the binding it sees in a loop too, which libcst links to no binding), in nested scopes, `del name`,
    and the target of `name += ...` (libcst counts that one as a binding only)."""
    found = {id(access.node): access.node for access in scope.accesses[name]}
    for assignment in scope.assignments[name]:
        found.update((id(reference.node), reference.node) for reference in assignment.references)
        node = getattr(assignment, "node", None)
        parent = parent_of(node) if isinstance(node, cst.Name) else None
        if isinstance(parent, cst.AugAssign) and parent.target is node:
            found[id(node)] = node
    return [node for node in found.values() if isinstance(node, cst.Name)]


def in_place(read: cst.CSTNode, scope: Scope, scope_of: Meta, parent_of: Meta) -> bool:
    """Whether the read runs while the statement of `scope` that holds it runs: not in a def, lambda or class
    body, nor in a generator expression (but its first iterable), which may run at any later moment, unless
    the generator is what an assignment unpacks (`q, k, v = (... for name in names)`): unpacking drives it to
    its end before the statement goes on."""
    node, child, grandchild = parent_of(read), read, None
    while node is not None:
        if isinstance(node, cst.Lambda) or (isinstance(node, cst.GeneratorExp) and grandchild is not node.for_in.iter
                                            and not _unpacked(node, parent_of)):
            return False
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            return scope_of(node) is scope
        node, child, grandchild = parent_of(node), node, child
    return False


def _unpacked(generator: cst.GeneratorExp, parent_of: Meta) -> bool:
    assign = parent_of(generator)
    return (isinstance(assign, cst.Assign) and assign.value is generator and len(assign.targets) == 1
            and isinstance(assign.targets[0].target, (cst.Tuple, cst.List)))


def binds(target: cst.CSTNode, name: str) -> bool:
    """Whether assigning to the target expression `target` always binds `name` (`name`, `a, name`, `*name`)."""
    if isinstance(target, cst.Name):
        return target.value == name
    if isinstance(target, (cst.Tuple, cst.List)):
        return any(binds(element.value, name) for element in target.elements)
    return False


def _binding_statement(stmt: cst.CSTNode, name: str) -> bool:
    """A simple statement (or line of them) that binds `name` whenever it completes: `name = ...`, `a, name = ...`."""
    smalls = stmt.body if isinstance(stmt, cst.SimpleStatementLine) else [stmt]
    return any(isinstance(small, cst.Assign) and any(binds(t.target, name) for t in small.targets)
               for small in smalls)


def unreached(read: cst.CSTNode, origin: cst.CSTNode, name: str, parent_of: Meta) -> bool:
    """Whether the read can never see a value of `name` bound by the statement `origin`. Either the read runs
    before `origin` ever does (it comes earlier in a block that no loop of the scope runs again), or another
    binding always runs between them: a statement before the read's own in an enclosing block binds `name`,
    with `origin` not between the two (nor in the read's statement), or an enclosing `for` binds `name` before
    each run of the body holding the read, and `origin` is not in that body. Stops at a def, lambda or class.

    `for t in r: print(t)` after `origin` is unreached; `print(t)` before `origin` in the same loop is not."""
    holders = set()
    node = origin
    while node is not None:
        holders.add(id(node))
        node = parent_of(node)
    node = read
    while (parent := parent_of(node)) is not None:
        if id(node) in holders or isinstance(parent, _SCOPES):
            return False
        if isinstance(parent, cst.For) and node is parent.body and binds(parent.target, name):
            return True  # the loop binds it before every run of the body, and `origin` is not in the body
        body = getattr(parent, "body", None)
        if isinstance(body, (list, tuple)) and any(s is node for s in body):
            at = [s is node for s in body].index(True)
            if any(id(later) in holders for later in body[at + 1:]):
                return not _looped(parent, parent_of)  # `origin` comes later in this block
            for before in reversed(body[:at]):
                if id(before) in holders:
                    return False
                if _binding_statement(before, name):
                    return True
        node = parent
    return False


_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


def _looped(node: cst.CSTNode, parent_of: Meta) -> bool:
    """Whether a loop of the scope holds `node`, so that it may run again after what follows it."""
    while node is not None and not isinstance(node, _SCOPES):
        if isinstance(node, (cst.For, cst.While)):
            return True
        node = parent_of(node)
    return False
