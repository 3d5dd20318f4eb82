"""The report as a chart (PNG, or SVG for a gist): physical lines per file stacked by section, honest lines marked,
the winner starred."""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import TrimbenchError
from ..fileio import write_atomic
from .cells import section_names
from .model import WINNER_MARK, Report


KINDS = ("png", "svg")


def chart(report: Report, kind: str = "png") -> bytes:
    """Physical lines per file stacked by section, honest lines as a marker, the winner starred. An SVG is text
    (a gist holds only text) and the same bytes for the same report: no date, fixed element ids."""
    import matplotlib  # imported here: a slow import that only the chart needs
    from matplotlib.figure import Figure

    if kind not in KINDS:
        raise TrimbenchError(f"a chart is {' or '.join(KINDS)}, not {kind!r}")

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
    with matplotlib.rc_context({"svg.hashsalt": "trimbench", "svg.fonttype": "none"}):
        figure.savefig(buffer, format=kind, dpi=110, metadata={"Date": None} if kind == "svg" else None)
    return buffer.getvalue()


def write_chart(report: Report, path: Path) -> None:
    """A PNG, or an SVG when the name ends in .svg."""
    image = chart(report, "svg" if path.suffix.lower() == ".svg" else "png")
    try:
        write_atomic(path, image)
    except OSError as exc:
        raise TrimbenchError(f"{path}: cannot write the chart: {exc.strerror or exc}") from None
