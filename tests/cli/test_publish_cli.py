"""`trimbench publish` end to end, against the loopback FakeGitHub of tests/fake_github.py.

Every run goes through run_cli(), which also asserts that the token appears nowhere: not on stdout,
not on stderr, not in any file under the project.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time

import pytest

from tests.fake_github import BAD_CREDENTIALS, NOT_FOUND, PRIMARY_LIMIT, SECONDARY_LIMIT, TOKEN, VALIDATION
from tests.projects import make_project
from trimbench import publish
from trimbench.check import CheckOptions, run_checks
from trimbench.cli import main

ORIGINAL = "import random\nrandom.seed(2)\n\n# the model\nnum_steps = 3\nx = 0.0\nfor step in range(num_steps):\n" \
           "    x = x + random.random()\n    print(f'step {step + 1} x {x:.3f}')\n"
VARIANT = "import random\nrandom.seed(2)\nnum_steps, x = 3, 0.0\nfor step in range(num_steps):\n" \
          "    x = x + random.random()\n    print(f'step {step + 1} x {x:.3f}')\n"
PY = ["--python", sys.executable]


def judge_full(root, *paths):
    """Real full-tier verdicts, cached as `trimbench check --tier full` caches them."""
    from trimbench import config as config_module

    return run_checks(config_module.load(root), list(paths), CheckOptions(tier="full", python=sys.executable))


@pytest.fixture
def project(tmp_path, monkeypatch):
    made = make_project(tmp_path / "project", ORIGINAL, original="original/microgpt.py")
    made.record()
    variant = made.variant("01_short.py", VARIANT)
    assert judge_full(made.root, variant)[0].outcome.value == "bit-exact"
    monkeypatch.chdir(made.root)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("PATH", str(tmp_path / "no-gh-here") + ":" + os.environ.get("PATH", ""))
    return made.root


def run_cli(capsys, project, *argv: str) -> tuple[int, str, str]:
    code = main(["publish", *argv, *PY])
    out, err = capsys.readouterr()
    assert TOKEN not in out and TOKEN not in err
    for path in project.rglob("*"):
        assert not path.is_file() or TOKEN.encode() not in path.read_bytes(), path
    return code, out, err


def record(project) -> dict | None:
    return publish.remembered(project / ".trimbench")


def test_creates_a_secret_gist_and_prints_its_address(github, project, capsys):
    code, out, err = run_cli(capsys, project, "variants/01_short.py", "--api-url", github.url)
    assert code == 0
    (request,) = [r for r in github.requests if r.method == "POST"]
    assert request.path == "/gists" and request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.body["public"] is False
    gist = github.gists[record(project)["gist_id"]]
    assert gist["files"]["microgpt.py"]["content"] == VARIANT
    report = gist["files"]["REPORT.md"]["content"]
    assert "**bit-exact**" in report and "| tier | full (3 steps) |" in report
    assert "| compared | 3 lines, 3 formatted floats and the final RNG state |" in report
    assert hashlib.sha256(VARIANT.encode()).hexdigest() in report
    assert hashlib.sha256(ORIGINAL.encode()).hexdigest() in report
    assert "## Verify it yourself" in report and "trimbench check --tier full --strict microgpt.py" in report
    assert str(project.parent) not in report  # paths relative to the project: no home folder in a shared report
    assert out == f"{gist['html_url']}\n"
    assert "created secret gist" in err and "read back: verified" in err


def test_without_a_variant_the_reports_winner_is_published(github, project, capsys):
    code, out, _ = run_cli(capsys, project, "--api-url", github.url)
    assert code == 0
    (gist,) = github.gists.values()
    assert gist["public"] is False
    assert gist["files"]["microgpt.py"]["content"] == (project / "variants" / "01_short.py").read_text()
    assert out == f"{gist['html_url']}\n"
    report = gist["files"]["REPORT.md"]["content"]
    assert "| original/microgpt.py |" in report and "★ variants/01_short.py" in report


def test_without_a_variant_or_a_winner(project, capsys):
    for entry in (project / ".trimbench" / "verdicts").rglob("*.json"):
        entry.unlink()
    code, _, err = run_cli(capsys, project)
    assert code == 2
    assert "no VARIANT named, and the report has no winner: No winner: no variant has been checked yet" in err


def test_public_and_filename(github, project, capsys):
    code, _, _ = run_cli(capsys, project, "01_short", "--public", "--filename", "tiny.py", "--api-url", github.url)
    assert code == 0
    assert github.requests[0].body["public"] is True
    assert set(github.requests[0].body["files"]) == {"tiny.py", "REPORT.md"}


def test_an_update_that_renames_the_variant_leaves_no_old_file(github, project, capsys):
    assert run_cli(capsys, project, "01_short", "--filename", "old.py", "--api-url", github.url)[0] == 0
    assert run_cli(capsys, project, "01_short", "--filename", "new.py", "--update", "--api-url", github.url)[0] == 0
    (gist,) = github.gists.values()
    assert set(gist["files"]) == {"new.py", "REPORT.md"} and gist["files"]["new.py"]["content"] == VARIANT


def test_update_patches_the_remembered_gist(github, project, capsys):
    assert run_cli(capsys, project, "01_short", "--api-url", github.url)[0] == 0
    first = record(project)
    code, out, _ = run_cli(capsys, project, "01_short", "--update", "--api-url", github.url + "/")
    assert code == 0
    request = github.requests[-1]
    assert (request.method, request.path) == ("PATCH", f"/gists/{first['gist_id']}")
    assert "public" not in request.body
    assert out == f"{first['html_url']}\n"
    assert record(project)["gist_id"] == first["gist_id"]


def test_gist_id_patches_that_gist(github, project, capsys):
    github.gists["feedbeef"] = {"id": "feedbeef", "public": True, "files": {}}
    code, _, _ = run_cli(capsys, project, "01_short", "--gist", "feedbeef", "--api-url", github.url)
    assert code == 0
    assert [r.method for r in github.requests] == ["GET", "PATCH"] and github.requests[-1].path == "/gists/feedbeef"
    assert record(project)["gist_id"] == "feedbeef"


@pytest.mark.parametrize(("status", "body", "headers", "expected"), [
    pytest.param(401, BAD_CREDENTIALS, {}, "GitHub rejected the token (401 Bad credentials): it is wrong, expired or "
                 "revoked; nothing was published (the token came from GITHUB_TOKEN)", id="401"),
    pytest.param(404, NOT_FOUND, {}, "a classic token needs the 'gist' scope", id="404-no-gist-scope"),
    pytest.param(422, VALIDATION, {}, "GitHub refused the gist (422 Validation Failed (Gist.files: missing_field))",
                 id="422"),
    pytest.param(403, PRIMARY_LIMIT, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(time.time()) + 3600)},
                 "GitHub rate limit (API rate limit exceeded for user ID 1.); nothing was published; try again after",
                 id="403-rate-limit"),
    pytest.param(429, SECONDARY_LIMIT, {"retry-after": "90"}, "(in 90 s)", id="429-retry-after-too-long"),
])
def test_publishing_failures_are_one_line_and_leave_nothing(github, project, capsys, status, body, headers, expected):
    github.answer(status, body, headers)
    code, out, err = run_cli(capsys, project, "01_short", "--api-url", github.url, "--max-wait", "1")
    assert code == 1
    assert out == ""
    assert err.startswith("trimbench: publish failed: ") and err.count("\n") == 1
    assert expected in err
    assert record(project) is None


def test_retry_after_is_honoured(github, project, capsys):
    github.answer(429, SECONDARY_LIMIT, {"retry-after": "1"})
    code, out, _ = run_cli(capsys, project, "01_short", "--api-url", github.url, "--max-wait", "3")
    assert code == 0
    assert [r.method for r in github.requests] == ["POST", "POST"]
    assert out.startswith("https://gist.example/")


def test_unreachable(closed_port_url, project, capsys):
    code, _, err = run_cli(capsys, project, "01_short", "--api-url", closed_port_url)
    assert code == 1
    assert f"trimbench: publish failed: cannot reach {closed_port_url}" in err
    assert record(project) is None


def test_timeout(github, project, capsys):
    github.delay = 1.0
    code, _, err = run_cli(capsys, project, "01_short", "--api-url", github.url, "--timeout", "0.2")
    assert code == 1
    assert "within 0.2 s; the gist may have been written anyway" in err
    assert record(project) is None


def test_dry_run_sends_nothing_and_writes_the_body(github, project, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN")
    code, out, _ = run_cli(capsys, project, "01_short", "--dry-run", "--api-url", github.url)
    assert code == 0
    assert github.requests == []
    body = json.loads((project / ".trimbench" / "publish-request.json").read_text())
    assert body["public"] is False
    assert body["files"]["microgpt.py"]["content"] == VARIANT
    assert out.splitlines() == [
        f"dry run: would POST {github.url}/gists: a secret gist",
        f"description: {body['description']}",
        f"  microgpt.py  {len(VARIANT):>8,} bytes",
        f"  REPORT.md    {len(body['files']['REPORT.md']['content'].encode()):>8,} bytes",
        "request body written to .trimbench/publish-request.json",
    ]
    assert record(project) is None


def test_with_chart_adds_the_svg_and_names_it_in_the_report(github, project, capsys):
    code, _, err = run_cli(capsys, project, "01_short", "--with-chart", "--api-url", github.url)
    assert code == 0, err
    (gist,) = github.gists.values()
    assert set(gist["files"]) == {"microgpt.py", "REPORT.md", "chart.svg"}
    svg = gist["files"]["chart.svg"]["content"]
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "01_short" in svg
    assert "`chart.svg` in this gist draws these lines" in gist["files"]["REPORT.md"]["content"]
    assert "read back: verified" in err  # the chart is read back and hashed like the other files


def test_the_report_shows_the_diff_against_the_original_collapsed(github, project, capsys):
    assert run_cli(capsys, project, "01_short", "--api-url", github.url)[0] == 0
    (gist,) = github.gists.values()
    report = gist["files"]["REPORT.md"]["content"]
    start = report.index("<details><summary>What changed: the diff against the original</summary>\n\n")
    section = report[start:report.index("</details>\n", start)]
    assert "**`original/microgpt.py` -> `variants/01_short.py`: 9 -> 6 lines (saved 3)" in section
    assert "\n".join(["-", "-# the model", "-num_steps = 3", "-x = 0.0", "+num_steps, x = 3, 0.0",
                      " for step in range(num_steps):"]) in section
    assert section.count("```diff\n") == 1 and section.rstrip().endswith("\n```")


def test_no_token(project, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN")
    code, _, err = run_cli(capsys, project, "01_short")
    assert code == 2
    assert err == ("trimbench: error: no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token with the gist "
                   "scope, or log in with `gh auth login`\n")


def test_a_diverging_variant_is_refused_after_its_full_check(github, project, capsys):
    (project / "variants" / "02_bad.py").write_text(VARIANT.replace("random.seed(2)", "random.seed(3)"))
    code, _, err = run_cli(capsys, project, "02_bad", "--api-url", github.url)
    assert code == 1
    first, last = err.splitlines()[0], err.splitlines()[-1]
    assert first.startswith("trimbench: no trusted full-tier verdict for variants/02_bad.py: running the full check "
                            "(about 0 s, the time the original took)")
    assert last.startswith("trimbench: not published: variants/02_bad.py is diverged in the full tier (line 1 differs)")
    assert last.endswith("only a variant that is bit-exact in the full tier can be published")
    assert github.requests == []


@pytest.mark.parametrize("checked", [pytest.param("smoke", id="a-smoke-verdict-is-not-enough"),
                                     pytest.param(None, id="never-checked")])
def test_without_a_trusted_full_verdict_the_full_check_runs(github, project, capsys, checked):
    other = project / "variants" / "03_unchecked.py"
    other.write_text(VARIANT + "\n")
    if checked:
        main(["check", str(other), *PY])
        capsys.readouterr()
    code, _, err = run_cli(capsys, project, "03_unchecked", "--api-url", github.url)
    assert code == 0
    assert "no trusted full-tier verdict for variants/03_unchecked.py: running the full check" in err
    (sent,) = [request for request in github.requests if request.method == "POST"]
    assert "**bit-exact**" in sent.body["files"]["REPORT.md"]["content"]


@pytest.mark.parametrize(("argv", "expected"), [
    pytest.param(["99_missing"], "no variant '99_missing': neither a file nor one in variants/", id="missing"),
    pytest.param(["01_short", "--filename", "REPORT.md"], "the gist's REPORT.md already has that name",
                 id="report-name"),
    pytest.param(["01_short", "--filename", "a/b.py"], "cannot be empty or hold a slash", id="slash"),
    pytest.param(["01_short", "--filename", "gistfile1.txt"], "GitHub keeps gistfileN names", id="gistfile"),
    pytest.param(["01_short", "--update"], "--update: nothing was published from this project yet",
                 id="nothing-to-update"),
    pytest.param(["01_short", "--gist", "abc", "--public"], "GitHub cannot change a gist's visibility",
                 id="public-update"),
])
def test_usage_errors(project, capsys, argv, expected):
    code, _, err = run_cli(capsys, project, *argv)
    assert code == 2
    assert expected in err


def test_update_refuses_another_api_url(github, project, capsys):
    assert run_cli(capsys, project, "01_short", "--api-url", github.url)[0] == 0
    code, _, err = run_cli(capsys, project, "01_short", "--update")
    assert code == 2
    assert f"--update: the last gist went to {github.url}, not https://api.github.com" in err


@pytest.mark.parametrize("argv", [
    pytest.param(["--api-url", "ftp://example"], id="api-url-scheme"),
    pytest.param(["--gist", "a", "--update"], id="gist-and-update"),
    pytest.param(["--timeout", "soon"], id="timeout"),
])
def test_argument_errors_exit_2(project, capsys, argv):
    assert run_cli(capsys, project, "01_short", *argv)[0] == 2


def test_help_documents_the_remembered_gist(capsys):
    assert main(["publish", "--help"]) == 0
    out = capsys.readouterr().out
    assert ".trimbench/published.json" in out and "--update" in out and "GITHUB_TOKEN" in out


def test_no_check_refuses_rather_than_publishing_unproven(github, project, capsys):
    (project / "variants" / "03_unchecked.py").write_text(VARIANT + "\n")
    code, _, err = run_cli(capsys, project, "03_unchecked", "--no-check", "--api-url", github.url)
    assert code == 2 and "has no trusted full-tier verdict, and nothing unproven is published" in err
    assert github.requests == []


def test_a_text_exact_variant_only_with_allow_text_exact(github, project, capsys):
    text_exact = ORIGINAL.replace("random.random()", "random.random() * (1 + 2 ** -52)")  # the same text, other bits
    (project / "variants" / "04_close.py").write_text(text_exact)
    code, _, err = run_cli(capsys, project, "04_close", "--api-url", github.url)
    assert code == 1 and "publish it with --allow-text-exact, on purpose" in err and github.requests == []
    code, _, _ = run_cli(capsys, project, "04_close", "--allow-text-exact", "--api-url", github.url)
    assert code == 0 and "**text-exact**" in github.requests[0].body["files"]["REPORT.md"]["content"]
