"""REPORT.md and the description of a published gist: what changed, what was proved, against what, and how to check
it. Pure."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .diffing import Diff, compare
from .hashing import sha256
from .report import Report, collapsed, diff_markdown, to_markdown
from .verdict import Outcome, Verdict

CHANGES_TITLE = "What changed: the diff against the original"
TERMS = (
    ("lines", "physical lines, as `wc -l` counts them"),
    ("honest lines", "code lines once black has formatted the file at line length 120, so `a; b` and `if x: y` "
                     "count as two; comments, blank lines and docstrings do not count"),
    ("bit-exact", "the same stdout, byte for byte, and every value the program formats for output and every "
                  "weight it passes to random.choices identical to the last bit, and the same final RNG state"),
    ("text-exact", "the same stdout, byte for byte, but a value differs in its last bits (or no float was seen)"),
    ("full tier", "the program run as written, to its end"),
)


@dataclass(frozen=True)
class Subject:
    """The facts a publication is made of, read once. Paths are relative to the project, never absolute."""

    original_path: str
    original: bytes
    variant_path: str
    variant: bytes
    inputs: dict[str, str]  # name -> sha256, as the goldens were recorded with
    verdict: Verdict


def cell(text: str) -> str:
    """Text made safe for one markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def description(subject: Subject, filename: str, savings: Report) -> str:
    before, after = savings.original.honest_lines, savings.rows[-1].metrics.honest_lines
    return (f"{filename}: {before} → {after} honest lines, {subject.verdict.outcome.value} with the original "
            "over the full run (trimbench)")


def changes(subject: Subject, savings: Report) -> Diff:
    """The published variant's diff against the original, labelled with the subject's paths (never absolute)."""
    original, variant = savings.original, savings.rows[-1].metrics
    return compare(replace(original, path=subject.original_path), subject.original,
                   replace(variant, path=subject.variant_path), subject.variant)


def report_markdown(subject: Subject, filename: str, savings: Report, chart_name: str | None = None) -> str:
    verdict = subject.verdict
    meaning = dict(TERMS)[verdict.outcome.value] if verdict.outcome.value in dict(TERMS) else verdict.outcome.value
    rows = [
        ("verdict", f"**{verdict.outcome.value}**: {meaning}"),
        ("tier", verdict.tier_label),
        ("compared", verdict.compared),
        ("interpreter", verdict.interpreter),
        ("sandbox", verdict.basis.sandbox if verdict.basis else "unknown"),
        ("run time", f"{verdict.seconds:.1f} s" + (" (cached verdict)" if verdict.cached else "")),
    ]
    if verdict.detail and verdict.outcome is not Outcome.BIT_EXACT:
        rows.append(("detail", verdict.detail))
    hashes = [
        (f"original `{subject.original_path}`", sha256(subject.original)),
        (f"variant `{subject.variant_path}` (published as `{filename}`)", sha256(subject.variant)),
        *((f"input `{name}`", digest) for name, digest in sorted(subject.inputs.items())),
    ]
    if verdict.basis is not None:
        hashes += [("golden text (the original's stdout)", verdict.basis.golden_text_sha256),
                   (f"golden values ({verdict.interpreter})", verdict.basis.golden_records_sha256),
                   ("trimbench's judging code", verdict.basis.judge)]
    lines = [
        f"# {filename}, shrunk by trimbench",
        "",
        f"`{filename}` in this gist is `{subject.variant_path}`, a rewrite of `{subject.original_path}`. "
        f"trimbench ran both to their end and judged the rewrite **{verdict.outcome.value}**: {meaning}.",
        "",
        "## Savings",
        "",
        to_markdown(savings).strip(),
        "",
        *([f"`{chart_name}` in this gist draws these lines per section, honest lines marked.", ""]
          if chart_name else []),
        *(f"- **{term}**: {text}." for term, text in TERMS),
        "",
        collapsed(CHANGES_TITLE, diff_markdown(changes(subject, savings))),
        "## Verdict",
        "",
        "| | |",
        "|---|---|",
        *(f"| {name} | {cell(value)} |" for name, value in rows),
        "",
        "## What it was judged against (sha256)",
        "",
        "| what | sha256 |",
        "|---|---|",
        *(f"| {cell(name)} | `{digest}` |" for name, digest in hashes),
        "",
        "## Verify it yourself",
        "",
        f"In a trimbench project whose `[tool.trimbench]` names `{subject.original_path}` as `original` (with its "
        "inputs), put this gist's file beside it, check the hashes above, record the original's goldens by "
        "running it, and judge the rewrite over the full run:",
        "",
        "```",
        f"sha256sum {subject.original_path} {filename}",
        "trimbench golden record",
        f"trimbench check --tier full --strict {filename}",
        "```",
        "",
        "Floats differ between interpreters in their last bits, so compare the golden values' hash only on the "
        f"interpreter named above ({verdict.interpreter}).",
        "",
    ]
    return "\n".join(lines)
