"""The publish gate and payload: what goes into the gist, and what keeps a variant out of it."""

from __future__ import annotations

import hashlib
import json

import pytest

from trimbench import publish
from trimbench.errors import TrimbenchError
from trimbench.verdict import Divergence, Outcome, Verdict

ORIGINAL = b"import random\n\n# train\nx = 1 - 0.85\nprint(x)\n"
VARIANT = b"import random\nprint(1 - 0.85)\r\n"  # a \r\n must reach the gist as it is


def verdict(outcome: Outcome = Outcome.BIT_EXACT, tier: str = "full", **fields) -> Verdict:
    return Verdict(path="variants/01.py", verdict=outcome, tier=tier, steps=1000 if tier == "full" else 20,
                   interpreter="PyPy 7.3.11 (Python 3.9.16) x86_64", seconds=37.6, **fields)


def subject(v: Verdict | None = None) -> publish.Subject:
    return publish.Subject(original_path="original/microgpt.py", original=ORIGINAL, variant_path="variants/01.py",
                           variant=VARIANT, input_sha256="ab" * 32, verdict=v or verdict())


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


def test_payload_holds_the_variant_unchanged_and_the_report():
    payload = publish.build(subject(), "microgpt.py")
    assert list(payload.files) == ["microgpt.py", "REPORT.md"]
    assert payload.files["microgpt.py"].encode() == VARIANT
    assert payload.description == "microgpt.py: 5 → 2 lines, bit-exact with the original over the full run (trimbench)"


def test_report_names_verdict_tier_interpreter_and_hashes():
    report = publish.build(subject(), "tiny.py").files["REPORT.md"]
    assert report.startswith("# tiny.py, shrunk by trimbench\n")
    assert "| verdict | **bit-exact**: the same stdout and the same floats as the original, to the last bit |" in report
    assert "| tier | full (1,000 steps) |" in report
    assert "| interpreter | PyPy 7.3.11 (Python 3.9.16) x86_64 |" in report
    assert f"| original (`original/microgpt.py`) | `{hashlib.sha256(ORIGINAL).hexdigest()}` |" in report
    assert f"| variant (`variants/01.py`, published as `tiny.py`) | `{hashlib.sha256(VARIANT).hexdigest()}` |" in report
    assert f"| input | `{'ab' * 32}` |" in report
    assert "| lines | 5 | 2 | 3 |" in report  # the fallback savings table


def test_report_uses_the_savings_report_when_given_and_escapes_cells():
    v = verdict(Outcome.TEXT_EXACT, lines_filter=("^step",), detail="a | b")
    report = publish.build(subject(v), "m.py", savings_markdown="| chain | lines |\n|---|---|\n| 01 | 2 |\n")
    text = report.files["REPORT.md"]
    assert "| chain | lines |\n|---|---|\n| 01 | 2 |\n\n## Verdict" in text
    assert "| lines | 5 |" not in text
    assert "the floats differ in the last bits" in text
    assert "| compared lines | only those matching `^step` |" in text
    assert "| detail | a \\| b |" in text


def test_recorded_input_sha256_prefers_the_goldens_manifest(tmp_path):
    from trimbench.config import from_table

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
