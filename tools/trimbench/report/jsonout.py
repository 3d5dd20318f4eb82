"""The report as one JSON list, an object per file, and a diff as one object: for scripts."""

from __future__ import annotations

import json
from dataclasses import asdict

from ..diffing import Diff
from .model import UNCHECKED, Report, Saving


def _saving_json(saving: Saving | None) -> dict | None:
    if saving is None:
        return None
    percent = None if saving.honest_percent is None else round(saving.honest_percent, 2)
    return {"lines": saving.lines, "honest_lines": saving.honest_lines, "honest_percent": percent}


def to_json_data(report: Report, sections: bool = False, diff: bool = False) -> list[dict]:
    """An object per file; with `diff`, the winner's has `diff_vs_original` (no object has it when none won)."""
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
        if diff and row.winner and report.winner_diff:
            item["diff_vs_original"] = diff_json_data(report.winner_diff)
        data.append(item)
    return data


def to_json(report: Report, sections: bool = False, diff: bool = False) -> str:
    return json.dumps(to_json_data(report, sections, diff), indent=2) + "\n"


def diff_json_data(diff: Diff) -> dict:
    return {
        "a": asdict(diff.a),
        "b": asdict(diff.b),
        "saved": {"lines": diff.saved, "honest_lines": diff.honest_saved},
        "sections": [{**asdict(change), "saved": change.saved} for change in diff.sections],
        "context": diff.context,
        "diff": list(diff.lines),
    }


def diff_json(diff: Diff) -> str:
    return json.dumps(diff_json_data(diff), indent=2) + "\n"


