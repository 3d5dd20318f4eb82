"""Server text made safe to show (one short line, no token) and what GitHub's error answers mean."""

from __future__ import annotations

import email.utils
import json
import re
import time

from .model import Answer, GistError

NOTHING = "nothing was published"
MESSAGE_LIMIT = 300  # characters of a server's message that reach the user; a 20 MB message is one short line
SECONDARY_LIMIT_WAIT = 60.0  # GitHub: "otherwise, wait for at least one minute before retrying"
FINE_GRAINED = ("a fine-grained token needs the account permission 'Gists: write'; "
                "a classic token needs the 'gist' scope")
# A message that was cut at the read cap is no longer JSON; its beginning still names the message.
MESSAGE_FIELD = re.compile(r'"message"\s*:\s*"((?:[^"\\]|\\.)*)')


def one_line(text: str) -> str:
    return " ".join(text.split())


def scrub(text: str, secret: str) -> str:
    """`text` without the token: `Bearer <token>` and the token itself become ***.

    A tail that starts the token (a message cut in the middle of it) goes too.
    """
    if not secret:
        return text
    text = text.replace(f"Bearer {secret}", "***").replace(secret, "***")
    for length in range(min(len(secret) - 1, len(text)), 3, -1):
        if text.endswith(secret[:length]):
            return text[:-length] + "***"
    return text


def cut(text: str, limit: int = MESSAGE_LIMIT) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def safe(text: str, secret: str) -> str:
    """Server text as it may be shown: scrubbed first (a cut must not leave half a token), then one short line."""
    return cut(scrub(text, secret))


def github_message(answer: Answer, secret: str = "") -> str:
    """GitHub's error message, with the details of a 422, made safe; the reason phrase when there is none."""
    data = None
    if answer.complete:
        try:
            data = json.loads(answer.body)
        except ValueError:
            data = None
    if isinstance(data, dict) and data.get("message"):
        details = []
        for error in data.get("errors") or ():
            if isinstance(error, dict):
                where = ".".join(str(error[key]) for key in ("resource", "field") if error.get(key))
                what = error.get("message") or error.get("code") or ""
                details.append(": ".join(part for part in (where, str(what)) if part))
            else:
                details.append(str(error))
        return safe(str(data["message"]) + (f" ({'; '.join(details)})" if details else ""), secret)
    found = MESSAGE_FIELD.search(answer.body[:4 * MESSAGE_LIMIT + 4096].decode("utf-8", "replace"))
    if found:
        try:
            text = json.loads(f'"{found.group(1)}"')
        except ValueError:  # the cut fell inside an escape
            text = found.group(1)
        return safe(text, secret)
    return safe(answer.reason, secret) or f"HTTP {answer.status}"


def granted_scopes(answer: Answer) -> frozenset[str] | None:
    """The classic token's scopes from X-OAuth-Scopes; None when the header is absent (a fine-grained token)."""
    value = answer.headers.get("x-oauth-scopes")
    if value is None:
        return None
    return frozenset(scope.strip() for scope in value.split(",") if scope.strip())


def lacks_gist_scope(answer: Answer) -> str | None:
    scopes = granted_scopes(answer)
    if scopes is None or "gist" in scopes:
        return None
    return f"token lacks the gist scope (its scopes: {', '.join(sorted(scopes)) or 'none'})"


def rate_limit_wait(answer: Answer, now: float, attempt: int = 1) -> float | None:
    """Seconds to wait before retrying a rate-limited request; None when the answer is no rate limit.

    GitHub answers 403 or 429. Primary limit: `x-ratelimit-remaining` is 0, retry after the epoch in
    `x-ratelimit-reset`. Secondary limit (a message that says so): `retry-after` seconds if present, else
    the reset when remaining is 0, else at least a minute, doubling with each attempt.
    """
    headers = answer.headers
    exhausted = headers.get("x-ratelimit-remaining") == "0"
    limited = answer.status == 429 or (answer.status == 403 and (
        "retry-after" in headers or exhausted or "rate limit" in github_message(answer).lower()))
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
    if exhausted and reset.isdigit():
        return max(0.0, int(reset) - now)
    return SECONDARY_LIMIT_WAIT * 2 ** (attempt - 1)


def exhausted_until(answer: Answer) -> float | None:
    """The epoch when the primary limit resets, if this answer (even a success) used the last request."""
    reset = answer.headers.get("x-ratelimit-reset", "")
    return float(reset) if answer.headers.get("x-ratelimit-remaining") == "0" and reset.isdigit() else None


def when(seconds: float, now: float) -> str:
    resume = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now + seconds))
    return f"try again after {resume} (in {seconds:.0f} s)"


def status_error(answer: Answer, action: str, gist_id: str | None, secret: str = "", writes: bool = True) -> GistError:
    """The one-line error for a GitHub answer that is neither a success nor a rate limit to wait out.

    `action` names the request ("POST /gists"); `gist_id` is None when the request creates a gist;
    `writes` says whether the request could have written the gist (then a 5xx may have).
    """
    status, message = answer.status, github_message(answer, secret)
    lacking = lacks_gist_scope(answer)
    hint = f"; {FINE_GRAINED}" if granted_scopes(answer) is None else ""
    if status == 401:
        text = f"GitHub rejected the token (401 {message}): it is wrong, expired or revoked"
    elif status in (403, 404) and lacking:
        # GitHub hides gists from a classic token without the scope: 404 even with valid credentials.
        text = f"{action} answered {status} {message}: {lacking}; add the gist scope or use another token"
    elif status == 404 and gist_id is None:
        hint = hint or "; the token has the gist scope: is this GitHub's API URL?"
        text = f"{action} answered 404 {message}: the token may not create gists{hint}"
    elif status == 404:
        text = f"gist {gist_id} not found (404 {message}): check the id; it must belong to the token's owner{hint}"
    elif status == 422:
        text = f"GitHub refused the gist (422 {message})"
    elif status == 403:
        text = f"GitHub refused the request (403 {message}){hint}"
    else:
        outcome = "it may have been written anyway: look at your gists" if writes and status >= 500 else NOTHING
        return GistError(f"GitHub answered {status} {safe(answer.reason, secret)}: {message}; {outcome}", status)
    return GistError(f"{text}; {NOTHING}", status)
