"""hoist-imports: a standard-library `import` inside a module-level `if`/`for`/`while` joins the import line above.

    import os
    if not os.path.exists('input.txt'):
        import urllib.request
        urllib.request.urlretrieve(names_url, 'input.txt')

becomes

    import os, urllib.request
    if not os.path.exists('input.txt'):
        urllib.request.urlretrieve(names_url, 'input.txt')

Moving an import changes when, and whether, the module is imported and its name bound. That is sound under
this assumption, which the codemod cannot prove: importing the module has no effect the program can observe
(it prints nothing, draws no random number, reads no state the program changes, cannot fail wherever the
program runs), no file of the program's shadows it, and no code relies on its name being unbound (a NameError).
So only modules in `sys.stdlib_module_names` move, never private ones (`_thread`) nor those in DENIED:
imports that print or act (`this`, `antigravity`, `turtle`, ...), modules a platform, a build or an older
Python (PyPy 3.9) may lack (`winreg`, `readline`, `ssl`, `tomllib`, ...), and deprecated ones that warn when
imported (`imp`, `cgi`, ...). A site is refused when
- the import is inside a function, class, `with`, `try` (an `except ImportError` means it may fail) or `match`;
- it is a `from` import or uses `as`, or its line has a pragma comment;
- the module's name (the first part of a dotted name) is bound in the file by anything but a plain `import` of
  that module, or the file may bind or list names unseen (a star import, `globals()`, `dir()`, `exec`, ...);
- the module spells a name through which it may read its own line numbers (LINE_READERS in _shared.py);
- its block holds nothing but imports (it must not become empty), or it has an own-line comment above it;
- no plain `import` line precedes its statement at the top level (a new line would save nothing);
- the import line would be over 120 characters (comments joined as one-line-imports joins them).
Each hoisted import is one site. The sites joining one import line are offered only while all of them fit on
it together, so any subset fits too; the hoisted modules follow the line's own, in source order.
"""

from __future__ import annotations

import ast
import sys

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import PositionProvider

from ._imports import comment_spacing, joined_imports, plain_import
from ._shared import DYNAMIC_NAMES, LINE_READERS, bound_names, code, only_blank, skip, spelled
from ._sites import Candidate, SiteChooser

DENIED = frozenset({
    # importing them prints, opens a window or a browser
    "this", "antigravity", "idlelib", "turtle", "turtledemo", "tkinter",
    # a platform or a build may lack them (and readline writes escape codes when imported)
    "msvcrt", "winreg", "winsound", "nt", "posix", "pwd", "grp", "termios", "tty", "pty", "fcntl", "resource",
    "syslog", "spwd", "crypt", "nis", "ossaudiodev", "msilib", "curses", "readline", "rlcompleter", "sqlite3",
    "ssl", "lzma", "bz2", "zlib", "ctypes", "dbm", "ensurepip", "venv",
    # newer than Python 3.9 (trimbench runs programs on PyPy 3.9 as well)
    "tomllib", "graphlib", "zoneinfo",
    # deprecated: they warn when imported
    "imp", "distutils", "lib2to3", "asyncore", "asynchat", "smtpd", "sre_compile", "sre_constants", "sre_parse",
    "aifc", "audioop", "cgi", "cgitb", "chunk", "imghdr", "mailcap", "nntplib", "pipes", "sndhdr", "sunau",
    "telnetlib", "uu", "xdrlib",
})


def movable_module(name: str) -> bool:
    """Whether importing `name` (dotted) is assumed to have no observable effect, anywhere in a program."""
    top = name.split(".")[0]
    return top in sys.stdlib_module_names and not top.startswith("_") and top not in DENIED


class HoistImports(SiteChooser, VisitorBasedCodemodCommand):
    DESCRIPTION = "Move standard-library imports out of module-level if/for/while blocks onto the import line above."

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, context, sites=None) -> None:
        super().__init__(context)
        self.init_sites(sites)
        self.moved: set[int] = set()  # ids of the import lines that move
        self.joins: dict[int, list[cst.SimpleStatementLine]] = {}  # id of an import line -> the lines joining it

    def visit_Module(self, node: cst.Module) -> bool:
        if readers := spelled(node, LINE_READERS | DYNAMIC_NAMES | {"dir"}):  # `dir()` lists the names bound so far
            raise skip(f"the module spells {', '.join(readers)}: it may see a name bound early, or its line numbers")
        self.bindings = bound_names(node)
        if "*" in self.bindings:
            raise skip("a star import may bind any name: an import's name cannot be proven free")
        self.spacing = comment_spacing(node)
        found: list[Candidate[tuple[cst.SimpleStatementLine, cst.SimpleStatementLine]]] = []
        target: cst.SimpleStatementLine | None = None
        joining: dict[int, list[cst.SimpleStatementLine]] = {}
        for stmt in node.body:
            if plain_import(stmt) is not None:
                target = stmt
            elif target is not None and isinstance(stmt, (cst.If, cst.For, cst.While)):
                for line in _nested_imports(stmt):
                    lines = [*joining.get(id(target), [target]), line]
                    if self._movable(line) and self._join(lines, target) is not None:
                        joining[id(target)] = lines
                        found.append(self._candidate(line, target))
        for target, line in self.choose(found, "no standard-library import to move onto an import line above"):
            self.moved.add(id(line))
            self.joins.setdefault(id(target), [target]).append(line)
        return True

    def _candidate(self, line: cst.SimpleStatementLine, target: cst.SimpleStatementLine) -> Candidate:
        start = self.get_metadata(PositionProvider, line).start
        into = self.get_metadata(PositionProvider, target).start.line
        modules = ", ".join(f"`{code(a.name)}`" for a in plain_import(line).names)
        return Candidate(start.line, start.column, f"move the import of {modules} to line {into}", (target, line))

    def _movable(self, line: cst.SimpleStatementLine) -> bool:
        imported = plain_import(line)
        if imported is None or not only_blank(line.leading_lines):
            return False
        for alias in imported.names:
            name = code(alias.name).replace(" ", "")
            if alias.asname is not None or not movable_module(name):
                return False
            if not all(_imports_itself(binding, name.split(".")[0]) for binding in self.bindings[name.split(".")[0]]):
                return False
        return True

    def _join(self, lines: list[cst.SimpleStatementLine], target: cst.SimpleStatementLine):
        comment = target.trailing_whitespace.comment
        spacing = target.trailing_whitespace.whitespace.value if comment is not None else self.spacing
        return joined_imports(lines, 0, spacing or self.spacing, self.module.config_for_parsing)

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock,
                            updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        kept = [u for o, u in zip(original_node.body, updated_node.body) if id(o) not in self.moved]
        return updated_node.with_changes(body=kept)

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine,
                                  updated_node: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
        lines = self.joins.get(id(original_node))
        return updated_node if lines is None else self._join(lines, original_node)


def _imports_itself(binding: ast.AST, top: str) -> bool:
    """The binding is a plain `import top...`: it binds `top` to the very module the hoisted import binds."""
    return isinstance(binding, ast.Import) and all(
        alias.asname is None for alias in binding.names if (alias.asname or alias.name.split(".")[0]) == top)


def _nested_imports(stmt: cst.If | cst.For | cst.While) -> list[cst.SimpleStatementLine]:
    """The plain import lines in the blocks of this statement and of the if/for/while nested in them, but none of
    a block that holds nothing else (it would be left empty)."""
    found: list[cst.SimpleStatementLine] = []
    for block in _blocks(stmt):
        if any(plain_import(s) is None for s in block.body):
            found.extend(s for s in block.body if plain_import(s) is not None)
        for inner in block.body:
            if isinstance(inner, (cst.If, cst.For, cst.While)):
                found.extend(_nested_imports(inner))
    return found


def _blocks(stmt: cst.If | cst.For | cst.While) -> list[cst.IndentedBlock]:
    """The statement's own blocks, its `else` and `elif` ones included."""
    blocks = [stmt.body]
    if isinstance(stmt.orelse, cst.Else):
        blocks.append(stmt.orelse.body)
    elif isinstance(stmt.orelse, cst.If):
        blocks.extend(_blocks(stmt.orelse))
    return [block for block in blocks if isinstance(block, cst.IndentedBlock)]
