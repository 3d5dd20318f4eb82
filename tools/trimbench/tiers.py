"""The tiers a variant is judged in: the full run, or a short smoke run made by rewriting the step count.

`smoke` rewrites the module-level steps variable (`num_steps = 1000` becomes `num_steps = 20`) with libcst, in
the original and the variant alike; nothing else changes, so the comparison stays meaningful. A tuple
assignment (`num_steps, x = 1000, 0.5`) and an annotated one are rewritten too. When the original or the
variant has no single module-level `num_steps = <int>`, the smoke tier runs the program as written and judges
it on the full golden's first lines (`smoke_lines`), then stops it.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst


class NoStepsVariable(Exception):
    pass


@dataclass(frozen=True)
class Tier:
    name: str  # "full" (the program as written) or "smoke"
    steps: int | None = None  # the step count the program is rewritten to; None: as written
    first_lines: int | None = None  # judged on the full golden's first lines only, then stopped

    @property
    def golden(self) -> Tier:
        """The tier whose golden this one is judged against: a first-lines run reads the full golden."""
        return Tier("full") if self.first_lines is not None else self

    def rewrite(self, source: str | cst.Module, variable: str) -> cst.Module:
        module = source if isinstance(source, cst.Module) else cst.parse_module(source)
        return module if self.steps is None else with_steps(module, self.steps, variable)

    def label(self, recorded_steps: int | None = None) -> str:
        """`smoke (20 steps)`, `full (1000 steps)`, `smoke (first 25 lines of 1000 steps)`."""
        if self.first_lines is not None:
            of = f" of {recorded_steps} steps" if recorded_steps else " of the full run"
            return f"{self.name} (first {self.first_lines} lines{of})"
        steps = self.steps or recorded_steps
        return f"{self.name} ({steps} steps)" if steps else self.name


def _positions(statement: cst.CSTNode, variable: str):
    """Yield where this statement assigns `variable`: None for the whole value, else the tuple index."""
    if isinstance(statement, cst.AnnAssign) and statement.value is not None:
        if isinstance(statement.target, cst.Name) and statement.target.value == variable:
            yield None
    if not isinstance(statement, cst.Assign) or len(statement.targets) != 1:
        return
    target = statement.targets[0].target
    if isinstance(target, cst.Name) and target.value == variable:
        yield None
    elif isinstance(target, cst.Tuple) and isinstance(statement.value, cst.Tuple):
        names, values = target.elements, statement.value.elements
        if len(names) == len(values):
            for index, element in enumerate(names):
                if isinstance(element.value, cst.Name) and element.value.value == variable:
                    yield index


def _value(statement, index):
    return statement.value if index is None else statement.value.elements[index].value


def _find(module: cst.Module, variable: str):
    found = [
        (small, index)
        for line in module.body
        if isinstance(line, cst.SimpleStatementLine)
        for small in line.body
        for index in _positions(small, variable)
    ]
    if len(found) != 1 or not isinstance(_value(*found[0]), cst.Integer):
        problem = f"assigns `{variable}` {len(found)} times" if len(found) > 1 else f"has no `{variable} = <int>`"
        raise NoStepsVariable(f"the program {problem} at module level, so its step count cannot be rewritten")
    return found[0]


def find_steps(source: str | cst.Module, variable: str) -> int | None:
    """The program's own step count, or None when it has no single module-level literal."""
    try:
        module = source if isinstance(source, cst.Module) else cst.parse_module(source)
        small, index = _find(module, variable)
    except (NoStepsVariable, cst.ParserSyntaxError):
        return None
    return _value(small, index).evaluated_value


def with_steps(source: str | cst.Module, steps: int, variable: str):
    """`source` with its step count rewritten: source text for text, a module for a module."""
    module = source if isinstance(source, cst.Module) else cst.parse_module(source)
    small, index = _find(module, variable)
    literal = cst.Integer(str(steps))
    if index is None:
        new = small.with_changes(value=literal)
    else:
        elements = list(small.value.elements)
        elements[index] = elements[index].with_changes(value=literal)
        new = small.with_changes(value=small.value.with_changes(elements=elements))
    rewritten = module.deep_replace(small, new)
    return rewritten if isinstance(source, cst.Module) else rewritten.code
