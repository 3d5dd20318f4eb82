"""one-line-bodies: a compound statement whose body is one simple statement goes on its header's line.

    def linear(x, w):
        return [sum(wi * xi for wi, xi in zip(wo, x)) for wo in w]
    ...
        if token_id == BOS:
            break

becomes

    def linear(x, w): return [sum(wi * xi for wi, xi in zip(wo, x)) for wo in w]
    ...
        if token_id == BOS: break

Pure layout: Python reads the same statement either way, so it is sound for any program that does not read
its own line numbers; like the other codemods that move lines, it skips a module that spells a name through which
it may (LINE_READERS in _shared.py) or a dynamic name (`globals`, `eval`, ...). Only the kinds of statement
the file's own style already writes on one line are joined, plus `def` and `if` (microgpt writes
`def __neg__(self): return self * -1`); the option `kinds` (a collection of "def", "class", "if", "for",
"while", "with", or one comma-separated string of them) replaces that default. A statement is refused when
- its body is more than one statement, or a line with `;`, or a compound statement;
- it has an `else`, `elif`, `except` or `finally` clause (or is itself an `elif`): they cannot share the line;
- its body has an own-line comment (above the statement or at the block's end: it would be lost or moved), or
  both the header and the body carry a trailing comment, or either is a tool's pragma (`# noqa`);
- its body is a docstring or a bare string, or `...` (black keeps `def f(): ...`: a stub, not compaction);
- its body spans several lines, or the joined line would be over 120 characters.
Decorators stay as they are. Each statement is one site; a site's body is one simple statement, which holds
no other site, so the sites are independent.
"""

from __future__ import annotations

from collections.abc import Collection

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import PositionProvider

from ..lines import LINE_LENGTH, count
from ._shared import DYNAMIC_NAMES, LINE_READERS, code, is_pragma, only_blank, skip, spelled, walk
from ._sites import Candidate, SiteChooser

KINDS: dict[str, type[cst.BaseCompoundStatement]] = {
    "def": cst.FunctionDef, "class": cst.ClassDef, "if": cst.If, "for": cst.For, "while": cst.While, "with": cst.With,
}
ALWAYS = frozenset({"def", "if"})
_NOT_CODE = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.Ellipsis)  # docstrings, stubs


def _kind(node: cst.CSTNode) -> str | None:
    return next((kind for kind, cls in KINDS.items() if type(node) is cls), None)


def kinds_option(kinds: Collection[str] | None) -> frozenset[str] | None:
    """The `kinds` constructor option, checked: None (the file's own style), a collection of KINDS' names, or
    them in one string, comma-separated (`--option kinds=def,if,for` on the command line)."""
    if kinds is None:
        return None
    if isinstance(kinds, str):
        kinds = [kind.strip() for kind in kinds.split(",")]
    if isinstance(kinds, bytes) or not isinstance(kinds, Collection) or not set(kinds) <= KINDS.keys():
        raise TypeError(f"kinds must be a collection of {', '.join(map(repr, KINDS))}, not {kinds!r}")
    return frozenset(kinds)


def written_on_one_line(module: cst.Module) -> frozenset[str]:
    """The kinds of compound statement the file already writes with their body on the header's line."""
    return frozenset(kind for node in walk(module)
                     if (kind := _kind(node)) and isinstance(node.body, cst.SimpleStatementSuite))


def one_lined(node: cst.BaseCompoundStatement) -> cst.BaseCompoundStatement:
    """`node` with its one-statement body on the header's line, the one trailing comment (if any) after it."""
    line = node.body.body[0]
    header, tail = node.body.header, line.trailing_whitespace
    comment = tail if tail.comment is not None else header
    trailing = cst.TrailingWhitespace(newline=tail.newline)
    if comment.comment is not None:
        trailing = cst.TrailingWhitespace(comment.whitespace, comment.comment, tail.newline)
    suite = cst.SimpleStatementSuite(body=line.body, leading_whitespace=cst.SimpleWhitespace(" "),
                                     trailing_whitespace=trailing)
    return node.with_changes(body=suite)


def joinable(stmt: cst.BaseCompoundStatement, column: int) -> bool:
    """Whether `stmt`, its header at `column`, may take its one-statement body onto the header's line: one simple
    statement, no other clause, no own-line comment, at most one trailing comment and no pragma, code (not a
    docstring or `...`), and the joined line saves a line within 120 columns."""
    block = stmt.body
    if getattr(stmt, "orelse", None) is not None or not isinstance(block, cst.IndentedBlock):
        return False
    if len(block.body) != 1 or block.footer or not isinstance(block.body[0], cst.SimpleStatementLine):
        return False
    line = block.body[0]
    small = line.body[0]
    if len(line.body) != 1 or not only_blank(line.leading_lines):
        return False
    if isinstance(small, cst.Expr) and isinstance(small.value, _NOT_CODE):
        return False
    comments = [c for c in (block.header.comment, line.trailing_whitespace.comment) if c is not None]
    if len(comments) > 1 or any(map(is_pragma, comments)) or "\n" in code(small):
        return False
    bare = stmt.with_changes(leading_lines=())  # what is above the header does not change
    if isinstance(bare, (cst.FunctionDef, cst.ClassDef)):
        bare = bare.with_changes(decorators=(), lines_after_decorators=())
    joined = code(one_lined(bare))
    return count(joined) < count(code(bare)) and all(column + len(x) <= LINE_LENGTH for x in joined.split("\n"))


class OneLineBodies(SiteChooser, VisitorBasedCodemodCommand):
    DESCRIPTION = "Put a one-statement body on its header's line (`def f(x): return y`, `if c: break`)."

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, context, sites=None, kinds: Collection[str] | None = None) -> None:
        super().__init__(context)
        self.init_sites(sites)
        self.kinds = kinds_option(kinds)
        self.chosen: set[int] = set()  # ids of the statements to join

    def visit_Module(self, node: cst.Module) -> bool:
        if readers := spelled(node, LINE_READERS | DYNAMIC_NAMES):
            raise skip(f"the module spells {', '.join(readers)}: it may read the line numbers this changes")
        kinds = self.kinds if self.kinds is not None else ALWAYS | written_on_one_line(node)
        found: list[Candidate[int]] = []
        elifs: set[int] = set()
        for stmt in walk(node):
            if isinstance(stmt, cst.If) and isinstance(stmt.orelse, cst.If):
                elifs.add(id(stmt.orelse))
            if _kind(stmt) not in kinds or id(stmt) in elifs:
                continue
            start = self.get_metadata(PositionProvider, stmt).start
            if joinable(stmt, start.column):
                summary = f"the `{_kind(stmt)}` of line {start.line} and its body on one line"
                found.append(Candidate(start.line, start.column, summary, id(stmt)))
        self.chosen = set(self.choose(found, f"no {'/'.join(sorted(kinds))} statement with a one-line body to join"))
        return True

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        return self._leave(original_node, updated_node)

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        return self._leave(original_node, updated_node)

    def leave_If(self, original_node: cst.If, updated_node: cst.If) -> cst.If:
        return self._leave(original_node, updated_node)

    def leave_For(self, original_node: cst.For, updated_node: cst.For) -> cst.For:
        return self._leave(original_node, updated_node)

    def leave_While(self, original_node: cst.While, updated_node: cst.While) -> cst.While:
        return self._leave(original_node, updated_node)

    def leave_With(self, original_node: cst.With, updated_node: cst.With) -> cst.With:
        return self._leave(original_node, updated_node)

    def _leave(self, original_node, updated_node):
        return one_lined(updated_node) if id(original_node) in self.chosen else updated_node

