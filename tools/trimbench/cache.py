"""Verdicts cached on disk, each under the key of everything it was judged against (verdict.Judgement).

Entries live under .trimbench/verdicts/<sha256 of the variant>/ so that a reader who knows only a file's
content (the report, publish) can find every verdict ever given to it, and then keep only those whose
provenance matches what it needs. An entry of the wrong shape is ignored, and overwritten by the next check.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

from .fileio import write_atomic
from .hashing import sha256
from .verdict import Judgement, Outcome, Verdict

# Only outcomes that a re-run would give again are worth keeping; a timeout may be the machine's fault.
CACHEABLE = {Outcome.BIT_EXACT, Outcome.TEXT_EXACT, Outcome.DIVERGED, Outcome.CRASHED}


class VerdictCache:
    def __init__(self, state_dir: Path):
        self.folder = state_dir / "verdicts"

    def _path(self, source_sha256: str, judgement: Judgement) -> Path:
        return self.folder / source_sha256 / f"{judgement.key(source_sha256)}.json"

    def get(self, source_sha256: str, judgement: Judgement) -> Verdict | None:
        verdict = _read(self._path(source_sha256, judgement))
        return None if verdict is None else replace(verdict, cached=True)

    def put(self, source_sha256: str, judgement: Judgement, verdict: Verdict) -> None:
        if verdict.outcome in CACHEABLE:
            path = self._path(source_sha256, judgement)
            try:
                if path.is_dir():  # something else took the entry's place: the entry wins it back
                    shutil.rmtree(path)
                write_atomic(path, json.dumps(verdict.to_json(), indent=1))
            except OSError:
                pass  # a cache that cannot be written only costs time: the verdict stands

    def verdicts_for(self, source: bytes) -> list[Verdict]:
        """Every readable cached verdict for this exact content, the newest first."""
        folder = self.folder / sha256(source)
        try:
            entries = [(entry.stat().st_mtime, entry) for entry in folder.glob("*.json")] if folder.is_dir() else []
        except OSError:
            return []
        found = [_read(entry) for _, entry in sorted(entries, key=lambda item: item[0], reverse=True)]
        return [replace(verdict, cached=True) for verdict in found if verdict is not None]


def _read(path: Path) -> Verdict | None:
    try:
        return Verdict.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, UnicodeDecodeError):
        return None  # missing, unreadable or of another shape: the check simply runs again
