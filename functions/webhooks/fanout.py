"""SQS consumer: CRM change events (from the bus rule) -> scheduled webhook deliveries."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from crm import observability
from webhooks import delivery

processor = BatchProcessor(event_type=EventType.SQS)
_batch_subscriptions: dict[str, list[dict[str, Any]]] = {}  # tenant -> endpoints, for one batch only


def _record(record: SQSRecord) -> None:
    with observability.record(message_id=record.message_id):
        envelope = json.loads(record.body)
        event = envelope.get("detail", envelope)  # an EventBridge event, or a bare envelope
        observability.append_keys(tenant_id=event.get("tenant_id"), event_id=event.get("id"))
        delivery.fan_out(event, _batch_subscriptions)


@observability.observed
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    _batch_subscriptions.clear()  # a new batch reads the endpoints afresh
    try:
        return process_partial_response(event=event, record_handler=_record, processor=processor, context=context)
    finally:
        _batch_subscriptions.clear()
