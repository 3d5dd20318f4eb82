"""inline-single-use: a temporary read once, by the very next statement, is replaced by its expression.

    loss_t = -probs[target_id].log()
    losses.append(loss_t)

becomes

    losses.append(-probs[target_id].log())

Conservative, because moving an expression moves the moment it is evaluated:
- the temporary is bound exactly once in its scope and read exactly once, by the next statement, and
  nowhere else (not by a function reading it as a global, not through `global`/`locals()`/`eval`);
- the read is evaluated exactly once: not inside a comprehension body, lambda, `and`/`or` right operand,
  conditional-expression branch, loop condition or f-string (inlining `total = sum(exps)` into
  `[e / total for e in exps]` would sum once per element, and round differently);
- nothing in the statement that runs before the read can change what the expression computes: no calls
  before it, and when the expression itself calls something, no attribute or subscript reads before it
  either (a bound-method lookup such as `losses.append` excepted);
- the resulting line stays within the file's widest line.
One pass inlines non-overlapping pairs; run it again to inline chains.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import ClassScope, ParentNodeProvider, ScopeProvider

from ._shared import DYNAMIC_NAMES, code, comment_text, contains, has_call, max_line_length, names_in, single_small, skip, walk

_TIGHT_PARENTS = (cst.BinaryOperation, cst.UnaryOperation, cst.BooleanOperation, cst.Comparison, cst.Attribute,
                  cst.Subscript, cst.Await, cst.IfExp, cst.ComparisonTarget)
_ATOMIC = (cst.Name, cst.Attribute, cst.Subscript, cst.Call, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString,
           cst.ConcatenatedString, cst.FormattedString, cst.List, cst.Dict, cst.Set, cst.ListComp, cst.SetComp,
           cst.DictComp, cst.GeneratorExp, cst.Ellipsis)


_PRECEDENCE = {cst.Power: 7, cst.Multiply: 5, cst.Divide: 5, cst.FloorDivide: 5, cst.Modulo: 5,
               cst.MatrixMultiply: 5, cst.Add: 4, cst.Subtract: 4, cst.LeftShift: 3, cst.RightShift: 3,
               cst.BitAnd: 2.3, cst.BitXor: 2.2, cst.BitOr: 2.1}


def _needs_parens(value: cst.BaseExpression, parent: cst.CSTNode | None, use: cst.CSTNode) -> bool:
    """Whether `value`, put where `use` was, must be parenthesized to keep the same evaluation."""
    if value.lpar or isinstance(value, _ATOMIC):
        return False
    if isinstance(value, cst.Tuple):
        return True
    if not isinstance(parent, _TIGHT_PARENTS):
        return False
    if isinstance(parent, cst.BinaryOperation) and isinstance(value, (cst.BinaryOperation, cst.UnaryOperation)):
        outer = _PRECEDENCE[type(parent.operator)]
        inner = 6 if isinstance(value, cst.UnaryOperation) else _PRECEDENCE[type(value.operator)]
        if inner > outer:
            return False
        # Same level on the left of a left-associative operator: `a * b / c` is `(a * b) / c`.
        return not (inner == outer and parent.left is use and outer != 7)
    return True


@dataclass(frozen=True)
class _Site:
    assign: cst.SimpleStatementLine  # `t = E`, original node
    use: cst.Name  # the one read of t, original node
    value: cst.BaseExpression
    wrap: bool  # E needs parentheses where it lands


class InlineSingleUse(VisitorBasedCodemodCommand):
    DESCRIPTION = "Inline a temporary that the very next statement reads once, when evaluation order allows."

    METADATA_DEPENDENCIES = (ScopeProvider, ParentNodeProvider)

    def __init__(self, context, name: str | None = None) -> None:
        super().__init__(context)
        self.only = name
        self.sites: dict[int, _Site] = {}  # id(assign statement) -> site
        self.uses: dict[int, _Site] = {}  # id(use Name) -> site

    @staticmethod
    def add_args(arg_parser) -> None:
        arg_parser.add_argument("--name", dest="name", default=None, help="only inline temporaries of this name")

    def visit_Module(self, node: cst.Module) -> bool:
        spelled = names_in(node)
        if spelled & DYNAMIC_NAMES:
            raise skip("the module uses locals()/globals()/eval/exec: any name may be read behind our back")
        declared = {n.name.value for g in walk(node) if isinstance(g, (cst.Global, cst.Nonlocal)) for n in g.names}
        self.width = max_line_length(node)
        for block in walk(node):
            if isinstance(block, (cst.Module, cst.IndentedBlock)):
                taken: set[int] = set()
                for stmt, nxt in zip(block.body, block.body[1:]):
                    if id(stmt) in taken:
                        continue  # its own statement is being removed: leave chains to the next run
                    site = self._site(stmt, nxt, declared)
                    if site is not None:
                        self.sites[id(stmt)] = site
                        self.uses[id(site.use)] = site
                        taken.add(id(nxt))
        return True

    def _site(self, stmt: cst.CSTNode, nxt: cst.CSTNode, declared: set[str]) -> _Site | None:
        small = single_small(stmt)
        if not isinstance(small, cst.Assign) or len(small.targets) != 1:
            return None
        target, value = small.targets[0].target, small.value
        if not isinstance(target, cst.Name) or target.lpar or target.value in declared:
            return None
        if self.only is not None and target.value != self.only:
            return None
        if contains(value, (cst.Yield, cst.Await, cst.NamedExpr)):
            return None
        scope = self.get_metadata(ScopeProvider, target, None)
        if scope is None or isinstance(scope, ClassScope):
            return None
        assignments = list(scope.assignments[target.value])
        if len(assignments) != 1:
            return None
        references = list(assignments[0].references)
        if len(references) != 1:
            return None
        use = references[0].node
        if not isinstance(use, cst.Name) or self.get_metadata(ScopeProvider, use, None) is not scope:
            return None  # read from a comprehension body, a lambda, or another function
        path = self._path(use, nxt)
        if path is None or not self._read_once(path, nxt):
            return None
        if not self._order_kept(use, nxt, has_call(value)):
            return None
        if stmt.trailing_whitespace.comment and not isinstance(nxt, cst.SimpleStatementLine):
            return None  # nowhere sensible to keep the comment
        wrap = _needs_parens(value, path[-2] if len(path) > 1 else None, use)
        extra = len(code(value)) - len(use.value) + (2 if wrap else 0)
        longest = max(len(line) for line in code(nxt).splitlines() if line.strip())
        if "\n" not in code(value).strip() and longest + extra + self._depth(stmt) > self.width:
            return None
        return _Site(stmt, use, value, wrap)

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

    def _order_kept(self, use: cst.Name, stmt: cst.CSTNode, value_calls: bool) -> bool:
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
            if value_calls and isinstance(done, (cst.Attribute, cst.Subscript)) and id(done) not in method_lookups:
                return False
        return True

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        site = self.uses.get(id(original_node))
        if site is None:
            return updated_node
        value = site.value
        if site.wrap:
            value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return value

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not self.sites:
            raise skip("no temporary read once by the very next statement that can be inlined safely")
        return updated_node.with_changes(body=self._drop(original_node.body, updated_node.body))

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        return updated_node.with_changes(body=self._drop(original_node.body, updated_node.body))

    def _drop(self, originals, updated) -> list[cst.BaseStatement]:
        """Remove the inlined assignments; their comments move onto the statement that now holds the value."""
        out: list[cst.BaseStatement] = []
        carry: cst.SimpleStatementLine | None = None
        for original, new in zip(originals, updated):
            if id(original) in self.sites:
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
        else:
            order = list(node.children)
        for child in order:
            if child is not None and visit(child):
                return True
        done.append(node)
        return False

    visit(stmt)
    return done
