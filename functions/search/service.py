"""Searching an object type's records: plan (search.planner), read candidates (search.sources), evaluate every
filter on the records read, answer a page and a cursor, and count the items read (X-Items-Read).

How a page is read, by the search's order (`sorts`, else newest first):

- A group's driver reads its index. Its candidates come in the order itself when the driver is on the sorted
  property, or is eq/in without sorts (each value's items are in id order: a merge of the values' streams).
  A page then costs what it returns (plus filtered-out candidates), whatever the collection's size.
- Otherwise the driver's candidates are sorted in memory: at most MAX_SORTED of them, read again for each
  page (a page costs up to MAX_SORTED index items, and the records when sorting by a property).
- A group no index serves (or one whose candidates are too many to sort) reads the whole order: the records
  partition (id order), or the sorted property's index and then the records without it. Linear in the
  collection; MAX_READ bounds the items one page reads, so such a search pages through the collection and a
  page may come back short (even empty) with a next_cursor: only a null next_cursor says it is done.
- OR groups are merged by position, each record once. Records whose index items are still being written
  (search.indexing) are always candidates.

Every candidate is read and evaluated against the whole search, so stale or approximate index keys never
change an answer; a candidate whose position is not the record's current one (a stale key) is skipped."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from contacts.registry import SchemaRegistry
from contacts.schema import ObjectType, ValidationContext, condition_values
from crm import cursor
from crm.store import TenantTable
from search import planner
from search.index import INDEX, SEP, UPDATED_AT, position, record_id_of, value_key
from search.planner import AssociatedAccess, IdsAccess, IndexAccess, KeyRange, Search, references
from search.repository import SearchRepository
from search.sources import Candidate, IndexStream, ListSource, Merge, RecordsWalk, Source, ahead

MAX_SORTED = 1000  # candidates of a driver sorted in memory (another order than its index's)
MAX_TARGETS = 100  # associated records an associated-record filter may match and still drive
MAX_READ = 2000  # items one page reads before it answers (checked between reads, so a little more)

Record = dict[str, Any]


@dataclass
class Page:
    records: list[Record]
    next_cursor: str | None
    items_read: int


class SearchService:
    def __init__(
        self,
        tenant_id: str,
        object_type: ObjectType,
        *,
        validation: ValidationContext | None = None,
        table: TenantTable | None = None,
    ) -> None:
        self.tenant_id, self.object_type = tenant_id, object_type
        self.validation = validation or ValidationContext()
        self.repository = SearchRepository(table or TenantTable(tenant_id))

    def search(self, request: Mapping[str, Any]) -> Page:
        """One page of the records matching `request` (filter_groups, sorts, query, limit, after)."""
        search = planner.plan(self.object_type, request, self.validation, SchemaRegistry(self.tenant_id))
        scope = f"search:{self.object_type.name}:{search.fingerprint}"
        start = (cursor.decode(request["after"], self.tenant_id, scope) if request.get("after") else None) or None
        merged = Merge(self._sources(search, start), search.order.descending)
        found, last, more = self._page(search, merged)
        next_cursor = cursor.encode(self.tenant_id, scope, last) if more and last is not None else None
        shown = [{**r, "properties": self.object_type.shown(r["properties"])} for r in found]
        return Page(shown, next_cursor, self.repository.items_read)

    # --- the page -------------------------------------------------------------------------------

    def _page(self, search: Search, merged: Merge) -> tuple[list[Record], str | None, bool]:
        """Candidates in order, read and evaluated a batch at a time, until the page is full, the candidates
        run out, or MAX_READ items are read and every candidate read so far is used."""
        found: list[Record] = []
        last: str | None = None
        while len(found) < search.limit:
            batch: list[Candidate] = []
            while len(batch) < search.limit - len(found):
                if (last or batch) and self.repository.items_read >= MAX_READ and not merged.read_ahead():
                    break  # enough read for one page
                candidate = merged.pop()
                if candidate is None:
                    break
                batch.append(candidate)
            if not batch:
                return found, last, not merged.finished()
            records = self.repository.records_by_id(self.object_type.name, [c.record_id for c in batch if not c.record])
            read = [(c, c.record or records.get(c.record_id)) for c in batch]
            associated = self._associated(search, [r for _, r in read if r is not None])
            for index, (candidate, record) in enumerate(read):
                last = candidate.position
                if self._matches(search, candidate, record, associated):
                    found.append(record)  # type: ignore[arg-type]  # matched, so read
                    if len(found) == search.limit:
                        return found, last, index < len(read) - 1 or merged.peek() is not None
        return found, last, merged.peek() is not None

    def _matches(
        self, search: Search, candidate: Candidate, record: Record | None, associated: Mapping[str, Record]
    ) -> bool:
        if record is None or record["archived_at"]:
            return False
        if position(self.object_type, search.order.property, record) != candidate.position:
            return False  # a stale index item: the record stands elsewhere in the order now
        return search.matches(record, associated)

    def _associated(self, search: Search, records: list[Record]) -> dict[str, Record]:
        """The active records the page's candidates refer to through associated-record filters."""
        wanted: dict[str, set[str]] = {}
        for term in search.associated_terms():
            assert term.association is not None
            ids = wanted.setdefault(term.association.target.name, set())
            for record in records:
                ids.update(references(term, record))
        found: dict[str, Record] = {}
        for object_name, ids in wanted.items():
            read = self.repository.records_by_id(object_name, sorted(ids))
            found.update((i, r) for i, r in read.items() if not r["archived_at"])
        return found

    # --- where candidates come from -------------------------------------------------------------

    def _sources(self, search: Search, start: str | None) -> list[Source]:
        if not search.groups:
            return self._everything(search, start)
        sources: list[Source] = []
        for group in search.groups:
            read = next((s for a in group.accesses if (s := self._read(search, a, start)) is not None), None)
            if read is None:
                return self._everything(search, start)  # no index serves this group: read everything
            sources += read
        return sources + self._pending(search, start)

    def _everything(self, search: Search, start: str | None) -> list[Source]:
        """Every record, in the order: the records partition, or the sorted property's index and then the
        records without that property."""
        prop, descending, chunk = search.order.property, search.order.descending, search.limit + 1
        if prop is None:
            return [RecordsWalk(self.repository, self.object_type, descending=descending, start=start, chunk=chunk)]
        whole = IndexAccess((INDEX, self.object_type.name, prop), (KeyRange(),), prop, exact=False)
        sources = [self._stream(whole, KeyRange(), search, start, by_id=False)]
        if prop != UPDATED_AT:  # every record has an updated_at; not every record has this property
            tail = RecordsWalk(
                self.repository, self.object_type, descending=descending, start=start, chunk=chunk, missing=prop
            )
            sources.append(tail)
        return sources + self._pending(search, start)

    def _read(self, search: Search, access: Any, start: str | None) -> list[Source] | None:
        """Sources for one access path in the search's order; None when it cannot serve (too many candidates
        to sort, or an associated filter matching too many records)."""
        order, descending = search.order, search.order.descending
        if isinstance(access, AssociatedAccess):
            resolved = self._through(access)
            if resolved is None:
                return None
            access = resolved
        if isinstance(access, IdsAccess):
            if order.property is None:
                ids = sorted(set(access.ids), reverse=descending)
                return [ListSource(Candidate(i, i) for i in ids if start is None or ahead(start, i, descending))]
            return self._sorted(search, set(access.ids), start)
        assert isinstance(access, IndexAccess)
        if access.property is not None and access.property == order.property:
            return [self._stream(access, r, search, start, by_id=False) for r in access.ranges]
        if access.exact and order.property is None:
            return [self._stream(access, r, search, start, by_id=True) for r in access.ranges]
        ids = self._ids(access, MAX_SORTED)
        return None if ids is None else self._sorted(search, ids, start)

    def _stream(
        self, access: IndexAccess, key_range: KeyRange, search: Search, start: str | None, *, by_id: bool
    ) -> Source:
        chunk = math.ceil((search.limit + 1) / len(access.ranges)) if by_id else search.limit + 1
        return IndexStream(
            self.repository,
            access.partition,
            key_range,
            descending=search.order.descending,
            by_id=by_id,
            start=start,
            chunk=chunk,
        )

    def _sorted(self, search: Search, ids: set[str], start: str | None) -> list[Source]:
        """Candidates sorted in memory: by id as they are, by a property once their records are read."""
        order = search.order
        if order.property is None:
            candidates = [Candidate(i, i) for i in ids]
        else:
            records = self.repository.records_by_id(self.object_type.name, sorted(ids))
            candidates = [
                Candidate(position(self.object_type, order.property, r), i, r)
                for i, r in records.items()
                if not r["archived_at"]
            ]
        kept = [c for c in candidates if start is None or ahead(start, c.position, order.descending)]
        return [ListSource(sorted(kept, key=lambda c: c.position, reverse=order.descending))]

    def _ids(self, access: IndexAccess, most: int) -> set[str] | None:
        """The record ids an access path's ranges hold, or None beyond `most`."""
        ids: set[str] = set()
        for key_range in access.ranges:
            after: str | None = None
            while True:
                keys, after = self.repository.entries(
                    access.partition,
                    limit=min(most + 1 - len(ids), 1000) or 1,
                    after=after,
                    descending=False,
                    prefix=key_range.prefix,
                    between=key_range.between,
                )
                ids.update(record_id_of(k) for k in keys)
                if len(ids) > most:
                    return None
                if after is None:
                    break
        return ids

    def _through(self, access: AssociatedAccess) -> IndexAccess | None:
        """An associated-record filter as `in` on its reference property: the ids of the associated records
        matching it (read through their own index), or None if more than MAX_TARGETS do."""
        term = access.term
        assert term.association is not None
        target, via = term.association.target, term.association.via
        ids = self._ids(access.target_access, MAX_TARGETS)
        if ids is None:
            return None
        read = self.repository.records_by_id(target.name, sorted(ids))
        matching = sorted(
            i for i, r in read.items() if not r["archived_at"] and term.compare.evaluate(condition_values(r))
        )
        ranges = tuple(KeyRange(prefix=f"{value_key('text', i)}{SEP}") for i in matching)
        return IndexAccess((INDEX, self.object_type.name, via), ranges, via, exact=True)

    def _pending(self, search: Search, start: str | None) -> list[Source]:
        """Records whose index items are still being written: candidates of every search."""
        marked = self.repository.pending(self.object_type.name)
        return self._sorted(search, set(marked), start) if marked else []
