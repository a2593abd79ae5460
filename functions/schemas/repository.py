"""Where a tenant's data model lives in the single table (shapes in crm.keys):

- schema   pk T#<tenant>#S    sk <object>    custom properties of a built-in, or a whole custom object type
- version  pk T#<tenant>#SV   sk VERSION     raised by every schema change (caches compare it)

Every schema change writes its object type's item and the version item in one transaction, conditioned
on the version read, so two concurrent changes never both land (the second is retried on the new one)."""

from __future__ import annotations

from typing import Any

from crm import keys
from crm.store import TenantTable
from crm.writes import Put, WritePlan

MAX_SCHEMA_ITEMS = 100  # built-ins with custom properties + custom object types: well within one page


class SchemaRepository:
    def __init__(self, table: TenantTable) -> None:
        self.table = table

    def _schemas_pk(self) -> str:
        return self.table.pk(keys.SCHEMA.partition)

    def _version_key(self) -> tuple[str, str]:
        return self.table.pk(keys.SCHEMA_VERSION.partition), keys.SCHEMA_VERSION.sort

    def version(self) -> int:
        """The tenant's schema version: 0 until its first change."""
        item = self.table.get(*self._version_key())
        return int(item["version"]) if item else 0

    def load(self) -> tuple[int, dict[str, dict[str, Any]]]:
        """(version, object name -> schema item). The version is read first: a change landing in between
        leaves items newer than the version, which the next version check reloads (never the reverse)."""
        version = self.version()
        items, _ = self.table.query(self._schemas_pk(), limit=MAX_SCHEMA_ITEMS, newest_first=False)
        return version, {item["object"]: item for item in items}

    def save(self, plan: WritePlan, item: dict[str, Any], *, read_version: int) -> None:
        """The object type's schema item, and the tenant's version moved on from the one read."""
        plan.add(Put(self._schemas_pk(), item["object"], {"kind": keys.SCHEMA.kind, **item}), "schema")
        pk, sk = self._version_key()
        condition = "attribute_not_exists(pk)" if read_version == 0 else "version = :read"
        values = {} if read_version == 0 else {":read": read_version}
        version_item = {"kind": keys.SCHEMA_VERSION.kind, "version": read_version + 1}
        plan.add(Put(pk, sk, version_item, condition=condition, values=values), "version_changed")
