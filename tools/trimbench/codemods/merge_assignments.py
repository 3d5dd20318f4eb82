"""merge-assignments: consecutive plain assignments become one tuple assignment.

    n_embd = 16     # embedding dimension
    n_head = 4      # number of attention heads

becomes

    n_embd, n_head = 16, 4 # embedding dimension; number of attention heads

A tuple assignment evaluates every value first, left to right, then binds the targets left to right, so
each later value moves before the bindings of the earlier targets. A target is a name, `name.attr`, or
`name[index]` with a name or an integer as index. A group is refused (it ends) where
- a value reads, or a target binds again, a name an earlier target bound or mutated (`a = 1` then `b = a`),
  or a target binds a name an earlier target's index reads (`m[i] = 0` then `i = 1`);
- a value holds a walrus, `await`, `yield` or a starred element; a value or target spans lines; a trailing
  comment is a tool pragma (`# noqa` covers its own line);
- an earlier target is visible to code that may run while a value is computed (an attribute, a name some
  function, lambda, class body or kept generator expression reads, a `global`/`nonlocal` name, a class
  attribute, a subscript not proven private) and the later value is not inert (_values.py: names,
  literals, displays, empty builtin containers such as `set()`: no user code) or reads a `global`/`nonlocal`
  name (the earlier store may run a `__setattr__` that rebinds it). A target no other code can see lets any
  later value move before its binding, calls included: `x_residual, x = x, rmsnorm(x)`;
- a subscript `m[i]` is not visible only when its store can neither fail nor run code nor be seen: `m` is a
  private list (_bindings.py: every binding a new list, never aliased nor resized, read by no other code),
  `i` an integer literal or a name no `global`/`nonlocal` names whose every binding is a number, and its own
  value surely loads the very `m[i]` (_values.py: not in a branch that may be skipped). So `i` is an int
  within range, and stays so until the store: nothing else can resize `m` or rebind `i`. Hence Adam's
  `m[i] = beta1 * m[i] + ...` and `v[i] = beta2 * v[i] + ...` merge (the second value does not spell `m`:
  first rule), while after an unproven subscript only inert values may follow, as after an attribute;
- in a block inside a `try` or `with` of its scope, a later value that is not constant (it may fail, and the
  handler would find the earlier targets unbound);
- Python's parser would not read each merged value and target as the tree it was (checked, not assumed).
One more assignment may move up its block to join a group (`x_attn = []` joins `v = linear(...)` over two
`append` calls): when its targets are names no other code can see, its values are empty containers (`[]`, `{}`,
`()`, `set()`...: a collector started early; they read nothing and cannot fail, so computing them earlier
changes nothing; a setting such as `num_steps = 5` is left where its author put it), and
the group's last statement is the nearest assignment above it. The statements in between must be simple
(expressions, assignments it cannot merge such as `a = b = 0`, augmented or annotated ones, `pass`: no loop
that could read the name on a second pass, no `return` or `break` that would skip it), spell none of its
names, and have no blank line or own-line comment before them (nor the moved one); and no `try`/`with` of the
scope encloses them, since an exception they raise could be caught.
A blank line or an own-line comment ends a group: it marks a paragraph the author meant. Trailing comments
are joined in target order (prefixed by the target's name when not every line had one); when the joined
comment would make the line wider than the file's widest line, it goes above, wrapped word for word over as
few full-line comment lines as fit, and a group that saves no line is left alone. Each group is one site;
groups never share a statement. A module spelling a dynamic name (`globals()`, `eval`, ...) or a line reader
(it may read the line numbers this changes) is skipped. Assumed as for every codemod: an exception nothing
catches ends the program, which no function reading a target observes; a finalizer (`__del__`) of a value a
store replaces does nothing observable.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import ClassScope, ExpressionContextProvider, ParentNodeProvider, PositionProvider, ScopeProvider

from ._bindings import Bindings
from ._runs import RunPlan, RunReplacer
from ._shared import (DYNAMIC_NAMES, LINE_READERS, code, comment_text, contains, declared_names, fill, is_pragma,
                      max_line_length, names_in, read_elsewhere, single_small, skip, spelled)
from ._sites import Candidate, SiteChooser
from ._values import constant, empty_container, inert, surely_reads

_NEVER = (cst.Await, cst.Yield, cst.NamedExpr, cst.StarredElement, cst.StarredDictElement)  # bind, suspend, spread
_BETWEEN = (cst.Expr, cst.AugAssign, cst.AnnAssign, cst.Assign, cst.Pass)  # what a moving assignment may pass
_GUARDS = (cst.Try, cst.TryStar, cst.With)  # they may catch an exception of the statements inside


@dataclass(frozen=True)
class _Pairs:
    targets: tuple[str, ...]  # as written: `n_embd`, `self.data`, `m[i]`
    bases: frozenset[str]  # the names the targets bind or mutate: `n_embd`, `self`, `m`
    bound: frozenset[str]  # the names the targets rebind: `n_embd` (not `self`)
    pinned: frozenset[str]  # the names the targets' indices read: `i`
    values: tuple[str, ...]
    reads: frozenset[str]  # every name spelled in the values and in the targets' indices
    comment: str
    comment_ws: str  # the spaces before the `#`
    visible: bool  # some target can be read by code running while a later value is computed
    inert: bool  # every value is inert: computing it runs no user code
    constant: bool  # every value is constant: it reads nothing, runs nothing, cannot fail
    empty: bool  # every value is a new empty container: the one kind of line that may move up to join a group


def _base(node: cst.BaseExpression) -> str | None:
    """The name a target binds or mutates: `n`, `self` for `self.data`, `m` for `m[i]`; None for other targets."""
    if node.lpar:
        return None
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
        return node.value.value
    index = node.slice[0].slice if isinstance(node, cst.Subscript) and len(node.slice) == 1 else None
    if isinstance(index, cst.Index) and not index.star and isinstance(index.value, (cst.Name, cst.Integer)):
        return node.value.value if isinstance(node.value, cst.Name) else None
    return None


class MergeAssignments(SiteChooser, RunReplacer, VisitorBasedCodemodCommand):
    DESCRIPTION = "Merge consecutive independent plain assignments into one tuple assignment."

    METADATA_DEPENDENCIES = (ScopeProvider, PositionProvider, ParentNodeProvider, ExpressionContextProvider)

    def __init__(self, context, sites=None) -> None:
        super().__init__(context)
        self.init_sites(sites)
        self.plans: dict[tuple[int, int], RunPlan] = {}  # (block id, start index) -> plan
        self.pairs: dict[int, _Pairs | None] = {}  # statement id -> what it assigns, once computed

    def visit_Module(self, node: cst.Module) -> bool:
        if unsafe := spelled(node, DYNAMIC_NAMES | LINE_READERS):
            raise skip(f"the module spells {', '.join(unsafe)}: it may see its names or line numbers change")
        self.width = max_line_length(node)
        self.declared = declared_names(node)
        self.bindings = Bindings(self, self.declared)
        found: list[Candidate[tuple[RunPlan, ...]]] = []
        blocks: list[tuple[cst.CSTNode, int, bool]] = [(node, 0, False)]
        while blocks:
            block, depth, guarded = blocks.pop()
            found.extend(self._candidates(block, self.module.default_indent * depth, guarded))
            blocks.extend(_blocks_in(block, depth, guarded))
        for plans in self.choose(found, "no consecutive independent plain assignments to merge"):
            self.plans.update({(plan.block, plan.start): plan for plan in plans})
        return True

    def _candidates(self, block, indent: str, guarded: bool) -> list[Candidate[tuple[RunPlan, ...]]]:
        stmts, out, i = block.body, [], 0
        while i < len(stmts):
            group = self._group_at(stmts, i, indent, guarded)
            moved = self._moving_up(stmts, i + len(group), group, indent) if group and not guarded else None
            for extra in ([moved] if moved else []) + [None]:
                members = [*group, extra[1]] if extra else group
                rewritten = self._rewrite(stmts[i], members, indent) if len(members) >= 2 else None
                if rewritten is not None and 1 + rewritten[1] < len(members):  # only when it saves a line
                    start = self.get_metadata(PositionProvider, stmts[i]).start
                    names = ", ".join(f"`{t}`" for p in members for t in p.targets)
                    last = start.line + len(group) - 1
                    lines = f"lines {start.line}-{last}" if len(group) > 1 else f"line {start.line}"
                    summary = f"merge {names} into one assignment ({lines}"
                    plans = [RunPlan(id(block), i, len(group), rewritten[0])]
                    if extra:
                        summary += f", and line {self.get_metadata(PositionProvider, stmts[extra[0]]).start.line}"
                        plans.append(RunPlan(id(block), extra[0], 1, None))
                    out.append(Candidate(start.line, start.column, summary + ")", tuple(plans)))
                    i = extra[0] if extra else i + len(group) - 1
                    break
            i += 1
        return out

    def _pairs(self, stmt: cst.CSTNode) -> _Pairs | None:
        if id(stmt) not in self.pairs:
            self.pairs[id(stmt)] = self._pairs_of(stmt)
        return self.pairs[id(stmt)]

    def _pairs_of(self, stmt: cst.CSTNode) -> _Pairs | None:
        small = single_small(stmt)
        if not isinstance(small, cst.Assign) or len(small.targets) != 1 or is_pragma(stmt.trailing_whitespace.comment):
            return None
        target, value = small.targets[0].target, small.value
        if contains(value, _NEVER):
            return None
        if isinstance(target, cst.Tuple) and not target.lpar:
            if not (isinstance(value, cst.Tuple) and not value.lpar and len(value.elements) == len(target.elements)):
                return None
            targets, values = [e.value for e in target.elements], [e.value for e in value.elements]
        else:
            targets, values = [target], [value]
        bases = [_base(t) for t in targets]
        if None in bases or len(set(code(t) for t in targets)) != len(targets):
            return None
        rendered = tuple(f"({code(v)})" if isinstance(v, cst.Tuple) and not v.lpar else code(v) for v in values)
        if any("\n" in text for text in (*rendered, *map(code, targets))):
            return None
        indices = [t.slice[0].slice.value for t in targets if isinstance(t, cst.Subscript)]
        pinned = frozenset(i.value for i in indices if isinstance(i, cst.Name))
        return _Pairs(tuple(code(t) for t in targets), frozenset(bases),
                      frozenset(t.value for t in targets if isinstance(t, cst.Name)), pinned, rendered,
                      frozenset(names_in(value)) | pinned, comment_text(stmt.trailing_whitespace.comment),
                      stmt.trailing_whitespace.whitespace.value, any(map(self._visible, targets, values)),
                      all(inert(v, self.bindings) for v in values), all(constant(v, self.bindings) for v in values),
                      all(empty_container(v, self.bindings) for v in values))

    def _visible(self, target: cst.BaseExpression, value: cst.BaseExpression) -> bool:
        """Whether code other than this scope's own statements (a dunder method, say) may see the store."""
        if isinstance(target, cst.Subscript):
            index = target.slice[0].slice.value
            return not (self.bindings.private_fixed_list(target.value) and surely_reads(value, target)
                        and (isinstance(index, cst.Integer) or self.bindings.numeric(index)))
        if not isinstance(target, cst.Name):
            return True
        scope = self.get_metadata(ScopeProvider, target, None)
        if scope is None or isinstance(scope, ClassScope) or target.value in self.declared:
            return True
        return read_elsewhere(lambda node: self.get_metadata(ScopeProvider, node, None), scope, target.value,
                              self.bindings.consumed_at_once)

    def _group_at(self, stmts, start: int, indent: str, guarded: bool) -> list[_Pairs]:
        first = self._pairs(stmts[start])
        if first is None:
            return []
        group = [first]
        for stmt in stmts[start + 1:]:
            pairs = self._pairs(stmt)
            if pairs is None or stmt.leading_lines or not self._joins(group, pairs, guarded):
                break
            if len(indent) + len(_code_line([*group, pairs])) > self.width:
                break
            group.append(pairs)
        return group

    def _joins(self, group: list[_Pairs], pairs: _Pairs, guarded: bool) -> bool:
        """Whether `pairs` may be bound together with the group, its values computed before the group's stores."""
        touched = set().union(*(p.bases for p in group))  # `n_embd`, and `self` for `self.data`
        rebound = set().union(*(p.bound for p in group))
        pinned = set().union(*(p.pinned for p in group))
        targets = set().union(*(p.targets for p in group))
        if (pairs.reads & touched or pairs.bound & (touched | pinned) or pairs.bases & rebound
                or targets & set(pairs.targets)):
            return False  # it reads, or binds again, what the group just wrote or reads to store
        if any(p.visible for p in group) and not (pairs.inert and not pairs.reads & self.declared):
            return False  # computing it might run code that reads an earlier target before that target is bound
        return pairs.constant or not guarded  # a handler would find the earlier targets unbound

    def _moving_up(self, stmts, end: int, group: list[_Pairs], indent: str) -> tuple[int, _Pairs] | None:
        """The index and pairs of the assignment below `stmts[end - 1]` that may move up to join the group."""
        for index in range(end, len(stmts)):
            stmt = stmts[index]
            if not isinstance(stmt, cst.SimpleStatementLine) or stmt.leading_lines:
                return None
            pairs = self._pairs(stmt)
            if pairs is None:
                if not all(isinstance(small, _BETWEEN) for small in stmt.body):
                    return None
                continue
            between = set().union(*(names_in(s) for s in stmts[end:index]))
            if (not pairs.constant or not pairs.empty or pairs.visible or len(pairs.bound) != len(pairs.targets)
                    or pairs.bound & between or not self._joins(group, pairs, False)
                    or len(indent) + len(_code_line([*group, pairs])) > self.width):
                return None
            return index, pairs
        return None

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
            wrapped = fill(text.split(), self.width, head=len(indent) + 2, indent=len(indent) + 2)
            if len(indent) + len(_code_line(group)) + len(whitespace) + 2 + len(text) <= self.width:
                trailing = cst.TrailingWhitespace(cst.SimpleWhitespace(whitespace), cst.Comment(f"# {text}"))
            elif wrapped is None or any(is_pragma(cst.Comment(f"# {words}")) for words in wrapped):
                return None  # a word too wide for any line, or a line that would read as a tool's pragma
            else:
                leading += [cst.EmptyLine(indent=True, comment=cst.Comment(f"# {words}")) for words in wrapped]
        merged = line.with_changes(leading_lines=leading, trailing_whitespace=trailing)
        return merged, len(leading) - len(first_stmt.leading_lines)


def _blocks_in(node: cst.CSTNode, depth: int, guarded: bool) -> list[tuple[cst.CSTNode, int, bool]]:
    """The indented blocks directly under `node`'s statements (not under those blocks), with their depth and
    whether a `try` or `with` of their scope encloses them."""
    found: list[tuple[cst.CSTNode, int, bool]] = []
    for child in node.children:
        if isinstance(child, cst.IndentedBlock):
            found.append((child, depth + 1, guarded))
        else:
            inner = guarded and not isinstance(child, (cst.FunctionDef, cst.ClassDef)) or isinstance(child, _GUARDS)
            found.extend(_blocks_in(child, depth, inner))
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
