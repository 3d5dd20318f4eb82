"""[tool.trimbench] settings from pyproject.toml, checked and resolved once into a frozen Config."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import TrimbenchError
from .tiers import Tier

DEFAULTS = {
    "original": None,  # required: the program every variant must reproduce
    "variants": "variants",
    "goldens": "golden",
    "inputs": [],
    "steps_variable": "num_steps",
    "smoke_steps": 20,
    "smoke_lines": 25,
    "step_pattern": r"^\s*step\s+(\d+)",
    "timeout_smoke": 300.0,
    "timeout_full": 3600.0,
    "memory_mb": 4096,
    "compare_lines": [],
    "sandbox": "auto",
    "allow_text_exact": False,
    "max_source_kb": 1024,
}
OLD_INPUT_KEYS = ("input", "input_url", "input_sha256")
SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class InputSpec:
    """One file the program reads, copied into its run folder under `name`."""

    name: str
    path: Path | None = None
    url: str | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class Config:
    root: Path
    source: Path | None  # the pyproject.toml it came from
    original: Path
    variants: Path
    goldens: Path
    inputs: tuple[InputSpec, ...]
    steps_variable: str
    smoke_steps: int
    smoke_lines: int
    step_pattern: str
    timeout_smoke: float
    timeout_full: float
    memory_mb: int
    compare_lines: tuple[str, ...] = field(default=())
    sandbox: str = "auto"  # auto: bwrap when it works here; bwrap: required; none: off
    allow_text_exact: bool = False  # does text-exact pass `check`? (bit-exact always does)
    max_source_kb: int = 1024  # a larger file is refused (no program worth shrinking is that large)

    @property
    def state_dir(self) -> Path:
        """Per-project state that git ignores: the verdict and metrics caches, the last published gist."""
        return self.root / ".trimbench"

    def timeout(self, tier: Tier) -> float:
        """Seconds a run of `tier` may take: a smoke run with more steps than usual gets proportionally more."""
        if tier.steps is None and tier.first_lines is None:
            return self.timeout_full  # the program as written, to its end
        if tier.steps is None:
            return self.timeout_smoke  # its first lines only
        return min(self.timeout_full, self.timeout_smoke * max(1.0, tier.steps / self.smoke_steps))


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "trimbench" in read_toml(candidate).get("tool", {}):
            return candidate
    return None


def read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TrimbenchError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise TrimbenchError(f"{path}: cannot read it: {exc.strerror or exc}") from None


def load(start: Path | None = None, near: Sequence[Path] = ()) -> Config:
    """The configuration of the project around `start` (default: the working directory). When there is none
    there, the project around the first of `near` (the files a command was given), so that
    `trimbench check /abs/path/variant.py` works from anywhere."""
    start = (start or Path.cwd()).resolve()
    pyproject = find_pyproject(start)
    if pyproject is None and near:
        first = Path(near[0]).resolve()
        pyproject = find_pyproject(first if first.is_dir() else first.parent)
    if pyproject is None:
        where = f"{start} or above" + (f", nor above {near[0]}" if near else "")
        raise TrimbenchError(f"no pyproject.toml with a [tool.trimbench] table in {where}; "
                             "run trimbench inside a project, or `trimbench init SCRIPT` to make one")
    return from_table(read_toml(pyproject)["tool"]["trimbench"], pyproject.parent, source=pyproject)


def from_table(table: dict, root: Path, source: Path | None = None) -> Config:
    where = str(source or "[tool.trimbench]")
    if not isinstance(table, dict):
        raise TrimbenchError(f"{where}: [tool.trimbench] must be a table")
    old = [key for key in OLD_INPUT_KEYS if key in table]
    if old:
        raise TrimbenchError(f"{where}: {', '.join(old)} were replaced by `inputs`; write {_new_form(table)}")
    unknown = sorted(set(table) - set(DEFAULTS))
    if unknown:
        raise TrimbenchError(f"{where}: unknown [tool.trimbench] key(s): {', '.join(unknown)}")
    merged = {**DEFAULTS, **table}
    if not isinstance(merged["original"], str) or not merged["original"]:
        raise TrimbenchError(f"{where}: `original` is required: the path of the program every variant must reproduce")
    for key in ("variants", "goldens", "steps_variable", "step_pattern"):
        if not isinstance(merged[key], str) or not merged[key]:
            raise TrimbenchError(f"{where}: {key} must be a non-empty string, not {merged[key]!r}")
    if not isinstance(merged["allow_text_exact"], bool):
        raise TrimbenchError(f"{where}: allow_text_exact must be true or false, not {merged['allow_text_exact']!r}")
    if merged["sandbox"] not in ("auto", "bwrap", "none"):
        raise TrimbenchError(f"{where}: sandbox must be auto, bwrap or none, not {merged['sandbox']!r}")
    for key in ("smoke_steps", "smoke_lines", "memory_mb", "max_source_kb"):
        if not isinstance(merged[key], int) or isinstance(merged[key], bool) or merged[key] <= 0:
            raise TrimbenchError(f"{where}: {key} must be a positive integer, not {merged[key]!r}")
    for key in ("timeout_smoke", "timeout_full"):
        value = merged[key]
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
            raise TrimbenchError(f"{where}: {key} must be a positive number of seconds, not {value!r}")
    if not isinstance(merged["compare_lines"], list) or not all(isinstance(x, str) for x in merged["compare_lines"]):
        raise TrimbenchError(f"{where}: compare_lines must be a list of regular expressions")
    try:
        re.compile(merged["step_pattern"])
    except re.error as exc:
        raise TrimbenchError(f"{where}: step_pattern is not a regular expression: {exc}") from None
    return Config(
        root=root,
        source=source,
        original=root / merged["original"],
        variants=root / merged["variants"],
        goldens=root / merged["goldens"],
        inputs=_inputs(merged["inputs"], root, where),
        steps_variable=merged["steps_variable"],
        smoke_steps=merged["smoke_steps"],
        smoke_lines=merged["smoke_lines"],
        step_pattern=merged["step_pattern"],
        timeout_smoke=float(merged["timeout_smoke"]),
        timeout_full=float(merged["timeout_full"]),
        memory_mb=merged["memory_mb"],
        compare_lines=tuple(merged["compare_lines"]),
        sandbox=merged["sandbox"],
        allow_text_exact=merged["allow_text_exact"],
        max_source_kb=merged["max_source_kb"],
    )


def _inputs(entries: object, root: Path, where: str) -> tuple[InputSpec, ...]:
    form = 'inputs = [{name = "input.txt", path = "data/input.txt"}] (or url = "https://...", sha256 = "...")'
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise TrimbenchError(f"{where}: inputs must be a list of tables, such as {form}")
    specs, names = [], set()
    for entry in entries:
        unknown = sorted(set(entry) - {"name", "path", "url", "sha256"})
        name, path, url, sha = (entry.get(key) for key in ("name", "path", "url", "sha256"))
        what = f"{where}: input {name!r}"
        if unknown:
            raise TrimbenchError(f"{what}: unknown key(s) {', '.join(unknown)}; an input has name, path, url, sha256")
        if not isinstance(name, str) or not _safe_name(name):
            raise TrimbenchError(f"{what}: name must be a relative path inside the run folder, such as input.txt")
        if name in names:
            raise TrimbenchError(f"{what}: two inputs have that name")
        names.add(name)
        if path is None and url is None:
            raise TrimbenchError(f"{what}: give it a path or a url; {form}")
        if path is not None and not isinstance(path, str):
            raise TrimbenchError(f"{what}: path must be a string")
        if url is not None and (not isinstance(url, str) or not re.match(r"https?://", url)):
            raise TrimbenchError(f"{what}: url must be an http(s) address")
        if sha is not None and (not isinstance(sha, str) or not SHA256.fullmatch(sha)):
            raise TrimbenchError(f"{what}: sha256 must be 64 lower-case hex digits")
        specs.append(InputSpec(name, None if path is None else root / path, url, sha))
    return tuple(specs)


def _safe_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not PurePosixPath(name).is_absolute() and ".." not in parts and "\\" not in name


def _new_form(table: dict) -> str:
    fields = ['name = "input.txt"']
    for old, new in (("input", "path"), ("input_url", "url"), ("input_sha256", "sha256")):
        if isinstance(table.get(old), str):
            fields.append(f'{new} = "{table[old]}"')
    return "inputs = [{" + ", ".join(fields) + "}]"
