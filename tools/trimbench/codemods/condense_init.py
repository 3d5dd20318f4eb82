"""condense-init: a run of `d[key] = make(args)` lines becomes fewer `d |= {...}` lines, calls in the same order.

    for i in range(n_layer):
        state_dict[f'layer{i}.attn_wq'] = matrix(n_embd, n_embd)
        state_dict[f'layer{i}.attn_wk'] = matrix(n_embd, n_embd)
        state_dict[f'layer{i}.attn_wv'] = matrix(n_embd, n_embd)
        state_dict[f'layer{i}.attn_wo'] = matrix(n_embd, n_embd)
        state_dict[f'layer{i}.mlp_fc1'] = matrix(4 * n_embd, n_embd)
        state_dict[f'layer{i}.mlp_fc2'] = matrix(n_embd, 4 * n_embd)

becomes

    for i in range(n_layer):
        state_dict |= {f'layer{i}.attn_{name}': matrix(n_embd, n_embd) for name in ('wq', 'wk', 'wv', 'wo')}
        state_dict |= {f'layer{i}.mlp_fc1': matrix(4 * n_embd, n_embd), f'layer{i}.mlp_fc2': matrix(n_embd, 4 * n_embd)}

Two or more consecutive lines with the same arguments, keys differing only in a literal tail, become a
comprehension over the tails; the others become displays. Each statement written is one line within the file's
widest, which black keeps whole (no honest line added); a display too wide is split, a line that would stand
alone is kept as it was, and a run is offered only when it takes fewer lines. `|=` on a dict is `update` in
place (Python 3.9).

The calls keep their order: each `matrix` draws from random.gauss, so any reordering would change every number
that follows. A display evaluates key, value, key, value, ...; a comprehension its iterable (a tuple of string
literals), then each key before its value. So every argument is still computed right before its own call,
after the previous call. What moves: each key is computed before its call, not after; the dict is read once,
before the first call; a statement's stores all happen at its end. So a run is refused unless
- the target is known to be a dict (every binding of it in the run's own scope is a dict display,
  comprehension, `dict()` or `d |= {...}`), named by no `global`/`nonlocal`, and never escapes: it is only
  read as `d[...]`, `d.method(...)` or the lone argument of a builtin that copies or reduces it (`list(d)`);
  `d.keys()`, `.values()` and `.items()` only when a loop or such a builtin consumes them on the spot;
- the dict and each key's names are surely bound when the run starts (by an earlier plain assignment in the
  run's blocks, or a `for` around it; no `del`): else the original fails after a call, the rewrite before it.
  So `d |=` never makes a global dict local to a function (UnboundLocalError);
- no code the calls may reach (see _reach.py) mentions the dict: it would find it less filled than before;
- the run is in no `try` or `with` of its scope: a call that raises leaves the dict less filled, and an
  `except` (or a context manager swallowing the error) could read it next. Once the error leaves the scope,
  only code the calls reach can see the dict (hooks, `atexit` handlers, `__del__`: values or dunders);
- keys are string literals or f-strings of plain names, each provably a number (formatting it runs no user
  code) and named by no `global`/`nonlocal` (no call can rebind it): a key may be computed before its call;
- each argument is a name, a literal, or arithmetic of number literals and names provably bound to numbers
  (a number, arithmetic of those, a `for` target over `range(...)` or the index `enumerate` counts): an
  operator on anything else may run a dunder that sees the dict. No attribute reads, no calls, no name a
  `global`/`nonlocal` names: an argument runs no code and reads nothing a call can rebind;
- the module uses no `locals()`/`globals()`/`eval`/`exec` and spells no line reader (LINE_READERS in
  _shared.py): the lines after the run move up.
It assumes the program does not observe when an object is freed: a value a new one replaces (a key already in
the dict) is released at the end of the statement, not at its own line (the language leaves that moment open;
PyPy frees later anyway). Each run is one site; runs never share a statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst
import libcst.matchers as m
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import ClassScope, ParentNodeProvider, PositionProvider, ScopeProvider

from ._bindings import ARITHMETIC, SCOPES, Bindings
from ._reach import reachable
from ._runs import RunPlan, RunReplacer
from ._shared import (DYNAMIC_NAMES, LINE_READERS, LITERALS, code, declared_names, fresh_name, max_line_length,
                      names_in, option, single_small, skip, spelled, walk)
from ._sites import Candidate, SiteChooser

MIN_RUN = 3
_TAIL = re.compile(r"[A-Za-z0-9_.\- ]*")
# Where an exception may be caught, or swallowed, inside the run's own scope.
_CATCHING = (cst.Try, cst.TryStar, cst.With)


@dataclass(frozen=True)
class _Item:
    target: str  # the dict's name
    func: str  # the called function, as written
    quote: str  # the key's quote character(s)
    fstring: bool
    inner: str  # the key's text between the quotes
    key: str  # the key, as written
    args: tuple[str, ...]  # the call's arguments, as written

    @property
    def call(self) -> str:
        return f"{self.func}({', '.join(self.args)})"


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
    if small is None or not m.matches(small, pattern) or "\n" in code(small):
        return None
    subscript = small.targets[0].target
    key_node = subscript.slice[0].slice.value
    key = _key(key_node)
    call = small.value
    if key is None or not all(isinstance(n, (cst.Name, cst.Attribute, cst.Dot)) for n in walk(call.func)):
        return None
    if any(a.keyword or a.star for a in call.args):
        return None
    if not all(_shape_ok(a.value) for a in call.args):
        return None
    args = tuple(code(a.value) for a in call.args)
    return _Item(subscript.value.value, code(call.func), key[0], key[1], key[2], code(key_node), args)


def _shape_ok(node: cst.BaseExpression) -> bool:
    """An argument condense-init may compute early, by its shape: a name, a literal, or arithmetic."""
    if isinstance(node, (cst.Name, *LITERALS)):
        return True
    if isinstance(node, cst.UnaryOperation):
        return isinstance(node.operator, (cst.Minus, cst.Plus)) and _shape_ok(node.expression)
    if isinstance(node, cst.BinaryOperation):
        return isinstance(node.operator, ARITHMETIC) and _shape_ok(node.left) and _shape_ok(node.right)
    return False


def _split(items: list[_Item]) -> tuple[str, list[str]] | None:
    """(shared key prefix, literal tails) when the keys differ only in a literal tail."""
    inners = [item.inner for item in items]
    prefix = inners[0]
    for inner in inners[1:]:
        while not inner.startswith(prefix):
            prefix = prefix[:-1]
    # Cut back so the tails are whole words of literal text (`attn_` + `wq`), outside any {expression}.
    while prefix and (prefix[-1].isalnum() or prefix.count("{") != prefix.count("}")):
        prefix = prefix[:-1]
    tails = [inner[len(prefix):] for inner in inners]
    if not all(_TAIL.fullmatch(t) for t in tails):
        return None
    return prefix, tails  # a plain string's prefix has no brace (see _key): it may go in an f-string


def _comprehension(items: list[_Item], name: str) -> str | None:
    """`d |= {key: make(args) for name in (tails)}` for items with one call and literal key tails, else None."""
    first = items[0]
    if any((i.args, i.quote, i.fstring) != (first.args, first.quote, first.fstring) for i in items):
        return None
    split = _split(items)
    if split is None:
        return None
    prefix, tails = split
    q = first.quote
    key = f"f{q}{prefix}{{{name}}}{q}" if prefix else name
    table = ", ".join(f"{q}{t}{q}" for t in tails)
    return f"{first.target} |= {{{key}: {first.call} for {name} in ({table})}}"


def _display(items: list[_Item]) -> str:
    return f"{items[0].target} |= {{{', '.join(f'{i.key}: {i.call}' for i in items)}}}"


def _form(items: list[_Item], name: str, room: int) -> str | None:
    """The shorter of the display and the comprehension that write two or more items in `room` columns."""
    fitting = [t for t in (_display(items), _comprehension(items, name)) if t is not None and len(t) <= room]
    return min(fitting, key=len, default=None)


class CondenseInit(SiteChooser, RunReplacer, VisitorBasedCodemodCommand):
    DESCRIPTION = "Turn a run of `d[key] = make(args)` lines into fewer `d |= {...}` lines, same call order."

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
        nothing = f"no run of {self.min_run}+ `d[key] = make(args)` lines that can safely take fewer lines"
        if names_in(node) & DYNAMIC_NAMES:
            raise skip(nothing + " (the module uses locals()/globals()/eval/exec)")
        if readers := spelled(node, LINE_READERS):
            raise skip(f"{nothing} (the module spells {', '.join(readers)}: it may read the line numbers this moves)")
        self.declared = declared_names(node)
        self.bindings = Bindings(self, self.declared)
        self.width = max_line_length(node)
        found: list[Candidate[RunPlan]] = []
        for block in walk(node):
            if isinstance(block, (cst.Module, cst.IndentedBlock)):
                i = 0
                while i < len(block.body):
                    items = self._run_at(block.body, i)
                    stmts = block.body[i:i + len(items)]
                    written = self._rewrite(stmts, items) if items else None
                    if written is not None:
                        start = self.get_metadata(PositionProvider, stmts[0]).start
                        summary = (f"condense {len(stmts)} `{items[0].target}[...] = {items[0].func}(...)` lines into "
                                   f"{len(written)} (lines {start.line}-{start.line + len(stmts) - 1})")
                        plan = RunPlan(id(block), i, len(stmts), tuple(written))
                        found.append(Candidate(start.line, start.column, summary, plan))
                    i += len(stmts) if written is not None else 1
        for plan in self.choose(found, nothing):
            self.plans[plan.block, plan.start] = plan
        return True

    def _run_at(self, stmts, start: int) -> list[_Item]:
        """The longest run from `start` that may be condensed ([] when too short or unsafe)."""
        first = _item(stmts[start])
        if first is None or not self._target_safe(stmts[start], first):
            return []
        items: list[_Item] = []
        for j, stmt in enumerate(stmts[start:]):
            item = _item(stmt)
            if item is None or (item.target, item.func) != (first.target, first.func):
                break
            if j and (stmt.leading_lines or stmt.trailing_whitespace.comment):
                break  # a blank line or comment marks a new paragraph: leave it alone
            if not self._item_safe(stmt, item):
                break
            items.append(item)
        return items if len(items) >= self.min_run else []

    def _target_safe(self, stmt, first: _Item) -> bool:
        """What the run's first line proves for all: a private dict, calls that cannot see it, no `except`."""
        name_node = single_small(stmt).targets[0].target.value
        scope = self.get_metadata(ScopeProvider, name_node, None)
        if scope is None or isinstance(scope, ClassScope) or first.target in self.declared:
            return False  # a comprehension in a class body cannot see the class's names
        if not self.bindings.private_dict(scope, first.target) or not self.bindings.bound_at(stmt, {first.target}):
            return False
        func = single_small(stmt).value.func
        if any(first.target in names_in(body) for body in reachable(self.module, names_in(func))):
            return False  # a call could see the dict less filled than in the original
        node = stmt
        while not isinstance(node, SCOPES):
            node = self.get_metadata(ParentNodeProvider, node)
            if isinstance(node, _CATCHING):
                return False
        return True

    def _item_safe(self, stmt, item: _Item) -> bool:
        """The line's call cannot see the dict, and its arguments and key mean the same wherever computed."""
        assign = single_small(stmt)
        call = assign.value
        if item.target in names_in(call):
            return False
        for arg in call.args:
            names = [n for n in walk(arg.value) if isinstance(n, cst.Name)]
            if any(n.value in self.declared for n in names):
                return False  # a call could rebind it: kept out, so no argument depends on where it is computed
            if not isinstance(arg.value, cst.Name) and not all(self.bindings.numeric(n) for n in names):
                return False  # the operator could run a dunder, which could see the dict
        key = assign.targets[0].target.slice[0].slice.value
        names = [p.expression for p in getattr(key, "parts", ()) if isinstance(p, cst.FormattedStringExpression)]
        if not self.bindings.bound_at(stmt, {k.value for k in names}):
            return False  # the original would fail after the call, the rewrite before it
        return all(k.value not in self.declared and self.bindings.numeric(k) for k in names)

    def _rewrite(self, stmts, items: list[_Item]) -> list[cst.BaseStatement] | None:
        """The fewest statements, each one line within the width, that do what `stmts` do; None if not fewer."""
        name = fresh_name("name", set().union(*(names_in(s) for s in stmts)))
        room = self.width - self.get_metadata(PositionProvider, stmts[0]).start.column  # after the indent
        trailing = stmts[0].trailing_whitespace
        # black puts two spaces before a trailing comment and one after its `#`: count them all
        comment = 3 + len(trailing.comment.value) if trailing.comment else 0
        # best[j]: the fewest pieces that write items[:j], each new text or the index of a line kept as it was.
        # A tie goes to the first choice: a line left alone comes last, after the packed ones.
        best: list[list[str | int]] = [[]]
        for j in range(1, len(items) + 1):
            choices = [[*best[j - 1], j - 1]]
            for i in range(j - 2, -1, -1):
                form = _form(items[i:j], name, room - (comment if i == 0 else 0))
                if form is None:
                    break  # a longer slice would not fit either
                choices.insert(1, [*best[i], form])
            best.append(min(choices, key=len))
        pieces = best[-1]
        if len(pieces) >= len(stmts):
            return None
        written = [stmts[p] if isinstance(p, int) else
                   cst.parse_statement(p + "\n", config=self.module.config_for_parsing) for p in pieces]
        if isinstance(pieces[0], str):
            written[0] = written[0].with_changes(leading_lines=stmts[0].leading_lines, trailing_whitespace=trailing)
        return written

