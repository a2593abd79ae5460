"""Where a webhook may be sent: the address guard (sending is in webhooks.transport).

Private, loopback, link-local, multicast, reserved and cloud-metadata addresses are refused unless the
deployment allows them (the local stack does, so a receiver on 127.0.0.1 works). The check runs on
the resolved addresses at send time and the connection goes to the address that was checked, so a
DNS answer that changes between check and connect (DNS rebinding) cannot redirect the request.
Redirects are never followed.

The URL is parsed strictly: whatever arrives, the outcome is a Target or TargetRefused (whose message is
shown to the subscriber), never another exception. Hosts are normalised to what is actually contacted:
IDN names to their ASCII (punycode) form, IPv4 in the legacy forms resolvers accept (`2130706433`,
`0x7f.1`, `127.1`, `0177.0.0.1`) to dotted quads, IPv6 to its compressed form. An address is allowed only
when it is globally routable, and an IPv4 address embedded in an IPv6 one (mapped, compatible, 6to4,
Teredo, NAT64) is judged too."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import socket
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from crm.catalogue import ENV_ALLOW_PRIVATE_WEBHOOKS

MAX_URL = 2048
MAX_HOST = 253

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_METADATA = {
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254", "fd00:ec2::23")
}
# Not globally reachable, though some Python versions' `is_global` says otherwise.
_NOT_GLOBAL = tuple(
    ipaddress.ip_network(n)
    for n in (
        "192.0.0.0/24",  # IETF protocol assignments
        "192.88.99.0/24",  # deprecated 6to4 relay anycast
        "3fff::/20",  # documentation
        "64:ff9b:1::/48",  # local-use NAT64: the embedding depends on the operator's prefix length
    )
)
# Forms that carry an IPv4 address in their low 32 bits: a connection to them reaches that IPv4 address.
_LOW32_EMBEDDINGS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "::ffff:0:0/96",  # IPv4-mapped
        "::/96",  # IPv4-compatible (deprecated); also :: and ::1
        "::ffff:0:0:0/96",  # IPv4-translated (SIIT)
        "64:ff9b::/96",  # NAT64 well-known prefix
    )
)
_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")
# Not allowed anywhere in the URL: controls (C0, DEL, C1), format characters (bidi overrides, zero-width),
# lone surrogates and every kind of space or line break.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"})
_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")
_NUMERIC_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*")
_PORT = re.compile(r"[0-9]{1,5}")
_PATH_SAFE = "".join(chr(c) for c in range(0x21, 0x7F))  # printable ASCII stays, anything else is %-encoded


class TargetRefused(ValueError):
    """The URL may not be called (scheme, host or a forbidden address)."""


class TargetUnresolved(TargetRefused):
    """The host name does not resolve (yet): refused when sending, tolerated when subscribing."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # ASCII: a lower-case DNS name without trailing dot, a dotted-quad IPv4 or a compressed IPv6
    port: int
    path: str  # the request target: path and query, printable ASCII


def private_targets_allowed() -> bool:
    return os.environ.get(ENV_ALLOW_PRIVATE_WEBHOOKS, "").lower() in ("1", "true", "yes")


def parse(url: str) -> Target:
    """The URL's parts, strictly checked; TargetRefused for anything that is not a plain http(s) URL.
    Surrounding whitespace is ignored (the subscription stores the URL stripped), inner whitespace is not."""
    if not isinstance(url, str) or len(url) > MAX_URL:
        raise TargetRefused(f"must be an http(s) URL of at most {MAX_URL} characters")
    url = url.strip()
    if any(unicodedata.category(c) in _REFUSED_CATEGORIES for c in url):
        raise TargetRefused("must not contain spaces or control characters")
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced bracket, a bracketed non-address, a netloc that normalises to / ? # @ :
        raise TargetRefused("is not a valid URL") from None
    if parts.scheme not in ("https", "http"):
        raise TargetRefused("must use https:// (or http://)")
    if "@" in parts.netloc:
        raise TargetRefused("must not contain credentials")
    host, port = _host_and_port(parts.netloc, 443 if parts.scheme == "https" else 80)
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=_PATH_SAFE)
    return Target(parts.scheme, host, port, path)


def _host_and_port(netloc: str, default_port: int) -> tuple[str, int]:
    if netloc.startswith("["):
        literal, bracket, rest = netloc[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            raise TargetRefused("has an invalid IPv6 address")
        host = _ipv6_literal(literal)
    else:
        if "[" in netloc or "]" in netloc:
            raise TargetRefused("has an invalid IPv6 address")
        name, colon, port_text = netloc.partition(":")
        rest = colon + port_text
        host = _host_name(name)
    return host, _port(rest[1:], default_port) if rest else default_port


def _port(text: str, default: int) -> int:
    if not text:  # "https://example.com:/" is the default port (RFC 3986)
        return default
    if not _PORT.fullmatch(text) or not 1 <= int(text) <= 65535:
        raise TargetRefused("has an invalid port (use a number from 1 to 65535)")
    return int(text)


def _ipv6_literal(literal: str) -> str:
    if "%" in literal:
        raise TargetRefused("has an invalid IPv6 address (zone identifiers are not allowed)")
    try:
        return str(ipaddress.IPv6Address(literal))
    except ValueError:
        raise TargetRefused("has an invalid IPv6 address") from None


def _host_name(name: str) -> str:
    if not name:
        raise TargetRefused("must include a host name")
    if "%" in name:
        raise TargetRefused("must not percent-encode the host name")
    if name.isascii():
        host = name.lower()
    else:
        import idna  # IDNA 2008 + UTS 46, as browsers do (and the Domain property type)

        try:
            host = idna.encode(name, uts46=True).decode("ascii").lower()
        except (UnicodeError, ValueError):  # idna.IDNAError is a UnicodeError
            raise TargetRefused("has an invalid international host name") from None
    host = host.removesuffix(".")  # the root: "example.com." is "example.com"
    if not host:
        raise TargetRefused("must include a host name")
    if len(host) > MAX_HOST:
        raise TargetRefused(f"has a host name longer than {MAX_HOST} characters")
    labels = host.split(".")
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        # A name ending in a number is an IPv4 address, in any form resolvers accept: 127.1, 0x7f.1, 2130706433.
        try:
            return socket.inet_ntoa(socket.inet_aton(host))
        except (OSError, ValueError):
            raise TargetRefused("has an invalid IPv4 address") from None
    if any(len(label) > 63 for label in labels):
        raise TargetRefused("has a host name label longer than 63 characters")
    if not all(_LABEL.fullmatch(label) for label in labels):
        raise TargetRefused("has an invalid host name")
    return host


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address leads to (6to4 relay, Teredo server and client)."""
    found = [address.sixtofour] if address.sixtofour else []
    if address.teredo:
        found += address.teredo
    return found


def _forbidden(address: IPAddress) -> bool:
    """Whether an address may not be called: anything not globally routable, multicast, cloud metadata, and
    IPv6 addresses that embed such an IPv4 address or lie outside global unicast (2000::/3)."""
    if address in _METADATA or any(address in network for network in _NOT_GLOBAL):
        return True
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return True
        for embedding in _LOW32_EMBEDDINGS:
            if address in embedding:
                return _forbidden(ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF))
        if address not in _GLOBAL_UNICAST or any(_forbidden(ipv4) for ipv4 in _embedded_ipv4(address)):
            return True
    return address.is_multicast or not address.is_global


def _local_name(host: str) -> bool:
    return host == "localhost" or host.endswith(".localhost")  # RFC 6761: always loopback


def resolve(target: Target) -> list[str]:
    """The addresses to connect to, refusing forbidden ones unless allowed. TargetUnresolved when the host
    name has no address."""
    allowed = private_targets_allowed()
    try:
        candidates: list[IPAddress] = [ipaddress.ip_address(target.host.strip("[]"))]
        literal = True
    except ValueError:
        if not allowed and _local_name(target.host):
            raise TargetRefused(f"{target.host} is a local address") from None
        candidates, literal = _lookup(target), False
    if not allowed:
        for address in candidates:
            if _forbidden(address):
                where = "is" if literal else f"{target.host} resolves to"
                raise TargetRefused(f"{where} a private or reserved address ({address})")
    return list(dict.fromkeys(str(a) for a in candidates))


def _lookup(target: Target) -> list[IPAddress]:
    unresolved = TargetUnresolved(f"host {target.host} could not be resolved")
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):  # socket.gaierror is an OSError; the idna codec refuses some names
        raise unresolved from None
    candidates: list[IPAddress] = []
    for family, _, _, _, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        try:
            candidates.append(ipaddress.ip_address(sockaddr[0]))
        except ValueError:
            raise unresolved from None
    if not candidates:
        raise unresolved
    return candidates


def require_https(target: Target) -> None:
    """Events carry customer data: in the cloud they travel over TLS only. Plain http is for the local
    stack, whose receivers listen on loopback."""
    if target.scheme != "https" and not private_targets_allowed():
        raise TargetRefused("must use https:// (plain http is only allowed on the local stack)")


def check_on_create(url: str) -> None:
    """At subscription time: the URL's form and scheme, and literal or resolvable forbidden addresses. A
    host that does not resolve yet is accepted (DNS may go live later); the send-time check still
    applies."""
    target = parse(url)
    with contextlib.suppress(TargetUnresolved):
        resolve(target)
    require_https(target)
