"""The goldens: the repo's recorded facts, record (twice, deterministic) and verify. (The variants are judged by
the pytest plugin: `pytest --trimbench`, on by default in this repo.)"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from trimbench import interpreters, recording
from trimbench import manifest as manifest_module
from trimbench.check import CheckOptions
from trimbench.errors import TrimbenchError
from trimbench.hashing import sha256
from trimbench.records import load

ROOT = Path(__file__).resolve().parents[1]
ORIGINAL_SHA256 = "4fda8f9395d5660baa014f7724aa9f3b21f3e73c14cea231da458676751fbd5c"  # the shared SHA256SUMS


def test_the_original_is_untouched():
    assert hashlib.sha256((ROOT / "original" / "microgpt.py").read_bytes()).hexdigest() == ORIGINAL_SHA256


def test_full_golden_holds_the_original_run(repo_config):
    lines = (repo_config.goldens / "full.txt").read_text().splitlines()
    assert len(lines) == 1025
    assert lines[:3] == ["num docs: 32033", "vocab size: 27", "num params: 4192"]
    assert lines[3].startswith("step    1 / 1000 | loss 3.3660") and lines[1002] == "step 1000 / 1000 | loss 2.6497"
    assert lines[1003:1005] == ["", "--- inference (new, hallucinated names) ---"]
    assert [line.split(": ")[1] for line in lines[1005:1008]] == ["kamon", "ann", "karai"]


def test_manifest_matches_the_original_the_input_and_the_files(repo_config, names_file):
    manifest = manifest_module.load(repo_config.goldens / "manifest.json")
    assert manifest.original_sha256 == sha256(repo_config.original.read_bytes())
    assert manifest.inputs == {"input.txt": sha256(names_file.read_bytes())}
    assert manifest.inputs == {"input.txt": repo_config.inputs[0].sha256}
    for name, entry in manifest.tiers.items():
        text = (repo_config.goldens / entry.file).read_bytes()
        assert sha256(text) == entry.sha256 and text.count(b"\n") == entry.lines
        assert entry.records, f"{name} tier has no records"
        for item in entry.records.values():
            data = (repo_config.goldens / item.file).read_bytes()
            found = load(data)
            assert sha256(data) == item.sha256 and len(found) == item.count
            assert sum(r.kind == "f" for r in found) == item.floats == (1000 if name == "full" else 20)
    assert manifest.tiers["smoke"].steps == repo_config.smoke_steps and manifest.tiers["full"].steps == 1000


def test_record_then_verify(tiny_project):
    config = tiny_project.config
    results = recording.verify(config, CheckOptions(python=sys.executable), ("full", "smoke"))
    assert [(r.tier.name, r.reproduced) for r in results] == [("full", True), ("smoke", True)]
    assert "9 lines, 5 formatted floats, 3 sampling calls and the final RNG state reproduced" in results[0].detail
    assert (config.goldens / "smoke.txt").read_text().count("step ") == 2


def test_an_unseeded_original_is_refused_at_record(tiny_project):
    original = tiny_project.root / "original" / "prog.py"
    original.write_text(original.read_text().replace("random.seed(1)", "random.seed()"))
    before = (tiny_project.root / "golden" / "manifest.json").read_bytes()
    with pytest.raises(TrimbenchError, match="is not deterministic.*its text differs between two runs at line 2"):
        tiny_project.record()
    assert (tiny_project.root / "golden" / "manifest.json").read_bytes() == before  # nothing half-written


def test_values_that_differ_between_runs_are_named(tiny_project):
    """Same text every time, but a value that depends on the process (its pid): refused, with the value."""
    original = tiny_project.root / "original" / "prog.py"
    original.write_text(original.read_text() + "import os\nprint(f'{1.0 + os.getpid() * 1e-12:.3f}')\n")
    with pytest.raises(TrimbenchError, match=r"same text, but its values differ between two runs at value 9 "
                                             r"\(line 10\): 1\.0000"):
        tiny_project.record()


def test_verify_names_the_first_difference_when_the_original_prints_more(tiny_project):
    original = tiny_project.root / "original" / "prog.py"
    original.write_text(original.read_text() + "print('one more line')\n")
    tiny_project.record()
    manifest = json.loads((tiny_project.root / "golden" / "manifest.json").read_text())
    original.write_text(original.read_text().replace("print('one more line')\n", ""))
    manifest["original"]["sha256"] = sha256(original.read_bytes())  # as if the golden had one line fewer
    (tiny_project.root / "golden" / "manifest.json").write_text(json.dumps(manifest))
    (result,) = recording.verify(tiny_project.config, CheckOptions(python=sys.executable), ("full",))
    assert not result.reproduced and "output ends early, at line 10" in result.detail


def test_rerecording_keeps_records_of_other_interpreters(tiny_project):
    config = tiny_project.config
    path = config.goldens / "manifest.json"
    manifest = json.loads(path.read_text())
    mine = next(iter(manifest["tiers"]["full"]["records"].values()))
    manifest["tiers"]["full"]["records"]["Other 1.0"] = mine
    path.write_text(json.dumps(manifest))
    tiny_project.record()
    assert "Other 1.0" in json.loads(path.read_text())["tiers"]["full"]["records"]


def test_a_program_without_steps_gets_no_smoke_golden(tmp_path):
    from tests.projects import make_project

    project = make_project(tmp_path, "print(f'{1 / 3:.3f}')\n")
    project.record()
    manifest = manifest_module.load(project.root / "golden" / "manifest.json")
    assert set(manifest.tiers) == {"full"} and manifest.tiers["full"].steps is None
    assert manifest.inputs == {} and not (project.root / "golden" / "smoke.txt").exists()


def test_the_repo_interpreter_has_committed_records(repo_config):
    """A check with the default interpreter never has to record on demand."""
    manifest = manifest_module.load(repo_config.goldens / "manifest.json")
    interpreter = interpreters.resolve("auto").name
    assert all(interpreter in entry.records for entry in manifest.tiers.values())
