"""Sending a webhook: one POST to the address the guard checked (webhooks.addresses), never to
whatever a second DNS answer says, so DNS rebinding cannot redirect it. TLS still verifies the real
host name (SNI and certificate); redirects are never followed; network trouble becomes the outcome's
error, never an exception."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from webhooks.addresses import Target, TargetRefused, parse, require_https, resolve

TIMEOUT_S = 15.0


@dataclass(frozen=True)
class Outcome:
    status: int | None  # None when no HTTP response arrived
    latency_ms: int
    error: str | None
    retry_after: str | None = None


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, address: str, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, address: str, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


def post(url: str, body: bytes, headers: dict[str, str], timeout: float = TIMEOUT_S) -> Outcome:
    """One POST; never raises for network trouble (it becomes the outcome's error)."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        target = parse(url)
        address = resolve(target)[0]
        require_https(target)
    except TargetRefused as refused:
        return Outcome(None, elapsed(), f"refused: {refused}")
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(address, target, timeout)
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={"Content-Type": "application/json", "User-Agent": "crm-webhooks/1", **headers},
        )
        response = connection.getresponse()
        response.read(64 * 1024)
        status = response.status
        error = None if 200 <= status < 300 else f"HTTP {status} {response.reason}".strip()
        return Outcome(status, elapsed(), error, response.getheader("Retry-After"))
    except TimeoutError:
        return Outcome(None, elapsed(), f"timed out after {timeout:g} s")
    except (OSError, http.client.HTTPException, ValueError) as failure:  # ValueError: http.client's own checks
        return Outcome(None, elapsed(), f"connection failed: {type(failure).__name__}: {failure}"[:300])
    finally:
        connection.close()
