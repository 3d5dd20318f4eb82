"""`trimbench golden record|verify` as a user runs them."""

from __future__ import annotations

import json
import sys

from trimbench.cli import main
from trimbench.hashing import sha256

PY = ["--python", sys.executable]


def test_record_writes_goldens_and_manifest(tiny_project, capsys):
    for path in (tiny_project.root / "golden").iterdir():
        path.unlink()
    assert main(["golden", "record", *PY]) == 0
    out = capsys.readouterr().out
    assert "golden/full.txt: 9 lines, 5 steps" in out and "golden/smoke.txt: 6 lines, 2 steps" in out
    assert "5 formatted floats, 3 sampling calls" in out
    manifest = json.loads((tiny_project.root / "golden" / "manifest.json").read_text())
    assert manifest["tiers"]["full"]["lines"] == 9
    assert not list((tiny_project.root / "golden").glob("*.tmp"))  # atomic writes leave no debris


def test_record_refuses_an_unseeded_original(tiny_project, capsys):
    original = tiny_project.root / "original" / "prog.py"
    original.write_text(original.read_text().replace("random.seed(1)", "random.seed()"))
    assert main(["golden", "record", *PY]) == 2
    *_, last = capsys.readouterr().err.splitlines()
    assert last.startswith("trimbench: error: the original (prog.py) is not deterministic")


def test_record_says_when_the_smoke_tier_reads_the_first_lines(tiny_project, capsys):
    original = tiny_project.root / "original" / "prog.py"
    original.write_text(original.read_text().replace("num_steps = 5", "num_steps = int('5')"))
    assert main(["golden", "record", *PY]) == 0
    assert "the smoke tier will judge each variant on the full run's first 4 lines" in capsys.readouterr().out
    assert not (tiny_project.root / "golden" / "smoke.txt").exists()


def test_verify_exit_codes(tiny_project, capsys):
    assert main(["golden", "verify", *PY]) == 0
    assert capsys.readouterr().out.count(": reproduced") == 2
    # Goldens of an original that printed one line more, as if recorded elsewhere: the re-run cannot match them.
    original = tiny_project.root / "original" / "prog.py"
    source = original.read_text()
    original.write_text(source + "print('one more')\n")
    assert main(["golden", "record", *PY]) == 0
    original.write_text(source)
    manifest_path = tiny_project.root / "golden" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["original"]["sha256"] = sha256(source.encode())
    manifest_path.write_text(json.dumps(manifest))
    capsys.readouterr()
    assert main(["golden", "verify", *PY, "--tier", "full"]) == 1
    out = capsys.readouterr().out
    assert "full: NOT reproduced: diverged: output ends early, at line 10" in out
