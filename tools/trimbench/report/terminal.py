"""The report as a rich table for the terminal. Every cell is Text, never markup: a `[` in a path stays a `[`."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from .cells import COLUMNS, NOTES, file_cell, flag_lines, section_names, unsectioned
from .model import Report


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


