"""The outbox: change events as items. Every write stores its events as outbox items in the same
DynamoDB transaction as the change itself (crm.writes); the table's stream carries them onward, so no
crash between "write" and "publish" can lose one. Here: the envelope, property diffs, the item form."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from crm import clock, jsonio, keys

EVENT_RETENTION = timedelta(days=35)  # the event log that replay reads; the bus archive keeps longer
OUTBOX_PARTITION = keys.OUTBOX_EVENT.partition
OUTBOX_KIND = keys.OUTBOX_EVENT.kind


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{"field": {"old": ..., "new": ...}} for every property whose value changed."""
    changes: dict[str, dict[str, Any]] = {}
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name), after.get(name)
        if old != new:
            changes[name] = {"old": old, "new": new}
    return changes


def envelope(
    *,
    tenant_id: str,
    event_type: str,
    object_name: str,
    record_id: str,
    data: dict[str, Any],
    changes: dict[str, dict[str, Any]] | None = None,
    cause: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A change event. `cause` says which automation made the change ({"workflow_id", "run_id", "depth"}),
    so a chain of workflows triggering each other can be stopped at a known depth."""
    event = {
        "id": clock.new_id(),
        "type": event_type,
        "tenant_id": tenant_id,
        "occurred_at": clock.now_iso(),
        "object": object_name,
        "record_id": record_id,
        "data": data,
        "changes": changes or {},
    }
    if cause:
        event["cause"] = cause
    return event


def outbox_item(event: dict[str, Any]) -> dict[str, Any]:
    """The stored form: the envelope as one JSON string (what the pipe forwards as-is, and far cheaper
    to store and read than a nested map), plus what the stream filter and TTL need."""
    expires = int((clock.now() + EVENT_RETENTION).timestamp())
    payload = jsonio.dumps(event)
    return {"kind": OUTBOX_KIND, "type": event["type"], "payload": payload, "expires_at": expires}


def from_outbox_item(item: dict[str, Any]) -> dict[str, Any]:
    return jsonio.loads(item["payload"])
