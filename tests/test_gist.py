"""The gist client against a real HTTP server on loopback that plays GitHub's gist API (tests/fake_github.py).

Every error is checked by `fails`: one line, the HTTP status, and no token anywhere in it.
"""

from __future__ import annotations

import time

import pytest

from tests.fake_github import (BAD_CREDENTIALS, HANG_UP, NOT_FOUND, PRIMARY_LIMIT, SECONDARY_LIMIT, TOKEN,
                               VALIDATION)
from trimbench.gist import API_VERSION, Gist, GistClient, GistError, Token, find_token

FILES = {"microgpt.py": "print('hi')\n", "REPORT.md": "# report\n"}


def client(url: str, **options) -> GistClient:
    return GistClient(url, TOKEN, **{"timeout": 5.0, "max_wait": 0.0, **options})


def fails(call, *args, **kwargs) -> GistError:
    """The GistError that `call` raises, after checking it is one line and holds no part of the token."""
    with pytest.raises(GistError) as caught:
        call(*args, **kwargs)
    error = caught.value
    for text in (str(error), repr(error), *map(str, error.args)):
        assert "\n" not in text
        assert TOKEN not in text and TOKEN[:12] not in text
    return error


def test_create_sends_a_secret_gist_with_githubs_headers(github):
    gist = client(github.url).create(FILES, "a description")
    assert isinstance(gist, Gist)
    assert gist.public is False
    assert gist.html_url == f"https://gist.example/{gist.id}"
    assert set(gist.names) == set(FILES)
    assert all(not file.truncated and file.size == len(FILES[file.name]) for file in gist.files)
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


def test_a_prefixed_api_url_works_like_github_enterprise(github):
    github.answer(201, {"id": "abc", "html_url": "https://ghe.example/gist/abc", "files": {}})
    client(github.url + "/api/v3").create(FILES, "d")
    assert github.requests[0].path == "/api/v3/gists"


@pytest.mark.parametrize(("before", "after", "patch"), [
    pytest.param({"microgpt.py": "a\n", "REPORT.md": "r\n"}, {"microgpt.py": "b\n", "REPORT.md": "s\n"},
                 {"microgpt.py": {"content": "b\n"}, "REPORT.md": {"content": "s\n"}}, id="same-names"),
    pytest.param({"old.py": "a\n", "REPORT.md": "r\n"}, {"new.py": "b\n", "REPORT.md": "s\n"},
                 {"old.py": {"filename": "new.py", "content": "b\n"}, "REPORT.md": {"content": "s\n"}},
                 id="variant-renamed"),
    pytest.param({"a.py": "a\n", "b.py": "b\n", "REPORT.md": "r\n"}, {"c.py": "c\n", "REPORT.md": "s\n"},
                 {"a.py": None, "b.py": None, "c.py": {"content": "c\n"}, "REPORT.md": {"content": "s\n"}},
                 id="two-old-files-deleted"),
    pytest.param({"a.py": "a\n", "REPORT.md": "r\n"}, {"a.py": "a\n"},
                 {"REPORT.md": None, "a.py": {"content": "a\n"}}, id="file-dropped"),
])
def test_update_leaves_exactly_the_new_files(github, before, after, patch):
    first = client(github.url).create(before, "first")
    second = client(github.url + "/").update(first.id, after, "second")
    assert second.id == first.id and second.revision != first.revision
    get, request = github.requests[-2:]
    assert (get.method, get.path) == ("GET", f"/gists/{first.id}")  # the current names, and the visibility
    assert (request.method, request.path) == ("PATCH", f"/gists/{first.id}")
    assert request.body == {"description": "second", "files": patch}
    assert "public" not in request.body
    stored = github.gists[first.id]["files"]
    assert {name: file["content"] for name, file in stored.items()} == after
    assert set(second.names) == set(after)


def test_update_with_the_current_gist_does_not_fetch_it(github):
    first = client(github.url).create({"old.py": "a\n"}, "first")
    client(github.url).update(first.id, {"new.py": "b\n"}, "second", current=first)
    assert [request.method for request in github.requests] == ["POST", "PATCH"]
    assert set(github.gists[first.id]["files"]) == {"new.py"}


def test_fetch_reads_the_gist(github):
    first = client(github.url).create(FILES, "d", public=True)
    fetched = client(github.url).fetch(first.id)
    assert (fetched.id, fetched.public, set(fetched.names)) == (first.id, True, set(FILES))
    assert github.requests[-1].method == "GET"


@pytest.mark.parametrize(("public", "new_public", "expected"), [
    pytest.param(True, False, "is public, and GitHub cannot make a public gist secret again", id="public-to-secret"),
    pytest.param(False, True, "is secret, and GitHub's API cannot make it public", id="secret-to-public"),
])
def test_a_visibility_change_is_refused_before_anything_is_written(github, public, new_public, expected):
    gist = client(github.url).create(FILES, "d", public=public)
    error = fails(client(github.url).update, gist.id, {"microgpt.py": "new\n"}, "d", public=new_public)
    assert expected in str(error) and str(error).endswith("nothing was published")
    assert error.status is None
    assert [request.method for request in github.requests] == ["POST", "GET"]
    assert github.gists[gist.id]["files"]["microgpt.py"]["content"] == FILES["microgpt.py"]


def test_the_same_visibility_is_no_change(github):
    gist = client(github.url).create(FILES, "d", public=True)
    assert client(github.url).update(gist.id, FILES, "d", public=True).public is True


@pytest.mark.parametrize("files", [
    pytest.param({"microgpt.py": "", "REPORT.md": "# r\n"}, id="empty-file"),
    pytest.param({}, id="no-file"),
])
@pytest.mark.parametrize("call", ["create", "update"])
def test_an_empty_file_is_refused_before_sending(github, files, call):
    gist_client = client(github.url)
    error = fails(gist_client.create, files, "d") if call == "create" else fails(gist_client.update, "abc", files, "d")
    assert "GitHub refuses an empty gist file (422)" in str(error) or "a gist holds at least one" in str(error)
    assert error.status is None
    assert github.requests == []


@pytest.mark.parametrize(("status", "body", "headers", "expected"), [
    pytest.param(401, BAD_CREDENTIALS, {}, "GitHub rejected the token (401 Bad credentials): it is wrong, expired or "
                 "revoked; nothing was published", id="401"),
    pytest.param(404, NOT_FOUND, {"X-OAuth-Scopes": "repo, read:org"},
                 "POST /gists answered 404 Not Found: token lacks the gist scope (its scopes: read:org, repo)",
                 id="404-classic-token-without-the-gist-scope"),
    pytest.param(404, NOT_FOUND, {}, "the token may not create gists; a fine-grained token needs the account "
                 "permission 'Gists: write'; a classic token needs the 'gist' scope", id="404-no-scopes-header"),
    pytest.param(404, NOT_FOUND, {"X-OAuth-Scopes": "gist"}, "the token has the gist scope: is this GitHub's API URL?",
                 id="404-with-the-gist-scope"),
    pytest.param(422, VALIDATION, {}, "GitHub refused the gist (422 Validation Failed (Gist.files: missing_field))",
                 id="422"),
    pytest.param(403, {"message": "Resource not accessible by personal access token"}, {},
                 "GitHub refused the request (403 Resource not accessible by personal access token); a fine-grained "
                 "token needs the account permission 'Gists: write'", id="403-not-a-rate-limit"),
    pytest.param(403, PRIMARY_LIMIT, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(time.time()) + 600)},
                 "GitHub rate limit (API rate limit exceeded for user ID 1.); nothing was published; try again after",
                 id="403-primary-limit-reset"),
    pytest.param(429, SECONDARY_LIMIT, {"retry-after": "120"}, "(in 120 s)", id="429-retry-after-beyond-the-cap"),
    pytest.param(403, SECONDARY_LIMIT, {}, "(in 60 s)", id="403-secondary-limit-without-headers"),
    pytest.param(502, "<html>bad gateway</html>", {}, "GitHub answered 502 Bad Gateway: Bad Gateway; it may have",
                 id="502-not-json"),
])
def test_create_errors(github, status, body, headers, expected):
    github.answer(status, body, headers)
    error = fails(client(github.url).create, FILES, "d")
    assert expected in str(error)
    assert error.status == status
    assert len(github.requests) == 1  # the wait did not fit in max_wait=0: no retry


@pytest.mark.parametrize(("scopes", "gists_write", "expected"), [
    pytest.param("repo", True, "token lacks the gist scope (its scopes: repo)", id="classic-without-gist"),
    pytest.param("", True, "token lacks the gist scope (its scopes: none)", id="classic-without-any-scope"),
    pytest.param(None, False, "a fine-grained token needs the account permission 'Gists: write'", id="fine-grained"),
])
@pytest.mark.parametrize("call", ["create", "update"])
def test_a_token_without_the_gist_permission_gets_404_and_is_told_why(github, scopes, gists_write, expected, call):
    github.gists["abc"] = {"id": "abc", "public": False, "files": {"a.py": {"content": "a\n"}}}
    github.scopes, github.gists_write = scopes, gists_write
    gist_client = client(github.url)
    error = fails(gist_client.create, FILES, "d") if call == "create" else fails(gist_client.update, "abc", FILES, "d")
    assert expected in str(error)
    assert error.status == 404
    assert github.gists["abc"]["files"] == {"a.py": {"content": "a\n"}}


@pytest.mark.parametrize("scopes", [pytest.param("gist", id="gist"), pytest.param("gist, repo", id="gist-and-repo")])
def test_a_token_with_the_gist_scope_publishes(github, scopes):
    github.scopes = scopes
    assert client(github.url).create(FILES, "d").id in github.gists


def test_404_on_update_names_the_gist(github):
    error = fails(client(github.url).update, "0123abc", FILES, "d")
    assert "gist 0123abc not found (404 Not Found): check the id; it must belong to the token's owner" in str(error)
    assert [request.method for request in github.requests] == ["GET"]


def test_a_secondary_limit_is_waited_out_within_the_budget(github):
    github.answer(429, SECONDARY_LIMIT, {"retry-after": "1"})
    started = time.monotonic()
    gist = client(github.url, max_wait=2.0).create(FILES, "d")
    assert time.monotonic() - started >= 1.0
    assert gist.id in github.gists
    assert [request.method for request in github.requests] == ["POST", "POST"]


def test_the_primary_limit_is_waited_out_until_its_reset(github):
    github.rate_remaining, github.rate_reset = 0, int(time.time()) + 2  # the fake's own limit, used up
    started = time.monotonic()
    gist = client(github.url, max_wait=3.0).create(FILES, "d")
    assert time.monotonic() - started >= 1.0
    assert gist.id in github.gists
    assert len(github.requests) == 2


def test_an_answer_that_uses_the_last_request_makes_the_next_one_wait(github):
    github.rate_remaining, github.rate_reset = 1, int(time.time()) + 2
    gist_client = client(github.url, max_wait=3.0)
    gist = gist_client.create(FILES, "d")  # answered with x-ratelimit-remaining: 0
    started = time.monotonic()
    assert gist_client.fetch(gist.id).id == gist.id
    assert time.monotonic() - started >= 1.0
    assert len(github.requests) == 2  # no request was spent on a 403


def test_a_used_up_limit_beyond_the_budget_says_when_to_retry_without_asking(github):
    github.rate_remaining, github.rate_reset = 1, int(time.time()) + 600
    gist_client = client(github.url)
    gist = gist_client.create(FILES, "d")
    error = fails(gist_client.fetch, gist.id)
    assert "GitHub's rate limit is used up; nothing was published; try again after" in str(error)
    assert len(github.requests) == 1


def test_gives_up_after_three_rate_limited_attempts(github):
    github.answer(429, SECONDARY_LIMIT, {"retry-after": "0"}, times=5)
    assert "GitHub rate limit" in str(fails(client(github.url, max_wait=10.0).create, FILES, "d"))
    assert len(github.requests) == 3


def test_unreachable_server(closed_port_url):
    error = fails(client(closed_port_url).create, FILES, "d")
    assert str(error).startswith(f"cannot reach {closed_port_url}: ") and str(error).endswith("nothing was published")


def test_a_server_that_waits_too_long(github):
    github.delay = 1.0
    started = time.monotonic()
    error = fails(client(github.url, timeout=0.2).create, FILES, "d")
    assert f"no complete answer from {github.url}/gists within 0.2 s; the gist may have been written" in str(error)
    assert time.monotonic() - started < 1.0


def test_a_connection_that_breaks_after_the_request_may_have_published(github):
    github.answer(HANG_UP, "")
    error = fails(client(github.url).create, FILES, "d")
    assert f"the connection to {github.url}/gists broke (" in str(error)
    assert str(error).endswith("the gist may have been written anyway: look at your gists before publishing again")


@pytest.mark.parametrize(("status", "body"), [
    pytest.param(201, "not json", id="not-json"),
    pytest.param(201, {"html_url": "https://gist.example/x"}, id="no-id"),
])
def test_a_success_without_a_gist_is_an_error(github, status, body):
    github.answer(status, body)
    assert "answered 201 without a gist in the reply" in str(fails(client(github.url).create, FILES, "d"))


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
