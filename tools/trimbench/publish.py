"""What `trimbench publish` sends: the variant and a REPORT.md, only when the full tier passed.

The payload is built by pure functions from facts gathered once (a Subject); finding the verdict
may run the full check; the last publish is remembered in .trimbench/published.json so that the
next one can update the same gist.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from . import report
from .cache import VerdictCache
from .hashing import sha256
from .check import CheckOptions, Progress, run_checks
from .config import Config
from .errors import TrimbenchError
from .fileio import write_atomic
from . import manifest as manifest_module
from . import trust
from .verdict import Outcome, Verdict

REPORT_NAME = "REPORT.md"
RECORD_NAME = "published.json"

MEANING = {
    Outcome.BIT_EXACT: "the same stdout and the same floats as the original, to the last bit",
    Outcome.TEXT_EXACT: "the same stdout as the original, byte for byte; the floats differ in the last bits",
}


@dataclass(frozen=True)
class Subject:
    """The facts a publication is made of, read once."""

    original_path: str
    original: bytes
    variant_path: str
    variant: bytes
    inputs: dict[str, str]  # name -> sha256
    verdict: Verdict


@dataclass(frozen=True)
class Payload:
    files: Mapping[str, str]  # gist file name -> content
    description: str


def cached_full_verdict(config: Config, source: bytes) -> Verdict | None:
    """The newest cached full-tier, unfiltered verdict for these exact bytes that speaks for the current goldens."""
    return trust.best(VerdictCache(config.state_dir).verdicts_for(source), trust.current(config), full_only=True)


def check_full(config: Config, path: Path, progress: Progress | None = None) -> Verdict:
    """Run the full check on one variant now (minutes: the whole training run)."""
    (verdict,) = run_checks(config, [path], CheckOptions(tier="full"), progress)
    return verdict


def winner(config: Config, whole: report.Report) -> Path:
    """The winner of `trimbench report`, whose report of every variant is `whole`."""
    if whole.winner is None:
        raise TrimbenchError(f"no VARIANT named, and the report has no winner: {whole.winner_sentence()}")
    return config.root / whole.winner.metrics.path


def chain_report(config: Config, path: Path, verdict: Verdict, whole: report.Report | None = None) -> report.Report:
    """The savings report of the original and the variants up to `path`, in the order of `trimbench report`.

    A variant outside the variants folder is reported after the original alone. When `path` is the winner
    of `whole` (the report of every variant), that report's rows up to the winner are the chain already.
    """
    if whole is not None and whole.winner is not None and whole.winner.metrics.path == report.label(config, path):
        rows = whole.rows[:whole.rows.index(whole.winner)]
        return replace(whole, rows=(*rows, replace(whole.winner, verdict=verdict)))
    paths = report.default_paths(config)
    resolved = [candidate.resolve() for candidate in paths]
    chain = paths[:resolved.index(path.resolve()) + 1] if path.resolve() in resolved else [config.original, path]
    return report.build_report(config, chain, {path: verdict})


def recorded_inputs(config: Config) -> dict[str, str]:
    """The inputs the goldens were recorded with (every check compares against them): name -> sha256."""
    try:
        return manifest_module.load(config.goldens / manifest_module.NAME).inputs
    except TrimbenchError:
        return {}


def refusal(subject: Subject) -> str | None:
    """Why this variant may not be published, or None when its full-tier verdict passes."""
    verdict = subject.verdict
    if verdict.tier == "full" and verdict.passes():
        return None
    reason = f"{subject.variant_path} is {verdict.outcome.value} in the {verdict.tier} tier"
    if verdict.detail:
        reason += f" ({verdict.detail})"
    if verdict.first_divergence is not None:
        divergence = verdict.first_divergence
        reason += f"; expected {divergence.expected!r}, got {divergence.actual!r}"
    return f"{reason}; only a variant that is bit-exact or text-exact in the full tier can be published"


def build(subject: Subject, filename: str, chain: report.Report) -> Payload:
    """The gist's files and description; `chain` is the savings report ending with the variant (chain_report)."""
    text = subject.variant.decode("utf-8")  # bytes decoded as they are: no newline translation
    savings = report.to_markdown(chain)
    return Payload(files={filename: text, REPORT_NAME: report_markdown(subject, filename, savings)},
                   description=description(subject, filename, chain))


def description(subject: Subject, filename: str, chain: report.Report) -> str:
    before, after = chain.original.honest_lines, chain.rows[-1].metrics.honest_lines
    return (f"{filename}: {before} → {after} honest lines, {subject.verdict.outcome.value} with the original "
            "over the full run (trimbench)")


def cell(text: str) -> str:
    """Text made safe for one markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def report_markdown(subject: Subject, filename: str, savings_markdown: str) -> str:
    verdict = subject.verdict
    meaning = MEANING.get(verdict.outcome, verdict.outcome.value)
    steps = f" ({verdict.steps:,} steps)" if verdict.steps else ""
    cached = " (cached verdict)" if verdict.cached else ""
    rows = [
        ("verdict", f"**{verdict.outcome.value}**: {meaning}"),
        ("tier", f"{verdict.tier}{steps}"),
        ("interpreter", verdict.interpreter),
        ("run time", f"{verdict.seconds:.1f} s{cached}"),
    ]
    if verdict.lines_filter:
        rows.append(("compared lines", "only those matching " + " or ".join(f"`{p}`" for p in verdict.lines_filter)))
    if verdict.detail:
        rows.append(("detail", verdict.detail))
    hashes = [
        (f"original (`{subject.original_path}`)", sha256(subject.original)),
        (f"variant (`{subject.variant_path}`, published as `{filename}`)", sha256(subject.variant)),
        *((f"input `{name}`", digest) for name, digest in sorted(subject.inputs.items())),
    ]
    lines = [
        f"# {filename}, shrunk by trimbench",
        "",
        f"`{filename}` in this gist is `{subject.variant_path}`. Run in full, it prints {meaning}.",
        "",
        "## Savings",
        "",
        savings_markdown.strip(),
        "",
        "## Verdict",
        "",
        "| | |",
        "|---|---|",
        *(f"| {name} | {cell(value)} |" for name, value in rows),
        "",
        "## sha256",
        "",
        "| file | sha256 |",
        "|---|---|",
        *(f"| {name} | `{digest}` |" for name, digest in hashes),
        "",
    ]
    return "\n".join(lines)


def remembered(state_dir: Path) -> dict | None:
    """The record of the last publish, or None if there was none."""
    path = state_dir / RECORD_NAME
    if not path.exists():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(record.get("gist_id"), str) and isinstance(record.get("api_url"), str):
            return record
    except (OSError, ValueError, AttributeError):
        pass
    raise TrimbenchError(f"{path} is unreadable; delete it, or name the gist with --gist ID")


def remember(state_dir: Path, *, api_url: str, gist_id: str, html_url: str, public: bool, subject: Subject,
             filename: str) -> None:
    record = {
        "api_url": api_url,
        "gist_id": gist_id,
        "html_url": html_url,
        "public": public,
        "variant": subject.variant_path,
        "variant_sha256": sha256(subject.variant),
        "filename": filename,
        "verdict": subject.verdict.outcome.value,
        "published_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    write_atomic(state_dir / RECORD_NAME, json.dumps(record, indent=2) + "\n")
