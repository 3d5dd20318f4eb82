"""A real HTTP server on loopback that plays GitHub's two gist endpoints, for the publish tests.

Its fixtures (`github`, `closed_port_url`) are in tests/conftest.py.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


TOKEN = "ghp_trimbenchTestToken0123456789abcdef"
HANG_UP = 0  # a queued reply with this status closes the connection without answering


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: dict | None


@dataclass
class Reply:
    status: int
    body: dict | str
    headers: dict[str, str] = field(default_factory=dict)


class FakeGitHub:
    """Speaks POST /gists and PATCH /gists/{id}; records every request; answers queued replies first."""

    def __init__(self):
        self.requests: list[Recorded] = []
        self.queued: list[Reply] = []
        self.gists: dict[str, dict] = {}
        self.delay = 0.0  # seconds to sleep before answering, to provoke client timeouts
        fake = self

        class Handler(BaseHTTPRequestHandler):
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

    def answer(self, status: int, body: dict | str, headers: dict[str, str] | None = None, times: int = 1):
        self.queued.extend(Reply(status, body, headers or {}) for _ in range(times))

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        raw = handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
        self.requests.append(Recorded(handler.command, handler.path, dict(handler.headers.items()),
                                      json.loads(raw) if raw else None))
        time.sleep(self.delay)
        reply = self.queued.pop(0) if self.queued else self._default(handler.command, handler.path, raw)
        if reply.status == HANG_UP:
            handler.close_connection = True
            return
        data = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
        handler.send_response(reply.status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data.encode())))
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data.encode())

    def _default(self, method: str, path: str, raw: bytes) -> Reply:
        body = json.loads(raw)
        if method == "POST" and path == "/gists":
            gist_id = uuid.uuid4().hex
            self.gists[gist_id] = {"id": gist_id, "public": body.get("public", False), "files": {}}
            status = 201
        elif method == "PATCH" and path.removeprefix("/gists/") in self.gists:
            gist_id, status = path.removeprefix("/gists/"), 200
        else:
            return Reply(404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})
        gist = self.gists[gist_id]
        gist["description"] = body.get("description", gist.get("description"))
        for name, file in body["files"].items():
            gist["files"][name] = {"filename": name, "content": file["content"], "size": len(file["content"])}
        gist["html_url"] = f"https://gist.example/{gist_id}"
        gist["history"] = [{"version": uuid.uuid4().hex}, *gist.get("history", [])]
        return Reply(status, gist)


BAD_CREDENTIALS = {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"}
NOT_FOUND = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest", "status": "404"}
VALIDATION = {"message": "Validation Failed", "status": "422",
              "errors": [{"resource": "Gist", "code": "missing_field", "field": "files"}]}
PRIMARY_LIMIT = {"message": "API rate limit exceeded for user ID 1.", "status": "403"}
SECONDARY_LIMIT = {"message": "You have exceeded a secondary rate limit. Please wait a few minutes.", "status": "403"}
