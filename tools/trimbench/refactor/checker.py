"""The real checker of the refactoring loop: a program's source, written to a temporary file, judged by the check."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from ..check import CheckOptions, Progress, run_checks
from ..config import Config
from ..verdict import Verdict


class SourceChecker:
    """A Checker for real: writes the source to a fresh temporary folder under `filename`, then runs the check.

    The verdict's path is the label (the temporary file means nothing to the user). The verdict cache is
    keyed by content, so a later `trimbench check` of the written file reuses the verdict.
    """

    def __init__(self, config: Config, options: CheckOptions, filename: str, progress: Progress | None = None):
        self.config, self.options, self.filename, self.progress = config, options, filename, progress

    def __call__(self, source: str, label: str) -> Verdict:
        with tempfile.TemporaryDirectory(prefix="trimbench-refactor-") as folder:
            path = Path(folder) / self.filename
            path.write_text(source, encoding="utf-8")
            progress = _Relabel(self.progress, label) if self.progress else None
            [verdict] = run_checks(self.config, [path], self.options, progress)
        return replace(verdict, path=label)


class _Relabel:
    """A Progress that shows `label` instead of the temporary path."""

    def __init__(self, inner: Progress, label: str):
        self.inner, self.label = inner, label

    def started(self, path: str, steps: int | None) -> None:
        self.inner.started(self.label, steps)

    def advanced(self, path: str, step: int) -> None:
        self.inner.advanced(self.label, step)

    def finished(self, verdict: Verdict) -> None:
        self.inner.finished(replace(verdict, path=self.label))

    def note(self, message: str) -> None:
        self.inner.note(message)


