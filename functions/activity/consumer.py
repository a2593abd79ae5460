"""SQS consumer (`contact_activity`): keeps contacts' computed properties and scores current.

Its queue takes, from the bus rule, the changes that can move them (catalogue.CONTACT_ACTIVITY_EVENTS), and
its own messages:
- `activity.recorded`, `contact.created`, `contact.restored`, `contact.updated`: refresh that contact
  (fold its pending events, store its score). An update that only touched computed properties is this
  consumer's own write and is skipped, as is any contact change while the tenant has no rules.
- `scoring.rules_changed`: rescore every contact without a table scan and without one giant invocation:
  `sweep` reads one page of the tenant's contacts partition and sends its ids on in chunks (`rescore`), and
  the next page as a message of its own. A sweep of rules a newer change replaced stops.
Every step is idempotent, so redelivery changes nothing; a failure raises and only that message returns to
the queue (partial batch failures)."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from crm import observability

SWEEP_PAGE = 100  # contacts read per sweep message
RESCORE_CHUNK = 25  # contacts rescored per message

processor = BatchProcessor(event_type=EventType.SQS)


class _Batch:
    """What one batch has read and done: each tenant's rules read once, each contact refreshed once (a
    refresh folds every event recorded before it, so the batch's other messages about it are answered)."""

    def __init__(self) -> None:
        self.rules: dict[str, tuple[int, tuple[Any, ...]]] = {}
        self.refreshed: set[tuple[str, str]] = set()

    def activity(self, tenant_id: str) -> Any:
        from activity.service import Activity

        return Activity(tenant_id)

    def rules_of(self, tenant_id: str) -> tuple[int, tuple[Any, ...]]:
        if tenant_id not in self.rules:
            self.rules[tenant_id] = self.activity(tenant_id).rules()
        return self.rules[tenant_id]

    def refresh(self, tenant_id: str, contact_id: str, cause: dict[str, Any] | None = None) -> None:
        if (tenant_id, contact_id) in self.refreshed:
            return
        _, rules = self.rules_of(tenant_id)
        self.activity(tenant_id).refresh(contact_id, rules, cause=cause)
        self.refreshed.add((tenant_id, contact_id))


_batch = _Batch()


def on_event(event: dict[str, Any], batch: _Batch) -> None:
    """A change event from the bus."""
    from activity.service import EVENT_RECORDED, RULES_CHANGED
    from contacts.schema import CONTACT

    event_type, tenant_id, record_id = event.get("type"), event.get("tenant_id"), event.get("record_id")
    if not tenant_id or not record_id:
        return
    if event_type == RULES_CHANGED:
        sweep(tenant_id, None, int((event.get("data") or {}).get("version") or 0))
        return
    if event.get("object") != CONTACT.name:
        return
    if event_type == "contact.updated":
        computed = {name for name, spec in CONTACT.properties.items() if spec.read_only}
        if set(event.get("changes") or {}) <= computed:
            return  # this consumer's own write (or no change): nothing more to compute
    if event_type in ("contact.created", "contact.updated") and not batch.rules_of(tenant_id)[1]:
        return  # without rules, only events move computed properties
    if event_type in (EVENT_RECORDED, "contact.created", "contact.updated", "contact.restored"):
        batch.refresh(tenant_id, record_id, event.get("cause") or None)


def sweep(tenant_id: str, cursor_token: str | None, version: int) -> None:
    """One page of a tenant's contacts, sent on in rescore chunks, and the next page as its own message."""
    from activity.service import Activity, rescore_message
    from contacts.schema import CONTACT
    from contacts.service import RecordService
    from crm import catalogue, queues

    current, _ = Activity(tenant_id).rules()
    if current != version:
        return  # the rules changed again: that change sweeps on its own
    records, next_cursor = RecordService(tenant_id, CONTACT).list(limit=SWEEP_PAGE, cursor_token=cursor_token)
    ids = [record["id"] for record in records]
    for start in range(0, len(ids), RESCORE_CHUNK):
        queues.send(catalogue.CONTACT_ACTIVITY_QUEUE, rescore_message(tenant_id, ids[start : start + RESCORE_CHUNK]))
    if next_cursor:
        message = {"task": "sweep", "tenant_id": tenant_id, "cursor": next_cursor, "rules_version": version}
        queues.send(catalogue.CONTACT_ACTIVITY_QUEUE, message)


def on_task(task: dict[str, Any], batch: _Batch) -> None:
    """One of this consumer's own messages."""
    tenant_id = task["tenant_id"]
    if task["task"] == "sweep":
        sweep(tenant_id, task.get("cursor"), int(task["rules_version"]))
    elif task["task"] == "rescore":
        for contact_id in task["contact_ids"]:
            batch.refresh(tenant_id, contact_id)
    else:
        raise ValueError(f"unknown task {task['task']!r}")


def _record(record: SQSRecord) -> None:
    with observability.record(message_id=record.message_id):
        body = json.loads(record.body)
        if "task" in body:
            observability.append_keys(tenant_id=body.get("tenant_id"), task=body.get("task"))
            on_task(body, _batch)
            return
        event = body.get("detail", body)  # an EventBridge event, or a bare envelope
        observability.append_keys(tenant_id=event.get("tenant_id"), event_id=event.get("id"))
        on_event(event, _batch)


@observability.observed
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    global _batch
    _batch = _Batch()  # a new batch reads the rules afresh
    return process_partial_response(event=event, record_handler=_record, processor=processor, context=context)
