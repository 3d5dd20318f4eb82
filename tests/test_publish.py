"""The publish gate and REPORT.md: what goes into the gist, and what keeps a variant out of it (pure parts)."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest

from trimbench import gist_report, publish
from trimbench.errors import TrimbenchError
from trimbench.gist import Gist
from trimbench.metrics import measure
from trimbench.report import Report, Row, Saving
from trimbench.verdict import Basis, Divergence, Outcome, Verdict

ORIGINAL = b"import random\n\n# train\nx = 1 - 0.85\nprint(x)\n"
VARIANT = b"import random\nprint(1 - 0.85)\r\n"  # a \r\n must reach the gist as it is
BASIS = Basis("a" * 64, (("input.txt", "ab" * 32),), "c" * 64, "d" * 64, "e" * 64, sandbox="bwrap")


def verdict(outcome: Outcome = Outcome.BIT_EXACT, tier: str = "full", **fields) -> Verdict:
    return Verdict(path="variants/01.py", outcome=outcome, tier=tier, steps=1000 if tier == "full" else 20,
                   interpreter="PyPy 7.3.11 (Python 3.9.16) x86_64", seconds=37.6, basis=BASIS,
                   compared="5 lines, 1 formatted float and the final RNG state", **fields)


def subject(v: Verdict | None = None) -> gist_report.Subject:
    return gist_report.Subject(original_path="original/microgpt.py", original=ORIGINAL,
                               variant_path="variants/01.py", variant=VARIANT, inputs={"input.txt": "ab" * 32},
                               verdict=v or verdict())


def savings() -> Report:
    original, variant = measure("original/microgpt.py", ORIGINAL), measure("variants/01.py", VARIANT)
    rows = (Row(original, None, True, Saving.between(original, original), None, False),
            Row(variant, verdict(), False, Saving.between(original, variant), Saving.between(original, variant), True))
    return Report(rows, original)


@pytest.mark.parametrize("v, allow", [
    pytest.param(verdict(Outcome.BIT_EXACT), False, id="bit-exact"),
    pytest.param(verdict(Outcome.TEXT_EXACT), True, id="text-exact-when-allowed"),
])
def test_a_passing_full_verdict_may_be_published(v, allow):
    assert publish.refusal(subject(v), allow_text_exact=allow) is None


def test_text_exact_is_refused_unless_allowed_on_purpose():
    assert publish.refusal(subject(verdict(Outcome.TEXT_EXACT))).endswith(
        "its floats differ from the original's: publish it with --allow-text-exact, on purpose")


@pytest.mark.parametrize(("v", "expected"), [
    pytest.param(verdict(Outcome.DIVERGED, detail="line 5 differs",
                         first_divergence=Divergence(5, "step 2 | loss 3.3660", "step 2 | loss 3.3661", 2)),
                 "variants/01.py is diverged in the full tier (line 5 differs); expected 'step 2 | loss 3.3660', "
                 "got 'step 2 | loss 3.3661'; only a variant that is bit-exact in the full tier "
                 "can be published", id="diverged"),
    pytest.param(verdict(Outcome.CRASHED, detail="exit code 1"), "is crashed in the full tier (exit code 1)",
                 id="crashed"),
    pytest.param(verdict(Outcome.TIMEOUT), "is timeout in the full tier", id="timeout"),
    pytest.param(verdict(Outcome.BIT_EXACT, tier="smoke"), "is bit-exact in the smoke tier", id="smoke-is-not-enough"),
    pytest.param(verdict(Outcome.BIT_EXACT, lines_filter=("^step",)), "is bit-exact in the full tier",
                 id="filtered-is-not-enough"),
])
def test_anything_else_is_refused_with_the_verdict(v, expected):
    assert expected in publish.refusal(subject(v))


def test_report_names_verdict_tier_what_was_compared_and_every_hash():
    text = gist_report.report_markdown(subject(), "tiny.py", savings())
    assert text.startswith("# tiny.py, shrunk by trimbench\n")
    assert "| tier | full (1000 steps) |" in text
    assert "| compared | 5 lines, 1 formatted float and the final RNG state |" in text
    assert "| interpreter | PyPy 7.3.11 (Python 3.9.16) x86_64 |" in text and "| sandbox | bwrap |" in text
    assert f"| original `original/microgpt.py` | `{hashlib.sha256(ORIGINAL).hexdigest()}` |" in text
    assert f"| variant `variants/01.py` (published as `tiny.py`) | `{hashlib.sha256(VARIANT).hexdigest()}` |" in text
    for name, digest in (("input `input.txt`", "ab" * 32), ("golden text (the original's stdout)", "c" * 64),
                         ("golden values (PyPy 7.3.11 (Python 3.9.16) x86_64)", "d" * 64),
                         ("trimbench's judging code", "e" * 64)):
        assert f"| {name} | `{digest}` |" in text


def test_every_term_is_defined_and_the_reader_can_verify():
    text = gist_report.report_markdown(subject(), "tiny.py", savings())
    for term in ("lines", "honest lines", "bit-exact", "text-exact", "full tier"):
        assert f"- **{term}**: " in text
    assert "```\nsha256sum original/microgpt.py tiny.py\ntrimbench golden record\n" \
           "trimbench check --tier full --strict tiny.py\n```" in text


def collapsed_section(text: str) -> str:
    start = text.index("<details><summary>What changed: the diff against the original</summary>\n\n")
    return text[start:text.index("</details>\n", start) + len("</details>\n")]


def test_report_shows_the_diff_against_the_original_collapsed():
    section = collapsed_section(gist_report.report_markdown(subject(), "tiny.py", savings()))
    assert "**`original/microgpt.py` -> `variants/01.py`: 5 -> 2 lines (saved 3), honest 3 -> 2 (saved 1)**" in section
    assert "\n".join(["```diff", "--- original/microgpt.py", "+++ variants/01.py", "@@ -1,5 +1,2 @@", " import random",
                      "-", "-# train", "-x = 1 - 0.85", "-print(x)", "+print(1 - 0.85)", "```"]) in section


@pytest.mark.parametrize(("ticks", "fence"), [
    pytest.param("```", "````", id="a fence"),
    pytest.param("``````", "```````", id="a longer fence"),
])
def test_backticks_in_the_variant_cannot_close_the_diffs_fence(ticks, fence):
    variant = f"import random\nprint('{ticks}')\n".encode()
    savings_of_it = Report((savings().rows[0], replace(savings().rows[1], metrics=measure("variants/01.py", variant))),
                           savings().original)
    section = collapsed_section(gist_report.report_markdown(replace(subject(), variant=variant), "m.py", savings_of_it))
    assert f"\n{fence}diff\n" in section and section.endswith(f"+print('{ticks}')\n{fence}\n\n</details>\n")


def test_report_of_a_text_exact_verdict_escapes_cells():
    text = gist_report.report_markdown(subject(verdict(Outcome.TEXT_EXACT, detail="a | b")), "m.py", savings())
    assert "a value differs in its last bits" in text and "| detail | a \\| b |" in text


def test_description_counts_honest_lines():
    assert gist_report.description(subject(), "microgpt.py", savings()) == (
        "microgpt.py: 3 → 2 honest lines, bit-exact with the original over the full run (trimbench)")


def test_remember_then_remembered(tmp_path):
    assert publish.remembered(tmp_path) is None
    publish.remember(tmp_path, api_url="https://api.github.com", gist=Gist("abc", "https://gist/abc", False),
                     subject=subject(), filename="microgpt.py")
    record = publish.remembered(tmp_path)
    assert record["gist_id"] == "abc" and record["api_url"] == "https://api.github.com"
    assert record["variant_sha256"] == hashlib.sha256(VARIANT).hexdigest()


def test_an_unreadable_record_says_what_to_do(tmp_path):
    (tmp_path / "published.json").write_text("{not json")
    with pytest.raises(TrimbenchError, match="published.json is unreadable; delete it, or name the gist with --gist"):
        publish.remembered(tmp_path)
