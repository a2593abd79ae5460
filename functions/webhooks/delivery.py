"""Fan-out and delivery: the at-least-once path from a change event to a subscriber's 2xx.

Every delivery has a row per (endpoint, event) whose id is the event id, so a repeated fan-out never
doubles a delivery, and `webhook-id` is the same on every retry. A queue message asks for attempt N;
one that finds attempt N already recorded is a duplicate and does nothing. Waits longer than SQS's
15 minutes are covered by re-enqueueing until `due_at`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crm import clock, jsonio, observability, outbox, queues
from crm.store import TenantTable
from crm.writes import Outcome, VersionRace, WritePlan, Writer, retry_on_race
from webhooks import schedule, signing, transport
from webhooks.matching import matches
from webhooks.repository import WebhookRepository, public_webhook

DELIVERY_QUEUE = "webhook-deliveries"


def enqueue(tenant_id: str, webhook_id: str, delivery_id: str, attempt: int, due_at: datetime) -> None:
    message = {
        "tenant_id": tenant_id,
        "webhook_id": webhook_id,
        "delivery_id": delivery_id,
        "attempt": attempt,
        "due_at": clock.isoformat(due_at),
    }
    queues.send(DELIVERY_QUEUE, message, delay_s=(due_at - clock.now()).total_seconds())


def fan_out(event: dict[str, Any], subscriptions: dict[str, list[dict[str, Any]]] | None = None) -> int:
    """Create and schedule a delivery for every enabled endpoint that wants this event.

    `subscriptions` (tenant -> endpoints) lets one batch of events read each tenant's endpoints once:
    the events of a batch are fanned out at the same moment, so one snapshot serves them all."""
    repository = WebhookRepository(TenantTable(event["tenant_id"]))
    target = event.get("target_webhook_id")
    scheduled = 0
    known = subscriptions if subscriptions is not None else {}
    if event["tenant_id"] not in known:
        known[event["tenant_id"]] = repository.all_webhooks()
    for hook in known[event["tenant_id"]]:
        if not hook["enabled"]:
            continue
        if target:
            if hook["id"] != target:
                continue
        elif event["type"] == "webhook.test" or not matches(hook["event_types"], event["type"]):
            continue
        if not repository.create_delivery(repository.new_delivery(hook["id"], event)):
            existing = repository.get_delivery(hook["id"], event["id"])
            if existing is None or existing["status"] != "pending" or existing["attempts"]:
                continue  # already under way or done: a repeated fan-out adds nothing
        enqueue(event["tenant_id"], hook["id"], event["id"], 1, clock.now())
        scheduled += 1
    return scheduled


def restart(repository: WebhookRepository, delivery: dict[str, Any]) -> None:
    """Send a delivery again now, with a fresh retry schedule (redeliver and replay)."""
    delivery = {
        **delivery,
        "status": "pending",
        "schedule_base": len(delivery["attempts"]),
        "next_attempt_at": clock.now_iso(),
    }
    repository.save_delivery(delivery)
    enqueue(repository.tenant_id, delivery["webhook_id"], delivery["id"], len(delivery["attempts"]) + 1, clock.now())


def attempt(message: dict[str, Any]) -> None:
    """Make the attempt a queue message asks for, record it, and schedule what comes next."""
    now = clock.now()
    due = datetime.fromisoformat(message["due_at"].replace("Z", "+00:00"))
    if due > now:  # a long wait travels in 15-minute hops
        enqueue(message["tenant_id"], message["webhook_id"], message["delivery_id"], message["attempt"], due)
        return
    repository = WebhookRepository(TenantTable(message["tenant_id"]))
    delivery, hook, event = repository.attempt_context(message["webhook_id"], message["delivery_id"])
    if delivery is None or delivery["status"] != "pending" or len(delivery["attempts"]) >= message["attempt"]:
        return  # finished, or this attempt was already made (a duplicate message)
    if hook is None or not hook["enabled"] or event is None:
        reason = "the endpoint was deleted" if hook is None else "the endpoint is disabled"
        if event is None:
            reason = "the event is no longer in the event log"
        _finish(repository, delivery, {"attempted_at": clock.isoformat(now), "error": f"not sent: {reason}"})
        return

    body = jsonio.dumps(event)
    headers = signing.headers(event["id"], now, body, signing.active_secrets(hook["secrets"], now))
    outcome = transport.post(hook["url"], body.encode(), headers)
    observability.count_delivery(succeeded=outcome.error is None)
    record = {
        "attempted_at": clock.isoformat(now),
        "response_status": outcome.status,
        "latency_ms": outcome.latency_ms,
        "error": outcome.error,
    }
    if outcome.error is None:
        _finish(repository, delivery, record, status="succeeded")
        if hook.get("failing_since"):
            _update_webhook(repository, hook["id"], lambda h: {**h, "failing_since": None})
        return
    if outcome.status == 410:
        _finish(repository, delivery, record)
        _disable(repository, hook["id"], "The endpoint answered 410 Gone.")
        return
    failures = len(delivery["attempts"]) + 1 - delivery.get("schedule_base", 0)
    delay = schedule.next_delay(failures, outcome.status, outcome.retry_after, now)
    if delay is None:
        _finish(repository, delivery, record)
    else:
        _record(repository, delivery, record, next_attempt_at=clock.isoformat(now + delay))
        enqueue(message["tenant_id"], hook["id"], delivery["id"], message["attempt"] + 1, now + delay)
    failing_since = hook.get("failing_since")
    if failing_since is None:
        _update_webhook(
            repository, hook["id"], lambda h: {**h, "failing_since": h.get("failing_since") or clock.isoformat(now)}
        )
    elif now - datetime.fromisoformat(failing_since.replace("Z", "+00:00")) >= schedule.DISABLE_AFTER_FAILING_FOR:
        _disable(repository, hook["id"], "The endpoint has failed every delivery for 5 days.")


def _finish(
    repository: WebhookRepository, delivery: dict[str, Any], record: dict[str, Any], status: str = "failed"
) -> None:
    _record(repository, delivery, record, status=status, next_attempt_at=None)


def _record(repository: WebhookRepository, delivery: dict[str, Any], record: dict[str, Any], **changes: Any) -> None:
    """Append the attempt to the delivery log; on a concurrent change, re-read and append again."""
    current = [delivery]

    def append() -> None:
        repository.save_delivery({**current[0], **changes, "attempts": [*current[0]["attempts"], record]})

    def attempt_once() -> None:
        try:
            append()
        except VersionRace:
            fresh = repository.get_delivery(delivery["webhook_id"], delivery["id"])
            if fresh is None:
                return  # the delivery expired meanwhile: nothing left to log
            current[0] = fresh
            raise

    retry_on_race(attempt_once, attempts=5, subject="delivery log")


def _update_webhook(
    repository: WebhookRepository, webhook_id: str, change: Any, *, event_type: str | None = None
) -> None:
    """Apply `change` to the endpoint (re-reading on a race); announce it with `event_type` if given."""

    def attempt_once() -> None:
        hook = repository.get_webhook(webhook_id)
        if hook is None:
            return
        updated = change(hook)
        if updated == hook:
            return
        updated = {**updated, "version": hook["version"] + 1, "updated_at": clock.now_iso()}
        plan = WritePlan()
        repository.put_webhook(plan, updated, hook["version"])
        if event_type:
            plan.emit(
                repository.table,
                outbox.envelope(
                    tenant_id=repository.tenant_id,
                    event_type=event_type,
                    object_name="webhook",
                    record_id=webhook_id,
                    data=public_webhook(updated),
                    changes=outbox.diff({"enabled": hook["enabled"]}, {"enabled": updated["enabled"]}),
                ),
            )
        Writer(repository.table).commit(plan, Outcome(200, updated), subject="webhook")

    retry_on_race(attempt_once, attempts=5, subject="webhook")


def _disable(repository: WebhookRepository, webhook_id: str, reason: str) -> None:
    """Disable the endpoint and say so with a `webhook.endpoint_disabled` event, in one transaction."""

    def change(hook: dict[str, Any]) -> dict[str, Any]:
        if not hook["enabled"]:
            return hook
        return {**hook, "enabled": False, "disabled_reason": reason}

    _update_webhook(repository, webhook_id, change, event_type="webhook.endpoint_disabled")
