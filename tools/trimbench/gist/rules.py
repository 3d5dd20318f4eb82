"""GitHub's gist rules as pure functions: request bodies, update plans, refusals, answers read, files judged."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from urllib.parse import quote

from .model import Answer, Check, FileCheck, Gist, GistError, GistFile, Verification

RAW_LIMIT = 10 * 1000 * 1000  # GitHub: raw_url serves files up to ten megabytes; a bigger one needs a git clone


def endpoint(api_url: str, gist_id: str | None = None) -> tuple[str, str]:
    """The method and URL that create a gist (no id) or publish a new revision of one."""
    base = api_url.rstrip("/")
    return ("PATCH", gist_url(base, gist_id)) if gist_id else ("POST", f"{base}/gists")


def gist_url(api_url: str, gist_id: str) -> str:
    return f"{api_url.rstrip('/')}/gists/{quote(gist_id, safe='')}"


def request_body(files: Mapping[str, str], description: str, public: bool | None = None) -> dict:
    """The JSON body of a create (public given: secret unless True) or of an update that only writes `files`."""
    body: dict = {"description": description, "files": {name: {"content": text} for name, text in files.items()}}
    if public is not None:
        body["public"] = public
    return body


def plan_update(current: Iterable[str], wanted: Mapping[str, str]) -> dict[str, dict | None]:
    """The `files` of a PATCH that leaves the gist holding exactly `wanted`.

    GitHub keys `files` by the current name and keeps every file not mentioned, so a file that is no
    longer wanted must be named: with null to delete it, or, when exactly one old file gives way to exactly
    one new name (the variant published under another name), with `filename` to rename it, which keeps
    its history in the gist as one file.
    """
    current = list(current)
    stale = [name for name in current if name not in wanted]
    new = [name for name in wanted if name not in current]
    files: dict[str, dict | None] = {}
    renamed_to = None
    if len(stale) == 1 and len(new) == 1:
        files[stale[0]] = {"filename": new[0], "content": wanted[new[0]]}
        renamed_to = new[0]
    else:
        files.update(dict.fromkeys(stale))
    files.update({name: {"content": text} for name, text in wanted.items() if name != renamed_to})
    return files


def empty_refusal(files: Mapping[str, str]) -> str | None:
    """Why GitHub would answer 422 to these files, said before sending them; None when it would not."""
    if not files:
        return "no files to publish: a gist holds at least one; nothing was published"
    empty = [name for name, text in files.items() if text == ""]
    if empty:
        return f"{empty[0]} is empty, and GitHub refuses an empty gist file (422); nothing was published"
    return None


def visibility_refusal(gist: Gist, public: bool | None) -> str | None:
    """Why the gist cannot take the visibility asked for (None: no change asked, or none needed)."""
    if public is None or public == gist.public:
        return None
    if gist.public:
        return f"gist {gist.id} is public, and GitHub cannot make a public gist secret again; nothing was published"
    return (f"gist {gist.id} is secret, and GitHub's API cannot make it public; publish a new public gist "
            "instead; nothing was published")


def parse_gist(answer: Answer, url: str, writes: bool = True) -> Gist:
    """The gist in a successful answer; its files keep `truncated`, so a cut copy is never taken for the file."""
    try:
        if not answer.complete:
            raise ValueError("cut at the read cap")
        data = json.loads(answer.body)
        history = data.get("history") or [{}]
        files = tuple(parse_file(name, spec) for name, spec in (data.get("files") or {}).items())
        return Gist(id=str(data["id"]), html_url=str(data["html_url"]), public=bool(data.get("public", False)),
                    files=files, revision=history[0].get("version"))
    except (ValueError, KeyError, TypeError, AttributeError):
        outcome = "it may have been written anyway: look at your gists" if writes else "nothing was published"
        raise GistError(f"{url} answered {answer.status} without a gist in the reply; {outcome}",
                        answer.status) from None


def parse_file(name: str, spec: dict) -> GistFile:
    size, raw_url, content = spec.get("size"), spec.get("raw_url"), spec.get("content")
    return GistFile(name=str(spec.get("filename") or name), size=size if isinstance(size, int) else None,
                    raw_url=raw_url if isinstance(raw_url, str) else None, truncated=spec.get("truncated") is True,
                    content=content if isinstance(content, str) else None)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def judge_file(name: str, sent: bytes, listed: GistFile | None, raw: bytes | None, raw_problem: str) -> FileCheck:
    """Does the gist hold `sent` under `name`? `raw` is what its raw_url served (None: `raw_problem` says why not).

    A truncated copy in the API's answer is never compared: only raw_url, or a copy GitHub says is whole.
    """
    if listed is None:
        return FileCheck(name, Check.DIFFERS, f"{name} is not in the gist")
    if listed.size is not None and listed.size != len(sent):
        return FileCheck(name, Check.DIFFERS, f"GitHub holds {listed.size:,} bytes of {name}, {len(sent):,} were sent")
    if raw is not None:
        if sha256(raw) == sha256(sent):
            return FileCheck(name, Check.VERIFIED, f"raw_url serves {name} with the sha256 that was sent")
        return FileCheck(name, Check.DIFFERS, f"raw_url serves other bytes for {name} (sha256 {sha256(raw)[:12]}…, "
                                              f"sent {sha256(sent)[:12]}…)")
    if not listed.truncated and listed.content is not None:
        if sha256(listed.content.encode("utf-8")) == sha256(sent):
            return FileCheck(name, Check.VERIFIED, f"GitHub's whole copy of {name} has the sha256 that was sent "
                                                   f"(raw_url {raw_problem})")
        return FileCheck(name, Check.DIFFERS, f"GitHub's copy of {name} differs from what was sent")
    why = "GitHub's answer truncated it" if listed.truncated else "GitHub's answer has no content"
    return FileCheck(name, Check.NOT_VERIFIED, f"{name} could not be verified: {why}, and raw_url {raw_problem}")


def summarize(checks: Iterable[FileCheck], extra: Iterable[str] = ()) -> Verification:
    """One verdict for the gist: it differs if any file does or it holds files not sent; verified if all are."""
    checks, extra = tuple(checks), tuple(extra)
    differing = [check for check in checks if check.check is Check.DIFFERS]
    unverified = [check for check in checks if check.check is Check.NOT_VERIFIED]
    if differing or extra:
        whys = [check.why for check in differing] + ([f"the gist also holds {', '.join(extra)}"] if extra else [])
        return Verification(Check.DIFFERS, "; ".join(whys), checks)
    if unverified:
        return Verification(Check.NOT_VERIFIED, "; ".join(check.why for check in unverified), checks)
    names = ", ".join(check.name for check in checks)
    return Verification(Check.VERIFIED, f"GitHub serves {names} byte for byte as sent (sha256)", checks)
