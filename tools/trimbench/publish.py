"""`trimbench publish` as a workflow: the variant, its full-tier proof, the gist built, sent and read back.

run() does every step and returns a Publication for the CLI to render. Only a variant whose full-tier,
unfiltered verdict passes and speaks for the current goldens is published: a cached one when there is one,
else the full check runs first. The last publish is remembered in .trimbench/published.json, so that the
next one can update the same gist.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import manifest as manifest_module
from . import trust
from .cache import VerdictCache
from .check import CheckOptions, Progress, run_checks
from .config import Config
from .errors import TrimbenchError
from .fileio import write_atomic
from .gist import DEFAULT_API_URL, Gist, GistClient, GistError, Verification, endpoint, find_token, request_body
from .gist_report import Subject, description, report_markdown
from .hashing import sha256
from .project import label, variant_path
from .report import Report, build_report, chart
from .verdict import Outcome, Verdict

REPORT_NAME = "REPORT.md"
CHART_NAME = "chart.svg"  # a gist holds only text: the chart goes as SVG
RECORD_NAME = "published.json"
DRY_RUN_FILE = "publish-request.json"


@dataclass(frozen=True)
class Request:
    variant: str | None = None  # a path, or a name in the variants folder; None: the report's winner
    filename: str | None = None  # the variant's name in the gist; None: the original's
    public: bool = False
    gist_id: str | None = None  # publish a new revision of this gist
    update: bool = False  # publish a new revision of the last gist published
    dry_run: bool = False
    api_url: str = DEFAULT_API_URL
    timeout: float = 30.0
    max_wait: float = 60.0
    python: str = "auto"  # the interpreter of the full check, when one has to run
    allow_text_exact: bool = False  # publish a text-exact variant (the same text, other floats)
    check: bool = True  # run the full check when no trusted verdict exists; False: refuse instead
    with_chart: bool = False  # add the chart of lines per section as a third file


@dataclass(frozen=True)
class Payload:
    files: dict[str, str]  # gist file name -> content
    description: str


@dataclass(frozen=True)
class Publication:
    subject: Subject
    refusal: str | None = None  # why it was not published; nothing else is set then
    payload: Payload | None = None
    action: str = ""  # "created", "updated" or "dry run"
    gist: Gist | None = None
    verification: Verification | None = None
    target: str | None = None  # the gist a new revision goes to; None: a new gist
    dry_run_call: tuple[str, str] | None = None  # (method, url) a real run would send
    dry_run_file: Path | None = None


def run(config: Config, request: Request, *, progress: Progress | None = None,
        on_full_check: Callable[[str], None] | None = None) -> Publication:
    filename = gist_filename(request.filename or config.original.name)
    gist_id = target_gist(config, request)
    token = None
    if not request.dry_run:  # before anything slow: the report or the full check
        token = find_token(request.api_url)
        if token is None:
            raise TrimbenchError("no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token with the gist scope, "
                                 "or log in with `gh auth login`")
    path = variant_path(config, request.variant) if request.variant else winner(config)
    source = path.read_bytes()
    verdict = cached_full_verdict(config, source)
    if verdict is None and not request.check:
        raise TrimbenchError(f"--no-check: {label(config, path)} has no trusted full-tier verdict, and nothing "
                             "unproven is published; run `trimbench check --tier full` on it first")
    if verdict is None:
        if on_full_check:
            on_full_check(f"no trusted full-tier verdict for {label(config, path)}: running the full check "
                          f"({full_run_estimate(config)})")
        (verdict,) = run_checks(config, [path], CheckOptions(tier="full", python=request.python), progress)
    subject = Subject(label(config, config.original), config.original.read_bytes(), _shown(config, path), source,
                      recorded_inputs(config), verdict)
    reason = refusal(subject, request.allow_text_exact)
    if reason is not None:
        return Publication(subject, refusal=reason)
    savings = build_report(config, [config.original, path], {path: verdict})
    chart_name = CHART_NAME if request.with_chart else None
    files = {filename: source.decode("utf-8"), REPORT_NAME: report_markdown(subject, filename, savings, chart_name)}
    if chart_name:
        files[chart_name] = chart(savings, "svg").decode("utf-8")
    payload = Payload(files, description(subject, filename, savings))
    if request.dry_run:
        body = request_body(payload.files, payload.description, None if gist_id else request.public)
        out = config.state_dir / DRY_RUN_FILE
        write_atomic(out, json.dumps(body, indent=2, ensure_ascii=False) + "\n")
        return Publication(subject, payload=payload, action="dry run", target=gist_id,
                           dry_run_call=endpoint(request.api_url, gist_id), dry_run_file=out)
    client = GistClient(request.api_url, token.value, timeout=request.timeout, max_wait=request.max_wait)
    try:
        if gist_id:
            gist = client.update(gist_id, payload.files, payload.description)
        else:
            gist = client.create(payload.files, payload.description, public=request.public)
    except GistError as exc:
        if exc.status in (401, 403, 404):  # say which token was used: the fix is often another one
            raise GistError(f"{exc} (the token came from {token.source})", exc.status) from None
        raise
    remember(config.state_dir, api_url=request.api_url, gist=gist, subject=subject, filename=filename)
    return Publication(subject, payload=payload, action="updated" if gist_id else "created", target=gist_id,
                       gist=gist, verification=client.verify(gist, payload.files))


def _shown(config: Config, path: Path) -> str:
    """The variant's path in the project, or only its name when it lies outside: never a home folder."""
    shown = label(config, path)
    return path.name if Path(shown).is_absolute() else shown


def cached_full_verdict(config: Config, source: bytes) -> Verdict | None:
    """The newest cached full-tier, unfiltered verdict for these exact bytes that speaks for the current goldens."""
    return trust.best(VerdictCache(config.state_dir).verdicts_for(source), trust.current(config), full_only=True)


def full_run_estimate(config: Config) -> str:
    """How long the full run took when the goldens were recorded, for people waiting on it."""
    try:
        entry = manifest_module.load(config.goldens / manifest_module.NAME).tiers["full"]
    except (TrimbenchError, KeyError):
        return "the whole run of the program"
    seconds = [item.seconds for item in entry.records.values() if item.seconds is not None]
    return f"about {min(seconds):.0f} s, the time the original took" if seconds else "the whole run of the program"


def winner(config: Config) -> Path:
    whole: Report = build_report(config)
    if whole.winner is None:
        raise TrimbenchError(f"no VARIANT named, and the report has no winner: {whole.winner_sentence()}")
    return config.root / whole.winner.metrics.path


def recorded_inputs(config: Config) -> dict[str, str]:
    """The inputs the goldens were recorded with (every check compares against them): name -> sha256."""
    try:
        return manifest_module.load(config.goldens / manifest_module.NAME).inputs
    except TrimbenchError:
        return {}


def refusal(subject: Subject, allow_text_exact: bool = False) -> str | None:
    """Why this variant may not be published, or None when its full-tier verdict passes."""
    verdict = subject.verdict
    if verdict.tier == "full" and verdict.passes(allow_text_exact) and not verdict.lines_filter:
        return None
    reason = f"{subject.variant_path} is {verdict.outcome.value} in the {verdict.tier} tier"
    if verdict.detail:
        reason += f" ({verdict.detail})"
    if verdict.first_divergence is not None:
        divergence = verdict.first_divergence
        reason += f"; expected {divergence.expected!r}, got {divergence.actual!r}"
    if verdict.outcome is Outcome.TEXT_EXACT and verdict.tier == "full":
        return f"{reason}; its floats differ from the original's: publish it with --allow-text-exact, on purpose"
    return f"{reason}; only a variant that is bit-exact in the full tier can be published"


def gist_filename(name: str) -> str:
    if not name or "/" in name or "\\" in name:
        raise TrimbenchError(f"--filename {name!r}: a gist file name cannot be empty or hold a slash")
    if name.casefold() == REPORT_NAME.casefold():
        raise TrimbenchError(f"--filename {name!r}: the gist's {REPORT_NAME} already has that name")
    if re.fullmatch(r"gistfile\d+(\..*)?", name):
        raise TrimbenchError(f"--filename {name!r}: GitHub keeps gistfileN names for files it names itself")
    return name


def target_gist(config: Config, request: Request) -> str | None:
    """The gist to publish a new revision of, or None to create one."""
    gist_id = request.gist_id
    if request.update:
        record = remembered(config.state_dir)
        if record is None:
            raise TrimbenchError("--update: nothing was published from this project yet; publish once without it")
        if record["api_url"] != request.api_url:
            raise TrimbenchError(f"--update: the last gist went to {record['api_url']}, not {request.api_url}; "
                                 f"add --api-url {record['api_url']}, or name the gist with --gist ID")
        gist_id = record["gist_id"]
    if gist_id is not None and request.public:
        raise TrimbenchError("--public applies to a new gist only: GitHub cannot change a gist's visibility")
    return gist_id


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


def remember(state_dir: Path, *, api_url: str, gist: Gist, subject: Subject, filename: str) -> None:
    record = {
        "api_url": api_url,
        "gist_id": gist.id,
        "html_url": gist.html_url,
        "public": gist.public,
        "variant": subject.variant_path,
        "variant_sha256": sha256(subject.variant),
        "filename": filename,
        "verdict": subject.verdict.outcome.value,
        "published_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    write_atomic(state_dir / RECORD_NAME, json.dumps(record, indent=2) + "\n")
