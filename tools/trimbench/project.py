"""Which files a command reads: the defaults when it is given none, the file a name means, and how a file is named to
people: relative to the project."""

from __future__ import annotations

import os
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


def variant_path(config: Config, name: str) -> Path:
    """A file named on the command line: a path, or a name in the variants folder with or without `.py`."""
    for candidate in (Path(name), config.variants / name, config.variants / f"{name}.py"):
        if candidate.is_file():
            return candidate
    raise TrimbenchError(f"no variant {name!r}: neither a file nor one in {label(config, config.variants)}/")


def real(path: Path) -> Path:
    """The path with its links followed; a link loop stays as it is (Path.resolve would raise)."""
    return Path(os.path.realpath(path))


def label(config: Config, path: Path) -> str:
    """The path relative to the project's root, or as given when it lies outside."""
    try:
        return real(path).relative_to(real(config.root)).as_posix()
    except ValueError:
        return str(path)


def read_sources(config: Config, paths: Sequence[Path]) -> dict[Path, bytes]:
    """Each file's bytes; a file over max_source_kb is refused before it is read (no program is that large)."""
    sources = {}
    for path in paths:
        try:
            if path.stat().st_size > config.max_source_kb * 1024:
                raise TrimbenchError(f"{label(config, path)}: larger than {config.max_source_kb} KB "
                                     "(max_source_kb in [tool.trimbench]); not a program to report on")
            sources[path] = path.read_bytes()
        except FileNotFoundError:
            raise TrimbenchError(f"{label(config, path)}: no such file") from None
        except OSError as exc:
            raise TrimbenchError(f"{label(config, path)}: cannot read it: {exc.strerror or exc}") from None
    return sources
