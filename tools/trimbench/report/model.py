"""The report's model: each file's counts, its trusted verdict, its savings, and the winner. Pure of rendering."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import trust
from ..cache import VerdictCache
from ..config import Config
from ..diffing import CONTEXT, Diff, compare
from ..metrics import FileMetrics
from ..project import default_paths, label, read_sources, real
from ..verdict import Outcome, Verdict
from .measuring import MetricsCache, measure_cached

UNCHECKED = "unchecked"
WINNER_MARK = "★"


@dataclass(frozen=True)
class Saving:
    """Lines saved against a baseline; negative when the file grew."""

    lines: int  # physical lines
    honest_lines: int
    honest_percent: float | None  # of the baseline's honest lines; None for an empty baseline

    @classmethod
    def between(cls, base: FileMetrics, file: FileMetrics) -> Saving:
        honest = base.honest_lines - file.honest_lines
        return cls(base.lines - file.lines, honest, honest / base.honest_lines * 100 if base.honest_lines else None)

    def __str__(self) -> str:
        percent = "" if self.honest_percent is None else f" ({self.honest_percent:.1f}%)"
        return f"{self.honest_lines}{percent}"


@dataclass(frozen=True)
class Row:
    metrics: FileMetrics
    verdict: Verdict | None  # None: no check has judged this exact content yet
    is_original: bool
    saved_vs_original: Saving
    saved_vs_previous: Saving | None  # None for the first row
    winner: bool

    @property
    def verdict_label(self) -> str:
        if self.verdict is None:
            return UNCHECKED
        label = f"{self.verdict.outcome.value} ({self.verdict.tier})"
        return f"{label}, not crowned" if self.verdict.outcome is Outcome.TEXT_EXACT else label


@dataclass(frozen=True)
class Report:
    rows: tuple[Row, ...]
    original: FileMetrics
    winner_diff: Diff | None = None  # the winner's diff against the original; None when there is no winner

    @property
    def winner(self) -> Row | None:
        return next((row for row in self.rows if row.winner), None)

    def winner_sentence(self) -> str:
        winner = self.winner
        if winner is not None:
            m, saved = winner.metrics, winner.saved_vs_original
            percent = "" if saved.honest_percent is None else f" ({saved.honest_percent:.1f}%)"
            return (f"Winner: {m.path}, {m.honest_lines} honest lines ({m.lines} physical), saving "
                    f"{saved.honest_lines} honest lines{percent} against the original; verdict {winner.verdict_label}.")
        candidates = [row for row in self.rows if not row.is_original]
        unchecked = sum(row.verdict is None for row in candidates)
        if not candidates:
            return "No winner: no variants in the report."
        if unchecked == len(candidates):
            return "No winner: no variant has been checked yet (run `trimbench check`, or report with --check)."
        return (f"No winner: none of the {len(candidates)} variants is bit-exact "
                f"({unchecked} unchecked); a winner needs a bit-exact verdict.")


def unchecked(config: Config, paths: Sequence[Path]) -> list[Path]:
    """The files no trusted verdict speaks for yet: what `report --check` checks first."""
    cache, now, sources = VerdictCache(config.state_dir), trust.current(config), read_sources(config, paths)
    return [path for path in paths if cached_verdict(cache, sources[path], now) is None]


def cached_verdict(cache: VerdictCache, source: bytes, now: trust.Current | None) -> Verdict | None:
    """The cached verdict for this exact content that speaks for the current goldens, full tier preferred."""
    return trust.best(cache.verdicts_for(source), now)


def build_report(config: Config, paths: Sequence[Path] | None = None,
                 verdicts: Mapping[Path, Verdict] | None = None, use_cache: bool = True) -> Report:
    """Measure `paths` (default: the original and every variant) and pick the winner.

    `verdicts` are verdicts just given (e.g. by run_checks); a path without one gets its cached verdict.
    Savings are measured against the configured original, whether or not it is among `paths`.
    `use_cache=False` measures every file afresh and leaves the metrics cache alone.
    """
    paths = [real(path) for path in (paths if paths is not None else default_paths(config))]
    original_path = real(config.original)
    unique = list(dict.fromkeys([*paths, original_path]))  # each file is read and measured once
    sources = read_sources(config, unique)
    cache = MetricsCache(config.state_dir) if use_cache else None
    measured = dict(zip(unique, measure_cached([(label(config, path), sources[path]) for path in unique], cache)))
    given = {real(path): verdict for path, verdict in (verdicts or {}).items()}
    judged, now = VerdictCache(config.state_dir), trust.current(config)
    found = [given[path] if path in given else cached_verdict(judged, sources[path], now) for path in paths]
    winner = pick_winner([(measured[path], verdict, path == original_path) for path, verdict in zip(paths, found)])
    rows = []
    for index, (path, verdict) in enumerate(zip(paths, found)):
        metrics = measured[path]
        rows.append(Row(
            metrics=metrics,
            verdict=verdict,
            is_original=path == original_path,
            saved_vs_original=Saving.between(measured[original_path], metrics),
            saved_vs_previous=Saving.between(measured[paths[index - 1]], metrics) if index else None,
            winner=index == winner,
        ))
    changes = None
    if winner is not None:  # difflib over two files: milliseconds, so every report has it ready
        best = paths[winner]
        changes = compare(measured[original_path], sources[original_path], measured[best], sources[best])
    return Report(tuple(rows), measured[original_path], changes)


def diff_files(config: Config, a: Path, b: Path, context: int = CONTEXT, use_cache: bool = True) -> Diff:
    """The diff from file A to file B, counted as a report counts them (and from the same metrics cache)."""
    sources = read_sources(config, [a, b])
    cache = MetricsCache(config.state_dir) if use_cache else None
    before, after = measure_cached([(label(config, path), sources[path]) for path in (a, b)], cache)
    return compare(before, sources[a], after, sources[b], context)


def pick_winner(candidates: Sequence[tuple[FileMetrics, Verdict | None, bool]]) -> int | None:
    """Index of the bit-exact variant with the fewest honest lines, then the fewest physical lines.

    Each candidate is (metrics, verdict, is_original); the original cannot win, and neither can an unchecked
    or a text-exact file (its floats moved). On a full tie the earlier file wins.
    """
    passing = [(m.honest_lines, m.lines, index) for index, (m, verdict, is_original) in enumerate(candidates)
               if not is_original and verdict is not None and verdict.outcome is Outcome.BIT_EXACT]
    return min(passing)[2] if passing else None


