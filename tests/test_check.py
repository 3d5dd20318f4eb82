"""run_checks on the tiny project: every verdict, its details, the line filter, tiers and the cache."""

from __future__ import annotations

import sys

import pytest

from trimbench.check import CheckOptions, run_checks
from trimbench.errors import TrimbenchError
from trimbench.verdict import END_OF_OUTPUT, Outcome

FAST = dict(python=sys.executable, use_cache=False, jobs=1)


def check(project, path, **options):
    [verdict] = run_checks(project.config, [path], CheckOptions(**{**FAST, **options}))
    return verdict


@pytest.mark.parametrize("old, new, outcome", [
    pytest.param("probs = [0.2, 0.3, 0.5]", "probs = [0.2, 0.3, 0.5]  # same", Outcome.BIT_EXACT, id="comment-only"),
    pytest.param("probs = [0.2, 0.3, 0.5]", "probs = [0.2, 0.3, 0.5000000000000001]", Outcome.TEXT_EXACT,
                 id="last-bit-of-a-weight"),
    pytest.param("random.seed(1)", "random.seed(1)\nrandom.random()", Outcome.DIVERGED, id="extra-draw"),
    pytest.param("for i in range(3):", "1 / 0\nfor i in range(3):", Outcome.CRASHED, id="crash-after-steps"),
    pytest.param("num_steps = 5", "num_steps = 5\nwhile True: pass", Outcome.TIMEOUT, id="hang"),
    pytest.param("for step in", "for step in in", Outcome.INVALID, id="syntax-error"),
])
def test_each_outcome(tiny_project, old, new, outcome):
    verdict = check(tiny_project, tiny_project.edit("v.py", old, new), timeout=3)
    assert verdict.outcome is outcome, verdict.detail


def test_divergence_names_line_step_and_text(tiny_project):
    path = tiny_project.edit("v.py", "total += random.random()", "total += random.random() * (step != 2)")
    verdict = check(tiny_project, path, tier="full")
    assert verdict.outcome is Outcome.DIVERGED
    d = verdict.first_divergence
    golden = (tiny_project.root / "golden" / "full.txt").read_text().splitlines()
    assert (d.line, d.step) == (4, 3)  # header, steps 1 and 2 match; the step 3 line is line 4
    assert d.expected == golden[3] and d.actual.startswith("step    3 /    5 | loss ") and d.actual != d.expected


def test_crash_reports_matching_prefix_and_stderr(tiny_project):
    edited = tiny_project.edit("v.py", "for i in range(3):", "raise KeyError('lost')\nfor i in range(3):")
    verdict = check(tiny_project, edited,
                    tier="full")
    assert verdict.outcome is Outcome.CRASHED
    assert "after 6 matching lines (step 5)" in verdict.detail and "KeyError: 'lost'" in verdict.detail
    assert "probe.py" not in verdict.stderr_tail  # the user's traceback, not trimbench's frames


@pytest.mark.parametrize("old, new, expected, actual", [
    pytest.param("for i in range(3):", "for i in range(2):", "sample 3: ", END_OF_OUTPUT, id="ends-early"),
    pytest.param("for i in range(3):", "for i in range(4):", END_OF_OUTPUT, "sample 4: ", id="goes-on"),
])
def test_output_length_differences(tiny_project, old, new, expected, actual):
    verdict = check(tiny_project, tiny_project.edit("v.py", old, new), tier="full")
    assert verdict.outcome is Outcome.DIVERGED
    assert verdict.first_divergence.expected.startswith(expected)
    assert verdict.first_divergence.actual.startswith(actual)


def test_missing_final_newline_is_a_difference(tiny_project):
    path = tiny_project.edit("v.py", "print(f\"sample {i+1}: {random.choices('abc', weights=probs)[0]}\")",
                             "print(f\"sample {i+1}: {random.choices('abc', weights=probs)[0]}\", "
                             "end='\\n' if i < 2 else '')")
    verdict = check(tiny_project, path, tier="full")
    assert verdict.outcome is Outcome.DIVERGED and "lacks its final newline" in verdict.detail


def test_line_filter_ignores_dropped_header(tiny_project):
    path = tiny_project.edit("v.py", 'print(f"num docs: {len(docs)}")', "")
    assert check(tiny_project, path).outcome is Outcome.DIVERGED
    filtered = check(tiny_project, path, lines=(r"^step ", r"^sample "))
    assert filtered.outcome is Outcome.BIT_EXACT
    assert "compared only the lines matching" in filtered.detail and filtered.lines_filter == (r"^step ", r"^sample ")


def test_smoke_tier_rewrites_steps_in_both(tiny_project):
    verdict = check(tiny_project, tiny_project.edit("v.py", "total = 0.0", "total = 0.0  # kept"))
    assert (verdict.outcome, verdict.tier, verdict.steps) == (Outcome.BIT_EXACT, "smoke", 2)


def test_any_step_count_records_its_golden_on_demand(tiny_project):
    path = tiny_project.edit("v.py", "total = 0.0", "total = 0.0  # kept")
    verdict = check(tiny_project, path, steps=3)
    assert (verdict.outcome, verdict.steps) == (Outcome.BIT_EXACT, 3)
    broken = check(tiny_project, tiny_project.edit("w.py", "total += random.random()", "total += 1.0"), steps=3)
    assert broken.outcome is Outcome.DIVERGED and broken.first_divergence.line == 2


def test_without_a_steps_variable_the_smoke_tier_judges_the_first_lines(tiny_project):
    # The variant runs as written (5 steps) and hangs at its end: judged on the full run's first 4 lines, then stopped.
    path = tiny_project.edit("v.py", "num_steps = 5", "num_steps = int('5')\nimport atexit, time\n"
                                                      "atexit.register(time.sleep, 60)")
    smoke = check(tiny_project, path, timeout=20)
    assert (smoke.outcome, smoke.tier, smoke.first_lines, smoke.tier_label) == \
        (Outcome.BIT_EXACT, "smoke", 4, "smoke (first 4 lines)")
    assert smoke.compared == "the first 4 lines and 3 formatted floats" and smoke.seconds < 10
    broken = tiny_project.edit("w.py", "num_steps = 5", "num_steps = int('5')\nrandom.random()")
    assert check(tiny_project, broken).first_divergence.line == 2
    refused = check(tiny_project, path, steps=3)
    assert refused.outcome is Outcome.INVALID and "which the variant does not have" in refused.detail
    assert check(tiny_project, path, tier="full", timeout=1).outcome is Outcome.TIMEOUT


def test_missing_file_is_invalid(tiny_project):
    verdict = check(tiny_project, tiny_project.root / "variants" / "nope.py")
    assert verdict.outcome is Outcome.INVALID and "cannot read" in verdict.detail


def test_verdicts_keep_the_order_of_paths(tiny_project):
    paths = [tiny_project.edit(f"v{i}.py", "total = 0.0", f"total = 0.0 + {i} * 0") for i in range(4)]
    paths.insert(2, tiny_project.root / "variants" / "missing.py")
    verdicts = run_checks(tiny_project.config, paths, CheckOptions(**{**FAST, "jobs": 3}))
    assert [v.path for v in verdicts] == [p.relative_to(tiny_project.root).as_posix() for p in paths]


def test_cache_reuses_a_verdict_only_for_the_same_bytes(tiny_project):
    path = tiny_project.edit("v.py", "total = 0.0", "total = 0.0  # cached")
    options = {**FAST, "use_cache": True}
    assert not check(tiny_project, path, **options).cached
    assert check(tiny_project, path, **options).cached
    assert not check(tiny_project, path, **{**options, "use_cache": False}).cached
    path.write_text(path.read_text() + "\n")
    assert not check(tiny_project, path, **options).cached


def test_timeouts_are_not_cached(tiny_project):
    path = tiny_project.edit("v.py", "num_steps = 5", "num_steps = 5\nwhile True: pass")
    options = {**FAST, "use_cache": True, "timeout": 1}
    assert check(tiny_project, path, **options).outcome is Outcome.TIMEOUT
    assert not check(tiny_project, path, **options).cached


@pytest.mark.parametrize("options, message", [
    pytest.param({"tier": "full", "steps": 3}, "only the smoke tier", id="steps-with-full"),
    pytest.param({"steps": 0}, "at least 1", id="zero-steps"),
    pytest.param({"tier": "medium"}, "unknown tier", id="unknown-tier"),
    pytest.param({"lines": ("(",)}, "not a valid regular expression", id="bad-regex"),
])
def test_usage_errors(tiny_project, options, message):
    with pytest.raises(TrimbenchError, match=message):
        check(tiny_project, tiny_project.root / "original" / "prog.py", **options)


def test_refuses_goldens_of_another_original(tiny_project):
    original = tiny_project.root / "original" / "prog.py"
    original.write_text(original.read_text() + "# edited\n")
    with pytest.raises(TrimbenchError, match="was recorded from an original with sha256"):
        check(tiny_project, original)


def test_refuses_missing_goldens(tiny_project):
    (tiny_project.root / "golden" / "manifest.json").unlink()
    with pytest.raises(TrimbenchError, match="trimbench golden record"):
        check(tiny_project, tiny_project.root / "original" / "prog.py")


def test_refuses_hand_edited_golden(tiny_project):
    golden = tiny_project.root / "golden" / "smoke.txt"
    golden.write_text(golden.read_text().replace("sample 1", "sample one"))
    with pytest.raises(TrimbenchError, match="does not match its sha256"):
        check(tiny_project, tiny_project.root / "original" / "prog.py")


def test_explicit_input_with_another_hash_reports_manifest_mismatch(tiny_project, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("zed\n")
    with pytest.raises(TrimbenchError, match="was recorded with the inputs input.txt .*, but the inputs now are"):
        check(tiny_project, tiny_project.root / "original" / "prog.py", input=other)


class Recorder:
    """A check.Progress that keeps what it is told."""

    def __init__(self):
        self.events = []

    def started(self, path, steps):
        self.events.append(("started", path, steps))

    def advanced(self, path, step):
        self.events.append(("advanced", path, step))

    def finished(self, verdict):
        self.events.append(("finished", verdict.path, verdict.outcome))

    def note(self, message):
        self.events.append(("note", message))


def test_progress_follows_the_steps_of_the_output(tiny_project):
    path = tiny_project.edit("v.py", "total = 0.0", "total = 0.0  # watched")
    recorder = Recorder()
    run_checks(tiny_project.config, [path], CheckOptions(**{**FAST, "tier": "full"}), recorder)
    assert recorder.events == [("started", "variants/v.py", 5),
                               *[("advanced", "variants/v.py", step) for step in range(1, 6)],
                               ("finished", "variants/v.py", Outcome.BIT_EXACT)]


def test_progress_announces_an_on_demand_recording(tiny_project):
    recorder = Recorder()
    run_checks(tiny_project.config, [tiny_project.root / "original" / "prog.py"],
               CheckOptions(**{**FAST, "steps": 4}), recorder)
    assert any(event[0] == "note" and "smoke (4 steps) run" in event[1] for event in recorder.events)


def test_variant_pypy_cannot_parse_is_judged_on_cpython(tiny_project):
    from trimbench import interpreters

    if not interpreters.resolve("auto").is_pypy:
        pytest.skip("needs pypy3 on PATH: PyPy speaks Python 3.9, this CPython parses `match`")
    path = tiny_project.edit("v.py", "random.seed(1)\n", "random.seed(1)\nmatch 1:\n    case _:\n        pass\n")
    verdict = check(tiny_project, path, python="auto")
    assert verdict.outcome is Outcome.BIT_EXACT, verdict.detail
    assert verdict.interpreter.startswith("CPython") and "cannot parse it" in verdict.detail
