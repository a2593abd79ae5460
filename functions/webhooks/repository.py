"""Where webhook subscriptions, deliveries and the event log live, for one tenant (shapes in crm.keys).

- subscription pk T#<tenant>#W              sk <webhook id>
- delivery     pk T#<tenant>#D#<webhook id> sk <event id>   (one per event per endpoint; attempts inside)
- event log    pk T#<tenant>#E              sk <event id>   (the outbox items, kept EVENT_RETENTION)
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from crm import clock, jsonio, keys, outbox
from crm.store import TenantTable
from crm.writes import Delete, Outcome, Put, VersionRace, WritePlan, Writer

DELIVERY_RETENTION = timedelta(days=35)
MAX_ATTEMPTS_KEPT = 50


def public_webhook(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": item["id"],
        "url": item["url"],
        "event_types": item["event_types"],
        "description": item.get("description"),
        "enabled": item["enabled"],
        "disabled_reason": item.get("disabled_reason"),
        "failing_since": item.get("failing_since"),
        "version": item["version"],
        "created_at": item["created_at"],
        "updated_at": item["updated_at"],
    }


def public_delivery(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": item["id"],
        "webhook_id": item["webhook_id"],
        "event_id": item["event_id"],
        "event_type": item["event_type"],
        "status": item["status"],
        "attempts": item.get("attempts", []),
        "next_attempt_at": item.get("next_attempt_at"),
        "created_at": item["created_at"],
        "updated_at": item["updated_at"],
    }


def _stored_delivery(item: dict[str, Any]) -> dict[str, Any]:
    """Attempts are kept as one JSON string: a growing list of small maps is cheap to store that way."""
    stored = {k: v for k, v in item.items() if k != "attempts"}
    stored["attempts_log"] = jsonio.dumps(item["attempts"][-MAX_ATTEMPTS_KEPT:])
    return stored


def _loaded_delivery(item: dict[str, Any] | None) -> dict[str, Any] | None:
    if item is None:
        return None
    loaded = {k: v for k, v in item.items() if k != "attempts_log"}
    loaded["attempts"] = jsonio.loads(item.get("attempts_log") or "[]")
    return loaded


class WebhookRepository:
    def __init__(self, table: TenantTable) -> None:
        self.table = table
        self.tenant_id = table.tenant_id
        self._webhooks = table.pk(keys.WEBHOOK.partition)
        self._events = table.pk(outbox.OUTBOX_PARTITION)

    def _deliveries(self, webhook_id: str) -> str:
        return self.table.pk(keys.prefix(keys.DELIVERY), webhook_id)

    # subscriptions
    def get_webhook(self, webhook_id: str) -> dict[str, Any] | None:
        return self.table.get(self._webhooks, webhook_id)

    def page_webhooks(self, limit: int, after: str | None) -> tuple[list[dict[str, Any]], str | None]:
        return self.table.query(self._webhooks, limit=limit, after_sk=after)

    def all_webhooks(self) -> list[dict[str, Any]]:
        found, after = [], None
        while True:
            page, after = self.table.query(self._webhooks, limit=100, after_sk=after, newest_first=False)
            found += page
            if not after:
                return found

    def put_webhook(self, plan: WritePlan, item: dict[str, Any], expected_version: int | None) -> None:
        """Writes a subscription: a new one, or over exactly the version that was read."""
        if expected_version is None:
            plan.add(Put(self._webhooks, item["id"], item, condition="attribute_not_exists(pk)"), "created")
        else:
            put = Put(self._webhooks, item["id"], item, condition="version = :v", values={":v": expected_version})
            plan.add(put, "version_changed")

    def delete_webhook(self, plan: WritePlan, webhook_id: str) -> None:
        plan.add(Delete(self._webhooks, webhook_id, condition="attribute_exists(pk)"), "exists")

    # event log
    def events_between(
        self, first_id: str, last_id: str, limit: int, after: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Events with ids (ULIDs, so times) in [first_id, last_id], oldest first."""
        items, position = self.table.query(
            self._events, limit=limit, after_sk=after, newest_first=False, sk_between=(first_id, last_id)
        )
        return [outbox.from_outbox_item(i) for i in items if i.get("payload")], position

    # deliveries
    def attempt_context(
        self, webhook_id: str, delivery_id: str
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None, dict[str, Any] | None]:
        """The delivery, its endpoint and its event (a delivery's id is its event's id), in one read."""
        wanted = {
            "delivery": (self._deliveries(webhook_id), delivery_id),
            "webhook": (self._webhooks, webhook_id),
            "event": (self._events, delivery_id),
        }
        found = self.table.get_many(list(wanted.values()))
        event = found.get(wanted["event"])
        return (
            _loaded_delivery(found.get(wanted["delivery"])),
            found.get(wanted["webhook"]),
            outbox.from_outbox_item(event) if event else None,
        )

    def get_delivery(self, webhook_id: str, delivery_id: str) -> dict[str, Any] | None:
        return _loaded_delivery(self.table.get(self._deliveries(webhook_id), delivery_id))

    def page_deliveries(
        self, webhook_id: str, limit: int, after: str | None, status: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        items, position = self.table.query(
            self._deliveries(webhook_id),
            limit=limit,
            after_sk=after,
            filter_expression="#status = :status" if status else None,
            filter_names={"#status": "status"} if status else None,
            filter_values={":status": status} if status else None,
        )
        return [_loaded_delivery(i) for i in items], position  # type: ignore[misc]

    def new_delivery(self, webhook_id: str, event: dict[str, Any]) -> dict[str, Any]:
        now = clock.now_iso()
        return {
            "kind": keys.DELIVERY.kind,
            "id": event["id"],
            "webhook_id": webhook_id,
            "event_id": event["id"],
            "event_type": event["type"],
            "status": "pending",
            "attempts": [],
            "schedule_base": 0,
            "next_attempt_at": now,
            "created_at": now,
            "updated_at": now,
            "version": 1,
            "expires_at": int((clock.now() + DELIVERY_RETENTION).timestamp()),
        }

    def create_delivery(self, item: dict[str, Any]) -> bool:
        """False when this event already has a delivery to this endpoint (a repeated fan-out)."""
        plan = WritePlan().add(
            Put(
                self._deliveries(item["webhook_id"]),
                item["id"],
                _stored_delivery(item),
                condition="attribute_not_exists(pk)",
            ),
            "created",
        )
        try:
            Writer(self.table).commit(plan, Outcome(201, item), subject="delivery")
        except VersionRace:
            return False
        return True

    def save_delivery(self, item: dict[str, Any]) -> None:
        """Optimistic: raises VersionRace if someone else saved it since it was read."""
        expected = item["version"]
        item = {**item, "version": expected + 1, "updated_at": clock.now_iso()}
        put = Put(
            self._deliveries(item["webhook_id"]),
            item["id"],
            _stored_delivery(item),
            condition="version = :v",
            values={":v": expected},
        )
        Writer(self.table).commit(WritePlan().add(put, "version_changed"), Outcome(200, item), subject="delivery")
