"""The files a program reads: each found, or downloaded once into a per-user cache, and always hashed.

An input is looked for, in order: --input PATH or TRIMBENCH_INPUT (only when the project has exactly one
input), its `path`, then the per-user cache (filled from its `url`, checked against its `sha256`). A file
named with --input may have another hash than the configured one: the goldens' manifest then says so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import httpx
import platformdirs

from .config import Config, InputSpec
from .errors import TrimbenchError
from .fileio import write_atomic
from .hashing import file_sha256, sha256

ENV_VAR = "TRIMBENCH_INPUT"


@dataclass(frozen=True)
class InputFile:
    name: str  # its name in the run folder
    path: Path
    sha256: str
    source: str  # where it came from, for messages: "--input", "TRIMBENCH_INPUT", "path", "cache"


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("trimbench"))


def hashes(inputs: tuple[InputFile, ...]) -> dict[str, str]:
    return {item.name: item.sha256 for item in inputs}


def resolve(config: Config, explicit: Path | None = None, download: bool = True) -> tuple[InputFile, ...]:
    """Every input of the project, found and hashed."""
    specs = config.inputs
    if explicit is not None and len(specs) != 1:
        raise TrimbenchError(f"--input names the project's one input, but it has {len(specs)}; "
                             "give each its path in [tool.trimbench] inputs")
    single = len(specs) == 1
    return tuple(_resolve_one(spec, explicit if single else None, single, download) for spec in specs)


def _resolve_one(spec: InputSpec, explicit: Path | None, single: bool, download: bool) -> InputFile:
    if explicit is not None:
        return _existing(spec, explicit, "--input")  # the user's choice: any hash, the manifest will say
    if single and os.environ.get(ENV_VAR):
        return _checked(spec, _existing(spec, Path(os.environ[ENV_VAR]).expanduser(), ENV_VAR))
    if spec.path is not None:
        return _checked(spec, _existing(spec, spec.path, "[tool.trimbench] inputs"))
    return _cached(spec, download)


def _existing(spec: InputSpec, path: Path, source: str) -> InputFile:
    if not path.is_file():
        raise TrimbenchError(f"input {spec.name}: {path} (from {source}) does not exist")
    try:
        return InputFile(spec.name, path.resolve(), file_sha256(path), source)
    except OSError as exc:
        raise TrimbenchError(f"input {spec.name}: cannot read {path}: {exc.strerror or exc}") from None


def _checked(spec: InputSpec, found: InputFile) -> InputFile:
    if spec.sha256 is not None and found.sha256 != spec.sha256:
        raise TrimbenchError(f"input {spec.name}: {found.path} (from {found.source}) has sha256 {found.sha256}, "
                             f"expected {spec.sha256}; pass it with --input to use it anyway")
    return found


def _how_to_provide(spec: InputSpec) -> str:
    where = f" (the file at {spec.url}" + (f", sha256 {spec.sha256})" if spec.sha256 else ")") if spec.url else ""
    return f"give input {spec.name} a path in [tool.trimbench] inputs, or pass --input PATH or {ENV_VAR}=PATH{where}"


def _cached(spec: InputSpec, download: bool) -> InputFile:
    key = spec.sha256 or sha256(spec.url.encode())
    path = cache_dir() / "input" / key
    if path.is_file() and (spec.sha256 is None or file_sha256(path) == spec.sha256):
        return InputFile(spec.name, path, file_sha256(path), "cache")
    if not download:
        raise TrimbenchError(f"input {spec.name} is not in the cache; {_how_to_provide(spec)}")
    try:
        response = httpx.get(spec.url, timeout=30, follow_redirects=True)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise TrimbenchError(f"cannot download input {spec.name} ({exc}); {_how_to_provide(spec)}") from None
    got = sha256(response.content)
    if spec.sha256 is not None and got != spec.sha256:
        raise TrimbenchError(f"input {spec.name}: the download has sha256 {got}, expected {spec.sha256}; "
                             f"{_how_to_provide(spec)}")
    write_atomic(path, response.content)
    return InputFile(spec.name, path, got, "cache")
