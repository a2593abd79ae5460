"""Where records live in the single table, for one tenant (shapes in crm.keys):

- record       pk T#<tenant>#R#<object>          sk <id (ULID, so newest first = reverse order)>
- unique guard pk T#<tenant>#U#<object>#<prop>   sk <normalised value>     -> record_id
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from crm import keys
from crm.store import ReadAhead, TenantTable
from crm.writes import Check, Delete, Put, WritePlan

Record = dict[str, Any]  # the API form: id, object, properties, version, created_at, updated_at, archived_at

ACTIVE = "attribute_exists(pk) AND attribute_not_exists(archived_at)"
GUARD_PAGE = 500


def guard_key(value: Any) -> str:
    """A unique value as its guard's sort key: a string as stored (normalised on write), a number in one
    spelling (12, 12.0 and 1.2E1 hold one guard)."""
    if isinstance(value, str):
        return value
    return format(Decimal(str(value)).normalize(), "f")  # (str: a float by its shortest spelling)


def record_item(record: Record) -> dict[str, Any]:
    item = {"kind": keys.RECORD.kind, **record}
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


class RecordRepository:
    def __init__(self, table: TenantTable) -> None:
        self.table = table

    @property
    def tenant_id(self) -> str:
        return self.table.tenant_id

    def _records_pk(self, object_name: str) -> str:
        return self.table.pk(keys.prefix(keys.RECORD), object_name)

    def _guard_pk(self, object_name: str, prop: str) -> str:
        return self.table.pk(keys.prefix(keys.UNIQUE_GUARD), object_name, prop)

    def get(self, object_name: str, record_id: str) -> Record | None:
        item = self.table.get(self._records_pk(object_name), record_id)
        return record_from_item(item) if item else None

    def id_for_unique(self, object_name: str, prop: str, value: Any) -> str | None:
        guard = self.table.get(self._guard_pk(object_name, prop), guard_key(value))
        return guard["record_id"] if guard else None

    def ids_for_unique(self, object_name: str, prop: str, values: list[Any]) -> dict[Any, str]:
        """The record holding each of these unique values, those that are held, in one round trip."""
        pk = self._guard_pk(object_name, prop)
        found = self.table.get_many([(pk, guard_key(value)) for value in values])
        return {
            value: found[(pk, guard_key(value))]["record_id"] for value in values if (pk, guard_key(value)) in found
        }

    def unique_guards(self, object_name: str, prop: str) -> Iterator[tuple[str, str]]:
        """Every guard of a unique property: (guard key, record id)."""
        after: str | None = None
        while True:
            items, after = self.table.query(self._guard_pk(object_name, prop), limit=GUARD_PAGE, after_sk=after)
            yield from ((item["sk"], item["record_id"]) for item in items)
            if after is None:
                return

    def read_ahead(self, object_name: str, record_ids: list[str]) -> None:
        """Read these records in one round trip, each then served to its next `get` (on a ReadAhead table; on
        any other, nothing: each is read when it is got)."""
        if isinstance(self.table, ReadAhead):
            self.table.read_ahead((self._records_pk(object_name), record_id) for record_id in record_ids)

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

    def get_many(self, object_name: str, record_ids: list[str]) -> dict[str, Record]:
        """These records (those that exist, archived ones too) by id, in one round trip per hundred."""
        pk = self._records_pk(object_name)
        found = self.table.get_many([(pk, record_id) for record_id in record_ids])
        return {sk: record_from_item(item) for (_, sk), item in found.items()}

    def walk(
        self, object_name: str, *, limit: int, after: str | None, newest_first: bool
    ) -> tuple[list[Record], str | None]:
        """A page of every record, archived ones too, in id order: each item read is returned (no filter)."""
        items, next_position = self.table.query(
            self._records_pk(object_name), limit=limit, after_sk=after, newest_first=newest_first
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
                "created",
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

    def claim_unique(self, plan: WritePlan, object_name: str, prop: str, value: Any, record_id: str) -> None:
        plan.add(
            Put(
                self._guard_pk(object_name, prop),
                guard_key(value),
                {"kind": keys.UNIQUE_GUARD.kind, "record_id": record_id},
                condition="attribute_not_exists(pk) OR record_id = :id",
                values={":id": record_id},
            ),
            "duplicate",
            prop,
        )

    def take_over_unique(
        self, plan: WritePlan, object_name: str, prop: str, value: Any, record_id: str, stale_holder: str
    ) -> None:
        """Claim a guard left by a record that no longer holds the value (e.g. from before the property
        stopped being unique), as long as it still names that record."""
        plan.add(
            Put(
                self._guard_pk(object_name, prop),
                guard_key(value),
                {"kind": keys.UNIQUE_GUARD.kind, "record_id": record_id},
                condition="record_id = :stale",
                values={":stale": stale_holder},
            ),
            "guard_moved",
            prop,
        )

    def release_unique(self, plan: WritePlan, object_name: str, prop: str, value: Any, record_id: str) -> None:
        plan.add(
            Delete(
                self._guard_pk(object_name, prop),
                guard_key(value),
                condition="attribute_not_exists(pk) OR record_id = :id",
                values={":id": record_id},
            ),
            "guard_moved",
            prop,
        )

    def require_version(self, plan: WritePlan, object_name: str, record_id: str, version: int) -> None:
        """The record must still be active at this version (what was read is what is written about)."""
        plan.add(
            Check(
                self._records_pk(object_name),
                record_id,
                condition="version = :version AND attribute_not_exists(archived_at)",
                values={":version": version},
            ),
            "version_changed",
        )

    def require_active(self, plan: WritePlan, object_name: str, record_id: str, pointer: str) -> None:
        plan.add(Check(self._records_pk(object_name), record_id, condition=ACTIVE), "missing_reference", pointer)
