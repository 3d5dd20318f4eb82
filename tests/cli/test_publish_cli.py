"""`trimbench publish` end to end, against the loopback FakeGitHub of tests/fake_github.py.

Every run goes through run_cli(), which also asserts that the token appears nowhere: not on stdout,
not on stderr, not in any file under the project.
"""

from __future__ import annotations

import hashlib
import json
import time

import pytest

from tests.fake_github import BAD_CREDENTIALS, NOT_FOUND, PRIMARY_LIMIT, SECONDARY_LIMIT, TOKEN, VALIDATION
from trimbench import publish
from trimbench.cache import VerdictCache
from trimbench.cli import main
from trimbench.verdict import Divergence, Outcome, Verdict

ORIGINAL = "import random\n\n# the model\nnum_steps = 1000\nfor step in range(num_steps):\n    pass\nprint('done')\n"
VARIANT = "num_steps = 1000\nfor step in range(num_steps): pass\nprint('done')\n"


def seed(root, text: str, outcome: Outcome = Outcome.BIT_EXACT, tier: str = "full", **fields) -> None:
    verdict = Verdict(path="variants/01_short.py", outcome=outcome, tier=tier, steps=1000,
                      interpreter="PyPy 7.3.11 (Python 3.9.16) x86_64", seconds=37.6, **fields)
    source = text.encode()
    VerdictCache(root / ".trimbench").put(hashlib.sha256(source).hexdigest(), f"key-{tier}-{outcome.value}", verdict)


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.trimbench]\noriginal = "original/microgpt.py"\n')
    (tmp_path / "original").mkdir()
    (tmp_path / "original" / "microgpt.py").write_text(ORIGINAL)
    (tmp_path / "variants").mkdir()
    (tmp_path / "variants" / "01_short.py").write_text(VARIANT)
    seed(tmp_path, VARIANT)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("PATH", str(tmp_path / "no-gh-here"))
    return tmp_path


def run_cli(capsys, project, *argv: str) -> tuple[int, str, str]:
    code = main(["publish", *argv])
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
    (request,) = github.requests
    assert (request.method, request.path) == ("POST", "/gists")
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.body["public"] is False
    gist = github.gists[record(project)["gist_id"]]
    assert gist["files"]["microgpt.py"]["content"] == VARIANT
    report = gist["files"]["REPORT.md"]["content"]
    assert "**bit-exact**" in report and "| tier | full (1,000 steps) |" in report
    assert hashlib.sha256(VARIANT.encode()).hexdigest() in report
    assert hashlib.sha256(ORIGINAL.encode()).hexdigest() in report
    assert out == f"{gist['html_url']}\n"
    assert "created secret gist" in err


def test_without_a_variant_the_reports_winner_is_published(github, project, capsys):
    code, out, _ = run_cli(capsys, project, "--api-url", github.url)
    assert code == 0
    (gist,) = github.gists.values()
    assert gist["public"] is False
    assert gist["files"]["microgpt.py"]["content"] == (project / "variants" / "01_short.py").read_text()
    assert out == f"{gist['html_url']}\n"
    report = gist["files"]["REPORT.md"]["content"]
    assert "**Winner: variants/01_short.py" in report
    assert "| original/microgpt.py |" in report


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


def test_no_token(project, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN")
    code, _, err = run_cli(capsys, project, "01_short")
    assert code == 2
    assert err == ("trimbench: error: no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token with the gist "
                   "scope, or log in with `gh auth login`\n")


def test_a_diverging_variant_is_refused(github, project, capsys):
    diverging = project / "variants" / "02_bad.py"
    diverging.write_text("print('other')\n")
    seed(project, "print('other')\n", Outcome.DIVERGED, detail="line 4 differs",
         first_divergence=Divergence(4, "step 1 | loss 3.3660", "step 1 | loss 3.3661", 1))
    code, _, err = run_cli(capsys, project, "02_bad", "--api-url", github.url)
    assert code == 1
    assert err == ("trimbench: not published: variants/02_bad.py is diverged in the full tier (line 4 differs); "
                   "expected 'step 1 | loss 3.3660', got 'step 1 | loss 3.3661'; only a variant that is bit-exact "
                   "or text-exact in the full tier can be published\n")
    assert github.requests == []


def test_without_a_cached_full_verdict_the_full_check_runs(github, project, capsys, monkeypatch):
    other = project / "variants" / "03_unchecked.py"
    other.write_text(VARIANT + "\n")
    seed(project, VARIANT + "\n", Outcome.BIT_EXACT, tier="smoke")  # a smoke verdict is not enough
    checked = []

    def check_full(config, path, progress):
        checked.append(path)
        return Verdict(path="variants/03_unchecked.py", outcome=Outcome.TEXT_EXACT, tier="full", steps=1000,
                       interpreter="CPython 3.11.7 x86_64", seconds=317.0)

    monkeypatch.setattr(publish, "check_full", check_full)
    code, _, err = run_cli(capsys, project, "03_unchecked", "--api-url", github.url)
    assert code == 0
    assert checked == [other]
    assert "no full-tier verdict cached for variants/03_unchecked.py; running the full check" in err
    assert "**text-exact**" in github.requests[0].body["files"]["REPORT.md"]["content"]


@pytest.mark.parametrize(("argv", "expected"), [
    pytest.param(["99_missing"], "no variant '99_missing': neither a file nor one in variants/", id="missing"),
    pytest.param(["01_short", "--filename", "REPORT.md"], "the gist's REPORT.md already has that name", id="report-name"),
    pytest.param(["01_short", "--filename", "a/b.py"], "cannot be empty or hold a slash", id="slash"),
    pytest.param(["01_short", "--filename", "gistfile1.txt"], "GitHub keeps gistfileN names", id="gistfile"),
    pytest.param(["01_short", "--update"], "--update: nothing was published from this project yet", id="nothing-to-update"),
    pytest.param(["01_short", "--gist", "abc", "--public"], "GitHub cannot change a gist's visibility", id="public-update"),
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
