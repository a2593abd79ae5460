"""Webhook subscriptions and their deliveries, for one tenant."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from crm import clock, cursor, outbox
from crm.errors import Conflict, FieldError, NotFound, PreconditionFailed, UnknownToTenant, ValidationFailed
from crm.idempotency import IdempotencyKey, Outcome
from crm.store import TenantTable
from crm.writes import VersionRace, WritePlan, Writer, retry_on_race
from webhooks import signing
from webhooks.repository import WebhookRepository, public_delivery, public_webhook

# Address checks (ssl, sockets), event-type matching and delivery scheduling are imported where they
# are used: most requests (lists, gets) need none of them, and cold starts pay for every import.

MAX_REPLAY_EVENTS = 10_000


class ReplayWindowRefused(ValidationFailed):
    """A replay window the event log cannot serve: before its retention, in the future, empty, or not a
    representable time. A kind of its own: it depends on the clock and the log, not on the request's shape."""

    slug = "replay-window"


def _check_url(url: str) -> str:
    from webhooks import addresses

    try:
        addresses.check_on_create(url)
    except addresses.TargetRefused as refused:
        raise ValidationFailed("The webhook URL cannot be used.", errors=[FieldError("/url", str(refused))]) from None
    return url.strip()


def _check_types(event_types: list[str], tenant_id: str) -> list[str]:
    from contacts.registry import SchemaRegistry
    from webhooks.matching import validate_patterns

    unknown = validate_patterns(event_types, SchemaRegistry(tenant_id).object_types())
    if unknown:
        raise UnknownToTenant(
            "Unknown event types.",
            errors=[
                FieldError(f"/event_types/{event_types.index(p)}", f"{p!r} matches no event type") for p in unknown
            ],
        )
    return list(dict.fromkeys(event_types))


def _secret_redacted(body: dict[str, Any]) -> dict[str, Any]:
    """What an idempotent replay returns: a signing secret is shown once and its copy never stored."""
    return {**body, "secret": None, "note": "The secret was shown once, in the first response."}


class Webhooks:
    def __init__(self, tenant_id: str) -> None:
        self.repository = WebhookRepository(TenantTable(tenant_id))
        self.tenant_id = tenant_id

    def _writer(self, key: IdempotencyKey | None, redact: Any = None) -> Writer:
        return Writer(self.repository.table, key, redact=redact)

    def _hook(self, webhook_id: str) -> dict[str, Any]:
        hook = self.repository.get_webhook(webhook_id.strip().upper())
        if hook is None:
            raise NotFound(f"No webhook with id {webhook_id}.")
        return hook

    def create(
        self, url: str, event_types: list[str], description: str | None, idempotency_key: IdempotencyKey | None = None
    ) -> Outcome:
        writer = self._writer(idempotency_key, redact=_secret_redacted)
        earlier = writer.earlier()
        if earlier:
            return earlier
        now = clock.now_iso()
        secret = signing.new_secret()
        item = {
            "kind": "webhook",
            "id": clock.new_id(),
            "url": _check_url(url),
            "event_types": _check_types(event_types, self.tenant_id),
            "description": description,
            "enabled": True,
            "disabled_reason": None,
            "failing_since": None,
            "secrets": [{"secret": secret, "created_at": now, "expires_at": None}],
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        body = {**public_webhook(item), "secret": secret}
        plan = WritePlan()
        self.repository.put_webhook(plan, item, None)
        return retry_on_race(lambda: writer.commit(plan, Outcome(201, body), subject="webhook"), subject="webhook")

    def get(self, webhook_id: str) -> dict[str, Any]:
        return public_webhook(self._hook(webhook_id))

    def list(self, limit: int, cursor_token: str | None) -> tuple[list[dict[str, Any]], str | None]:
        after = cursor.decode(cursor_token, self.tenant_id, "webhooks") if cursor_token else None
        items, position = self.repository.page_webhooks(limit, after)
        next_cursor = cursor.encode(self.tenant_id, "webhooks", position) if position else None
        return [public_webhook(i) for i in items], next_cursor

    def update(
        self,
        webhook_id: str,
        changes: dict[str, Any],
        if_match: int | None,
        idempotency_key: IdempotencyKey | None = None,
    ) -> Outcome:
        writer = self._writer(idempotency_key)
        earlier = writer.earlier()
        if earlier:
            return earlier
        url = _check_url(changes["url"]) if "url" in changes else None
        event_types = _check_types(changes["event_types"], self.tenant_id) if "event_types" in changes else None

        def attempt() -> Outcome:
            hook = self._hook(webhook_id)
            if if_match is not None and hook["version"] != if_match:
                raise PreconditionFailed(f"If-Match names version {if_match} but the webhook is at {hook['version']}.")
            updated = dict(hook)
            if url is not None:
                updated["url"] = url
            if event_types is not None:
                updated["event_types"] = event_types
            if "description" in changes:
                updated["description"] = changes["description"]
            if "enabled" in changes:
                updated["enabled"] = changes["enabled"]
                if updated["enabled"] and not hook["enabled"]:
                    updated["disabled_reason"], updated["failing_since"] = None, None
                elif not updated["enabled"] and hook["enabled"]:
                    updated["disabled_reason"] = "Disabled through the API."
            if updated == hook:
                return Outcome(200, public_webhook(hook))
            updated.update(version=hook["version"] + 1, updated_at=clock.now_iso())
            plan = WritePlan()
            self.repository.put_webhook(plan, updated, hook["version"])
            return writer.commit(plan, Outcome(200, public_webhook(updated)), subject="webhook")

        return retry_on_race(attempt, if_match=if_match, subject="webhook")

    def delete(self, webhook_id: str, idempotency_key: IdempotencyKey | None = None) -> Outcome:
        writer = self._writer(idempotency_key)
        earlier = writer.earlier()
        if earlier:
            return earlier
        hook = self._hook(webhook_id)
        plan = WritePlan()
        self.repository.delete_webhook(plan, hook["id"])
        return writer.commit(plan, Outcome(204, None), subject="webhook")

    def rotate_secret(self, webhook_id: str, idempotency_key: IdempotencyKey | None = None) -> Outcome:
        """A new secret signs from now on; the previous one keeps signing beside it for 24 hours."""
        writer = self._writer(idempotency_key, redact=_secret_redacted)
        earlier = writer.earlier()
        if earlier:
            return earlier
        return retry_on_race(lambda: self._rotate(webhook_id, writer), subject="webhook")

    def _rotate(self, webhook_id: str, writer: Writer) -> Outcome:
        hook = self._hook(webhook_id)
        now = clock.now()
        secret = signing.new_secret()
        overlap_until = clock.isoformat(now + signing.ROTATION_OVERLAP)
        kept = [
            {**s, "expires_at": s.get("expires_at") or overlap_until}
            for s in hook["secrets"]
            if s["secret"] in signing.active_secrets(hook["secrets"], now)
        ]
        updated = {
            **hook,
            "secrets": [{"secret": secret, "created_at": clock.isoformat(now), "expires_at": None}, *kept][:5],
            "version": hook["version"] + 1,
            "updated_at": clock.isoformat(now),
        }
        body = {**public_webhook(updated), "secret": secret, "previous_secret_expires_at": overlap_until}
        plan = WritePlan()
        self.repository.put_webhook(plan, updated, hook["version"])
        return writer.commit(plan, Outcome(200, body), subject="webhook")

    def send_test(self, webhook_id: str, idempotency_key: IdempotencyKey | None = None) -> Outcome:
        writer = self._writer(idempotency_key)
        earlier = writer.earlier()
        if earlier:
            return earlier
        hook = self._hook(webhook_id)
        if not hook["enabled"]:
            raise Conflict("The webhook is disabled; enable it first.")
        event = outbox.envelope(
            tenant_id=self.tenant_id,
            event_type="webhook.test",
            object_name="webhook",
            record_id=hook["id"],
            data={"message": "This is a test event.", "webhook": public_webhook(hook)},
        )
        event["target_webhook_id"] = hook["id"]
        body = {"event_id": event["id"], "type": event["type"]}
        return writer.commit(WritePlan().emit(self.repository.table, event), Outcome(202, body), subject="webhook")

    def deliveries(
        self, webhook_id: str, status: str | None, limit: int, cursor_token: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        hook = self._hook(webhook_id)
        scope = f"deliveries:{hook['id']}:{status or 'all'}"
        after = cursor.decode(cursor_token, self.tenant_id, scope) if cursor_token else None
        items, position = self.repository.page_deliveries(hook["id"], limit, after, status)
        return [public_delivery(i) for i in items], cursor.encode(self.tenant_id, scope, position) if position else None

    def get_delivery(self, webhook_id: str, delivery_id: str) -> dict[str, Any]:
        hook = self._hook(webhook_id)
        item = self.repository.get_delivery(hook["id"], delivery_id.strip().upper())
        if item is None:
            raise NotFound(f"No delivery with id {delivery_id} for this webhook.")
        return item

    def redeliver(self, webhook_id: str, delivery_id: str, idempotency_key: IdempotencyKey | None = None) -> Outcome:
        hook = self._hook(webhook_id)
        item = self.get_delivery(webhook_id, delivery_id)

        def restart() -> Outcome:
            from webhooks import delivery

            if not hook["enabled"]:
                raise Conflict("The webhook is disabled; enable it before redelivering.")
            try:
                delivery.restart(self.repository, item)
            except VersionRace:
                raise Conflict("The delivery is being attempted right now; try again shortly.") from None
            return Outcome(202, public_delivery(self.repository.get_delivery(hook["id"], item["id"]) or item))

        return self._writer(idempotency_key).run(restart)

    def replay(
        self,
        webhook_id: str,
        since: datetime,
        until: datetime | None,
        idempotency_key: IdempotencyKey | None = None,
    ) -> Outcome:
        """Send every event of the window this endpoint subscribes to again (oldest first). Everything
        is checked before anything is sent, so a refused request has sent nothing."""
        hook = self._hook(webhook_id)
        if not hook["enabled"]:
            raise Conflict("The webhook is disabled; enable it before replaying.")
        first, last, since, until = _replay_window(since, until)
        return self._writer(idempotency_key).run(lambda: self._replay(hook, first, last, since, until))

    def _replay(self, hook: dict[str, Any], first: str, last: str, since: datetime, until: datetime) -> Outcome:
        from webhooks import delivery
        from webhooks.matching import matches

        replayed, after, truncated = 0, None, False
        while True:
            page, after = self.repository.events_between(first, last, 100, after)
            for event in page:
                if event.get("target_webhook_id") or not matches(hook["event_types"], event["type"]):
                    continue
                if replayed >= MAX_REPLAY_EVENTS:
                    truncated = True
                    break
                item = self.repository.new_delivery(hook["id"], event)
                if not self.repository.create_delivery(item):
                    item = self.repository.get_delivery(hook["id"], event["id"]) or item
                    delivery.restart(self.repository, item)
                else:
                    delivery.enqueue(self.tenant_id, hook["id"], event["id"], 1, clock.now())
                replayed += 1
            if truncated or not after:
                break
        body = {
            "replayed": replayed,
            "truncated": truncated,
            "since": clock.isoformat(since),
            "until": clock.isoformat(until),
        }
        return Outcome(202, body)


def _replay_window(since: datetime, until: datetime | None) -> tuple[str, str, datetime, datetime]:
    """The event-id range (ULIDs) of a replay window, in UTC; a 422 naming the field for any window
    outside the event log: before its retention, in the future, empty, or not a representable time."""
    from ulid import ULID

    now = clock.now()
    oldest = now - outbox.EVENT_RETENTION
    try:
        since = since.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ReplayWindowRefused("The window is invalid.", errors=[FieldError("/since", "is out of range")]) from None
    try:
        until = now if until is None else min(until.astimezone(UTC), now)  # no event is newer than now
    except (OverflowError, ValueError):
        raise ReplayWindowRefused("The window is invalid.", errors=[FieldError("/until", "is out of range")]) from None
    if since < oldest:
        raise ReplayWindowRefused(
            "The window starts before the event log's retention.",
            errors=[
                FieldError("/since", f"must be after {clock.isoformat(oldest)} ({outbox.EVENT_RETENTION.days} days)")
            ],
        )
    if until <= since:
        raise ReplayWindowRefused(
            "The window is empty.", errors=[FieldError("/until", "must be after since, and since before now")]
        )
    first = str(ULID.from_timestamp(since.timestamp()))[:10] + "0" * 16
    last = str(ULID.from_timestamp(until.timestamp()))[:10] + "Z" * 16
    return first, last, since, until
