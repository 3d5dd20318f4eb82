"""operator-dunders: a class's look-alike binary dunders come from one `_binary` factory, their twins by aliasing.

It rewrites methods of exactly this shape (the autograd `Value` of micrograd / microgpt), and their reflected
twins of exactly the shape `def __radd__(self, other): return self + other`:

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1))

into the chain's form (variants/19_binary_lambdas.py)

    def _binary(op, local_grads): # a binary dunder from an operation and its local gradients
        node = lambda self, other: Value(op(self.data, other.data), (self, other), local_grads(self.data, other.data))
        return lambda self, other: node(self, other if isinstance(other, Value) else Value(other))
    __add__ = __radd__ = _binary(lambda a, b: a + b, lambda a, b: (1, 1))

Why each dunder computes what its method did:
- the operation: `lambda a, b: a + b` on `self.data, other.data` is `self.data + other.data`, the same float
  operation (`operator.add`, which is `a + b`, when the module imports `operator` plainly before the class and
  binds the name nowhere else). Only direct `self.data OP other.data` is touched: the original's `__sub__`
  (`self + (-other)`) rounds differently from `a - b`;
- the local gradients are copied from each method, `self.data` -> `a` and `other.data` -> `b`, never assumed
  (a factory handing every operator (1, 1) trains a different model), and computed after the result, as
  before. The data are read again for them, self's first: unobservable for a class that defines no
  `__getattr__`/`__getattribute__` and binds no name `data` in its body (`__slots__` aside);
- the coercion of `other` runs first, as before; the lambdas, like the methods, do not see the class body: the
  class's name, `isinstance` and the gradients' free names are looked up when called. `op`, `local_grads`,
  `node` are the factory's own names: refused when the class or a parameter is so named;
- a twin: `__radd__ = __add__` replaces `return self + other` (same parameters). `self + other` calls the
  class's `__add__`, which never returns NotImplemented, unless self's class is a subclass overriding `__add__`
  or other's one overriding `__radd__`: the twin keeps its def when a class in the module names the class among
  its bases, the module spells the twin's name elsewhere (`Value.__radd__(x, y)`, x no Value), or a comment is
  above it. Assumed: no code outside the module subclasses the class (the module is a program).
What differs: the dunders' `__name__` and `__qualname__` are `<lambda>`, `__radd__ is __add__`, tracebacks have
other frames; the class gains `_binary`, a plain function in its namespace (`dir(Value)` shows it; never called
through an instance). So a module is refused when it spells a name through which it may see that
(`_shared.NAME_READERS`: `dir`, `__name__`, `getattr`, ...; `LINE_READERS`; `DYNAMIC_NAMES`), reads a `_binary`
other than a factory written here, or reads a rewritten dunder other than by calling it (`print(Value.__add__)`;
a call `Value.__add__(a, b)` sees only what it returns). A class is refused when
- fewer than two methods have exactly that shape, a method's name does not match its operator (`__add__`
  computing `*`, a two-line `__radd__`), the class binds it twice, the methods name their parameters
  differently, or the gradients read anything of self/other but the one attribute;
- it has a base (other than `object`), a metaclass or a decorator: they could define or look up the factory's
  name, or read the methods' names;
- a method holds an own-line comment or a pragma, or a generated line is over 120 columns.
Layout: the factory takes the first method's place (and the lines above it), each assignment its method's; a
twin's trailing comment joins its forward's line with `; `. Each class is one site.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst
import libcst.matchers as m
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import PositionProvider

from ..lines import LINE_LENGTH
from ._shared import (DYNAMIC_NAMES, LINE_READERS, NAME_READERS, bound_names, code, def_lines, exposed, fresh_name,
                      is_pragma, joined_trailing, names_in, only_blank, option, skip, spelled, string_words, walk)
from ._sites import Candidate, SiteChooser

HELPER = "_binary"
LOCALS = frozenset({"op", "local_grads", "node"})  # the factory's own names

# libcst operator node -> (its symbol, the `operator` function computing the same thing).
OPERATORS: dict[type, tuple[str, str]] = {
    cst.Add: ("+", "add"), cst.Subtract: ("-", "sub"), cst.Multiply: ("*", "mul"), cst.Divide: ("/", "truediv"),
    cst.FloorDivide: ("//", "floordiv"), cst.Modulo: ("%", "mod"), cst.Power: ("**", "pow"),
    cst.MatrixMultiply: ("@", "matmul"),
}


@dataclass(frozen=True)
class _Dunder:
    index: int  # position in the class body
    name: str  # __add__
    operator: type  # cst.Add
    grads: cst.Tuple  # the local gradients, as written
    coerce: cst.IfExp  # `other if isinstance(other, Value) else Value(other)`, reused verbatim
    attr: str  # data
    params: tuple[str, str]  # (self, other)
    comments: tuple[cst.Comment, ...]  # its trailing comments, in order


def _plain_params(node: cst.FunctionDef) -> tuple[str, str] | None:
    """The two parameter names of a plain `def f(a, b)`: no defaults, annotations, stars, decorators, async."""
    params = node.params
    if (node.decorators or node.asynchronous or node.returns is not None or len(params.params) != 2
            or params.star_arg is not cst.MaybeSentinel.DEFAULT or params.kwonly_params or params.star_kwarg
            or params.posonly_params or any(p.default or p.annotation for p in params.params)):
        return None
    return params.params[0].name.value, params.params[1].name.value


def _match_dunder(cls_name: str, index: int, node: cst.CSTNode) -> _Dunder | None:
    """The dunder's parts when `node` has exactly the expected shape, else None."""
    if not isinstance(node, cst.FunctionDef) or (params := _plain_params(node)) is None:
        return None
    self_name, other_name = params
    found = def_lines(node)
    if found is None or len(found[0]) != 2 or any(len(line.body) != 1 for line in found[0]):
        return None
    (first, second), comments = found
    coerce = m.Assign(
        targets=[m.AssignTarget(target=m.Name(other_name))],
        value=m.IfExp(
            test=m.Call(func=m.Name("isinstance"), args=[m.Arg(m.Name(other_name)), m.Arg(m.Name(cls_name))]),
            body=m.Name(other_name),
            orelse=m.Call(func=m.Name(cls_name), args=[m.Arg(m.Name(other_name))]),
        ),
    )
    ret = second.body[0]
    if not m.matches(first.body[0], coerce) or not m.matches(ret, m.Return(value=m.Call(func=m.Name(cls_name)))):
        return None
    args = ret.value.args
    if len(args) != 3 or any(a.keyword or a.star for a in args):
        return None
    result, children, grads = (a.value for a in args)
    if not m.matches(result, m.BinaryOperation(left=m.Attribute(value=m.Name(self_name)))) or result.lpar:
        return None
    attr = result.left.attr.value
    if not m.matches(result.right, m.Attribute(value=m.Name(other_name), attr=m.Name(attr))):
        return None
    if type(result.operator) not in OPERATORS or node.name.value != f"__{OPERATORS[type(result.operator)][1]}__":
        return None  # `__add__` must compute `+`; anything else is not what it looks like
    if not m.matches(children, m.Tuple(elements=[m.Element(m.Name(self_name)), m.Element(m.Name(other_name))])):
        return None
    if not isinstance(grads, cst.Tuple) or len(grads.elements) != 2:
        return None
    return _Dunder(index, node.name.value, type(result.operator), grads, first.body[0].value, attr, params,
                   tuple(comments))


def _twin(node: cst.CSTNode, forward: _Dunder) -> tuple[cst.Comment, ...] | None:
    """The trailing comments of `def __radd__(self, other): return self + other`, forward's exact twin, else None."""
    if not isinstance(node, cst.FunctionDef) or node.name.value != "__r" + forward.name[2:]:
        return None
    if _plain_params(node) != forward.params or not only_blank(node.leading_lines):
        return None
    found = def_lines(node)
    if found is None or len(found[0]) != 1 or len(found[0][0].body) != 1:
        return None
    self_name, other_name = forward.params
    op = m.BinaryOperation(left=m.Name(self_name), operator=getattr(m, forward.operator.__name__)(),
                           right=m.Name(other_name), lpar=[], rpar=[])
    return tuple(found[1]) if m.matches(found[0][0].body[0], m.Return(value=op)) else None


def _grads_lambda(dunder: _Dunder, operands: tuple[str, str]) -> str | None:
    """`lambda a, b: (...)` computing the method's local gradients; None when they use more of self/other."""
    self_name, other_name = dunder.params
    spelled_here = names_in(dunder.grads)
    a = fresh_name(operands[0], spelled_here)
    b = fresh_name(operands[1], spelled_here | {a})

    class Rename(cst.CSTTransformer):
        def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
            for name, new in ((self_name, a), (other_name, b)):
                if m.matches(original, m.Attribute(value=m.Name(name), attr=m.Name(dunder.attr))):
                    return cst.Name(new, lpar=updated.lpar, rpar=updated.rpar)
            return updated

    renamed = dunder.grads.visit(Rename())
    if {self_name, other_name, "super", "__class__"} & names_in(renamed):
        return None  # the gradients read more than the two operands' data
    if any(isinstance(n, (cst.Yield, cst.Await, cst.NamedExpr)) for n in walk(renamed)):
        return None
    body = code(renamed)
    return f"lambda {a}, {b}: {body if renamed.lpar and renamed.rpar else f'({body})'}"


class OperatorDunders(SiteChooser, VisitorBasedCodemodCommand):
    DESCRIPTION = "Generate a class's same-shaped binary dunders from one `_binary` factory, twins as aliases."

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, context, class_name: str | None = None, sites=None) -> None:
        super().__init__(context)
        self.class_name = option(class_name, str, "class_name")
        self.init_sites(sites)
        self.plans: dict[int, dict[int, list[cst.BaseStatement]]] = {}  # id(ClassDef) -> body index -> new lines

    @staticmethod
    def add_args(arg_parser) -> None:
        arg_parser.add_argument("--class-name", dest="class_name", default=None,
                                help="only this class (default: every class with two or more such dunders)")

    def visit_Module(self, node: cst.Module) -> bool:
        if readers := spelled(node, NAME_READERS | LINE_READERS | DYNAMIC_NAMES):
            raise skip(f"the module spells {', '.join(readers)}: it may see the methods' names")
        if _helper_read(node):
            raise skip(f"the module reads a `{HELPER}`: it could see the factory")
        bound = bound_names(node)
        self.operands = ("a", "b") if {"a", "b"} <= bound.keys() else ("lhs", "rhs")  # no new one-letter name
        self.imported = _imports_operator(node, bound.get("operator", []))
        derived = {n for cls in walk(node) if isinstance(cls, cst.ClassDef) for b in cls.bases for n in names_in(b)}
        found = []
        for cls in walk(node):
            if isinstance(cls, cst.ClassDef) and (plan := self._plan(node, cls, cls.name.value not in derived)):
                first = min(i for i, lines in plan.items() if lines)  # the factory's place, not a twin's
                start = self.get_metadata(PositionProvider, cls.body.body[first]).start
                summary = f"write the binary dunders of `{cls.name.value}` through one `{HELPER}` factory"
                found.append(Candidate(start.line, start.column, summary, (cls, plan)))
        for cls, plan in self.choose(found, "no class has two or more binary dunders of the expected shape"):
            self.plans[id(cls)] = plan
        return True

    def _plan(self, module: cst.Module, cls: cst.ClassDef, twins_allowed: bool) -> dict[int, list] | None:
        """Body index -> the lines replacing that statement ([] drops it), or None when the class is refused."""
        name = cls.name.value
        if self.class_name not in (None, name) or not isinstance(cls.body, cst.IndentedBlock):
            return None
        if cls.decorators or cls.keywords or any(not m.matches(b.value, m.Name("object")) for b in cls.bases):
            return None  # a base class or metaclass could define or look for the factory's name
        body = list(cls.body.body)
        found = [d for i, stmt in enumerate(body) if (d := _match_dunder(name, i, stmt)) is not None]
        if len(found) < 2 or len({(d.attr, d.params) for d in found}) != 1:
            return None  # one method alone costs more lines as a factory than it saves
        attr, (s, o) = found[0].attr, found[0].params
        if LOCALS & {name, s, o} or any(exposed(module, d.name) for d in found):
            return None
        if any(sum(d.name in _binds(stmt) for stmt in body) != 1 for d in found):
            return None  # bound twice in the class
        if any({attr, "__getattr__", "__getattribute__", HELPER} & _binds(stmt) for stmt in body):
            return None  # reading the attribute could run code, or the class has a factory already
        grads = [_grads_lambda(d, self.operands) for d in found]
        if None in grads:
            return None
        twins = {d.index: i for d in found for i, stmt in enumerate(body) if twins_allowed
                 and _twin(stmt, d) is not None and not exposed(module, stmt.name.value, calls=True)
                 and sum(stmt.name.value in _binds(other) for other in body) == 1}
        plan: dict[int, list[cst.BaseStatement]] = {i: [] for i in twins.values()}
        a, b = self.operands
        for d, lam in zip(found, grads):
            twin = twins.get(d.index)
            targets = d.name + (f" = {body[twin].name.value}" if twin is not None else "")
            symbol, function = OPERATORS[d.operator]
            op = f"operator.{function}" if self.imported.get(id(cls)) else f"lambda {a}, {b}: {a} {symbol} {b}"
            notes = [*d.comments, *(_twin(body[twin], d) if twin is not None else ())]
            if any(map(is_pragma, notes)):
                return None
            leading = body[d.index].leading_lines
            if d.index - 1 in plan and only_blank(leading):
                leading = ()  # the rewritten dunders stay together
            line = cst.parse_statement(f"{targets} = {HELPER}({op}, {lam})\n", config=module.config_for_parsing)
            plan[d.index] = [line.with_changes(leading_lines=leading, trailing_whitespace=joined_trailing(notes))]
        first = found[0]
        helper = cst.parse_statement(
            f"def {HELPER}(op, local_grads): # a binary dunder from an operation and its local gradients\n"
            f"    node = lambda {s}, {o}: {name}(op({s}.{attr}, {o}.{attr}), ({s}, {o}), "
            f"local_grads({s}.{attr}, {o}.{attr}))\n"
            f"    return lambda {s}, {o}: node({s}, {code(first.coerce)})\n",
            config=module.config_for_parsing,
        )
        plan[first.index] = [helper.with_changes(leading_lines=body[first.index].leading_lines),
                             plan[first.index][0].with_changes(leading_lines=())]
        column = self.get_metadata(PositionProvider, body[first.index]).start.column
        for stmt in (stmt for lines in plan.values() for stmt in lines):
            if any(column + len(x) > LINE_LENGTH for x in module.code_for_node(stmt).splitlines()):
                return None
        return plan

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        plan = self.plans.get(id(original_node))
        if plan is None:
            return updated_node
        out: list[cst.BaseStatement] = []
        last = max(i for i, lines in plan.items() if lines)
        carried: tuple[cst.EmptyLine, ...] = ()
        for i, stmt in enumerate(updated_node.body.body):
            if i in plan:
                carried = () if plan[i] else carried or tuple(stmt.leading_lines)  # a dropped twin's blank lines
                out.extend(plan[i])
                continue
            if i == last + 1 and _is_one_liner(stmt) and only_blank(stmt.leading_lines):
                stmt, carried = stmt.with_changes(leading_lines=()), ()  # join the one-liners that follow
            out.append(stmt.with_changes(leading_lines=carried) if carried and not stmt.leading_lines else stmt)
            carried = ()
        return updated_node.with_changes(body=updated_node.body.with_changes(body=out))


def _imports_operator(module: cst.Module, bindings: list[ast.AST]) -> dict[int, bool]:
    """id(top-level class) -> True when a plain `import operator` runs before it and nothing else binds the name."""
    plain = all(isinstance(i, ast.Import) and all(a.name == "operator" and a.asname is None for a in i.names
                                                  if (a.asname or a.name.split(".")[0]) == "operator")
                for i in bindings)
    found, seen = {}, False
    for stmt in module.body:
        seen = seen or m.matches(stmt, m.SimpleStatementLine(body=[m.ZeroOrMore(), m.Import(names=[
            m.ZeroOrMore(), m.ImportAlias(name=m.Name("operator"), asname=None), m.ZeroOrMore()]), m.ZeroOrMore()]))
        found[id(stmt)] = plain and seen
    return found


def _helper_read(module: cst.Module) -> bool:
    """Whether any code may read a `_binary` attribute or global: the module spells it other than as a class's own
    `def _binary` and class-body calls `... = _binary(...)` next to one (a factory written here before)."""
    allowed = set()
    for cls in walk(module):
        body = cls.body.body if isinstance(cls, cst.ClassDef) and isinstance(cls.body, cst.IndentedBlock) else ()
        if not any(isinstance(stmt, cst.FunctionDef) and stmt.name.value == HELPER for stmt in body):
            continue
        for stmt in body:
            if isinstance(stmt, cst.FunctionDef) and stmt.name.value == HELPER:
                allowed.add(id(stmt.name))
            elif m.matches(stmt, m.SimpleStatementLine(body=[m.Assign(value=m.Call(func=m.Name(HELPER)))])):
                allowed.add(id(stmt.body[0].value.func))
    names = [n for n in walk(module) if isinstance(n, cst.Name) and n.value == HELPER]
    return HELPER in string_words(module) or any(id(n) not in allowed for n in names)


def _binds(stmt: cst.CSTNode) -> set[str]:
    """The names a class-body statement may bind there: a def's or class's own, else every name it spells."""
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
        return {stmt.name.value}
    return names_in(stmt)


def _is_one_liner(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.FunctionDef) and isinstance(stmt.body, cst.SimpleStatementSuite)
