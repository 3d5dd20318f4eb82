"""inline-single-use: a temporary read once, by the very next statement, is replaced by its expression.

    loss_t = -probs[target_id].log()
    losses.append(loss_t)

becomes

    losses.append(-probs[target_id].log())

Conservative, because moving an expression moves the moment it is evaluated. A site is refused unless
- the temporary is bound exactly once in its scope and read exactly once, by the next statement, and
  nowhere else (not by a function reading it as a global, not named by `global`/`nonlocal`, no `eval`);
  or the next statement binds the same name again and reads it exactly once (`x = A` then `x = f(x)`
  becomes `x = f(A)`): then that read is the only one the first binding reaches, provided no function,
  lambda or class body reads the name; or the name is a temporary reused across the scope, every read of
  it in a statement right after a plain assignment of it (each read then sees only the binding before it);
- the read is evaluated exactly once: not inside a comprehension body, lambda, `and`/`or` right operand,
  conditional-expression branch, loop condition or f-string (inlining `total = sum(exps)` into
  `[e / total for e in exps]` would sum once per element, and round differently);
- nothing the statement evaluates before the read can change, or be changed by, the moved expression: no
  call, await or walrus before it; and when the expression itself calls something, nothing before it but
  literals, names that no `global`/`nonlocal` names, and the method lookup of a call it is an argument of
  (`losses.append`); no `f(k=..., *args)`, whose arguments run out of textual order;
- Python's parser reads the result as the same tree: the expression goes in bare when that means the same,
  else in parentheses (`t = not a` then `return t + x` gives `return (not a) + x`);
- the resulting line stays within the file's widest line.
It assumes attribute reads, subscripts and operators change nothing (calls may change anything), and that
no exception raised mid-statement is caught. Sites never overlap: a statement that receives an inlined
value is not itself inlined in the same pass (run it again for chains), so any subset of sites is sound.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import ClassScope, ParentNodeProvider, PositionProvider, ScopeProvider

from ._shared import (DYNAMIC_NAMES, LITERALS, code, comment_text, contains, declared_names, has_call,
                      max_line_length, names_in, option, placed, read_elsewhere, single_small, skip, walk)
from ._sites import Candidate, SiteChooser


@dataclass(frozen=True)
class _Plan:
    assign: cst.SimpleStatementLine  # `t = E`, original node
    use: cst.Name  # the one read of t, original node
    value: cst.BaseExpression  # E as it goes where t was: bare or in parentheses


class InlineSingleUse(SiteChooser, VisitorBasedCodemodCommand):
    DESCRIPTION = "Inline a temporary that the very next statement reads once, when evaluation order allows."

    METADATA_DEPENDENCIES = (ScopeProvider, ParentNodeProvider, PositionProvider)

    def __init__(self, context, name: str | None = None, sites=None) -> None:
        super().__init__(context)
        self.only = option(name, str, "name")
        self.init_sites(sites)
        self.plans: dict[int, _Plan] = {}  # id(assign statement) -> plan
        self.uses: dict[int, _Plan] = {}  # id(use Name) -> plan

    @staticmethod
    def add_args(arg_parser) -> None:
        arg_parser.add_argument("--name", dest="name", default=None, help="only inline temporaries of this name")

    def visit_Module(self, node: cst.Module) -> bool:
        if names_in(node) & DYNAMIC_NAMES:
            raise skip("the module uses locals()/globals()/eval/exec: any name may be read behind our back")
        declared = declared_names(node)
        self.width = max_line_length(node)
        found: list[Candidate[_Plan]] = []
        for block in walk(node):
            if isinstance(block, (cst.Module, cst.IndentedBlock)):
                taken: set[int] = set()
                for stmt, nxt in zip(block.body, block.body[1:]):
                    if id(stmt) in taken:
                        continue  # it receives a value already: offering it too would make sites interact
                    plan = self._plan(stmt, nxt, declared)
                    if plan is not None:
                        start = self.get_metadata(PositionProvider, stmt).start
                        into = self.get_metadata(PositionProvider, plan.use).start.line
                        target = plan.assign.body[0].targets[0].target.value
                        found.append(Candidate(start.line, start.column, f"inline `{target}` into line {into}", plan))
                        taken.add(id(nxt))
        for plan in self.choose(found, "no temporary read once by the very next statement that can be inlined safely"):
            self.plans[id(plan.assign)] = plan
            self.uses[id(plan.use)] = plan
        return True

    def _plan(self, stmt: cst.CSTNode, nxt: cst.CSTNode, declared: set[str]) -> _Plan | None:
        small = single_small(stmt)
        if not isinstance(small, cst.Assign) or len(small.targets) != 1:
            return None
        target, value = small.targets[0].target, small.value
        if not isinstance(target, cst.Name) or target.lpar or target.value in declared:
            return None
        if self.only is not None and target.value != self.only:
            return None
        if contains(value, (cst.Yield, cst.Await, cst.NamedExpr)) or contains(nxt, (cst.NamedExpr,)):
            return None  # a walrus in the next statement could bind what the moved value reads
        scope = self.get_metadata(ScopeProvider, target, None)
        if scope is None or isinstance(scope, ClassScope):
            return None
        assignments = list(scope.assignments[target.value])
        if len(assignments) == 1:
            references = list(assignments[0].references)
            if len(references) != 1:
                return None
            use = references[0].node
        else:
            use = self._rebinding_read(target.value, nxt, scope) or self._reused_name_read(target.value, nxt, scope)
            if use is None:
                return None
        if not isinstance(use, cst.Name) or self.get_metadata(ScopeProvider, use, None) is not scope:
            return None  # read from a comprehension body, a lambda, or another function
        path = self._path(use, nxt)
        if path is None or not self._read_once(path, nxt) or _keywords_before_star(nxt):
            return None
        if not self._order_kept(use, nxt, has_call(value), declared):
            return None
        if stmt.trailing_whitespace.comment and not isinstance(nxt, cst.SimpleStatementLine):
            return None  # nowhere sensible to keep the comment
        inlined = placed(nxt, use, value)
        if inlined is None:
            return None
        extra = len(code(inlined)) - len(use.value)
        longest = max(len(line) for line in code(nxt).splitlines() if line.strip())
        if "\n" not in code(value).strip() and longest + extra + self._depth(stmt) > self.width:
            return None
        return _Plan(stmt, use, inlined)

    def _rebinding_read(self, name: str, nxt: cst.CSTNode, scope) -> cst.Name | None:
        """The one read of `name` in `nxt` when `nxt` is `name = ...` reading it once: then the earlier binding
        reaches that read and no other (`x = A` then `x = f(x)`), however often the scope binds `name`, as long
        as no function, lambda or class body can read it at another moment."""
        small = single_small(nxt)
        if not isinstance(small, cst.Assign) or len(small.targets) != 1:
            return None
        target = small.targets[0].target
        if not isinstance(target, cst.Name) or target.value != name:
            return None
        reads = [node for node in walk(small.value) if isinstance(node, cst.Name) and node.value == name]
        if len(reads) != 1 or read_elsewhere(lambda node: self.get_metadata(ScopeProvider, node, None), scope, name):
            return None
        return reads[0]

    def _reused_name_read(self, name: str, nxt: cst.CSTNode, scope) -> cst.Name | None:
        """The one read of `name` in `nxt` when the name is reused as a temporary: every read of it in the scope
        sits in a statement right after a plain assignment of it, in the same block (`logits = gpt(...)` then
        `probs = softmax(logits)`, in two loops). Each read then sees the binding just before it, and no other."""
        if read_elsewhere(lambda node: self.get_metadata(ScopeProvider, node, None), scope, name):
            return None
        reads = [access.node for access in scope.accesses[name]]
        mine = [node for node in reads if self._statement_of(node) is nxt]
        if len(mine) != 1 or not all(self._right_after_binding(node, name) for node in reads):
            return None
        return mine[0]

    def _statement_of(self, node: cst.CSTNode) -> cst.CSTNode | None:
        while node is not None and not isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            node = self.get_metadata(ParentNodeProvider, node, None)
        return node

    def _right_after_binding(self, node: cst.CSTNode, name: str) -> bool:
        statement = self._statement_of(node)
        block = self.get_metadata(ParentNodeProvider, statement, None) if statement is not None else None
        body = list(getattr(block, "body", ()))
        if statement not in body or body.index(statement) == 0:
            return False
        small = single_small(body[body.index(statement) - 1])
        return (isinstance(small, cst.Assign) and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name) and small.targets[0].target.value == name)

    def _depth(self, node: cst.CSTNode) -> int:
        depth = 0
        while (node := self.get_metadata(ParentNodeProvider, node, None)) is not None:
            depth += isinstance(node, cst.IndentedBlock)
        return depth * len(self.module.default_indent)

    def _path(self, use: cst.CSTNode, stmt: cst.CSTNode) -> list[cst.CSTNode] | None:
        """Ancestors of `use` from `stmt` down to `use`, or None when `use` is not inside `stmt`."""
        path = [use]
        node = use
        while node is not stmt:
            node = self.get_metadata(ParentNodeProvider, node, None)
            if node is None:
                return None
            path.append(node)
        return path[::-1]

    @staticmethod
    def _read_once(path: list[cst.CSTNode], stmt: cst.CSTNode) -> bool:
        """The read is evaluated exactly once whenever the statement runs."""
        if isinstance(stmt, cst.If):
            ok_header = path[1] is stmt.test
        elif isinstance(stmt, cst.For):
            ok_header = path[1] is stmt.iter
        else:
            ok_header = isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1
        if not ok_header:
            return False
        for parent, child in zip(path, path[1:]):
            if isinstance(parent, cst.BooleanOperation) and child is parent.right:
                return False
            if isinstance(parent, cst.IfExp) and child is not parent.test:
                return False
            if isinstance(parent, (cst.Lambda, cst.FormattedStringExpression, cst.While, cst.CompFor)):
                if isinstance(parent, cst.CompFor) and child is parent.iter:
                    continue  # the first iterable of a comprehension is evaluated once, outside it
                return False
        return True

    def _order_kept(self, use: cst.Name, stmt: cst.CSTNode, value_calls: bool, declared: set[str]) -> bool:
        """Nothing evaluated in `stmt` before the read could change (or be changed by) the moved expression."""
        ancestors = set()
        node = use
        while node is not stmt:
            node = self.get_metadata(ParentNodeProvider, node)
            ancestors.add(id(node))
        method_lookups = {id(n.func) for n in walk(stmt) if isinstance(n, cst.Call) and id(n) in ancestors
                          and isinstance(n.func, cst.Attribute) and isinstance(n.func.value, cst.Name)}
        for done in _completed_before(stmt, use):
            if isinstance(done, (cst.Call, cst.Await, cst.Yield)):
                return False
            if not value_calls or id(done) in method_lookups or isinstance(done, LITERALS) or _plain_display(done):
                continue
            # The moved expression calls something, which may mutate any object or rebind a declared name:
            # only plain names it cannot rebind may be read before it.
            if isinstance(done, cst.Name) and done.value in declared:
                return False
            if isinstance(done, cst.BaseExpression) and not isinstance(done, cst.Name):
                return False
        return True

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        plan = self.uses.get(id(original_node))
        return updated_node if plan is None else plan.value

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return updated_node.with_changes(body=self._drop(original_node.body, updated_node.body))

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock,
                            updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        return updated_node.with_changes(body=self._drop(original_node.body, updated_node.body))

    def _drop(self, originals, updated) -> list[cst.BaseStatement]:
        """Remove the inlined assignments; their comments move onto the statement that now holds the value."""
        out: list[cst.BaseStatement] = []
        carry: cst.SimpleStatementLine | None = None
        for original, new in zip(originals, updated):
            if id(original) in self.plans:
                carry = new
                continue
            if carry is not None:
                changes = {"leading_lines": [*carry.leading_lines, *new.leading_lines]}
                moved = carry.trailing_whitespace.comment
                if moved is not None:
                    mine = new.trailing_whitespace.comment
                    text = f"{comment_text(mine)}; {comment_text(moved)}" if mine else comment_text(moved)
                    whitespace = new.trailing_whitespace.whitespace if mine else carry.trailing_whitespace.whitespace
                    changes["trailing_whitespace"] = cst.TrailingWhitespace(whitespace, cst.Comment(f"# {text}"))
                new = new.with_changes(**changes)
                carry = None
            out.append(new)
        return out


def _keywords_before_star(stmt: cst.CSTNode) -> bool:
    """Whether a call in `stmt` has `*args` after a keyword argument: Python evaluates those out of textual order."""
    for call in walk(stmt):
        if isinstance(call, cst.Call):
            keyword = False
            for arg in call.args:
                keyword = keyword or bool(arg.keyword) or arg.star == "**"
                if keyword and arg.star == "*":
                    return True
    return False


def _plain_display(node: cst.CSTNode) -> bool:
    """`[BOS]`, `(a, 1)`: a display of names and literals builds a new object and runs no code of anyone's."""
    return isinstance(node, (cst.List, cst.Tuple, cst.Set)) and all(
        isinstance(e, cst.Element) and isinstance(e.value, (cst.Name, *LITERALS)) for e in node.elements)


def _completed_before(stmt: cst.CSTNode, use: cst.CSTNode) -> list[cst.CSTNode]:
    """Nodes of `stmt` whose evaluation finishes before `use` is read, in Python's evaluation order."""
    done: list[cst.CSTNode] = []

    def visit(node: cst.CSTNode) -> bool:  # True once `use` is reached
        if node is use:
            return True
        if isinstance(node, cst.Assign):
            order = [node.value, *node.targets]
        elif isinstance(node, cst.AnnAssign):
            order = [node.value, node.target] if node.value is not None else [node.target]
        elif isinstance(node, cst.IfExp):
            order = [node.test, node.body, node.orelse]
        elif isinstance(node, (cst.If, cst.For)):
            order = [node.test if isinstance(node, cst.If) else node.iter]
        elif isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            # The first iterable is evaluated first, once, in the enclosing scope; the body only after it.
            order = [node.for_in.iter]
        else:
            order = list(node.children)
        for child in order:
            if child is not None and visit(child):
                return True
        done.append(node)
        return False

    visit(stmt)
    return done
