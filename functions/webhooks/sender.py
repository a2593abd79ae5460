"""SQS consumer: make webhook delivery attempts (sign, POST, log, schedule the retry)."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from crm import observability
from webhooks import delivery

processor = BatchProcessor(event_type=EventType.SQS)


def _record(record: SQSRecord) -> None:
    with observability.record(message_id=record.message_id):
        message = json.loads(record.body)
        observability.append_keys(
            tenant_id=message.get("tenant_id"),
            webhook_id=message.get("webhook_id"),
            delivery_id=message.get("delivery_id"),
            attempt=message.get("attempt"),
        )
        delivery.attempt(message)


@observability.observed
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=_record, processor=processor, context=context)
