"""SQS consumer: record change events -> how much each property is used, per tenant and object type.

One usage item per object type holds how many active records there are, how many of them hold a value of
each property, and when each property was last written. Each batch reads and writes that item once per
object type it touches, conditioned on the version read (a concurrent batch makes it read again). The
item remembers the last event ids it applied, so a redelivered event is not counted twice. Nothing here
scans: the counts follow the changes, from the moment this consumer runs (records older than that are
not in the counts)."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from crm import catalogue, keys, observability
from crm.store import ConditionsFailed, TenantTable
from crm.writes import Put, VersionRace, WritePlan

REMEMBERED_EVENTS = 1000  # far more than any redelivery window holds
ATTEMPTS = 5


def usage_key(table: TenantTable, object_name: str) -> tuple[str, str]:
    return table.pk(keys.SCHEMA_USAGE.partition), object_name


def read_usage(table: TenantTable, object_name: str) -> dict[str, Any]:
    item = table.get(*usage_key(table, object_name))
    return item or {"records": 0, "filled": {}, "written": {}, "applied": [], "version": 0}


def apply(usage: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    """The usage after one record change event (pure: the caller stores it)."""
    if event["id"] in usage["applied"]:
        return usage
    action = event["type"].rsplit(".", 1)[1]
    properties = (event.get("data") or {}).get("properties") or {}
    filled = dict(usage["filled"])
    written = dict(usage["written"])
    records = usage["records"]
    if action in ("created", "restored"):
        records += 1
        for name in properties:
            filled[name] = filled.get(name, 0) + 1
    elif action == "deleted":
        records -= 1
        for name in properties:
            filled[name] = filled.get(name, 0) - 1
    else:  # updated: only what changed
        for name, change in (event.get("changes") or {}).items():
            was, now = change.get("old") is not None, change.get("new") is not None
            filled[name] = filled.get(name, 0) + (now - was)
    if action in ("created", "updated"):
        touched = properties if action == "created" else (event.get("changes") or {})
        for name in touched:
            written[name] = max(written.get(name, ""), event["occurred_at"])
    applied = [*usage["applied"], event["id"]][-REMEMBERED_EVENTS:]
    return {**usage, "records": max(records, 0), "filled": filled, "written": written, "applied": applied}


def _is_record_change(event: dict[str, Any]) -> bool:
    data = event.get("data") or {}
    return (
        event.get("type", "").endswith(catalogue.RECORD_CHANGE_SUFFIXES)
        and data.get("object") == event.get("object")
        and isinstance(data.get("properties"), dict)
    )


def record_batch(events: list[dict[str, Any]]) -> None:
    """Apply events of one tenant and object type, in the order they happened."""
    first = events[0]
    table = TenantTable(first["tenant_id"])
    pk, sk = usage_key(table, first["object"])
    for attempt in range(ATTEMPTS):
        usage = read_usage(table, first["object"])
        updated = usage
        for event in sorted(events, key=lambda e: e["occurred_at"]):
            updated = apply(updated, event)
        if updated is usage:
            return
        plan = WritePlan()
        condition = "attribute_not_exists(pk)" if usage["version"] == 0 else "version = :read"
        values = {} if usage["version"] == 0 else {":read": usage["version"]}
        item = {
            "kind": keys.SCHEMA_USAGE.kind,
            **{k: updated[k] for k in ("records", "filled", "written", "applied")},
            "version": usage["version"] + 1,
        }
        plan.add(Put(pk, sk, item, condition=condition, values=values), "version_changed")
        try:
            table.transact(plan.actions)
            return
        except ConditionsFailed as failure:  # another batch moved the item on: read it again
            if attempt == ATTEMPTS - 1:
                raise VersionRace() from failure


@observability.observed
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    groups: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    failures: list[str] = []
    for record in event.get("Records", []):
        try:
            envelope = json.loads(record["body"])
            change = envelope.get("detail", envelope)
        except (ValueError, AttributeError):
            observability.get_logger().error("not a change event", extra={"message_id": record.get("messageId")})
            continue  # never a change event: nothing to count, and redelivering it would not help
        if _is_record_change(change):
            groups[(change["tenant_id"], change["object"])].append((record["messageId"], change))
    for (tenant_id, object_name), items in groups.items():
        try:
            record_batch([change for _, change in items])
        except Exception:
            observability.get_logger().exception(
                "could not count property usage", extra={"tenant_id": tenant_id, "object": object_name}
            )
            failures += [message_id for message_id, _ in items]
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failures]}
