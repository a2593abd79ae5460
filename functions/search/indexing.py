"""Keeping the search items in step with the records: in each record write's own plan (so a search sees the
write as soon as it commits), and a rebuild for records written before an index existed.

A write puts the items its record gains and deletes those it loses, nothing else (an update that changes one
indexed value writes two items: the old key deleted, the new one put; every update also moves updated_at's).
A transaction holds at most 100 actions: what does not fit (a deal naming 50 contacts, a type with many
indexed properties) follows in further transactions right after the commit, and until it has, the record is
marked pending in the same transaction, so every search reads it as a candidate: searches stay complete,
whatever happens between the two. Deletes never need the mark: a stale item only costs a read (searches
evaluate every candidate). A request that dies in between leaves its mark; the rebuild clears it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from contacts.schema import ObjectType
from crm import observability
from crm.errors import CrmError
from crm.idempotency import Outcome
from crm.store import TenantTable
from crm.writes import VersionRace, WritePlan, Writer
from search.index import INDEX, TOKENS, UPDATED_AT, Entry, entries, record_id_of, written
from search.repository import SearchRepository

MAX_ACTIONS = 100  # DynamoDB's limit per transaction


@dataclass
class Deferred:
    """Index work a record's transaction had no room for: `finish` it once that transaction committed."""

    repository: SearchRepository | None = None
    object_name: str = ""
    puts: list[Entry] = field(default_factory=list)
    deletes: list[Entry] = field(default_factory=list)
    pending: tuple[str, int] | None = None  # (record id, version) marked pending until the puts are written

    def finish(self) -> None:
        if self.repository is None:
            return
        try:
            write_items(self.repository, self.puts, self.deletes)
            if self.pending is not None:
                record_id, version = self.pending
                plan = WritePlan()
                self.repository.clear_pending(plan, self.object_name, record_id, version)
                _commit(self.repository, plan)
        except VersionRace:
            pass  # a newer write marked the record again: it clears its own mark
        except CrmError:
            # The record is written and stays marked pending: searches still find it; a rebuild tidies up.
            observability.get_logger().warning("search index follow-up failed", extra={"record_id": self.pending})


class RecordIndex:
    """The search items of one object type's records, for one tenant."""

    def __init__(self, table: TenantTable, object_type: ObjectType) -> None:
        self.object_type = object_type
        self.repository = SearchRepository(table)

    def add(self, plan: WritePlan, before: dict[str, Any] | None, after: dict[str, Any] | None) -> Deferred:
        """Add to the plan the index changes from `before` to `after` (stored records; None: no record or
        none active), as many as the transaction has room for; the rest are deferred."""
        old, new = entries(self.object_type, before), entries(self.object_type, after)
        puts, deletes = sorted(new - old), sorted(old - new)
        room = MAX_ACTIONS - len(plan.actions) - 1  # the Writer adds the Idempotency-Key's record
        if len(puts) + len(deletes) <= room:
            for entry in puts:
                self.repository.put(plan, entry)
            for entry in deletes:
                self.repository.delete(plan, entry)
            return Deferred()
        deferred = Deferred(self.repository, self.object_type.name)
        if len(puts) > room:
            assert after is not None  # only a record that is there gains items
            room -= 1
            self.repository.mark_pending(plan, self.object_type.name, after["id"], after["version"])
            deferred.pending = (after["id"], after["version"])
        now = max(room, 0)
        for entry in puts[:now]:
            self.repository.put(plan, entry)
        deferred.puts = puts[now:]
        now = max(room - len(puts[:now]), 0)
        for entry in deletes[:now]:
            self.repository.delete(plan, entry)
        deferred.deletes = deletes[now:]
        return deferred


def write_items(repository: SearchRepository, puts: list[Entry], deletes: list[Entry]) -> None:
    """Unconditional puts then deletes, in transactions of at most MAX_ACTIONS."""
    actions: list[Callable[[WritePlan], None]] = [lambda plan, e=e: repository.put(plan, e) for e in puts]
    actions += [lambda plan, e=e: repository.delete(plan, e) for e in deletes]
    for start in range(0, len(actions), MAX_ACTIONS):
        plan = WritePlan()
        for action in actions[start : start + MAX_ACTIONS]:
            action(plan)
        _commit(repository, plan)


def _commit(repository: SearchRepository, plan: WritePlan) -> None:
    Writer(repository.table).commit(plan, Outcome(200, None), subject="search index")


# --- rebuilding ---------------------------------------------------------------------------------------

REBUILD_PAGE = 500


@dataclass
class Rebuilt:
    records: int = 0  # records read
    put: int = 0  # items written that were missing
    deleted: int = 0  # items removed that no record needs
    pending_cleared: int = 0


def rebuild(table: TenantTable, object_type: ObjectType) -> Rebuilt:
    """Make one object type's search items exactly what its records need: what a tenant's records written
    before the index existed (or before a property was indexed) need once, and what tidies up after a
    failure. Reads every record and every search item of the type once; safe to run while the API serves
    (a write racing it may leave a stale item, which costs a read and nothing else, or a missing one, which
    running it again restores)."""
    repository = SearchRepository(table)
    name = object_type.name
    marks = repository.pending(name)
    wanted: set[Entry] = set()
    report = Rebuilt()
    after: str | None = None
    while True:
        page, after = repository.walk(name, limit=REBUILD_PAGE, after=after, descending=False)
        report.records += len(page)
        for record in page:
            wanted |= entries(object_type, record)
        if after is None:
            break
    partitions = {(INDEX, name, UPDATED_AT), (TOKENS, name), *((INDEX, name, p) for p in written(object_type))}
    present: set[Entry] = set()
    for partition in partitions:
        present |= _stored(repository, partition)
    missing = sorted(wanted - present)
    stale = sorted(_still_stale(repository, object_type, present - wanted))
    write_items(repository, missing, stale)
    for record_id, version in marks.items():  # one by one: a record written again meanwhile keeps its new mark
        plan = WritePlan()
        repository.clear_pending(plan, name, record_id, version)
        with contextlib.suppress(VersionRace):
            _commit(repository, plan)
    report.put, report.deleted, report.pending_cleared = len(missing), len(stale), len(marks)
    return report


def _stored(repository: SearchRepository, partition: tuple[str, ...]) -> set[Entry]:
    found: set[Entry] = set()
    after: str | None = None
    while True:
        keys, after = repository.entries(partition, limit=1000, after=after, descending=False)
        found.update(Entry(partition, key, record_id_of(key)) for key in keys)
        if after is None:
            return found


def _still_stale(repository: SearchRepository, object_type: ObjectType, candidates: set[Entry]) -> set[Entry]:
    """Of the items no record needed when read, those its record (read again now) still does not need: a
    write since the walk may have made one current."""
    current = repository.records_by_id(object_type.name, {entry.record_id for entry in candidates})
    needed: set[Entry] = set()
    for record in current.values():
        needed |= entries(object_type, record)
    return candidates - needed
