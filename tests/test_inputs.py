"""Finding the inputs: the order of sources, hash checks, the download into the user cache, and no inputs at all."""

from __future__ import annotations

import hashlib
import http.server
import threading

import pytest

from trimbench import config as config_module
from trimbench import inputs
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


def make_config(tmp_path, *entries, **spec):
    """A configuration with the given input tables; keyword arguments make one named input.txt."""
    if not entries:
        entries = ({"name": "input.txt", "sha256": SHA, **spec},)
    return config_module.from_table({"original": "prog.py", "inputs": list(entries)}, tmp_path)


def resolve_one(config, explicit=None):
    (found,) = inputs.resolve(config, explicit)
    return found


@pytest.fixture(autouse=True)
def clean_slate(monkeypatch, tmp_path_factory):
    """No TRIMBENCH_INPUT, and an empty per-user cache for each test."""
    monkeypatch.delenv(inputs.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


def write(tmp_path, name, content=CONTENT):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_order_is_flag_then_env_then_config(tmp_path, monkeypatch):
    flag, env, configured = (write(tmp_path, name) for name in ("flag.txt", "env.txt", "conf.txt"))
    config = make_config(tmp_path, path="conf.txt")
    monkeypatch.setenv(inputs.ENV_VAR, str(env))
    assert resolve_one(config, flag).source == "--input"
    assert resolve_one(config).path == env
    monkeypatch.delenv(inputs.ENV_VAR)
    assert resolve_one(config).path == configured
    assert resolve_one(config).name == "input.txt"


def test_wrong_hash_refused_unless_explicit(tmp_path, monkeypatch):
    other = write(tmp_path, "other.txt", b"zed\n")
    monkeypatch.setenv(inputs.ENV_VAR, str(other))
    with pytest.raises(TrimbenchError, match="pass it with --input to use it anyway"):
        inputs.resolve(make_config(tmp_path, path="x.txt"))
    assert resolve_one(make_config(tmp_path, path="x.txt"), other).sha256 == hashlib.sha256(b"zed\n").hexdigest()


def test_missing_file_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv(inputs.ENV_VAR, str(tmp_path / "gone.txt"))
    with pytest.raises(TrimbenchError, match="gone.txt .from TRIMBENCH_INPUT. does not exist"):
        inputs.resolve(make_config(tmp_path, path="x.txt"))


def test_a_program_that_reads_nothing_needs_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(inputs.ENV_VAR, str(tmp_path / "not-there.txt"))  # set for another project: ignored here
    config = config_module.from_table({"original": "walk.py"}, tmp_path)
    assert config.inputs == () and inputs.resolve(config) == ()
    with pytest.raises(TrimbenchError, match="--input names the project's one input, but it has 0"):
        inputs.resolve(config, write(tmp_path, "x.txt"))


def test_several_inputs_each_by_its_path(tmp_path, monkeypatch):
    write(tmp_path, "a.txt", b"a")
    write(tmp_path, "b.txt", b"b")
    config = make_config(tmp_path, {"name": "first.txt", "path": "a.txt"}, {"name": "data/second.txt", "path": "b.txt"})
    monkeypatch.setenv(inputs.ENV_VAR, str(tmp_path / "ignored.txt"))  # names one input; this project has two
    found = inputs.resolve(config)
    assert [(f.name, f.path.read_bytes()) for f in found] == [("first.txt", b"a"), ("data/second.txt", b"b")]
    assert inputs.hashes(found) == {"first.txt": hashlib.sha256(b"a").hexdigest(),
                                    "data/second.txt": hashlib.sha256(b"b").hexdigest()}


def test_downloads_once_into_the_user_cache(tmp_path, server):
    url, requests = server
    config = make_config(tmp_path, url=f"{url}/names.txt")
    first = resolve_one(config)
    second = resolve_one(config)
    assert first.path == second.path and first.path.read_bytes() == CONTENT and first.source == "cache"
    assert requests == ["/names.txt"]
    assert first.path.is_relative_to(tmp_path) is False  # the per-user cache, not the project


def test_download_with_wrong_hash_is_refused(tmp_path, server):
    url, _ = server
    config = make_config(tmp_path, {"name": "input.txt", "sha256": "0" * 64, "url": f"{url}/names.txt"})
    with pytest.raises(TrimbenchError, match="the download has sha256"):
        inputs.resolve(config)
    assert not (inputs.cache_dir() / "input" / ("0" * 64)).exists()


def test_http_error_says_how_to_provide_the_file(tmp_path, server):
    url, _ = server
    with pytest.raises(TrimbenchError, match="--input PATH or TRIMBENCH_INPUT=PATH"):
        inputs.resolve(make_config(tmp_path, url=f"{url}/missing.txt"))


def test_offline_says_how_to_provide_the_file(tmp_path, closed_port_url):
    with pytest.raises(TrimbenchError, match="cannot download input input.txt .* give input input.txt a path"):
        inputs.resolve(make_config(tmp_path, url=f"{closed_port_url}/names.txt"))
