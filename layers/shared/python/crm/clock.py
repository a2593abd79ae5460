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


def now_iso() -> str:
    return isoformat(now())


def new_id() -> str:
    """A ULID: sortable by creation time, so `newest first` is a reverse key order."""
    from ulid import ULID

    return str(ULID.from_datetime(now()))
