"""What each column of the report and of a diff shows, shared by the terminal table and the markdown renderer."""

from __future__ import annotations

from ..diffing import Diff
from ..flags import Flag
from ..metrics import FileMetrics
from .model import WINNER_MARK, Report, Row

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

def saved(saving) -> str:
    """`80/66`: physical lines / honest lines saved (the percent is in --wide and the JSON)."""
    return "" if saving is None else f"{saving.lines}/{saving.honest_lines}"


COMPACT = (  # (heading, value): what fits 100 columns with the longest names; --wide shows COLUMNS
    ("lines", lambda r: r.metrics.lines),
    ("honest", lambda r: r.metrics.honest_lines),
    ("saved", lambda r: saved(r.saved_vs_original)),
    ("vs prev", lambda r: saved(r.saved_vs_previous)),
    ("verdict", lambda r: r.verdict_label),
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
    """One line per distinct set of flags, naming the files that have it (line numbers are in --wide and JSON)."""
    groups: dict[str, list[str]] = {}
    for row in report.rows:
        if row.metrics.flags:
            text = "; ".join(str(Flag(flag.kind, flag.count)) for flag in row.metrics.flags)
            groups.setdefault(text, []).append(row.metrics.path)
    return [f"{', '.join(files)}: {text}" for text, files in groups.items()]


def flag_lines_in_full(report: Report) -> list[str]:
    return [f"{row.metrics.path}: {'; '.join(map(str, row.metrics.flags))}" for row in report.rows if row.metrics.flags]


def section_names(report: Report) -> tuple[str, ...]:
    return report.rows[0].metrics.sections.names if report.rows else ()


def unsectioned(row: Row) -> str:
    ranges = row.metrics.sections.unassigned
    return ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in ranges)


DIFF_HEADINGS = ("section", "before", "after", "saved")
NO_CHANGE = "No line differs."
NO_WINNER_DIFF = "No diff: the report has no winner to compare with the original."
WINNER_DIFF_TITLE = "What changed: the winner's diff against the original"


def diff_rows(diff: Diff) -> list[tuple[str, str, str, str]]:
    """Lines per section before and after, and the lines saved: one row per section found in either file."""
    return [(change.name, str(change.before), str(change.after), str(change.saved)) for change in diff.sections]
