"""A diff's renderers (report/terminal, markdown, jsonout): colour only on a terminal without NO_COLOR, text from
files never read as markup, fences no line can close, and the report's --diff in every format."""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.console import Console

from trimbench.diffing import compare
from trimbench.metrics import measure
from trimbench.report import (Report, Row, Saving, collapsed, diff_json_data, diff_markdown, diff_parts, diff_plain,
                              to_json_data, to_markdown, to_table)
from trimbench.report.cells import NO_CHANGE, NO_WINNER_DIFF, WINNER_DIFF_TITLE
from trimbench.report.markdown import code, fence_for
from trimbench.report.terminal import footer
from trimbench.verdict import Outcome, Verdict

BEFORE = "import os\n\n# Let there be an input dataset\ndocs = [1, 2, 3]\nx = 1\ny = 2\nprint(x + y)\n"
AFTER = "import os\n# Let there be an input dataset\ndocs = [1, 2, 3]\nx, y = 1, 2\nprint(x + y)\n"
MARKUP = "[bold]x[/bold] [link=https://example.org]a[/link] [/]"
ESCAPE = "\x1b["


def diff(a: str = BEFORE, b: str = AFTER, a_path: str = "a.py", b_path: str = "b.py"):
    return compare(measure(a_path, a.encode()), a.encode(), measure(b_path, b.encode()), b.encode())


def rendered(found=None, **console_options) -> str:
    out = io.StringIO()
    console = Console(file=out, width=100, highlight=False, **console_options)
    for part in diff_parts(found or diff()):
        console.print(part, soft_wrap=True)
    return out.getvalue()


@pytest.mark.parametrize(("options", "no_color", "escapes"), [
    pytest.param({"force_terminal": True}, False, True, id="a terminal: colour"),
    pytest.param({"force_terminal": True}, True, False, id="a terminal with NO_COLOR: no escape at all"),
    pytest.param({}, False, False, id="not a terminal: no escape at all"),
])
def test_colour_only_on_a_terminal_without_no_color(monkeypatch, options, no_color, escapes):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    text = rendered(**options)
    assert (ESCAPE in text) is escapes
    assert "-x = 1" in re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_additions_green_removals_red():
    text = rendered(force_terminal=True, color_system="standard")
    assert "\x1b[32m+x, y = 1, 2\x1b[0m" in text and "\x1b[31m-y = 2\x1b[0m" in text
    assert "\x1b[33m--- a.py\x1b[0m" in text  # a file header is neither a removal nor an addition


MARKED = BEFORE.replace("y = 2\n", f"y = 2  # {MARKUP}\n")


@pytest.mark.parametrize("render", [
    pytest.param(lambda d: rendered(d, force_terminal=True), id="rich"),
    pytest.param(diff_plain, id="plain"),
    pytest.param(diff_markdown, id="markdown"),
    pytest.param(lambda d: json.dumps(diff_json_data(d)), id="json"),
])
def test_markup_in_a_file_is_shown_as_it_is(render):
    shown = render(diff(MARKED))
    assert MARKUP in re.sub(r"\x1b\[[0-9;]*m", "", shown).replace("\\/", "/")


def test_plain_is_the_summary_an_aligned_table_and_the_diff_as_it_is():
    found = diff()
    text = diff_plain(found)
    lines = text.splitlines()
    assert lines[0] == found.summary() and lines[1] == ""
    assert lines[2].split() == ["section", "before", "after", "saved"]
    assert lines[3].split() == ["header", "and", "imports", "2", "1", "1"]
    assert len({len(line) for line in lines[2:5]}) == 1  # right-aligned: every row as wide as the heading
    assert text.endswith("\n".join(found.lines) + "\n")


def test_no_change_says_so_in_every_text_format():
    same = diff(BEFORE, BEFORE)
    assert same.lines == ()
    assert diff_plain(same).endswith(f"\n{NO_CHANGE}\n")
    assert f"_{NO_CHANGE}_" in diff_markdown(same) and "```" not in diff_markdown(same)
    out = io.StringIO()
    Console(file=out).print(diff_parts(same)[-1])
    assert out.getvalue() == f"{NO_CHANGE}\n"


@pytest.mark.parametrize(("line", "fence"), [
    pytest.param("x = 1", "```", id="no backticks: three"),
    pytest.param("s = '```'", "````", id="a fence in the file: one longer"),
    pytest.param("s = '`````' + '``'", "``````", id="the longest run decides"),
])
def test_the_fence_is_longer_than_any_backtick_run(line, fence):
    found = diff("x = 0\n", f"{line}\n")
    text = diff_markdown(found)
    assert fence_for(found.lines) == fence
    assert f"\n{fence}diff\n--- a.py\n" in text and text.endswith(f"+{line}\n{fence}\n")


def test_markdown_has_the_summary_the_section_table_and_the_diff():
    text = diff_markdown(diff())
    assert text.startswith("**`a.py` -> `b.py`: 7 -> 5 lines (saved 2), honest 5 -> 4 (saved 1)**\n")
    assert "| section | before | after | saved |\n|---|---:|---:|---:|\n| header and imports | 2 | 1 | 1 |\n" in text
    assert "| dataset | 5 | 4 | 1 |" in text


@pytest.mark.parametrize(("text", "span"), [
    pytest.param("a.py", "`a.py`", id="plain"),
    pytest.param("a`b.py", "``a`b.py``", id="a backtick inside"),
    pytest.param("`a.py", "`` `a.py ``", id="a backtick at the edge"),
])
def test_code_spans_hold_any_path(text, span):
    assert code(text) == span


def test_collapsed_escapes_its_summary_and_leaves_blank_lines_for_markdown():
    expected = "<details><summary>a &lt;b&gt; &amp; c</summary>\n\n**x**\n\n</details>\n"
    assert collapsed("a <b> & c", "**x**\n") == expected


def test_json_holds_every_count_and_line():
    data = diff_json_data(diff())
    assert data["a"] == {"path": "a.py", "lines": 7, "honest_lines": 5}
    assert data["saved"] == {"lines": 2, "honest_lines": 1}
    assert data["sections"][0] == {"name": "header and imports", "before": 2, "after": 1, "saved": 1}
    assert data["context"] == 3 and data["diff"] == list(diff().lines)


def report(with_winner: bool) -> Report:
    """The original and one variant, the variant bit-exact (or unchecked) and its diff."""
    original, variant = measure("original/p.py", BEFORE.encode()), measure("variants/01.py", AFTER.encode())
    passed = Verdict(path="variants/01.py", outcome=Outcome.BIT_EXACT, tier="smoke", steps=20,
                     interpreter="CPython 3.11", seconds=1.0) if with_winner else None
    rows = (Row(original, None, True, Saving.between(original, original), None, False),
            Row(variant, passed, False, Saving.between(original, variant), Saving.between(original, variant),
                with_winner))
    changes = compare(original, BEFORE.encode(), variant, AFTER.encode()) if with_winner else None
    return Report(rows, original, changes)


def test_the_reports_markdown_shows_the_winners_diff_collapsed():
    text = to_markdown(report(with_winner=True), diff=True)
    assert f"\n<details><summary>{WINNER_DIFF_TITLE}</summary>\n\n**`original/p.py` -> `variants/01.py`: " in text
    assert "+x, y = 1, 2\n print(x + y)\n```\n\n</details>\n" in text
    assert "<details>" not in to_markdown(report(with_winner=True))  # only when asked


def test_the_reports_markdown_without_a_winner_says_there_is_no_diff():
    text = to_markdown(report(with_winner=False), diff=True)
    assert f"_{NO_WINNER_DIFF}_" in text and "<details>" not in text


@pytest.mark.parametrize("with_winner", [pytest.param(True, id="winner"), pytest.param(False, id="no winner")])
def test_the_reports_json_puts_the_diff_on_the_winner(with_winner):
    data = to_json_data(report(with_winner), diff=True)
    assert [("diff_vs_original" in item) for item in data] == [False, with_winner]
    if with_winner:
        assert data[1]["diff_vs_original"]["b"]["path"] == "variants/01.py"
    assert not any("diff_vs_original" in item for item in to_json_data(report(with_winner)))


def test_the_reports_terminal_footer_ends_with_the_diff_or_says_there_is_none():
    out = io.StringIO()
    Console(file=out, width=200).print(to_table(report(with_winner=True)))
    assert "+x, y = 1, 2" not in out.getvalue()  # only when asked
    assert "\n+x, y = 1, 2\n" in footer(report(with_winner=True), diff=True)[-1].plain
    assert footer(report(with_winner=False), diff=True)[-1].plain == NO_WINNER_DIFF
