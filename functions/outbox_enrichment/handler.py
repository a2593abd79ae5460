"""EventBridge Pipe enrichment for the outbox: DynamoDB stream records of outbox items -> CRM event
envelopes (the pipe puts each on the bus with detail-type = the event type)."""

from __future__ import annotations

import json
from typing import Any

from crm import observability


def envelope(record: dict[str, Any]) -> dict[str, Any] | None:
    payload = ((record.get("dynamodb") or {}).get("NewImage") or {}).get("payload", {}).get("S")
    return json.loads(payload) if payload else None


@observability.observed
def handler(event: list[dict[str, Any]] | dict[str, Any], context: Any) -> list[dict[str, Any]]:
    records = event if isinstance(event, list) else event.get("Records", [])
    return [e for e in (envelope(r) for r in records) if e is not None]
