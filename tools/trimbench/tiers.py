"""The smoke tier: the same program with fewer training steps, rewritten with libcst.

`num_steps = 1000` becomes `num_steps = 20` in the original and the variant alike; nothing else
changes, so the comparison stays meaningful. A tuple assignment (`num_steps, x = 1000, 0.5`) and an
annotated one are rewritten too. A program without exactly one module-level `num_steps = <int>`
can only be judged in the full tier.
"""

from __future__ import annotations

import libcst as cst


class NoStepsVariable(Exception):
    pass


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
        problem = f"assigns `{variable}` {len(found)} times" if len(found) > 1 else f"has no `{variable}` = <int>"
        raise NoStepsVariable(f"the program {problem} at module level, so only the full tier can judge it")
    return found[0]


def find_steps(source: str, variable: str = "num_steps") -> int | None:
    """The program's own step count, or None when it has no single module-level literal."""
    try:
        small, index = _find(cst.parse_module(source), variable)
    except (NoStepsVariable, cst.ParserSyntaxError):
        return None
    return _value(small, index).evaluated_value


def with_steps(source: str, steps: int, variable: str = "num_steps") -> str:
    module = cst.parse_module(source)
    small, index = _find(module, variable)
    literal = cst.Integer(str(steps))
    if index is None:
        new = small.with_changes(value=literal)
    else:
        elements = list(small.value.elements)
        elements[index] = elements[index].with_changes(value=literal)
        new = small.with_changes(value=small.value.with_changes(elements=elements))
    return module.deep_replace(small, new).code
