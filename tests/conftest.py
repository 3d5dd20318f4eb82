"""Shared fixtures: the repo's own configuration, the input file, and a tiny project for fast tests."""

from __future__ import annotations

import socket
import textwrap
from pathlib import Path

import pytest

from tests.projects import Project, make_project
from trimbench import config as config_module

ROOT = Path(__file__).resolve().parents[1]
SHARED_INPUT = ROOT.parent / "shared" / "data" / "names.txt"


pytest_plugins = ["pytester"]  # the plugin's tests run pytest itself


def input_path() -> Path | None:
    """microgpt's input wherever trimbench itself would find it (TRIMBENCH_INPUT, its path, the per-user
    cache), else where this workspace keeps it."""
    from trimbench import inputs
    from trimbench.errors import TrimbenchError

    try:
        (found,) = inputs.resolve(config_module.load(ROOT), download=False)
        return found.path
    except TrimbenchError:
        return SHARED_INPUT if SHARED_INPUT.is_file() else None


@pytest.fixture(scope="session", autouse=True)
def isolated_environment(tmp_path_factory):
    """Each session gets its own per-user cache, and TRIMBENCH_INPUT points at the input file."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
        if input_path() is not None:
            patch.setenv("TRIMBENCH_INPUT", str(input_path()))
        yield


@pytest.fixture(scope="session")
def names_file() -> Path:
    path = input_path()
    if path is None:
        pytest.fail(f"these tests need makemore's names.txt: set TRIMBENCH_INPUT or put it at {SHARED_INPUT}")
    return path


@pytest.fixture(scope="session")
def repo_config(names_file):
    return config_module.load(ROOT)


# A tiny program shaped like microgpt (header, step lines, samples drawn with random.choices) that
# runs in milliseconds on CPython, so the core can be tested on real processes without waiting.
TINY_PROGRAM = textwrap.dedent('''\
    import random
    random.seed(1)
    docs = open('input.txt').read().split()
    print(f"num docs: {len(docs)}")
    num_steps = 5
    total = 0.0
    for step in range(num_steps):
        total += random.random()
        print(f"step {step+1:4d} / {num_steps:4d} | loss {total:.4f}")
    for i in range(3):
        probs = [0.2, 0.3, 0.5]
        print(f"sample {i+1}: {random.choices('abc', weights=probs)[0]}")
''')


@pytest.fixture
def tiny_project(tmp_path, monkeypatch) -> Project:
    """A project with the tiny program as its original and goldens recorded from it on this CPython."""
    project = make_project(tmp_path / "project", TINY_PROGRAM, original="original/prog.py",
                           inputs={"input.txt": b"anna\nbob\ncarl\n"},
                           settings={"smoke_steps": 2, "smoke_lines": 4, "timeout_smoke": 30, "timeout_full": 30,
                                     "memory_mb": 1024})
    monkeypatch.delenv("TRIMBENCH_INPUT", raising=False)
    project.record()
    monkeypatch.chdir(project.root)
    return project


@pytest.fixture
def github():
    """A loopback server playing GitHub's gist endpoints (tests/fake_github.py), stopped after the test."""
    from tests.fake_github import FakeGitHub

    fake = FakeGitHub()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture
def closed_port_url() -> str:
    """A loopback address nobody listens on: connections are refused, as when offline."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
