"""one-line-imports: consecutive `import` lines of one block become one `import a, b, c` line.

    import os       # os.path.exists
    import math     # math.log, math.exp
    import random   # random.seed, random.choices

becomes

    import os, math, random # os.path.exists; math.log, math.exp; random.seed, random.choices

`import a, b` is, by the language reference, `import a` then `import b`: the modules are imported in the same
order and each binds the same name (`import a.b` binds `a`, `import a as b` binds `b`), so the rewrite is sound
for any modules, standard or not, and `as` is kept. Only plain `import` lines join: a `from` import, or a line
holding anything else (`import a; x = 1`), is left alone. A run also ends
- at a blank line or an own-line comment: it marks a paragraph the author meant (the comment stays above);
- at a line whose comment is a tool's pragma (`# noqa`, `# type: ignore`): joined, it would cover other imports;
- before the import that would make the line longer than 120 characters.
Trailing comments are joined in order with `; ` after the file's usual spacing (the old aligned columns mean
nothing on one line); when the joined line would be over 120 characters, lists of one module's names are written
short (`math.log, math.exp` -> `math.log/exp`), no word lost. Each run of two or more lines is one site; runs
never share a statement. Like the other codemods that move lines, it skips a module that spells a name through
which it may read its own line numbers (LINE_READERS in _shared.py) or a dynamic name (`globals`, `eval`, ...).
"""

from __future__ import annotations

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.metadata import PositionProvider

from ._imports import comment_spacing, joined_imports, plain_import
from ._runs import RunPlan, RunReplacer
from ._shared import DYNAMIC_NAMES, LINE_READERS, code, skip, spelled, walk
from ._sites import Candidate, SiteChooser


class OneLineImports(SiteChooser, RunReplacer, VisitorBasedCodemodCommand):
    DESCRIPTION = "Join consecutive import lines into one `import a, b, c` line, their comments merged."

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, context, sites=None) -> None:
        super().__init__(context)
        self.init_sites(sites)
        self.plans: dict[tuple[int, int], RunPlan] = {}  # (block id, start index) -> plan

    def visit_Module(self, node: cst.Module) -> bool:
        if readers := spelled(node, LINE_READERS | DYNAMIC_NAMES):
            raise skip(f"the module spells {', '.join(readers)}: it may read the line numbers this changes")
        self.spacing = comment_spacing(node)
        found: list[Candidate[RunPlan]] = []
        for block in walk(node):
            if isinstance(block, (cst.Module, cst.IndentedBlock)):
                found.extend(self._candidates(block))
        for plan in self.choose(found, "no two consecutive `import` lines to join"):
            self.plans[plan.block, plan.start] = plan
        return True

    def _candidates(self, block: cst.Module | cst.IndentedBlock) -> list[Candidate[RunPlan]]:
        stmts, out, i = block.body, [], 0
        while i < len(stmts):
            if plain_import(stmts[i]) is None:
                i += 1
                continue
            start = self.get_metadata(PositionProvider, stmts[i]).start
            run, joined = [stmts[i]], None
            for stmt in stmts[i + 1:]:
                if plain_import(stmt) is None or stmt.leading_lines:
                    break
                longer = joined_imports([*run, stmt], start.column, self.spacing, self.module.config_for_parsing)
                if longer is None:
                    break
                run, joined = [*run, stmt], longer
            if joined is not None:
                modules = ", ".join(f"`{code(a.name)}`" for stmt in run for a in plain_import(stmt).names)
                summary = f"import {modules} on one line (lines {start.line}-{start.line + len(run) - 1})"
                out.append(Candidate(start.line, start.column, summary, RunPlan(id(block), i, len(run), joined)))
            i += len(run)
        return out
