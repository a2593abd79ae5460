"""One property's index, built for the records that exist when a tenant marks it indexed, and dropped when
unmarked. schemas.service runs these once every warm container writes (or no longer writes) the property's
items with each record, so records written meanwhile keep their own items current."""

from __future__ import annotations

from contacts.schema import ObjectType
from crm.store import TenantTable
from search.index import INDEX, Entry, index_kind, property_entries, record_id_of
from search.indexing import MAX_ACTIONS, REBUILD_PAGE, write_items
from search.repository import SearchRepository


def index_property(table: TenantTable, object_type: ObjectType, prop: str) -> int:
    """Put the items of `prop` for every active record (reads each record once); how many were put. An item
    put for a value a record changed since it was read is stale, which a search skips (it evaluates every
    record it reads); the write that changed it put the current one."""
    kind = index_kind(object_type.properties[prop].type)
    if kind is None:
        return 0
    repository = SearchRepository(table)
    puts: list[Entry] = []
    written = 0
    after: str | None = None
    while True:
        page, after = repository.walk(object_type.name, limit=REBUILD_PAGE, after=after, descending=False)
        for record in page:
            if not record["archived_at"]:
                puts += property_entries(object_type.name, prop, kind, record)
        if len(puts) >= MAX_ACTIONS or after is None:
            write_items(repository, sorted(puts), [])
            written, puts = written + len(puts), []
        if after is None:
            return written


def drop_property(table: TenantTable, object_type: ObjectType, prop: str) -> int:
    """Delete every item of `prop`'s index; how many."""
    repository = SearchRepository(table)
    partition = (INDEX, object_type.name, prop)
    dropped = 0
    while True:  # each round reads from the start: what it read is deleted before the next
        keys, after = repository.entries(partition, limit=MAX_ACTIONS * 10, after=None, descending=False)
        write_items(repository, [], [Entry(partition, key, record_id_of(key)) for key in keys])
        dropped += len(keys)
        if after is None:
            return dropped
