"""The goldens: the repo's recorded facts, record and verify, and one bit-exact test per variant."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from trimbench import data, golden, interpreters
from trimbench.check import CheckOptions, run_checks
from trimbench.verdict import Outcome

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = sorted((ROOT / "variants").glob("*.py"))


def test_full_golden_holds_the_original_run(repo_config):
    lines = (repo_config.goldens / "full.txt").read_text().splitlines()
    assert len(lines) == 1025
    assert lines[:3] == ["num docs: 32033", "vocab size: 27", "num params: 4192"]
    assert lines[3].startswith("step    1 / 1000 | loss 3.3660") and lines[1002] == "step 1000 / 1000 | loss 2.6497"
    assert lines[1003:1005] == ["", "--- inference (new, hallucinated names) ---"]
    assert [line.split(": ")[1] for line in lines[1005:1008]] == ["kamon", "ann", "karai"]


def test_manifest_matches_the_original_and_input(repo_config, names_file):
    manifest = json.loads((repo_config.goldens / "manifest.json").read_text())
    assert manifest["original"]["sha256"] == hashlib.sha256(repo_config.original.read_bytes()).hexdigest()
    assert manifest["input"]["sha256"] == data.file_sha256(names_file) == repo_config.input_sha256
    for name, entry in manifest["tiers"].items():
        text = (repo_config.goldens / entry["file"]).read_bytes()
        assert hashlib.sha256(text).hexdigest() == entry["sha256"] and text.count(b"\n") == entry["lines"]
        assert entry["digests"], f"{name} tier has no bit digest"
    assert manifest["tiers"]["smoke"]["steps"] == repo_config.smoke_steps


def test_record_then_verify(tiny_project):
    config = tiny_project.config
    goldens = golden.Goldens(config, data.resolve(config))
    for tier in golden.committed_tiers(config):
        assert golden.verify(goldens, interpreters.running(), tier).reproduced
    assert (config.goldens / "smoke.txt").read_text().count("step ") == 2


def test_verify_catches_a_nondeterministic_original(tiny_project):
    original = tiny_project.root / "original" / "prog.py"
    original.write_text(original.read_text().replace("random.seed(1)", "random.seed()"))
    config = tiny_project.config
    golden.record(config, data.resolve(config), interpreters.running())
    result = golden.verify(golden.Goldens(config, data.resolve(config)), interpreters.running(),
                           golden.Tier("full", None))
    assert not result.reproduced and "does not reproduce its golden" in result.detail


def test_rerecording_keeps_digests_of_other_interpreters(tiny_project):
    config = tiny_project.config
    manifest_path = config.goldens / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["tiers"]["full"]["digests"]["Other 1.0"] = "ab" * 32
    manifest_path.write_text(json.dumps(manifest))
    golden.record(config, data.resolve(config), interpreters.running())
    assert "Other 1.0" in json.loads(manifest_path.read_text())["tiers"]["full"]["digests"]


@pytest.mark.parametrize("path", [ROOT / "original" / "microgpt.py", *VARIANTS],
                         ids=lambda path: path.relative_to(ROOT).as_posix())
def test_bit_exact(repo_config, golden_tier, path):
    [verdict] = run_checks(repo_config, [path], CheckOptions(tier=golden_tier, use_cache=False, jobs=1))
    assert verdict.verdict is Outcome.BIT_EXACT, (verdict.detail, verdict.first_divergence)
