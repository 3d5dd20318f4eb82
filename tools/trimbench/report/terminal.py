"""The report and a diff for the terminal: a compact table by default, every column with --wide; a diff in colour,
or as plain unified text for a pipe. Every cell is Text, never markup: a `[` in a path or a line stays a `[`,
and a path is never cut."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..diffing import Diff
from .cells import (COLUMNS, COMPACT, DIFF_HEADINGS, NO_CHANGE, NO_WINNER_DIFF, NOTES, diff_rows, file_cell,
                    flag_lines, flag_lines_in_full, saved, section_names, unsectioned)
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


def footer(report: Report, wide: bool = False, sections: bool = False, diff: bool = False) -> list:
    """What follows the table: what the counts mean, the flags, lines per section, the winner, and with `diff`
    the winner's diff against the original."""
    parts: list = [Text(NOTES if wide else COMPACT_NOTE, style="dim")]
    flags = flag_lines_in_full(report) if wide else flag_lines(report)
    if flags:
        parts.append(Text("Flags (what black cannot undo, or what makes physical lines flatter):\n"
                          + "\n".join(f"  {line}" for line in flags)))
    if sections:
        parts.append(sections_table(report))
    parts.append(Text(report.winner_sentence(), style="bold"))
    if diff:
        parts += diff_parts(report.winner_diff) if report.winner_diff else [Text(NO_WINNER_DIFF)]
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


# Colours only, no bold or dim: a console told NO_COLOR drops colours, and then writes no escape at all.
DIFF_STYLES = {"+": "green", "-": "red", "@": "cyan", "\\": "bright_black"}


def diff_parts(diff: Diff) -> list:
    """A diff for a terminal: its summary, the lines saved per section, then the diff with + and - coloured.
    Print the diff itself with soft_wrap, so that its lines are never folded."""
    return [Text(diff.summary()), diff_sections_table(diff), diff_text(diff)]


def diff_sections_table(diff: Diff) -> Table:
    grid = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, header_style="")
    for index, heading in enumerate(DIFF_HEADINGS):
        grid.add_column(heading, justify="right" if index else "left", no_wrap=True)
    for change, row in zip(diff.sections, diff_rows(diff)):
        style = "green" if change.saved > 0 else "red" if change.saved < 0 else ""
        grid.add_row(*map(Text, row[:3]), Text(row[3], style=style))
    return grid


def diff_records(diff: Diff) -> list[Text]:
    """The sections table's rows, one line each: for a terminal too narrow for the table."""
    return [Text(f"{name}: {before} -> {after} lines (saved {saved})")
            for name, before, after, saved in diff_rows(diff)]


def diff_text(diff: Diff) -> Text:
    if not diff.lines:
        return Text(NO_CHANGE)
    text = Text()
    for index, line in enumerate(diff.lines):
        # The two file headers start like a removal and an addition; they are neither.
        text.append(line, style="yellow" if index < 2 else DIFF_STYLES.get(line[:1], ""))
        text.append("\n" if index + 1 < len(diff.lines) else "")
    return text


def diff_plain(diff: Diff) -> str:
    """A diff for a pipe: the summary, an aligned table of lines per section, then the unified diff as diff -u
    writes it (patch(1) skips the lines before it)."""
    rows = [DIFF_HEADINGS, *diff_rows(diff)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(DIFF_HEADINGS))]
    table = ["  ".join(cell.ljust(width) if column == 0 else cell.rjust(width)
                       for column, (cell, width) in enumerate(zip(row, widths))) for row in rows]
    return "\n".join([diff.summary(), "", *table, "", *(diff.lines or [NO_CHANGE])]) + "\n"
