"""Atomic writes: a reader sees the old file or the new one, never half of either, and the file keeps its mode."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import TrimbenchError


def _mode_for(path: Path) -> int:
    """An existing file's permission bits, else what the umask gives a new file (as open() would)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_destination(path: Path) -> Path:
    """A file path that can be written, checked before any slow work: a folder, or a folder that is a file or
    cannot be written, is an error; missing folders are made when the file is written."""
    if path.is_dir():
        raise TrimbenchError(f"{path} is a folder; name a file to write")
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise TrimbenchError(f"{path}: {ancestor} is not a folder")
    if not os.access(ancestor, os.W_OK):
        raise TrimbenchError(f"{path}: the folder {ancestor} is not writable")
    return path
