"""Finding the input file: the order of sources, hash checks, and the download into the user cache."""

from __future__ import annotations

import hashlib
import http.server
import threading

import pytest

from trimbench import config as config_module
from trimbench import data
from trimbench.errors import TrimbenchError

CONTENT = b"anna\nbob\n"
SHA = hashlib.sha256(CONTENT).hexdigest()


@pytest.fixture
def server():
    """A loopback HTTP server that serves CONTENT at /names.txt and 404 elsewhere."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            body = CONTENT if self.path == "/names.txt" else b"no"
            self.send_response(200 if self.path == "/names.txt" else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", requests
    httpd.shutdown()
    httpd.server_close()


def make_config(tmp_path, **table):
    return config_module.from_table({"input_sha256": SHA, **table}, tmp_path)


@pytest.fixture(autouse=True)
def clean_slate(monkeypatch, tmp_path_factory):
    """No TRIMBENCH_INPUT, and an empty per-user cache for each test."""
    monkeypatch.delenv(data.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


def write(tmp_path, name, content=CONTENT):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_order_is_flag_then_env_then_config(tmp_path, monkeypatch):
    flag, env, configured = (write(tmp_path, name) for name in ("flag.txt", "env.txt", "conf.txt"))
    config = make_config(tmp_path, input="conf.txt")
    monkeypatch.setenv(data.ENV_VAR, str(env))
    assert data.resolve(config, flag).source == "--input"
    assert data.resolve(config).path == env
    monkeypatch.delenv(data.ENV_VAR)
    assert data.resolve(config).path == configured


def test_wrong_hash_refused_unless_explicit(tmp_path, monkeypatch):
    other = write(tmp_path, "other.txt", b"zed\n")
    monkeypatch.setenv(data.ENV_VAR, str(other))
    with pytest.raises(TrimbenchError, match="pass it with --input to use it anyway"):
        data.resolve(make_config(tmp_path))
    assert data.resolve(make_config(tmp_path), other).sha256 == hashlib.sha256(b"zed\n").hexdigest()


def test_missing_file_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path / "gone.txt"))
    with pytest.raises(TrimbenchError, match="gone.txt .from TRIMBENCH_INPUT. does not exist"):
        data.resolve(make_config(tmp_path))


def test_downloads_once_into_the_user_cache(tmp_path, server):
    url, requests = server
    config = make_config(tmp_path, input_url=f"{url}/names.txt")
    first = data.resolve(config)
    second = data.resolve(config)
    assert first.path == second.path and first.path.read_bytes() == CONTENT and first.source == "cache"
    assert requests == ["/names.txt"]
    assert first.path.is_relative_to(tmp_path) is False  # the per-user cache, not the project


def test_download_with_wrong_hash_is_refused(tmp_path, server):
    url, _ = server
    config = config_module.from_table({"input_sha256": "0" * 64, "input_url": f"{url}/names.txt"}, tmp_path)
    with pytest.raises(TrimbenchError, match="downloaded input has sha256"):
        data.resolve(config)
    assert not (data.cache_dir() / "input" / ("0" * 64)).exists()


@pytest.mark.parametrize("path", [pytest.param("/missing.txt", id="http-404")])
def test_http_error_says_how_to_provide_the_file(tmp_path, server, path):
    url, _ = server
    with pytest.raises(TrimbenchError, match="--input PATH or TRIMBENCH_INPUT=PATH"):
        data.resolve(make_config(tmp_path, input_url=f"{url}{path}"))


def test_offline_says_how_to_provide_the_file(tmp_path):
    import socket

    with socket.socket() as closed:  # a port nobody listens on: connection refused, as when offline
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(TrimbenchError, match="cannot download the input .* provide the input with --input"):
        data.resolve(make_config(tmp_path, input_url=f"http://127.0.0.1:{port}/names.txt"))
