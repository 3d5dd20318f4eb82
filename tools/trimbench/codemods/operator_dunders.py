"""operator-dunders: write a class's look-alike binary dunders once, as one helper plus `operator` one-liners.

It rewrites methods of exactly this shape (the autograd `Value` of micrograd / microgpt):

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1))

into

    def _binary(self, other, op, local_grads):
        other = other if isinstance(other, Value) else Value(other)
        return Value(op(self.data, other.data), (self, other), local_grads(self.data, other.data))

    def __add__(self, other): return self._binary(other, operator.add, lambda a, b: (1, 1))

The local gradients are copied from each method, with `self.data` -> `a` and `other.data` -> `b`, never
assumed: a helper that hands every operator the gradients (1, 1) trains a different model. Only methods
that already compute `self.data OP other.data` directly are touched, so the floats stay the same: the
original's `__sub__` (`self + (-other)`) and `__truediv__` (`self * other**-1`) are left as they are,
because a direct `a - b` or `a / b` rounds differently. `operator.add(a, b)` is `a + b`, evaluated at the
same moment, and the local gradients are computed after it, as before. A class is refused when
- fewer than two methods have exactly that shape, a method's name does not match its operator (`__add__`
  computing `*`, `__radd__`), or its gradients read anything of self/other but the one attribute;
- it has a base class (other than `object`), a metaclass or a decorator: they could define or look up the
  helper's name; or `_binary` is spelled anywhere in the module, or `operator` means something else.
Each class is one site; the `import operator` line is added once, whichever sites apply.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
import libcst.matchers as m
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import PositionProvider

from ._shared import code, fresh_name, names_in, only_blank, option, skip, walk
from ._sites import Candidate, SiteChooser

HELPER = "_binary"

# libcst operator node -> the `operator` function computing the same thing.
OPERATORS: dict[type, str] = {
    cst.Add: "add",
    cst.Subtract: "sub",
    cst.Multiply: "mul",
    cst.Divide: "truediv",
    cst.FloorDivide: "floordiv",
    cst.Modulo: "mod",
    cst.Power: "pow",
    cst.MatrixMultiply: "matmul",
}


@dataclass(frozen=True)
class _Dunder:
    index: int  # position in the class body
    name: str  # __add__
    function: str  # operator.add
    grads: str  # lambda a, b: (1, 1)
    coerce: cst.BaseStatement  # the `other = other if isinstance(...) else ...` line, reused verbatim
    attr: str  # data
    params: tuple[str, str]  # (self, other)


def _match_dunder(cls_name: str, index: int, node: cst.CSTNode) -> _Dunder | None:
    """The dunder's parts when `node` has exactly the expected shape, else None."""
    if not isinstance(node, cst.FunctionDef) or node.decorators or node.asynchronous:
        return None
    name = node.name.value
    params = node.params
    if not (name.startswith("__") and name.endswith("__")) or len(params.params) != 2:
        return None
    if params.star_arg is not cst.MaybeSentinel.DEFAULT or params.kwonly_params or params.star_kwarg:
        return None
    if params.posonly_params or any(p.default or p.annotation for p in params.params):
        return None
    self_name, other_name = (p.name.value for p in params.params)
    if node.returns is not None or not isinstance(node.body, cst.IndentedBlock) or len(node.body.body) != 2:
        return None
    first, second = node.body.body
    coerce = m.SimpleStatementLine(
        body=[
            m.Assign(
                targets=[m.AssignTarget(target=m.Name(other_name))],
                value=m.IfExp(
                    test=m.Call(
                        func=m.Name("isinstance"), args=[m.Arg(m.Name(other_name)), m.Arg(m.Name(cls_name))]
                    ),
                    body=m.Name(other_name),
                    orelse=m.Call(func=m.Name(cls_name), args=[m.Arg(m.Name(other_name))]),
                ),
            )
        ]
    )
    if not m.matches(first, coerce) or not only_blank(first.leading_lines):
        return None
    if not (isinstance(second, cst.SimpleStatementLine) and len(second.body) == 1):
        return None
    ret = second.body[0]
    if not m.matches(ret, m.Return(value=m.Call(func=m.Name(cls_name)))) or not only_blank(second.leading_lines):
        return None
    args = ret.value.args
    if len(args) != 3 or any(a.keyword or a.star for a in args):
        return None
    result, children, grads = (a.value for a in args)
    if not m.matches(result, m.BinaryOperation(left=m.Attribute(value=m.Name(self_name)))):
        return None
    attr = result.left.attr.value
    if not m.matches(result.right, m.Attribute(value=m.Name(other_name), attr=m.Name(attr))):
        return None
    function = OPERATORS.get(type(result.operator))
    if function is None or name != f"__{function}__":
        return None  # `__add__` must compute `+`; anything else is not what it looks like
    if not m.matches(children, m.Tuple(elements=[m.Element(m.Name(self_name)), m.Element(m.Name(other_name))])):
        return None
    if not isinstance(grads, cst.Tuple) or len(grads.elements) != 2:
        return None
    lam = _grads_lambda(grads, self_name, other_name, attr)
    if lam is None:
        return None
    return _Dunder(index, name, f"operator.{function}", lam, first, attr, (self_name, other_name))


def _grads_lambda(grads: cst.Tuple, self_name: str, other_name: str, attr: str) -> str | None:
    """`lambda a, b: (...)` computing the method's local gradients; None when they use more of self/other."""
    spelled = names_in(grads)
    a = fresh_name("a", spelled)
    b = fresh_name("b", spelled | {a})

    class Rename(cst.CSTTransformer):
        def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
            if m.matches(original, m.Attribute(value=m.Name(self_name), attr=m.Name(attr))):
                return cst.Name(a, lpar=updated.lpar, rpar=updated.rpar)
            if m.matches(original, m.Attribute(value=m.Name(other_name), attr=m.Name(attr))):
                return cst.Name(b, lpar=updated.lpar, rpar=updated.rpar)
            return updated

    renamed = grads.visit(Rename())
    if {self_name, other_name} & names_in(renamed):
        return None  # the gradients read more than the two operands' data
    if any(isinstance(n, (cst.Yield, cst.Await, cst.NamedExpr)) for n in walk(renamed)):
        return None
    body = code(renamed)
    if not (renamed.lpar and renamed.rpar):
        body = f"({body})"
    return f"lambda {a}, {b}: {body}"


class OperatorDunders(SiteChooser, VisitorBasedCodemodCommand):
    DESCRIPTION = "Generate a class's same-shaped binary dunders from `operator`, keeping each one's local gradients."

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, context, class_name: str | None = None, sites=None) -> None:
        super().__init__(context)
        self.class_name = option(class_name, str, "class_name")
        self.init_sites(sites)
        self.plans: dict[int, list[_Dunder]] = {}  # id(original ClassDef) -> its dunders to rewrite

    @staticmethod
    def add_args(arg_parser) -> None:
        arg_parser.add_argument("--class-name", dest="class_name", default=None,
                                help="only this class (default: every class with two or more such dunders)")

    def visit_Module(self, node: cst.Module) -> bool:
        spelled = [n for n in walk(node) if isinstance(n, cst.Name) and n.value == "operator"]
        imported = [a for a in walk(node) if m.matches(a, m.ImportAlias(name=m.Name("operator"), asname=None))]
        if len(spelled) > len(imported):
            raise skip("the name `operator` already means something else in this module")
        if HELPER in names_in(node):
            raise skip(f"the name `{HELPER}` is already used in this module (a subclass or caller could clash)")
        found = []
        for cls in walk(node):
            if isinstance(cls, cst.ClassDef) and (dunders := self._dunders(cls)) is not None:
                start = self.get_metadata(PositionProvider, cls.body.body[dunders[0].index]).start
                names = ", ".join(f"`{d.name}`" for d in dunders)
                summary = f"write {names} of `{cls.name.value}` through one `{HELPER}` helper"
                found.append(Candidate(start.line, start.column, summary, (cls, dunders)))
        for cls, dunders in self.choose(found, "no class has two or more binary dunders of the expected shape"):
            self.plans[id(cls)] = dunders
        return True

    def _dunders(self, cls: cst.ClassDef) -> list[_Dunder] | None:
        """The class's dunders to rewrite, or None when it has fewer than two or is not a plain class."""
        name = cls.name.value
        if self.class_name not in (None, name) or not isinstance(cls.body, cst.IndentedBlock):
            return None
        if cls.decorators or cls.keywords or any(not m.matches(b.value, m.Name("object")) for b in cls.bases):
            return None  # a base class or metaclass could define or look for the helper's name
        body = list(cls.body.body)
        found = [d for i, s in enumerate(body) if (d := _match_dunder(name, i, s)) is not None]
        if len(found) < 2 or len({d.attr for d in found}) != 1:
            return None  # one method alone costs more lines as a helper than it saves
        defined = [_bound_name(s) for s in body]
        if any(defined.count(d.name) > 1 for d in found):
            return None
        if {"op", "local_grads"} & set(found[0].params):
            return None
        return found

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        found = self.plans.get(id(original_node))
        if found is None:
            return updated_node
        cls = updated_node.name.value
        body = list(updated_node.body.body)
        first, last = found[0], found[-1]
        attr, (s, o) = first.attr, first.params
        helper = cst.parse_statement(
            f"def {HELPER}({s}, {o}, op, local_grads):\n"
            f"    {code(first.coerce).strip()}\n"
            f"    return {cls}(op({s}.{attr}, {o}.{attr}), ({s}, {o}), local_grads({s}.{attr}, {o}.{attr}))\n",
            config=self.module.config_for_parsing,
        )
        helper = helper.with_changes(leading_lines=body[first.index].leading_lines)
        one_liners = [
            cst.parse_statement(
                f"def {d.name}({d.params[0]}, {d.params[1]}): "
                f"return {d.params[0]}.{HELPER}({d.params[1]}, {d.function}, {d.grads})\n",
                config=self.module.config_for_parsing,
            )
            for d in found
        ]
        one_liners[0] = one_liners[0].with_changes(leading_lines=body[last.index].leading_lines)
        indices = {d.index for d in found}
        out: list[cst.BaseStatement] = []
        for i, stmt in enumerate(body):
            if i == first.index:
                out.append(helper)
            if i == last.index:
                out.extend(one_liners)
            if i in indices:
                continue
            if i == last.index + 1 and _is_one_liner(stmt) and only_blank(stmt.leading_lines):
                stmt = stmt.with_changes(leading_lines=())  # join the group of one-line methods that follows
            out.append(stmt)
        return updated_node.with_changes(body=updated_node.body.with_changes(body=out))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return _ensure_import(updated_node)


def _bound_name(stmt: cst.CSTNode) -> str | None:
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
        return stmt.name.value
    if isinstance(stmt, cst.SimpleStatementLine):
        for small in stmt.body:
            if isinstance(small, cst.Assign):
                for t in small.targets:
                    if isinstance(t.target, cst.Name):
                        return t.target.value
    return None


def _is_one_liner(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.FunctionDef) and isinstance(stmt.body, cst.SimpleStatementSuite)


def _ensure_import(module: cst.Module) -> cst.Module:
    """Add `import operator` after the module's leading imports, unless it is there already."""
    body = list(module.body)
    for stmt in body:
        for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
            if m.matches(small, m.Import(names=[m.ImportAlias(name=m.Name("operator"), asname=None)])):
                return module
    position, previous = 0, None
    for i, stmt in enumerate(body):
        if i == 0 and m.matches(stmt, m.SimpleStatementLine(body=[m.Expr(m.SimpleString())])):
            position = 1  # the docstring stays first
            continue
        imports = isinstance(stmt, cst.SimpleStatementLine) and all(
            isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body)
        if imports:
            position, previous = i + 1, stmt
            continue
        break
    new = cst.parse_statement("import operator\n")
    if previous is not None and previous.trailing_whitespace.comment is not None:
        # Line the comment up with the neighbours' (`import math     # math.log, math.exp`).
        last_line = code(previous).rstrip("\n").splitlines()[-1]
        column = last_line.rindex(previous.trailing_whitespace.comment.value)
        text = "import operator"
        gap = max(1, column - len(text))
        used = sorted({f"operator.{n.attr.value}" for n in walk(module)
                       if m.matches(n, m.Attribute(value=m.Name("operator")))})
        new = new.with_changes(trailing_whitespace=cst.TrailingWhitespace(
            whitespace=cst.SimpleWhitespace(" " * gap), comment=cst.Comment("# " + ", ".join(used)),
        ))
    elif previous is None:
        new = new.with_changes(leading_lines=body[position].leading_lines if position < len(body) else ())
        if position < len(body):
            body[position] = body[position].with_changes(leading_lines=(cst.EmptyLine(),))
    body.insert(position, new)
    return module.with_changes(body=body)
