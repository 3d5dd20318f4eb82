"""The report as GitHub-flavoured markdown: for REPORT.md and for pasting anywhere."""

from __future__ import annotations

from collections.abc import Sequence

from .cells import COLUMNS, NOTES, file_cell, section_names, unsectioned
from .model import Report


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


