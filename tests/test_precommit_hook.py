"""The pre-commit hook: a valid manifest, and `pre-commit try-repo` judging the changed variants of a project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from trimbench.cli import main

ROOT = Path(__file__).resolve().parents[1]
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
pytest.importorskip("pre_commit", reason="pre-commit is in the test extras")


def test_the_manifest_is_valid():
    done = subprocess.run([*PRE_COMMIT, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow  # pre-commit builds the hook's environment: a pip install of trimbench
@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs git and a checkout")
def test_try_repo_judges_the_changed_variants(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRIMBENCH_INPUT", raising=False)
    (tmp_path / "walk.py").write_text("import random\nrandom.seed(5)\nsteps = 30\nfor s in range(steps):\n"
                                      "    print(f'step {s + 1} {random.random():.4f}')\n")
    assert main(["init", "walk.py"]) == 0
    (tmp_path / "variants" / "02_bad.py").write_text("print('step 1 0.5')\n")
    subprocess.run(["git", "init", "-q", "."], check=True, timeout=60)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / ".pre-commit-home")}

    def hook(*files: str) -> subprocess.CompletedProcess:
        return subprocess.run([*PRE_COMMIT, "try-repo", str(ROOT), "trimbench-check", "--files", *files],
                              capture_output=True, text=True, timeout=900, env=env)

    good = hook("variants/01_walk.py", "walk.py")  # walk.py is not under variants/: the hook leaves it alone
    assert good.returncode == 0, good.stdout + good.stderr
    assert "trimbench check (smoke tier)" in good.stdout and "Passed" in good.stdout
    bad = hook("variants/02_bad.py")
    assert bad.returncode == 1
    assert "diverged" in bad.stdout and "variants/02_bad.py: first difference at line 1" in bad.stdout
