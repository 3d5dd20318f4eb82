"""The report and a diff as GitHub-flavoured markdown: for REPORT.md and for pasting anywhere."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from ..diffing import Diff
from .cells import (COLUMNS, DIFF_HEADINGS, NO_CHANGE, NO_WINNER_DIFF, NOTES, WINNER_DIFF_TITLE, diff_rows, file_cell,
                    section_names, unsectioned)
from .model import Report


def _md_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _md_table(header: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[bool]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if r else "---" for r in right) + "|"]
    lines += ["| " + " | ".join(_md_cell(value) for value in row) + " |" for row in rows]
    return lines


def to_markdown(report: Report, sections: bool = False, diff: bool = False) -> str:
    """GitHub-flavoured markdown: the metrics table, the winner, flags, optionally sections, and with `diff` the
    winner's diff against the original in a collapsed section."""
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
    if diff:
        winner = report.winner_diff
        out += ["", collapsed(WINNER_DIFF_TITLE, diff_markdown(winner)).rstrip() if winner else f"_{NO_WINNER_DIFF}_"]
    return "\n".join(out) + "\n"


def diff_markdown(diff: Diff) -> str:
    """The summary, the lines saved per section as a table, and the diff in a ```diff block."""
    out = [f"**{diff.summary(code)}**", ""]
    if diff.sections:
        out += [*_md_table(DIFF_HEADINGS, diff_rows(diff), [False, True, True, True]), ""]
    if diff.lines:
        fence = fence_for(diff.lines)
        out += [f"{fence}diff", *diff.lines, fence]
    else:
        out.append(f"_{NO_CHANGE}_")
    return "\n".join(out) + "\n"


def collapsed(summary: str, body: str) -> str:
    """A section GitHub shows closed, `summary` its only visible line. The blank lines around the body make GitHub
    read it as markdown rather than HTML."""
    return f"<details><summary>{html.escape(summary, quote=False)}</summary>\n\n{body.strip()}\n\n</details>\n"


def _longest_backticks(text: str) -> int:
    return max(map(len, re.findall("`+", text)), default=0)


def fence_for(lines: Sequence[str]) -> str:
    """A code fence longer than any run of backticks in `lines`, so that no line of a file can close it."""
    return "`" * max(3, _longest_backticks("\n".join(lines)) + 1)


def code(text: str) -> str:
    """`text` as an inline code span, whatever backticks it holds."""
    ticks = "`" * (_longest_backticks(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


