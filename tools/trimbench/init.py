"""`trimbench init SCRIPT`: a project for a new script, planned from its source and written without clobbering."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import libcst as cst
import tomlkit

from .config import DEFAULTS, read_toml
from .errors import TrimbenchError
from .fileio import write_atomic
from .hashing import sha256
from .refactor.attempt import read_source
from .tiers import find_steps

STEP_WORDS = ("step", "iter", "epoch", "round")  # what a loop's count is usually called


@dataclass(frozen=True)
class Plan:
    root: Path
    script: Path
    pyproject: Path
    table: dict  # the [tool.trimbench] table to write
    variant: Path  # the first variant, a copy of the script
    steps_variable: str | None  # None: the smoke tier judges the first lines
    steps: int | None
    inputs: tuple[str, ...]  # files the script opens, found beside it


def plan(root: Path, script: Path, steps_variable: str | None = None) -> Plan:
    """What init would write for `script` in the project at `root`; refuses what it must not overwrite."""
    root, script = root.resolve(), script.resolve()
    if not script.is_file():
        raise TrimbenchError(f"{script}: no such file")
    try:
        relative = script.relative_to(root).as_posix()
    except ValueError:
        raise TrimbenchError(f"{script} is not inside {root}: run init in the folder that holds it") from None
    source = read_source(script)
    pyproject = root / "pyproject.toml"
    if pyproject.exists() and "trimbench" in read_toml(pyproject).get("tool", {}):
        raise TrimbenchError(f"{pyproject} already has a [tool.trimbench] table; edit it, or remove it to start over")
    variants = root / DEFAULTS["variants"]
    variant = variants / f"01_{script.stem}.py"
    if variant.exists():
        raise TrimbenchError(f"{variant} exists; init never overwrites a variant")
    if variants.exists() and not variants.is_dir():
        raise TrimbenchError(f"{variants} is not a folder")
    variable = steps_variable or find_steps_variable(source)
    if steps_variable and find_steps(source, steps_variable) is None:
        raise TrimbenchError(f"{relative} has no single module-level `{steps_variable} = <int>`")
    table: dict = {"original": relative}
    if variable is not None and variable != DEFAULTS["steps_variable"]:
        table["steps_variable"] = variable
    found = opened_files(source, script.parent)
    if found:
        table["inputs"] = [{"name": name, "path": (script.parent / name).relative_to(root).as_posix(),
                            "sha256": sha256((script.parent / name).read_bytes())}
                           for name in found]
    return Plan(root, script, pyproject, table, variant, variable,
                find_steps(source, variable) if variable else None, found)


def write(plan: Plan) -> None:
    """The table into pyproject.toml (created if missing; other tables and comments kept), then the variant."""
    document = tomlkit.parse(plan.pyproject.read_text(encoding="utf-8")) if plan.pyproject.exists() \
        else tomlkit.document()
    tool = document.get("tool")
    if tool is None:
        tool = tomlkit.table(is_super_table=True)
        document["tool"] = tool
    table = tomlkit.table()
    for key, value in plan.table.items():
        if key == "inputs":
            entries = tomlkit.array()
            for entry in value:
                inline = tomlkit.inline_table()
                inline.update(entry)
                entries.append(inline)
            table[key] = entries.multiline(True)
        else:
            table[key] = value
    tool["trimbench"] = table
    write_atomic(plan.pyproject, tomlkit.dumps(document))
    plan.variant.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(plan.variant, plan.script.read_bytes())
    shutil.copymode(plan.script, plan.variant)


def find_steps_variable(source: str) -> str | None:
    """The module-level `NAME = <int>` that a `range(...)` counts with, preferring a name that says steps."""
    module = cst.parse_module(source)
    counted = [name for name in _range_arguments(module) if find_steps(module, name) is not None]
    counted = list(dict.fromkeys(counted))
    for name in counted:
        if any(word in name.lower() for word in STEP_WORDS):
            return name
    return counted[0] if counted else None


def _range_arguments(module: cst.Module) -> list[str]:
    class Finder(cst.CSTVisitor):
        def __init__(self) -> None:
            self.names: list[str] = []

        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name) and node.func.value == "range":
                self.names.extend(arg.value.value for arg in node.args if isinstance(arg.value, cst.Name))

    finder = Finder()
    module.visit(finder)
    return finder.names


def opened_files(source: str, folder: Path) -> tuple[str, ...]:
    """The files the script opens by a literal name that exist beside it: its inputs."""
    class Finder(cst.CSTVisitor):
        def __init__(self) -> None:
            self.names: list[str] = []

        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name) and node.func.value == "open" and node.args:
                first = node.args[0].value
                if isinstance(first, cst.SimpleString):
                    self.names.append(first.evaluated_value)

    finder = Finder()
    cst.parse_module(source).visit(finder)
    return tuple(name for name in dict.fromkeys(finder.names)
                 if isinstance(name, str) and "/" not in name and name not in ("", ".", "..")
                 and (folder / name).is_file())
