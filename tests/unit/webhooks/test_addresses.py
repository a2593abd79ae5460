"""Specifications for where a webhook may be sent: the target URL parser and the address guard.

Whatever a subscriber types as a webhook URL, the outcome is a Target or a TargetRefused whose message is
shown to them (never another exception, which would be a 500), and no address that is not globally
routable is called unless the deployment allows private targets (the local stack does). Nothing here
touches the network: name resolution is replaced by a fake resolver."""

from __future__ import annotations

import ipaddress
import re
import socket
import string
import zlib

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crm.catalogue import ENV_ALLOW_PRIVATE_WEBHOOKS
from webhooks import addresses, transport
from webhooks.addresses import Target, TargetRefused, TargetUnresolved, check_on_create, parse, resolve

FAST = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

PUBLIC_V4 = "93.184.215.14"
PUBLIC_V6 = "2606:2800:21f:cb07:6820:80da:af6b:8b2c"
FAKE_DNS = {
    "example.com": [PUBLIC_V4, PUBLIC_V6],
    "hooks.example.com": [PUBLIC_V4],
    "localhost": ["127.0.0.1", "::1"],
    "internal.example": ["10.0.0.5"],
    "metadata.example": ["169.254.169.254"],
    "cgnat.example": ["100.100.100.200"],
    "rebind.example": [PUBLIC_V4, "127.0.0.1"],  # one forbidden answer is enough to refuse
    "mapped.example": ["::ffff:127.0.0.1"],
    "sixtofour.example": ["2002:a00:1::1"],
}


def fake_getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    if host not in FAKE_DNS:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return [
        (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (a, port, 0, 0))
        if ":" in a
        else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
        for a in FAKE_DNS[host]
    ]


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", _no_connections)


def _no_connections(*args, **kwargs):
    raise AssertionError("a unit test tried to connect")


@pytest.fixture
def public_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """As deployed: private targets are not allowed."""
    monkeypatch.delenv(ENV_ALLOW_PRIVATE_WEBHOOKS, raising=False)


@pytest.fixture
def private_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """As the local stack runs: a receiver on 127.0.0.1 may be called."""
    monkeypatch.setenv(ENV_ALLOW_PRIVATE_WEBHOOKS, "true")


def teredo(server: str, client: str, flags: int = 0x8000, port: int = 0x1234) -> ipaddress.IPv6Address:
    """A Teredo address (2001::/32): server IPv4, flags, obfuscated port and obfuscated client IPv4."""
    obfuscated = int(ipaddress.IPv4Address(client)) ^ 0xFFFF_FFFF
    value = 0x2001_0000 << 96 | int(ipaddress.IPv4Address(server)) << 64 | flags << 48 | port << 32 | obfuscated
    return ipaddress.IPv6Address(value)


def sixtofour(ipv4: str) -> ipaddress.IPv6Address:
    return ipaddress.IPv6Address(0x2002 << 112 | int(ipaddress.IPv4Address(ipv4)) << 80 | 1)


def nat64(ipv4: str) -> ipaddress.IPv6Address:
    return ipaddress.IPv6Address(int(ipaddress.IPv6Address("64:ff9b::")) | int(ipaddress.IPv4Address(ipv4)))


# --- malformed URLs: refused whatever the deployment allows ---------------------------------------------------

MALFORMED = [
    # IPv6 literals and brackets
    pytest.param("http://[::1/", id="ipv6-unclosed-bracket"),
    pytest.param("http://[::1", id="ipv6-unclosed-bracket-at-end"),
    pytest.param("http://::1]/", id="ipv6-unopened-bracket"),
    pytest.param("http://[zz]/", id="ipv6-not-hex"),
    pytest.param("http://[]/", id="ipv6-empty-brackets"),
    pytest.param("http://[::1]x/", id="ipv6-junk-after-bracket"),
    pytest.param("http://[::1]]/", id="ipv6-double-closing-bracket"),
    pytest.param("http://[[::1]]/", id="ipv6-double-opening-bracket"),
    pytest.param("http://[example.com]/", id="bracketed-host-name"),
    pytest.param("http://[127.0.0.1]/", id="bracketed-ipv4"),
    pytest.param("http://[v1.fe]/", id="bracketed-ipvfuture"),
    pytest.param("http://[fe80::1%25eth0]/", id="ipv6-zone-id"),
    pytest.param("http://::1/", id="ipv6-without-brackets"),
    pytest.param("http://exa]mple.com/", id="stray-bracket-in-name"),
    pytest.param("http://example.com:[80]/", id="bracket-in-port"),
    # host names
    pytest.param("http://a..example.com/", id="empty-label"),
    pytest.param("http://.example.com/", id="leading-dot"),
    pytest.param("http://example.com../", id="two-trailing-dots"),
    pytest.param("http://./", id="trailing-dot-only-host"),
    pytest.param("http://../", id="dots-only-host"),
    pytest.param(f"http://{'a' * 64}.example.com/", id="label-of-64-characters"),
    pytest.param(f"http://{'.'.join(['a' * 63] * 4)}/", id="host-of-255-characters"),
    pytest.param(f"http://{'.'.join(['a' * 49] * 5)}.info/", id="host-of-254-characters"),
    pytest.param("http://-example.com/", id="label-starting-with-hyphen"),
    pytest.param("http://example-.com/", id="label-ending-with-hyphen"),
    pytest.param("http://exa*mple.com/", id="asterisk-in-name"),
    pytest.param("http://good.com\\evil.com/", id="backslash-in-name"),
    pytest.param("http://exa'mple.com/", id="quote-in-name"),
    pytest.param("http://%65xample.com/", id="percent-encoded-host"),
    pytest.param("http://127.0.0.%31/", id="percent-encoded-ipv4"),
    pytest.param("http://example.com%2F.evil.net/", id="percent-encoded-slash-in-host"),
    pytest.param("http://ex%00ample.com/", id="percent-encoded-nul-in-host"),
    # non-ASCII hosts that are not valid IDNA
    pytest.param("http://i\u2764.ws/", id="idna-emoji"),
    pytest.param("http://\u0301example.com/", id="idna-leading-combining-mark"),
    pytest.param("http://ex_\u00e4mple.com/", id="idna-underscore"),
    pytest.param("http://\u00e4\u00e4\u00e4\u00e4.example\u3002\u3002com/", id="idna-empty-label-fullwidth-dots"),
    pytest.param("http://" + "\u00e4" * 64 + ".example/", id="idna-label-too-long"),
    pytest.param("http://exa\ufe13mple.com/", id="idna-presentation-colon"),
    pytest.param("http://\uff05\uff16\uff15xample.com/", id="idna-fullwidth-percent"),
    # spaces, controls and invisible characters anywhere
    pytest.param("http://exa mple.com/", id="space-in-host"),
    pytest.param("https://example.com/a b", id="space-in-path"),
    pytest.param("https://example.com/?q=a b", id="space-in-query"),
    pytest.param("http://example.com\x00.evil.net/", id="nul-in-host"),
    pytest.param("https://example.com/hook\x00", id="nul-at-end"),
    pytest.param("\x00https://example.com/", id="nul-at-start"),
    pytest.param("http://exa\tmple.com/", id="tab-in-host"),
    pytest.param("http://exa\nmple.com/", id="newline-in-host"),
    pytest.param("https://example.com/\r\nX-Injected: 1", id="crlf-header-injection"),
    pytest.param("http://example.com\x7f/", id="del-in-host"),
    pytest.param("http://example.com\x85/", id="c1-control-in-host"),
    pytest.param("http://exa\u00a0mple.com/", id="no-break-space-in-host"),
    pytest.param("http://example.com\u3000/", id="ideographic-space-in-host"),
    pytest.param("http://exa\u200bmple.com/", id="zero-width-space-in-host"),
    pytest.param("http://moc.elpmaxe\u202e/", id="bidi-override-in-host"),
    pytest.param("https://example.com/a\u2028b", id="line-separator-in-path"),
    pytest.param("https://example.com/\ufeff", id="byte-order-mark-in-path"),
    pytest.param("https://example.com/\ud800", id="lone-surrogate-in-path"),
    pytest.param("http://exa\ud800mple.com/", id="lone-surrogate-in-host"),
    # ports
    pytest.param("http://example.com:0/", id="port-0"),
    pytest.param("http://example.com:65536/", id="port-65536"),
    pytest.param("http://example.com:99999/", id="port-99999"),
    pytest.param("http://example.com:123456/", id="port-six-digits"),
    pytest.param("http://example.com:http/", id="port-not-numeric"),
    pytest.param("http://example.com:-1/", id="port-negative"),
    pytest.param("http://example.com:+80/", id="port-with-sign"),
    pytest.param("http://example.com:8_0/", id="port-with-underscore"),
    pytest.param("http://example.com:80:80/", id="port-twice"),
    pytest.param("http://example.com:\uff18\uff10/", id="port-fullwidth-digits"),
    pytest.param("http://example.com:\u0668\u0660/", id="port-arabic-digits"),
    pytest.param("http://example.com:0x50/", id="port-hex"),
    pytest.param("http://[2606:4700::1111]:0/", id="ipv6-port-0"),
    pytest.param("http://[2606:4700::1111]:70000/", id="ipv6-port-out-of-range"),
    # IPv4-looking hosts that are no address
    pytest.param("http://1.2.3.4.5/", id="ipv4-five-parts"),
    pytest.param("http://256.0.0.1/", id="ipv4-octet-out-of-range"),
    pytest.param("http://4294967296/", id="ipv4-integer-out-of-range"),
    pytest.param("http://08.0.0.1/", id="ipv4-bad-octal"),
    pytest.param("http://0x/", id="ipv4-empty-hex"),
    pytest.param("http://0xg.1/", id="ipv4-bad-hex"),
    pytest.param("http://example.123/", id="name-ending-in-a-number"),
    pytest.param("http://example.0x10/", id="name-ending-in-a-hex-number"),
    # schemes, credentials, missing hosts, lengths
    pytest.param("ftp://example.com/hook", id="scheme-ftp"),
    pytest.param("file:///etc/passwd", id="scheme-file"),
    pytest.param("javascript:alert(1)", id="scheme-javascript"),
    pytest.param("gopher://example.com:70/", id="scheme-gopher"),
    pytest.param("//example.com/hook", id="scheme-relative"),
    pytest.param("example.com/hook", id="no-scheme"),
    pytest.param("", id="empty"),
    pytest.param("https://", id="scheme-only"),
    pytest.param("https:///hook", id="no-host"),
    pytest.param("https:example.com/hook", id="no-slashes"),
    pytest.param("http://:80/", id="port-without-host"),
    pytest.param("http://user:secret@example.com/", id="credentials"),
    pytest.param("http://@example.com/", id="empty-credentials"),
    pytest.param("http://evil.com\\@good.com/", id="backslash-before-at"),
    pytest.param("https://example.com/" + "a" * 2048, id="url-too-long"),
]


@pytest.mark.usefixtures("public_only")
@pytest.mark.parametrize("url", MALFORMED)
def test_given_a_malformed_url_when_subscribing_then_it_is_refused_with_a_short_message(url):
    with pytest.raises(TargetRefused) as refused:
        check_on_create(url)

    assert 0 < len(str(refused.value)) <= 120
    with pytest.raises(TargetRefused):
        parse(url)


@pytest.mark.usefixtures("private_allowed")
@pytest.mark.parametrize("url", MALFORMED)
def test_given_private_targets_allowed_when_a_malformed_url_arrives_then_it_is_still_refused(url):
    with pytest.raises(TargetRefused):
        check_on_create(url)


@pytest.mark.parametrize("value", [None, b"https://example.com/", 42, ["https://example.com/"]])
def test_given_a_value_that_is_no_string_when_parsing_then_it_is_refused(value):
    with pytest.raises(TargetRefused):
        parse(value)  # type: ignore[arg-type]


@pytest.mark.usefixtures("public_only")
@pytest.mark.parametrize(
    ("url", "detail"),
    [
        ("ftp://example.com/", "must use https:// (or http://)"),
        ("http://example.com:0/", "has an invalid port (use a number from 1 to 65535)"),
        ("http://example.com:65536/", "has an invalid port (use a number from 1 to 65535)"),
        ("http://example.com:http/", "has an invalid port (use a number from 1 to 65535)"),
        ("http://[::1/", "is not a valid URL"),
        ("http://[::1]x/", "has an invalid IPv6 address"),
        ("http://exa mple.com/", "must not contain spaces or control characters"),
        ("http://%65xample.com/", "must not percent-encode the host name"),
        ("http://a..example.com/", "has an invalid host name"),
        (f"http://{'a' * 64}.com/", "has a host name label longer than 63 characters"),
        ("http://i\u2764.ws/", "has an invalid international host name"),
        ("http://1.2.3.4.5/", "has an invalid IPv4 address"),
        ("http://u:p@example.com/", "must not contain credentials"),
        ("http://./", "must include a host name"),
        ("http://127.1/", "is a private or reserved address (127.0.0.1)"),
        ("http://internal.example/", "internal.example resolves to a private or reserved address (10.0.0.5)"),
    ],
)
def test_given_a_refused_url_when_subscribing_then_the_detail_says_why(url, detail):
    with pytest.raises(TargetRefused, match=f"^{re.escape(detail)}$"):
        check_on_create(url)


# --- addresses that are not globally routable: refused as deployed --------------------------------------------

FORBIDDEN_URLS = [
    pytest.param("http://127.0.0.1:9/hook", id="loopback"),
    pytest.param("http://127.255.255.254/", id="loopback-range"),
    pytest.param("http://10.0.0.1/", id="private-10"),
    pytest.param("http://172.16.0.1/", id="private-172"),
    pytest.param("http://192.168.1.1/", id="private-192"),
    pytest.param("http://169.254.169.254/latest/meta-data", id="metadata-aws"),
    pytest.param("http://100.100.100.200/", id="metadata-alibaba-shared-space"),
    pytest.param("http://100.64.0.1/", id="shared-address-space"),
    pytest.param("http://198.18.0.1/", id="benchmarking"),
    pytest.param("http://192.0.0.1/", id="ietf-protocol-assignments"),
    pytest.param("http://192.0.0.8/", id="ietf-protocol-assignments-outside-slash-29"),
    pytest.param("http://192.0.2.1/", id="documentation-1"),
    pytest.param("http://198.51.100.1/", id="documentation-2"),
    pytest.param("http://203.0.113.1/", id="documentation-3"),
    pytest.param("http://0.0.0.0/", id="this-network"),
    pytest.param("http://0/", id="this-network-as-integer"),
    pytest.param("http://255.255.255.255/", id="broadcast"),
    pytest.param("http://240.0.0.1/", id="reserved-class-e"),
    pytest.param("http://224.0.0.1/", id="multicast-ipv4"),
    pytest.param("http://239.255.255.250:1900/", id="multicast-ssdp"),
    # IPv4 in the legacy forms resolvers accept
    pytest.param("http://2130706433/", id="loopback-as-integer"),
    pytest.param("http://0x7f000001/", id="loopback-as-hex-integer"),
    pytest.param("http://0x7f.1/", id="loopback-hex-two-parts"),
    pytest.param("http://0X7F.0.0.1/", id="loopback-upper-case-hex"),
    pytest.param("http://127.1/", id="loopback-two-parts"),
    pytest.param("http://127.0.1/", id="loopback-three-parts"),
    pytest.param("http://0177.0.0.1/", id="loopback-octal"),
    pytest.param("http://017700000001/", id="loopback-octal-integer"),
    pytest.param("http://127.0.0.1./", id="loopback-trailing-dot"),
    pytest.param("http://0xa9fea9fe/", id="metadata-as-hex-integer"),
    pytest.param("http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/", id="loopback-fullwidth-digits"),
    pytest.param("http://127\u30020\u30020\u30021/", id="loopback-ideographic-dots"),
    # IPv6
    pytest.param("http://[::1]/hook", id="ipv6-loopback"),
    pytest.param("http://[0:0:0:0:0:0:0:1]/", id="ipv6-loopback-long-form"),
    pytest.param("http://[::]/", id="ipv6-unspecified"),
    pytest.param("http://[fe80::1]/", id="ipv6-link-local"),
    pytest.param("http://[fc00::1]/", id="ipv6-unique-local"),
    pytest.param("http://[fd00:ec2::254]/", id="ipv6-metadata-aws"),
    pytest.param("http://[ff02::1]/", id="ipv6-multicast"),
    pytest.param("http://[fec0::1]/", id="ipv6-site-local"),
    pytest.param("http://[2001:db8::1]/", id="ipv6-documentation"),
    pytest.param("http://[100::1]/", id="ipv6-discard"),
    pytest.param("http://[4000::1]/", id="ipv6-outside-global-unicast"),
    pytest.param("http://[::ffff:127.0.0.1]/", id="ipv4-mapped-loopback"),
    pytest.param("http://[::ffff:7f00:1]/", id="ipv4-mapped-loopback-hex"),
    pytest.param("http://[::ffff:169.254.169.254]/", id="ipv4-mapped-metadata"),
    pytest.param("http://[::127.0.0.1]/", id="ipv4-compatible-loopback"),
    pytest.param("http://[::10.0.0.1]/", id="ipv4-compatible-private"),
    pytest.param("http://[::ffff:0:127.0.0.1]/", id="ipv4-translated-loopback"),
    pytest.param("http://[2002:7f00:1::]/", id="6to4-loopback"),
    pytest.param("http://[2002:a9fe:a9fe::1]/", id="6to4-metadata"),
    pytest.param(f"http://[{teredo('8.8.8.8', '127.0.0.1')}]/", id="teredo-client-loopback"),
    pytest.param(f"http://[{teredo('10.0.0.1', '8.8.8.8')}]/", id="teredo-server-private"),
    pytest.param("http://[64:ff9b::7f00:1]/", id="nat64-loopback"),
    pytest.param("http://[64:ff9b::169.254.169.254]/", id="nat64-metadata"),
    pytest.param("http://[64:ff9b:1::a00:1]/", id="nat64-local-use"),
    # names: reserved for loopback, or resolving to forbidden addresses
    pytest.param("http://localhost/hook", id="localhost"),
    pytest.param("http://LocalHost./", id="localhost-mixed-case-trailing-dot"),
    pytest.param("http://api.localhost:8080/", id="localhost-subdomain"),
    pytest.param("http://internal.example/", id="name-resolving-to-private"),
    pytest.param("http://metadata.example/", id="name-resolving-to-metadata"),
    pytest.param("http://cgnat.example/", id="name-resolving-to-shared-space"),
    pytest.param("http://rebind.example/", id="name-resolving-to-public-and-loopback"),
    pytest.param("http://mapped.example/", id="name-resolving-to-mapped-loopback"),
    pytest.param("http://sixtofour.example/", id="name-resolving-to-6to4-private"),
]


@pytest.mark.usefixtures("public_only")
@pytest.mark.parametrize("url", FORBIDDEN_URLS)
def test_given_private_targets_not_allowed_when_a_url_reaches_a_non_global_address_then_it_is_refused(url):
    with pytest.raises(TargetRefused) as refused:
        check_on_create(url)

    assert not isinstance(refused.value, TargetUnresolved)


@pytest.mark.usefixtures("public_only")
@pytest.mark.parametrize("url", FORBIDDEN_URLS)
def test_given_private_targets_not_allowed_when_sending_to_a_non_global_address_then_nothing_connects(url):
    outcome = transport.post(url, b"{}", {})

    assert outcome.status is None
    assert outcome.error.startswith("refused: ")


# --- accepted URLs -------------------------------------------------------------------------------------------

ACCEPTED = [
    pytest.param("https://8.8.8.8/", Target("https", "8.8.8.8", 443, "/"), id="public-ipv4"),
    pytest.param("https://1.1.1.1/dns-query", Target("https", "1.1.1.1", 443, "/dns-query"), id="public-ipv4-https"),
    pytest.param("https://134744072/", Target("https", "8.8.8.8", 443, "/"), id="public-ipv4-as-integer"),
    pytest.param("https://[2606:4700::1111]/", Target("https", "2606:4700::1111", 443, "/"), id="public-ipv6"),
    pytest.param(
        "https://[2606:4700:0:0:0:0:0:1111]:8443/h",
        Target("https", "2606:4700::1111", 8443, "/h"),
        id="public-ipv6-long-form-with-port",
    ),
    pytest.param("https://[::ffff:8.8.8.8]/", Target("https", "::ffff:808:808", 443, "/"), id="ipv4-mapped-public"),
    pytest.param("https://[64:ff9b::8.8.8.8]/", Target("https", "64:ff9b::808:808", 443, "/"), id="nat64-public"),
    pytest.param("https://[2002:808:808::1]/", Target("https", "2002:808:808::1", 443, "/"), id="6to4-public"),
    pytest.param(
        "https://example.com:8443/x?y=1", Target("https", "example.com", 8443, "/x?y=1"), id="name-port-query"
    ),
    pytest.param("https://example.com", Target("https", "example.com", 443, "/"), id="no-path"),
    pytest.param("https://example.com:/", Target("https", "example.com", 443, "/"), id="empty-port"),
    pytest.param("https://example.com:00443/", Target("https", "example.com", 443, "/"), id="port-leading-zeros"),
    pytest.param("https://example.com:65535/", Target("https", "example.com", 65535, "/"), id="port-65535"),
    pytest.param("https://example.com:1/", Target("https", "example.com", 1, "/"), id="port-1"),
    pytest.param("https://example.com/hook#section", Target("https", "example.com", 443, "/hook"), id="fragment"),
    pytest.param("https://example.com/?", Target("https", "example.com", 443, "/"), id="empty-query"),
    pytest.param("HTTPS://Hooks.Example.COM./In", Target("https", "hooks.example.com", 443, "/In"), id="case-dot"),
    pytest.param("  https://example.com/hook\n", Target("https", "example.com", 443, "/hook"), id="surrounded"),
    pytest.param("https://b\u00fccher.example/", Target("https", "xn--bcher-kva.example", 443, "/"), id="idn-host"),
    pytest.param(
        "https://B\u00dcCHER.example/", Target("https", "xn--bcher-kva.example", 443, "/"), id="idn-host-upper-case"
    ),
    pytest.param(
        "https://\u4f8b\u3048.\u30c6\u30b9\u30c8/",
        Target("https", "xn--r8jz45g.xn--zckzah", 443, "/"),
        id="idn-host-japanese",
    ),
    pytest.param(
        "https://\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com/",
        Target("https", "example.com", 443, "/"),
        id="fullwidth-host",
    ),
    pytest.param("https://xn--bcher-kva.example/", Target("https", "xn--bcher-kva.example", 443, "/"), id="punycode"),
    pytest.param("https://my_hooks.example.com/", Target("https", "my_hooks.example.com", 443, "/"), id="underscore"),
    pytest.param(
        "https://example.com/\u00fcber?q=\u00e9&r=%20",
        Target("https", "example.com", 443, "/%C3%BCber?q=%C3%A9&r=%20"),
        id="non-ascii-path-percent-encoded",
    ),
    pytest.param(
        f"https://{'a' * 63}.example.com/", Target("https", f"{'a' * 63}.example.com", 443, "/"), id="label-of-63"
    ),
    pytest.param(
        f"https://{'.'.join(['a' * 49] * 5)}.com./",
        Target("https", f"{'.'.join(['a' * 49] * 5)}.com", 443, "/"),
        id="host-of-253-characters",
    ),
    pytest.param("https://unresolved.example/", Target("https", "unresolved.example", 443, "/"), id="not-yet-in-dns"),
]


@pytest.mark.usefixtures("public_only")
@pytest.mark.parametrize(("url", "expected"), ACCEPTED)
def test_given_a_public_url_when_subscribing_then_it_is_accepted_and_normalised(url, expected):
    check_on_create(url)

    assert parse(url) == expected


@pytest.mark.usefixtures("public_only")
@pytest.mark.parametrize("url", ["http://8.8.8.8/", "http://example.com/hook", "http://[2606:4700::1111]:8080/"])
def test_given_a_public_http_url_when_subscribing_or_sending_in_the_cloud_then_https_is_required(url):
    with pytest.raises(TargetRefused, match="must use https://"):
        check_on_create(url)
    outcome = transport.post(url, b"{}", {})
    assert outcome.status is None and "must use https://" in (outcome.error or "")


@pytest.mark.usefixtures("private_allowed")
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8080/hook", Target("http", "127.0.0.1", 8080, "/hook")),
        ("http://localhost:3000/", Target("http", "localhost", 3000, "/")),
        ("http://[::1]:9000/", Target("http", "::1", 9000, "/")),
        ("http://10.0.0.1/", Target("http", "10.0.0.1", 80, "/")),
        ("http://127.1:9/", Target("http", "127.0.0.1", 9, "/")),
        ("http://host.docker.internal:8080/", Target("http", "host.docker.internal", 8080, "/")),
        ("http://internal.example/", Target("http", "internal.example", 80, "/")),
    ],
)
def test_given_private_targets_allowed_when_a_receiver_is_local_then_it_is_accepted(url, expected):
    check_on_create(url)

    assert parse(url) == expected


@pytest.mark.usefixtures("private_allowed")
def test_given_private_targets_allowed_when_resolving_loopback_then_the_checked_address_is_returned():
    assert resolve(parse("http://127.0.0.1:8080/hook")) == ["127.0.0.1"]
    assert resolve(parse("http://localhost/")) == ["127.0.0.1", "::1"]


# --- resolution ---------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("public_only")
def test_given_a_public_name_when_resolving_then_every_checked_address_is_returned_once():
    assert resolve(parse("https://example.com/")) == [PUBLIC_V4, PUBLIC_V6]


@pytest.mark.usefixtures("public_only")
def test_given_a_name_that_does_not_resolve_when_sending_then_it_is_refused_but_subscribing_accepts_it():
    with pytest.raises(TargetUnresolved, match="could not be resolved"):
        resolve(parse("https://unresolved.example/"))

    check_on_create("https://unresolved.example/")


@pytest.mark.usefixtures("public_only")
@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(socket.gaierror(socket.EAI_AGAIN, "Temporary failure"), id="gaierror"),
        pytest.param(UnicodeError("label empty or too long"), id="idna-codec"),
        pytest.param(OSError("resolver broke"), id="oserror"),
    ],
)
def test_given_a_resolver_failure_when_resolving_then_the_target_is_unresolved(monkeypatch, failure):
    def failing(*args, **kwargs):
        raise failure

    monkeypatch.setattr(socket, "getaddrinfo", failing)

    with pytest.raises(TargetUnresolved):
        resolve(parse("https://example.com/"))


@pytest.mark.usefixtures("public_only")
def test_given_a_resolver_with_no_answer_when_sending_then_it_is_refused_not_an_index_error(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: [])

    outcome = transport.post("https://example.com/", b"{}", {})

    assert outcome.error == "refused: host example.com could not be resolved"


@pytest.mark.usefixtures("public_only")
@pytest.mark.parametrize("url", [pytest.param(p.values[0], id=p.id) for p in MALFORMED[:20]])
def test_given_a_malformed_stored_url_when_sending_then_the_attempt_is_refused_not_raised(url):
    outcome = transport.post(url, b"{}", {})

    assert outcome.status is None and outcome.error.startswith("refused: ")


# --- the address guard itself -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        pytest.param(sixtofour("127.0.0.1"), id="6to4-loopback"),
        pytest.param(ipaddress.ip_address("2002:7f00:1::"), id="6to4-loopback-literal"),
        pytest.param(sixtofour("10.1.2.3"), id="6to4-private"),
        pytest.param(sixtofour("169.254.169.254"), id="6to4-metadata"),
        pytest.param(teredo("8.8.8.8", "127.0.0.1"), id="teredo-client-loopback"),
        pytest.param(teredo("192.168.0.1", "8.8.8.8"), id="teredo-server-private"),
        pytest.param(teredo("8.8.8.8", "1.1.1.1"), id="teredo-global-embedded"),  # Teredo itself is not global
        pytest.param(nat64("127.0.0.1"), id="nat64-loopback"),
        pytest.param(nat64("100.100.100.200"), id="nat64-shared-space"),
        pytest.param(ipaddress.ip_address("64:ff9b:1::808:808"), id="nat64-local-use"),
        pytest.param(ipaddress.ip_address("::ffff:127.0.0.1"), id="mapped-loopback"),
        pytest.param(ipaddress.ip_address("::ffff:10.0.0.1"), id="mapped-private"),
        pytest.param(ipaddress.ip_address("::ffff:0:127.0.0.1"), id="translated-loopback"),
        pytest.param(ipaddress.ip_address("::127.0.0.1"), id="compatible-loopback"),
        pytest.param(ipaddress.ip_address("::192.168.0.1"), id="compatible-private"),
        pytest.param(ipaddress.ip_address("100.64.0.0"), id="shared-space-first"),
        pytest.param(ipaddress.ip_address("100.127.255.255"), id="shared-space-last"),
        pytest.param(ipaddress.ip_address("100.100.100.200"), id="metadata-alibaba"),
        pytest.param(ipaddress.ip_address("169.254.169.254"), id="metadata-aws"),
        pytest.param(ipaddress.ip_address("169.254.170.2"), id="metadata-ecs"),
        pytest.param(ipaddress.ip_address("198.18.0.1"), id="benchmarking"),
        pytest.param(ipaddress.ip_address("198.19.255.255"), id="benchmarking-last"),
        pytest.param(ipaddress.ip_address("192.0.0.1"), id="ietf-protocol-assignments"),
        pytest.param(ipaddress.ip_address("192.0.0.170"), id="nat64-discovery"),
        pytest.param(ipaddress.ip_address("192.88.99.1"), id="6to4-relay-anycast"),
        pytest.param(ipaddress.ip_address("0.0.0.0"), id="this-host"),
        pytest.param(ipaddress.ip_address("0.1.2.3"), id="this-network"),
        pytest.param(ipaddress.ip_address("255.255.255.255"), id="broadcast"),
        pytest.param(ipaddress.ip_address("224.0.0.251"), id="multicast-mdns"),
        pytest.param(ipaddress.ip_address("233.252.0.1"), id="multicast-documentation"),
        pytest.param(ipaddress.ip_address("fd00:ec2::254"), id="metadata-aws-ipv6"),
        pytest.param(ipaddress.ip_address("fe80::1"), id="link-local"),
        pytest.param(ipaddress.ip_address("fe80::1%eth0"), id="link-local-with-zone"),
        pytest.param(ipaddress.ip_address("ff02::1"), id="multicast-all-nodes"),
        pytest.param(ipaddress.ip_address("ff0e::1"), id="multicast-global-scope"),
        pytest.param(ipaddress.ip_address("::"), id="unspecified"),
        pytest.param(ipaddress.ip_address("::1"), id="loopback-ipv6"),
        pytest.param(ipaddress.ip_address("2001:db8::1"), id="documentation-ipv6"),
        pytest.param(ipaddress.ip_address("3fff::1"), id="documentation-ipv6-new"),
        pytest.param(ipaddress.ip_address("fec0::1"), id="site-local"),
        pytest.param(ipaddress.ip_address("4000::1"), id="outside-global-unicast"),
    ],
)
def test_given_an_address_that_is_not_globally_routable_then_it_is_forbidden(address):
    assert addresses._forbidden(address)


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "1.1.1.1", "93.184.215.14", "2606:4700::1111", "2a00:1450:4001:82a::200e", "::ffff:8.8.8.8"],
)
def test_given_a_globally_routable_address_then_it_is_allowed(address):
    assert not addresses._forbidden(ipaddress.ip_address(address))


def test_given_a_teredo_address_then_the_helper_embeds_server_and_client():
    assert teredo("65.54.227.120", "192.0.2.45").teredo == (
        ipaddress.IPv4Address("65.54.227.120"),
        ipaddress.IPv4Address("192.0.2.45"),
    )


@FAST
@given(st.ip_addresses(v=4))
def test_given_any_ipv4_address_then_its_ipv6_embeddings_are_judged_like_it(ipv4):
    forbidden = addresses._forbidden(ipv4)

    assert addresses._forbidden(ipaddress.IPv6Address(f"::ffff:{ipv4}")) == forbidden
    if forbidden:
        assert addresses._forbidden(sixtofour(str(ipv4)))
        assert addresses._forbidden(nat64(str(ipv4)))
        assert addresses._forbidden(ipaddress.IPv6Address(f"::{ipv4}"))
        assert addresses._forbidden(teredo("8.8.8.8", str(ipv4)))
        assert addresses._forbidden(teredo(str(ipv4), "8.8.8.8"))
    else:
        assert not ipv4.is_private and not ipv4.is_multicast


@FAST
@given(st.ip_addresses())
def test_given_any_address_then_the_guard_answers_without_raising(address):
    assert addresses._forbidden(address) in (True, False)


# --- properties: any input is a Target or a TargetRefused --------------------------------------------------------

SPECIALS = [
    "\x00", " ", "\t", "\n", "\r", "\x7f", "\x85", "\u00a0", "\u200b", "\u202e", "\u3000", "\ud800", "\ufeff",
    "[", "]", "%", "%25", "%00", "@", ":", ".", "..", "\u3002", "\uff0e", "\uff1a", "\ufe13", "\uff05", "\\", "/",
    "#", "?", "-", "_", "xn--", "0x", "\u0301", "\u00df", "\u0130", "\u2764", "\U0001f600", "\u0668",
]  # fmt: skip
schemes = st.sampled_from(["http", "https", "HTTP", "hTTps", "ftp", "", "javascript", "h", "http+unix", "https "])
separators = st.sampled_from(["://", ":/", ":", "//", ":///", ":\\\\", "://\\"])
labels = st.one_of(
    st.from_regex(r"\A[a-z0-9_-]{1,70}\Z"),
    st.sampled_from(["localhost", "example", "com", "0x7f", "127", "0", "xn--bcher-kva", "b\u00fccher", ""]),
    st.text(min_size=1, max_size=8),
)
names = st.lists(labels, min_size=1, max_size=6).map(".".join)
ipv4s = st.one_of(
    st.ip_addresses(v=4).map(str),
    st.integers(min_value=-1, max_value=2**33).map(str),
    st.integers(min_value=0, max_value=2**32).map(hex),
    st.lists(st.integers(min_value=0, max_value=300).map(lambda n: f"0{n:o}"), min_size=1, max_size=5).map(".".join),
)
ipv6s = st.one_of(
    st.ip_addresses(v=6).map(lambda a: f"[{a}]"),
    st.ip_addresses(v=6).map(lambda a: f"[{a.exploded}"),
    st.ip_addresses(v=6).map(str),
    st.from_regex(r"\A\[[0-9a-fA-F:.%v]{0,45}\]?\Z"),
)
hosts = st.one_of(names, ipv4s, ipv6s, st.text(max_size=20))
ports = st.one_of(
    st.just(""),
    st.integers(min_value=-2, max_value=70000).map(lambda n: f":{n}"),
    st.text(alphabet=string.digits + "+-x:[]\u0660\uff10 ", max_size=8).map(lambda p: ":" + p),
)
tails = st.text(max_size=30).map(lambda t: "/" + t) | st.sampled_from(["", "/", "?", "#", "/?q=1#f", "/%zz"])


@st.composite
def adversarial_urls(draw) -> str:
    userinfo = draw(st.sampled_from(["", "", "", "user@", "u:p@", "@", ":@"]))
    url = draw(schemes) + draw(separators) + userinfo + draw(hosts) + draw(ports) + draw(tails)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(url)))
        url = url[:at] + draw(st.sampled_from(SPECIALS)) + url[at:]
    return url


url_like = st.from_regex(
    r"\A(https?|HTTPS?|ftp)?(://)?(\w+(:\w*)?@)?"
    r"(\[[0-9a-fA-F:.%v\]\[]*\]?|[\w.%\-\u3002\uff0e\[\]]*)(:[0-9a-z+\-\uff10]*)?([/?#][^\n]*)?\Z"
)


def fuzz_resolver(host, port, family=0, type=0, proto=0, flags=0):
    """Deterministic per host: unresolved, an empty answer, a public, a private or a mixed answer."""
    kind = zlib.crc32(host.encode("utf-8", "surrogatepass")) % 5
    if kind == 0:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    answers = [[], [PUBLIC_V4], ["10.0.0.1", PUBLIC_V6], ["fe80::1%1"]][kind - 1]
    return [
        (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (a, port, 0, 0))
        if ":" in a
        else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
        for a in answers
    ]


def assert_target_or_refused(url: str) -> None:
    try:
        target = parse(url)
    except TargetRefused:
        target = None
    try:
        check_on_create(url)
        created = True
    except TargetRefused:
        created = False
    if target is None:
        assert not created
        return
    # An accepted URL is normalised to what is contacted, and parsing that again changes nothing.
    assert target.scheme in ("http", "https")
    assert 1 <= target.port <= 65535
    assert target.host.isascii() and 0 < len(target.host) <= 253
    assert target.path.startswith("/") and all(0x21 <= ord(c) < 0x7F for c in target.path)
    host = f"[{target.host}]" if ":" in target.host else target.host
    assert parse(f"{target.scheme}://{host}:{target.port}{target.path}") == target
    outcome = transport.post(url, b"{}", {}) if not created else None
    assert outcome is None or outcome.error.startswith("refused: ")


@FAST
@given(url=st.text(max_size=200), allowed=st.booleans())
@example(url="http://[::1/", allowed=False)
@example(url="http://0x7f.1/", allowed=False)
def test_given_arbitrary_text_then_the_outcome_is_a_target_or_a_refusal(monkeypatch, url, allowed):
    monkeypatch.setattr(socket, "getaddrinfo", fuzz_resolver)
    monkeypatch.setenv(ENV_ALLOW_PRIVATE_WEBHOOKS, "true" if allowed else "")

    assert_target_or_refused(url)


@FAST
@given(url=st.text(max_size=200).map(lambda t: "https://" + t), allowed=st.booleans())
def test_given_arbitrary_text_after_the_scheme_then_the_outcome_is_a_target_or_a_refusal(monkeypatch, url, allowed):
    monkeypatch.setattr(socket, "getaddrinfo", fuzz_resolver)
    monkeypatch.setenv(ENV_ALLOW_PRIVATE_WEBHOOKS, "true" if allowed else "")

    assert_target_or_refused(url)


@FAST
@given(url=adversarial_urls(), allowed=st.booleans())
def test_given_adversarial_url_like_strings_then_the_outcome_is_a_target_or_a_refusal(monkeypatch, url, allowed):
    monkeypatch.setattr(socket, "getaddrinfo", fuzz_resolver)
    monkeypatch.setenv(ENV_ALLOW_PRIVATE_WEBHOOKS, "true" if allowed else "")

    assert_target_or_refused(url)


@FAST
@given(url=url_like, allowed=st.booleans())
def test_given_strings_matching_a_loose_url_grammar_then_the_outcome_is_a_target_or_a_refusal(
    monkeypatch, url, allowed
):
    monkeypatch.setattr(socket, "getaddrinfo", fuzz_resolver)
    monkeypatch.setenv(ENV_ALLOW_PRIVATE_WEBHOOKS, "true" if allowed else "")

    assert_target_or_refused(url)


@FAST
@given(host=st.one_of(ipv4s, ipv6s, names), port=ports)
def test_given_private_targets_not_allowed_when_a_literal_is_accepted_then_the_guard_allows_it(monkeypatch, host, port):
    monkeypatch.setattr(socket, "getaddrinfo", fuzz_resolver)
    monkeypatch.delenv(ENV_ALLOW_PRIVATE_WEBHOOKS, raising=False)

    try:
        check_on_create(f"http://{host}{port}/")
    except TargetRefused:
        return
    target = parse(f"http://{host}{port}/")
    try:
        address = ipaddress.ip_address(target.host)
    except ValueError:
        return  # a name: judged on its resolved addresses
    assert not addresses._forbidden(address)
