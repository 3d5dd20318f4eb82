"""merge-assignments: consecutive plain assignments become one tuple assignment.

    n_embd = 16     # embedding dimension
    n_head = 4      # number of attention heads

becomes

    n_embd, n_head = 16, 4 # embedding dimension; number of attention heads

A tuple assignment evaluates every value first, left to right, then binds the targets left to right, so
each later value moves before the bindings of the earlier targets. A group is refused (it ends) where
- a value reads, or a target binds again, a name an earlier target bound or mutated (`a = 1` then `b = a`);
- a value holds a walrus, `await`, `yield` or a starred element, or `locals()`/`eval`;
- an earlier target is visible to code that may run while a value is computed (an attribute, a name some
  function, lambda or class body reads, a `global`/`nonlocal` name, a class attribute) and the later value
  is not inert: then it may only be names, literals, displays of those and arithmetic of number literals,
  because a call, an operator, attribute read or subscript can run code that reads the earlier target.
  A target no other code can see (a local, a global no function reads) lets any later value move before
  its binding, calls included: `x_residual, x = x, rmsnorm(x)`;
- Python's parser would not read each merged value and target as the tree it was (checked, not assumed).
A blank line or an own-line comment ends a group: it marks a paragraph the author meant. Trailing comments
are joined in target order (prefixed by the target's name when not every line had one); when the joined
comment would make the line wider than the file's widest line, it goes on its own line above, and a group
that saves no line is left alone. Each group is one site; groups never share a statement.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import ClassScope, PositionProvider, ScopeProvider

from ._shared import (DYNAMIC_NAMES, LITERALS, code, comment_text, contains, declared_names, max_line_length, names_in,
                      read_elsewhere, single_small)
from ._runs import RunPlan, RunReplacer
from ._sites import Candidate, SiteChooser

_NEVER = (cst.Await, cst.Yield, cst.NamedExpr, cst.StarredElement, cst.StarredDictElement)  # bind, suspend, spread


@dataclass(frozen=True)
class _Pairs:
    targets: tuple[str, ...]  # as written: `n_embd`, `self.data`
    bases: frozenset[str]  # the names the targets bind or mutate: `n_embd`, `self`
    bound: frozenset[str]  # the names the targets rebind: `n_embd` (not `self`)
    values: tuple[str, ...]
    reads: frozenset[str]  # every name spelled in the values
    comment: str
    comment_ws: str  # the spaces before the `#`
    visible: bool  # some target can be read by code running while a later value is computed
    inert: bool  # every value is inert: computing it runs no user code


def _target(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name) and not node.lpar:
        return node.value
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and not node.lpar:
        return node.value.value
    return None


def _number(node: cst.BaseExpression) -> bool:
    """A number literal, or arithmetic of number literals (`-1`, `2 ** -3`): no variable, no user code."""
    if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary)):
        return True
    if isinstance(node, cst.UnaryOperation):
        return _number(node.expression)
    return isinstance(node, cst.BinaryOperation) and _number(node.left) and _number(node.right)


def _inert(node: cst.BaseExpression) -> bool:
    """Computing `node` runs no user code: names, literals, displays of those, arithmetic of number literals."""
    if isinstance(node, (cst.Name, *LITERALS)) or _number(node):
        return True
    if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
        return all(isinstance(e, cst.Element) and _inert(e.value) for e in node.elements)
    if isinstance(node, cst.Dict):
        return all(isinstance(e, cst.DictElement) and _inert(e.key) and _inert(e.value) for e in node.elements)
    return False


class MergeAssignments(SiteChooser, RunReplacer, VisitorBasedCodemodCommand):
    DESCRIPTION = "Merge consecutive independent plain assignments into one tuple assignment."

    METADATA_DEPENDENCIES = (ScopeProvider, PositionProvider)

    def __init__(self, context, sites=None) -> None:
        super().__init__(context)
        self.init_sites(sites)
        self.plans: dict[tuple[int, int], RunPlan] = {}  # (block id, start index) -> plan

    def visit_Module(self, node: cst.Module) -> bool:
        self.width = max_line_length(node)
        self.declared = declared_names(node)
        found: list[Candidate[RunPlan]] = []
        blocks: list[tuple[cst.CSTNode, int]] = [(node, 0)]
        while blocks:
            block, depth = blocks.pop()
            found.extend(self._candidates(block, self.module.default_indent * depth))
            blocks.extend(_blocks_in(block, depth))
        for plan in self.choose(found, "no consecutive independent plain assignments to merge"):
            self.plans[plan.block, plan.start] = plan
        return True

    def _candidates(self, block: cst.Module | cst.IndentedBlock, indent: str) -> list[Candidate[RunPlan]]:
        stmts, out, i = block.body, [], 0
        while i < len(stmts):
            group = self._group_at(stmts, i, indent)
            rewritten = self._rewrite(stmts[i], group, indent) if len(group) >= 2 else None
            if rewritten is not None and 1 + rewritten[1] < len(group):  # only when it saves a line
                start = self.get_metadata(PositionProvider, stmts[i]).start
                names = ", ".join(f"`{t}`" for p in group for t in p.targets)
                summary = f"merge {names} into one assignment (lines {start.line}-{start.line + len(group) - 1})"
                plan = RunPlan(id(block), i, len(group), rewritten[0])
                out.append(Candidate(start.line, start.column, summary, plan))
                i += len(group)
            else:
                i += 1
        return out

    def _pairs(self, stmt: cst.CSTNode) -> _Pairs | None:
        small = single_small(stmt)
        if not isinstance(small, cst.Assign) or len(small.targets) != 1:
            return None
        target, value = small.targets[0].target, small.value
        if contains(value, _NEVER) or names_in(value) & DYNAMIC_NAMES:
            return None
        if isinstance(target, cst.Tuple) and not target.lpar:
            if not (isinstance(value, cst.Tuple) and not value.lpar and len(value.elements) == len(target.elements)):
                return None
            targets, values = [e.value for e in target.elements], [e.value for e in value.elements]
        else:
            targets, values = [target], [value]
        bases = [_target(t) for t in targets]
        if None in bases or len(set(code(t) for t in targets)) != len(targets):
            return None
        rendered = tuple(f"({code(v)})" if isinstance(v, cst.Tuple) and not v.lpar else code(v) for v in values)
        bound = frozenset(code(t) for t in targets if isinstance(t, cst.Name))
        visible = any(not isinstance(t, cst.Name) or self._visible(t) for t in targets)
        return _Pairs(tuple(code(t) for t in targets), frozenset(bases), bound, rendered, frozenset(names_in(value)),
                      comment_text(stmt.trailing_whitespace.comment), stmt.trailing_whitespace.whitespace.value,
                      visible, all(_inert(v) for v in values))

    def _visible(self, target: cst.Name) -> bool:
        """Whether code other than this scope's own statements (a dunder method, say) may read the name."""
        scope = self.get_metadata(ScopeProvider, target, None)
        if scope is None or isinstance(scope, ClassScope) or target.value in self.declared:
            return True
        return read_elsewhere(lambda node: self.get_metadata(ScopeProvider, node, None), scope, target.value)

    def _group_at(self, stmts, start: int, indent: str) -> list[_Pairs]:
        first = self._pairs(stmts[start])
        if first is None:
            return []
        group = [first]
        for stmt in stmts[start + 1:]:
            pairs = self._pairs(stmt)
            if pairs is None or stmt.leading_lines:
                break
            touched = set().union(*(p.bases for p in group))  # `n_embd`, and `self` for `self.data`
            rebound = set().union(*(p.bound for p in group))
            targets = set().union(*(p.targets for p in group))
            if pairs.reads & touched or pairs.bound & touched or pairs.bases & rebound or targets & set(pairs.targets):
                break  # it reads, or binds again, what the group just wrote
            if any(p.visible for p in group) and not pairs.inert:
                break  # computing it might run code that reads an earlier target before that target is bound
            candidate = [*group, pairs]
            if len(indent) + len(_code_line(candidate)) > self.width:
                break
            group.append(pairs)
        return group

    def _rewrite(self, first_stmt: cst.SimpleStatementLine, group: list[_Pairs],
                 indent: str) -> tuple[cst.BaseStatement, int] | None:
        """The merged line and how many comment lines it needs above it; None when it should not be merged."""
        if not _same_trees(group):
            return None
        line = cst.parse_statement(_code_line(group) + "\n", config=self.module.config_for_parsing)
        comments = [p for p in group if p.comment]
        leading = list(first_stmt.leading_lines)
        trailing = cst.TrailingWhitespace()
        if comments:
            if len(comments) == len(group):
                text = "; ".join(p.comment for p in group)
            else:
                text = "; ".join(f"{', '.join(p.targets)}: {p.comment}" for p in comments)
            whitespace = comments[0].comment_ws or "  "
            if len(indent) + len(_code_line(group)) + len(whitespace) + 2 + len(text) <= self.width:
                trailing = cst.TrailingWhitespace(cst.SimpleWhitespace(whitespace), cst.Comment(f"# {text}"))
            elif len(indent) + 2 + len(text) <= self.width:
                leading.append(cst.EmptyLine(indent=True, comment=cst.Comment(f"# {text}")))
            else:
                return None  # the comments do not fit one line: merging would lose or mangle them
        merged = line.with_changes(leading_lines=leading, trailing_whitespace=trailing)
        return merged, len(leading) - len(first_stmt.leading_lines)

def _blocks_in(node: cst.CSTNode, depth: int) -> list[tuple[cst.CSTNode, int]]:
    """The indented blocks directly under `node`'s statements (not under those blocks), with their depth."""
    found: list[tuple[cst.CSTNode, int]] = []
    for child in node.children:
        if isinstance(child, cst.IndentedBlock):
            found.append((child, depth + 1))
        else:
            found.extend(_blocks_in(child, depth))
    return found


def _code_line(group: list[_Pairs]) -> str:
    targets = [t for p in group for t in p.targets]
    values = [v for p in group for v in p.values]
    return f"{', '.join(targets)} = {', '.join(values)}"


def _same_trees(group: list[_Pairs]) -> bool:
    """Python's parser reads the merged line as the tuple of the very targets and values it was made of."""
    try:
        merged = ast.parse(_code_line(group)).body[0]
        targets = [ast.parse(f"{t} = 0").body[0].targets[0] for p in group for t in p.targets]
        values = [ast.parse(f"(\n{v}\n)", mode="eval").body for p in group for v in p.values]
    except SyntaxError:
        return False
    if not (isinstance(merged, ast.Assign) and isinstance(merged.targets[0], ast.Tuple)):
        return False
    return ([ast.dump(t) for t in merged.targets[0].elts] == [ast.dump(t) for t in targets]
            and [ast.dump(v) for v in merged.value.elts] == [ast.dump(v) for v in values])
