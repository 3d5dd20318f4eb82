"""The gist client against a real HTTP server on loopback that plays GitHub's two gist endpoints."""

from __future__ import annotations

import time

import pytest

from tests.fake_github import (BAD_CREDENTIALS, HANG_UP, NOT_FOUND, PRIMARY_LIMIT, SECONDARY_LIMIT, TOKEN,
                               VALIDATION)
from trimbench.gist import API_VERSION, Gist, GistClient, GistError, Token, find_token


def client(url: str, **options) -> GistClient:
    return GistClient(url, TOKEN, **{"timeout": 5.0, "max_wait": 0.0, **options})


FILES = {"microgpt.py": "print('hi')\n", "REPORT.md": "# report\n"}


def test_create_sends_a_secret_gist_with_githubs_headers(github):
    gist = client(github.url).create(FILES, "a description")
    assert isinstance(gist, Gist)
    assert gist.public is False
    assert gist.html_url == f"https://gist.example/{gist.id}"
    assert set(gist.files) == set(FILES)
    (request,) = github.requests
    assert (request.method, request.path) == ("POST", "/gists")
    assert request.body == {"description": "a description", "public": False,
                            "files": {name: {"content": text} for name, text in FILES.items()}}
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Accept"] == "application/vnd.github+json"
    assert request.headers["X-GitHub-Api-Version"] == API_VERSION == "2022-11-28"
    assert request.headers["User-Agent"].startswith("trimbench/")


def test_create_public(github):
    assert client(github.url).create(FILES, "d", public=True).public is True
    assert github.requests[0].body["public"] is True


def test_update_patches_the_gist_without_touching_visibility(github):
    first = client(github.url).create(FILES, "first")
    second = client(github.url + "/").update(first.id, {"microgpt.py": "pass\n"}, "second")
    assert second.id == first.id and second.revision != first.revision
    request = github.requests[-1]
    assert (request.method, request.path) == ("PATCH", f"/gists/{first.id}")
    assert request.body == {"description": "second", "files": {"microgpt.py": {"content": "pass\n"}}}
    assert github.gists[first.id]["files"]["microgpt.py"]["content"] == "pass\n"


def test_a_prefixed_api_url_works_like_github_enterprise(github):
    github.answer(201, {"id": "abc", "html_url": "https://ghe.example/gist/abc", "files": {}})
    client(github.url + "/api/v3").create(FILES, "d")
    assert github.requests[0].path == "/api/v3/gists"


@pytest.mark.parametrize(("status", "body", "headers", "expected"), [
    pytest.param(401, BAD_CREDENTIALS, {}, "GitHub rejected the token (401 Bad credentials)", id="401"),
    pytest.param(404, NOT_FOUND, {}, "the token may not create gists; a classic token needs the 'gist' scope",
                 id="404-create-means-no-gist-scope"),
    pytest.param(422, VALIDATION, {}, "GitHub refused the gist (422 Validation Failed (Gist.files: missing_field))",
                 id="422"),
    pytest.param(403, {"message": "Resource not accessible by personal access token"}, {},
                 "GitHub refused the request (403 Resource not accessible by personal access token)",
                 id="403-not-a-rate-limit"),
    pytest.param(403, PRIMARY_LIMIT, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(time.time()) + 600)},
                 "GitHub rate limit (API rate limit exceeded for user ID 1.); nothing was published; try again after",
                 id="403-primary-limit-reset"),
    pytest.param(429, SECONDARY_LIMIT, {"retry-after": "120"},
                 "(in 120 s)", id="429-retry-after-beyond-the-cap"),
    pytest.param(403, SECONDARY_LIMIT, {}, "(in 60 s)", id="403-secondary-limit-without-headers"),
    pytest.param(502, "<html>bad gateway</html>", {}, "GitHub answered 502 Bad Gateway: Bad Gateway; it may have",
                 id="502-not-json"),
])
def test_create_errors(github, status, body, headers, expected):
    github.answer(status, body, headers)
    with pytest.raises(GistError) as caught:
        client(github.url).create(FILES, "d")
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message and TOKEN not in message and TOKEN not in repr(caught.value)
    assert caught.value.status == status
    assert len(github.requests) == 1  # the wait did not fit in max_wait=0: no retry


def test_404_on_update_names_the_gist(github):
    with pytest.raises(GistError, match=r"gist 0123abc not found \(404 Not Found\)"):
        client(github.url).update("0123abc", FILES, "d")


def test_retry_after_is_honoured_within_the_cap(github):
    github.answer(429, SECONDARY_LIMIT, {"retry-after": "1"})
    started = time.monotonic()
    gist = client(github.url, max_wait=2.0).create(FILES, "d")
    assert time.monotonic() - started >= 1.0
    assert gist.id in github.gists
    assert [request.method for request in github.requests] == ["POST", "POST"]


def test_gives_up_after_three_rate_limited_attempts(github):
    github.answer(429, SECONDARY_LIMIT, {"retry-after": "0"}, times=5)
    with pytest.raises(GistError, match="GitHub rate limit"):
        client(github.url, max_wait=10.0).create(FILES, "d")
    assert len(github.requests) == 3


def test_unreachable_server(closed_port_url):
    with pytest.raises(GistError, match=rf"cannot reach {closed_port_url}: .+; nothing was published"):
        client(closed_port_url).create(FILES, "d")


def test_timeout(github):
    github.delay = 1.0
    started = time.monotonic()
    with pytest.raises(GistError, match=r"no answer from .+/gists within 0.2 s; the gist may have been written"):
        client(github.url, timeout=0.2).create(FILES, "d")
    assert time.monotonic() - started < 1.0


def test_a_connection_that_breaks_after_the_request_may_have_published(github):
    github.answer(HANG_UP, "")
    with pytest.raises(GistError, match=r"the connection to .+/gists broke \(.+\); the gist may have been written"):
        client(github.url).create(FILES, "d")


def test_a_success_without_a_gist_is_an_error(github):
    github.answer(201, "not json")
    with pytest.raises(GistError, match="answered 201 without a gist in the reply"):
        client(github.url).create(FILES, "d")


@pytest.mark.parametrize("token", [
    pytest.param("", id="empty"),
    pytest.param("ghp_abc\ndef", id="newline"),
    pytest.param("ghp_abc déf", id="non-ascii"),
])
def test_a_token_that_cannot_go_in_a_header_is_refused_without_being_shown(token):
    with pytest.raises(GistError) as caught:
        GistClient("http://127.0.0.1:9", token)
    assert "printable ASCII" in str(caught.value)
    assert not token or token.split()[0] not in str(caught.value)


def test_the_token_stays_out_of_reprs():
    assert TOKEN not in repr(client("http://127.0.0.1:9"))
    assert TOKEN not in repr(Token(TOKEN, "GITHUB_TOKEN"))


@pytest.mark.parametrize(("environ", "expected"), [
    pytest.param({"GITHUB_TOKEN": " a \n", "GH_TOKEN": "b"}, Token("a", "GITHUB_TOKEN"), id="github-token-first"),
    pytest.param({"GITHUB_TOKEN": "", "GH_TOKEN": "b"}, Token("b", "GH_TOKEN"), id="then-gh-token"),
    pytest.param({}, None, id="none"),
])
def test_find_token_from_the_environment(environ, expected, tmp_path):
    assert find_token(environ={**environ, "PATH": str(tmp_path)}) == expected


def test_find_token_asks_gh_for_the_apis_host(tmp_path):
    gh = tmp_path / "gh"
    gh.write_text('#!/bin/sh\n[ "$*" = "auth token --hostname ghe.example" ] && echo gho_fromgh\n')
    gh.chmod(0o755)
    assert find_token("https://ghe.example/api/v3", {"PATH": str(tmp_path)}) == Token("gho_fromgh", "gh auth token")
    assert find_token("https://api.github.com", {"PATH": str(tmp_path)}) is None  # gh exits 1 for github.com
