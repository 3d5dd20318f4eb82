"""Which binding a read can see: every read of a name, whether it runs in place, whether a binding reaches it."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider, ScopeProvider

from trimbench.codemods._flow import in_place, reads_of, unreached
from trimbench.codemods._shared import walk

from ._cases import program


class Marked:
    """A program whose `# origin` line holds the binding statement and whose `# read` line the read of `t`."""

    def __init__(self, source: str) -> None:
        self.source = program(source)
        self.wrapper = MetadataWrapper(cst.parse_module(self.source))
        self.meta = self.wrapper.resolve_many([ScopeProvider, ParentNodeProvider, PositionProvider])
        lines = self.source.splitlines()
        self.origin_line = next(i for i, line in enumerate(lines, 1) if "# origin" in line)
        self.read_line = next((i for i, line in enumerate(lines, 1) if "# read" in line), None)

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.meta[ParentNodeProvider].get(node)

    def scope(self, node: cst.CSTNode):
        return self.meta[ScopeProvider].get(node)

    def line(self, node: cst.CSTNode) -> int:
        return self.meta[PositionProvider][node].start.line

    def origin(self) -> cst.CSTNode:
        return next(n for n in walk(self.wrapper.module) if isinstance(n, (cst.SimpleStatementLine, cst.For, cst.While))
                    and self.line(n) == self.origin_line)

    def read(self) -> cst.Name:
        return [n for n in walk(self.wrapper.module) if isinstance(n, cst.Name) and n.value == "t"
                and self.line(n) == self.read_line][-1]

    def module_scope(self):
        return self.scope(self.wrapper.module)


UNREACHED = [
    pytest.param("t = 1  # origin\nt = 2\nprint(t)  # read\n", True, id="bound-again-before-the-read"),
    pytest.param("t = 1  # origin\nprint(t)  # read\n", False, id="the-binding-reaches-it"),
    pytest.param("print(t)  # read\nt = 1  # origin\n", True, id="before-it-and-no-loop"),
    pytest.param("for i in r:\n    print(t)  # read\n    t = i  # origin\n", False, id="before-it-in-the-same-loop"),
    pytest.param("for i in r:\n    print(t)  # read\nt = 1  # origin\n", True, id="in-an-earlier-loop"),
    pytest.param("while c:\n    if c:\n        print(t)  # read\n    t = 1  # origin\n", False,
                 id="before-it-in-an-enclosing-while"),
    pytest.param("t = 1  # origin\nfor t in r:\n    print(t)  # read\n", True, id="a-for-binds-it-first"),
    pytest.param("t = 1  # origin\nfor t in r:\n    pass\nelse:\n    print(t)  # read\n", False,
                 id="a-for-else-may-run-without-binding"),
    pytest.param("t = 1  # origin\nfor x in f(t):  # read\n    pass\n", False, id="a-for-iterable"),
    pytest.param("for t in r:\n    t = 2  # origin\n    print(t)  # read\n", False, id="the-for-holds-the-origin"),
    pytest.param("t = 0\nwhile t:  # read\n    t = g()  # origin\n", False, id="the-read-statement-holds-the-origin"),
    pytest.param("t = 1  # origin\nt = 2\nif c:\n    print(t)  # read\n", True, id="bound-again-in-an-enclosing-block"),
    pytest.param("t = 2\nt = 1  # origin\nif c:\n    print(t)  # read\n", False, id="origin-between-binding-and-read"),
    pytest.param("t = 1  # origin\nif c:\n    t = 2\nprint(t)  # read\n", False,
                 id="a-conditional-binding-does-not-count"),
    pytest.param("t = 1  # origin\nt = 2; print(t)  # read\n", True, id="bound-earlier-on-the-same-line"),
    pytest.param("t = 1  # origin\na, (t, b) = 1, (2, 3)\nprint(t)  # read\n", True, id="nested-tuple-target"),
    pytest.param("t = 1  # origin\nt += 1\nprint(t)  # read\n", False, id="augmented-assignment-reads-first"),
    pytest.param("t = 1  # origin\ndef f():\n    return t  # read\n", False, id="stops-at-a-def"),
]


@pytest.mark.parametrize("source, expected", UNREACHED)
def test_unreached(source: str, expected: bool) -> None:
    marked = Marked(source)
    assert unreached(marked.read(), marked.origin(), "t", marked.parent) is expected


def test_reads_of_sees_del_augmented_assignment_nested_scopes_and_loop_carried_reads() -> None:
    marked = Marked("""
        for i in r:
            print(t)
            t = i  # origin
        t += 1
        print([t for _ in r], (t for _ in r))
        def f():
            return t
        del t
        t = 5
        """)
    lines = sorted(marked.line(read) for read in reads_of(marked.module_scope(), "t", marked.parent))
    assert lines == [2, 4, 5, 5, 7, 8]


@pytest.mark.parametrize("source, expected", [
    pytest.param("t = 1\nprint([t for _ in r])  # read\n", True, id="list-comprehension-body"),
    pytest.param("t = 1\ng = (x for x in t)  # read\n", True, id="generator-first-iterable"),
    pytest.param("t = 1\ng = (t for _ in r)  # read\n", False, id="generator-body"),
    pytest.param("t = 1\na, b = (t + n for n in r)  # read\n", True, id="generator-unpacked-at-once"),
    pytest.param("t = 1\na = (t + n for n in r)  # read\n", False, id="generator-kept-whole"),
    pytest.param("t = 1\na, b = f(t + n for n in r)  # read\n", False, id="generator-handed-to-a-call"),
    pytest.param("t = 1\ng = lambda: t  # read\n", False, id="lambda-body"),
    pytest.param("t = 1\ndef f():\n    return t  # read\n", False, id="function-body"),
    pytest.param("t = 1\ndef f(a=t):  # read\n    pass\n", True, id="default-argument"),
    pytest.param("t = 1\nclass C:\n    u = t  # read\n", False, id="class-body"),
])
def test_in_place(source: str, expected: bool) -> None:
    marked = Marked(source.replace("t = 1\n", "t = 1  # origin\n", 1))
    assert in_place(marked.read(), marked.module_scope(), marked.scope, marked.parent) is expected
