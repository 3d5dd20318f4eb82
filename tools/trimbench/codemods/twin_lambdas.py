"""twin-lambdas: two consecutive reflected-twin methods of one `return` each become one paired lambda assignment.

    def __sub__(self, other): return self + (-other)
    def __rsub__(self, other): return other + (-self)

becomes, as the chain's step 07 writes it,

    __sub__, __rsub__ = lambda self, other: self + (-other), lambda self, other: other + (-self)

for a binary operator's `__x__` and `__rx__` (`__sub__`/`__rsub__`, `__truediv__`/`__rtruediv__`, ...), in either
order, each a `def` whose whole body is `return EXPR`. Why the lambda is the same method:
- the same scoping: both are functions nested in the class body, which neither sees; their free names resolve
  to the enclosing functions' or the globals, looked up when called; private names are mangled alike;
- the same evaluation: EXPR runs at call time in both, with the same parameters (copied as written: positional,
  `/`, literal defaults only, so creating the lambdas runs no code and reads no name);
- the same binding: the two names are bound in the same order, by one statement, with nothing between the two
  defs that could run (the second def's lines above it may be blank, never a comment).
What differs: the functions' `__name__` and `__qualname__` (`<lambda>`), their code objects and tracebacks. So a
module is refused when it spells a name through which it may see them (`_shared.NAME_READERS`: `__name__`,
`__qualname__`, `getattr`, `dir`, `pickle`, ...; `LINE_READERS`: `inspect`, `__code__`, ...; a dynamic name), or
spells a twin's name anywhere but its def (`print(Value.__sub__)`); a class with a base (other than `object`), a
metaclass or a decorator is left alone: it could read the methods' names. A pair is refused when either def has
- decorators, annotations, `async`, defaults that are not literals, `*args`, keyword-only parameters or `**kwargs`;
- a body that is not one `return EXPR` on one line: a docstring, `yield`/`await`, `super` or `__class__` (the
  implicit cell), own-line comments inside, a pragma comment;
- parameters over several lines, or the pair's line would be over the file's width (at most 120).
Parentheses are the parser's decision (`return a, b` becomes `lambda self, other: (a, b)`); the lines above the
first def stay above the pair, trailing comments are joined in order with `; `. Each pair is one site; pairs
never share a def.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import PositionProvider

from ._shared import (DYNAMIC_NAMES, LINE_READERS, LITERALS, NAME_READERS, code, def_lines, exposed, fresh_name,
                      is_pragma, joined_trailing, max_line_length, names_in, only_blank, placed, skip, spelled,
                      walk)
from ._sites import Candidate, SiteChooser

BINARY = frozenset({"add", "sub", "mul", "matmul", "truediv", "floordiv", "mod", "divmod", "pow", "lshift", "rshift",
                    "and", "xor", "or"})


def twins(first: str, second: str) -> bool:
    """Whether the two method names are a binary operator's `__x__` and `__rx__`, in either order."""
    return any(a.startswith("__") and a.endswith("__") and a[2:-2] in BINARY and b == f"__r{a[2:]}"
               for a, b in ((first, second), (second, first)))


def _literal(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        node = node.expression
    return isinstance(node, LITERALS) or isinstance(node, cst.Name) and node.value in {"None", "True", "False"}


def _returned(node: cst.CSTNode) -> tuple[cst.BaseExpression, list[cst.Comment]] | None:
    """What a one-`return` method returns and its trailing comments, or None when it is not one a lambda can be."""
    if not isinstance(node, cst.FunctionDef) or node.decorators or node.asynchronous or node.returns is not None:
        return None
    params = node.params
    if params.star_arg is not cst.MaybeSentinel.DEFAULT or params.kwonly_params or params.star_kwarg:
        return None
    every = [*params.posonly_params, *params.params]
    if any(p.annotation or (p.default is not None and not _literal(p.default)) for p in every):
        return None
    if "\n" in code(params):
        return None
    found = def_lines(node)
    if found is None or len(found[0]) != 1:
        return None
    (line,), comments = found
    lines = line.body
    if len(lines) != 1 or not isinstance(lines[0], cst.Return) or lines[0].value is None:
        return None
    value = lines[0].value
    if any(isinstance(n, (cst.Yield, cst.Await)) for n in walk(value)) or {"super", "__class__"} & names_in(value):
        return None
    if "\n" in code(value) or any(map(is_pragma, comments)):
        return None
    return value, comments


class TwinLambdas(SiteChooser, VisitorBasedCodemodCommand):
    DESCRIPTION = "Write two consecutive reflected-twin one-return methods as one paired lambda assignment."

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, context, sites=None) -> None:
        super().__init__(context)
        self.init_sites(sites)
        self.pairs: dict[int, cst.SimpleStatementLine | None] = {}  # id(def) -> the pair (first) or None (second)

    def visit_Module(self, node: cst.Module) -> bool:
        if readers := spelled(node, NAME_READERS | LINE_READERS | DYNAMIC_NAMES):
            raise skip(f"the module spells {', '.join(readers)}: it may see the methods' names")
        width = max_line_length(node)
        found = []
        for cls in walk(node):
            if not isinstance(cls, cst.ClassDef) or not isinstance(cls.body, cst.IndentedBlock):
                continue
            if cls.decorators or cls.keywords or any(not m.matches(b.value, m.Name("object")) for b in cls.bases):
                continue  # a decorator, base or metaclass could read the methods' names
            body, i = cls.body.body, 0
            while i + 1 < len(body):
                pair = self._pair(node, body[i], body[i + 1], width)
                if pair is None:
                    i += 1
                    continue
                start = self.get_metadata(PositionProvider, body[i]).start
                summary = f"`{body[i].name.value}` and `{body[i + 1].name.value}` as one line of lambdas"
                found.append(Candidate(start.line, start.column, summary, (body[i], body[i + 1], pair)))
                i += 2
        for first, second, pair in self.choose(found, "no two consecutive twin methods of one `return` each"):
            self.pairs[id(first)], self.pairs[id(second)] = pair, None
        return True

    def _pair(self, module: cst.Module, first: cst.CSTNode, second: cst.CSTNode,
              width: int) -> cst.SimpleStatementLine | None:
        if not isinstance(first, cst.FunctionDef) or not isinstance(second, cst.FunctionDef):
            return None
        names = first.name.value, second.name.value
        if not twins(*names) or any(exposed(module, name) for name in names):
            return None
        returned = [_returned(first), _returned(second)]
        if None in returned or not only_blank(second.leading_lines):
            return None
        holes = [fresh_name(f"_hole{n}", names_in(module)) for n in (1, 2)]
        lambdas = ", ".join(f"lambda{' ' if code(d.params) else ''}{code(d.params)}: {hole}"
                            for d, hole in zip((first, second), holes))
        pair = cst.parse_statement(f"{names[0]}, {names[1]} = {lambdas}\n", config=module.config_for_parsing)
        for hole, (value, _) in zip(holes, returned):
            use = next(n for n in walk(pair) if isinstance(n, cst.Name) and n.value == hole)
            value = placed(pair, use, value)
            if value is None:
                return None
            pair = pair.deep_replace(use, value)
        comments = [c for _, found in returned for c in found]
        pair = pair.with_changes(leading_lines=first.leading_lines, trailing_whitespace=joined_trailing(comments))
        column = self.get_metadata(PositionProvider, first).start.column
        return pair if column + len(module.code_for_node(pair).splitlines()[-1]) <= width else None

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        if not any(id(stmt) in self.pairs for stmt in original_node.body.body):
            return updated_node
        out = []
        for old, new in zip(original_node.body.body, updated_node.body.body):
            if id(old) not in self.pairs:
                out.append(new)
            elif self.pairs[id(old)] is not None:
                out.append(self.pairs[id(old)])
        return updated_node.with_changes(body=updated_node.body.with_changes(body=out))
