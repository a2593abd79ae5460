"""The event chain of the local stack, on moto, with the handlers the cloud runs:

  table stream --(the outbox pipe: catalogue filter + the `outbox_enrichment` handler)--> moto bus
  moto bus --(catalogue rules)--> moto SQS queues --(polled, as Lambda's event source mapping)--> consumers

moto cannot run Pipes or Lambda targets, so this module does the pipe's and the poller's part; the
rules, queues, redrive policies and delays are moto's own."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from typing import Any

from crm import catalogue
from crm.catalogue import FunctionSpec

Invoke = Callable[[FunctionSpec, Any], Any]


class OutboxPipe:
    def __init__(self, invoke: Invoke) -> None:
        import boto3
        from moto.events.models import EventPattern

        self._invoke = invoke
        self._filter = EventPattern.load(json.dumps(catalogue.OUTBOX_PIPE.filter_pattern))
        self._enrichment = catalogue.function_by_name(catalogue.OUTBOX_PIPE.enrichment_function)
        self._events = boto3.client("events")

    def forward(self, stream_records: list[dict[str, Any]]) -> int:
        # The pipe sees stream records as JSON (boto3 hands back datetimes).
        as_json = json.loads(json.dumps(stream_records, default=lambda v: v.timestamp()))
        selected = [r for r in as_json if self._filter.matches_event(r)]
        published = 0
        for start in range(0, len(selected), catalogue.OUTBOX_PIPE.batch_size):
            envelopes = self._invoke(self._enrichment, selected[start : start + catalogue.OUTBOX_PIPE.batch_size])
            entries = [
                {
                    "Source": catalogue.EVENT_BUS.source,
                    "DetailType": envelope[catalogue.EVENT_BUS.detail_type_field],
                    "Detail": json.dumps(envelope),
                    "EventBusName": catalogue.EVENT_BUS.name,
                }
                for envelope in envelopes
            ]
            for chunk in range(0, len(entries), 10):
                self._events.put_events(Entries=entries[chunk : chunk + 10])
            published += len(entries)
        return published


class QueuePoller:
    """Lambda's SQS event source mapping: a batch in, partial batch failures honoured."""

    def __init__(self, invoke: Invoke) -> None:
        import boto3

        self._invoke = invoke
        self._sqs = boto3.client("sqs")
        self._consumers = [spec for spec in catalogue.ALL_FUNCTIONS if spec.consumes]

    def poll(self) -> int:
        handled = 0
        for spec in self._consumers:
            url = _queue_url(spec.consumes or "")
            received = self._sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=min(spec.batch_size, 10), WaitTimeSeconds=0, AttributeNames=["All"]
            ).get("Messages", [])
            if not received:
                continue
            event = {"Records": [sqs_record(m, spec.consumes or "") for m in received]}
            try:
                result = self._invoke(spec, event) or {}
                failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
            except Exception:
                failed = {m["MessageId"] for m in received}  # the whole batch returns after its visibility timeout
            done = [m for m in received if m["MessageId"] not in failed]
            if done:
                self._sqs.delete_message_batch(
                    QueueUrl=url,
                    Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
                )
            handled += len(received)
        return handled


def _queue_url(name: str) -> str:
    return os.environ[catalogue.queue_url_env(name)]


def sqs_record(message: dict[str, Any], queue_name: str) -> dict[str, Any]:
    """A received SQS message as Lambda's event source mapping hands it to a function."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": {},
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:us-east-1:000000000000:{queue_name}",
        "awsRegion": "us-east-1",
        "eventID": str(uuid.uuid4()),
    }
