"""The line-savings report: one Report built from metrics and verdicts, and its renderers.

build_report() measures the files and picks the winner; to_table(), to_markdown(), to_json() and
write_chart() only render what it found, so every format tells the same story.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import multiprocessing
import os
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from importlib.metadata import version
from pathlib import Path

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from . import metrics as metrics_module
from . import sections as sections_module
from . import trust
from .cache import VerdictCache
from .config import Config
from .errors import TrimbenchError
from .fileio import write_atomic
from .metrics import FileMetrics, measure
from .verdict import Verdict

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
        return f"{self.verdict.outcome.value} ({self.verdict.tier})"


@dataclass(frozen=True)
class Report:
    rows: tuple[Row, ...]
    original: FileMetrics

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
        return (f"No winner: none of the {len(candidates)} variants passed "
                f"({unchecked} unchecked); a winner needs a bit-exact or text-exact verdict.")


def default_paths(config: Config) -> list[Path]:
    """The original, then every *.py in the variants folder, sorted by name."""
    return [config.original, *sorted(config.variants.glob("*.py"))]


def label(config: Config, path: Path) -> str:
    try:
        return path.resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return str(path)


def read_sources(config: Config, paths: Sequence[Path]) -> dict[Path, bytes]:
    sources = {}
    for path in paths:
        try:
            sources[path] = path.read_bytes()
        except FileNotFoundError:
            raise TrimbenchError(f"{label(config, path)}: no such file") from None
        except OSError as exc:
            raise TrimbenchError(f"{label(config, path)}: cannot read it: {exc.strerror or exc}") from None
    return sources


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
    paths = [path.resolve() for path in (paths if paths is not None else default_paths(config))]
    original_path = config.original.resolve()
    unique = list(dict.fromkeys([*paths, original_path]))  # each file is read and measured once
    sources = read_sources(config, unique)
    cache = MetricsCache(config.state_dir) if use_cache else None
    measured = dict(zip(unique, measure_cached([(label(config, path), sources[path]) for path in unique], cache)))
    given = {path.resolve(): verdict for path, verdict in (verdicts or {}).items()}
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
    return Report(tuple(rows), measured[original_path])


def pick_winner(candidates: Sequence[tuple[FileMetrics, Verdict | None, bool]]) -> int | None:
    """Index of the passing variant with the fewest honest lines, then the fewest physical lines.

    Each candidate is (metrics, verdict, is_original); the original cannot win, and neither can an
    unchecked file. On a full tie the earlier file wins.
    """
    passing = [(m.honest_lines, m.lines, index) for index, (m, verdict, is_original) in enumerate(candidates)
               if not is_original and verdict is not None and verdict.passes()]
    return min(passing)[2] if passing else None


@functools.cache
def counting_fingerprint() -> str:
    """Everything but a file's bytes that decides its counts: the counting code itself and the tools'
    versions. Hashing the code, not a version number, means an edit to it can never serve stale counts."""
    parts = [Path(module.__file__).read_bytes() for module in (metrics_module, sections_module)]
    parts += [f"black {version('black')} libcst {version('libcst')} radon {version('radon')} {sys.version}".encode()]
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


class MetricsCache:
    """FileMetrics on disk under .trimbench/metrics/, keyed by the file's bytes and counting_fingerprint().

    Measuring a file takes about 0.15 s, mostly black; a report re-measures only what changed."""

    def __init__(self, state_dir: Path):
        self.folder = state_dir / "metrics"

    def _path(self, data: bytes) -> Path:
        return self.folder / f"{hashlib.sha256(counting_fingerprint().encode() + data).hexdigest()}.json"

    def get(self, name: str, data: bytes) -> FileMetrics | None:
        try:
            found = FileMetrics.from_json(json.loads(self._path(data).read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or unreadable: measured again
        return replace(found, path=name)

    def put(self, data: bytes, metrics: FileMetrics) -> None:
        try:
            write_atomic(self._path(data), json.dumps(metrics.to_json()))
        except OSError:
            pass  # a read-only project still gets its report, only slower next time


def measure_cached(items: Sequence[tuple[str, bytes]], cache: MetricsCache | None) -> list[FileMetrics]:
    """measure_all(), skipping the files whose counts are in the cache."""
    found = [cache.get(name, data) if cache else None for name, data in items]
    missing = [index for index, metrics in enumerate(found) if metrics is None]
    for index, metrics in zip(missing, measure_all([items[index] for index in missing])):
        found[index] = metrics
        if cache:
            cache.put(items[index][1], metrics)
    return found


def measure_all(items: Sequence[tuple[str, bytes]]) -> list[FileMetrics]:
    """measure() for each (label, source), in order. Black dominates the cost, so several files are
    measured in parallel processes; the first file that fails raises, as it would in a plain loop."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    workers = min(len(items), cores)
    if workers >= 2 and len(items) >= 3 and "fork" in multiprocessing.get_all_start_methods():
        try:  # fork: the workers start with black, libcst and radon already imported
            pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
        except (OSError, NotImplementedError):  # no process semaphores here (some sandboxes): one by one
            pass
        else:
            with pool:
                return list(pool.map(measure, *zip(*items)))
    return [measure(name, data) for name, data in items]


# --- renderers -------------------------------------------------------------------------------------

COLUMNS = (  # (heading, short heading for the terminal, value)
    ("lines", "lines", lambda r: r.metrics.lines),
    ("code", "code", lambda r: r.metrics.code_lines),
    ("comment", "comm.", lambda r: r.metrics.comment_lines),
    ("blank", "blank", lambda r: r.metrics.blank_lines),
    ("docstring", "doc", lambda r: r.metrics.docstring_lines),
    ("statements", "stmts", lambda r: r.metrics.statements),
    ("honest", "honest", lambda r: r.metrics.honest_lines),
    ("longest", "longest", lambda r: r.metrics.longest_line),
    ("saved vs original", "saved vs orig.", lambda r: r.saved_vs_original),
    ("saved vs previous", "saved vs prev.", lambda r: "" if r.saved_vs_previous is None else r.saved_vs_previous),
    ("CC", "CC", lambda r: r.metrics.complexity_total),
    ("worst block", "worst block", lambda r: worst_block(r.metrics)),
    ("MI", "MI", lambda r: "-" if r.metrics.maintainability is None else f"{r.metrics.maintainability:.1f}"),
    ("volume", "volume", lambda r: f"{r.metrics.halstead_volume:.0f}"),
    ("verdict", "verdict", lambda r: r.verdict_label),
)

NOTES = (
    "Honest lines are code lines after black at line length 120; savings count honest lines. "
    "CC is radon's cyclomatic complexity, MI its maintainability index, volume the Halstead volume."
)


def worst_block(metrics: FileMetrics) -> str:
    if metrics.complexity_worst_block is None:
        return "-"
    return f"{metrics.complexity_worst_block} {metrics.complexity_worst}"


def file_cell(row: Row) -> str:
    return f"{WINNER_MARK} {row.metrics.path}" if row.winner else row.metrics.path


def flag_lines(report: Report) -> list[str]:
    return [f"{row.metrics.path}: {'; '.join(map(str, row.metrics.flags))}" for row in report.rows if row.metrics.flags]


def section_names(report: Report) -> tuple[str, ...]:
    return report.rows[0].metrics.sections.names if report.rows else ()


def unsectioned(row: Row) -> str:
    ranges = row.metrics.sections.unassigned
    return ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in ranges)


def to_table(report: Report, sections: bool = False) -> Group:
    """A rich renderable: the metrics table, flags, winner, and optionally lines per section."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("file", overflow="fold")
    for _, short, _ in COLUMNS:
        table.add_column(short, justify="left" if short in ("worst block", "verdict") else "right", no_wrap=True)
    for row in report.rows:
        table.add_row(Text(file_cell(row)), *(Text(str(value(row))) for _, _, value in COLUMNS),
                      style="bold green" if row.winner else None)  # Text: a `[` in a path is not markup
    parts = [table, Text(NOTES, style="dim")]
    flags = flag_lines(report)
    if flags:
        parts.append(Text("Flags (what black cannot undo, or what makes physical lines flatter):\n"
                          + "\n".join(f"  {line}" for line in flags)))
    if sections:
        parts.append(_sections_table(report))
    parts.append(Text(report.winner_sentence(), style="bold"))
    spaced = [parts[0]]
    for part in parts[1:]:
        spaced += [Text(""), part]
    return Group(*spaced)


def _sections_table(report: Report) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, title="lines per section", title_justify="left")
    table.add_column("file", overflow="fold")
    for name in section_names(report):
        table.add_column(name, justify="right")
    table.add_column("no section", justify="right")
    for row in report.rows:
        counts = row.metrics.sections.lines()
        table.add_row(Text(file_cell(row)), *(str(counts[name]) for name in counts), unsectioned(row) or "-")
    return table


def _md_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _md_table(header: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[bool]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if r else "---" for r in right) + "|"]
    lines += ["| " + " | ".join(_md_cell(value) for value in row) + " |" for row in rows]
    return lines


def to_markdown(report: Report, sections: bool = False) -> str:
    """GitHub-flavoured markdown: the metrics table, the winner, flags and optionally sections."""
    header = ["file", *(heading for heading, _, _ in COLUMNS), "flags"]
    right = [False, *(heading not in ("worst block", "verdict") for heading, _, _ in COLUMNS), False]
    rows = [[f"**{file_cell(row)}**" if row.winner else row.metrics.path, *(value(row) for _, _, value in COLUMNS),
             "; ".join(map(str, row.metrics.flags))] for row in report.rows]
    out = [f"**{report.winner_sentence()}**", "", *_md_table(header, rows, right), "", f"_{NOTES}_"]
    if sections:
        names = section_names(report)
        rows = [[file_cell(row), *row.metrics.sections.lines().values(), unsectioned(row) or "-"]
                for row in report.rows]
        out += ["", "Lines per section:", "", *_md_table(["file", *names, "no section"], rows,
                                                          [False, *(True for _ in names), False])]
    return "\n".join(out) + "\n"


def _saving_json(saving: Saving | None) -> dict | None:
    if saving is None:
        return None
    percent = None if saving.honest_percent is None else round(saving.honest_percent, 2)
    return {"lines": saving.lines, "honest_lines": saving.honest_lines, "honest_percent": percent}


def to_json_data(report: Report, sections: bool = False) -> list[dict]:
    data = []
    for row in report.rows:
        m = row.metrics
        item = {
            "path": m.path,
            "original": row.is_original,
            "lines": m.lines,
            "code_lines": m.code_lines,
            "comment_lines": m.comment_lines,
            "blank_lines": m.blank_lines,
            "docstring_lines": m.docstring_lines,
            "statements": m.statements,
            "honest_lines": m.honest_lines,
            "longest_line": m.longest_line,
            "flags": [str(flag) for flag in m.flags],
            "saved_vs_original": _saving_json(row.saved_vs_original),
            "saved_vs_previous": _saving_json(row.saved_vs_previous),
            "complexity_total": m.complexity_total,
            "complexity_worst": m.complexity_worst,
            "complexity_worst_block": m.complexity_worst_block,
            "maintainability_index": None if m.maintainability is None else round(m.maintainability, 2),
            "halstead_volume": round(m.halstead_volume, 2),
            "verdict": row.verdict.outcome.value if row.verdict else UNCHECKED,
            "verdict_tier": row.verdict.tier if row.verdict else None,
            "winner": row.winner,
        }
        if sections:
            item["sections"] = m.sections.lines()
            item["unsectioned_lines"] = [list(span) for span in m.sections.unassigned]
        data.append(item)
    return data


def to_json(report: Report, sections: bool = False) -> str:
    return json.dumps(to_json_data(report, sections), indent=2) + "\n"


def chart_png(report: Report) -> bytes:
    """Physical lines per file stacked by section, honest lines as a marker, the winner starred."""
    from matplotlib.figure import Figure  # imported here: a slow import that only --plot needs

    names = section_names(report)
    labels = [Path(row.metrics.path).stem for row in report.rows]
    figure = Figure(figsize=(max(6.0, 1.0 + 0.9 * len(labels)), 5.5), layout="constrained")
    axes = figure.add_subplot()
    palette = [f"C{i}" for i in range(len(names))] + ["lightgrey"]
    bottoms = [0] * len(labels)
    bars = []
    for index, name in enumerate([*names, "no section"]):
        heights = [row.metrics.sections.unassigned_lines if name == "no section" else row.metrics.sections.lines()[name]
                   for row in report.rows]
        if any(heights):
            bars.append(axes.bar(range(len(labels)), heights, bottom=bottoms, color=palette[index], label=name,
                                 width=0.7))
            bottoms = [b + h for b, h in zip(bottoms, heights)]
    honest = [row.metrics.honest_lines for row in report.rows]
    (marker,) = axes.plot(range(len(labels)), honest, linestyle="none", marker="_", markersize=28,
                          markeredgewidth=2.5, color="black", label="honest lines")
    for index, row in enumerate(report.rows):
        axes.annotate(str(row.metrics.lines), (index, row.metrics.lines), textcoords="offset points",
                      xytext=(0, 3), ha="center", fontsize=8)
        if row.winner:
            axes.annotate(f"{WINNER_MARK} winner", (index, row.metrics.lines), textcoords="offset points",
                          xytext=(0, 14), ha="center", fontsize=10, fontweight="bold", color="darkgreen")
    axes.set_xticks(range(len(labels)), labels, rotation=30, ha="right", fontsize=8)
    for tick, row in zip(axes.get_xticklabels(), report.rows):
        if row.winner:
            tick.set_color("darkgreen")
            tick.set_fontweight("bold")
    axes.set_ylabel("lines")
    axes.set_ylim(0, max([row.metrics.lines for row in report.rows] + [1]) * 1.15)
    axes.set_title("Lines per file, by section" + ("" if report.winner else " (no winner: no variant passed yet)"))
    # legend: the marker, then the sections top first, as they are stacked
    axes.legend(handles=[marker, *reversed(bars)], loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
                markerscale=0.5, frameon=False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def write_chart(report: Report, path: Path) -> None:
    png = chart_png(report)
    try:
        write_atomic(path, png)
    except OSError as exc:
        raise TrimbenchError(f"{path}: cannot write the chart: {exc.strerror or exc}") from None
