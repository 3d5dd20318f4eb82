"""A small GitHub gist client: create a gist, or publish a new revision of one; nothing else.

Every failure is a GistError whose message is one line a user can act on. The token goes into one
request header and nowhere else: not into messages, reprs, logs or files.
"""

from __future__ import annotations

import email.utils
import os
import shutil
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import httpx

from . import __version__

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
MAX_ATTEMPTS = 3  # one request and at most two retries after a rate limit, if the waits fit in max_wait
SECONDARY_LIMIT_WAIT = 60.0  # GitHub: "otherwise, wait for at least one minute before retrying"


class GistError(Exception):
    """Publishing failed; the message says why in one line. `status` is the HTTP status, if any."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Gist:
    id: str
    html_url: str
    public: bool
    files: tuple[str, ...]
    revision: str | None = None  # the commit of this version, from the gist's history


@dataclass(frozen=True)
class Token:
    value: str = field(repr=False)
    source: str  # where it came from, for messages: "GITHUB_TOKEN", "GH_TOKEN" or "gh auth token"


def find_token(api_url: str = DEFAULT_API_URL, environ: Mapping[str, str] | None = None) -> Token | None:
    """GITHUB_TOKEN, then GH_TOKEN, then `gh auth token` for the API's host when gh is installed."""
    environ = os.environ if environ is None else environ
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        value = environ.get(name, "").strip()
        if value:
            return Token(value, name)
    gh = shutil.which("gh", path=environ.get("PATH"))
    if gh is None:
        return None
    host = urlsplit(api_url).hostname or ""
    host = "github.com" if host == "api.github.com" else host
    try:
        result = subprocess.run([gh, "auth", "token", "--hostname", host], capture_output=True, text=True,
                                timeout=15, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    value = result.stdout.strip()
    return Token(value, "gh auth token") if result.returncode == 0 and value else None


def endpoint(api_url: str, gist_id: str | None = None) -> tuple[str, str]:
    """The method and URL that create a gist (no id) or publish a new revision of one."""
    base = api_url.rstrip("/")
    return ("PATCH", f"{base}/gists/{quote(gist_id, safe='')}") if gist_id else ("POST", f"{base}/gists")


def request_body(files: Mapping[str, str], description: str, public: bool | None = None) -> dict:
    """The JSON body of a create (public given) or an update (public None: visibility cannot change)."""
    body: dict = {"description": description, "files": {name: {"content": text} for name, text in files.items()}}
    if public is not None:
        body["public"] = public
    return body


class GistClient:
    def __init__(self, api_url: str, token: str, timeout: float = 30.0, max_wait: float = 60.0):
        token = token.strip()
        # A newline or a non-ASCII character would make httpx fail with the header value in its message.
        if not token or not all(33 <= ord(char) < 127 for char in token):
            raise GistError("the GitHub token is empty or holds spaces or characters other than printable ASCII")
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout
        self.max_wait = max_wait
        self._token = token

    def __repr__(self) -> str:
        return f"GistClient({self.api_url!r}, token=<hidden>, timeout={self.timeout}, max_wait={self.max_wait})"

    def create(self, files: Mapping[str, str], description: str, public: bool = False) -> Gist:
        return self._send(None, request_body(files, description, public))

    def update(self, gist_id: str, files: Mapping[str, str], description: str) -> Gist:
        return self._send(gist_id, request_body(files, description))

    def _send(self, gist_id: str | None, body: dict) -> Gist:
        method, url = endpoint(self.api_url, gist_id)
        headers = {
            "Authorization": f"Bearer {self._token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": f"trimbench/{__version__}",
        }
        budget = self.max_wait
        with httpx.Client(headers=headers, timeout=self.timeout) as http:
            for attempt in range(1, MAX_ATTEMPTS + 1):
                try:
                    response = http.request(method, url, json=body)
                except httpx.ConnectTimeout:
                    raise GistError(f"no connection to {self.api_url} within {self.timeout:g} s; "
                                    "nothing was published") from None
                except httpx.TimeoutException:
                    raise GistError(f"no answer from {url} within {self.timeout:g} s; the gist may have been "
                                    "written anyway: look at your gists before publishing again") from None
                except (httpx.ConnectError, httpx.ProxyError, httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                    raise GistError(f"cannot reach {self.api_url}: {reason(exc)}; nothing was published") from None
                except httpx.TransportError as exc:  # the request went out, the answer broke off
                    raise GistError(f"the connection to {url} broke ({reason(exc)}); the gist may have been "
                                    "written anyway: look at your gists before publishing again") from None
                if response.is_success:
                    return parse_gist(response, url)
                wait = rate_limit_wait(response, time.time())
                if wait is None:
                    raise status_error(response, method, gist_id)
                if wait > budget or attempt == MAX_ATTEMPTS:
                    resume = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(time.time() + wait))
                    raise GistError(f"GitHub rate limit ({github_message(response)}); nothing was published; "
                                    f"try again after {resume} (in {wait:.0f} s)", response.status_code)
                time.sleep(wait)
                budget -= wait
        raise AssertionError("unreachable: the loop returns or raises")


def one_line(text: str) -> str:
    return " ".join(text.split())


def reason(exc: Exception) -> str:
    return one_line(str(exc)) or type(exc).__name__


def github_message(response: httpx.Response) -> str:
    """GitHub's error message, with the details of a 422; the reason phrase when the body is not JSON."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict) or not data.get("message"):
        return response.reason_phrase or f"HTTP {response.status_code}"
    details = []
    for error in data.get("errors") or ():
        if isinstance(error, dict):
            where = ".".join(str(error[key]) for key in ("resource", "field") if error.get(key))
            what = error.get("message") or error.get("code") or ""
            details.append(": ".join(part for part in (where, str(what)) if part))
        else:
            details.append(str(error))
    message = str(data["message"]) + (f" ({'; '.join(details)})" if details else "")
    return one_line(message)


def rate_limit_wait(response: httpx.Response, now: float) -> float | None:
    """Seconds to wait before retrying a rate-limited request; None when the response is no rate limit.

    GitHub answers 403 or 429: `retry-after` seconds if present, else the `x-ratelimit-reset` epoch when
    `x-ratelimit-remaining` is 0, else at least a minute.
    """
    status, headers = response.status_code, response.headers
    limited = status == 429 or (status == 403 and (
        "retry-after" in headers or headers.get("x-ratelimit-remaining") == "0"
        or "rate limit" in github_message(response).lower()))
    if not limited:
        return None
    retry_after = headers.get("retry-after", "").strip()
    if retry_after:
        if retry_after.isdigit():
            return float(retry_after)
        try:
            return max(0.0, email.utils.parsedate_to_datetime(retry_after).timestamp() - now)
        except (TypeError, ValueError):
            pass
    reset = headers.get("x-ratelimit-reset", "")
    if headers.get("x-ratelimit-remaining") == "0" and reset.isdigit():
        return max(0.0, int(reset) - now)
    return SECONDARY_LIMIT_WAIT


def status_error(response: httpx.Response, method: str, gist_id: str | None) -> GistError:
    status, message = response.status_code, github_message(response)
    if status == 401:
        text = f"GitHub rejected the token (401 {message}): it is wrong, expired or revoked"
    elif status == 404 and gist_id is None:
        text = (f"{method} /gists answered 404 {message}: the token may not create gists; a classic token "
                "needs the 'gist' scope, a fine-grained one the account permission 'Gists: read and write'")
    elif status == 404:
        text = (f"gist {gist_id} not found (404 {message}): check the id; the gist must belong to the "
                "token's owner and the token needs the 'gist' scope")
    elif status == 422:
        text = f"GitHub refused the gist (422 {message})"
    elif status == 403:
        text = f"GitHub refused the request (403 {message})"
    else:
        outcome = "it may have been written anyway: look at your gists" if status >= 500 else "nothing was published"
        return GistError(f"GitHub answered {status} {response.reason_phrase}: {message}; {outcome}", status)
    return GistError(f"{text}; nothing was published", status)


def parse_gist(response: httpx.Response, url: str) -> Gist:
    try:
        data = response.json()
        history = data.get("history") or [{}]
        return Gist(
            id=str(data["id"]),
            html_url=str(data["html_url"]),
            public=bool(data.get("public", False)),
            files=tuple(data.get("files") or ()),
            revision=history[0].get("version"),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        raise GistError(f"{url} answered {response.status_code} without a gist in the reply; "
                        "it may have been written anyway: look at your gists", response.status_code) from None
