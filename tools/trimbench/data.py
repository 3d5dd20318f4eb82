"""The program's input file: found, or downloaded once into a per-user cache, and always hashed.

Order: --input PATH, then TRIMBENCH_INPUT, then `input` in [tool.trimbench], then the cache
(filled from `input_url` and checked against `input_sha256`). Only a file named with --input may
have another hash; the goldens' manifest then says it does not match.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import httpx
import platformdirs

from .cache import sha256
from .config import Config
from .errors import TrimbenchError
from .fileio import write_atomic

ENV_VAR = "TRIMBENCH_INPUT"


@dataclass(frozen=True)
class InputFile:
    path: Path
    sha256: str
    source: str  # where it came from, for messages: "--input", "TRIMBENCH_INPUT", ...


def file_sha256(path: Path) -> str:
    return sha256(path.read_bytes())


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("trimbench"))


def _how_to_provide(config: Config) -> str:
    return (f"provide the input with --input PATH or {ENV_VAR}=PATH "
            f"(the file at {config.input_url}, sha256 {config.input_sha256})")


def _existing(path: Path, source: str) -> InputFile:
    if not path.is_file():
        raise TrimbenchError(f"input file {path} (from {source}) does not exist")
    return InputFile(path, file_sha256(path), source)


def resolve(config: Config, explicit: Path | None = None, download: bool = True) -> InputFile:
    if explicit is not None:
        return _existing(explicit, "--input")  # the user's choice: any hash, the manifest will say
    if os.environ.get(ENV_VAR):
        found = _existing(Path(os.environ[ENV_VAR]), ENV_VAR)
    elif config.input is not None:
        found = _existing(config.input, "[tool.trimbench] input")
    else:
        return _cached(config, download)
    if found.sha256 != config.input_sha256:
        raise TrimbenchError(
            f"input file {found.path} (from {found.source}) has sha256 {found.sha256}, "
            f"expected {config.input_sha256}; pass it with --input to use it anyway"
        )
    return found


def _cached(config: Config, download: bool) -> InputFile:
    path = cache_dir() / "input" / config.input_sha256
    if path.is_file() and file_sha256(path) == config.input_sha256:
        return InputFile(path, config.input_sha256, "cache")
    if not download:
        raise TrimbenchError(f"no input file; {_how_to_provide(config)}")
    try:
        response = httpx.get(config.input_url, timeout=30, follow_redirects=True)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise TrimbenchError(f"cannot download the input ({exc}); {_how_to_provide(config)}") from None
    got = sha256(response.content)
    if got != config.input_sha256:
        raise TrimbenchError(f"downloaded input has sha256 {got}, expected {config.input_sha256}; "
                             f"{_how_to_provide(config)}")
    write_atomic(path, response.content)
    return InputFile(path, got, "cache")
