"""SQS consumer: CRM change events (from the bus rule) -> workflow runs whose trigger they match.

Each (workflow, event) pair has one run id, derived from the tenant, the workflow and the event, so a
redelivered event finds its run and starts nothing new. A failure raises and the message returns to the
queue (partial batch failures): an event is never dropped silently."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from crm import observability

processor = BatchProcessor(event_type=EventType.SQS)
# (tenant, event type) -> enabled workflows with that trigger, for one batch only.
_batch_workflows: dict[tuple[str, str], list[tuple[dict[str, Any], Any]]] = {}
# Events about workflows themselves never trigger one (a run's own events would feed it back).
NOT_TRIGGERS = ("workflow.", "webhook.")


def match(event: dict[str, Any], cache: dict[tuple[str, str], list[tuple[dict[str, Any], Any]]] | None = None) -> int:
    """Start a run for every enabled workflow this event triggers; returns how many were started."""
    from contacts.schema import condition_values
    from crm import clock
    from crm.store import TenantTable
    from workflows.repository import WorkflowRepository
    from workflows.run_service import start_run

    event_type, tenant_id = event.get("type", ""), event.get("tenant_id")
    if not tenant_id or not event.get("record_id") or event_type.startswith(NOT_TRIGGERS):
        return 0
    table = TenantTable(tenant_id)
    known = cache if cache is not None else {}
    if (tenant_id, event_type) not in known:
        known[(tenant_id, event_type)] = WorkflowRepository(table).enabled_for_trigger(event_type)
    cause = event.get("cause") or {}
    depth = int(cause.get("depth") or 0) + 1
    data = event.get("data") or {}
    # A form submission's event carries the contact beside the form's fields.
    properties = condition_values(data.get("contact", data) if event_type == "form.submitted" else data)
    started = 0
    for workflow, definition in known[(tenant_id, event_type)]:
        if definition.object != event.get("object"):
            continue
        conditions = definition.trigger.conditions
        if conditions is not None and not conditions.evaluate(properties, event.get("changes") or {}):
            continue
        occurred = clock.parse(event["occurred_at"]) if event.get("occurred_at") else clock.now()
        run = start_run(
            table,
            workflow=workflow,
            definition=definition,
            record_id=event["record_id"],
            trigger={"type": "event", "event_id": event["id"], "event_type": event_type},
            depth=depth,
            run_id=clock.derived_id(f"{tenant_id}:{workflow['id']}:{event['id']}", occurred),
            enroll=definition.reenrollment == "never",
        )
        started += run is not None
    return started


def _record(record: SQSRecord) -> None:
    with observability.record(message_id=record.message_id):
        envelope = json.loads(record.body)
        event = envelope.get("detail", envelope)  # an EventBridge event, or a bare envelope
        observability.append_keys(tenant_id=event.get("tenant_id"), event_id=event.get("id"))
        match(event, _batch_workflows)


@observability.observed
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    _batch_workflows.clear()  # a new batch reads the definitions afresh
    try:
        return process_partial_response(event=event, record_handler=_record, processor=processor, context=context)
    finally:
        _batch_workflows.clear()
