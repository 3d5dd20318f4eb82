"""Flags: what makes a file's physical line count look better than its code is, each with the lines it is on.

`;` between statements, one-line blocks black would split, `# fmt:` pragmas black obeys, lines or strings over
the line length, `...` bodies black keeps. The report shows them; the compaction rules (rules.py) refuse some.
"""

from __future__ import annotations

import io
import re
import token
import tokenize
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import libcst as cst

from .lines import LINE_LENGTH, physical_lines


@dataclass(frozen=True)
class Flag:
    """Something that makes the physical line count look better than the code is; `lines` when known."""

    kind: str  # one of FLAG_KINDS
    count: int
    lines: tuple[int, ...] = ()

    def __str__(self) -> str:
        singular, plural = FLAG_KINDS[self.kind]
        text = f"{self.count} {singular if self.count == 1 else plural}"
        if self.lines:
            shown = ", ".join(map(str, self.lines[:5])) + (", ..." if len(self.lines) > 5 else "")
            text += f" (line{'s' if len(self.lines) > 1 else ''} {shown})"
        return text


FLAG_KINDS = {  # kind: (singular, plural), in the order flags are listed
    "semicolon": ("`;` between statements", "`;` between statements"),
    "one-line-block": ("one-line block", "one-line blocks"),  # `if x: y`, `def f(): return 1`: black splits them
    "ellipsis-body": ("one-line `...` body", "one-line `...` bodies"),  # `def f(): ...`: black keeps it
    "fmt-off": ("`# fmt: off` region", "`# fmt: off` regions"),
    "fmt-skip": ("`# fmt: skip` line", "`# fmt: skip` lines"),
    "long-line": (f"line over {LINE_LENGTH} characters", f"lines over {LINE_LENGTH} characters"),
    "long-string": (f"string over {LINE_LENGTH} characters", f"strings over {LINE_LENGTH} characters"),  # never split
}
FMT_OFF_RE = re.compile(r"#\s*(fmt:\s*off|yapf:\s*disable)\b")  # black honours yapf's pragma too
FMT_SKIP_RE = re.compile(r"#\s*fmt:\s*skip\b")


_CLAUSES = (cst.Else, cst.ExceptHandler, cst.ExceptStarHandler, cst.Finally, cst.MatchCase)
_LISTS = (cst.Module, cst.IndentedBlock, cst.SimpleStatementLine, cst.SimpleStatementSuite)
_CONTAINERS = (cst.BaseStatement, cst.BaseSuite, *_CLAUSES)


def walk_statements(node: cst.CSTNode) -> Iterator[tuple[cst.CSTNode, cst.CSTNode]]:
    """(parent, child) for every statement, clause and block under `node`, in source order.

    Statements live only in blocks, never inside expressions, so the walk skips every expression:
    much faster than a full libcst visitor.
    """
    if isinstance(node, _LISTS):
        children = node.body
    else:
        children = [child for child in node.children if isinstance(child, _CONTAINERS)]
    for child in children:
        yield node, child
        if not isinstance(child, cst.BaseSmallStatement):
            yield from walk_statements(child)



def find_flags(
    walked: Sequence[tuple[cst.CSTNode, cst.CSTNode]], physical: Sequence[str], tokens: Sequence[tokenize.TokenInfo]
) -> tuple[Flag, ...]:
    found: dict[str, list[int]] = {}
    counts: dict[str, int] = {}

    def note(kind: str, line: int | None = None) -> None:
        counts[kind] = counts.get(kind, 0) + 1
        if line is not None:
            found.setdefault(kind, []).append(line)

    for i, tok in enumerate(tokens):
        if tok.type == token.OP and tok.string == ";":
            following = tokens[i + 1].type if i + 1 < len(tokens) else token.ENDMARKER
            if following not in (token.NEWLINE, token.COMMENT, token.ENDMARKER):  # a trailing `;` joins nothing
                note("semicolon", tok.start[0])
        elif tok.type == token.COMMENT:
            if FMT_OFF_RE.search(tok.string):
                note("fmt-off", tok.start[0])
            if FMT_SKIP_RE.search(tok.string):
                note("fmt-skip", tok.start[0])
        elif tok.type == token.STRING and max(map(len, tok.string.split("\n"))) > LINE_LENGTH:
            note("long-string", tok.start[0])
    for number, line in enumerate(physical, start=1):
        if len(line) > LINE_LENGTH:
            note("long-line", number)
    for owner, suite in walked:
        if isinstance(suite, cst.SimpleStatementSuite):  # a block on its header's line
            note("ellipsis-body" if _is_ellipsis_stub(owner, suite) else "one-line-block")
    return tuple(Flag(kind, counts[kind], tuple(dict.fromkeys(found.get(kind, ()))))  # each line once
                 for kind in FLAG_KINDS if kind in counts)


def _is_ellipsis_stub(owner: cst.CSTNode, suite: cst.SimpleStatementSuite) -> bool:
    """`def f(): ...` and `class A: ...`: the one-liners black leaves alone."""
    return (
        isinstance(owner, (cst.FunctionDef, cst.ClassDef))
        and len(suite.body) == 1
        and isinstance(suite.body[0], cst.Expr)
        and isinstance(suite.body[0].value, cst.Ellipsis)
    )


def tokens_of(text: str) -> list[tokenize.TokenInfo]:
    return list(tokenize.generate_tokens(io.StringIO(text).readline))


def flags_of(text: str) -> tuple[Flag, ...]:
    """The flags of source text on its own (metrics.measure finds them from the parse it shares)."""
    return find_flags(list(walk_statements(cst.parse_module(text))), physical_lines(text), tokens_of(text))
