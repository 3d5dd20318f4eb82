"""condense-init: a run of `d[key] = make(args)` lines becomes one dict comprehension, calls in the same order.

    for i in range(n_layer):
        state_dict[f'layer{i}.attn_wq'] = matrix(n_embd, n_embd)
        state_dict[f'layer{i}.mlp_fc1'] = matrix(4 * n_embd, n_embd)
        state_dict[f'layer{i}.mlp_fc2'] = matrix(n_embd, 4 * n_embd)

becomes

    for i in range(n_layer):
        state_dict.update({f'layer{i}.{name}': matrix(*shape) for name, shape in [
            ('attn_wq', (n_embd, n_embd)), ('mlp_fc1', (4 * n_embd, n_embd)), ('mlp_fc2', (n_embd, 4 * n_embd))]})

The calls happen in the order the lines had: each `matrix` draws from random.gauss, so any reordering
would change every number that follows. What moves is the rest: every argument is now computed before
the first call (in the table), each key before its own call, and the dict is filled only after the last
call. So a run is refused unless
- the target is known to be a dict (every binding of it in its scope is a dict display, comprehension or
  `dict()`), named by no `global`/`nonlocal`, and never escapes: it is only ever read as `d[...]`,
  `d.method(...)` or the lone argument of a builtin that copies or reduces it (`list(d)`); `d.keys()`,
  `.values()` and `.items()` only when a loop or such a builtin consumes them on the spot;
- no code the calls may reach (see _reach.py) mentions the dict;
- keys are string literals or f-strings of plain names that differ only in a literal tail;
- each argument is a name, a literal, or arithmetic of number literals and names provably bound to numbers
  (a number, arithmetic of those, a `for` target over `range(...)` or the index `enumerate` counts): an
  operator on anything else may run a dunder that reads what an earlier call changed. No attribute reads,
  no calls;
- every name an argument or key reads is named by no `global`/`nonlocal` (a call cannot rebind it), and
  key names are provably numbers too (formatting them runs no user code);
- the module uses no `locals()`/`globals()`/`eval`/`exec`.
Each run is one site; runs never share a statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst
import libcst.matchers as m
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import ClassScope, ParentNodeProvider, PositionProvider, ScopeProvider

from ._bindings import ARITHMETIC, Bindings
from ._reach import reachable
from ._shared import (DYNAMIC_NAMES, LITERALS, code, declared_names, fresh_name, max_line_length, names_in, option,
                      single_small, skip, walk)
from ._runs import RunPlan, RunReplacer
from ._sites import Candidate, SiteChooser

MIN_RUN = 3
_TAIL = re.compile(r"[A-Za-z0-9_.\- ]*")


@dataclass(frozen=True)
class _Item:
    target: str  # the dict's name
    func: str  # the called function, as written
    quote: str  # the key's quote character(s)
    fstring: bool
    inner: str  # the key's text between the quotes
    args: tuple[str, ...]  # the call's arguments, as written


def _key(node: cst.BaseExpression) -> tuple[str, bool, str] | None:
    """(quote, is_fstring, inner text) of a plain key, or None."""
    if isinstance(node, cst.SimpleString):
        prefix, quote = node.prefix.lower(), node.quote
        inner = node.value[len(node.prefix) + len(quote):-len(quote)]
        if prefix or "\\" in inner or "{" in inner or "}" in inner:
            return None
        return quote, False, inner
    if isinstance(node, cst.FormattedString):
        if node.prefix.lower() != "f" or node.lpar:
            return None
        for part in node.parts:
            if isinstance(part, cst.FormattedStringExpression):
                if not isinstance(part.expression, cst.Name) or part.format_spec or part.conversion:
                    return None
            elif "\\" in part.value:
                return None
        return node.start[len(node.prefix):], True, "".join(code(p) for p in node.parts)
    return None


def _item(stmt: cst.CSTNode) -> _Item | None:
    small = single_small(stmt)
    pattern = m.Assign(
        targets=[m.AssignTarget(target=m.Subscript(value=m.Name(), slice=[m.SubscriptElement(m.Index())]))],
        value=m.Call(func=m.Name() | m.Attribute()),
    )
    if small is None or not m.matches(small, pattern):
        return None
    subscript = small.targets[0].target
    key = _key(subscript.slice[0].slice.value)
    call = small.value
    if key is None or not all(isinstance(n, (cst.Name, cst.Attribute, cst.Dot)) for n in walk(call.func)):
        return None
    if any(a.keyword or a.star for a in call.args):
        return None
    if not all(_shape_ok(a.value) for a in call.args):
        return None
    args = tuple(code(a.value) for a in call.args)
    return _Item(subscript.value.value, code(call.func), key[0], key[1], key[2], args)


def _shape_ok(node: cst.BaseExpression) -> bool:
    """An argument condense-init may compute early, by its shape: a name, a literal, or arithmetic."""
    if isinstance(node, (cst.Name, *LITERALS)):
        return True
    if isinstance(node, cst.UnaryOperation):
        return isinstance(node.operator, (cst.Minus, cst.Plus)) and _shape_ok(node.expression)
    if isinstance(node, cst.BinaryOperation):
        return isinstance(node.operator, ARITHMETIC) and _shape_ok(node.left) and _shape_ok(node.right)
    return False


class CondenseInit(SiteChooser, RunReplacer, VisitorBasedCodemodCommand):
    DESCRIPTION = "Turn a run of `d[key] = make(args)` lines into one `d.update({...})` comprehension, same call order."

    METADATA_DEPENDENCIES = (ScopeProvider, ParentNodeProvider, PositionProvider)

    def __init__(self, context, min_run: int = MIN_RUN, sites=None) -> None:
        super().__init__(context)
        self.min_run = max(2, option(min_run, int, "min_run", optional=False))  # one line alone is no run
        self.init_sites(sites)
        self.plans: dict[tuple[int, int], RunPlan] = {}  # (block id, start index) -> plan

    @staticmethod
    def add_args(arg_parser) -> None:
        arg_parser.add_argument("--min-run", dest="min_run", type=int, default=MIN_RUN,
                                help=f"shortest run of assignments worth condensing (default {MIN_RUN})")

    def visit_Module(self, node: cst.Module) -> bool:
        nothing = f"no run of {self.min_run}+ `d[key] = make(args)` lines that can safely become one comprehension"
        if names_in(node) & DYNAMIC_NAMES:
            raise skip(nothing + " (the module uses locals()/globals()/eval/exec)")
        self.declared = declared_names(node)
        self.bindings = Bindings(self, self.declared)
        found: list[Candidate[RunPlan]] = []
        for block in walk(node):
            if isinstance(block, (cst.Module, cst.IndentedBlock)):
                i = 0
                while i < len(block.body):
                    run = self._run_at(block.body, i)
                    if run:
                        stmts = block.body[i:i + run]
                        start = self.get_metadata(PositionProvider, stmts[0]).start
                        item = _item(stmts[0])
                        summary = (f"condense {run} `{item.target}[...] = {item.func}(...)` lines into one "
                                   f"`{item.target}.update` (lines {start.line}-{start.line + run - 1})")
                        plan = RunPlan(id(block), i, run, self._rewrite(stmts))
                        found.append(Candidate(start.line, start.column, summary, plan))
                    i += max(run, 1)
        for plan in self.choose(found, nothing):
            self.plans[plan.block, plan.start] = plan
        return True

    def _run_at(self, stmts, start: int) -> int:
        """Length of the longest run from `start` that may become one comprehension (0 when too short)."""
        first = _item(stmts[start])
        if first is None:
            return 0
        items = [first]
        for stmt in stmts[start + 1:]:
            item = _item(stmt)
            if item is None or (item.target, item.func, item.quote, item.fstring) != (
                first.target, first.func, first.quote, first.fstring
            ):
                break
            if stmt.leading_lines or stmt.trailing_whitespace.comment:
                break  # a blank line or comment marks a new paragraph: leave it alone
            items.append(item)
        while len(items) >= self.min_run and self._split(items) is None:
            items.pop()  # the keys stop sharing a prefix: condense the head only
        if len(items) < self.min_run or not self._safe(stmts[start:start + len(items)], first):
            return 0
        return len(items)

    @staticmethod
    def _split(items: list[_Item]) -> tuple[str, list[str]] | None:
        """(shared key prefix, literal tails) when the keys differ only in a literal tail."""
        inners = [item.inner for item in items]
        prefix = inners[0]
        for inner in inners[1:]:
            while not inner.startswith(prefix):
                prefix = prefix[:-1]
        # Cut back so the tails are whole words of literal text, outside any {expression}.
        while prefix and (prefix[-1].isalnum() or prefix[-1] == "_" or prefix.count("{") != prefix.count("}")):
            prefix = prefix[:-1]
        tails = [inner[len(prefix):] for inner in inners]
        if not all(_TAIL.fullmatch(t) for t in tails):
            return None
        if prefix and not items[0].fstring and ("{" in prefix or "}" in prefix):
            return None
        return prefix, tails

    def _safe(self, stmts, first: _Item) -> bool:
        assign = single_small(stmts[0])
        name_node = assign.targets[0].target.value
        scope = self.get_metadata(ScopeProvider, name_node, None)
        if scope is None or isinstance(scope, ClassScope) or first.target in self.declared:
            return False  # a comprehension in a class body cannot see the class's names
        if not self.bindings.private_dict(scope, first.target):
            return False
        calls = [single_small(stmt).value for stmt in stmts]
        if any(first.target in names_in(call) for call in calls):
            return False
        if any(first.target in names_in(body) for body in reachable(self.module, names_in(calls[0].func))):
            return False  # a call could see the dict half filled in the original, empty in the rewrite
        for call in calls:
            for arg in call.args:
                names = [n for n in walk(arg.value) if isinstance(n, cst.Name)]
                if any(n.value in self.declared for n in names):
                    return False  # a call could rebind it: the original reads the new value, the table the old
                if not isinstance(arg.value, cst.Name) and not all(self.bindings.numeric(n) for n in names):
                    return False  # the operator could run a dunder that reads what an earlier call changed
        subscript = assign.targets[0].target.slice[0].slice.value
        keys = [p.expression for p in getattr(subscript, "parts", ()) if isinstance(p, cst.FormattedStringExpression)]
        return all(k.value not in self.declared and self.bindings.numeric(k) for k in keys)

    def _rewrite(self, stmts) -> cst.SimpleStatementLine:
        items = [_item(s) for s in stmts]
        prefix, tails = self._split(items)
        first = items[0]
        spelled = set().union(*(names_in(s) for s in stmts))
        name = fresh_name("name", spelled)
        q = first.quote
        key = f"f{q}{prefix}{{{name}}}{q}" if prefix else name
        table = [f"{q}{t}{q}" for t in tails]
        if len({item.args for item in items}) == 1:
            head = f"{first.target}.update({{{key}: {first.func}({', '.join(first.args)}) for {name} in ["
        else:
            shape = fresh_name("shape", spelled | {name})
            head = f"{first.target}.update({{{key}: {first.func}(*{shape}) for {name}, {shape} in ["
            table = [f"({t}, ({', '.join(item.args)}{',' if len(item.args) == 1 else ''}))"
                     for t, item in zip(table, items)]
        tail = "]})"
        indent = _indent_of(self, stmts[0])
        width = max_line_length(self.module)
        one_line = head + ", ".join(table) + tail
        if len(indent) + len(one_line) <= width:
            text = one_line
        else:  # pack the table into as few continuation lines as fit the file's widest line
            inner_indent = indent + self.module.default_indent
            lines, current = [head], ""
            for j, entry in enumerate(table):
                piece = entry + ("," if j < len(table) - 1 else tail)
                if current and len(inner_indent) + len(current) + 1 + len(piece) > width:
                    lines.append(current)
                    current = piece
                else:
                    current = f"{current} {piece}" if current else piece
            lines.append(current)
            # Continuation lines are written relative to the statement; libcst adds the block's indent.
            text = ("\n" + self.module.default_indent).join(lines)
        new = cst.parse_statement(text + "\n", config=self.module.config_for_parsing)
        return new.with_changes(
            leading_lines=stmts[0].leading_lines, trailing_whitespace=stmts[0].trailing_whitespace
        )


def _indent_of(codemod: CondenseInit, stmt: cst.CSTNode) -> str:
    """The indentation of `stmt` (depth of enclosing indented blocks times the module's indent)."""
    depth, node = 0, stmt
    while True:
        node = codemod.get_metadata(ParentNodeProvider, node, None)
        if node is None:
            return codemod.module.default_indent * depth
        if isinstance(node, cst.IndentedBlock):
            depth += 1
