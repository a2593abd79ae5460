"""Time and ids, in one place so tests can inject a clock instead of sleeping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    return _now()


def set_clock(clock: Callable[[], datetime] | None) -> None:
    """Replace the clock (tests, benchmarks); None restores the real one."""
    global _now
    _now = clock or (lambda: datetime.now(UTC))


def isoformat(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse(text: str) -> datetime:
    """An ISO 8601 timestamp as written by isoformat (a `Z` suffix included), timezone-aware."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def now_iso() -> str:
    return isoformat(now())


def new_id() -> str:
    """A ULID: sortable by creation time, so `newest first` is a reverse key order."""
    from ulid import ULID

    return str(ULID.from_datetime(now()))


def derived_id(seed: str, at: datetime) -> str:
    """A ULID whose time part is `at` and whose random part comes from `seed`: the same seed and moment
    always give the same id, so work keyed by it (a run started by a redelivered event) happens once."""
    import hashlib

    from ulid import ULID

    millis = int(at.timestamp() * 1000)
    return str(ULID(millis.to_bytes(6, "big") + hashlib.sha256(seed.encode()).digest()[:10]))
