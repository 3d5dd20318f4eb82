"""[tool.trimbench] settings from pyproject.toml, resolved once into a frozen Config."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import TrimbenchError

DEFAULTS = {
    "original": "original/microgpt.py",
    "variants": "variants",
    "goldens": "golden",
    "input": None,
    "input_url": "https://raw.githubusercontent.com/karpathy/makemore/refs/heads/master/names.txt",
    "input_sha256": "0a30b5557f192f32ab962680889aac5f6fda0f4cecf40a6d0b5694f58ea8cc4d",
    "steps_variable": "num_steps",
    "smoke_steps": 20,
    "timeout_smoke": 300.0,
    "timeout_full": 3600.0,
    "memory_mb": 4096,
    "compare_lines": [],
}


@dataclass(frozen=True)
class Config:
    root: Path
    original: Path
    variants: Path
    goldens: Path
    input: Path | None
    input_url: str
    input_sha256: str
    steps_variable: str
    smoke_steps: int
    timeout_smoke: float
    timeout_full: float
    memory_mb: int
    compare_lines: tuple[str, ...] = field(default=())

    @property
    def state_dir(self) -> Path:
        """Per-project state that git ignores: the verdict cache, the last published gist."""
        return self.root / ".trimbench"


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise TrimbenchError(f"{candidate}: not valid TOML: {exc}") from None
            if "trimbench" in data.get("tool", {}):
                return candidate
    return None


def load(start: Path | None = None) -> Config:
    """The configuration of the project around `start` (default: the working directory)."""
    start = (start or Path.cwd()).resolve()
    pyproject = find_pyproject(start)
    if pyproject is None:
        raise TrimbenchError(
            f"no pyproject.toml with a [tool.trimbench] table in {start} or above; run trimbench inside a project"
        )
    table = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["trimbench"]
    return from_table(table, pyproject.parent, source=str(pyproject))


def from_table(table: dict, root: Path, source: str = "[tool.trimbench]") -> Config:
    unknown = sorted(set(table) - set(DEFAULTS))
    if unknown:
        raise TrimbenchError(f"{source}: unknown [tool.trimbench] key(s): {', '.join(unknown)}")
    merged = {**DEFAULTS, **table}
    for key in ("smoke_steps", "memory_mb"):
        if not isinstance(merged[key], int) or isinstance(merged[key], bool) or merged[key] <= 0:
            raise TrimbenchError(f"{source}: {key} must be a positive integer, not {merged[key]!r}")
    for key in ("timeout_smoke", "timeout_full"):
        if not isinstance(merged[key], (int, float)) or merged[key] <= 0:
            raise TrimbenchError(f"{source}: {key} must be a positive number of seconds, not {merged[key]!r}")
    if not isinstance(merged["compare_lines"], list) or not all(isinstance(x, str) for x in merged["compare_lines"]):
        raise TrimbenchError(f"{source}: compare_lines must be a list of regular expressions")
    return Config(
        root=root,
        original=root / merged["original"],
        variants=root / merged["variants"],
        goldens=root / merged["goldens"],
        input=None if merged["input"] is None else root / merged["input"],
        input_url=merged["input_url"],
        input_sha256=merged["input_sha256"],
        steps_variable=merged["steps_variable"],
        smoke_steps=merged["smoke_steps"],
        timeout_smoke=float(merged["timeout_smoke"]),
        timeout_full=float(merged["timeout_full"]),
        memory_mb=merged["memory_mb"],
        compare_lines=tuple(merged["compare_lines"]),
    )
