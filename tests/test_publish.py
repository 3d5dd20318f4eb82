"""The publish gate and payload: what goes into the gist, and what keeps a variant out of it."""

from __future__ import annotations

import hashlib
import json

import pytest

from trimbench import publish, report
from trimbench.cache import VerdictCache, sha256
from trimbench.config import from_table
from trimbench.errors import TrimbenchError
from trimbench.verdict import Divergence, Outcome, Verdict

ORIGINAL = b"import random\n\n# train\nx = 1 - 0.85\nprint(x)\n"
VARIANT = b"import random\nprint(1 - 0.85)\r\n"  # a \r\n must reach the gist as it is


def verdict(outcome: Outcome = Outcome.BIT_EXACT, tier: str = "full", **fields) -> Verdict:
    return Verdict(path="variants/01.py", outcome=outcome, tier=tier, steps=1000 if tier == "full" else 20,
                   interpreter="PyPy 7.3.11 (Python 3.9.16) x86_64", seconds=37.6, **fields)


def subject(v: Verdict | None = None) -> publish.Subject:
    return publish.Subject(original_path="original/microgpt.py", original=ORIGINAL, variant_path="variants/01.py",
                           variant=VARIANT, inputs={"input.txt": "ab" * 32}, verdict=v or verdict())


@pytest.fixture
def chain_project(tmp_path):
    (tmp_path / "original").mkdir()
    (tmp_path / "original" / "microgpt.py").write_bytes(ORIGINAL)
    (tmp_path / "variants").mkdir()
    for name in ("01_a.py", "02_b.py", "03_c.py"):
        (tmp_path / "variants" / name).write_bytes(VARIANT)
    (tmp_path / "elsewhere.py").write_bytes(VARIANT)
    return from_table({}, tmp_path)


@pytest.fixture
def chain(chain_project) -> report.Report:
    return publish.chain_report(chain_project, chain_project.variants / "01_a.py", verdict())


@pytest.mark.parametrize("v", [
    pytest.param(verdict(Outcome.BIT_EXACT), id="bit-exact"),
    pytest.param(verdict(Outcome.TEXT_EXACT), id="text-exact"),
])
def test_a_passing_full_verdict_may_be_published(v):
    assert publish.refusal(subject(v)) is None


@pytest.mark.parametrize(("v", "expected"), [
    pytest.param(verdict(Outcome.DIVERGED, detail="line 5 differs",
                         first_divergence=Divergence(5, "step    2 / 1000 | loss 3.3660", "step    2 / 1000 | loss 3.3661", 2)),
                 "variants/01.py is diverged in the full tier (line 5 differs); expected 'step    2 / 1000 | loss 3.3660', "
                 "got 'step    2 / 1000 | loss 3.3661'; only a variant that is bit-exact or text-exact in the full tier "
                 "can be published", id="diverged"),
    pytest.param(verdict(Outcome.CRASHED, detail="exit code 1"), "is crashed in the full tier (exit code 1)",
                 id="crashed"),
    pytest.param(verdict(Outcome.TIMEOUT), "is timeout in the full tier", id="timeout"),
    pytest.param(verdict(Outcome.BIT_EXACT, tier="smoke"), "is bit-exact in the smoke tier", id="smoke-is-not-enough"),
])
def test_anything_else_is_refused_with_the_verdict(v, expected):
    assert expected in publish.refusal(subject(v))


def test_payload_holds_the_variant_unchanged_and_the_report(chain):
    payload = publish.build(subject(), "microgpt.py", chain)
    assert list(payload.files) == ["microgpt.py", "REPORT.md"]
    assert payload.files["microgpt.py"].encode() == VARIANT
    assert payload.description == ("microgpt.py: 3 → 2 honest lines, bit-exact with the original over the full run "
                                   "(trimbench)")


def test_report_holds_the_savings_and_names_verdict_tier_interpreter_and_hashes(chain):
    text = publish.build(subject(), "tiny.py", chain).files["REPORT.md"]
    assert text.startswith("# tiny.py, shrunk by trimbench\n")
    assert f"## Savings\n\n{report.to_markdown(chain).strip()}\n\n## Verdict" in text
    assert "| verdict | **bit-exact**: the same stdout and the same floats as the original, to the last bit |" in text
    assert "| tier | full (1,000 steps) |" in text
    assert "| interpreter | PyPy 7.3.11 (Python 3.9.16) x86_64 |" in text
    assert f"| original (`original/microgpt.py`) | `{hashlib.sha256(ORIGINAL).hexdigest()}` |" in text
    assert f"| variant (`variants/01.py`, published as `tiny.py`) | `{hashlib.sha256(VARIANT).hexdigest()}` |" in text
    assert f"| input | `{'ab' * 32}` |" in text


def test_report_of_a_text_exact_verdict_on_filtered_lines_escapes_cells(chain):
    v = verdict(Outcome.TEXT_EXACT, lines_filter=("^step",), detail="a | b")
    text = publish.build(subject(v), "m.py", chain).files["REPORT.md"]
    assert "the floats differ in the last bits" in text
    assert "| compared lines | only those matching `^step` |" in text
    assert "| detail | a \\| b |" in text


def test_recorded_input_sha256_prefers_the_goldens_manifest(tmp_path):
    config = from_table({}, tmp_path)
    assert publish.recorded_input_sha256(config) == config.input_sha256
    (tmp_path / "golden").mkdir()
    (tmp_path / "golden" / "manifest.json").write_text(json.dumps({"input": {"sha256": "cd" * 32}}))
    assert publish.recorded_input_sha256(config) == "cd" * 32


def test_remember_then_remembered(tmp_path):
    assert publish.remembered(tmp_path) is None
    publish.remember(tmp_path, api_url="https://api.github.com", gist_id="abc", html_url="https://gist/abc",
                     public=False, subject=subject(), filename="microgpt.py")
    record = publish.remembered(tmp_path)
    assert record["gist_id"] == "abc" and record["api_url"] == "https://api.github.com"
    assert record["variant_sha256"] == hashlib.sha256(VARIANT).hexdigest()


def test_an_unreadable_record_says_what_to_do(tmp_path):
    (tmp_path / "published.json").write_text("{not json")
    with pytest.raises(TrimbenchError, match="published.json is unreadable; delete it, or name the gist with --gist"):
        publish.remembered(tmp_path)


def paths(built) -> list[str]:
    return [row.metrics.path for row in built.rows]


@pytest.mark.parametrize(("variant", "expected"), [
    pytest.param("variants/02_b.py", ["original/microgpt.py", "variants/01_a.py", "variants/02_b.py"], id="in-chain"),
    pytest.param("elsewhere.py", ["original/microgpt.py", "elsewhere.py"], id="outside-the-variants-folder"),
])
def test_chain_report_runs_up_to_the_variant(chain_project, variant, expected):
    path = chain_project.root / variant
    built = publish.chain_report(chain_project, path, verdict())
    assert paths(built) == expected
    assert built.rows[-1].verdict == verdict()


def test_chain_report_of_the_winner_reuses_the_whole_report(chain_project):
    (chain_project.variants / "02_b.py").write_bytes(b"print(1 - 0.85)\n")
    seed = verdict(tier="smoke")
    VerdictCache(chain_project.state_dir).put(sha256(b"print(1 - 0.85)\n"), "k", seed)
    whole = report.build_report(chain_project)
    path = publish.winner(chain_project, whole)
    assert path == chain_project.root / "variants" / "02_b.py"
    built = publish.chain_report(chain_project, path, verdict())
    reused = publish.chain_report(chain_project, path, verdict(), whole)
    assert paths(reused) == paths(built) == ["original/microgpt.py", "variants/01_a.py", "variants/02_b.py"]
    assert reused.rows[-1].verdict == verdict()  # the full verdict replaces the cached smoke one
    assert report.to_markdown(reused) == report.to_markdown(built)


def test_no_winner_is_a_usage_error(chain_project):
    with pytest.raises(TrimbenchError, match="no VARIANT named, and the report has no winner: No winner: no variant "
                                             "has been checked yet"):
        publish.winner(chain_project, report.build_report(chain_project))
