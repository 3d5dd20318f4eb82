"""Small trimbench projects made on disk for tests: an original, variants, inputs and a [tool.trimbench] table."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from trimbench import config as config_module
from trimbench import inputs, interpreters, recording


def _toml(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key} = {_toml(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(value)  # strings, numbers and booleans are written alike in TOML and JSON


@dataclass
class Project:
    root: Path
    original_source: str

    @property
    def config(self):
        return config_module.load(self.root)

    @property
    def original(self) -> Path:
        return self.config.original

    def variant(self, name: str, source: str) -> Path:
        path = self.root / "variants" / name
        path.write_text(source)
        return path

    def edit(self, name: str, old: str, new: str) -> Path:
        assert old in self.original_source, old  # a mistyped edit must not pass silently as an unchanged copy
        return self.variant(name, self.original_source.replace(old, new))

    def record(self, python: str | None = None) -> None:
        config = self.config
        interpreter = interpreters.resolve(python) if python else interpreters.running()
        recording.record(config, inputs.resolve(config), interpreter)


def make_project(root: Path, source: str, *, original: str = "original/prog.py",
                 inputs: dict[str, bytes] | None = None, settings: dict | None = None) -> Project:
    """A project whose original (at `original`) is `source`; its inputs live under data/, pinned by sha256."""
    (root / original).parent.mkdir(parents=True, exist_ok=True)
    (root / "variants").mkdir(parents=True, exist_ok=True)
    (root / original).write_text(source)
    table: dict = {"original": original, **(settings or {})}
    entries = []
    for name, content in (inputs or {}).items():
        path = root / "data" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        entries.append({"name": name, "path": f"data/{name}", "sha256": hashlib.sha256(content).hexdigest()})
    if entries:
        table["inputs"] = entries
    lines = ["[tool.trimbench]", *(f"{key} = {_toml(value)}" for key, value in table.items())]
    (root / "pyproject.toml").write_text("\n".join(lines) + "\n")
    return Project(root, source)
