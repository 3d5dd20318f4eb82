"""`trimbench publish`: argument parsing and rendering; the gate and the payload are in trimbench.publish."""

from __future__ import annotations

import argparse
import sys
from urllib.parse import urlsplit

from .. import publish
from ..config import Config
from ..gist import DEFAULT_API_URL, GistError
from ..project import label
from .configured import configuration
from .progress import CheckProgress

EPILOG = f"""\
The gist holds two files: the variant, named like the original (or --filename), and REPORT.md with
the savings, the diff against the original (collapsed), the verdict (tier, what it compared,
interpreter, sandbox), every hash it was judged against, each term defined, and how to verify it
yourself. Only a variant that is bit-exact in the full tier is published (text-exact too with
--allow-text-exact): its trusted full-tier verdict is used, else the full check runs first, which
says so and how long it roughly takes (--no-check refuses instead). Paths are relative to the
project, never absolute.

Token: GITHUB_TOKEN, else GH_TOKEN, else `gh auth token` when gh is installed. A classic token
needs the 'gist' scope; a fine-grained one the account permission 'Gists: read and write'.

Every publish is remembered in .trimbench/{publish.RECORD_NAME} (the gist's id, address and the
variant); --update publishes a new revision of that gist instead of creating another.

After publishing, every file is read back from the gist and its sha256 compared with what was sent.

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
                             f".trimbench/{publish.DRY_RUN_FILE}")
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
    parser.add_argument("--python", default="auto", metavar="auto|PATH",
                        help="interpreter of the full check, when one has to run (default: auto)")
    parser.add_argument("--allow-text-exact", action="store_true",
                        help="publish a text-exact variant (the same text, other floats); default: [tool.trimbench] "
                             "allow_text_exact, else only bit-exact")
    parser.add_argument("--with-chart", action="store_true",
                        help=f"add {publish.CHART_NAME}, the chart of lines per section, as a third file")
    parser.add_argument("--no-check", action="store_true",
                        help="never run the full check: without a trusted full-tier verdict, refuse (exit 2)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = configuration(args, [args.variant])
    request = publish.Request(variant=args.variant, filename=args.filename, public=args.public, gist_id=args.gist,
                              update=args.update, dry_run=args.dry_run, api_url=args.api_url, timeout=args.timeout,
                              max_wait=args.max_wait, python=args.python,
                              allow_text_exact=args.allow_text_exact or config.allow_text_exact,
                              check=not args.no_check, with_chart=args.with_chart)
    try:
        with CheckProgress() as progress:
            done = publish.run(config, request, progress=progress,
                               on_full_check=lambda message: print(f"trimbench: {message}", file=sys.stderr))
    except GistError as exc:
        print(f"trimbench: publish failed: {exc}", file=sys.stderr)
        return 1
    if done.refusal is not None:
        print(f"trimbench: not published: {done.refusal}", file=sys.stderr)
        return 1
    if done.action == "dry run":
        return show_dry_run(config, request, done)
    kind = "public" if done.gist.public else "secret"
    print(f"trimbench: {done.action} {kind} gist {done.gist.id} with {done.subject.variant_path} "
          f"({done.subject.verdict.outcome.value})", file=sys.stderr)
    check = done.verification
    print(f"trimbench: read back: {check.check.value}: {check.why}", file=sys.stderr)
    print(done.gist.html_url)
    return 0


def show_dry_run(config: Config, request: publish.Request, done: publish.Publication) -> int:
    method, url = done.dry_run_call
    visibility = "public" if request.public else "secret"
    what = f"a new revision of gist {done.target}" if done.target else f"a {visibility} gist"
    print(f"dry run: would {method} {url}: {what}")
    print(f"description: {done.payload.description}")
    width = max(map(len, done.payload.files))
    for name, text in done.payload.files.items():
        print(f"  {name:<{width}}  {len(text.encode()):>8,} bytes")
    print(f"request body written to {label(config, done.dry_run_file)}")
    return 0
