"""report.build_report and its renderers, on a small project whose counts can be read off the sources."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from trimbench import config as config_module
from trimbench.cache import VerdictCache
from trimbench.errors import TrimbenchError
from trimbench.metrics import measure
from trimbench.report import measuring
from trimbench.report import (build_report, measure_all, pick_winner, to_json, to_json_data, to_markdown, to_table,
                              write_chart)
from trimbench.verdict import Basis, Judgement, Outcome, Verdict

ROOT = Path(__file__).resolve().parents[1]

# 8 physical lines, 6 code lines; black changes nothing, so 6 honest lines
ORIGINAL = """\
import os

# Let there be an input dataset
docs = [1, 2, 3]
total = 0
for d in docs:
    total += d
print(total)
"""
VARIANTS = {
    # 5 physical lines, but black splits the `;` and the one-line loop: 6 honest lines, nothing saved
    "01_crammed.py": "import os\n# Let there be an input dataset\ndocs = [1, 2, 3]; total = 0\n"
                     "for d in docs: total += d\nprint(total)\n",
    # 5 physical lines, 3 honest lines
    "02_sum.py": "import os\n\n# Let there be an input dataset\ndocs = [1, 2, 3]\nprint(sum(docs))\n",
    # 3 physical lines, 3 honest lines: ties 02 on honest lines, wins on physical lines
    "03_tight.py": "import os\ndocs = [1, 2, 3]\nprint(sum(docs))\n",
}


def verdict(outcome: Outcome, tier: str = "smoke") -> Verdict:
    return Verdict(path="x.py", outcome=outcome, tier=tier, steps=20, interpreter="CPython 3.11", seconds=1.0)


PASS, TEXT, DIVERGED = verdict(Outcome.BIT_EXACT), verdict(Outcome.TEXT_EXACT), verdict(Outcome.DIVERGED)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.trimbench]\noriginal = \"original/microgpt.py\"\n")
    (tmp_path / "original").mkdir()
    (tmp_path / "original" / "microgpt.py").write_text(ORIGINAL)
    (tmp_path / "variants").mkdir()
    for name, source in VARIANTS.items():
        (tmp_path / "variants" / name).write_text(source)
    return config_module.load(tmp_path)


def variant(config, name: str) -> Path:
    return config.variants / name


def given(config, **outcomes: Verdict) -> dict[Path, Verdict]:
    """verdicts keyed by variant path; keyword names are the numeric prefixes (v01=...)."""
    names = {name[:2]: name for name in VARIANTS}
    return {variant(config, names[key[1:]]): value for key, value in outcomes.items()}


def test_default_paths_and_counts(project):
    report = build_report(project)
    assert [row.metrics.path for row in report.rows] == ["original/microgpt.py", *(f"variants/{n}" for n in VARIANTS)]
    assert [(row.metrics.lines, row.metrics.honest_lines) for row in report.rows] == [(8, 6), (5, 6), (5, 3), (3, 3)]
    assert [row.is_original for row in report.rows] == [True, False, False, False]


def test_savings(project):
    rows = build_report(project).rows
    assert rows[0].saved_vs_previous is None
    assert (rows[0].saved_vs_original.lines, rows[0].saved_vs_original.honest_lines) == (0, 0)
    crammed, summed = rows[1], rows[2]
    assert (crammed.saved_vs_original.lines, crammed.saved_vs_original.honest_lines) == (3, 0)
    assert (summed.saved_vs_original.lines, summed.saved_vs_original.honest_lines) == (3, 3)
    assert summed.saved_vs_original.honest_percent == pytest.approx(50.0)
    assert (summed.saved_vs_previous.lines, summed.saved_vs_previous.honest_lines) == (0, 3)
    assert str(summed.saved_vs_original) == "3 (50.0%)"


def test_growth_is_a_negative_saving(project):
    bigger = project.variants / "04_bigger.py"
    bigger.write_text(ORIGINAL + "print(os.sep)\n")
    (row,) = build_report(project, [bigger]).rows
    assert (row.saved_vs_original.lines, row.saved_vs_original.honest_lines) == (-1, -1)
    assert row.saved_vs_previous is None  # the first row has no previous file, even if it is not the original


@pytest.mark.parametrize(("outcomes", "winner"), [
    pytest.param({}, None, id="all unchecked"),
    pytest.param({"v01": PASS, "v02": PASS, "v03": PASS}, "03_tight.py", id="fewest honest, then fewest physical"),
    pytest.param({"v01": PASS, "v02": TEXT, "v03": DIVERGED}, "01_crammed.py",
                 id="text-exact is never crowned, diverged neither"),
    pytest.param({"v01": PASS}, "01_crammed.py", id="the only passing variant wins even without savings"),
    pytest.param({"v01": DIVERGED, "v02": DIVERGED, "v03": DIVERGED}, None, id="nothing passes"),
])
def test_winner(project, outcomes, winner):
    report = build_report(project, verdicts=given(project, **outcomes))
    assert [Path(row.metrics.path).name for row in report.rows if row.winner] == ([winner] if winner else [])
    assert (report.winner is None) == (winner is None)


def test_the_original_never_wins(project):
    (project.variants / "04_copy.py").write_text(ORIGINAL + "x = 1\n")  # one honest line more than the original
    verdicts = {project.original: PASS, project.variants / "04_copy.py": PASS}
    report = build_report(project, [project.original, project.variants / "04_copy.py"], verdicts)
    assert report.rows[1].metrics.honest_lines > report.rows[0].metrics.honest_lines
    assert [row.winner for row in report.rows] == [False, True]


@pytest.mark.parametrize(("candidates", "expected"), [
    pytest.param([], None, id="nothing"),
    pytest.param([((5, 9), PASS, False), ((5, 8), PASS, False)], 1, id="tie on honest lines: fewer physical lines"),
    pytest.param([((5, 8), PASS, False), ((5, 8), PASS, False)], 0, id="full tie: the earlier file"),
    pytest.param([((4, 4), PASS, True), ((5, 8), PASS, False)], 1, id="the original is not a candidate"),
    pytest.param([((4, 4), None, False), ((5, 8), PASS, False)], 1, id="unchecked is not a candidate"),
    pytest.param([((4, 4), TEXT, False), ((5, 8), PASS, False)], 1, id="text-exact is not a candidate"),
])
def test_pick_winner(candidates, expected):
    def metrics(honest: int, lines: int):
        m = measure("x.py", b"x = 1\n")
        return type(m)(**{**m.__dict__, "honest_lines": honest, "lines": lines})

    assert pick_winner([(metrics(*counts), v, original) for counts, v, original in candidates]) == expected


def test_a_cached_verdict_without_provenance_is_not_shown_and_given_ones_win(project):
    """Which cached verdicts are trusted is test_trust.py's subject; one that says nothing of its goldens never is."""
    source = variant(project, "02_sum.py").read_bytes()
    full = verdict(Outcome.BIT_EXACT, "full")
    judgement = Judgement(Basis("a" * 64, (), "b" * 64, "c" * 64, "d" * 64), "full", 20, None, (), "CPython 3.11")
    VerdictCache(project.state_dir).put(hashlib.sha256(source).hexdigest(), judgement, full)
    cached = build_report(project)
    assert [row.verdict_label for row in cached.rows] == ["unchecked"] * 4 and cached.winner is None
    given_ones = build_report(project, verdicts=given(project, v02=PASS))
    assert given_ones.rows[2].verdict_label == "bit-exact (smoke)"
    assert given_ones.winner.metrics.path.endswith("02_sum.py")
    overridden = build_report(project, verdicts=given(project, v02=DIVERGED))
    assert overridden.rows[2].verdict_label == "diverged (smoke)" and overridden.winner is None


def test_explicit_paths_still_measure_savings_against_the_original(project):
    (row,) = build_report(project, [variant(project, "03_tight.py")]).rows
    assert row.saved_vs_original.lines == 5 and not row.is_original


@pytest.mark.parametrize(("name", "source", "message"), [
    pytest.param("09_missing.py", None, "variants/09_missing.py: no such file", id="missing"),
    pytest.param("09_bad.py", "x = = 1\n", "variants/09_bad.py: line 1: invalid syntax", id="syntax error"),
])
def test_errors(project, name, source, message):
    path = project.variants / name
    if source is not None:
        path.write_text(source)
    with pytest.raises(TrimbenchError) as caught:
        build_report(project, [project.original, path])
    assert str(caught.value) == message


def refuse_to_measure(monkeypatch):
    def fail(name, data):
        raise AssertionError(f"{name} was measured again")

    monkeypatch.setattr(measuring, "measure", fail)


def test_metrics_cache_measures_each_content_once(project, monkeypatch):
    first = build_report(project)
    assert len(list((project.state_dir / "metrics").glob("*.json"))) == 4
    refuse_to_measure(monkeypatch)
    assert build_report(project) == first
    monkeypatch.undo()
    variant(project, "03_tight.py").write_text(VARIANTS["03_tight.py"] + "print(os.sep)\n")
    assert build_report(project).rows[3].metrics.lines == 4  # new bytes, new counts


def test_metrics_cache_labels_a_copy_with_its_own_path(project, monkeypatch):
    build_report(project)
    (project.variants / "04_copy.py").write_text(VARIANTS["02_sum.py"])
    refuse_to_measure(monkeypatch)
    rows = build_report(project).rows
    assert rows[-1].metrics.path == "variants/04_copy.py"
    assert rows[-1].metrics.honest_lines == rows[2].metrics.honest_lines == 3


def test_metrics_cache_survives_a_corrupt_entry(project):
    first = build_report(project)
    for entry in (project.state_dir / "metrics").glob("*.json"):
        entry.write_text("{not json")
    assert build_report(project) == first


def test_without_the_metrics_cache(project):
    build_report(project, use_cache=False)
    assert not (project.state_dir / "metrics").exists()


def test_measure_all_in_parallel_equals_one_by_one(project):
    items = [(f"f{i}.py", source.encode()) for i, source in enumerate([ORIGINAL, *VARIANTS.values()])]
    assert measure_all(items) == [measure(name, data) for name, data in items]


def test_measure_all_raises_for_the_first_bad_file():
    items = [("a.py", b"x = 1\n"), ("b.py", b"x = = 1\n"), ("c.py", b"def (\n"), ("d.py", b"y = 2\n")]
    with pytest.raises(TrimbenchError, match=r"^b\.py: line 1: invalid syntax$"):
        measure_all(items)


def test_the_original_has_200_lines():
    config = config_module.load(ROOT)
    (row,) = build_report(config, [config.original], use_cache=False).rows  # leave the repository's state alone
    assert row.metrics.lines == 200 and row.is_original


# --- renderers -------------------------------------------------------------------------------------

REQUIRED = {"path", "lines", "code_lines", "comment_lines", "blank_lines", "docstring_lines", "statements",
            "honest_lines", "longest_line", "flags", "saved_vs_original", "saved_vs_previous", "verdict", "winner"}


def test_json(project):
    report = build_report(project, verdicts=given(project, v02=PASS, v03=DIVERGED))
    data = json.loads(to_json(report))
    assert all(REQUIRED <= set(item) for item in data)
    assert [item["winner"] for item in data] == [False, False, True, False]
    assert [item["verdict"] for item in data] == ["unchecked", "unchecked", "bit-exact", "diverged"]
    assert data[1]["flags"] == ["1 `;` between statements (line 3)", "1 one-line block"]
    assert data[2]["saved_vs_original"] == {"lines": 3, "honest_lines": 3, "honest_percent": 50.0}
    assert data[0]["saved_vs_previous"] is None
    assert "sections" not in data[0]


def test_json_sections(project):
    data = to_json_data(build_report(project), sections=True)
    # original: lines 1-2 header (import, blank), 3-8 dataset (comment and the rest)
    assert {k: v for k, v in data[0]["sections"].items() if v} == {"header and imports": 2, "dataset": 6}
    assert data[0]["unsectioned_lines"] == []
    assert all(sum(item["sections"].values()) == item["lines"] for item in data)


def markdown_rows(text: str) -> dict[str, list[str]]:
    """The metrics table's rows by file cell, split into cells."""
    table = [line for line in text.splitlines() if line.startswith("| ")]
    def cells(line: str) -> list[str]:
        return line.removeprefix("| ").removesuffix(" |").split(" | ")

    header = cells(table[0])
    rows = {}
    for line in table[1:]:
        row = cells(line)
        if len(row) == len(header):
            rows[row[0]] = dict(zip(header, row))
        else:
            break  # the sections table
    return rows


def test_markdown_and_json_tell_the_same_story(project):
    report = build_report(project, verdicts=given(project, v01=PASS, v02=PASS))
    rows = markdown_rows(to_markdown(report))
    data = to_json_data(report)
    assert len(rows) == len(data)
    for item, (cell, row) in zip(data, rows.items()):
        assert cell.strip("*").removeprefix("★ ") == item["path"]
        assert (int(row["lines"]), int(row["honest"]), int(row["statements"])) == (
            item["lines"], item["honest_lines"], item["statements"])
        assert cell.startswith("**★") == item["winner"]
    assert to_markdown(report).startswith("**Winner: variants/02_sum.py, 3 honest lines (5 physical), saving 3 honest "
                                          "lines (50.0%) against the original; verdict bit-exact (smoke).**")


def test_markdown_without_a_winner_says_so(project):
    text = to_markdown(build_report(project))
    assert text.startswith("**No winner: no variant has been checked yet")
    assert "★" not in text


def test_markdown_sections(project):
    text = to_markdown(build_report(project), sections=True)
    assert "Lines per section:" in text
    assert "| original/microgpt.py | 2 | 6 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | - |" in text


@pytest.mark.parametrize("wide, columns, flags", [
    pytest.param(False, ["lines", "honest", "saved", "vs prev", "verdict"],
                 "variants/01_crammed.py: 1 `;` between statements; 1 one-line block", id="compact"),
    pytest.param(True, ["code", "comment", "statements", "longest", "MI", "volume", "verdict"],
                 "variants/01_crammed.py: 1 `;` between statements (line 3); 1 one-line block", id="wide"),
])
def test_terminal_table(project, wide, columns, flags):
    report = build_report(project, verdicts=given(project, v02=TEXT, v03=PASS))
    console = Console(file=io.StringIO(), width=250, color_system=None)
    console.print(to_table(report, sections=True, wide=wide))
    text = console.file.getvalue()
    header = text.splitlines()[0].split()
    assert all(column.split()[0] in header for column in columns)
    assert "★ variants/03_tight.py" in text and "text-exact (smoke), not crowned" in text
    assert "Winner: variants/03_tight.py, 3 honest lines (3 physical)" in text
    assert flags in text and "lines per section" in text


def test_chart(project, tmp_path):
    out = tmp_path / "charts" / "lines.png"
    write_chart(build_report(project, verdicts=given(project, v02=PASS)), out)
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert [path.name for path in out.parent.iterdir()] == ["lines.png"]  # no temporary file left behind


def test_svg_chart_is_text_and_the_same_bytes_each_time(project, tmp_path):
    report = build_report(project, verdicts=given(project, v02=PASS))
    write_chart(report, tmp_path / "a.svg")
    write_chart(report, tmp_path / "b.svg")
    text = (tmp_path / "a.svg").read_text(encoding="utf-8")
    assert "<svg" in text and "03_tight" in text  # names kept as text, not as glyph paths
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


@pytest.mark.parametrize(("outcomes", "b_path"), [
    pytest.param({"v02": PASS}, "variants/02_sum.py", id="the winner against the original"),
    pytest.param({"v02": DIVERGED}, None, id="no winner, no diff"),
])
def test_the_winners_diff(project, outcomes, b_path):
    changes = build_report(project, verdicts=given(project, **outcomes)).winner_diff
    if b_path is None:
        assert changes is None
        return
    assert (changes.a.path, changes.b.path) == ("original/microgpt.py", b_path)
    assert (changes.saved, changes.honest_saved) == (3, 3)
    assert changes.lines[:2] == ("--- original/microgpt.py", f"+++ {b_path}") and "+print(sum(docs))" in changes.lines
