"""merge-assignments: consecutive plain assignments become one tuple assignment.

    n_embd = 16     # embedding dimension
    n_head = 4      # number of attention heads

becomes

    n_embd, n_head = 16, 4 # embedding dimension; number of attention heads

A tuple assignment evaluates every value first, left to right, then binds the targets left to right,
so the merge is exact when no value reads a target bound earlier in the group. Conservative on
purpose: the values may hold names, literals, operators, subscripts and attribute reads, but no calls
(a call could read a global the group just rebound), no comprehensions, lambdas or walrus. A blank line
or an own-line comment ends a group: it marks a paragraph the author meant. Trailing comments are joined
in target order (prefixed by the target's name when not every line had one); when the joined comment would
make the line wider than the file's widest line, it goes on its own line above.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand

from ._shared import DYNAMIC_NAMES, code, comment_text, contains, max_line_length, names_in, single_small, skip

_IMPURE = (cst.Call, cst.Await, cst.Yield, cst.NamedExpr, cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp,
           cst.GeneratorExp, cst.StarredElement)


@dataclass(frozen=True)
class _Pairs:
    targets: tuple[str, ...]  # as written: `n_embd`, `self.data`
    bases: frozenset[str]  # the names the targets bind or mutate: `n_embd`, `self`
    bound: frozenset[str]  # the names the targets rebind: `n_embd` (not `self`)
    values: tuple[str, ...]
    reads: frozenset[str]  # every name spelled in the values
    comment: str
    comment_ws: str  # the spaces before the `#`


def _target(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name) and not node.lpar:
        return node.value
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and not node.lpar:
        return node.value.value
    return None


def _pairs(stmt: cst.CSTNode) -> _Pairs | None:
    small = single_small(stmt)
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    target, value = small.targets[0].target, small.value
    if contains(value, _IMPURE) or names_in(value) & DYNAMIC_NAMES:
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
    return _Pairs(tuple(code(t) for t in targets), frozenset(bases), bound, rendered, frozenset(names_in(value)),
                  comment_text(stmt.trailing_whitespace.comment), stmt.trailing_whitespace.whitespace.value)


class MergeAssignments(VisitorBasedCodemodCommand):
    DESCRIPTION = "Merge consecutive independent plain assignments into one tuple assignment."

    def __init__(self, context) -> None:
        super().__init__(context)
        self.changed = 0
        self.width = 88

    def visit_Module(self, node: cst.Module) -> bool:
        self.width = max_line_length(node)
        return True

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        updated_node = updated_node.with_changes(body=self._merge(updated_node.body, ""))
        if not self.changed:
            raise skip("no consecutive independent plain assignments to merge")
        return updated_node

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        return updated_node.with_changes(body=self._merge(updated_node.body, self._indent_for(original_node)))

    def _indent_for(self, block: cst.IndentedBlock) -> str:
        # Width checks only need a good estimate: count enclosing blocks by position in the original code.
        return self.module.default_indent * self._depth.get(id(block), 1)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self._depth: dict[int, int] = {}

        def mark(node: cst.CSTNode, depth: int) -> None:
            for child in node.children:
                if isinstance(child, cst.IndentedBlock):
                    self._depth[id(child)] = depth + 1
                    mark(child, depth + 1)
                else:
                    mark(child, depth)

        mark(tree, 0)
        return super().transform_module_impl(tree)

    def _merge(self, stmts, indent: str) -> list[cst.BaseStatement]:
        out: list[cst.BaseStatement] = []
        i = 0
        while i < len(stmts):
            group = self._group_at(stmts, i, indent)
            if len(group) >= 2:
                rewritten = self._rewrite(stmts[i], group, indent)
                if rewritten is not None and 1 + rewritten[1] < len(group):  # only when it saves a line
                    merged = rewritten[0]
                    out.append(merged)
                    self.changed += 1
                    i += len(group)
                    continue
            out.append(stmts[i])
            i += 1
        return out

    def _group_at(self, stmts, start: int, indent: str) -> list[_Pairs]:
        first = _pairs(stmts[start])
        if first is None:
            return []
        group = [first]
        for stmt in stmts[start + 1:]:
            pairs = _pairs(stmt)
            if pairs is None or stmt.leading_lines:
                break
            touched = set().union(*(p.bases for p in group))  # `n_embd`, and `self` for `self.data`
            rebound = set().union(*(p.bound for p in group))
            targets = set().union(*(p.targets for p in group))
            if pairs.reads & touched or pairs.bound & touched or pairs.bases & rebound or targets & set(pairs.targets):
                break  # it reads, or binds again, what the group just wrote
            candidate = [*group, pairs]
            if len(indent) + len(_code_line(candidate)) > self.width:
                break
            group.append(pairs)
        return group

    def _rewrite(self, first_stmt: cst.SimpleStatementLine, group: list[_Pairs], indent: str) -> tuple[cst.BaseStatement, int] | None:
        """The merged line and how many comment lines it needs above it; None when it should not be merged."""
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


def _code_line(group: list[_Pairs]) -> str:
    targets = [t for p in group for t in p.targets]
    values = [v for p in group for v in p.values]
    return f"{', '.join(targets)} = {', '.join(values)}"
