"""Counts for one source file: lines of each kind, statements, honest lines, gaming flags, radon's scores.

Pure: bytes in, a frozen FileMetrics out; nothing here reads files or knows about the command line.
libcst parses the source once (statements, one-line blocks, sections); the stdlib tokenizer says which
kind each physical line is and finds semicolons, pragmas and long strings; one `ast` tree serves radon's
complexity and Halstead visitors and the docstring finder; radon's raw counts (for MI) and black read the
text themselves. libcst's position metadata would give line numbers too, but would add about 30 ms to
the 150 ms a file costs, so line-level facts come from tokens.
"""

from __future__ import annotations

import ast
import io
import re
import token
import tokenize
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from enum import Enum

import black
import libcst as cst
from radon.metrics import h_visit_ast, mi_compute
from radon.raw import analyze
from radon.visitors import ComplexityVisitor

from .errors import TrimbenchError
from .sections import Sections, Span, find_sections

LINE_LENGTH = 120  # honest lines are counted after black at this width; longer lines are flagged
BLACK_MODE = black.Mode(line_length=LINE_LENGTH, magic_trailing_comma=False)  # a trailing comma is taste, not code


class LineKind(str, Enum):
    CODE = "code"
    COMMENT = "comment"  # a line holding only a comment
    BLANK = "blank"
    DOCSTRING = "docstring"  # part of a module, class or function docstring, blank lines inside it included


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


@dataclass(frozen=True)
class FileMetrics:
    path: str
    lines: int  # physical lines
    code_lines: int
    comment_lines: int
    blank_lines: int
    docstring_lines: int
    statements: int  # libcst BaseSmallStatement + BaseCompoundStatement nodes
    honest_lines: int  # code lines once black has formatted the file at LINE_LENGTH
    longest_line: int  # characters
    flags: tuple[Flag, ...]
    complexity_total: int  # radon's total: 1 plus every decision in the file, plus 1 per method
    complexity_worst: int  # the most complex function or method; 0 when there is none
    complexity_worst_block: str | None
    maintainability: float | None  # radon's maintainability index, 0..100; None if radon cannot read the file
    halstead_volume: float
    sections: Sections

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> FileMetrics:
        sections = data["sections"]
        return cls(**{
            **data,
            "flags": tuple(Flag(flag["kind"], flag["count"], tuple(flag["lines"])) for flag in data["flags"]),
            "sections": Sections(tuple(Span(**span) for span in sections["spans"]),
                                 tuple(tuple(lines) for lines in sections["unassigned"]), tuple(sections["names"])),
        })


def measure(path: str, data: bytes) -> FileMetrics:
    """Every count for one file; `path` only labels the result and error messages."""
    text = _decode(path, data)
    tree = _parse_ast(path, text)
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        raise TrimbenchError(f"{path}: line {exc.raw_line}: {exc.message}") from None
    physical = physical_lines(text)
    tokens = _tokens(text)
    walked = list(walk_statements(module))
    kinds = classify_lines(physical, tokens, tree)
    honest = honest_lines(path, text)
    complexity = ComplexityVisitor.from_ast(tree)
    worst_name, worst = _worst_block(complexity)
    volume = h_visit_ast(tree).total.volume
    return FileMetrics(
        path=path,
        lines=len(physical),
        code_lines=kinds.count(LineKind.CODE),
        comment_lines=kinds.count(LineKind.COMMENT),
        blank_lines=kinds.count(LineKind.BLANK),
        docstring_lines=kinds.count(LineKind.DOCSTRING),
        statements=count_statements(walked),
        honest_lines=honest,
        longest_line=max(map(len, physical), default=0),
        flags=find_flags(walked, physical, tokens),
        complexity_total=complexity.total_complexity,
        complexity_worst=worst,
        complexity_worst_block=worst_name,
        maintainability=_maintainability(text, volume, complexity.total_complexity),
        halstead_volume=volume,
        sections=find_sections(module, len(physical)),
    )


def _decode(path: str, data: bytes) -> str:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        raise TrimbenchError(f"{path}: cannot decode the source: {exc}") from None
    # One newline convention, so that every tool counts the same lines.
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def physical_lines(text: str) -> list[str]:
    """Lines as Python and `wc -l` see them: split at newlines only (str.splitlines also splits at form
    feeds and other separators that may sit inside a line)."""
    lines = text.split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def _parse_ast(path: str, text: str) -> ast.Module:
    try:
        return ast.parse(text, filename=path)
    except SyntaxError as exc:
        where = f" line {exc.lineno}:" if exc.lineno else ""  # a null byte has no line
        raise TrimbenchError(f"{path}:{where} {exc.msg}") from None


def _tokens(text: str) -> list[tokenize.TokenInfo]:
    return list(tokenize.generate_tokens(io.StringIO(text).readline))


def classify_lines(
    physical: Sequence[str], tokens: Sequence[tokenize.TokenInfo], tree: ast.Module
) -> list[LineKind]:
    """The kind of each physical line: code beats docstring beats comment beats blank."""
    kinds = [LineKind.BLANK] * len(physical)
    docstrings = _docstring_spans(tree, physical)
    for tok in tokens:
        if tok.type in (token.NL, token.NEWLINE, token.INDENT, token.DEDENT, token.ENDMARKER):
            continue
        if tok.type == token.COMMENT:
            if kinds[tok.start[0] - 1] is LineKind.BLANK:
                kinds[tok.start[0] - 1] = LineKind.COMMENT
            continue
        in_docstring = tok.type == token.STRING and any(a <= tok.start and tok.end <= b for a, b in docstrings)
        for row in range(tok.start[0], tok.end[0] + 1):
            if in_docstring and kinds[row - 1] is not LineKind.CODE:
                kinds[row - 1] = LineKind.DOCSTRING
            elif not in_docstring:
                kinds[row - 1] = LineKind.CODE
    return kinds


def _docstring_spans(tree: ast.Module, physical: Sequence[str]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(start, end) of every docstring as tokenize positions (row, character column)."""

    def column(row: int, byte_offset: int) -> int:  # ast counts UTF-8 bytes, tokenize counts characters
        return len(physical[row - 1].encode("utf-8")[:byte_offset].decode("utf-8", "replace"))

    spans = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            value = first.value if isinstance(first, ast.Expr) else None
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                start = (first.lineno, column(first.lineno, first.col_offset))
                spans.append((start, (first.end_lineno, column(first.end_lineno, first.end_col_offset))))
    return spans


def honest_lines(path: str, text: str) -> int:
    """Code lines after black: cramming with `;`, one-line blocks or joined brackets no longer pays."""
    try:
        formatted = black.format_str(text, mode=BLACK_MODE)
    except black.InvalidInput as exc:
        raise TrimbenchError(f"{path}: black cannot format it: {exc}") from None
    physical = physical_lines(formatted)
    return classify_lines(physical, _tokens(formatted), ast.parse(formatted)).count(LineKind.CODE)


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


def count_statements(walked: Sequence[tuple[cst.CSTNode, cst.CSTNode]]) -> int:
    """libcst's BaseSmallStatement and BaseCompoundStatement nodes: `a; b` is two, `elif` is one."""
    return sum(isinstance(child, (cst.BaseSmallStatement, cst.BaseCompoundStatement)) for _, child in walked)


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


def _maintainability(text: str, volume: float, complexity: int) -> float | None:
    """The same figure as radon.metrics.mi_visit(text, multi=True), reusing the ast's volume and complexity."""
    try:
        raw = analyze(text)
    except SyntaxError:  # radon's line reader splits at \u2028 and the like inside strings; Python does not
        return None
    comments_percent = (raw.comments + raw.multi) / raw.sloc * 100 if raw.sloc else 0
    return mi_compute(volume, complexity, raw.lloc, comments_percent)


def _worst_block(visitor: ComplexityVisitor) -> tuple[str | None, int]:
    """radon's most complex block: a function or a method (a closure counts in its function)."""
    blocks = [(function.name, function.complexity) for function in visitor.functions]
    for klass in visitor.classes:
        blocks.extend((f"{klass.name}.{method.name}", method.complexity) for method in klass.methods)
    return max(blocks, key=lambda block: block[1], default=(None, 0))
