"""Which files a command reads when it is given none, and how a file is named to people: relative to the project."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .config import Config
from .errors import TrimbenchError


def variant_paths(config: Config) -> list[Path]:
    """Every *.py in the variants folder, sorted by name."""
    return sorted(config.variants.glob("*.py"))


def default_paths(config: Config) -> list[Path]:
    """The original, then every variant: what `report` and `publish` read."""
    return [config.original, *variant_paths(config)]


def label(config: Config, path: Path) -> str:
    """The path relative to the project's root, or as given when it lies outside."""
    try:
        return path.resolve().relative_to(config.root.resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def read_sources(config: Config, paths: Sequence[Path]) -> dict[Path, bytes]:
    sources = {}
    for path in paths:
        try:
            sources[path] = path.read_bytes()
        except FileNotFoundError:
            raise TrimbenchError(f"{label(config, path)}: no such file") from None
        except OSError as exc:
            raise TrimbenchError(f"{label(config, path)}: cannot read it: {exc.strerror or exc}") from None
    return sources
