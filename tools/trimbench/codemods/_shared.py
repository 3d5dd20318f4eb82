"""Small helpers the codemods share: rendering nodes, finding names, giving up politely."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import libcst as cst
from libcst.codemod import SkipFile

_EMPTY = cst.Module(body=[])

# Names whose presence means a function can see (or change) bindings behind our back.
DYNAMIC_NAMES = frozenset({"locals", "globals", "vars", "eval", "exec", "__import__"})


def code(node: cst.CSTNode) -> str:
    """The source text of one node, as it would appear in the module."""
    return _EMPTY.code_for_node(node)


def skip(reason: str) -> SkipFile:
    """The exception a codemod raises when it does not apply; transform_module turns it into TransformSkip."""
    return SkipFile(reason)


def walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node under `node`, itself included, in source order."""
    yield node
    for child in node.children:
        yield from walk(child)


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
    return max([floor, *(len(line) for line in module.code.splitlines())])
