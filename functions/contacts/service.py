"""Record use cases: create, read, list, update, archive and restore contacts, companies, deals (and,
later, custom objects). Each write is one plan through the one write path (crm.writes): the record,
its unique-value guards, checks that referenced records exist, its change events and its
idempotency record, and the search index items it changes (search.indexing), in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contacts.repository import Record, RecordRepository
from contacts.schema import ObjectType, ValidationContext, validate_properties
from crm import clock, cursor, outbox
from crm.errors import FieldError, NotFound, PreconditionFailed, UnknownToTenant, ValidationFailed
from crm.idempotency import IdempotencyKey, Outcome
from crm.store import TenantTable
from crm.writes import WritePlan, Writer, retry_on_race
from search.indexing import RecordIndex


class RecordService:
    def __init__(
        self,
        tenant_id: str,
        object_type: ObjectType,
        *,
        validation: ValidationContext | None = None,
        table: TenantTable | None = None,
        cause: dict[str, Any] | None = None,
    ) -> None:
        self.object_type = object_type
        self.cause = cause  # the automation making these writes (carried into their events), if any
        self.validation = validation or ValidationContext()
        self.repository = RecordRepository(table or TenantTable(tenant_id))
        self.tenant_id = self.repository.tenant_id
        self.indexes = RecordIndex(self.repository.table, object_type)

    # --- reads ----------------------------------------------------------------------------------

    def get(self, record_id: str, *, include_archived: bool = False) -> Record:
        return self._shown(self._read(record_id, include_archived=include_archived))

    def _read(self, record_id: str, *, include_archived: bool = False) -> Record:
        """The record as stored (with the values of archived properties, which writes keep)."""
        normal_id = _normal_id(record_id)  # a blank id is no key DynamoDB accepts: just not found
        record = self.repository.get(self.object_type.name, normal_id) if normal_id else None
        if record is None or (record["archived_at"] and not include_archived):
            raise NotFound(f"No {self.object_type.name} with id {record_id}.")
        return record

    def find_unique(self, prop: str, raw_value: str) -> Record | None:
        """The active record holding this unique value (e.g. a contact by email), or None."""
        values = validate_properties(self.object_type, {prop: raw_value}, self.validation, for_create=False)
        record_id = self.repository.id_for_unique(self.object_type.name, prop, values[prop])
        if record_id is None:
            return None
        record = self.repository.get(self.object_type.name, record_id)
        return self._shown(record) if record and not record["archived_at"] else None

    def list(
        self, *, limit: int, cursor_token: str | None, include_archived: bool = False
    ) -> tuple[list[Record], str | None]:
        scope = f"{self.object_type.name}:{'all' if include_archived else 'active'}"
        after = cursor.decode(cursor_token, self.tenant_id, scope) if cursor_token else None
        records, position = self.repository.page(
            self.object_type.name, limit=limit, after=after, include_archived=include_archived
        )
        return [self._shown(r) for r in records], cursor.encode(self.tenant_id, scope, position) if position else None

    # --- writes ---------------------------------------------------------------------------------

    def create(self, properties: Any, *, idempotency_key: IdempotencyKey | None = None) -> Outcome:
        writer = self._writer(idempotency_key)
        earlier = writer.earlier()
        if earlier:
            return earlier
        clean = {k: v for k, v in self._validate(properties, for_create=True).items() if v is not None}
        self._check_whole(clean)

        def attempt() -> Outcome:
            now = clock.now_iso()
            record: Record = {
                "id": clock.new_id(),
                "object": self.object_type.name,
                "properties": {**clean, **self.object_type.derived({}, clean, now)},
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "archived_at": None,
            }
            plan = WritePlan()
            self.repository.put_record(plan, record, expected_version=None)
            self._claim_unique_values(plan, record, {})
            self._check_references(plan, clean)
            self._emit(plan, f"{self.object_type.name}.created", record, outbox.diff({}, clean), {})
            return self._commit(writer, plan, Outcome(201, self._shown(record)), after=record)

        return retry_on_race(attempt, subject=self.object_type.name)

    def update(
        self,
        record_id: str,
        properties: Any,
        *,
        if_match: int | None = None,
        idempotency_key: IdempotencyKey | None = None,
    ) -> Outcome:
        writer = self._writer(idempotency_key)
        earlier = writer.earlier()
        if earlier:
            return earlier
        patch = self._validate(properties, for_create=False)

        def attempt() -> Outcome:
            current = self._current(record_id, if_match)
            merged = {k: v for k, v in {**current["properties"], **patch}.items() if v is not None}
            self._keep_identifiable(merged)
            self._check_whole(merged)
            now = clock.now_iso()
            merged.update(self.object_type.derived(current["properties"], merged, now))
            changes = outbox.diff(current["properties"], merged)
            if not changes:
                return Outcome(200, self._shown(current))  # nothing changed: no write, no event
            record = {
                **current,
                "properties": merged,
                "version": current["version"] + 1,
                "updated_at": now,
            }
            plan = WritePlan()
            self.repository.put_record(plan, record, expected_version=current["version"])
            self._claim_unique_values(plan, record, current["properties"])
            self._check_references(plan, {k: merged[k] for k in changes if k in merged})
            self._emit(plan, f"{self.object_type.name}.updated", record, changes, current["properties"])
            return self._commit(writer, plan, Outcome(200, self._shown(record)), before=current, after=record)

        return retry_on_race(attempt, if_match=if_match, subject=self.object_type.name)

    def archive(
        self, record_id: str, *, if_match: int | None = None, idempotency_key: IdempotencyKey | None = None
    ) -> Outcome:
        """Soft delete: the record leaves lists and lookups and frees its unique values; restorable."""
        writer = self._writer(idempotency_key)
        earlier = writer.earlier()
        if earlier:
            return earlier

        def attempt() -> Outcome:
            current = self._current(record_id, if_match)
            now = clock.now_iso()
            record = {**current, "version": current["version"] + 1, "updated_at": now, "archived_at": now}
            plan = WritePlan()
            self.repository.put_record(plan, record, expected_version=current["version"])
            for prop in self.object_type.unique_properties:
                value = current["properties"].get(prop)
                if value is not None:
                    self.repository.release_unique(plan, self.object_type.name, prop, value, record["id"])
            self._emit(plan, f"{self.object_type.name}.deleted", record, {}, None)
            return self._commit(writer, plan, Outcome(204, record), before=current)

        return retry_on_race(attempt, if_match=if_match, subject=self.object_type.name)

    def restore(self, record_id: str, *, idempotency_key: IdempotencyKey | None = None) -> Outcome:
        writer = self._writer(idempotency_key)
        earlier = writer.earlier()
        if earlier:
            return earlier

        def attempt() -> Outcome:
            current = self._read(record_id, include_archived=True)
            if not current["archived_at"]:
                return Outcome(200, self._shown(current))  # already active: restoring again changes nothing
            record = {**current, "version": current["version"] + 1, "updated_at": clock.now_iso(), "archived_at": None}
            plan = WritePlan()
            self.repository.put_record(plan, record, expected_version=current["version"])
            self._claim_unique_values(plan, record, {})
            self._emit(plan, f"{self.object_type.name}.restored", record, {}, None)
            return self._commit(writer, plan, Outcome(200, self._shown(record)), after=record)

        return retry_on_race(attempt, subject=self.object_type.name)

    def update_computed(self, record_id: str, compute: Callable[[Record, WritePlan], dict[str, Any]]) -> Record | None:
        """The CRM's own write of a record's computed (read-only) properties, e.g. a contact's score.

        `compute(current, plan)` returns their new values (None removes one) and may add actions of its own
        to the plan (e.g. deleting the work it consumed). A change commits with those actions, the record's
        change events (so webhooks and workflow triggers see it) and a condition on the version read, in
        one transaction; when another write got there first (or an action's condition fails) the whole is
        read and computed again. No change: compute's actions commit alone, so they must not depend on
        the version (e.g. folding work whose outcome no later version can change). None when the record
        is gone or archived."""

        def attempt() -> Record | None:
            normal_id = _normal_id(record_id)
            current = self.repository.get(self.object_type.name, normal_id) if normal_id else None
            if current is None or current["archived_at"]:
                return None
            plan = WritePlan()
            values = compute(current, plan)
            computed = {name for name, spec in self.object_type.properties.items() if spec.read_only}
            if not set(values) <= computed:
                raise ValueError(f"not computed properties: {sorted(set(values) - computed)}")
            clean = validate_properties(self.object_type, values, self.validation, for_create=False, computed=True)
            merged = {k: v for k, v in {**current["properties"], **clean}.items() if v is not None}
            changes = outbox.diff(current["properties"], merged)
            record = current
            if changes:
                record = {
                    **current,
                    "properties": merged,
                    "version": current["version"] + 1,
                    "updated_at": clock.now_iso(),
                }
                self.repository.put_record(plan, record, expected_version=current["version"])
                self._emit(plan, f"{self.object_type.name}.updated", record, changes, current["properties"])
            deferred = self.indexes.add(plan, current, record)
            if plan.actions:
                Writer(self.repository.table).commit(plan, Outcome(200, record), subject=self.object_type.name)
                deferred.finish()
            return record

        return retry_on_race(attempt, subject=self.object_type.name)

    # --- helpers --------------------------------------------------------------------------------

    def _shown(self, record: Record) -> Record:
        """The record as clients see it: without the values of archived properties (kept stored)."""
        if not self.object_type.hidden:
            return record
        return {**record, "properties": self.object_type.shown(record["properties"])}

    def _validate(self, properties: Any, *, for_create: bool) -> dict[str, Any]:
        return validate_properties(self.object_type, properties, self.validation, for_create=for_create)

    def _check_whole(self, properties: dict[str, Any]) -> None:
        faults = self.object_type.record_faults(properties)
        if faults:
            raise UnknownToTenant(f"The {self.object_type.name} names a pipeline or stage it cannot.", errors=faults)

    def _keep_identifiable(self, properties: dict[str, Any]) -> None:
        wanted = self.object_type.identifying
        if wanted and not any(name in properties for name in wanted):
            raise ValidationFailed(
                f"A {self.object_type.name} needs at least one of: {', '.join(wanted)}.",
                errors=[FieldError("/properties", f"would leave none of: {', '.join(wanted)}")],
            )

    def _current(self, record_id: str, if_match: int | None) -> Record:
        current = self._read(record_id)
        if if_match is not None and current["version"] != if_match:
            raise PreconditionFailed(
                f"If-Match names version {if_match} but the record is at version {current['version']}."
            )
        return current

    def _claim_unique_values(self, plan: WritePlan, record: Record, before: dict[str, Any]) -> None:
        for prop in self.object_type.unique_properties:
            old, new = before.get(prop), record["properties"].get(prop)
            if old == new:
                continue
            if old is not None:
                self.repository.release_unique(plan, self.object_type.name, prop, old, record["id"])
            if new is not None:
                self.repository.claim_unique(plan, self.object_type.name, prop, new, record["id"])

    def _check_references(self, plan: WritePlan, properties: dict[str, Any]) -> None:
        for prop, target, target_id in self.object_type.references(properties):
            self.repository.require_active(plan, target, target_id, f"/properties/{prop}")

    def _emit(
        self,
        plan: WritePlan,
        event_type: str,
        record: Record,
        changes: dict[str, dict[str, Any]],
        before: dict[str, Any] | None,
    ) -> None:
        common = {
            "tenant_id": self.tenant_id,
            "object_name": self.object_type.name,
            "record_id": record["id"],
            "data": self._shown(record),
            "cause": self.cause,
        }
        table = self.repository.table
        plan.emit(table, outbox.envelope(event_type=event_type, changes=changes, **common))
        for prop, signal in self.object_type.signal_changes.items():
            if prop in changes and (before is not None or changes[prop]["new"] is not None):
                plan.emit(table, outbox.envelope(event_type=signal, changes={prop: changes[prop]}, **common))

    def _writer(self, key: IdempotencyKey | None) -> Writer:
        return Writer(self.repository.table, key)

    def _commit(
        self,
        writer: Writer,
        plan: WritePlan,
        outcome: Outcome,
        *,
        before: Record | None = None,
        after: Record | None = None,
    ) -> Outcome:
        """Commit the plan with the search index changes from the record `before` to `after` (None: no
        active record), added last: they take the room the transaction has left (search.indexing)."""
        deferred = self.indexes.add(plan, before, after)
        committed = writer.commit(plan, outcome, subject=self.object_type.name)
        if not committed.replayed:  # (a racing twin's answer: its own write finishes its index)
            deferred.finish()
        return committed


def _normal_id(record_id: str) -> str:
    return record_id.strip().upper()
