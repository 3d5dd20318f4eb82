"""Watching a file: check it now, then again after every save that changes its content."""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..hashing import file_sha256
from ..verdict import Verdict


@dataclass(frozen=True)
class Fingerprint:
    mtime_ns: int
    size: int


def _fingerprint(path: Path) -> Fingerprint | None:
    try:
        stat = path.stat()
    except OSError:  # mid-save: some editors delete, then rename a new file in
        return None
    return Fingerprint(stat.st_mtime_ns, stat.st_size)


def _content_hash(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None


def watch(path: Path, check: Callable[[], Verdict], on_verdict: Callable[[Verdict], None],
          should_stop: Callable[[], bool], *, interval: float = 0.3,
          sleep: Callable[[float], None] = time.sleep) -> int:
    """Check `path` now, then again after every save that changes its content, until should_stop(); returns the runs.

    A save is noticed by polling mtime and size every `interval` seconds, and acted on once they have
    held still for one poll (an editor may write in pieces). A save that leaves the content as it was
    (same sha256) is not checked again.
    """
    checked_hash: str | None = None
    seen: Fingerprint | None = None  # the fingerprint last acted on
    pending: Fingerprint | None = None  # a new fingerprint waiting to hold still
    runs = 0
    while not should_stop():
        now = _fingerprint(path)
        if now is not None and now != seen:
            if runs == 0 or now == pending:
                seen, pending = now, None
                digest = _content_hash(path)
                if digest is not None and digest != checked_hash:
                    checked_hash = digest
                    on_verdict(check())
                    runs += 1
                    continue
            else:
                pending = now
        sleep(interval)
    return runs


def change_summary(before: str | None, after: str) -> str:
    """One line on what a save changed: `first version`, `no change`, or `+2 -1 lines (lines 40-44)`."""
    if before is None:
        return "first version"
    old, new = before.splitlines(), after.splitlines()
    changes = [op for op in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes() if op[0] != "equal"]
    if not changes:
        return "no change"
    added = sum(j2 - j1 for _, _, _, j1, j2 in changes)
    removed = sum(i2 - i1 for _, i1, i2, _, _ in changes)
    first, last = changes[0][3] + 1, max(changes[-1][4], changes[-1][3] + 1)
    where = f"line {first}" if first >= last else f"lines {first}-{last}"
    return f"+{added} -{removed} lines ({where})"
