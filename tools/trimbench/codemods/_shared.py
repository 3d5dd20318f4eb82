"""Small helpers the codemods share: rendering nodes, finding names, giving up politely."""

from __future__ import annotations

import ast
import dataclasses
import functools
from collections.abc import Callable, Iterable, Iterator

import libcst as cst
from libcst.codemod import SkipFile
from libcst.metadata import ComprehensionScope, Scope

from ..lines import LINE_LENGTH, longest

_EMPTY = cst.Module(body=[])

# Nodes whose evaluation runs no user code and reads no variable.
LITERALS = (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString, cst.Ellipsis)

# Names whose presence means a function can see (or change) bindings behind our back.
DYNAMIC_NAMES = frozenset({"locals", "globals", "vars", "eval", "exec", "__import__"})


def code(node: cst.CSTNode) -> str:
    """The source text of one node, as it would appear in the module."""
    return _EMPTY.code_for_node(node)


def skip(reason: str) -> SkipFile:
    """The exception a codemod raises when it does not apply; transform_module turns it into TransformSkip."""
    return SkipFile(reason)


def walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node under `node`, itself included, parents before children and statements in source order.

    Reads the dataclass fields directly: libcst's own `children` runs a visitor per node, ten times slower.
    """
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        found: list[cst.CSTNode] = []
        for field in _field_names(type(current)):
            value = getattr(current, field)
            if isinstance(value, cst.CSTNode):
                found.append(value)
            elif isinstance(value, (list, tuple)):
                found.extend(v for v in value if isinstance(v, cst.CSTNode))
        stack.extend(reversed(found))


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


def names_in(node: cst.CSTNode) -> set[str]:
    """Every identifier spelled anywhere under `node` (loads, stores, keywords alike): a conservative set."""
    return {n.value for n in walk(node) if isinstance(n, cst.Name)}


def contains(node: cst.CSTNode, kinds: tuple[type, ...]) -> bool:
    return any(isinstance(n, kinds) for n in walk(node))


def has_call(node: cst.CSTNode) -> bool:
    return contains(node, (cst.Call, cst.Await, cst.Yield))


def fresh_name(base: str, taken: Iterable[str]) -> str:
    """`base`, or `base_`, `base__`, ... whichever is not already taken."""
    taken = set(taken)
    name = base
    while name in taken:
        name += "_"
    return name


def only_blank(lines: Iterable[cst.EmptyLine]) -> bool:
    """True when leading lines hold no comment (blank lines only, or nothing)."""
    return all(line.comment is None for line in lines)


def comment_text(comment: cst.Comment | None) -> str:
    """The words of a `# ...` comment, without the hash."""
    if comment is None:
        return ""
    return comment.value.lstrip("#").strip()


def single_small(stmt: cst.CSTNode) -> cst.BaseSmallStatement | None:
    """The lone small statement of a one-statement line (`x = 1`), else None (`a = 1; b = 2`, compound...)."""
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        return stmt.body[0]
    return None


def max_line_length(module: cst.Module, floor: int = 88) -> int:
    """The longest line the file already has, but at least `floor`: generated lines stay within the file's style."""
    return min(LINE_LENGTH, max(floor, longest(module.code)))  # and never past the rule of 120


def declared_names(node: cst.CSTNode) -> set[str]:
    """Every name a `global` or `nonlocal` statement under `node` names: a call may rebind any of them."""
    return {n.name.value for g in walk(node) if isinstance(g, (cst.Global, cst.Nonlocal)) for n in g.names}


def read_elsewhere(scope_of: Callable[[cst.CSTNode], Scope | None], scope: Scope, name: str) -> bool:
    """Whether `name`, as bound in `scope`, is read by code that can run at another moment than the scope's own
    statements: a function, lambda or class body. Comprehensions run in place, so theirs do not count."""
    for assignment in scope.assignments[name]:
        for reference in assignment.references:
            where = scope_of(reference.node)
            while isinstance(where, ComprehensionScope) and where is not scope:
                where = where.parent
            if where is not scope:
                return True
    return False


def parenthesized(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.with_changes(lpar=[cst.LeftParen(), *node.lpar], rpar=[*node.rpar, cst.RightParen()])


def placed(stmt: cst.CSTNode, use: cst.CSTNode, value: cst.BaseExpression) -> cst.BaseExpression | None:
    """`value` as it must be written in place of `use` inside `stmt`: bare when that keeps the meaning, else in
    parentheses; None when neither parses to the tree meant.

    Python's own parser is the precedence table (libcst has none: it never adds parentheses). The tree meant
    is `stmt`'s with the node `use` replaced by `value`'s tree, so `t = not a` then `return t + x` gives
    `return (not a) + x`, and `t = a * b` then `return t * c` stays bare.
    """
    hole = fresh_name("_hole", names_in(stmt) | names_in(value))
    try:
        meant = ast.parse(code(stmt.deep_replace(use, cst.Name(hole))))
        filling = ast.parse(f"(\n{code(value)}\n)", mode="eval").body
    except SyntaxError:
        return None
    want = ast.dump(_Fill(hole, filling).visit(meant))
    for candidate in (value, parenthesized(value)):
        try:
            got = ast.dump(ast.parse(code(stmt.deep_replace(use, candidate))))
        except SyntaxError:
            continue
        if got == want:
            return candidate
    return None


class _Fill(ast.NodeTransformer):
    def __init__(self, hole: str, filling: ast.expr) -> None:
        self.hole, self.filling = hole, filling

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return self.filling if node.id == self.hole else node


def option(value, kind: type, what: str, optional: bool = True):
    """A codemod option, its type checked: a wrong one is the caller's TypeError, as `apply` promises."""
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"{what} must be a{'n' if kind is int else ''} {kind.__name__}, not {type(value).__name__}")
    return value
