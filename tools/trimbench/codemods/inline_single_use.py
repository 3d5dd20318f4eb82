"""inline-single-use: a temporary read once, by the very next statement, is replaced by its expression.

    loss_t = -probs[target_id].log()
    losses.append(loss_t)

becomes

    losses.append(-probs[target_id].log())

and a tuple of temporaries goes all at once, each value where its name was read (one site):

    token_id, target_id = tokens[pos_id], tokens[pos_id + 1]
    losses.append(-softmax(gpt(token_id, pos_id, keys, values))[target_id].log())

Conservative, because moving an expression moves the moment it is evaluated. A site is refused unless
- each temporary is read exactly once by the next statement, and that binding of it reaches no other
  read (`_flow.unreached`): every other read of the name in the scope either runs before the assignment
  ever does, or always sees another binding first (a statement binding it earlier in an enclosing block,
  a `for` binding it), `del name` and `name += ...` counting as reads; or the next statement binds the
  same name again and reads it once (`x = A` then `x = f(x)` becomes `x = f(A)`). Every read of the name
  runs in place: none by a function, lambda, class body or generator expression (which may run at any
  moment); the name is not named by `global`/`nonlocal`, and the module spells no `eval`;
- the read is evaluated exactly once: not inside a comprehension body, lambda, `and`/`or` right operand,
  conditional-expression branch, loop condition or f-string (inlining `total = sum(exps)` into
  `[e / total for e in exps]` would sum once per element, and round differently);
- nothing the statement evaluates before the read can change, or be changed by, the moved expression: no
  await or walrus before it, and no call, comprehension or `*args` (they run code: a call, `__next__`)
  unless no code can change what the expression gives: a literal, a name no `global`/`nonlocal` names
  (the same object, however mutated), arithmetic of provable numbers, or `name[number]` of a list only
  ever made on the spot in this scope, never handed out, read by this scope's statements alone and spelled
  nowhere before the read (`_bindings.private_list`: `tokens[pos_id + 1]` past `gpt(...)`); and when the
  expression itself calls something, nothing before it but literals, names that no `global`/`nonlocal`
  names, and the method lookup of a call it is an argument of (`losses.append`); no `f(k=..., *args)`,
  whose arguments run out of textual order;
- for a tuple `a, b = E1, E2` (plain distinct names, as many values, no starred element): E1 and E2 call
  nothing and build no comprehension, lambda or f-string, read neither `a` nor `b`, and run no code at all:
  each is a literal, a name no `global`/`nonlocal` names, arithmetic of numbers or `xs[number]` of a private
  list (an operator on anything else may call a dunder, and `x + y`, `x * y` read in the other order would
  call them in the other order). Inlined, each is computed where its name is read, after whatever the
  statement computes before it, and E2 may come before E1: then neither order can be told apart;
- Python's parser reads the result as the same tree: each expression goes in bare when that means the
  same, else in parentheses (`t = not a` then `return t + x` gives `return (not a) + x`), checked for all
  of a tuple's expressions placed together;
- the resulting line stays within the file's widest line.
It assumes attribute reads, subscripts and operators change nothing (calls may change anything), that
no exception raised mid-statement is caught (inlined, `tokens[pos_id + 1]` raises after `gpt` ran), and
that no code outside the module reaches its names (`sys.modules`, frames). Sites never overlap: a
statement that receives an inlined value is not itself inlined in the same pass (run it again for
chains), so any subset of sites is sound.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import ClassScope, ParentNodeProvider, PositionProvider, ScopeProvider

from ._bindings import Bindings
from ._flow import in_place, reads_of, unreached
from ._order import completed_before, evaluated_once, keywords_before_star
from ._shared import (DYNAMIC_NAMES, LITERALS, code, comment_text, contains, declared_names, has_call,
                      indent_of, max_line_length, names_in, option, placed_all, single_small, skip, walk)
from ._sites import Candidate, SiteChooser

# What runs code of anyone's before a read: a call, and what iterates (a comprehension, `*args` in a call).
_ITERATES = (cst.Call, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp, cst.StarredElement)
# What a value of a tuple may not hold: it would run code, bind a name, or be evaluated more than once.
_RUNS = (cst.Call, cst.Await, cst.Yield, cst.NamedExpr, cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp,
         cst.GeneratorExp, cst.FormattedString)


@dataclass(frozen=True)
class _Plan:
    assign: cst.SimpleStatementLine  # `t = E` or `a, b = E1, E2`, original node
    uses: tuple[tuple[cst.Name, cst.BaseExpression], ...]  # each read (original node), its value as placed there


def _pairs(target: cst.BaseExpression, value: cst.BaseExpression) -> list[tuple[cst.Name, cst.BaseExpression]]:
    """(name, value) of `t = E`, or of `a, b = E1, E2` when its values call nothing and read no target; else []."""
    if isinstance(target, cst.Name):
        return [(target, value)]
    if not (isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple)
            and len(target.elements) == len(value.elements) > 1):
        return []
    if not all(isinstance(e, cst.Element) for e in (*target.elements, *value.elements)):
        return []  # `a, *b = ...`
    names, values = [e.value for e in target.elements], [e.value for e in value.elements]
    if not all(isinstance(n, cst.Name) for n in names) or len({n.value for n in names}) != len(names):
        return []
    if any(contains(v, _RUNS) or names_in(v) & {n.value for n in names} for v in values):
        return []
    return list(zip(names, values))


class InlineSingleUse(SiteChooser, VisitorBasedCodemodCommand):
    DESCRIPTION = "Inline a temporary that the very next statement reads once, when evaluation order allows."

    METADATA_DEPENDENCIES = (ScopeProvider, ParentNodeProvider, PositionProvider)

    def __init__(self, context, name: str | None = None, sites=None) -> None:
        super().__init__(context)
        self.only = option(name, str, "name")
        self.init_sites(sites)
        self.plans: dict[int, _Plan] = {}  # id(assign statement) -> plan
        self.uses: dict[int, cst.BaseExpression] = {}  # id(use Name) -> the value that replaces it

    @staticmethod
    def add_args(arg_parser) -> None:
        arg_parser.add_argument("--name", dest="name", default=None, help="only inline temporaries of this name")

    def visit_Module(self, node: cst.Module) -> bool:
        if names_in(node) & DYNAMIC_NAMES:
            raise skip("the module uses locals()/globals()/eval/exec: any name may be read behind our back")
        self.declared = declared_names(node)
        self.bindings = Bindings(self, self.declared)
        self.width = max_line_length(node)
        found: list[Candidate[_Plan]] = []
        for block in walk(node):
            if isinstance(block, (cst.Module, cst.IndentedBlock)):
                taken: set[int] = set()
                for stmt, nxt in zip(block.body, block.body[1:]):
                    if id(stmt) in taken:
                        continue  # it receives a value already: offering it too would make sites interact
                    plan = self._plan(stmt, nxt)
                    if plan is not None:
                        start = self.get_metadata(PositionProvider, stmt).start
                        into = self.get_metadata(PositionProvider, plan.uses[0][0]).start.line
                        names = ", ".join(f"`{use.value}`" for use, _ in plan.uses)
                        found.append(Candidate(start.line, start.column, f"inline {names} into line {into}", plan))
                        taken.add(id(nxt))
        for plan in self.choose(found, "no temporary read once by the very next statement that can be inlined safely"):
            self.plans[id(plan.assign)] = plan
            self.uses.update((id(use), value) for use, value in plan.uses)
        return True

    def _scope(self, node: cst.CSTNode):
        return self.get_metadata(ScopeProvider, node, None)

    def _parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.get_metadata(ParentNodeProvider, node, None)

    def _plan(self, stmt: cst.CSTNode, nxt: cst.CSTNode) -> _Plan | None:
        small = single_small(stmt)
        if not isinstance(small, cst.Assign) or len(small.targets) != 1:
            return None
        pairs = _pairs(small.targets[0].target, small.value)
        if not pairs or any(target.lpar or target.value in self.declared for target, _ in pairs):
            return None
        if self.only is not None and self.only not in {target.value for target, _ in pairs}:
            return None
        if contains(small.value, (cst.Yield, cst.Await, cst.NamedExpr)) or contains(nxt, (cst.NamedExpr,)):
            return None  # a walrus in the next statement could bind what the moved value reads
        scope = self._scope(pairs[0][0])
        if scope is None or isinstance(scope, ClassScope) or keywords_before_star(nxt):
            return None
        if len(pairs) > 1 and not all(self._unchanged(value, set()) for _, value in pairs):
            return None  # E2 may run before E1: each must run no code (`x + y` may call a dunder that counts)
        fills = []
        for target, value in pairs:
            use = self._use(target.value, stmt, nxt, scope)
            if use is None or self._scope(use) is not scope:
                return None  # read from a comprehension body, a lambda, or another function
            path = self._path(use, nxt)
            if path is None or not evaluated_once(path, nxt) or not self._order_kept(use, nxt, value):
                return None
            fills.append((use, value))
        if stmt.trailing_whitespace.comment and not isinstance(nxt, cst.SimpleStatementLine):
            return None  # nowhere sensible to keep the comment
        inlined = placed_all(nxt, fills)
        if inlined is None:
            return None
        extra = sum(len(code(value)) - len(use.value) for (use, _), value in zip(fills, inlined))
        longest = max(len(line) for line in code(nxt).splitlines() if line.strip())
        longest += extra + len(indent_of(self.module, self._parent, stmt))
        if "\n" not in code(small.value).strip() and longest > self.width:
            return None
        return _Plan(stmt, tuple((use, value) for (use, _), value in zip(fills, inlined)))

    def _use(self, name: str, stmt: cst.CSTNode, nxt: cst.CSTNode, scope) -> cst.Name | None:
        """The one read of `name` in `nxt`, when it is the only read the binding in `stmt` can reach."""
        reads = reads_of(scope, name, self._parent)
        if not all(in_place(read, scope, self._scope, self._parent) for read in reads):
            return None
        rebinding = self._rebinding_read(name, nxt)
        if rebinding is not None:
            return rebinding
        mine = [read for read in reads if self._path(read, nxt) is not None]
        if len(mine) != 1 or not all(read is mine[0] or unreached(read, stmt, name, self._parent) for read in reads):
            return None
        return mine[0]

    def _rebinding_read(self, name: str, nxt: cst.CSTNode) -> cst.Name | None:
        """The one read of `name` in `nxt` when `nxt` is `name = ...` reading it once: then the earlier binding
        reaches that read and no other (`x = A` then `x = f(x)`), however often the scope binds `name`."""
        small = single_small(nxt)
        if not isinstance(small, cst.Assign) or len(small.targets) != 1:
            return None
        target = small.targets[0].target
        if not isinstance(target, cst.Name) or target.value != name:
            return None
        reads = [node for node in walk(small.value) if isinstance(node, cst.Name) and node.value == name]
        return reads[0] if len(reads) == 1 else None

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

    def _order_kept(self, use: cst.Name, stmt: cst.CSTNode, value: cst.BaseExpression) -> bool:
        """Nothing evaluated in `stmt` before the read could change (or be changed by) the moved expression."""
        ancestors = set()
        node = use
        while node is not stmt:
            node = self.get_metadata(ParentNodeProvider, node)
            ancestors.add(id(node))
        method_lookups = {id(n.func) for n in walk(stmt) if isinstance(n, cst.Call) and id(n) in ancestors
                          and isinstance(n.func, cst.Attribute) and isinstance(n.func.value, cst.Name)}
        done = completed_before(stmt, use)
        value_calls = has_call(value)
        if any(isinstance(node, (cst.Await, cst.Yield)) for node in done):
            return False
        if any(isinstance(node, _ITERATES) or (isinstance(node, cst.Arg) and node.star) for node in done):
            spelled = {node.value for node in done if isinstance(node, cst.Name)}
            if value_calls or not self._unchanged(value, spelled):
                return False
        for node in done:
            if not value_calls or id(node) in method_lookups or isinstance(node, LITERALS) or _plain_display(node):
                continue
            # The moved expression calls something, which may mutate any object or rebind a declared name:
            # only plain names it cannot rebind may be read before it.
            if isinstance(node, cst.Name) and node.value in self.declared:
                return False
            if isinstance(node, cst.BaseExpression) and not isinstance(node, cst.Name):
                return False
        return True

    def _unchanged(self, value: cst.BaseExpression, spelled: set[str]) -> bool:
        """No call can change what `value` gives: a literal, a name no call can rebind, arithmetic of numbers,
        or `name[number]` of a list nothing but this scope's own statements can reach, none of them before."""
        if isinstance(value, LITERALS) or self.bindings.number(value):
            return True
        if isinstance(value, cst.Name):
            return value.value not in self.declared
        if not (isinstance(value, cst.Subscript) and isinstance(value.value, cst.Name) and len(value.slice) == 1):
            return False
        index, name = value.slice[0].slice, value.value
        return (isinstance(index, cst.Index) and index.star is None and self.bindings.number(index.value)
                and name.value not in spelled and self.bindings.private_list(self._scope(name), name.value))

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self.uses.get(id(original_node), updated_node)

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


def _plain_display(node: cst.CSTNode) -> bool:
    """`[BOS]`, `(a, 1)`: a display of names and literals builds a new object and runs no code of anyone's."""
    return isinstance(node, (cst.List, cst.Tuple, cst.Set)) and all(
        isinstance(e, cst.Element) and isinstance(e.value, (cst.Name, *LITERALS)) for e in node.elements)
