"""Verdicts cached on disk, keyed by everything that could change them.

A verdict depends on the variant's bytes, the golden it was compared with (text and digest),
the interpreter, the tier, the line filter and trimbench itself; the key hashes all of them.
Entries live under .trimbench/verdicts/<sha256 of the variant>/ so that a reader who knows only
a file's content (the report, publish) can find every verdict ever given to it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

from . import __version__
from .fileio import write_atomic
from .verdict import Outcome, Verdict

# Only outcomes that a re-run would give again are worth keeping; a timeout may be the machine's fault.
CACHEABLE = {Outcome.BIT_EXACT, Outcome.TEXT_EXACT, Outcome.DIVERGED, Outcome.CRASHED}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cache_key(source_sha256: str, golden_id: str, interpreter: str, tier: str, steps: int | None,
              lines_filter: tuple[str, ...]) -> str:
    parts = [source_sha256, golden_id, interpreter, tier, str(steps), json.dumps(list(lines_filter)), __version__]
    return sha256("\0".join(parts).encode())


class VerdictCache:
    def __init__(self, state_dir: Path):
        self.folder = state_dir / "verdicts"

    def _path(self, source_sha256: str, key: str) -> Path:
        return self.folder / source_sha256 / f"{key}.json"

    def get(self, source_sha256: str, key: str) -> Verdict | None:
        try:
            data = json.loads(self._path(source_sha256, key).read_text(encoding="utf-8"))
            return replace(Verdict.from_json(data), cached=True)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or unreadable: the check simply runs again

    def put(self, source_sha256: str, key: str, verdict: Verdict) -> None:
        if verdict.verdict in CACHEABLE:
            write_atomic(self._path(source_sha256, key), json.dumps(verdict.to_json(), indent=1))

    def verdicts_for(self, source: bytes) -> list[Verdict]:
        """Every cached verdict for this exact content, full tier first, then the newest."""
        folder = self.folder / sha256(source)
        found = []
        for entry in folder.glob("*.json") if folder.is_dir() else ():
            try:
                verdict = Verdict.from_json(json.loads(entry.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError):
                continue
            found.append((verdict.tier == "full", entry.stat().st_mtime, replace(verdict, cached=True)))
        return [verdict for *_, verdict in sorted(found, key=lambda item: item[:2], reverse=True)]
