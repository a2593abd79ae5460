"""Where records live in the single table, for one tenant.

- record:      pk T#<tenant>#R#<object>          sk <id (ULID, so newest first = reverse order)>
- unique guard pk T#<tenant>#U#<object>#<prop>   sk <normalised value>     -> record_id
- outbox event pk T#<tenant>#E                   sk <event id>
- idempotency  pk T#<tenant>#I                   sk sha256(<Idempotency-Key>)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crm import events
from crm.store import Check, Delete, Put, TenantTable

Record = dict[str, Any]  # the API form: id, object, properties, version, created_at, updated_at, archived_at

ACTIVE = "attribute_exists(pk) AND attribute_not_exists(archived_at)"


def record_item(record: Record) -> dict[str, Any]:
    item = {"kind": "record", **record}
    if item.get("archived_at") is None:
        item.pop("archived_at", None)  # absent, so conditions and filters can test attribute_not_exists
    return item


def record_from_item(item: dict[str, Any]) -> Record:
    return {
        "id": item["id"],
        "object": item["object"],
        "properties": item.get("properties", {}),
        "version": item["version"],
        "created_at": item["created_at"],
        "updated_at": item["updated_at"],
        "archived_at": item.get("archived_at"),
    }


@dataclass
class WritePlan:
    """One atomic change: the actions of one transaction and what each one's failure would mean."""

    actions: list[Put | Delete | Check] = field(default_factory=list)
    meaning: list[tuple[str, Any]] = field(default_factory=list)

    def add(self, action: Put | Delete | Check, meaning: str, detail: Any = None) -> None:
        self.actions.append(action)
        self.meaning.append((meaning, detail))


class RecordRepository:
    def __init__(self, table: TenantTable) -> None:
        self.table = table

    @property
    def tenant_id(self) -> str:
        return self.table.tenant_id

    def _records_pk(self, object_name: str) -> str:
        return self.table.pk("R", object_name)

    def _guard_pk(self, object_name: str, prop: str) -> str:
        return self.table.pk("U", object_name, prop)

    def get(self, object_name: str, record_id: str) -> Record | None:
        item = self.table.get(self._records_pk(object_name), record_id)
        return record_from_item(item) if item else None

    def id_for_unique(self, object_name: str, prop: str, value: str) -> str | None:
        guard = self.table.get(self._guard_pk(object_name, prop), value)
        return guard["record_id"] if guard else None

    def page(
        self, object_name: str, *, limit: int, after: str | None, include_archived: bool
    ) -> tuple[list[Record], str | None]:
        items, next_position = self.table.query(
            self._records_pk(object_name),
            limit=limit,
            after_sk=after,
            newest_first=True,
            filter_expression=None if include_archived else "attribute_not_exists(archived_at)",
        )
        return [record_from_item(i) for i in items], next_position

    # --- building a write -----------------------------------------------------------------------

    def put_record(self, plan: WritePlan, record: Record, *, expected_version: int | None) -> None:
        if expected_version is None:
            plan.add(
                Put(
                    self._records_pk(record["object"]),
                    record["id"],
                    record_item(record),
                    condition="attribute_not_exists(pk)",
                ),
                "record_exists",
            )
        else:
            plan.add(
                Put(
                    self._records_pk(record["object"]),
                    record["id"],
                    record_item(record),
                    condition="version = :expected",
                    values={":expected": expected_version},
                ),
                "version_changed",
            )

    def claim_unique(self, plan: WritePlan, object_name: str, prop: str, value: str, record_id: str) -> None:
        plan.add(
            Put(
                self._guard_pk(object_name, prop),
                value,
                {"kind": "guard", "record_id": record_id},
                condition="attribute_not_exists(pk) OR record_id = :id",
                values={":id": record_id},
            ),
            "duplicate",
            prop,
        )

    def release_unique(self, plan: WritePlan, object_name: str, prop: str, value: str, record_id: str) -> None:
        plan.add(
            Delete(
                self._guard_pk(object_name, prop),
                value,
                condition="attribute_not_exists(pk) OR record_id = :id",
                values={":id": record_id},
            ),
            "guard_moved",
            prop,
        )

    def require_active(self, plan: WritePlan, object_name: str, record_id: str, pointer: str) -> None:
        plan.add(Check(self._records_pk(object_name), record_id, condition=ACTIVE), "missing_reference", pointer)

    def emit(self, plan: WritePlan, event: dict[str, Any]) -> None:
        plan.add(Put(self.table.pk(events.OUTBOX_PARTITION), event["id"], events.outbox_item(event)), "event")

    def commit(self, plan: WritePlan) -> None:
        self.table.transact(plan.actions)
