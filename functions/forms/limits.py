"""How many submissions a form takes: fixed one-minute windows, counted per client and per form. Pure: the
counters live in the table (forms.repository), the clock is passed in.

A client is its IP address (API Gateway's requestContext.identity.sourceIp) as a keyed hash: HMAC-SHA256 with
the form's own secret, so counters never hold an address and no table of hashes of all IPv4 addresses is of
use without that secret. A client is counted first, so one client flooding a form spends its own allowance,
not the form's."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import datetime

from crm.errors import CrmError

WINDOW_S = 60
PER_CLIENT_PER_WINDOW = 10  # submissions per client IP per form per minute
PER_FORM_PER_WINDOW = 600  # submissions per form per minute, from all clients
UNKNOWN_CLIENT = "unknown"  # no source address in the event (never in API Gateway; some test events)


class TooManySubmissions(CrmError):
    status, title, slug = 429, "Too Many Requests", "rate-limited"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Window:
    start: int  # epoch seconds, a multiple of WINDOW_S
    end: int

    @classmethod
    def at(cls, moment: datetime) -> Window:
        start = int(moment.timestamp()) // WINDOW_S * WINDOW_S
        return cls(start, start + WINDOW_S)

    def retry_after(self, moment: datetime) -> int:
        """Whole seconds until the next window (at least 1)."""
        return max(1, math.ceil(self.end - moment.timestamp()))


@dataclass(frozen=True)
class Counter:
    """One counter of a window: its sort key in the form's counter partition and its limit."""

    sort_key: str
    limit: int
    what: str  # for the client: whose allowance is used up

    @classmethod
    def client(cls, secret: str, source_ip: str | None, window: Window) -> Counter:
        return cls(f"ip#{client_hash(secret, source_ip)}#{window.start}", PER_CLIENT_PER_WINDOW, "from this address")

    @classmethod
    def form(cls, window: Window) -> Counter:
        return cls(f"form#{window.start}", PER_FORM_PER_WINDOW, "to this form")


def new_secret() -> str:
    """A form's secret for hashing client addresses (never shown)."""
    return secrets.token_hex(16)


def client_hash(secret: str, source_ip: str | None) -> str:
    """A client's address as counters know it: keyed, truncated to 128 bits, never the address."""
    address = (source_ip or UNKNOWN_CLIENT).strip().lower()
    return hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def refused(counter: Counter, window: Window, moment: datetime) -> TooManySubmissions:
    per_minute = f"{counter.limit} per {WINDOW_S} s"
    return TooManySubmissions(
        f"Too many submissions {counter.what} ({per_minute}); retry after the Retry-After seconds.",
        retry_after=window.retry_after(moment),
    )
