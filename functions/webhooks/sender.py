"""SQS consumer: make webhook delivery attempts (sign, POST, log, schedule the retry)."""

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
    message = json.loads(record.body)
    logger.append_keys(tenant_id=message.get("tenant_id"), delivery_id=message.get("delivery_id"))
    delivery.attempt(message)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=_record, processor=processor, context=context)
