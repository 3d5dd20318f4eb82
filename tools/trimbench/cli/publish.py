"""`trimbench publish`: argument parsing and rendering; the gate and the payload are in trimbench.publish."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from .. import config as configuration
from .. import publish, report
from ..errors import TrimbenchError
from ..fileio import write_atomic
from ..gist import DEFAULT_API_URL, GistClient, GistError, endpoint, find_token, request_body
from ..report import label
from .progress import CheckProgress

DRY_RUN_FILE = "publish-request.json"

EPILOG = f"""\
The gist holds two files: the variant, named like the original (or --filename), and REPORT.md
with the savings, the verdict with its tier and interpreter, and the sha256 of the original, the
variant and the input. Only a variant that is bit-exact or text-exact in the full tier is
published: its cached full-tier verdict is used, else the full check runs first.

Token: GITHUB_TOKEN, else GH_TOKEN, else `gh auth token` when gh is installed. A classic token
needs the 'gist' scope; a fine-grained one the account permission 'Gists: read and write'.

Every publish is remembered in .trimbench/{publish.RECORD_NAME} (the gist's id, address and the
variant); --update publishes a new revision of that gist instead of creating another.

Exit codes: 0 published (or dry run), 1 refused or publishing failed, 2 usage, configuration or
no token."""


def api_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"{text!r} is not an http(s) URL such as {DEFAULT_API_URL}")
    return text.rstrip("/")


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds")
    return value


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "publish", help="publish a variant that passed the full tier as a GitHub gist",
        description="Publish a variant that passed the full tier as a GitHub gist, with its report.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("variant", nargs="?", metavar="VARIANT",
                        help="the variant's file, or its name in the variants folder "
                             "(default: the winner of `trimbench report`)")
    parser.add_argument("--public", action="store_true", help="create a public gist (default: secret)")
    parser.add_argument("--dry-run", action="store_true",
                        help=f"send nothing: show what would be sent, write the request body to "
                             f".trimbench/{DRY_RUN_FILE}")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--gist", metavar="ID", help="publish a new revision of this gist")
    target.add_argument("--update", action="store_true",
                        help=f"publish a new revision of the last gist published (.trimbench/{publish.RECORD_NAME})")
    parser.add_argument("--api-url", type=api_url, default=DEFAULT_API_URL, metavar="URL",
                        help=f"GitHub's API (default {DEFAULT_API_URL}; GitHub Enterprise: https://HOST/api/v3)")
    parser.add_argument("--filename", metavar="NAME", help="the variant's name in the gist (default: the original's)")
    parser.add_argument("--timeout", type=seconds, default=30.0, metavar="SECONDS",
                        help="give up on an unanswered request after this long (default 30)")
    parser.add_argument("--max-wait", type=seconds, default=60.0, metavar="SECONDS",
                        help="wait at most this long in all when GitHub asks to retry later (default 60)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = configuration.load()
    filename = gist_filename(args.filename or config.original.name)
    gist_id = target_gist(args, config)
    token = None
    if not args.dry_run:  # before anything slow: the report or the full check
        token = find_token(args.api_url)
        if token is None:
            raise TrimbenchError("no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token with the gist scope, "
                                 "or log in with `gh auth login`")
    whole = None if args.variant else report.build_report(config)  # every variant, to find the winner
    path = variant_path(config, args.variant) if args.variant else publish.winner(config, whole)
    source = path.read_bytes()  # not UTF-8: the check calls it invalid, so it is refused below
    verdict = publish.cached_full_verdict(config, source)
    if verdict is None:
        print(f"trimbench: no full-tier verdict cached for {label(config, path)}; running the full check "
              "(the whole training run)", file=sys.stderr)
        with CheckProgress() as progress:
            verdict = publish.check_full(config, path, progress)
    subject = publish.Subject(
        original_path=label(config, config.original), original=config.original.read_bytes(),
        variant_path=label(config, path), variant=source,
        inputs=publish.recorded_inputs(config), verdict=verdict,
    )
    reason = publish.refusal(subject)
    if reason is not None:
        print(f"trimbench: not published: {reason}", file=sys.stderr)
        return 1
    payload = publish.build(subject, filename, publish.chain_report(config, path, verdict, whole))
    if args.dry_run:
        return dry_run(config, args, payload, gist_id)
    try:
        client = GistClient(args.api_url, token.value, timeout=args.timeout, max_wait=args.max_wait)
        gist = client.update(gist_id, payload.files, payload.description) if gist_id else \
            client.create(payload.files, payload.description, public=args.public)
    except GistError as exc:
        blame = f" (the token came from {token.source})" if exc.status in (401, 403, 404) else ""
        print(f"trimbench: publish failed: {exc}{blame}", file=sys.stderr)
        return 1
    publish.remember(config.state_dir, api_url=args.api_url, gist_id=gist.id, html_url=gist.html_url,
                     public=gist.public, subject=subject, filename=filename)
    kind = "public" if gist.public else "secret"
    action = "updated" if gist_id else "created"
    print(f"trimbench: {action} {kind} gist {gist.id} with {subject.variant_path} ({verdict.outcome.value})",
          file=sys.stderr)
    print(gist.html_url)
    return 0


def variant_path(config: configuration.Config, name: str) -> Path:
    for candidate in (Path(name), config.variants / name, config.variants / f"{name}.py"):
        if candidate.is_file():
            return candidate
    raise TrimbenchError(f"no variant {name!r}: neither a file nor one in {label(config, config.variants)}/")


def gist_filename(name: str) -> str:
    if not name or "/" in name or "\\" in name:
        raise TrimbenchError(f"--filename {name!r}: a gist file name cannot be empty or hold a slash")
    if name.casefold() == publish.REPORT_NAME.casefold():
        raise TrimbenchError(f"--filename {name!r}: the gist's {publish.REPORT_NAME} already has that name")
    if re.fullmatch(r"gistfile\d+(\..*)?", name):
        raise TrimbenchError(f"--filename {name!r}: GitHub keeps gistfileN names for files it names itself")
    return name


def target_gist(args: argparse.Namespace, config: configuration.Config) -> str | None:
    """The gist to publish a new revision of, or None to create one."""
    gist_id = args.gist
    if args.update:
        record = publish.remembered(config.state_dir)
        if record is None:
            raise TrimbenchError("--update: nothing was published from this project yet; publish once without it")
        if record["api_url"] != args.api_url:
            raise TrimbenchError(f"--update: the last gist went to {record['api_url']}, not {args.api_url}; "
                                 f"add --api-url {record['api_url']}, or name the gist with --gist ID")
        gist_id = record["gist_id"]
    if gist_id is not None and args.public:
        raise TrimbenchError("--public applies to a new gist only: GitHub cannot change a gist's visibility")
    return gist_id


def dry_run(config: configuration.Config, args: argparse.Namespace, payload: publish.Payload,
            gist_id: str | None) -> int:
    body = request_body(payload.files, payload.description, None if gist_id else args.public)
    out = config.state_dir / DRY_RUN_FILE
    write_atomic(out, json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    method, url = endpoint(args.api_url, gist_id)
    what = f"a new revision of gist {gist_id}" if gist_id else f"a {'public' if args.public else 'secret'} gist"
    print(f"dry run: would {method} {url}: {what}")
    print(f"description: {payload.description}")
    width = max(map(len, payload.files))
    for name, text in payload.files.items():
        print(f"  {name:<{width}}  {len(text.encode()):>8,} bytes")
    print(f"request body written to {label(config, out)}")
    return 0
