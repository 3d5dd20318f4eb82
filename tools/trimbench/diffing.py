"""What changed between two files: their unified diff, their line counts, and the lines saved in each section.

Pure: two files' counts and bytes in, a frozen Diff out. The lines are those every count reads (metrics.decode:
its encoding, no BOM, `\\n` newlines, split by lines.physical_lines), so a diff and the counts beside it always
speak of the same lines. Renderers live with the report's (report/terminal, markdown, jsonout).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from .lines import physical_lines
from .metrics import FileMetrics, decode

CONTEXT = 3  # lines around each change, as diff -u and git show them
NO_NEWLINE = "\\ No newline at end of file"  # diff -u's marker, so that patch(1) reads the diff as diff wrote it
NO_SECTION = "no section"


@dataclass(frozen=True)
class Side:
    path: str  # as people are shown it, relative to the project
    lines: int  # physical lines
    honest_lines: int

    @classmethod
    def of(cls, metrics: FileMetrics) -> Side:
        return cls(metrics.path, metrics.lines, metrics.honest_lines)


@dataclass(frozen=True)
class SectionChange:
    name: str
    before: int  # lines of the section in A
    after: int  # lines of the section in B

    @property
    def saved(self) -> int:
        return self.before - self.after


@dataclass(frozen=True)
class Diff:
    a: Side
    b: Side
    lines: tuple[str, ...]  # the unified diff, one line each without its newline; empty when no line differs
    sections: tuple[SectionChange, ...]  # each section found in A or B, in the spec's order, then NO_SECTION
    context: int

    @property
    def saved(self) -> int:
        return self.a.lines - self.b.lines

    @property
    def honest_saved(self) -> int:
        return self.a.honest_lines - self.b.honest_lines

    def summary(self, shown: Callable[[str], str] = str) -> str:
        """`A -> B: N -> M lines (saved K), honest X -> Y (saved Z)`; `shown` dresses each path (markdown)."""
        a, b = self.a, self.b
        return (f"{shown(a.path)} -> {shown(b.path)}: {a.lines} -> {b.lines} lines (saved {self.saved}), "
                f"honest {a.honest_lines} -> {b.honest_lines} (saved {self.honest_saved})")


def compare(a: FileMetrics, a_source: bytes, b: FileMetrics, b_source: bytes, context: int = CONTEXT) -> Diff:
    """The diff from A to B. `a` and `b` are the files' counts (metrics.measure), whose paths label the diff."""
    if context < 0:
        raise ValueError(f"context is a number of lines, not {context}")
    before, after = _diff_lines(decode(a.path, a_source)), _diff_lines(decode(b.path, b_source))
    return Diff(Side.of(a), Side.of(b), tuple(_unified(before, after, a.path, b.path, context)),
                section_changes(a, b), context)


def section_changes(a: FileMetrics, b: FileMetrics) -> tuple[SectionChange, ...]:
    """Lines per section in A and in B; a section found in neither is left out, so a program that is not
    shaped like microgpt shows its lines under NO_SECTION alone."""
    before, after = a.sections.lines(), b.sections.lines()
    changes = [SectionChange(name, before[name], after.get(name, 0)) for name in before]
    changes.append(SectionChange(NO_SECTION, a.sections.unassigned_lines, b.sections.unassigned_lines))
    return tuple(change for change in changes if change.before or change.after)


def _diff_lines(text: str) -> list[str]:
    """Each physical line with its newline, and the last one without when the file does not end in one: so a
    missing final newline is a change, as diff -u sees it."""
    lines = [line + "\n" for line in physical_lines(text)]
    if lines and not text.endswith("\n"):
        lines[-1] = lines[-1][:-1]
    return lines


def _unified(before: list[str], after: list[str], a_name: str, b_name: str, context: int) -> list[str]:
    out = []
    for index, line in enumerate(difflib.unified_diff(before, after, a_name, b_name, n=context, lineterm="")):
        if index < 2 or line.startswith("@@"):  # the ---/+++ headers and hunk headers carry no newline
            out.append(line)
        elif line.endswith("\n"):
            out.append(line[:-1])
        else:
            out += [line, NO_NEWLINE]
    return out
