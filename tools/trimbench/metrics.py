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
import token
import tokenize
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from enum import Enum

import black
import libcst as cst
from radon.metrics import h_visit_ast, mi_compute
from radon.raw import analyze
from radon.visitors import ComplexityVisitor

from .errors import TrimbenchError
from .flags import Flag, find_flags, tokens_of, walk_statements
from .lines import LINE_LENGTH, physical_lines
from .sections import Sections, Span, find_sections

BLACK_MODE = black.Mode(line_length=LINE_LENGTH, magic_trailing_comma=False)  # a trailing comma is taste, not code


class LineKind(str, Enum):
    CODE = "code"
    COMMENT = "comment"  # a line holding only a comment
    BLANK = "blank"
    DOCSTRING = "docstring"  # part of a module, class or function docstring, blank lines inside it included


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
    text = decode(path, data)
    tree = _parse_ast(path, text)
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        raise TrimbenchError(f"{path}: line {exc.raw_line}: {exc.message}") from None
    physical = physical_lines(text)
    tokens = tokens_of(text)
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


def decode(path: str, data: bytes) -> str:
    """The source as text, as every count (and the diff) reads it: its declared encoding, no BOM, `\n` newlines."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        raise TrimbenchError(f"{path}: cannot decode the source: {exc}") from None
    # One newline convention, so that every tool counts the same lines.
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _parse_ast(path: str, text: str) -> ast.Module:
    try:
        return ast.parse(text, filename=path)
    except SyntaxError as exc:
        where = f" line {exc.lineno}:" if exc.lineno else ""  # a null byte has no line
        raise TrimbenchError(f"{path}:{where} {exc.msg}") from None
    except ValueError as exc:  # a null byte, before Python 3.11.4 made it a SyntaxError
        raise TrimbenchError(f"{path}: {exc}") from None


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
    return classify_lines(physical, tokens_of(formatted), ast.parse(formatted)).count(LineKind.CODE)


def count_statements(walked: Sequence[tuple[cst.CSTNode, cst.CSTNode]]) -> int:
    """libcst's BaseSmallStatement and BaseCompoundStatement nodes: `a; b` is two, `elif` is one."""
    return sum(isinstance(child, (cst.BaseSmallStatement, cst.BaseCompoundStatement)) for _, child in walked)


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
