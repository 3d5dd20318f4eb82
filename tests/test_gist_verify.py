"""Reading a published gist back: raw_url's sha256 against what was sent; a truncated copy is never taken for it."""

from __future__ import annotations

import pytest

from tests.fake_github import TOKEN
from tests.test_gist import FILES, client
from trimbench.gist import Check
from trimbench.gist import client as client_module

BIG = {"big.py": "# " + "x" * 1_100_000 + "\n", "REPORT.md": "# report\n"}  # over GitHub's 1 MB cut


def no_token_in(github) -> None:
    for request in github.raw_requests:
        assert all(name.lower() != "authorization" for name in request.headers)
        assert TOKEN not in str(request.headers)


def test_a_published_gist_is_verified_through_raw_url_without_the_token(github):
    gist_client = client(github.url)
    gist = gist_client.create(FILES, "d")
    verification = gist_client.verify(gist, FILES)
    assert verification.check is Check.VERIFIED and verification.verified
    assert verification.why == "GitHub serves microgpt.py, REPORT.md byte for byte as sent (sha256)"
    assert {check.name: check.check for check in verification.files} == dict.fromkeys(FILES, Check.VERIFIED)
    assert sorted(request.path.rsplit("/", 1)[1] for request in github.raw_requests) == sorted(FILES)
    no_token_in(github)


def test_a_file_over_a_megabyte_comes_back_truncated_and_is_verified_from_raw_url(github):
    gist_client = client(github.url)
    gist = gist_client.create(BIG, "d")
    listed = gist.file("big.py")
    assert listed.truncated and listed.size == len(BIG["big.py"])
    assert len(listed.content) == 1024 * 1024 < len(BIG["big.py"])  # what the answer holds is only a prefix
    verification = gist_client.verify(gist, BIG)
    assert verification.check is Check.VERIFIED
    assert verification.files[0].why == "raw_url serves big.py with the sha256 that was sent"


def tamper(github) -> None:
    for blob in github.blobs:
        github.blobs[blob] = b"print('tampered')\n"


def lose(github) -> None:
    github.blobs.clear()


@pytest.mark.parametrize(("files", "truncate_at", "after", "check", "why"), [
    pytest.param(BIG, 1024 * 1024, lose, Check.NOT_VERIFIED, "big.py could not be verified: GitHub's answer "
                 "truncated it, and raw_url answered 404", id="truncated-and-raw-url-unreadable"),
    pytest.param({"a.py": "a" * 100}, 64, lambda github: github.answer(200, "a" * 100, trickle=0.05),
                 Check.NOT_VERIFIED, "a.py could not be verified: GitHub's answer truncated it, and raw_url could "
                 "not be read (no complete answer within 1 s)", id="truncated-and-raw-url-trickles"),
    pytest.param({"a.py": "a\n"}, 1024 * 1024, lose, Check.VERIFIED, "GitHub's whole copy of a.py has the sha256 that "
                 "was sent (raw_url answered 404)", id="whole-copy-and-raw-url-unreadable"),
    pytest.param({"a.py": "print('original')\n"}, 1024 * 1024, tamper, Check.DIFFERS,
                 "raw_url serves other bytes for a.py (sha256", id="raw-url-serves-other-bytes"),
    pytest.param({"a.py": "a\n"}, 1024 * 1024, tamper, Check.DIFFERS, "raw_url serves other bytes for a.py",
                 id="raw-url-serves-more-bytes"),
])
def test_what_raw_url_serves_decides(github, files, truncate_at, after, check, why):
    github.truncate_at = truncate_at
    gist_client = client(github.url, timeout=1.0)
    gist = gist_client.create(files, "d")
    after(github)
    verification = gist_client.verify(gist, files)
    assert verification.check is check
    assert why in verification.files[0].why
    no_token_in(github)


@pytest.mark.parametrize(("sent", "check", "why"), [
    pytest.param({"a.py": "a\n", "b.py": "b\n"}, Check.DIFFERS, "b.py is not in the gist", id="a-file-is-missing"),
    pytest.param({"a.py": "longer\n"}, Check.DIFFERS, "GitHub holds 2 bytes of a.py, 7 were sent", id="sizes-differ"),
    pytest.param({}, Check.DIFFERS, "the gist also holds a.py", id="a-file-was-not-sent"),
])
def test_a_gist_that_does_not_hold_what_was_sent_differs(github, sent, check, why):
    gist_client = client(github.url)
    gist = gist_client.create({"a.py": "a\n"}, "d")
    verification = gist_client.verify(gist, sent)
    assert (verification.check, verification.why) == (check, why)


def test_a_file_bigger_than_raw_url_serves_is_not_verified(github, monkeypatch):
    monkeypatch.setattr(client_module, "RAW_LIMIT", 50)
    github.truncate_at = 10
    gist_client = client(github.url)
    gist = gist_client.create({"a.py": "a" * 60}, "d")
    verification = gist_client.verify(gist, {"a.py": "a" * 60})
    assert verification.check is Check.NOT_VERIFIED
    assert "raw_url serves at most 10 MB: clone the gist to check it" in verification.why
    assert github.raw_requests == []


def test_a_renamed_variant_verifies_with_no_file_left_behind(github):
    gist_client = client(github.url)
    first = gist_client.create({"old.py": "a\n", "REPORT.md": "r\n"}, "d")
    wanted = {"new.py": "b\n", "REPORT.md": "s\n"}
    verification = gist_client.verify(gist_client.update(first.id, wanted, "d"), wanted)
    assert verification.check is Check.VERIFIED
    assert set(github.gists[first.id]["files"]) == set(wanted)
