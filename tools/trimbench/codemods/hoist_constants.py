"""hoist-constants: a constant bound at the top of an `if` body moves before the `if`, which then takes its one
remaining statement on its line.

    if not os.path.exists('input.txt'):
        names_url = 'https://raw.githubusercontent.com/karpathy/makemore/refs/heads/master/names.txt'
        urllib.request.urlretrieve(names_url, 'input.txt')

becomes

    names_url = 'https://raw.githubusercontent.com/karpathy/makemore/refs/heads/master/names.txt'
    if not os.path.exists('input.txt'): urllib.request.urlretrieve(names_url, 'input.txt')

Only the leading statements of the body move, each a plain `name = literal` whose literal is immutable and
computed without running code: a number (signed or not), a string or bytes literal (no f-string), `None`,
`True`, `False`, or a tuple of those. So the binding now happens before the condition and whether or not it
holds; evaluating it can neither fail nor be seen, and binding it is seen only by what reads the name. A
statement is refused (and those after it stay) when
- the name is bound anywhere else in its scope (assignment, walrus, `del`, `for`, import, `except ... as`, a
  comprehension variable, conservatively), or named by `global`/`nonlocal` anywhere, or is a `__dunder__`
  (`__doc__`, `__annotations__`: the interpreter reads those);
- a read that may see this binding is anywhere but in the statements after it in the same body: in the
  condition, before or after the `if`, in a function, lambda or class body (any of which may run at another
  moment). CPython's parser places every binding and read in its scope, and a def or lambda that binds the
  name itself hides it (_shared.NameScopes); libcst's scope analysis would not do: at module level it links a
  read only to the bindings above it, so it misses the condition's;
- the `if` has an `elif` or `else`, a one-line body, or is in a class body (a class attribute would appear);
- it is the last statement of the body (the body keeps one), or an own-line comment above it is a pragma;
- the `if` is the first statement of another `if` body, or follows only `name = literal` lines there: its
  hoisted lines would join the leading run of the outer `if`, and the two sites would interact.
The module is skipped when it spells a dynamic name (`globals`, `eval`, ..., and `dir`, which lists the
names bound so far), a name through which code reads a namespace as a dict (`__dict__`, `__globals__`,
`f_globals`, `f_locals`, `sys.modules`, `import __main__`), or a line reader (LINE_READERS in _shared.py:
lines move). It assumes the program is run as a script, not imported: after an `if` whose condition was false
the name is now bound, which only the module's importers (`program.names_url`) could tell.
Own-line comments above a moved line move with it, after those above the `if`; its trailing comment stays on
it. Moving alone saves no line, so when the `if` is left with one simple statement that one-line-bodies would
join (one_line_bodies.joinable: no own-line comment, one trailing comment at most, within 120 columns), it
joins it too. Each `if` is one site: its moved statements, and the join.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import PositionProvider

from ._shared import (DYNAMIC_NAMES, LINE_READERS, declared_names, is_pragma, name_scopes, names_in, single_small,
                      skip, spelled, walk)
from ._sites import Candidate, SiteChooser
from .one_line_bodies import joinable, one_lined

# Names through which code reads a namespace without naming the variable (spelled anywhere, strings too).
NAMESPACE_READERS = frozenset({"dir", "__dict__", "__globals__", "f_globals", "f_locals", "modules"})


@dataclass(frozen=True)
class _Plan:
    moved: int  # how many leading statements of the body move
    join: bool  # the `if` then takes its one remaining statement on its line


def _immutable(node: cst.BaseExpression) -> bool:
    """A literal whose value is immutable and computed without running code (no name but None/True/False)."""
    if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString)):
        return True
    if isinstance(node, cst.ConcatenatedString):
        return _immutable(node.left) and _immutable(node.right)
    if isinstance(node, cst.Name):
        return node.value in ("None", "True", "False")
    if isinstance(node, cst.UnaryOperation):
        return isinstance(node.operator, (cst.Minus, cst.Plus)) and isinstance(
            node.expression, (cst.Integer, cst.Float, cst.Imaginary))
    if isinstance(node, cst.Tuple):
        return all(isinstance(e, cst.Element) and _immutable(e.value) for e in node.elements)
    return False


def literal_binding(stmt: cst.CSTNode) -> cst.Name | None:
    """The target of a line that is only `name = immutable literal`, else None."""
    small = single_small(stmt)
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    target = small.targets[0].target
    if not isinstance(target, cst.Name) or target.lpar or not _immutable(small.value):
        return None
    return target


class HoistConstants(SiteChooser, VisitorBasedCodemodCommand):
    DESCRIPTION = "Move constants bound at the top of an if body before the if, then join the if with its body."

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, context, sites=None) -> None:
        super().__init__(context)
        self.init_sites(sites)
        self.plans: dict[int, _Plan] = {}  # id of an `if` -> its plan

    def visit_Module(self, node: cst.Module) -> bool:
        readers = spelled(node, LINE_READERS | DYNAMIC_NAMES | NAMESPACE_READERS)
        if readers := readers + sorted(names_in(node) & {"__main__"}):  # `import __main__`, not the string
            raise skip(f"the module spells {', '.join(readers)}: it may see a name bound early, or its line numbers")
        self.scopes = name_scopes(node)
        if "*" in self.scopes.bindings:
            raise skip("a star import may bind any name: a constant's name cannot be proven bound once")
        self.declared = declared_names(node)
        # The bodies of the ifs that may be sites themselves: an `if` leading one would feed that site.
        guarded = {id(s.body) for s in walk(node) if isinstance(s, cst.If) and s.orelse is None}
        found: list[Candidate[tuple[int, _Plan]]] = []
        for block in walk(node):
            if not isinstance(block, (cst.Module, cst.IndentedBlock)):
                continue
            for index, stmt in enumerate(block.body):
                if not isinstance(stmt, cst.If):
                    continue
                if id(block) in guarded and all(literal_binding(s) is not None for s in block.body[:index]):
                    continue
                candidate = self._candidate(stmt)
                if candidate is not None:
                    found.append(candidate)
        self.plans = dict(self.choose(found, "no constant at the top of an if body that can move before the if"))
        return True

    def _candidate(self, stmt: cst.If) -> Candidate[tuple[int, _Plan]] | None:
        body = stmt.body
        if stmt.orelse is not None or not isinstance(body, cst.IndentedBlock):
            return None
        names: list[str] = []
        for index, line in enumerate(body.body[:-1]):
            target = literal_binding(line)
            if target is None or not self._movable(target, line, body.body[index + 1:]):
                break
            names.append(target.value)
        if not names:
            return None
        start = self.get_metadata(PositionProvider, stmt).start
        join = joinable(self._left(stmt, len(names)), start.column)
        spelled_names = ", ".join(f"`{name}`" for name in names)
        effect = "and put its one statement on its line" if join else "(saves no line by itself)"
        summary = f"move {spelled_names} before the `if` of line {start.line} {effect}"
        return Candidate(start.line, start.column, summary, (id(stmt), _Plan(len(names), join)))

    def _movable(self, target: cst.Name, line: cst.SimpleStatementLine, after: list[cst.BaseStatement]) -> bool:
        """Whether binding `target` before the `if` is unseen: CPython's parser finds no other binding of the name
        in its scope, which is no class body, and every read that may see it among the statements `after` it, in
        that very scope (a comprehension's counts: it runs in place)."""
        name = target.value
        if name in self.declared or (name.startswith("__") and name.endswith("__")):
            return False
        if any(is_pragma(empty.comment) for empty in line.leading_lines):
            return False  # a pragma above the line may cover the `if` header once it moves
        position = self.get_metadata(PositionProvider, target).start
        bindings = self.scopes.bindings.get(name, [])
        mine = [scope for node, scope in bindings if isinstance(node, ast.Name)
                and (node.lineno, node.col_offset) == (position.line, position.column)]
        if len(mine) != 1 or isinstance(mine[0], ast.ClassDef) or [s is mine[0] for _, s in bindings].count(True) > 1:
            return False
        first = self.get_metadata(PositionProvider, after[0]).start.line
        last = self.get_metadata(PositionProvider, after[-1]).end.line
        for read, scope in self.scopes.reads.get(name, []):
            if self.scopes.sees(scope, name, mine[0]) and not (scope is mine[0] and first <= read.lineno <= last):
                return False
        return True

    def _left(self, stmt: cst.If, moved: int) -> cst.If:
        """The `if` without its moved statements nor what was above it (that moves with them)."""
        return stmt.with_changes(leading_lines=(), body=stmt.body.with_changes(body=stmt.body.body[moved:]))

    def _rewritten(self, stmt: cst.If, plan: _Plan) -> list[cst.BaseStatement]:
        moved = list(stmt.body.body[:plan.moved])
        moved[0] = moved[0].with_changes(leading_lines=[*stmt.leading_lines, *moved[0].leading_lines])
        left = self._left(stmt, plan.moved)
        return [*moved, one_lined(left) if plan.join else left]

    def _statements(self, original: cst.CSTNode, updated: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
        out: list[cst.BaseStatement] = []
        for before, after in zip(original.body, updated):
            plan = self.plans.get(id(before))
            out.extend([after] if plan is None else self._rewritten(after, plan))
        return out

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return updated_node.with_changes(body=self._statements(original_node, updated_node.body))

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock,
                            updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        return updated_node.with_changes(body=self._statements(original_node, updated_node.body))
