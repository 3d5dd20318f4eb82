"""The gist client: create, read and update a gist, and check that GitHub serves what was sent.

Every failure is a GistError whose message is one line a user can act on, with the HTTP status. The token
goes into one request header to the API and nowhere else: not into messages, reprs, logs or files, and
not to raw_url, which is another host.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Mapping
from urllib.parse import urlsplit

from .. import __version__
from .messages import exhausted_until, github_message, rate_limit_wait, safe, scrub, status_error, when
from .model import Answer, Gist, GistError, Verification
from .rules import (RAW_LIMIT, empty_refusal, gist_url, judge_file, parse_gist, plan_update, request_body,
                    summarize, visibility_refusal)
from .transport import Unanswered, exchange

API_VERSION = "2022-11-28"
MAX_ATTEMPTS = 3  # one request and at most two retries after a rate limit, if the waits fit in max_wait
ANSWER_LIMIT = 64 * 1024 * 1024  # a gist's JSON: at most a megabyte of each file, so this is plenty
ERROR_LIMIT = 64 * 1024  # an error's body: its message is cut to a few hundred characters anyway
MAYBE_WRITTEN = "the gist may have been written anyway: look at your gists before publishing again"


class GistClient:
    """`timeout`: seconds for each request, from connecting to its last byte; `max_wait`: seconds this
    client may spend in all waiting out GitHub's rate limits before it says when to try again."""

    def __init__(self, api_url: str, token: str, timeout: float = 30.0, max_wait: float = 60.0):
        token = token.strip()
        # A newline or a non-ASCII character would make httpx fail with the header value in its message.
        if not token or not all(33 <= ord(char) < 127 for char in token):
            raise GistError("the GitHub token is empty or holds spaces or characters other than printable ASCII")
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout
        self.max_wait = max_wait
        self._token = token
        self._waited = 0.0
        self._exhausted_until: float | None = None  # the primary limit's reset, once an answer used it up

    def __repr__(self) -> str:
        return f"GistClient({self.api_url!r}, token=<hidden>, timeout={self.timeout}, max_wait={self.max_wait})"

    def create(self, files: Mapping[str, str], description: str, public: bool = False) -> Gist:
        """A new gist holding `files`; secret unless `public`."""
        with self._scrubbed():
            self._refuse(empty_refusal(files))
            url = f"{self.api_url}/gists"
            return parse_gist(self._api("POST", url, request_body(files, description, public)), url)

    def fetch(self, gist_id: str) -> Gist:
        """The gist as GitHub holds it now: its visibility and its files' names (content may be truncated)."""
        with self._scrubbed():
            url = gist_url(self.api_url, gist_id)
            return parse_gist(self._api("GET", url, None, gist_id), url, writes=False)

    def update(self, gist_id: str, files: Mapping[str, str], description: str, *, public: bool | None = None,
               current: Gist | None = None) -> Gist:
        """A new revision of the gist holding exactly `files`: a file no longer among them is renamed to the
        one new name (when there is exactly one of each) or deleted. `public`, when given, must be the gist's
        visibility: GitHub cannot change it. `current` is the gist as just fetched; else it is fetched now."""
        with self._scrubbed():
            self._refuse(empty_refusal(files))
            current = current if current is not None else self.fetch(gist_id)
            self._refuse(visibility_refusal(current, public))
            url = gist_url(self.api_url, gist_id)
            body = {"description": description, "files": plan_update(current.names, files)}
            return parse_gist(self._api("PATCH", url, body, gist_id), url)

    def verify(self, gist: Gist, files: Mapping[str, str]) -> Verification:
        """Whether `gist` (as a create or update answered) serves `files` byte for byte: each file is read
        back from its raw_url and its sha256 compared; a copy the answer truncated is never used."""
        with self._scrubbed():
            checks = []
            for name, text in files.items():
                sent, listed = text.encode("utf-8"), gist.file(name)
                raw, problem = None, "was not read"
                if listed is not None and listed.size in (None, len(sent)):
                    raw, problem = self._read_raw(listed.raw_url, len(sent))
                checks.append(judge_file(name, sent, listed, raw, problem))
            return summarize(checks, [name for name in gist.names if name not in files])

    def _read_raw(self, raw_url: str | None, size: int) -> tuple[bytes | None, str]:
        """The bytes at raw_url (one more than `size` at most: enough to see they differ), or why not."""
        if not raw_url or urlsplit(raw_url).scheme not in ("http", "https"):
            return None, "is missing from GitHub's answer"
        if size > RAW_LIMIT:
            return None, "serves at most 10 MB: clone the gist to check it"
        try:  # no Authorization header: raw_url is another host, and a secret gist's raw_url needs none
            answer = exchange("GET", raw_url, headers={"User-Agent": f"trimbench/{__version__}"},
                              timeout=self.timeout, ok_limit=size + 1, error_limit=ERROR_LIMIT)
        except Unanswered as exc:
            return None, f"could not be read ({safe(exc.reason, self._token)})"
        if answer.status != 200:
            return None, f"answered {answer.status}"
        return answer.body, ""

    def _api(self, method: str, url: str, body: dict | None, gist_id: str | None = None) -> Answer:
        """One API request, retried after a rate limit while the waits fit in what is left of max_wait."""
        writes = method != "GET"
        action = f"{method} {urlsplit(url).path}"
        headers = {
            "Authorization": f"Bearer {self._token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": f"trimbench/{__version__}",
        }
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if self._exhausted_until is not None:  # the last answer used the last request: wait for the reset
                self._wait(self._exhausted_until - time.time(), "GitHub's rate limit is used up", final=False)
                self._exhausted_until = None
            try:
                answer = exchange(method, url, headers=headers, json_body=body, timeout=self.timeout,
                                  ok_limit=ANSWER_LIMIT, error_limit=ERROR_LIMIT)
            except Unanswered as exc:
                raise self._unanswered(exc, url, writes) from None
            if 200 <= answer.status < 300:
                self._exhausted_until = exhausted_until(answer)
                return answer
            wait = rate_limit_wait(answer, time.time(), attempt)
            if wait is None:
                raise status_error(answer, action, gist_id, self._token, writes)
            self._wait(wait, f"GitHub rate limit ({github_message(answer, self._token)})",
                       final=attempt == MAX_ATTEMPTS, status=answer.status)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _wait(self, seconds: float, what: str, final: bool, status: int | None = None) -> None:
        """Sleep `seconds` if they fit in what is left of max_wait (and a retry is left), else say when to retry."""
        seconds = max(0.0, seconds)
        if final or self._waited + seconds > self.max_wait:
            raise GistError(f"{what}; nothing was published; {when(seconds, time.time())}", status)
        time.sleep(seconds)
        self._waited += seconds

    def _unanswered(self, exc: Unanswered, url: str, writes: bool) -> GistError:
        outcome = MAYBE_WRITTEN if writes and exc.sent else "nothing was published"
        reason = safe(exc.reason, self._token)
        if not exc.sent and exc.timed_out:
            return GistError(f"no connection to {self.api_url} within {self.timeout:g} s; nothing was published")
        if not exc.sent:
            return GistError(f"cannot reach {self.api_url}: {reason}; nothing was published")
        if exc.timed_out:
            return GistError(f"no complete answer from {url} within {self.timeout:g} s; {outcome}")
        return GistError(f"the connection to {url} broke ({reason}); {outcome}")

    def _refuse(self, reason: str | None) -> None:
        if reason is not None:
            raise GistError(reason)

    @contextlib.contextmanager
    def _scrubbed(self) -> Iterator[None]:
        """Whatever a message was built from, the token leaves with none of them; and each is one short line."""
        try:
            yield
        except GistError as exc:
            raise GistError(scrub(" ".join(str(exc).split()), self._token), exc.status) from None
