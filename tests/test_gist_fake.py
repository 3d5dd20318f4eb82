"""The loopback server itself, driven with plain httpx: does it behave as GitHub documents its gist API?

The client's tests are only as good as this server's fidelity; each case is a documented behaviour.
"""

from __future__ import annotations

import time

import httpx
import pytest

from tests import fake_github
from tests.fake_github import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def call(github, method: str, path: str, body: dict | None = None, headers: dict | None = None) -> httpx.Response:
    return httpx.request(method, github.url + path, json=body, headers=AUTH if headers is None else headers, timeout=5)


def create(github, files: dict, **extra) -> dict:
    response = call(github, "POST", "/gists", {"files": {n: {"content": t} for n, t in files.items()}, **extra})
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize(("extra", "public"), [
    pytest.param({}, False, id="secret-unless-public"),
    pytest.param({"public": True}, True, id="public"),
    pytest.param({"public": "yes"}, False, id="only-true-is-public"),
])
def test_create_is_secret_unless_public(github, extra, public):
    gist = create(github, {"a.py": "a\n"}, description="d", **extra)
    assert (gist["public"], gist["description"], list(gist["files"])) == (public, "d", ["a.py"])


@pytest.mark.parametrize("body", [
    pytest.param({"files": {"a.py": {"content": ""}}}, id="empty-file"),
    pytest.param({"files": {}}, id="no-file"),
    pytest.param({"description": "d"}, id="no-files-key"),
    pytest.param({"files": {"a.py": {"content": "a"}, "b.py": {"content": ""}}}, id="one-empty-among-others"),
])
def test_create_422(github, body):
    response = call(github, "POST", "/gists", body)
    assert response.status_code == 422
    assert response.json()["message"] == "Validation Failed"
    assert github.gists == {}


@pytest.mark.parametrize(("files", "expected"), [
    pytest.param({"a.py": {"content": "A\n"}}, {"a.py": "A\n", "b.py": "b\n"}, id="unmentioned-file-stays"),
    pytest.param({"a.py": None}, {"b.py": "b\n"}, id="null-deletes"),
    pytest.param({"a.py": {"filename": "c.py"}}, {"c.py": "a\n", "b.py": "b\n"}, id="filename-renames"),
    pytest.param({"a.py": {"filename": "c.py", "content": "C\n"}}, {"c.py": "C\n", "b.py": "b\n"},
                 id="rename-and-rewrite"),
    pytest.param({"d.py": {"content": "d\n"}}, {"a.py": "a\n", "b.py": "b\n", "d.py": "d\n"}, id="new-name-adds"),
])
def test_patch_keys_files_by_the_current_name(github, files, expected):
    gist = create(github, {"a.py": "a\n", "b.py": "b\n"})
    response = call(github, "PATCH", f"/gists/{gist['id']}", {"files": files})
    assert response.status_code == 200
    assert {name: spec["content"] for name, spec in response.json()["files"].items()} == expected
    assert len(response.json()["history"]) == 2


@pytest.mark.parametrize(("body", "status"), [
    pytest.param({"files": {"a.py": {"content": ""}}}, 422, id="empty-file"),
    pytest.param({}, 422, id="neither-description-nor-files"),
    pytest.param({"public": False}, 422, id="visibility-alone-is-nothing"),
])
def test_patch_refusals(github, body, status):
    gist = create(github, {"a.py": "a\n"}, public=True)
    assert call(github, "PATCH", f"/gists/{gist['id']}", body).status_code == status
    assert github.gists[gist["id"]]["files"]["a.py"]["content"] == "a\n"


def test_patch_cannot_change_visibility(github):
    gist = create(github, {"a.py": "a\n"}, public=True)
    response = call(github, "PATCH", f"/gists/{gist['id']}", {"description": "d", "public": False})
    assert response.status_code == 200 and response.json()["public"] is True


@pytest.mark.parametrize(("method", "path"), [
    pytest.param("GET", "/gists/nope", id="get"),
    pytest.param("PATCH", "/gists/nope", id="patch"),
    pytest.param("GET", "/other", id="elsewhere"),
])
def test_unknown_gists_are_404(github, method, path):
    assert call(github, method, path, {"description": "d"} if method == "PATCH" else None).status_code == 404


def test_content_over_a_megabyte_is_truncated_and_raw_url_serves_it_whole(github):
    text = "é" * 600_000  # 1.2 MB of UTF-8: the cut falls inside a character
    gist = create(github, {"big.txt": text, "small.txt": "s\n"})
    for answer in (gist, call(github, "GET", f"/gists/{gist['id']}").json()):
        big, small = answer["files"]["big.txt"], answer["files"]["small.txt"]
        assert big["truncated"] is True and big["size"] == len(text.encode())
        assert text.startswith(big["content"]) and len(big["content"].encode()) <= 1024 * 1024
        assert small["truncated"] is False and small["content"] == "s\n"
    raw = httpx.get(gist["files"]["big.txt"]["raw_url"], timeout=5)  # no token: another host on GitHub
    assert raw.status_code == 200 and raw.content == text.encode()
    assert [request.path for request in github.raw_requests] == [httpx.URL(gist["files"]["big.txt"]["raw_url"]).path]


@pytest.mark.parametrize(("headers", "scopes", "gists_write", "status", "scopes_header"), [
    pytest.param({}, "gist", True, 401, None, id="no-token-401"),
    pytest.param({"Authorization": "Bearer wrong"}, "gist", True, 401, None, id="wrong-token-401"),
    pytest.param(AUTH, "repo", True, 404, "repo", id="classic-without-gist-404"),
    pytest.param(AUTH, "gist, repo", True, 201, "gist, repo", id="classic-with-gist"),
    pytest.param(AUTH, None, False, 404, None, id="fine-grained-without-gists-404"),
    pytest.param(AUTH, None, True, 201, None, id="fine-grained-with-gists"),
])
def test_tokens_and_scopes(github, headers, scopes, gists_write, status, scopes_header):
    github.scopes, github.gists_write = scopes, gists_write
    response = call(github, "POST", "/gists", {"files": {"a.py": {"content": "a"}}}, headers)
    assert response.status_code == status
    assert response.headers.get("X-OAuth-Scopes") == scopes_header


def test_rate_limit_headers_and_the_primary_limit(github):
    github.rate_remaining, github.rate_reset = 2, int(time.time()) + 600
    first, second, third = (call(github, "GET", "/gists/nope") for _ in range(3))
    assert [r.headers["x-ratelimit-remaining"] for r in (first, second, third)] == ["1", "0", "0"]
    assert (second.status_code, third.status_code) == (404, 403)
    assert "rate limit exceeded" in third.json()["message"]
    assert third.headers["x-ratelimit-reset"] == str(github.rate_reset)


def test_a_trickled_reply_stops_by_itself(github, monkeypatch):
    monkeypatch.setattr(fake_github, "TRICKLE_FOR", 0.5)
    github.answer(200, {"message": "x" * 1000}, trickle=0.05)
    started = time.monotonic()
    with pytest.raises(httpx.HTTPError):
        call(github, "GET", "/gists/x")
    assert time.monotonic() - started < 3.0
