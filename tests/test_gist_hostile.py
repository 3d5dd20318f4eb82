"""The gist client against hostile servers (issue 13): token echoes, trickled bytes, 20 MB messages.

A server's text is shown scrubbed of the token and cut to a few hundred characters; each request ends
within its --timeout whatever the server does; the token reaches no message, log or file.
"""

from __future__ import annotations

import logging
import time

import pytest

from tests.fake_github import SECONDARY_LIMIT, TOKEN, echo_authorization
from tests.test_gist import FILES, client, fails
from trimbench.gist.messages import MESSAGE_LIMIT

BIG = 20 * 1000 * 1000


def gist_body(request) -> dict:
    return {"id": "abc", "html_url": "https://gist.example/abc", "public": False, "files": {}}


@pytest.mark.parametrize(("status", "body", "options", "expected"), [
    pytest.param(401, echo_authorization, {}, "GitHub rejected the token (401 Bad credentials: got Authorization: ***)",
                 id="401-echoes-the-header"),
    pytest.param(403, echo_authorization, {},
                 "GitHub refused the request (403 Bad credentials: got Authorization: ***)",
                 id="403-echoes-the-header"),
    pytest.param(404, echo_authorization, {}, "POST /gists answered 404 Bad credentials: got Authorization: ***",
                 id="404-echoes-the-header"),
    pytest.param(422, {"message": "Validation Failed", "errors": [{"field": "files", "message": f"{TOKEN} is bad"}]},
                 {}, "(422 Validation Failed (files: *** is bad))", id="422-details-echo-the-token"),
    pytest.param(429, {"message": f"secondary rate limit for bearer {TOKEN}"}, {"headers": {"retry-after": "99"}},
                 "GitHub rate limit (secondary rate limit for bearer ***)", id="rate-limit-message-echoes-the-token"),
    pytest.param(500, {"message": f"token={TOKEN};token={TOKEN}"}, {}, "500 Internal Server Error: token=***;token=***",
                 id="500-echoes-it-twice"),
    pytest.param(502, "<html>down</html>", {"phrase": f"Bad Gateway for Bearer {TOKEN}"},
                 "GitHub answered 502 Bad Gateway for ***: Bad Gateway for ***", id="reason-phrase-echoes-it"),
    pytest.param(401, {"message": "x" * (MESSAGE_LIMIT - 2) + TOKEN}, {}, "xx*…)", id="token-where-the-cut-falls"),
    pytest.param(401, {"message": "Bad credentials " + TOKEN[:20]}, {}, "Bad credentials ***",
                 id="a-message-that-ends-in-part-of-the-token"),
])
def test_a_server_that_echoes_the_token_never_gets_it_shown(github, status, body, options, expected):
    github.answer(status, body, options.pop("headers", {}), **options)
    error = fails(client(github.url).create, FILES, "d")
    assert expected in str(error)
    assert error.status == status


def test_the_token_echoed_on_the_read_before_an_update_is_scrubbed_too(github):
    github.answer(404, echo_authorization)
    error = fails(client(github.url).update, "abc", FILES, "d")
    assert "gist abc not found (404 Bad credentials: got Authorization: ***)" in str(error)


@pytest.mark.parametrize(("trickle", "body_only", "timeout"), [
    pytest.param(1.0, False, 3.0, id="a-byte-a-second-under-timeout-3"),
    pytest.param(0.1, False, 1.0, id="status-line-and-headers-trickled"),
    pytest.param(0.1, True, 1.0, id="headers-at-once-then-the-body-trickled"),
])
def test_a_trickling_server_cannot_hold_a_request_past_its_timeout(github, trickle, body_only, timeout):
    github.answer(201, {**gist_body(None), "description": "x" * 500}, trickle=trickle, trickle_body_only=body_only)
    started = time.monotonic()
    error = fails(client(github.url, timeout=timeout).create, FILES, "d")
    elapsed = time.monotonic() - started
    expected = f"no complete answer from {github.url}/gists within {timeout:g} s; the gist may have been written"
    assert expected in str(error)
    assert timeout - 0.1 <= elapsed < timeout + 1.0


def test_a_trickled_read_before_an_update_stops_in_time_and_wrote_nothing(github):
    github.answer(200, gist_body, trickle=0.1)
    started = time.monotonic()
    error = fails(client(github.url, timeout=1.0).update, "abc", FILES, "d")
    assert time.monotonic() - started < 2.0
    assert str(error) == f"no complete answer from {github.url}/gists/abc within 1 s; nothing was published"


@pytest.mark.parametrize(("status", "body", "expected"), [
    pytest.param(422, {"message": "A" * BIG}, "GitHub refused the gist (422 AAAA", id="json-message"),
    pytest.param(403, {"message": "line\n" * (BIG // 5)}, "GitHub refused the request (403 line line", id="lines"),
    pytest.param(500, "B" * BIG, "GitHub answered 500 Internal Server Error: Internal Server Error;", id="not-json"),
    pytest.param(429, {**SECONDARY_LIMIT, "message": "secondary rate limit " + "C" * BIG},
                 "GitHub rate limit (secondary", id="rate-limit"),
])
def test_a_20_mb_message_prints_as_one_short_line(github, status, body, expected):
    github.answer(status, body, {"retry-after": "600"} if status == 429 else {})
    started = time.monotonic()
    error = fails(client(github.url).create, FILES, "d")
    assert str(error).startswith(expected)
    assert len(str(error)) < MESSAGE_LIMIT + 200
    assert time.monotonic() - started < 5.0


def test_the_token_reaches_no_log_and_no_file(github, caplog, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    caplog.set_level(logging.DEBUG)
    gist_client = client(github.url, timeout=1.0)
    gist = gist_client.create(FILES, "d")
    gist_client.verify(gist_client.update(gist.id, FILES, "d"), FILES)
    github.answer(401, echo_authorization)
    fails(gist_client.create, FILES, "d")
    github.answer(201, gist_body, trickle=0.1)
    fails(gist_client.create, FILES, "d")
    assert caplog.records  # httpx and httpcore did log, at DEBUG
    assert TOKEN not in caplog.text
    assert list(tmp_path.iterdir()) == []
