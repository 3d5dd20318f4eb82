"""append-comprehension: a list that a loop fills with one `append` is built by a list comprehension.

    losses = []
    for pos_id in range(n):
        losses.append(-softmax(gpt(tokens[pos_id], pos_id, keys, values))[tokens[pos_id + 1]].log())

becomes

    losses = [-softmax(gpt(tokens[pos_id], pos_id, keys, values))[tokens[pos_id + 1]].log() for pos_id in range(n)]

The empty list may also be one element of the tuple assignment just before the loop: `keys, values, losses =
A, B, []` becomes `keys, values = A, B`, and the comprehension goes on a line of its own after it (offered
only when the loop's body has a line of its own, else no line is saved).

`[E for T in ITER]` evaluates ITER once, then E once per item, in the loop's order, and collects them in a
new list. What differs: the list is bound to X after the loop, not before it; T is bound inside the
comprehension only, not in the scope; an exception in the middle leaves X as it was, not partly filled.
So a site is refused unless
- X is a plain name bound, just before the loop, to `[]` alone (`X = []`, or one `[]` of a tuple assignment
  of distinct plain names, no starred element): then `X.append` is list's own method and nothing else holds
  the list; the loop is `for T in ITER:`, not `async`, no `else`, its one statement `X.append(E)` with one
  positional argument (so no `break`, `continue`, `return` or `yield` either);
- nothing that runs during the loop can see X: E and ITER do not spell it, every read of X in the scope runs
  in place, in the scope's own statements (none in a function, lambda, class body or generator expression),
  no `global`/`nonlocal` names it, and the scope is not a class body (a comprehension there cannot see the
  class's names);
- T is a name or a tuple of distinct names, none of them X or named by `global`/`nonlocal`, and dead after
  the loop: every other read of them in the scope runs in place and can never see a value the loop bound
  (`_flow.unreached`: it runs before the loop ever does, or after another binding of the name, such as a
  later `for pos_id in ...`); `del T` and `T += 1` count as reads. Inside E, T may only be read in place too:
  a lambda or generator expression reading T later would see the comprehension's T, not the scope's;
- E and ITER hold no walrus, `await` or `yield` (a comprehension forbids or rescopes them), and E does not
  spell `super` or `__class__` (a comprehension runs in a function of its own, a frame deeper before Python
  3.12): so E may not call back into a function that holds the loop either (`_reach.deepens_recursion`),
  or every level of that recursion would gain a frame and pass the recursion limit sooner;
- Python's parser reads the new line as the comprehension of the same E, T and ITER (ITER in parentheses
  when bare it would not be: a conditional, a lambda, a tuple), and it is one line within the file's widest
  line (at most 120), trailing comments joined with `; ` (X's, when its line goes, the loop's, the
  append's); no own-line comment in the loop's body or after it, no pragma among the comments.
It assumes that no exception raised in the loop is caught where X can be read afterwards (a `try` or `with`
around the loop in its scope is refused), and that no code outside the module reaches its names
(`sys.modules`, frames). Each site is an assignment and the loop after it: sites never share a statement,
and rewriting one leaves every read another site's proof relies on where it was.
"""

from __future__ import annotations

import ast

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import ClassScope, ParentNodeProvider, PositionProvider, ScopeProvider

from ._flow import in_place, reads_of, unreached
from ._reach import deepens_recursion
from ._runs import RunPlan, RunReplacer
from ._shared import (DYNAMIC_NAMES, code, comment_text, contains, declared_names, indent_of, is_pragma,
                      max_line_length, names_in, only_blank, single_small, skip, walk)
from ._sites import Candidate, SiteChooser

_RESCOPED = (cst.NamedExpr, cst.Await, cst.Yield)
_OWN_FUNCTION = frozenset({"super", "__class__"})


def _appended(loop: cst.For) -> tuple[str, cst.BaseExpression, list[cst.TrailingWhitespace]] | None:
    """(X, E, the loop's trailing comments) when its one statement is `X.append(E)`; None else."""
    body = loop.body
    if isinstance(body, cst.IndentedBlock):
        if len(body.body) != 1 or not only_blank([*body.body[0].leading_lines, *body.footer]):
            return None
        line, tails = body.body[0], [body.header]
    else:
        line, tails = body, []
    if not isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) or len(line.body) != 1:
        return None
    call = line.body[0].value if isinstance(line.body[0], cst.Expr) else None
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "append"
            and isinstance(call.func.value, cst.Name) and len(call.args) == 1):
        return None
    if call.args[0].keyword is not None or call.args[0].star:
        return None
    return call.func.value.value, call.args[0].value, [*tails, line.trailing_whitespace]


def _empty_list(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.List) and not node.elements and "#" not in code(node)


def _names(target: cst.BaseExpression) -> list[str] | None:
    """The names a loop target binds, when it is a name or a tuple of distinct names; else None."""
    if isinstance(target, cst.Name):
        return [target.value]
    if not isinstance(target, (cst.Tuple, cst.List)):
        return None
    names = [e.value.value for e in target.elements if isinstance(e, cst.Element) and isinstance(e.value, cst.Name)]
    return names if len(names) == len(target.elements) == len(set(names)) else None


def _without(display: cst.Tuple, index: int) -> cst.BaseExpression:
    """The tuple display without its element `index` (the one left, alone); a removed last comma stays last."""
    elements = [e for i, e in enumerate(display.elements) if i != index]
    if len(elements) == 1:
        return elements[0].value
    if index == len(display.elements) - 1:
        elements[-1] = elements[-1].with_changes(comma=display.elements[index].comma)
    return display.with_changes(elements=elements)


class AppendComprehension(SiteChooser, RunReplacer, VisitorBasedCodemodCommand):
    DESCRIPTION = "Build a list that a loop fills with one append as a list comprehension, when nothing can tell."

    METADATA_DEPENDENCIES = (ScopeProvider, ParentNodeProvider, PositionProvider)

    def __init__(self, context, sites=None) -> None:
        super().__init__(context)
        self.init_sites(sites)
        self.plans: dict[tuple[int, int], RunPlan] = {}  # (block id, start index) -> plan

    def visit_Module(self, node: cst.Module) -> bool:
        if names_in(node) & DYNAMIC_NAMES:
            raise skip("the module uses locals()/globals()/eval/exec: any name may be read behind our back")
        self.declared = declared_names(node)
        self.width = max_line_length(node)
        found: list[Candidate[RunPlan]] = []
        for block in walk(node):
            if isinstance(block, (cst.Module, cst.IndentedBlock)):
                for index, (stmt, loop) in enumerate(zip(block.body, block.body[1:])):
                    plan = self._plan(block, index, stmt, loop)
                    if plan is not None:
                        start = self.get_metadata(PositionProvider, stmt).start
                        end = self.get_metadata(PositionProvider, loop).end.line
                        name = _appended(loop)[0]
                        summary = f"build `{name}` by a list comprehension (lines {start.line}-{end})"
                        found.append(Candidate(start.line, start.column, summary, plan))
        for plan in self.choose(found, "no list filled by a loop of one append that a comprehension can build"):
            self.plans[plan.block, plan.start] = plan
        return True

    def _scope(self, node: cst.CSTNode):
        return self.get_metadata(ScopeProvider, node, None)

    def _parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.get_metadata(ParentNodeProvider, node, None)

    def _plan(self, block: cst.CSTNode, index: int, stmt: cst.CSTNode, loop: cst.CSTNode) -> RunPlan | None:
        small = single_small(stmt)
        if not (isinstance(loop, cst.For) and loop.orelse is None and loop.asynchronous is None
                and isinstance(small, cst.Assign) and len(small.targets) == 1):
            return None
        appended = _appended(loop)
        if appended is None:
            return None
        name, element, tails = appended
        found = self._binding(small, name)
        if found is None:
            return None
        target, rest = found
        loop_names = _names(loop.target)
        scope = self._scope(target)
        if loop_names is None or scope is None or isinstance(scope, ClassScope) or self._guarded(loop):
            return None
        if name in self.declared or name in loop_names or set(loop_names) & self.declared:
            return None
        if name in names_in(element) | names_in(loop.iter) or _OWN_FUNCTION & names_in(element):
            return None
        if contains(element, _RESCOPED) or contains(loop.iter, _RESCOPED):
            return None
        if deepens_recursion(self.module, self._parent, loop, [element]):
            return None  # each level of a recursion through the element would run one frame deeper
        if not all(in_place(read, scope, self._scope, self._parent) for read in reads_of(scope, name, self._parent)):
            return None  # some function, lambda or generator may read the list while the loop fills it
        if not all(self._dead(loop, scope, loop_name) for loop_name in loop_names):
            return None
        if rest is not None and isinstance(loop.body, cst.SimpleStatementSuite):
            return None  # `a, X = A, []` and a one-line loop are two lines already: nothing to save
        line = self._line(name, element, loop)
        tails = [t for t in ([stmt.trailing_whitespace] if rest is None else []) + tails if t.comment is not None]
        if line is None or any(is_pragma(t.comment) for t in tails):
            return None
        trailing = cst.TrailingWhitespace()
        if tails:
            text = "; ".join(comment_text(t.comment) for t in tails)
            trailing = cst.TrailingWhitespace(tails[0].whitespace, cst.Comment(f"# {text}"))
        if len(indent_of(self.module, self._parent, stmt)) + len(line + code(trailing).rstrip("\n")) > self.width:
            return None
        built = cst.parse_statement(line + "\n", config=self.module.config_for_parsing)
        if rest is None:
            leading = [*stmt.leading_lines, *loop.leading_lines]
            return RunPlan(id(block), index, 2, built.with_changes(leading_lines=leading, trailing_whitespace=trailing))
        built = built.with_changes(leading_lines=loop.leading_lines, trailing_whitespace=trailing)
        return RunPlan(id(block), index, 2, (stmt.with_changes(body=[rest]), built))

    def _binding(self, small: cst.Assign, name: str) -> tuple[cst.Name, cst.Assign | None] | None:
        """X's target node and the assignment left without it (None: the whole `X = []` goes); None when X is
        not bound to `[]` alone here."""
        target, value = small.targets[0].target, small.value
        if isinstance(target, cst.Name):
            return (target, None) if target.value == name and _empty_list(value) else None
        if not (isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple)
                and len(target.elements) == len(value.elements)):
            return None
        elements = [*target.elements, *value.elements]
        names = [e.value.value for e in target.elements if isinstance(e.value, cst.Name)]
        if not all(isinstance(e, cst.Element) for e in elements) or len(set(names)) != len(target.elements):
            return None
        if name not in names or not _empty_list(value.elements[names.index(name)].value):
            return None
        at = names.index(name)
        rest = small.with_changes(targets=[small.targets[0].with_changes(target=_without(target, at))],
                                  value=_without(value, at))
        return target.elements[at].value, rest

    def _guarded(self, loop: cst.CSTNode) -> bool:
        """Whether a `try` or `with` of the loop's scope holds it: an exception it catches would show X."""
        node = self._parent(loop)
        while node is not None and not isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            if isinstance(node, (cst.Try, cst.TryStar, cst.With)):
                return True
            node = self._parent(node)
        return False

    def _dead(self, loop: cst.For, scope, name: str) -> bool:
        """No read of the loop's `name` but the body's can see a value the loop bound; the body's run in place."""
        inside = {id(node) for node in walk(loop.body)}
        for read in reads_of(scope, name, self._parent):
            if not in_place(read, scope, self._scope, self._parent):
                return False
            if id(read) not in inside and not unreached(read, loop, name, self._parent):
                return False
        return True

    def _line(self, name: str, element: cst.BaseExpression, loop: cst.For) -> str | None:
        """`X = [E for T in ITER]`, checked to parse as that comprehension; None when it cannot be one line."""
        try:
            want = [ast.dump(ast.parse(f"(\n{code(node)}\n)", mode="eval").body) for node in (element, loop.iter)]
            want.insert(1, ast.dump(ast.parse(f"for {code(loop.target)} in ():\n pass").body[0].target))
        except SyntaxError:
            return None
        for iterable in (code(loop.iter), f"({code(loop.iter)})"):
            line = f"{name} = [{code(element)} for {code(loop.target)} in {iterable}]"
            if "\n" in line:
                return None
            try:
                comp = ast.parse(line).body[0].value
            except SyntaxError:
                continue
            generator = comp.generators[0] if isinstance(comp, ast.ListComp) and len(comp.generators) == 1 else None
            if generator is not None and not generator.ifs and [ast.dump(n) for n in (
                    comp.elt, generator.target, generator.iter)] == want:
                return line
        return None
