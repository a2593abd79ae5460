"""EventBridge Pipe enrichment for the outbox: DynamoDB stream records of outbox items -> CRM event
envelopes (the pipe puts each on the bus with detail-type = the event type)."""

from __future__ import annotations

from typing import Any

from crm.store import from_item


def envelope(record: dict[str, Any]) -> dict[str, Any] | None:
    image = (record.get("dynamodb") or {}).get("NewImage")
    if not image or "event" not in image:
        return None
    return from_item({"event": image["event"]})["event"]


def handler(event: list[dict[str, Any]] | dict[str, Any], context: Any) -> list[dict[str, Any]]:
    records = event if isinstance(event, list) else event.get("Records", [])
    return [e for e in (envelope(r) for r in records) if e is not None]
