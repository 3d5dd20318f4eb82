"""Shell completion and --version: the script trimbench prints completes its commands in a real bash."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from trimbench import __version__
from trimbench.cli import main


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"trimbench {__version__}\n"


@pytest.fixture
def bash_script(tmp_path, capsys):
    assert main(["--print-completion", "bash"]) == 0
    path = tmp_path / "trimbench.bash"
    path.write_text(capsys.readouterr().out)
    return path


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash here")
@pytest.mark.parametrize(("line", "expected"), [
    pytest.param("trimbench ch", {"check"}, id="command"),
    pytest.param("trimbench i", {"init"}, id="init"),
    pytest.param("trimbench golden ", {"record", "verify"}, id="nested-action"),
    pytest.param("trimbench check --al", {"--allow-text-exact"}, id="option"),
    pytest.param("trimbench check --tier ", {"smoke", "full"}, id="choices"),
    pytest.param("trimbench publish --with", {"--with-chart"}, id="publish-option"),
])
def test_bash_completes(bash_script, line, expected):
    words = line.split(" ")
    script = (f"source {bash_script}\nCOMP_WORDS=({' '.join(repr(word) for word in words)})\n"
              f"COMP_CWORD={len(words) - 1}\nCOMP_LINE={line!r}\nCOMP_POINT={len(line)}\n"
              "_shtab_trimbench\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert set(done.stdout.split()) == expected


@pytest.mark.parametrize("shell", ["zsh", "tcsh"])
def test_other_shells_name_every_command(capsys, shell):
    assert main(["--print-completion", shell]) == 0
    out = capsys.readouterr().out
    assert all(command in out for command in ("init", "check", "golden", "report", "publish", "auto", "watch"))
