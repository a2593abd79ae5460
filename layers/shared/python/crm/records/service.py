"""Record use cases: create, read, list, update, archive and restore contacts, companies, deals (and,
later, custom objects). Each write is one transaction: the record, its unique-value guards, checks that
referenced records exist, its change events and its idempotency record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crm import clock, cursor, events
from crm.errors import (
    DuplicateRecord,
    FieldError,
    NotFound,
    PreconditionFailed,
    ServiceUnavailable,
    ValidationFailed,
)
from crm.idempotency import PARTITION as IDEMPOTENCY_PARTITION
from crm.idempotency import Idempotency, IdempotencyKey
from crm.records.repository import Record, RecordRepository, WritePlan
from crm.records.schema import ObjectType, ValidationContext, validate_properties
from crm.store import ConditionsFailed, TenantTable

MAX_OPTIMISTIC_RETRIES = 3


@dataclass(frozen=True)
class WriteResult:
    status: int
    record: Record
    replayed: bool = False


class RecordService:
    def __init__(
        self,
        tenant_id: str,
        object_type: ObjectType,
        *,
        validation: ValidationContext | None = None,
        table: TenantTable | None = None,
    ) -> None:
        self.object_type = object_type
        self.validation = validation or ValidationContext()
        self.repository = RecordRepository(table or TenantTable(tenant_id))
        self.tenant_id = self.repository.tenant_id

    # --- reads ----------------------------------------------------------------------------------

    def get(self, record_id: str, *, include_archived: bool = False) -> Record:
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
        return record if record and not record["archived_at"] else None

    def list(
        self, *, limit: int, cursor_token: str | None, include_archived: bool = False
    ) -> tuple[list[Record], str | None]:
        scope = f"{self.object_type.name}:{'all' if include_archived else 'active'}"
        after = cursor.decode(cursor_token, self.tenant_id, scope) if cursor_token else None
        records, position = self.repository.page(
            self.object_type.name, limit=limit, after=after, include_archived=include_archived
        )
        return records, cursor.encode(self.tenant_id, scope, position) if position else None

    # --- writes ---------------------------------------------------------------------------------

    def create(self, properties: Any, *, idempotency_key: IdempotencyKey | None = None) -> WriteResult:
        replay = self._replay(idempotency_key)
        if replay:
            return replay
        clean = {k: v for k, v in self._validate(properties, for_create=True).items() if v is not None}
        now = clock.now_iso()
        record: Record = {
            "id": clock.new_id(),
            "object": self.object_type.name,
            "properties": clean,
            "version": 1,
            "created_at": now,
            "updated_at": now,
            "archived_at": None,
        }
        plan = WritePlan()
        self.repository.put_record(plan, record, expected_version=None)
        self._claim_unique_values(plan, record, {})
        self._check_references(plan, clean)
        self._emit(plan, f"{self.object_type.name}.created", record, events.diff({}, clean), {})
        return self._commit(plan, record, 201, idempotency_key)

    def update(
        self,
        record_id: str,
        properties: Any,
        *,
        if_match: int | None = None,
        idempotency_key: IdempotencyKey | None = None,
    ) -> WriteResult:
        replay = self._replay(idempotency_key)
        if replay:
            return replay
        patch = self._validate(properties, for_create=False)
        for _ in range(MAX_OPTIMISTIC_RETRIES):
            current = self._current(record_id, if_match)
            merged = {**current["properties"], **patch}
            merged = {k: v for k, v in merged.items() if v is not None}
            self._keep_identifiable(merged)
            changes = events.diff(current["properties"], merged)
            if not changes:
                return WriteResult(200, current)  # nothing changed: no write, no event
            record = {
                **current,
                "properties": merged,
                "version": current["version"] + 1,
                "updated_at": clock.now_iso(),
            }
            plan = WritePlan()
            self.repository.put_record(plan, record, expected_version=current["version"])
            self._claim_unique_values(plan, record, current["properties"])
            self._check_references(plan, {k: merged[k] for k in changes if k in merged})
            self._emit(plan, f"{self.object_type.name}.updated", record, changes, current["properties"])
            try:
                return self._commit(plan, record, 200, idempotency_key)
            except _VersionRace:
                if if_match is not None:
                    raise PreconditionFailed("The record changed since the ETag you sent; fetch it again.") from None
        raise ServiceUnavailable("The record is being changed by other requests; retry shortly.")

    def archive(
        self, record_id: str, *, if_match: int | None = None, idempotency_key: IdempotencyKey | None = None
    ) -> WriteResult:
        """Soft delete: the record leaves lists and lookups and frees its unique values; restorable."""
        replay = self._replay(idempotency_key)
        if replay:
            return replay
        for _ in range(MAX_OPTIMISTIC_RETRIES):
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
            try:
                return self._commit(plan, record, 204, idempotency_key)
            except _VersionRace:
                if if_match is not None:
                    raise PreconditionFailed("The record changed since the ETag you sent; fetch it again.") from None
        raise ServiceUnavailable("The record is being changed by other requests; retry shortly.")

    def restore(self, record_id: str, *, idempotency_key: IdempotencyKey | None = None) -> WriteResult:
        replay = self._replay(idempotency_key)
        if replay:
            return replay
        for _ in range(MAX_OPTIMISTIC_RETRIES):
            current = self.get(record_id, include_archived=True)
            if not current["archived_at"]:
                return WriteResult(200, current)  # already active: restoring again changes nothing
            record = {
                **current,
                "version": current["version"] + 1,
                "updated_at": clock.now_iso(),
                "archived_at": None,
            }
            plan = WritePlan()
            self.repository.put_record(plan, record, expected_version=current["version"])
            self._claim_unique_values(plan, record, {})
            self._emit(plan, f"{self.object_type.name}.restored", record, {}, None)
            try:
                return self._commit(plan, record, 200, idempotency_key)
            except _VersionRace:
                continue
        raise ServiceUnavailable("The record is being changed by other requests; retry shortly.")

    # --- helpers --------------------------------------------------------------------------------

    def _validate(self, properties: Any, *, for_create: bool) -> dict[str, Any]:
        return validate_properties(self.object_type, properties, self.validation, for_create=for_create)

    def _keep_identifiable(self, properties: dict[str, Any]) -> None:
        wanted = self.object_type.identifying
        if wanted and not any(name in properties for name in wanted):
            raise ValidationFailed(
                f"A {self.object_type.name} needs at least one of: {', '.join(wanted)}.",
                errors=[FieldError("/properties", f"would leave none of: {', '.join(wanted)}")],
            )

    def _current(self, record_id: str, if_match: int | None) -> Record:
        current = self.get(record_id)
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
            "data": record,
        }
        self.repository.emit(plan, events.envelope(event_type=event_type, changes=changes, **common))
        for prop, signal in self.object_type.signal_changes.items():
            if prop in changes and (before is not None or changes[prop]["new"] is not None):
                self.repository.emit(plan, events.envelope(event_type=signal, changes={prop: changes[prop]}, **common))

    def _idempotency(self, key: IdempotencyKey | None) -> Idempotency:
        table = self.repository.table
        return Idempotency(table, table.pk(IDEMPOTENCY_PARTITION), key)

    def _replay(self, key: IdempotencyKey | None) -> WriteResult | None:
        """A retry of a write that already happened gets the first response, without writing."""
        earlier = self._idempotency(key).earlier()
        return WriteResult(earlier.status, earlier.body, replayed=True) if earlier else None

    def _commit(self, plan: WritePlan, record: Record, status: int, key: IdempotencyKey | None) -> WriteResult:
        remember = self._idempotency(key).remember(status, record)
        if remember is not None:
            plan.add(remember, "idempotency")
        try:
            self.repository.commit(plan)
        except ConditionsFailed as failure:
            return self._explain(plan, failure, key)
        return WriteResult(status, record)

    def _explain(self, plan: WritePlan, failure: ConditionsFailed, key: IdempotencyKey | None) -> WriteResult:
        """Why a transaction was refused, as the error the client needs (or, for a racing retry with
        the same Idempotency-Key, the first request's response)."""
        meanings = {i: plan.meaning[i] for i in failure.failed}
        if key is not None and any(m == "idempotency" for m, _ in meanings.values()):
            replay = self._replay(key)
            if replay:
                return replay
        if any(m in ("version_changed", "guard_moved") for m, _ in meanings.values()):
            raise _VersionRace()
        duplicates = [(i, prop) for i, (m, prop) in meanings.items() if m == "duplicate"]
        if duplicates:
            index, prop = duplicates[0]
            existing = failure.items.get(index, {}).get("record_id")
            raise DuplicateRecord(
                f"Another {self.object_type.name} already has this {prop}.",
                errors=[FieldError(f"/properties/{prop}", "is already used by another record")],
                existing_id=existing,
            )
        missing = [pointer for m, pointer in meanings.values() if m == "missing_reference"]
        if missing:
            raise ValidationFailed(
                "Referenced records do not exist.",
                errors=[FieldError(p, "refers to a record that does not exist or is archived") for p in missing],
            )
        raise ServiceUnavailable("The write could not be completed; retry shortly.")


class _VersionRace(Exception):
    """Another writer changed the record between our read and our write."""


def _normal_id(record_id: str) -> str:
    return record_id.strip().upper()
