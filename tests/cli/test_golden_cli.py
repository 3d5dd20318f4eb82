"""`trimbench golden record|verify` as a user runs them."""

from __future__ import annotations

import json
import sys

from trimbench.cli import main

PY = ["--python", sys.executable]


def test_record_writes_goldens_and_manifest(tiny_project, capsys):
    for name in ("full.txt", "smoke.txt", "manifest.json"):
        (tiny_project.root / "golden" / name).unlink()
    assert main(["golden", "record", *PY]) == 0
    out = capsys.readouterr().out
    assert "golden/full.txt: 9 lines, 5 steps" in out and "golden/smoke.txt: 6 lines, 2 steps" in out
    manifest = json.loads((tiny_project.root / "golden" / "manifest.json").read_text())
    assert manifest["tiers"]["full"]["lines"] == 9
    assert not list((tiny_project.root / "golden").glob("*.tmp"))  # atomic writes leave no debris


def test_verify_exit_codes(tiny_project, capsys):
    assert main(["golden", "verify", *PY]) == 0
    assert capsys.readouterr().out.count(": reproduced") == 2
    original = tiny_project.root / "original" / "prog.py"
    original.write_text(original.read_text().replace("random.seed(1)", "random.seed()"))
    main(["golden", "record", *PY])
    capsys.readouterr()
    assert main(["golden", "verify", *PY, "--tier", "full"]) == 1
    assert "NOT reproduced" in capsys.readouterr().out
