"""The gist client's pure core: update plans, refusals, safe server text, rate-limit waits, verification verdicts."""

from __future__ import annotations

import email.utils
import json

import pytest

from trimbench.gist import Answer, Check, FileCheck, Gist, GistFile, plan_update
from trimbench.gist.messages import (MESSAGE_LIMIT, exhausted_until, github_message, lacks_gist_scope, rate_limit_wait,
                                     safe, scrub, status_error)
from trimbench.gist.rules import empty_refusal, judge_file, sha256, summarize, visibility_refusal

SECRET = "ghp_secret0123456789"
NOW = 1_700_000_000.0


def answer(status: int = 403, body: object = b"", headers: dict | None = None, complete: bool = True,
           reason: str = "Forbidden") -> Answer:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Answer(status, reason, headers or {}, data, complete)


@pytest.mark.parametrize(("current", "wanted", "expected"), [
    pytest.param([], {"a.py": "a"}, {"a.py": {"content": "a"}}, id="new-gist-content"),
    pytest.param(["a.py", "R.md"], {"a.py": "b", "R.md": "r"}, {"a.py": {"content": "b"}, "R.md": {"content": "r"}},
                 id="same-names-rewritten"),
    pytest.param(["old.py", "R.md"], {"new.py": "b", "R.md": "r"},
                 {"old.py": {"filename": "new.py", "content": "b"}, "R.md": {"content": "r"}},
                 id="one-for-one-renamed"),
    pytest.param(["a.py", "b.py"], {"c.py": "c"}, {"a.py": None, "b.py": None, "c.py": {"content": "c"}},
                 id="two-old-one-new-deleted"),
    pytest.param(["a.py"], {"b.py": "b", "c.py": "c"},
                 {"a.py": None, "b.py": {"content": "b"}, "c.py": {"content": "c"}},
                 id="one-old-two-new-deleted"),
    pytest.param(["a.py", "R.md"], {"R.md": "r"}, {"a.py": None, "R.md": {"content": "r"}}, id="dropped-deleted"),
])
def test_plan_update_leaves_exactly_the_wanted_files(current, wanted, expected):
    plan = plan_update(current, wanted)
    assert plan == expected
    after = {name for name in current if name not in plan} | {
        (spec.get("filename") or name) for name, spec in plan.items() if spec is not None}
    assert after == set(wanted)  # replaying the plan the way GitHub applies it


@pytest.mark.parametrize(("files", "expected"), [
    pytest.param({"a.py": "x"}, None, id="fine"),
    pytest.param({"a.py": " "}, None, id="blank-is-not-empty"),
    pytest.param({"a.py": "x", "b.py": ""}, "b.py is empty, and GitHub refuses an empty gist file (422); nothing was "
                 "published", id="empty-file"),
    pytest.param({}, "no files to publish: a gist holds at least one; nothing was published", id="no-file"),
])
def test_empty_refusal(files, expected):
    assert empty_refusal(files) == expected


@pytest.mark.parametrize(("public", "wanted", "expected"), [
    pytest.param(True, None, None, id="not-asked"),
    pytest.param(False, False, None, id="same-secret"),
    pytest.param(True, True, None, id="same-public"),
    pytest.param(True, False, "gist g is public, and GitHub cannot make a public gist secret again; nothing was "
                 "published", id="public-to-secret"),
    pytest.param(False, True, "gist g is secret, and GitHub's API cannot make it public; publish a new public gist "
                 "instead; nothing was published", id="secret-to-public"),
])
def test_visibility_refusal(public, wanted, expected):
    assert visibility_refusal(Gist("g", "https://gist.example/g", public), wanted) == expected


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(f"Authorization: Bearer {SECRET}", "Authorization: ***", id="bearer"),
    pytest.param(f"token {SECRET} and {SECRET}", "token *** and ***", id="twice"),
    pytest.param(f"ends in {SECRET[:9]}", "ends in ***", id="cut-inside-the-token"),
    pytest.param("ends in ghp", "ends in ghp", id="too-short-to-be-the-token"),
    pytest.param("nothing here", "nothing here", id="clean"),
])
def test_scrub(text, expected):
    assert scrub(text, SECRET) == expected


def test_safe_scrubs_before_it_cuts_and_makes_one_line():
    text = safe("a\nb\t" + "x" * (MESSAGE_LIMIT - 6) + SECRET + "y" * 1000, SECRET)
    assert text.startswith("a b xxx") and text.endswith("…") and len(text) == MESSAGE_LIMIT
    assert SECRET[:5] not in text


@pytest.mark.parametrize(("reply", "expected"), [
    pytest.param(answer(body={"message": "Not Found"}), "Not Found", id="json-message"),
    pytest.param(answer(body={"message": "Validation Failed", "errors": [{"resource": "Gist", "field": "files",
                                                                         "code": "missing_field"}, "odd"]}),
                 "Validation Failed (Gist.files: missing_field; odd)", id="422-details"),
    pytest.param(answer(body=b"<html>oops</html>", reason="Bad Gateway"), "Bad Gateway", id="not-json-reason"),
    pytest.param(answer(body=b"", reason=""), "HTTP 403", id="nothing-at-all"),
    pytest.param(answer(body=b'{"message": "cut \\u00e9 here ' + b"z" * 50, complete=False), "cut é here zzz",
                 id="cut-json-still-names-its-message"),
    pytest.param(answer(body=b'{"message": "cut inside \\u00', complete=False), "cut inside \\u00",
                 id="cut-inside-an-escape"),
    pytest.param(answer(body={"message": f"echo {SECRET}"}), "echo ***", id="token-scrubbed"),
])
def test_github_message(reply, expected):
    assert github_message(reply, SECRET).startswith(expected)


@pytest.mark.parametrize(("reply", "attempt", "expected"), [
    pytest.param(answer(404, {"message": "Not Found"}), 1, None, id="not-a-limit"),
    pytest.param(answer(403, {"message": "Resource not accessible"}), 1, None, id="403-not-a-limit"),
    pytest.param(answer(429, {}), 1, 60.0, id="429-bare"),
    pytest.param(answer(403, {"message": "You have exceeded a secondary rate limit"}), 2, 120.0,
                 id="secondary-doubles-with-each-attempt"),
    pytest.param(answer(403, {}, {"retry-after": "7"}), 1, 7.0, id="retry-after-seconds"),
    pytest.param(answer(429, {}, {"retry-after": email.utils.formatdate(NOW + 30, usegmt=True)}), 1, 30.0,
                 id="retry-after-date"),
    pytest.param(answer(403, {}, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 90)}), 1, 90.0,
                 id="primary-reset"),
    pytest.param(answer(403, {}, {"retry-after": "5", "x-ratelimit-remaining": "0",
                                  "x-ratelimit-reset": str(int(NOW) + 90)}), 1, 5.0, id="retry-after-first"),
])
def test_rate_limit_wait(reply, attempt, expected):
    assert rate_limit_wait(reply, NOW, attempt) == expected


@pytest.mark.parametrize(("headers", "expected"), [
    pytest.param({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000100"}, 1700000100.0, id="used-up"),
    pytest.param({"x-ratelimit-remaining": "4", "x-ratelimit-reset": "1700000100"}, None, id="requests-left"),
    pytest.param({}, None, id="no-headers"),
])
def test_exhausted_until(headers, expected):
    assert exhausted_until(answer(200, {}, headers)) == expected


@pytest.mark.parametrize(("headers", "expected"), [
    pytest.param({"x-oauth-scopes": "repo, user"}, "token lacks the gist scope (its scopes: repo, user)", id="no-gist"),
    pytest.param({"x-oauth-scopes": ""}, "token lacks the gist scope (its scopes: none)", id="no-scope"),
    pytest.param({"x-oauth-scopes": "repo,gist"}, None, id="gist-without-the-space"),
    pytest.param({}, None, id="fine-grained-no-header"),
])
def test_lacks_gist_scope(headers, expected):
    assert lacks_gist_scope(answer(404, {}, headers)) == expected


@pytest.mark.parametrize(("writes", "expected"), [
    pytest.param(True, "GitHub answered 503 Unavailable: down; it may have been written anyway: look at your gists",
                 id="a-write-may-have-happened"),
    pytest.param(False, "GitHub answered 503 Unavailable: down; nothing was published", id="a-read-wrote-nothing"),
])
def test_a_server_error_says_whether_the_gist_may_have_been_written(writes, expected):
    error = status_error(answer(503, {"message": "down"}, reason="Unavailable"), "GET /gists/a", "a", SECRET, writes)
    assert (str(error), error.status) == (expected, 503)


SENT = b"print(1)\n"


def listed(size: int | None = len(SENT), truncated: bool = False, content: str | None = SENT.decode()) -> GistFile:
    return GistFile("a.py", size, "https://raw.example/a.py", truncated, content)


@pytest.mark.parametrize(("entry", "raw", "problem", "check", "why"), [
    pytest.param(None, None, "was not read", Check.DIFFERS, "a.py is not in the gist", id="missing"),
    pytest.param(listed(size=3), None, "was not read", Check.DIFFERS, "GitHub holds 3 bytes of a.py, 9 were sent",
                 id="size"),
    pytest.param(listed(), SENT, "", Check.VERIFIED, "raw_url serves a.py with the sha256 that was sent", id="raw"),
    pytest.param(listed(), b"print(2)\n", "", Check.DIFFERS, f"raw_url serves other bytes for a.py (sha256 "
                 f"{sha256(b'print(2)' + bytes([10]))[:12]}…, sent {sha256(SENT)[:12]}…)", id="raw-differs"),
    pytest.param(listed(), None, "answered 500", Check.VERIFIED, "GitHub's whole copy of a.py has the sha256 that was "
                 "sent (raw_url answered 500)", id="whole-copy"),
    pytest.param(listed(content="print(3)\n"), None, "answered 500", Check.DIFFERS,
                 "GitHub's copy of a.py differs from what was sent", id="whole-copy-differs"),
    pytest.param(listed(truncated=True, content="print("), None, "answered 500", Check.NOT_VERIFIED,
                 "a.py could not be verified: GitHub's answer truncated it, and raw_url answered 500",
                 id="truncated-copy-never-used"),
    pytest.param(listed(truncated=True, content=SENT.decode()), None, "answered 500", Check.NOT_VERIFIED,
                 "a.py could not be verified: GitHub's answer truncated it, and raw_url answered 500",
                 id="truncated-copy-never-used-even-if-it-matches"),
])
def test_judge_file(entry, raw, problem, check, why):
    assert judge_file("a.py", SENT, entry, raw, problem) == FileCheck("a.py", check, why)


@pytest.mark.parametrize(("checks", "extra", "check", "why"), [
    pytest.param([FileCheck("a", Check.VERIFIED, "ok"), FileCheck("b", Check.VERIFIED, "ok")], [], Check.VERIFIED,
                 "GitHub serves a, b byte for byte as sent (sha256)", id="all-verified"),
    pytest.param([FileCheck("a", Check.VERIFIED, "ok"), FileCheck("b", Check.NOT_VERIFIED, "b unread")], [],
                 Check.NOT_VERIFIED, "b unread", id="one-unverified"),
    pytest.param([FileCheck("a", Check.DIFFERS, "a differs"), FileCheck("b", Check.NOT_VERIFIED, "b unread")], [],
                 Check.DIFFERS, "a differs", id="differs-wins"),
    pytest.param([FileCheck("a", Check.VERIFIED, "ok")], ["old.py"], Check.DIFFERS, "the gist also holds old.py",
                 id="a-file-left-behind"),
])
def test_summarize(checks, extra, check, why):
    verification = summarize(checks, extra)
    assert (verification.check, verification.why, verification.files) == (check, why, tuple(checks))
