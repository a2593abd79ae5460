"""SQS consumer: CRM change events (from the bus rule) -> scheduled webhook deliveries."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from webhooks import delivery

logger = Logger()
processor = BatchProcessor(event_type=EventType.SQS)


def _record(record: SQSRecord) -> None:
    envelope = json.loads(record.body)
    event = envelope.get("detail", envelope)  # an EventBridge event, or a bare envelope
    logger.append_keys(tenant_id=event.get("tenant_id"), event_id=event.get("id"))
    delivery.fan_out(event)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=_record, processor=processor, context=context)
