"""The rewrite that lets trimbench see every value a program formats for output, without changing the program.

Each value that reaches output through formatting is passed through `__trimbench__(value)`, which the probe
puts into builtins: it records the value at full precision and returns the very same object. The call is
made where the value was already evaluated, so the program computes the same floats in the same order.
What is wrapped: replacement fields of f-strings (not `{x=}`, whose text is the expression itself), the
arguments of any `.format(...)` call, the right operand of `%` when the left is a string literal, the first
argument of `format()` and `round()`, and the positional arguments of `print()`. Starred arguments are left
alone. Only expressions change, never lines, so tracebacks keep their line numbers.
"""

from __future__ import annotations

import functools

import libcst as cst

RECORDER = "__trimbench__"  # dunder on both ends: no name mangling inside a class body


def _wrap(value: cst.BaseExpression) -> cst.Call:
    return cst.Call(func=cst.Name(RECORDER), args=[cst.Arg(value=value)])


def _wrap_arg(arg: cst.Arg) -> cst.Arg:
    if arg.star:  # `*args`, `**kwargs`: their elements are not formatted one by one here
        return arg
    return arg.with_changes(value=_wrap(arg.value))


def _is_string_literal(node: cst.BaseExpression) -> bool:
    return isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))


class _Instrument(cst.CSTTransformer):
    def leave_FormattedStringExpression(self, original, updated):
        if updated.equal is not None:  # `{x=}` prints the expression's own text
            return updated
        return updated.with_changes(expression=_wrap(updated.expression))

    def leave_BinaryOperation(self, original, updated):
        if isinstance(updated.operator, cst.Modulo) and _is_string_literal(updated.left):
            return updated.with_changes(right=_wrap(updated.right))
        return updated

    def leave_Call(self, original, updated):
        func = updated.func
        if isinstance(func, cst.Attribute) and func.attr.value == "format":
            return updated.with_changes(args=[_wrap_arg(arg) for arg in updated.args])
        if isinstance(func, cst.Name) and func.value in ("format", "round") and updated.args:
            first, *rest = updated.args
            return updated.with_changes(args=[_wrap_arg(first) if first.keyword is None else first, *rest])
        if isinstance(func, cst.Name) and func.value == "print":
            return updated.with_changes(args=[arg if arg.keyword is not None else _wrap_arg(arg)
                                              for arg in updated.args])
        return updated


def instrument_module(module: cst.Module) -> str:
    """The module's code with every formatted value passed through the recorder."""
    return module.visit(_Instrument()).code


@functools.lru_cache(maxsize=64)
def instrument(source: str) -> str:
    """`source` with every formatted value passed through the recorder. Raises cst.ParserSyntaxError."""
    return instrument_module(cst.parse_module(source))
