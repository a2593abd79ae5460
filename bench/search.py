"""Search figures for `make bench`, on moto.

moto meters no capacity, so write units are computed from what each write sends: in a TransactWriteItems
every action (Put, Delete, ConditionCheck) costs 2 WRU per KB of its item (rounded up; a Delete or a
ConditionCheck is priced at the size of the item it names, read first), a lone PutItem 1 WRU per KB. Item
sizes follow DynamoDB's rule (attribute names plus values in bytes; numbers about one byte per two digits).

Reads are counted by the search itself (X-Items-Read): index items and records. The 100,000-contact tenant is
seeded straight into moto's table: its items are built by the write path's own code (RecordRepository.put_record
and RecordIndex.add, the actions of a create's plan), but moto's BatchWriteItem would take minutes for 300,000
items, and its transactions copy the whole table once per action.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable
from typing import Any

INDEXED_PAGE = 50
SIZES = (1_000, 100_000)  # contacts, for the indexed search's items read
UNINDEXED_SIZES = (1_000, 5_000, 20_000)  # and for the unindexed search's (moto's queries slow down with size)
WRITES = 20  # contact creates and updates metered


def _attribute_bytes(value: dict[str, Any]) -> int:
    (kind, raw), *_ = value.items()
    if kind == "S":
        return len(raw.encode())
    if kind == "N":
        return math.ceil(len(raw.lstrip("-").replace(".", "").lstrip("0") or "0") / 2) + 1
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode()) + _attribute_bytes(v) + 1 for k, v in raw.items())
    if kind == "L":
        return 3 + sum(_attribute_bytes(v) + 1 for v in raw)
    return len(json.dumps(raw).encode())


def item_bytes(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + _attribute_bytes(value) for name, value in item.items())


def _is_index(pk: str) -> bool:
    return any(f"#{prefix}#" in pk for prefix in ("X", "XQ", "XP"))


class WriteMeter:
    """Write units of every DynamoDB write the process makes, split into search index items and the rest."""

    def __init__(self) -> None:
        from botocore.client import BaseClient

        self.units = {"index": 0, "other": 0}
        self.actions = {"index": 0, "other": 0}
        original = BaseClient._make_api_call
        meter, busy = self, [False]

        def metered(client: Any, operation: str, params: dict[str, Any]) -> Any:
            if not busy[0] and operation in ("TransactWriteItems", "PutItem"):
                busy[0] = True
                try:
                    meter._count(client, operation, params)
                finally:
                    busy[0] = False
            return original(client, operation, params)

        BaseClient._make_api_call = metered  # type: ignore[method-assign]
        self._restore: Callable[[], None] = lambda: setattr(BaseClient, "_make_api_call", original)

    def close(self) -> None:
        self._restore()

    def reset(self) -> None:
        self.units = {"index": 0, "other": 0}
        self.actions = {"index": 0, "other": 0}

    def _count(self, client: Any, operation: str, params: dict[str, Any]) -> None:
        if operation == "PutItem":
            self._add(params["Item"]["pk"]["S"], item_bytes(params["Item"]), 1)
            return
        for action in params["TransactItems"]:
            (kind, body), *_ = action.items()
            if kind == "Put":
                item = body["Item"]
            else:  # priced at the size of the item it names
                found = client.get_item(TableName=body["TableName"], Key=body["Key"]).get("Item")
                item = found or body["Key"]
            key = body.get("Item", body.get("Key"))
            self._add(key["pk"]["S"], item_bytes(item), 2)

    def _add(self, pk: str, size: int, per_kb: int) -> None:
        part = "index" if _is_index(pk) else "other"
        self.units[part] += per_kb * max(1, math.ceil(size / 1024))
        self.actions[part] += 1


def _gateway() -> Any:
    """A fresh local gateway on moto (inside the caller's mock_aws)."""
    from local import provision
    from local.gateway import LocalGateway

    provision.all_resources()
    return LocalGateway()


def _tenant(gateway: Any) -> Callable[..., Any]:
    """A call function for a new tenant; its id as `call.tenant_id`."""
    sent = gateway.handle("POST", "/v1/tenants", {"Authorization": "Bearer crm_operator_bench"}, b'{"name":"Bench"}')
    tenant = json.loads(sent.body)
    headers = {"Authorization": f"Bearer {tenant['api_key']['key']}", "Content-Type": "application/json"}

    def call(method: str, path: str, body: Any = None) -> Any:
        reply = gateway.handle(method, path, headers, json.dumps(body).encode() if body is not None else b"")
        assert reply.status < 300, (path, reply.body)
        return reply

    call.tenant_id = tenant["tenant"]["id"]  # type: ignore[attr-defined]
    return call


def write_figures() -> dict[str, float]:
    """WRU per contact create and update (new indexed value; new name: index and token items) with the indexes."""
    from moto import mock_aws

    with mock_aws():
        call = _tenant(_gateway())
        meter = WriteMeter()
        try:
            figures: dict[str, float] = {}
            ids = []
            changes = {
                "update stage": {"lifecycle_stage": "customer"},  # one indexed value: its old item out, new in
                "update name": {"last_name": "Byron"},  # an indexed value and its query token
                "update unindexed": {"phone": "+14155552671"},  # only updated_at's item moves
            }
            for label in ("create", *changes):
                meter.reset()
                for i in range(WRITES):
                    if label == "create":
                        ids.append(json.loads(call("POST", "/v1/contacts", _contact(i)).body)["id"])
                    else:
                        call("PATCH", f"/v1/contacts/{ids[i]}", {"properties": changes[label]})
                figures[f"{label} index"] = meter.units["index"] / WRITES
                figures[f"{label} other"] = meter.units["other"] / WRITES
                figures[f"{label} index items"] = meter.actions["index"] / WRITES
        finally:
            meter.close()
    return figures


def _contact(i: int) -> dict[str, Any]:
    return {
        "properties": {
            "email": f"ada{i}@acme.example",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "lifecycle_stage": "lead",
            "owner": "sam@acme.example",
        }
    }


def _seed(tenant_id: str, count: int) -> None:
    """`count` contacts (a third of them customers, each with a note), with their search items, as a create
    writes them, put straight into moto's table."""
    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodb.models.dynamo_type import DynamoType, Item

    from contacts.registry import SchemaRegistry
    from contacts.repository import RecordRepository
    from crm import clock, store
    from crm.store import Put, TenantTable
    from crm.writes import WritePlan
    from local.provision import ACCOUNT, REGION
    from search.indexing import RecordIndex

    table = TenantTable(tenant_id)
    contact = SchemaRegistry(tenant_id).by_name("contact")
    records, index = RecordRepository(table), RecordIndex(table, contact)
    moto_table = dynamodb_backends[ACCOUNT][REGION].get_table(store.table_name())
    now = clock.now_iso()
    for n in range(count):
        record = {
            "id": clock.new_id(),
            "object": "contact",
            "properties": {"lifecycle_stage": "customer" if n % 3 == 0 else "lead", "note": f"n{n}"},
            "version": 1,
            "created_at": now,
            "updated_at": now,
            "archived_at": None,
        }
        plan = WritePlan()
        records.put_record(plan, record, expected_version=None)
        index.add(plan, None, record)
        for action in plan.actions:
            assert isinstance(action, Put)
            attributes = store.to_item({**action.item, "pk": action.pk, "sk": action.sk})
            pk, sk = DynamoType(attributes["pk"]), DynamoType(attributes["sk"])
            moto_table.items[pk][sk] = Item(pk, sk, attributes)


def read_figures() -> dict[str, Any]:
    """Items read by a page of an indexed search at each size, and by an unindexed search to its end."""
    from moto import mock_aws

    figures: dict[str, Any] = {"indexed": {}, "indexed_sorted": {}, "unindexed": {}, "seconds": {}}
    indexed = {"filter_groups": [{"filters": [{"property": "lifecycle_stage", "op": "eq", "value": "customer"}]}]}
    sorted_by_update = {**indexed, "sorts": [{"property": "updated_at", "direction": "desc"}]}
    unindexed = {"filter_groups": [{"filters": [{"property": "note", "op": "eq", "value": "none"}]}]}
    with mock_aws():
        gateway = _gateway()
        for size in sorted(set(SIZES) | set(UNINDEXED_SIZES)):
            call = _tenant(gateway)
            call("POST", "/v1/schemas/contacts/properties", {"name": "note", "label": "Note", "type": "string"})
            started = time.perf_counter()
            _seed(call.tenant_id, size)  # type: ignore[attr-defined]
            figures["seconds"][size] = time.perf_counter() - started

            def read(body: dict[str, Any], size: int = size, call: Any = call) -> tuple[int, int, str | None]:
                reply = call("POST", "/v1/contacts/search", {**body, "limit": INDEXED_PAGE})
                page = json.loads(reply.body)
                return int(reply.headers["X-Items-Read"]), len(page["data"]), page["next_cursor"]

            if size in SIZES:
                figures["indexed"][size] = read(indexed)[:2]
                figures["indexed_sorted"][size] = read(sorted_by_update)[:2]
            if size in UNINDEXED_SIZES:
                total, pages, after = 0, 0, None
                while True:
                    reply = call("POST", "/v1/contacts/search", {**unindexed, **({"after": after} if after else {})})
                    total, pages = total + int(reply.headers["X-Items-Read"]), pages + 1
                    after = json.loads(reply.body)["next_cursor"]
                    if after is None:
                        break
                figures["unindexed"][size] = (total, pages)
    return figures


def print_search_figures() -> None:
    from local import provision

    provision.fake_credentials()
    os.environ.setdefault("CRM_OPERATOR_KEY", "crm_operator_bench")
    os.environ["POWERTOOLS_LOG_LEVEL"] = "CRITICAL"
    started = time.perf_counter()
    writes = write_figures()
    reads = read_figures()
    print()
    print("Search (indexes written in the record's own transaction; WRU computed from the items written, see")
    print("bench/search.py: moto meters no capacity)")
    for label in ("create", "update stage", "update name", "update unindexed"):
        index, other = writes[f"{label} index"], writes[f"{label} other"]
        print(
            f"  contact {label:17} {index + other:5.1f} WRU: {other:4.1f} record, events, guards, idempotency"
            f" + {index:4.1f} for {writes[f'{label} index items']:.0f} index items"
        )
    for size, (read, found) in reads["indexed"].items():
        print(f"  indexed search (lifecycle_stage eq), page of {found} at {size:>7,} contacts: {read} items read")
    for size, (read, found) in reads["indexed_sorted"].items():
        print(f"  ... sorted by updated_at desc,       page of {found} at {size:>7,} contacts: {read} items read")
    for size, (read, pages) in reads["unindexed"].items():
        print(f"  unindexed search (custom note eq), to its end at {size:>7,} contacts: {read} items, {pages} pages")
    print(f"  ({time.perf_counter() - started:.0f} s, of which seeding {sum(reads['seconds'].values()):.0f} s)")


if __name__ == "__main__":
    print_search_figures()
