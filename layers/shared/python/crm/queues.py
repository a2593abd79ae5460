"""Adapter for the SQS queues named in the catalogue: send a JSON message, optionally delayed.

Every message is a tenant's (`body["tenant_id"]`) and goes out with that tenant as its message group,
which makes the standard queue a fair queue (catalogue.FAIR_QUEUE_GROUP_PATH says why). SQS delays at
most 15 minutes per message; callers that need longer waits carry a `due_at` in the
message and re-enqueue on early arrival. Tests may install another transport (e.g. one driven by an
injected clock) with `set_transport`; production code never does."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from crm.catalogue import queue_url_env

MAX_DELAY_S = 900

Transport = Callable[[str, dict[str, Any], int], None]
_client: Any = None
_transport: Transport | None = None


def _sqs_send(queue_name: str, body: dict[str, Any], delay_s: int) -> None:
    global _client
    if _client is None:
        import boto3

        _client = boto3.client("sqs")
    url = os.environ.get(queue_url_env(queue_name))
    if not url:
        raise RuntimeError(f"{queue_url_env(queue_name)} is not set")
    _client.send_message(
        QueueUrl=url, MessageBody=json.dumps(body), DelaySeconds=delay_s, MessageGroupId=body["tenant_id"]
    )


def send(queue_name: str, body: dict[str, Any], delay_s: float = 0) -> None:
    delay = max(0, min(MAX_DELAY_S, int(delay_s + 0.999)))
    (_transport or _sqs_send)(queue_name, body, delay)


def set_transport(transport: Transport | None) -> None:
    global _transport
    _transport = transport
