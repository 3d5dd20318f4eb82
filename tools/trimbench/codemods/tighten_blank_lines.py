"""tighten-blank-lines: blank lines between statements go, except those that open a section.

    def linear(x, w):
        return [sum(wi * xi for wi, xi in zip(wo, x)) for wo in w]

    def softmax(logits):

becomes

    def linear(x, w):
        return [sum(wi * xi for wi, xi in zip(wo, x)) for wo in w]
    def softmax(logits):

Each blank line, or run of consecutive blank lines, is one site. Kept (never a site):
- a run directly before a full-line comment at column 0: the blank line before a top-level section;
- the run right after the module docstring.
A blank line inside a string literal is part of the string, not a line of code: libcst holds it in the
string's token, so it is never even seen. Blank lines are found as libcst's `EmptyLine` nodes wherever they
sit (a statement's leading lines, a block's footer, between decorators, inside brackets).

Removing a blank line changes nothing a program computes, only the line numbers of what follows. So a
module that spells a name through which a program sees its own line numbers or source text (`inspect`,
`traceback`, `__file__`, `f_lineno`, ...: LINE_READERS in _shared.py) or reaches names dynamically
(`eval`, `globals`, ...) is refused as a whole. Sites never interact: each removes its own lines.
"""

from __future__ import annotations

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import PositionProvider

from ..lines import physical_lines
from ._shared import DYNAMIC_NAMES, LINE_READERS, docstring, skip, spelled, walk
from ._sites import Candidate, SiteChooser


class TightenBlankLines(SiteChooser, VisitorBasedCodemodCommand):
    DESCRIPTION = "Remove blank lines, keeping the one before each top-level comment and after the module docstring."

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, context, sites=None) -> None:
        super().__init__(context)
        self.init_sites(sites)
        self.drop: set[int] = set()  # id() of the EmptyLine nodes to remove

    def visit_Module(self, node: cst.Module) -> bool:
        if readers := spelled(node, LINE_READERS | DYNAMIC_NAMES):
            raise skip(f"the module spells {', '.join(readers)}: it may see its own line numbers")
        blank: dict[int, int] = {}  # line -> id() of its EmptyLine
        for child in walk(node):
            if isinstance(child, cst.EmptyLine) and child.comment is None:
                blank[self.get_metadata(PositionProvider, child).start.line] = id(child)
        lines = physical_lines(node.code)
        doc = docstring(node)
        after_doc = self.get_metadata(PositionProvider, doc).end.line + 1 if doc is not None else None
        found: list[Candidate[frozenset[int]]] = []
        for first, last in _runs(sorted(blank)):
            if first == after_doc or (last < len(lines) and lines[last].startswith("#")):
                continue  # after the docstring, or before a top-level comment (lines[last] is line last + 1)
            count = last - first + 1
            where = f"line {first}" if count == 1 else f"lines {first}-{last}"
            summary = f"remove {count} blank line{'s' if count > 1 else ''} ({where})"
            found.append(Candidate(first, 0, summary, frozenset(blank[line] for line in range(first, last + 1))))
        for ids in self.choose(found, "no blank line outside a section's opening or the docstring's end"):
            self.drop |= ids
        return True

    def leave_EmptyLine(self, original_node: cst.EmptyLine,
                        updated_node: cst.EmptyLine) -> cst.EmptyLine | cst.RemovalSentinel:
        return cst.RemovalSentinel.REMOVE if id(original_node) in self.drop else updated_node


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """(first, last) of each run of consecutive numbers in the sorted list."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs
