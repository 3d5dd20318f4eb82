"""extract-function: a loop body becomes a named module-level function, called from the loop.

    for i, p in enumerate(params):
        m[i] = beta1 * m[i] + (1 - beta1) * p.grad
        ...
        p.grad = 0

becomes

    def adam_update(i, p, m, beta1, ...):
        m[i] = beta1 * m[i] + (1 - beta1) * p.grad
        ...
        p.grad = 0

    ...
    for i, p in enumerate(params):
        adam_update(i, p, m, beta1, ...)

Parameters are the names the body reads from outside that are variables (loop targets, locals, module
variables); module-level functions, classes, imports and builtins are read directly, as before. Names the
body rebinds are returned and assigned at the call site when they are read after the body (anywhere else
in the scope) or carried to the next iteration (read in the body before the body binds them, as
`acc = acc + i`). The new function goes after the last module-level function or class before the code
that holds the loop.

It only takes bodies a function can express exactly, and refuses
- nested blocks, `return`/`break`/`continue`/`yield`/`await`, `global`/`nonlocal`/`del`/imports, walrus, defs,
  classes and lambdas (a lambda would capture the function's locals, not the loop's variables);
- a generator expression other than the lone argument of a builtin that consumes it at once (`sum(...)`):
  one kept for later would read the function's locals after they stopped changing;
- rebinding the loop's own target;
- any name the body reads or binds that a `global` or `nonlocal` statement names anywhere: a call in the
  body could rebind it, and the parameter would keep the old value;
- a name the body binds that a function, lambda or class body reads: it would see the old value until the
  call returns;
- `locals()`/`eval`/`exec` anywhere.
This trades lines for structure: the file gets longer. It has one site, the loop it would extract.

Options: `name` (default `loop_body`) and `line` (a line inside the loop; default: the last eligible loop).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import (
    BuiltinScope,
    ClassScope,
    GlobalScope,
    ParentNodeProvider,
    PositionProvider,
    Scope,
    ScopeProvider,
)

from ._bindings import CONSUMERS, Bindings
from ._shared import DYNAMIC_NAMES, contains, declared_names, names_in, option, read_elsewhere, skip, walk
from ._sites import Candidate, SiteChooser

_FORBIDDEN = (cst.Return, cst.Break, cst.Continue, cst.Yield, cst.Await, cst.Global, cst.Nonlocal, cst.Del,
              cst.Import, cst.ImportFrom, cst.NamedExpr, cst.ClassDef, cst.FunctionDef, cst.Lambda)
_DIRECT = (cst.FunctionDef, cst.ClassDef, cst.Import, cst.ImportFrom)


@dataclass(frozen=True)
class _Plan:
    loop: cst.For
    params: tuple[str, ...]
    returns: tuple[str, ...]


class ExtractFunction(SiteChooser, VisitorBasedCodemodCommand):
    DESCRIPTION = "Pull a loop body into a named function; parameters are what it reads, returns what it must."

    METADATA_DEPENDENCIES = (ScopeProvider, ParentNodeProvider, PositionProvider)

    def __init__(self, context, name: str = "loop_body", line: int | None = None, sites=None) -> None:
        super().__init__(context)
        self.name = option(name, str, "name", optional=False)
        self.line = option(line, int, "line")
        self.init_sites(sites)
        self.plan: _Plan | None = None
        self.anchor: cst.CSTNode | None = None  # the module-level statement the new def goes after (or before)
        self.before = False

    @staticmethod
    def add_args(arg_parser) -> None:
        arg_parser.add_argument("--name", dest="name", default="loop_body", help="the new function's name")
        arg_parser.add_argument("--line", dest="line", type=int, default=None,
                                help="a line inside the loop to extract (default: the last eligible loop)")

    def visit_Module(self, node: cst.Module) -> bool:
        if not self.name.isidentifier() or self.name in names_in(node):
            raise skip(f"the name {self.name!r} is not a fresh identifier in this module")
        if names_in(node) & DYNAMIC_NAMES:
            raise skip("the module uses locals()/globals()/eval/exec: any name may be read behind our back")
        self.declared = declared_names(node)
        self.bindings = Bindings(self, self.declared)
        loops = [n for n in walk(node) if isinstance(n, cst.For)]
        if self.line is not None:
            loops = [lp for lp in loops if self._spans(lp, self.line)]
            loops.sort(key=lambda lp: self.get_metadata(PositionProvider, lp).start.line)
        plans = [p for p in (self._plan(lp) for lp in loops) if p is not None]
        # One function, one name: the site is the innermost loop at the line, or the last in the file.
        found = []
        if plans:  # the site starts where the body does: the `for` line itself stays as it is
            body = plans[-1].loop.body.body
            start = self.get_metadata(PositionProvider, body[0]).start
            end = self.get_metadata(PositionProvider, body[-1]).end.line
            call = f"{self.name}({', '.join(plans[-1].params)})"
            summary = f"extract the loop body at lines {start.line}-{end} into {call}"
            found.append(Candidate(start.line, start.column, summary, plans[-1]))
        where = f" at line {self.line}" if self.line is not None else ""
        [self.plan] = self.choose(found, f"no loop{where} whose body a function can express exactly")
        top = self._top_level(self.plan.loop)
        previous_defs = [s for s in node.body[: node.body.index(top)] if isinstance(s, (cst.FunctionDef, cst.ClassDef))]
        self.anchor, self.before = (previous_defs[-1], False) if previous_defs else (top, True)
        return True

    def _spans(self, loop: cst.For, line: int) -> bool:
        pos = self.get_metadata(PositionProvider, loop)
        return pos.start.line <= line <= pos.end.line

    def _top_level(self, node: cst.CSTNode) -> cst.CSTNode:
        while not isinstance(parent := self.get_metadata(ParentNodeProvider, node), cst.Module):
            node = parent
        return node

    def _plan(self, loop: cst.For) -> _Plan | None:
        body = loop.body
        if loop.asynchronous or not isinstance(body, cst.IndentedBlock) or len(body.body) < 2:
            return None
        if not all(isinstance(s, cst.SimpleStatementLine) for s in body.body) or contains(body, _FORBIDDEN):
            return None
        scope = self.get_metadata(ScopeProvider, loop)
        if scope is None or isinstance(scope, ClassScope):
            return None
        if not self._generators_consumed(body):
            return None
        inside = {id(n) for n in walk(body)}
        targets = names_in(loop.target)
        reads: list[str] = []  # names read before the body binds them, in order of first read
        written: list[str] = []
        for stmt in body.body:
            for small in stmt.body:
                augmented = isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name)
                updated = [small.target.value] if augmented else []  # `acc += x` reads acc first
                for name in [*updated, *self._free_reads(small, scope)]:
                    if name not in written and name not in reads:
                        reads.append(name)
                for name in _bound_names(small):
                    if name in targets:
                        return None  # rebinding the loop's target: the next iteration would not see it
                    if name not in written:
                        written.append(name)
        if (set(reads) | set(written)) & self.declared:
            return None  # a call in the body could rebind it behind the parameter's back
        if any(read_elsewhere(self._scope_of, scope, name) for name in written):
            return None  # a function reading it would see the old value until the call returns
        returns = []
        for name in written:
            accesses = [r for a in scope.assignments[name] for r in a.references]
            if name in reads or any(id(r.node) not in inside for r in accesses):
                returns.append(name)  # carried to the next iteration, or read after the body
        params = [n for n in reads if self._is_variable(n, scope)]
        params.sort(key=lambda n: (n not in targets, 0))  # loop targets first, then in order of first read
        return _Plan(loop, tuple(params), tuple(returns))

    def _scope_of(self, node: cst.CSTNode) -> Scope | None:
        return self.get_metadata(ScopeProvider, node, None)

    def _generators_consumed(self, body: cst.CSTNode) -> bool:
        """Every generator expression is the lone argument of a builtin that consumes it before returning."""
        calls = {id(c.args[0].value): c for c in walk(body) if isinstance(c, cst.Call) and len(c.args) == 1}
        for gen in walk(body):
            if isinstance(gen, cst.GeneratorExp):
                call = calls.get(id(gen))
                if call is None or not (isinstance(call.func, cst.Name) and call.func.value in CONSUMERS):
                    return False
                if not self.bindings.builtin(call.func, call.func.value):
                    return False
        return True

    def _free_reads(self, small: cst.CSTNode, loop_scope: Scope) -> list[str]:
        """Names `small` reads that resolve outside it, in source order."""
        found: list[str] = []
        nodes = {id(n) for n in walk(small)}
        scopes = {id(s): s for n in walk(small) if (s := self.get_metadata(ScopeProvider, n, None)) is not None}
        accesses = []
        for s in scopes.values():
            for access in s.accesses:
                if id(access.node) in nodes and isinstance(access.node, cst.Name):
                    accesses.append((s, access))
        accesses.sort(key=lambda sa: _start(self.get_metadata(PositionProvider, sa[1].node)))
        for s, access in accesses:
            name = access.node.value
            local = False
            while s is not loop_scope and s is not None and not isinstance(s, (GlobalScope, BuiltinScope)):
                if s.assignments[name]:
                    local = True  # bound by a comprehension or lambda inside the statement
                    break
                s = s.parent
            if not local:
                found.append(name)
        return found

    @staticmethod
    def _is_variable(name: str, scope: Scope) -> bool:
        """Whether reading `name` needs a parameter: a variable, not a module-level def/class/import or builtin."""
        while not isinstance(scope, GlobalScope):
            if not isinstance(scope, ClassScope) and scope.assignments[name]:
                return True
            scope = scope.parent
        bindings = list(scope.assignments[name])
        return bool(bindings) and not all(isinstance(b.node, _DIRECT) for b in bindings)

    def leave_For(self, original_node: cst.For, updated_node: cst.For) -> cst.For:
        if self.plan is None or original_node is not self.plan.loop:
            return updated_node
        call = f"{self.name}({', '.join(self.plan.params)})"
        if self.plan.returns:
            call = f"{', '.join(self.plan.returns)} = {call}"
        stmt = cst.parse_statement(call + "\n", config=self.module.config_for_parsing)
        return updated_node.with_changes(body=updated_node.body.with_changes(body=[stmt]))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        plan = self.plan
        body = list(plan.loop.body.body)
        if plan.returns:
            body.append(cst.parse_statement(f"return {', '.join(plan.returns)}\n"))
        header = cst.parse_statement(f"def {self.name}({', '.join(plan.params)}):\n    pass\n",
                                     config=self.module.config_for_parsing)
        function = header.with_changes(body=header.body.with_changes(body=body))
        index = original_node.body.index(self.anchor)
        blank = [line for line in self.anchor.leading_lines if line.comment is None] or [cst.EmptyLine()]
        new_body = list(updated_node.body)
        if self.before:
            function = function.with_changes(leading_lines=self.anchor.leading_lines or (blank if index else ()))
            new_body[index] = new_body[index].with_changes(leading_lines=blank)
            new_body.insert(index, function)
        else:
            new_body.insert(index + 1, function.with_changes(leading_lines=blank))
        return updated_node.with_changes(body=new_body)


def _bound_names(small: cst.CSTNode) -> list[str]:
    """Names a small statement rebinds (not attributes or subscripts it mutates)."""
    if isinstance(small, cst.Assign):
        targets = [t.target for t in small.targets]
    elif isinstance(small, (cst.AugAssign, cst.AnnAssign)):
        targets = [small.target]
    else:
        return []
    out: list[str] = []

    def collect(target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            out.append(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                collect(element.value)

    for target in targets:
        collect(target)
    return out


def _start(position) -> tuple[int, int]:
    return position.start.line, position.start.column
