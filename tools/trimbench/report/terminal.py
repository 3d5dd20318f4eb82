"""The report for the terminal: a compact table by default, every column with --wide. Every cell is Text, never
markup: a `[` in a path stays a `[`, and a path is never cut."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from .cells import (COLUMNS, COMPACT, NOTES, file_cell, flag_lines, flag_lines_in_full, saved, section_names,
                    unsectioned)
from .model import Report

COMPACT_NOTE = ("lines: physical lines; honest: code lines after black at line length 120; saved: lines/honest "
                "lines saved against the original; vs prev: against the file above. --wide for every count.")


def table(report: Report, wide: bool = False) -> Table:
    grid = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    grid.add_column("file", no_wrap=True)
    columns = [(heading, value) for heading, _, value in COLUMNS] if wide else list(COMPACT)
    for heading, _ in columns:
        grid.add_column(heading, justify="left" if heading in ("worst block", "verdict") else "right", no_wrap=True)
    for row in report.rows:
        grid.add_row(Text(file_cell(row)), *(Text(str(value(row))) for _, value in columns),
                     style="bold green" if row.winner else None)
    return grid


def records(report: Report) -> list[Text]:
    """The compact table's rows, one line each: for a terminal too narrow for the table."""
    return [Text(f"{file_cell(row)}: {row.metrics.lines} lines, {row.metrics.honest_lines} honest"
                 + (f"; saved {saved(row.saved_vs_original)} against the original" if not row.is_original else "")
                 + (f", {saved(row.saved_vs_previous)} against the file above" if row.saved_vs_previous else "")
                 + f"; {row.verdict_label}", style="bold green" if row.winner else "")
            for row in report.rows]


def footer(report: Report, wide: bool = False, sections: bool = False) -> list:
    """What follows the table: what the counts mean, the flags, lines per section, and the winner."""
    parts: list = [Text(NOTES if wide else COMPACT_NOTE, style="dim")]
    flags = flag_lines_in_full(report) if wide else flag_lines(report)
    if flags:
        parts.append(Text("Flags (what black cannot undo, or what makes physical lines flatter):\n"
                          + "\n".join(f"  {line}" for line in flags)))
    if sections:
        parts.append(sections_table(report))
    parts.append(Text(report.winner_sentence(), style="bold"))
    return parts


def sections_table(report: Report) -> Table:
    grid = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, title="lines per section", title_justify="left")
    grid.add_column("file", no_wrap=True)
    for name in section_names(report):
        grid.add_column(name, justify="right")
    grid.add_column("no section", justify="right")
    for row in report.rows:
        counts = row.metrics.sections.lines()
        grid.add_row(Text(file_cell(row)), *(str(counts[name]) for name in counts), unsectioned(row) or "-")
    return grid


def to_table(report: Report, sections: bool = False, wide: bool = False) -> Group:
    """The table and its footer as one renderable (the CLI prints them apart, to fit the terminal)."""
    parts = [table(report, wide)]
    for part in footer(report, wide, sections):
        parts += [Text(""), part]
    return Group(*parts)
