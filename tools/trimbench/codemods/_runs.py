"""Replacing runs of consecutive statements in a block: shared by the codemods that turn several lines into fewer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst


@dataclass(frozen=True)
class RunPlan:
    block: int  # id() of the original Module or IndentedBlock
    start: int  # index of the run's first statement in the block's body
    length: int
    replacement: cst.BaseStatement | Sequence[cst.BaseStatement] | None  # several in order; None: the run goes


class RunReplacer:
    """For a CSTTransformer: replaces each planned run, `self.plans[(block, start)]`, with its statement(s)."""

    plans: dict[tuple[int, int], RunPlan]

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return updated_node.with_changes(body=self._replace_runs(original_node, updated_node.body))

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock,
                            updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        return updated_node.with_changes(body=self._replace_runs(original_node, updated_node.body))

    def _replace_runs(self, original: cst.CSTNode, stmts) -> list[cst.BaseStatement]:
        out: list[cst.BaseStatement] = []
        i = 0
        while i < len(stmts):
            plan = self.plans.get((id(original), i))
            if plan is None:
                out.append(stmts[i])
            elif isinstance(plan.replacement, cst.CSTNode):
                out.append(plan.replacement)
            elif plan.replacement is not None:  # None: the statement moved into another one
                out.extend(plan.replacement)
            i += 1 if plan is None else plan.length
        return out
