"""generator-unpack: assignments of one expression varying in one string literal become one generator unpacking.

    q = linear(x, state_dict[f'layer{li}.attn_wq'])
    k = linear(x, state_dict[f'layer{li}.attn_wk'])
    v = linear(x, state_dict[f'layer{li}.attn_wv'])

becomes

    q, k, v = (linear(x, state_dict[f'layer{li}.attn_{name}']) for name in ('wq', 'wk', 'wv'))

A run is two or more consecutive statements `a = E` or `a, b = E1, E2` (merge-assignments writes those), read
as one list of (target, value). The values, in order, must be one expression except for ONE string literal
that is different in every item (it becomes the loop variable), or the literal tail of ONE text part of an
f-string (it becomes `{name}`; the shared head of the text is kept, cut back to a word boundary).

What the original does: compute E1, bind a, compute E2, bind b, ... What the rewrite does: build the tuple of
literals (constants: no code runs), then unpacking drives the generator to its end before binding anything:
it computes E1, E2, ... in the same order, each in the generator's frame, with the loop variable holding the
very literal (for an f-string, `format(str, '')` gives the str back, so every key is the same string), and
only then binds a, b, ... left to right. So what moves is when each target is bound: every target but the
last is bound later than it was. A run is refused unless nothing can tell:
- no value spells a target (a later value would read the old binding), and the targets are all different;
- no target is visible to code that may run while the values are computed: a name some function, lambda or
  class body reads (`_shared.read_elsewhere`), a name some `global`/`nonlocal` names, a class body at all
  (a generator in a class body cannot even see the class's names). A global is read by its name, not
  through the module object (a module that spells `modules`, as in `sys.modules`, is skipped; one that
  imports itself is assumed not to exist);
- no name the values read is named by a `global`/`nonlocal` anywhere (a call could rebind it under us);
- the run is not inside a `try` or `with` of its own function (or of the module): an exception from a later
  value would leave the earlier targets bound in the original, unbound in the rewrite, and a handler or an
  `__exit__` could see that. Outside them, an exception leaves the function, whose locals nothing else reads
  (that is what the checks above prove), or ends the program;
- the values hold no walrus, `await`, `yield`, lambda or comprehension (each changes meaning in a new scope),
  no `super` or `__class__` (zero-argument `super()` fails in a generator), no line break;
- the varying literal is a plain one-quote `'...'`/`"..."` or `f'...'` string without a backslash (escapes,
  bytes, raw and triple-quoted strings are refused) and without braces in the varying text. A docstring is
  never an assignment's value, so it never varies here.
What else the generator changes, and how the module is checked for it (any of these spelled skips it):
- a `StopIteration` raised while a value is computed becomes `RuntimeError` in a generator (PEP 479), which
  a loop consuming the caller (`map`, a `__next__`) would not swallow: `next`, `__next__`, `send`, `throw`,
  `StopIteration`. Code outside the module is assumed not to let a StopIteration out of a plain call;
- the values run one frame deeper: `setrecursionlimit`, `getrecursionlimit`, `RecursionError`, and the frame
  and trace readers (`tb_frame`, `gi_frame`, `f_back`, `settrace`, `setprofile`, `monitoring`, and
  `_shared.LINE_READERS`, since lines move too). A program is assumed not to run within one frame of the
  recursion limit without reaching it; and a run inside a function whose values may call back into that
  function (`_reach.deepens_recursion`) is refused, since then every level of the recursion gains a frame;
- the generator is one more object, so the cyclic collector may run at another moment: `__del__`, `weakref`,
  `gc`;
- a function's locals the values read become cells of a closure: `locals()` and the other dynamic names;
- a value reading a local not yet bound fails in both, with NameError in the rewrite where the original
  raised UnboundLocalError (its subclass): like every codemod, this one assumes such an error is not caught.
It is offered only when it saves a line: two or more statements of one physical line each become one line
within the file's width (at most 120, so black keeps it as it is). Trailing comments are joined in order with
`; `; a blank line, an own-line comment or a pragma comment ends a run. Each run is one site; runs never share
a statement.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import ClassScope, ParentNodeProvider, PositionProvider, ScopeProvider

from ._reach import deepens_recursion
from ._runs import RunPlan, RunReplacer
from ._shared import (DYNAMIC_NAMES, LINE_READERS, code, comment_text, contains, declared_names, fresh_name,
                      is_pragma, max_line_length, names_in, read_elsewhere, single_small, skip, spelled, walk)
from ._sites import Candidate, SiteChooser

# Names through which a program could tell the generator, or the late bindings, from the original (docstring).
TELLS = frozenset({"next", "__next__", "send", "throw", "StopIteration", "setrecursionlimit", "getrecursionlimit",
                   "RecursionError", "tb_frame", "gi_frame", "f_back", "settrace", "setprofile", "monitoring",
                   "__del__", "weakref", "gc", "modules"})

_NEVER = (cst.NamedExpr, cst.Await, cst.Yield, cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_CATCHERS = (cst.Try, cst.TryStar, cst.With)  # a handler, `finally` or `__exit__` may see the targets half bound


@dataclass(frozen=True)
class _Shape:
    template: str  # the generator's element, the loop variable in place of the literal
    literals: tuple[str, ...]  # the literals the loop runs over, as written in the tuple


def _pairs(stmt: cst.CSTNode) -> list[tuple[cst.Name, cst.BaseExpression]] | None:
    """The (target, value) pairs of `a = E` or `a, b = E1, E2` on one line, to plain names; else None."""
    small = single_small(stmt)
    if not isinstance(small, cst.Assign) or len(small.targets) != 1 or is_pragma(stmt.trailing_whitespace.comment):
        return None
    target, value = small.targets[0].target, small.value
    if isinstance(target, cst.Tuple):
        if not isinstance(value, cst.Tuple) or len(value.elements) != len(target.elements):
            return None
        if any(isinstance(e, cst.StarredElement) for e in (*target.elements, *value.elements)):
            return None
        pairs = [(t.value, v.value) for t, v in zip(target.elements, value.elements)]
    else:
        pairs = [(target, value)]
    if "\n" in code(small) or not all(isinstance(t, cst.Name) and not t.lpar for t, _ in pairs):
        return None
    if any(isinstance(v, cst.Tuple) and not v.lpar for _, v in pairs):
        return None  # a bare tuple cannot be a generator's element
    return pairs


def _plain(node: cst.SimpleString) -> bool:
    return node.prefix == "" and node.quote in ("'", '"') and "\\" not in node.value


def _formatted(node: cst.FormattedString) -> bool:
    return node.prefix.lower() == "f" and node.start[1:] in ("'", '"') and "\\" not in code(node)


def _head(texts: list[str]) -> str:
    """The text all of `texts` begin with, cut back to a word boundary: `.attn_wq`, `.attn_wk` give `.attn_`."""
    head = texts[0]
    for text in texts[1:]:
        while not text.startswith(head):
            head = head[:-1]
    while head and head[-1].isalnum():
        head = head[:-1]
    return head


def _vary(nodes: list[cst.CSTNode], values: list[cst.BaseExpression], name: str) -> _Shape | None:
    """The shape when `nodes` (one literal per value) are the only place the values differ, else None."""
    if all(isinstance(n, cst.SimpleString) and _plain(n) for n in nodes):
        if len({n.evaluated_value for n in nodes}) != len(nodes):
            return None
        templates = [v.deep_replace(n, cst.Name(name)) for n, v in zip(nodes, values)]
        literals = tuple(code(n) for n in nodes)
    elif all(isinstance(n, cst.FormattedString) and _formatted(n) for n in nodes):
        if len({len(n.parts) for n in nodes}) != 1:
            return None
        varying = [k for k in range(len(nodes[0].parts))
                   if len({code(n.parts[k]) for n in nodes}) > 1]
        if len(varying) != 1:
            return None
        k = varying[0]
        if not all(isinstance(n.parts[k], cst.FormattedStringText) for n in nodes):
            return None
        texts = [n.parts[k].value for n in nodes]
        if any("{" in t or "}" in t for t in texts):
            return None  # `{{` is one brace in an f-string, two in the plain literal the tail becomes
        head = _head(texts)
        tails = [t[len(head):] for t in texts]
        if len(set(tails)) != len(tails):
            return None
        hole = [cst.FormattedStringText(head)] if head else []
        hole.append(cst.FormattedStringExpression(cst.Name(name)))
        templates = [v.deep_replace(n, n.with_changes(parts=[*n.parts[:k], *hole, *n.parts[k + 1:]]))
                     for n, v in zip(nodes, values)]
        quote = nodes[0].start[1:]
        literals = tuple(f"{quote}{tail}{quote}" for tail in tails)
    else:
        return None
    rendered = {code(t) for t in templates}
    if len(rendered) != 1 or rendered == {name}:
        return None  # not one expression; or the literal alone, which merge-assignments writes shorter
    return _Shape(rendered.pop(), literals)


def _literals(value: cst.BaseExpression) -> list[cst.SimpleString | cst.FormattedString]:
    """The string literals of `value` in source order; those of an implicit concatenation (`'a' 'b'`) do not
    count: the loop variable cannot stand for a piece of one."""
    pieces = {id(n) for c in walk(value) if isinstance(c, cst.ConcatenatedString) for n in walk(c)}
    return [n for n in walk(value) if isinstance(n, (cst.SimpleString, cst.FormattedString)) and id(n) not in pieces]


def _shape(values: list[cst.BaseExpression], name: str) -> _Shape | None:
    """How the values are one expression over a varying literal; None when they are not."""
    leaves = [_literals(v) for v in values]
    if len({len(found) for found in leaves}) != 1:
        return None
    for j in range(len(leaves[0])):
        shape = _vary([found[j] for found in leaves], values, name)
        if shape is not None:
            return shape
    return None


class GeneratorUnpack(SiteChooser, RunReplacer, VisitorBasedCodemodCommand):
    DESCRIPTION = "Turn assignments of one expression differing in one string literal into one generator unpacking."

    METADATA_DEPENDENCIES = (ScopeProvider, ParentNodeProvider, PositionProvider)

    def __init__(self, context, sites=None) -> None:
        super().__init__(context)
        self.init_sites(sites)
        self.plans: dict[tuple[int, int], RunPlan] = {}  # (block id, start index) -> plan

    def visit_Module(self, node: cst.Module) -> bool:
        nothing = "no run of assignments differing in one string literal that can safely become one generator"
        if tells := spelled(node, DYNAMIC_NAMES | LINE_READERS | TELLS):
            raise skip(f"{nothing} (the module spells {', '.join(tells)})")
        self.width = max_line_length(node)
        self.declared = declared_names(node)
        found: list[Candidate[RunPlan]] = []
        for block in walk(node):
            if isinstance(block, (cst.Module, cst.IndentedBlock)):
                i = 0
                while i < len(block.body):
                    run = self._run_at(block.body, i)
                    if run is not None:
                        length, replacement, summary = run
                        start = self.get_metadata(PositionProvider, block.body[i]).start
                        plan = RunPlan(id(block), i, length, replacement)
                        found.append(Candidate(start.line, start.column, summary, plan))
                    i += run[0] if run is not None else 1
        for plan in self.choose(found, nothing):
            self.plans[plan.block, plan.start] = plan
        return True

    def _run_at(self, stmts, start: int) -> tuple[int, cst.SimpleStatementLine, str] | None:
        """(statements taken, the one line, summary) for the longest safe run from `start` that fits; else None."""
        if _pairs(stmts[start]) is None:
            return None
        best = None
        end = start + 2  # each check holds for a shorter run when it holds for a longer one: grow while it does
        while end <= len(stmts) and not stmts[end - 1].leading_lines and _pairs(stmts[end - 1]) is not None:
            run = self._rewrite(stmts[start:end])
            if run is None:
                break
            best, end = (end - start, *run), end + 1
        return best

    def _rewrite(self, stmts) -> tuple[cst.SimpleStatementLine, str] | None:
        pairs = [pair for stmt in stmts for pair in _pairs(stmt)]
        targets = [t.value for t, _ in pairs]
        values = [v for _, v in pairs]
        name = fresh_name("name", set().union(*(names_in(s) for s in stmts)))
        shape = _shape(values, name)
        if shape is None or not self._safe(stmts[0], pairs):
            return None
        text = f"{', '.join(targets)} = ({shape.template} for {name} in ({', '.join(shape.literals)}))"
        if not _same_tree(text, targets, shape, name):
            return None
        comments = [comment_text(s.trailing_whitespace.comment) for s in stmts if s.trailing_whitespace.comment]
        trailing = cst.TrailingWhitespace()
        if comments:
            whitespace = next(s.trailing_whitespace.whitespace.value for s in stmts if s.trailing_whitespace.comment)
            trailing = cst.TrailingWhitespace(cst.SimpleWhitespace(whitespace or "  "),
                                              cst.Comment(f"# {'; '.join(comments)}"))
        indent = self.get_metadata(PositionProvider, stmts[0]).start.column
        if indent + len(text) + len(code(trailing).rstrip("\n")) > self.width:
            return None
        line = cst.parse_statement(text + "\n", config=self.module.config_for_parsing)
        start = self.get_metadata(PositionProvider, stmts[0]).start.line
        summary = (f"unpack {', '.join(f'`{t}`' for t in targets)} from one generator over "
                   f"{', '.join(shape.literals)} (lines {start}-{start + len(stmts) - 1})")
        return line.with_changes(leading_lines=stmts[0].leading_lines, trailing_whitespace=trailing), summary

    def _safe(self, first: cst.CSTNode, pairs: list[tuple[cst.Name, cst.BaseExpression]]) -> bool:
        targets = [t.value for t, _ in pairs]
        reads = set().union(*(names_in(v) for _, v in pairs))
        if len(set(targets)) != len(targets) or reads & (set(targets) | self.declared | {"super", "__class__"}):
            return False
        if any(contains(v, _NEVER) for _, v in pairs):
            return False
        if deepens_recursion(self.module, lambda n: self.get_metadata(ParentNodeProvider, n, None), first,
                             [v for _, v in pairs]):
            return False  # each level of a recursion through these values would run one frame deeper
        scope = self.get_metadata(ScopeProvider, pairs[0][0], None)
        if scope is None or isinstance(scope, ClassScope) or set(targets) & self.declared:
            return False
        if any(read_elsewhere(self._scope_of, scope, t) for t in targets):
            return False  # code run by a value could read a target before it is bound
        node = self.get_metadata(ParentNodeProvider, first, None)
        while node is not None and not isinstance(node, (cst.FunctionDef, cst.Module)):
            if isinstance(node, _CATCHERS):
                return False
            node = self.get_metadata(ParentNodeProvider, node, None)
        return True

    def _scope_of(self, node: cst.CSTNode):
        return self.get_metadata(ScopeProvider, node, None)


def _same_tree(text: str, targets: list[str], shape: _Shape, name: str) -> bool:
    """Python's parser reads the line as the targets, unpacked from a generator of the template over the literals."""
    try:
        tree = ast.parse(text).body[0]
        element = ast.parse(f"(\n{shape.template}\n)", mode="eval").body
        literals = [ast.literal_eval(literal) for literal in shape.literals]
    except (SyntaxError, ValueError):
        return False
    if not (isinstance(tree, ast.Assign) and isinstance(tree.targets[0], ast.Tuple)
            and isinstance(tree.value, ast.GeneratorExp) and len(tree.value.generators) == 1):
        return False
    loop = tree.value.generators[0]
    return ([t.id if isinstance(t, ast.Name) else None for t in tree.targets[0].elts] == targets
            and ast.dump(tree.value.elt) == ast.dump(element)
            and isinstance(loop.target, ast.Name) and loop.target.id == name and not loop.ifs
            and isinstance(loop.iter, ast.Tuple)
            and [e.value if isinstance(e, ast.Constant) else None for e in loop.iter.elts] == literals)
