"""Which cached verdicts still speak for the project as it is now, without running anything.

A verdict is trusted only when everything it was judged against matches: the current original and inputs, the
goldens recorded for them (text and values, for the verdict's interpreter), trimbench's judging code, an
unfiltered comparison, and a tier the project defines (the full run, or the configured smoke tier). The report
shows only such verdicts; publish accepts only a full-tier one.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import manifest as manifest_module
from . import provenance
from .config import Config
from .errors import TrimbenchError
from .golden import cache_folder, cached_paths
from .hashing import file_sha256, sha256
from .tiers import Tier
from .verdict import Verdict


@dataclass(frozen=True)
class Current:
    """The project's goldens as they are now, read from the manifest and the per-user cache."""

    config: Config
    manifest: manifest_module.Manifest

    def golden_ids(self, tier: Tier, interpreter: str) -> tuple[str, str] | None:
        """(text sha256, records sha256) of a golden already recorded for `interpreter`; None if there is none."""
        entry = self.manifest.tiers.get(tier.name)
        if entry is not None and tier.name == "smoke" and entry.steps != tier.steps:
            entry = None
        if entry is not None and interpreter in entry.records:
            return entry.sha256, entry.records[interpreter].sha256
        folder = cache_folder(self.manifest.original_sha256, self.manifest.inputs)
        text_path, records_path = cached_paths(folder, tier, interpreter)
        try:
            text_sha = entry.sha256 if entry is not None else sha256(text_path.read_bytes())
            return text_sha, sha256(records_path.read_bytes())
        except OSError:
            return None

    def trusts(self, verdict: Verdict, full_only: bool = False) -> bool:
        basis, config = verdict.basis, self.config
        if basis is None or verdict.lines_filter:
            return False
        sources = (basis.original_sha256, dict(basis.inputs), basis.judge)
        if sources != (self.manifest.original_sha256, self.manifest.inputs, provenance.judge()):
            return False
        if verdict.tier == "full":
            tier = Tier("full")
        elif full_only:
            return False
        elif verdict.first_lines is not None or verdict.steps is None:
            if verdict.first_lines not in (None, config.smoke_lines):
                return False
            tier = Tier("full")  # the program ran as written: judged against the full golden (or its first lines)
        elif verdict.steps == config.smoke_steps:
            tier = Tier("smoke", config.smoke_steps)
        else:
            return False  # another step count (--steps N): not the project's smoke tier
        return self.golden_ids(tier, verdict.interpreter) == (basis.golden_text_sha256, basis.golden_records_sha256)


def current(config: Config) -> Current | None:
    """The goldens as they are now, or None when there are none for the current original (nothing is trusted)."""
    try:
        manifest = manifest_module.load(config.goldens / manifest_module.NAME)
        if file_sha256(config.original) != manifest.original_sha256:
            return None
    except (TrimbenchError, OSError):
        return None
    return Current(config, manifest)


def best(verdicts: list[Verdict], now: Current | None, full_only: bool = False) -> Verdict | None:
    """The trusted verdict to show for a file: a full-tier one before a smoke one, then the newest."""
    if now is None:
        return None
    trusted = [verdict for verdict in verdicts if now.trusts(verdict, full_only)]
    return next((v for v in trusted if v.tier == "full"), None) or next(iter(trusted), None)
