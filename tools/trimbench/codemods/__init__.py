"""trimbench's codemods: one libcst codemod per module, each a rewrite that should keep every float the same.

A codemod only proposes; `trimbench check` proves. Each class is a `VisitorBasedCodemodCommand`, so it also
runs under `python -m libcst.tool codemod`, e.g.

    python -m libcst.tool codemod trimbench.codemods.operator_dunders.OperatorDunders variants/x.py

When a codemod finds nothing it may safely change it raises `SkipFile`; `apply` returns that as a
`TransformSkip`, never an exception.
"""

from __future__ import annotations

from libcst.codemod import (
    CodemodContext,
    TransformExit,
    TransformFailure,
    TransformResult,
    TransformSkip,
    TransformSuccess,
    VisitorBasedCodemodCommand,
    transform_module,
)

from .condense_init import CondenseInit
from .extract_function import ExtractFunction
from .inline_single_use import InlineSingleUse
from .merge_assignments import MergeAssignments
from .operator_dunders import OperatorDunders

# The name users type -> the codemod class. Order is the order `trimbench auto` tries them in.
CODEMODS: dict[str, type[VisitorBasedCodemodCommand]] = {
    "operator-dunders": OperatorDunders,
    "condense-init": CondenseInit,
    "merge-assignments": MergeAssignments,
    "inline-single-use": InlineSingleUse,
    "extract-function": ExtractFunction,
}

__all__ = [
    "CODEMODS",
    "TransformExit",
    "TransformFailure",
    "TransformResult",
    "TransformSkip",
    "TransformSuccess",
    "apply",
]


def apply(name: str, source: str, /, **options: object) -> TransformResult:
    """Run the codemod called `name` on `source`; options go to its constructor (e.g. extract-function's `line`).

    Returns TransformSuccess (with `.code`), TransformSkip (nothing to do, with `.skip_description`) or
    TransformFailure (a bug, with `.error`). Raises only KeyError for an unknown name: that is the caller's bug.
    """
    codemod = CODEMODS[name](CodemodContext(), **options)
    return transform_module(codemod, source)
