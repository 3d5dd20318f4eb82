"""trimbench's codemods: one libcst codemod per module, each a rewrite that should keep every float the same.

A codemod only proposes; `trimbench check` proves. Each class is a `VisitorBasedCodemodCommand`, so it also
runs under `python -m libcst.tool codemod`, e.g.

    python -m libcst.tool codemod trimbench.codemods.operator_dunders.OperatorDunders variants/x.py

Each codemod proposes its changes site by site: `find_sites` lists them, `apply(..., sites=...)` rewrites
any subset (see _sites.py). Every class takes the constructor keyword `sites` (None: all).
"""

from __future__ import annotations

import traceback
from collections.abc import Collection

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

from ._sites import Site
from .append_comprehension import AppendComprehension
from .compact_docstring import CompactDocstring
from .condense_init import CondenseInit
from .dict_call import DictCall
from .extract_function import ExtractFunction
from .generator_unpack import GeneratorUnpack
from .hoist_constants import HoistConstants
from .hoist_imports import HoistImports
from .inline_single_use import InlineSingleUse
from .merge_assignments import MergeAssignments
from .one_line_bodies import OneLineBodies
from .one_line_imports import OneLineImports
from .operator_dunders import OperatorDunders
from .tighten_blank_lines import TightenBlankLines
from .twin_lambdas import TwinLambdas
from .wrap_long_comments import WrapLongComments

# The name users type -> the codemod class. Order is the order `trimbench auto` tries them in.
CODEMODS: dict[str, type[VisitorBasedCodemodCommand]] = {
    "operator-dunders": OperatorDunders,
    "twin-lambdas": TwinLambdas,
    "condense-init": CondenseInit,
    "generator-unpack": GeneratorUnpack,
    "merge-assignments": MergeAssignments,
    "inline-single-use": InlineSingleUse,
    "append-comprehension": AppendComprehension,
    "extract-function": ExtractFunction,
    "tighten-blank-lines": TightenBlankLines,
    "compact-docstring": CompactDocstring,
    "wrap-long-comments": WrapLongComments,
    "one-line-imports": OneLineImports,
    "hoist-imports": HoistImports,
    "hoist-constants": HoistConstants,
    "one-line-bodies": OneLineBodies,
    "dict-call": DictCall,
}

__all__ = [
    "CODEMODS",
    "Site",
    "TransformExit",
    "TransformFailure",
    "TransformResult",
    "TransformSkip",
    "TransformSuccess",
    "apply",
    "find_sites",
]


def find_sites(name: str, source: str, /, **options: object) -> tuple[Site, ...]:
    """Every place the codemod `name` would change `source`, in source order; () when it would skip.

    The sites are independent: applying any subset of them together is as sound as applying each alone.
    Also () when the codemod fails on `source` (apply then returns the TransformFailure). Raises as
    `apply` does, and only then.
    """
    codemod = CODEMODS[name](CodemodContext(), sites=(), **options)  # a dry run: finds every site, changes none
    _run(codemod, source)
    return tuple(codemod.sites)


def apply(name: str, source: str, /, *, sites: Collection[int] | None = None, **options: object) -> TransformResult:
    """Run the codemod `name` on `source`, rewriting only the sites whose index is in `sites` (None: all).

    `options` go to the codemod's constructor (extract-function's `name` and `line`, ...). The one error contract:
    - returns TransformSuccess (`.code`) when at least one chosen site was rewritten;
    - returns TransformSkip (`.skip_description`) when there is nothing to do: no site, or no chosen index is
      a site (an empty `sites` is always a skip; indices that are not sites are ignored);
    - returns TransformFailure (`.error`) when the codemod raised, or wrote code CPython cannot compile
      although the source compiled: a bug in the codemod, never the caller's;
    - raises KeyError for an unknown `name`, and TypeError for an option the codemod does not take or a
      value of the wrong type (`sites` not a collection of ints, `line="abc"`): those are the caller's bugs;
    - lets KeyboardInterrupt through (libcst would return TransformExit; a search should stop instead).
    """
    codemod = CODEMODS[name](CodemodContext(), sites=sites, **options)
    result = _run(codemod, source)
    if isinstance(result, TransformSuccess):
        error = _compile_error(result.code)
        if error is not None and _compile_error(source) is None:
            return TransformFailure(result.warning_messages, error, "".join(traceback.format_exception(error)))
    return result


def _run(codemod: VisitorBasedCodemodCommand, source: str) -> TransformResult:
    result = transform_module(codemod, source)
    if isinstance(result, TransformExit):
        raise KeyboardInterrupt
    return result


def _compile_error(source: str) -> Exception | None:
    try:
        compile(source, "<codemod>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return exc
    return None
