"""condense-init: a run of `d[key] = make(args)` lines becomes one dict comprehension, calls in the same order.

    for i in range(n_layer):
        state_dict[f'layer{i}.attn_wq'] = matrix(n_embd, n_embd)
        state_dict[f'layer{i}.mlp_fc1'] = matrix(4 * n_embd, n_embd)
        state_dict[f'layer{i}.mlp_fc2'] = matrix(n_embd, 4 * n_embd)

becomes

    for i in range(n_layer):
        state_dict.update({f'layer{i}.{name}': matrix(*shape) for name, shape in [('attn_wq', (n_embd, n_embd)), ('mlp_fc1', (4 * n_embd, n_embd)), ('mlp_fc2', (n_embd, 4 * n_embd))]})

The calls happen in the order the lines had: each `matrix` draws from random.gauss, so any reordering
would change every number that follows. Safe only when
- the target is known to be a dict (every binding of it in its scope is a dict display, comprehension or `dict()`),
- keys are string literals or f-strings of plain names that differ only in a literal tail,
- the arguments are plain names, numbers and arithmetic (they are evaluated up front, in the table),
- neither the arguments nor the called function's own body mention the dict (it is filled only at the end).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst
import libcst.matchers as m
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import ClassScope, ParentNodeProvider, ScopeProvider

from ._shared import code, fresh_name, max_line_length, names_in, single_small, skip, walk

MIN_RUN = 3
_TAIL = re.compile(r"[A-Za-z0-9_.\- ]*")
_PURE = (cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Attribute, cst.BinaryOperation,
         cst.UnaryOperation, cst.Add, cst.Subtract, cst.Multiply, cst.Divide, cst.FloorDivide, cst.Modulo,
         cst.Power, cst.Minus, cst.Plus, cst.LeftParen, cst.RightParen, cst.Dot,
         cst.SimpleWhitespace, cst.ParenthesizedWhitespace, cst.Newline, cst.EmptyLine, cst.TrailingWhitespace)


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
    if not all(isinstance(n, (*_PURE, cst.Arg, cst.Comma)) for a in call.args for n in walk(a.value)):
        return None
    return _Item(subscript.value.value, code(call.func), key[0], key[1], key[2], tuple(code(a.value) for a in call.args))


class CondenseInit(VisitorBasedCodemodCommand):
    DESCRIPTION = "Turn a run of `d[key] = make(args)` lines into one `d.update({...})` comprehension, same call order."

    METADATA_DEPENDENCIES = (ScopeProvider, ParentNodeProvider)

    def __init__(self, context, min_run: int = MIN_RUN) -> None:
        super().__init__(context)
        self.min_run = min_run
        self.changed = 0

    @staticmethod
    def add_args(arg_parser) -> None:
        arg_parser.add_argument("--min-run", dest="min_run", type=int, default=MIN_RUN,
                                help=f"shortest run of assignments worth condensing (default {MIN_RUN})")

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        updated_node = updated_node.with_changes(body=self._condense(original_node.body, updated_node.body))
        if not self.changed:
            raise skip(f"no run of {self.min_run}+ `d[key] = make(args)` lines that can safely become one comprehension")
        return updated_node

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        return updated_node.with_changes(body=self._condense(original_node.body, updated_node.body))

    def _condense(self, originals, updated) -> list[cst.BaseStatement]:
        out: list[cst.BaseStatement] = []
        i = 0
        while i < len(originals):
            run = self._run_at(originals, i)
            if run > 1:
                out.append(self._rewrite(originals[i:i + run], updated[i]))
                self.changed += 1
                i += run
            else:
                out.append(updated[i])
                i += 1
        return out

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
        if scope is None or isinstance(scope, ClassScope):
            return False  # a comprehension in a class body cannot see the class's names
        assignments = scope.assignments[first.target]
        if not assignments:
            return False
        for assignment in assignments:
            target = assignment.node
            parent = self.get_metadata(ParentNodeProvider, target, None)
            holder = self.get_metadata(ParentNodeProvider, parent, None) if parent is not None else None
            if not (isinstance(parent, cst.AssignTarget) and isinstance(holder, cst.Assign)):
                return False
            value = holder.value
            if not (isinstance(value, (cst.Dict, cst.DictComp)) or m.matches(value, m.Call(func=m.Name("dict")))):
                return False
        for stmt in stmts:
            call = single_small(stmt).value
            if first.target in names_in(call):
                return False
        return not self._function_mentions(first.func, first.target)

    def _function_mentions(self, func: str, target: str) -> bool:
        """Whether the called function, when defined in this module, reads the dict being filled."""
        for node in walk(self.module):
            if isinstance(node, cst.FunctionDef) and node.name.value == func and target in names_in(node):
                return True
            if m.matches(node, m.Assign(targets=[m.AssignTarget(m.Name(func))])) and target in names_in(node.value):
                return True
        return False

    def _rewrite(self, stmts, first_updated: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
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
            table = [f"({t}, ({', '.join(item.args)}{',' if len(item.args) == 1 else ''}))" for t, item in zip(table, items)]
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
            leading_lines=first_updated.leading_lines, trailing_whitespace=first_updated.trailing_whitespace
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
