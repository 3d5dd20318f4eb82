'''compact-docstring: a docstring reflowed into as few lines as fit in 120 columns, every word kept in order.

    """
    The most atomic way to train and inference a GPT in pure, dependency-free Python.
    This file is the complete algorithm.
    Everything else is just efficiency.

    @karpathy
    """

becomes

    """The most atomic way to train and inference a GPT in pure, dependency-free Python.
    This file is the complete algorithm. Everything else is just efficiency. @karpathy"""

The docstring's words are joined by single spaces and filled greedily, then evened out over as many lines
(lines of a function's docstring after the first keep its indentation). When the first line of text (the
summary) can keep a line of its own at no cost, it does. The prefix and the triple quotes stay; the closing
quotes go on the last line of text. Each docstring is a site: the module's, each function's and class's.

This changes the docstring's text: whitespace only (newlines and blank lines become single spaces), which
a reader sees and the program does not, as long as nothing reads the docstring. So the codemod refuses a
module that spells `__doc__`, `help`, `inspect`, `pydoc`, `getdoc`, `doctest`, `getattr` or `__dict__`
(also inside a string: `getattr(f, '__doc__')`), a dynamic name (`eval`, `globals`, `vars`, ...), or a
name through which a program sees its own line numbers (LINE_READERS in _shared.py: the reflow moves every
line below it). A docstring read from outside (another module importing this one) is out of its sight.

A docstring is refused (not a site) when it is not a triple-quoted plain string literal starting a line of
its own (parenthesized, concatenated, f-string or bytes), is already one line, would not save a line, has a
word that cannot fit, or when its value would change other than in whitespace: checked by evaluating both
literals (a backslash before a newline, a quote just before the closing quotes, ...).
'''

from __future__ import annotations

import ast
import warnings

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import CodeRange, PositionProvider

from ..lines import LINE_LENGTH, physical_lines
from ._shared import DYNAMIC_NAMES, LINE_READERS, docstring, fill, skip, spelled, walk
from ._sites import Candidate, SiteChooser

# Names through which a program can read a docstring (`getattr` and `__dict__` reach `__doc__` by a string).
DOC_READERS = frozenset({"__doc__", "help", "inspect", "pydoc", "getdoc", "doctest", "getattr", "__dict__"})


class CompactDocstring(SiteChooser, VisitorBasedCodemodCommand):
    DESCRIPTION = "Reflow docstrings into as few lines as fit in 120 columns, every word kept in order."

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, context, sites=None) -> None:
        super().__init__(context)
        self.init_sites(sites)
        self.plans: dict[int, str] = {}  # id() of the docstring's SimpleString -> its new value

    def visit_Module(self, node: cst.Module) -> bool:
        if readers := spelled(node, DOC_READERS | DYNAMIC_NAMES | LINE_READERS):
            raise skip(f"the module spells {', '.join(readers)}: it may read a docstring or its own line numbers")
        lines = physical_lines(node.code)
        owners = [node, *(n for n in walk(node) if isinstance(n, (cst.FunctionDef, cst.ClassDef)))]
        found: list[Candidate[tuple[int, str]]] = []
        for owner in owners:
            string = docstring(owner)
            if not isinstance(string, cst.SimpleString):
                continue
            where = self.get_metadata(PositionProvider, string)
            value = _reflowed(string, lines, where, node.default_newline)
            if value is not None:
                whose = "the module" if owner is node else f"`{owner.name.value}`'s"
                new = value.count("\n") + 1
                summary = (f"reflow {whose} docstring (lines {where.start.line}-{where.end.line}) "
                           f"into {new} line{'s' if new > 1 else ''}")
                found.append(Candidate(where.start.line, where.start.column, summary, (id(string), value)))
        self.plans = dict(self.choose(found, "no multi-line docstring that fits in fewer lines"))
        return True

    def leave_SimpleString(self, original_node: cst.SimpleString, updated_node: cst.SimpleString) -> cst.SimpleString:
        value = self.plans.get(id(original_node))
        return updated_node if value is None else updated_node.with_changes(value=value)


def _reflowed(string: cst.SimpleString, lines: list[str], where: CodeRange, newline: str) -> str | None:
    """The docstring's new literal, or None when it is refused (see the module's docstring)."""
    first, last = where.start.line, where.end.line
    head, tail = lines[first - 1][:where.start.column], lines[last - 1][where.end.column:]  # indent; after quotes
    quote = string.quote
    if string.lpar or len(quote) != 3 or head.strip() or first == last:
        return None
    body = string.value[len(string.prefix) + 3:-3]
    text = _layout(body, len(head) + len(string.prefix) + 3, len(head), 3 + len(tail))
    if text is None or len(text) >= last - first + 1:
        return None
    value = string.prefix + quote + (newline + head).join(text) + quote
    try:
        with warnings.catch_warnings():  # an invalid escape (`\d` in a plain string) warns: only values count
            warnings.simplefilter("ignore")
            same = ast.literal_eval(value).split() == ast.literal_eval(string.value).split()
    except (SyntaxError, ValueError):
        return None
    return value if same else None


def _layout(body: str, head: int, indent: int, tail: int) -> list[str] | None:
    """The lines of text: the summary on a line of its own when that costs no line, else every word filled."""
    words = body.split()
    plain = fill(words, LINE_LENGTH, head, indent, tail)
    summary = next((line.split() for line in body.splitlines() if line.strip()), [])
    rest = words[len(summary):]
    if summary and rest:
        first = fill(summary, LINE_LENGTH, head, indent)
        others = fill(rest, LINE_LENGTH, indent, indent, tail)
        if first is not None and len(first) == 1 and others is not None:
            if plain is None or 1 + len(others) <= len(plain):
                return first + others
    return plain
