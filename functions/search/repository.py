"""Where search items live for one tenant (shapes in crm.keys, built in search.index), and every read a
search makes, counted: `items_read` is what the X-Items-Read header reports. Reads use no filter
expressions, so each item counted was returned (what DynamoDB reads is what we see)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from contacts.repository import Record, RecordRepository
from crm import keys
from crm.store import Delete, Put, TenantTable
from crm.writes import WritePlan
from search.index import PENDING, Entry


class SearchRepository:
    def __init__(self, table: TenantTable) -> None:
        self.table = table
        self.records = RecordRepository(table)
        self.items_read = 0

    # --- reads (counted) ------------------------------------------------------------------------

    def entries(
        self,
        partition: tuple[str, ...],
        *,
        limit: int,
        after: str | None,
        descending: bool,
        prefix: str | None = None,
        between: tuple[str, str] | None = None,
    ) -> tuple[list[str], str | None]:
        """Sort keys of one index partition in key order (a prefix or an inclusive range of it), after
        `after`; and where to go on from, None at the end."""
        items, next_sort = self._items(partition, limit, after, descending, prefix, between)
        return [item["sk"] for item in items], next_sort

    def _items(
        self,
        partition: tuple[str, ...],
        limit: int,
        after: str | None,
        descending: bool,
        prefix: str | None = None,
        between: tuple[str, str] | None = None,
    ) -> tuple[list[dict[str, Any]], str | None]:
        items, next_sort = self.table.query(
            self.table.pk(*partition),
            limit=limit,
            after_sk=after,
            sk_prefix=prefix,
            sk_between=between,
            newest_first=descending,
        )
        self.items_read += len(items)
        return items, next_sort

    def records_by_id(self, object_name: str, record_ids: Iterable[str]) -> dict[str, Record]:
        wanted = list(dict.fromkeys(record_ids))
        if not wanted:
            return {}
        found = self.records.get_many(object_name, wanted)
        self.items_read += len(found)
        return found

    def walk(
        self, object_name: str, *, limit: int, after: str | None, descending: bool
    ) -> tuple[list[Record], str | None]:
        """A page of the object type's records partition (archived ones too), in id order."""
        page, next_id = self.records.walk(object_name, limit=limit, after=after, newest_first=descending)
        self.items_read += len(page)
        return page, next_id

    def pending(self, object_name: str) -> dict[str, int]:
        """Records whose index items are still being written (usually none): id -> the version marked."""
        found: dict[str, int] = {}
        after: str | None = None
        while True:
            items, after = self._items((PENDING, object_name), 1000, after, False)
            found.update((item["sk"], item["version"]) for item in items)
            if after is None:
                return found

    # --- writes (actions of a record's plan) ----------------------------------------------------

    def put(self, plan: WritePlan, entry: Entry) -> None:
        item: dict[str, Any] = {"kind": _kind(entry), "record_id": entry.record_id}
        plan.add(Put(self.table.pk(*entry.partition), entry.sort, item))

    def delete(self, plan: WritePlan, entry: Entry) -> None:
        plan.add(Delete(self.table.pk(*entry.partition), entry.sort))

    def mark_pending(self, plan: WritePlan, object_name: str, record_id: str, version: int) -> None:
        item = {"kind": keys.SEARCH_PENDING.kind, "record_id": record_id, "version": version}
        plan.add(Put(self.table.pk(PENDING, object_name), record_id, item))

    def clear_pending(self, plan: WritePlan, object_name: str, record_id: str, version: int | None) -> None:
        """Forget the mark once its items are written: only the mark of that version (a newer write that did
        not fit its transaction either marked the record again, and finishes its own)."""
        if version is None:
            plan.add(Delete(self.table.pk(PENDING, object_name), record_id))
            return
        plan.add(
            Delete(
                self.table.pk(PENDING, object_name),
                record_id,
                condition="attribute_not_exists(pk) OR version = :version",
                values={":version": version},
            ),
            "version_changed",
        )


def _kind(entry: Entry) -> str:
    return keys.SEARCH_TOKEN.kind if entry.partition[0] == keys.prefix(keys.SEARCH_TOKEN) else keys.SEARCH_INDEX.kind
