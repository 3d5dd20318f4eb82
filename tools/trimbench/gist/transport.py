"""One HTTP exchange under an overall deadline, reading at most a capped number of bytes; the network's only door.

httpx's read timeout restarts with every byte, so a server that trickles a byte a second would hold a
request for ever. A watchdog thread shuts the request's socket down when the deadline passes, whatever
phase the request is in (headers or body); the exchange then fails as a timeout.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Mapping

import httpx

from .model import Answer

CHUNK = 64 * 1024


class Unanswered(Exception):
    """No usable answer. `sent`: the request may have reached the server; `timed_out`: the deadline passed."""

    def __init__(self, reason: str, *, sent: bool, timed_out: bool):
        super().__init__(reason)
        self.reason, self.sent, self.timed_out = reason, sent, timed_out


class Watchdog:
    """Shuts the exchange's socket down once `seconds` have passed, unless `finish` came first."""

    def __init__(self, seconds: float):
        self.fired = False
        self._finished = False
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True

    def start(self) -> None:
        self._timer.start()

    def trace(self, event: str, info: dict) -> None:
        """httpx's `trace` extension: note each new socket (TCP, then TLS over it) as it is made."""
        if event.endswith(("connect_tcp.complete", "start_tls.complete")):
            stream = info.get("return_value")
            with self._lock:
                self._socket = stream.get_extra_info("socket") if stream is not None else None
                if self.fired:
                    self._shut()

    def finish(self) -> bool:
        """Stop watching; True when the deadline passed first (then whatever was read may be cut short)."""
        with self._lock:
            self._finished = True
        self._timer.cancel()
        return self.fired

    def _fire(self) -> None:
        with self._lock:
            if not self._finished:
                self.fired = True
                self._shut()

    def _shut(self) -> None:
        if self._socket is not None:
            try:  # the plain socket call, also on a TLS socket: it wakes a blocked read with end-of-file
                socket.socket.shutdown(self._socket, socket.SHUT_RDWR)
            except OSError:
                pass


def exchange(method: str, url: str, *, headers: Mapping[str, str], timeout: float, json_body: object = None,
             ok_limit: int, error_limit: int) -> Answer:
    """Send one request; read the answer's body up to `ok_limit` bytes (a success) or `error_limit` (else).

    Everything, from connecting to the last byte, happens within `timeout` seconds, else Unanswered.
    """
    watchdog = Watchdog(timeout)
    try:
        # No keep-alive: each exchange has its own connection, so the watchdog always sees the socket it makes.
        with httpx.Client(timeout=timeout, limits=httpx.Limits(max_keepalive_connections=0)) as http:
            watchdog.start()
            with http.stream(method, url, headers={**headers, "Accept-Encoding": "identity"}, json=json_body,
                             extensions={"trace": watchdog.trace}) as response:
                limit = ok_limit if response.is_success else error_limit
                body, complete = read_capped(response, limit)
                headers = {name.lower(): value for name, value in response.headers.items()}
                answer = Answer(response.status_code, response.reason_phrase, headers, body, complete)
    except (httpx.ConnectTimeout, httpx.PoolTimeout):
        watchdog.finish()
        raise Unanswered(f"no connection within {timeout:g} s", sent=False, timed_out=True) from None
    except (httpx.ConnectError, httpx.ProxyError, httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise Unanswered(describe(exc), sent=False, timed_out=watchdog.finish()) from None
    except httpx.HTTPError as exc:  # the request went out; the answer broke off or never came
        if watchdog.finish() or isinstance(exc, httpx.TimeoutException):  # whatever broke, the deadline did it
            raise Unanswered(f"no complete answer within {timeout:g} s", sent=True, timed_out=True) from None
        raise Unanswered(describe(exc), sent=True, timed_out=False) from None
    finally:
        watchdog.finish()
    if watchdog.fired:  # an end-of-file forced by the watchdog can pass for the end of a body
        raise Unanswered(f"no complete answer within {timeout:g} s", sent=True, timed_out=True)
    return answer


def read_capped(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    """At most `limit` bytes of the body, and whether that was all of it; never much more in memory."""
    parts, size = [], 0
    for chunk in response.iter_raw(CHUNK):
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            return b"".join(parts)[:limit], False
    return b"".join(parts), True


def describe(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
