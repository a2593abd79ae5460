"""Where a webhook may be sent, and sending it.

Private, loopback, link-local, multicast, reserved and cloud-metadata addresses are refused unless the
deployment allows them (the local stack does, so a receiver on 127.0.0.1 works). The check runs on
the resolved addresses at send time and the connection goes to the address that was checked, so a
DNS answer that changes between check and connect (DNS rebinding) cannot redirect the request.
Redirects are never followed."""

from __future__ import annotations

import http.client
import ipaddress
import os
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from crm.catalogue import ENV_ALLOW_PRIVATE_WEBHOOKS

TIMEOUT_S = 15.0
MAX_URL = 2048
_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}


class TargetRefused(ValueError):
    """The URL may not be called (scheme, host or a forbidden address)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str


@dataclass(frozen=True)
class Outcome:
    status: int | None  # None when no HTTP response arrived
    latency_ms: int
    error: str | None
    retry_after: str | None = None


def private_targets_allowed() -> bool:
    return os.environ.get(ENV_ALLOW_PRIVATE_WEBHOOKS, "").lower() in ("1", "true", "yes")


def parse(url: str) -> Target:
    if not isinstance(url, str) or len(url) > MAX_URL:
        raise TargetRefused(f"must be an http(s) URL of at most {MAX_URL} characters")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http"):
        raise TargetRefused("must use https:// (or http://)")
    if not parts.hostname:
        raise TargetRefused("must include a host name")
    if parts.username or parts.password:
        raise TargetRefused("must not contain credentials")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise TargetRefused("has an invalid port") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname.lower(), port, path)


def _forbidden(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address in _METADATA
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def resolve(target: Target) -> list[str]:
    """The addresses to connect to, refusing forbidden ones unless allowed."""
    try:
        literal = ipaddress.ip_address(target.host.strip("[]"))
        candidates = [literal]
    except ValueError:
        try:
            infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
        except socket.gaierror:
            raise TargetRefused(f"host {target.host} could not be resolved") from None
        candidates = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not private_targets_allowed():
        for address in candidates:
            if _forbidden(address):
                raise TargetRefused(f"{target.host} resolves to a private or reserved address ({address})")
    return list(dict.fromkeys(str(a) for a in candidates))


def check_on_create(url: str) -> None:
    """At subscription time: the URL's form, and literal or resolvable forbidden addresses. A host that
    does not resolve yet is accepted (DNS may go live later); the send-time check still applies."""
    target = parse(url)
    try:
        resolve(target)
    except TargetRefused as refused:
        if "could not be resolved" not in str(refused):
            raise


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
    except (OSError, http.client.HTTPException) as failure:
        return Outcome(None, elapsed(), f"connection failed: {type(failure).__name__}: {failure}"[:300])
    finally:
        connection.close()
