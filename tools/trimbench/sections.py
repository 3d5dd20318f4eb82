"""Which lines belong to which part of the program, found from the code itself.

A section starts at its comment (a full-line comment at the top level, such as `# Let there be Autograd`)
or, when a variant dropped that comment, at the first top-level statement that defines one of its names.
It runs until the next section starts, so blank lines before a section comment belong to the section above.
Lines before the first section found belong to no section.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst


@dataclass(frozen=True)
class SectionSpec:
    name: str
    comments: tuple[str, ...] = ()  # lower-case prefixes of the section's comment, without the `#`
    names: tuple[str, ...] = ()  # top-level names whose definition starts the section
    header: bool = False  # starts at the module docstring or the first import


MICROGPT = (
    SectionSpec("header and imports", header=True),
    SectionSpec("dataset", ("let there be an input dataset",), ("docs",)),
    SectionSpec("tokenizer", ("let there be a tokenizer",), ("uchars", "BOS", "vocab_size")),
    SectionSpec("autograd", ("let there be autograd",), ("Value",)),
    SectionSpec(
        "parameters",
        ("initialize the parameters",),
        ("n_embd", "n_head", "n_layer", "block_size", "head_dim", "matrix", "state_dict", "params"),
    ),
    SectionSpec("model", ("define the model architecture",), ("linear", "softmax", "rmsnorm", "gpt")),
    SectionSpec("optimizer", ("let there be adam",), ("learning_rate", "beta1", "beta2", "eps_adam")),
    SectionSpec("training loop", ("repeat in sequence",), ("num_steps", "step")),
    SectionSpec("inference", ("inference",), ("temperature", "sample_idx")),
)


@dataclass(frozen=True)
class Span:
    name: str
    first: int
    last: int  # inclusive; last < first for a section that shares its first line with a later one

    @property
    def lines(self) -> int:
        return max(0, self.last - self.first + 1)


@dataclass(frozen=True)
class Sections:
    spans: tuple[Span, ...]  # the sections found, in file order
    unassigned: tuple[tuple[int, int], ...]  # (first, last) line ranges that belong to no section
    names: tuple[str, ...]  # every section the spec knows, found or not, in the spec's order

    def lines(self) -> dict[str, int]:
        """Lines per section for every section of the spec; 0 for one not found."""
        found = {span.name: span.lines for span in self.spans}
        return {name: found.get(name, 0) for name in self.names}

    @property
    def unassigned_lines(self) -> int:
        return sum(last - first + 1 for first, last in self.unassigned)


@dataclass(frozen=True)
class _TopLevel:
    line: int  # the statement's first line, after its leading blank and comment lines
    statement: cst.BaseStatement


def find_sections(module: cst.Module, total_lines: int, spec: tuple[SectionSpec, ...] = MICROGPT) -> Sections:
    comments, statements = _top_level(module)
    starts: list[tuple[int, int]] = []  # (first line, index in spec)
    for index, section in enumerate(spec):
        first = _start(section, comments, statements)
        if first is not None and first <= total_lines:
            starts.append((first, index))
    # When two sections start on one line, the one listed first in the spec takes it.
    starts.sort(key=lambda start: (start[0], -start[1]))
    spans = []
    for position, (first, index) in enumerate(starts):
        last = starts[position + 1][0] - 1 if position + 1 < len(starts) else total_lines
        spans.append(Span(spec[index].name, first, last))
    first_found = starts[0][0] if starts else total_lines + 1
    unassigned = ((1, first_found - 1),) if first_found > 1 and total_lines else ()
    return Sections(tuple(spans), unassigned, tuple(section.name for section in spec))


def _start(section: SectionSpec, comments: list[tuple[int, str]], statements: list[_TopLevel]) -> int | None:
    for line, text in comments:
        if text.startswith(section.comments):
            return line
    if section.header:
        for index, top in enumerate(statements):
            if _is_import(top.statement) or (index == 0 and _is_docstring(top.statement)):
                return 1 if index == 0 else top.line
        return None
    wanted = set(section.names)
    return next((top.line for top in statements if wanted & set(_defined_names(top.statement))), None)


def _top_level(module: cst.Module) -> tuple[list[tuple[int, str]], list[_TopLevel]]:
    """Full-line top-level comments as (line, lower-case text) and top-level statements with their lines."""
    comments: list[tuple[int, str]] = []
    statements: list[_TopLevel] = []
    line = 1

    def empty_lines(lines) -> None:
        nonlocal line
        for empty in lines:
            if empty.comment is not None:
                comments.append((line, empty.comment.value.lstrip("#").strip().lower()))
            line += 1

    empty_lines(module.header)
    for statement in module.body:
        start = line
        empty_lines(statement.leading_lines)
        statements.append(_TopLevel(line, statement))
        line = start + module.code_for_node(statement).count("\n")
    empty_lines(module.footer)
    return comments, statements


def _is_import(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _defined_names(statement: cst.BaseStatement) -> Iterator[str]:
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        yield statement.name.value
    elif isinstance(statement, cst.For):
        yield from _target_names(statement.target)
    elif isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    yield from _target_names(target.target)
            elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                yield from _target_names(small.target)


def _target_names(target: cst.BaseExpression) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _target_names(element.value)
