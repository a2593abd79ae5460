"""When to try a failed delivery again."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

# After the first attempt fails: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h; then it has failed.
RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=14),
    timedelta(hours=20),
    timedelta(hours=24),
)
MAX_RETRY_AFTER = timedelta(hours=24)
DISABLE_AFTER_FAILING_FOR = timedelta(days=5)


def next_delay(failed_attempts: int, status: int | None, retry_after: str | None, now: datetime) -> timedelta | None:
    """The wait before the next attempt after `failed_attempts` failures in a row, or None when the
    schedule is exhausted. A 429/503 Retry-After is honoured (never retried sooner than it asks)."""
    if failed_attempts > len(RETRY_DELAYS):
        return None
    delay = RETRY_DELAYS[failed_attempts - 1]
    if status in (429, 503) and retry_after:
        asked = parse_retry_after(retry_after, now)
        if asked is not None:
            delay = max(delay, min(asked, MAX_RETRY_AFTER))
    return delay


def parse_retry_after(value: str, now: datetime) -> timedelta | None:
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(timedelta(0), moment - now)
