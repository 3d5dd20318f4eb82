"""A real HTTP server on loopback that plays GitHub's gist API as GitHub documents it, for the gist and publish tests.

What it plays (GitHub's REST docs: "REST API endpoints for gists", "Rate limits for the REST API", "Scopes
for OAuth apps"):
- POST /gists: secret unless "public" is true; GET /gists/{id}; PATCH /gists/{id}, whose `files` are keyed
  by the current name: null deletes, "filename" renames, "content" rewrites, a file not mentioned stays;
  "public" is ignored there (the API cannot change a gist's visibility);
- no file, or an empty one, is a 422; content over `truncate_at` bytes (one megabyte) comes back cut,
  with "truncated": true, while the file's raw_url serves it whole (recorded apart, in `raw_requests`:
  on GitHub it is another host, which needs no token);
- a wrong token is a 401; a classic token (`scopes`, sent back in X-OAuth-Scopes) without "gist" gets a
  404 even with valid credentials, and so does a fine-grained token (`scopes = None`: no such header)
  without the Gists permission (`gists_write`);
- x-ratelimit-* headers on every answer; once `rate_remaining` is 0, a 403 until `rate_reset`.
Queued replies (`answer`) come first and are sent exactly as given, without those headers. Every loop is
bounded: a trickled reply stops after TRICKLE_FOR seconds, or as soon as the client hangs up.
Its fixtures (`github`, `closed_port_url`) are in tests/conftest.py.
"""

from __future__ import annotations

import hashlib
import http
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, unquote

TOKEN = "ghp_trimbenchTestToken0123456789abcdef"
HANG_UP = 0  # a queued reply with this status closes the connection without answering
MEGABYTE = 1024 * 1024
TRICKLE_FOR = 10.0  # seconds a trickled reply goes on at most, whoever listens


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: dict | None


@dataclass
class Reply:
    status: int
    body: dict | str | bytes | Callable[[Recorded], dict | str | bytes]  # a callable sees the request
    headers: dict[str, str] = field(default_factory=dict)
    trickle: float = 0.0  # seconds between bytes, status line and headers included; 0 sends at once
    trickle_body_only: bool = False  # send the status line and headers at once, then trickle the body
    phrase: str | None = None  # the status line's reason phrase (server text too), else the standard one


class FakeGitHub:
    """Speaks the gist endpoints and raw_url; records every request; answers queued replies first."""

    def __init__(self):
        self.requests: list[Recorded] = []  # API requests
        self.raw_requests: list[Recorded] = []  # raw_url requests (GitHub's other host)
        self.queued: list[Reply] = []
        self.gists: dict[str, dict] = {}  # id -> {"id", "public", "description", "files": {name: {"content"}}, ...}
        self.blobs: dict[str, bytes] = {}  # what raw_url serves, by blob sha (as GitHub's raw_url names it)
        self.delay = 0.0  # seconds to sleep before answering, to provoke client timeouts
        self.token = TOKEN
        self.scopes: str | None = "gist"  # a classic token's scopes; None plays a fine-grained token
        self.gists_write = True  # a fine-grained token's "Gists" account permission
        self.truncate_at = MEGABYTE
        self.rate_limit = 5000
        self.rate_remaining = 5000
        self.rate_reset = int(time.time()) + 3600
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake._handle(self)

            def do_POST(self):
                fake._handle(self)

            def do_PATCH(self):
                fake._handle(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # a client that gave up is no test failure
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True)

    def answer(self, status: int, body, headers: dict[str, str] | None = None, times: int = 1, **options):
        """Queue a reply for the next request(s); `options` are Reply's: trickle, trickle_body_only, phrase."""
        self.queued.extend(Reply(status, body, headers or {}, **options) for _ in range(times))

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        raw = handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        recorded = Recorded(handler.command, handler.path, dict(handler.headers.items()), body)
        is_raw = handler.command == "GET" and handler.path.startswith("/raw/")
        (self.raw_requests if is_raw else self.requests).append(recorded)
        time.sleep(self.delay)
        if self.queued:
            reply = self.queued.pop(0)
        elif is_raw:
            reply = self._raw(handler.path)
        else:
            reply = self._api(recorded)
        if reply.status == HANG_UP:
            handler.close_connection = True
            return
        send(handler, reply, recorded)

    def _raw(self, path: str) -> Reply:
        blob = path.split("/")[3] if path.count("/") >= 4 else ""
        if blob not in self.blobs:
            return Reply(404, "404: Not Found", {"Content-Type": "text/plain; charset=utf-8"})
        return Reply(200, self.blobs[blob], {"Content-Type": "text/plain; charset=utf-8"})

    def _api(self, request: Recorded) -> Reply:
        if request.headers.get("Authorization") not in (f"Bearer {self.token}", f"token {self.token}"):
            return Reply(401, BAD_CREDENTIALS)
        ambient = self._rate_headers()
        if self.scopes is not None:
            ambient["X-OAuth-Scopes"] = self.scopes
        if self.rate_remaining < 0:
            return Reply(403, PRIMARY_LIMIT, ambient)
        scopes = {scope.strip() for scope in (self.scopes or "").split(",")}
        if (self.scopes is not None and "gist" not in scopes) or (self.scopes is None and not self.gists_write):
            return Reply(404, NOT_FOUND, ambient)  # GitHub hides gists from a token without the permission
        reply = self._gists(request)
        reply.headers = {**ambient, **reply.headers}
        return reply

    def _rate_headers(self) -> dict[str, str]:
        now = time.time()
        if now >= self.rate_reset:
            self.rate_remaining, self.rate_reset = self.rate_limit, int(now) + 3600
        self.rate_remaining -= 1  # below 0: this request is over the limit
        return {"x-ratelimit-limit": str(self.rate_limit), "x-ratelimit-remaining": str(max(0, self.rate_remaining)),
                "x-ratelimit-used": str(self.rate_limit - max(0, self.rate_remaining)),
                "x-ratelimit-reset": str(self.rate_reset), "x-ratelimit-resource": "core"}

    def _gists(self, request: Recorded) -> Reply:
        method, path, body = request.method, request.path, request.body
        gist_id = unquote(path.removeprefix("/gists/")) if path.startswith("/gists/") else None
        if method == "POST" and path == "/gists":
            if not isinstance(body, dict) or not valid_files(body.get("files"), creating=True):
                return Reply(422, VALIDATION)
            gist_id = uuid.uuid4().hex
            self.gists[gist_id] = {"id": gist_id, "public": body.get("public") is True, "files": {}}
            return Reply(201, self._write(gist_id, body))
        if gist_id is None or gist_id not in self.gists:
            return Reply(404, NOT_FOUND)
        if method == "GET":
            return Reply(200, self._render(gist_id))
        if method == "PATCH":
            if not isinstance(body, dict) or ("description" not in body and "files" not in body):
                return Reply(422, VALIDATION)
            if "files" in body and not valid_files(body["files"], creating=False):
                return Reply(422, VALIDATION)
            return Reply(200, self._write(gist_id, body))
        return Reply(404, NOT_FOUND)

    def _write(self, gist_id: str, body: dict) -> dict:
        """Apply a create or update to the stored gist (which a test may have stored with fewer fields)."""
        gist = self.gists[gist_id]
        files = gist.setdefault("files", {})
        gist["description"] = body.get("description", gist.get("description"))
        for name, spec in (body.get("files") or {}).items():
            if spec is None:
                files.pop(name, None)
                continue
            old = files.pop(name, {})
            new_name = spec.get("filename") or name
            content = spec.get("content", old.get("content", ""))
            files[new_name] = {"filename": new_name, "content": content, "size": len(content.encode())}
        gist.setdefault("html_url", f"https://gist.example/{gist_id}")
        gist["history"] = [{"version": uuid.uuid4().hex}, *gist.get("history", [])]
        return self._render(gist_id)

    def _render(self, gist_id: str) -> dict:
        """The gist as GitHub's API shows it: each file's content cut at `truncate_at` bytes, raw_url whole."""
        gist = self.gists[gist_id]
        files = {}
        for name, spec in gist.get("files", {}).items():
            data = spec.get("content", "").encode()
            blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # git's blob id, as in raw_url
            self.blobs.setdefault(blob, data)
            files[name] = {"filename": name, "type": "text/plain", "language": None, "size": len(data),
                           "raw_url": f"{self.url}/raw/{gist_id}/{blob}/{quote(name)}",
                           "truncated": len(data) > self.truncate_at,
                           "content": data[:self.truncate_at].decode("utf-8", "ignore")}
        return {"id": gist_id, "url": f"{self.url}/gists/{gist_id}", "public": gist.get("public", False),
                "html_url": gist.get("html_url", f"https://gist.example/{gist_id}"),
                "description": gist.get("description"), "files": files, "truncated": False,
                "history": gist.get("history", [])}


def valid_files(files, creating: bool) -> bool:
    """GitHub's 422 cases for `files`: none at all on a create, or a file whose content is empty."""
    if not isinstance(files, dict) or (creating and not files):
        return False
    for spec in files.values():
        if spec is None and not creating:
            continue
        if not isinstance(spec, dict) or spec.get("content") == "" or (creating and not spec.get("content")):
            return False
    return True


def send(handler: BaseHTTPRequestHandler, reply: Reply, request: Recorded) -> None:
    """Write the whole reply, status line first; trickled a byte at a time when the reply says so."""
    body = reply.body(request) if callable(reply.body) else reply.body
    data = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body)).encode()
    try:
        phrase = http.HTTPStatus(reply.status).phrase if reply.phrase is None else reply.phrase
    except ValueError:
        phrase = ""
    headers = {"Content-Type": "application/json; charset=utf-8", **reply.headers,
               "Content-Length": str(len(data)), "Connection": "close"}
    head = f"HTTP/1.1 {reply.status} {phrase}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    whole = head.encode("latin-1") + data
    handler.close_connection = True
    if not reply.trickle:
        handler.wfile.write(whole)
        return
    start = len(head.encode("latin-1")) if reply.trickle_body_only else 0
    handler.wfile.write(whole[:start])
    stop = time.monotonic() + TRICKLE_FOR
    for index in range(start, len(whole)):
        if time.monotonic() > stop:
            return
        handler.wfile.write(whole[index:index + 1])
        handler.wfile.flush()
        time.sleep(reply.trickle)


def echo_authorization(request: Recorded) -> dict:
    """A careless server's error message: it quotes the request's Authorization header back."""
    return {"message": f"Bad credentials: got Authorization: {request.headers.get('Authorization')}"}


BAD_CREDENTIALS = {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"}
NOT_FOUND = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest", "status": "404"}
VALIDATION = {"message": "Validation Failed", "status": "422",
              "errors": [{"resource": "Gist", "code": "missing_field", "field": "files"}]}
PRIMARY_LIMIT = {"message": "API rate limit exceeded for user ID 1.", "status": "403"}
SECONDARY_LIMIT = {"message": "You have exceeded a secondary rate limit. Please wait a few minutes.", "status": "403"}
