"""Batch writes of records: create, update, upsert or archive up to MAX_INPUTS records of one object type in
one request. Each input is its own write through RecordService (one transaction with its unique guards,
reference checks, change events and idempotency record), in the order sent: one refused input never stops
the others, and two inputs about one record act as two requests would (an upsert batch naming one email
twice creates the record, then updates it). The platform's crm.writes.write_each runs the items and keeps
the batch's Idempotency-Key per item; this module says what one item's write is and how its result reads.

What a batch reads, it reads for all its inputs at once: the records named (one BatchGetItem, each record then
served to its input's write once: crm.store.ReadAhead) and, for an upsert, which records hold the inputs'
values (their unique guards). So the writes are what a batch costs, not a read per input before each."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from contacts.schema import validate_properties
from contacts.service import RecordService
from crm.errors import CrmError, DuplicateRecord, FieldError, NotFound, PreconditionFailed, ValidationFailed
from crm.idempotency import IdempotencyKey, Outcome
from crm.store import ReadAhead
from crm.writes import write_each

MAX_INPUTS = 100
INPUTS = "/inputs"  # where the items are in the request body: each problem's pointers lead there

Input = Mapping[str, Any]
Key = IdempotencyKey | None


class RecordBatch:
    """The batch writes of one object type in one tenant, over that type's RecordService."""

    def __init__(self, records: RecordService) -> None:
        self.object_type = records.object_type
        self.records = RecordService(  # the same service, over a table that reads ahead
            records.tenant_id,
            records.object_type,
            validation=records.validation,
            table=ReadAhead(records.repository.table),
            cause=records.cause,
        )

    def create(self, inputs: Sequence[Input], key: Key) -> Outcome:
        return self._each(inputs, key, lambda item, k: self.records.create(item["properties"], idempotency_key=k))

    def update(self, inputs: Sequence[Input], key: Key) -> Outcome:
        def update(item: Input, k: Key) -> Outcome:
            return self._at_input(
                lambda: self.records.update(
                    item["id"], item["properties"], if_match=item.get("version"), idempotency_key=k
                )
            )

        self._read_ahead([item["id"] for item in inputs])
        return self._each(inputs, key, update)

    def upsert(self, id_property: str, inputs: Sequence[Input], key: Key) -> Outcome:
        """Each input updates the active record holding its `id_property` value (200), or creates one (201)."""
        self._check_id_property(id_property)
        holders = _Holders(self.records, id_property, [item["properties"].get(id_property) for item in inputs])
        return self._each(inputs, key, lambda item, k: self._upsert(holders, item["properties"], k))

    def archive(self, inputs: Sequence[Input], key: Key) -> Outcome:
        def archive(item: Input, k: Key) -> Outcome:
            return self._at_input(
                lambda: self.records.archive(item["id"], if_match=item.get("version"), idempotency_key=k)
            )

        self._read_ahead([item["id"] for item in inputs])
        return self._each(inputs, key, archive)

    # --- one item -------------------------------------------------------------------------------

    def _upsert(self, holders: _Holders, properties: dict[str, Any], key: Key) -> Outcome:
        prop = holders.prop
        if properties.get(prop) is None:
            raise ValidationFailed(
                f"An input to upsert by {prop} needs its {prop}.",
                errors=[FieldError(f"/properties/{prop}", f"is required to upsert by {prop}")],
            )
        value = holders.normalised(properties[prop])
        try:
            outcome = self._upsert_once(holders.holder(value), properties, key)
        except (DuplicateRecord, NotFound) as raced:
            # Another writer created a holder (our create is a 409) or archived it (our update a 404) since the
            # batch looked: look again, once.
            if isinstance(raced, DuplicateRecord) and not _about(raced, prop):
                raise
            outcome = self._upsert_once(holders.read_again(value), properties, key)
        if outcome.status < 400:
            holders.wrote(value, outcome.body["id"])
        return outcome

    def _upsert_once(self, holder: str | None, properties: dict[str, Any], key: Key) -> Outcome:
        if holder is None:
            return self.records.create(properties, idempotency_key=key)
        return self.records.update(holder, properties, idempotency_key=key)

    def _at_input(self, write: Callable[[], Outcome]) -> Outcome:
        """An unknown id or a stale version, pointed at in the input (the single routes have it in the path
        or If-Match)."""
        try:
            return write()
        except NotFound as missing:
            raise NotFound(
                missing.detail, errors=[FieldError("/id", f"names no active {self.object_type.name}")]
            ) from None
        except PreconditionFailed as stale:
            raise PreconditionFailed(
                stale.detail, errors=[FieldError("/version", "is not the current version")]
            ) from None

    def _read_ahead(self, record_ids: list[str]) -> None:
        # Ids as RecordService reads them (trimmed, upper case); one it reads otherwise is just read on its own.
        self.records.repository.read_ahead(self.object_type.name, [i.strip().upper() for i in record_ids])

    def _check_id_property(self, prop: str) -> None:
        unique = self.object_type.unique_properties
        if prop in unique:
            return
        collection = self.object_type.collection
        if not unique:
            raise ValidationFailed(
                f"{collection.capitalize()} have no unique property to upsert by.",
                errors=[FieldError("/id_property", f"{collection} have no unique property")],
            )
        raise ValidationFailed(
            f"Upserts of {collection} go by a unique property: {', '.join(unique)}.",
            errors=[FieldError("/id_property", f"must be one of: {', '.join(unique)}")],
        )

    # --- the batch ------------------------------------------------------------------------------

    def _each(self, inputs: Sequence[Input], key: Key, write: Callable[[Input, Key], Outcome]) -> Outcome:
        table = self.records.repository.table
        outcomes = write_each(table, inputs, write, idempotency_key=key, pointer=INPUTS)
        results = [_result(outcome) for outcome in outcomes]
        replayed = bool(outcomes) and all(outcome.replayed for outcome in outcomes)
        return Outcome(200, {"results": results}, replayed=replayed)


class _Holders:
    """Which record holds each value of an upsert's unique property: read for the whole batch in one round trip
    when the first input needs it, then kept current by the batch's own writes, so an input sees what those
    before it wrote. Another writer's change meanwhile fails the input's write, which then reads again."""

    def __init__(self, records: RecordService, prop: str, raw_values: Sequence[Any]) -> None:
        self.records, self.prop = records, prop
        self._raw_values = raw_values
        self._normal: dict[str, str] = {}  # raw text -> the value as stored (and as its guard is keyed)
        self._holders: dict[str, str | None] | None = None

    def normalised(self, raw: Any) -> str:
        """The value as stored; ValidationFailed (at /properties/<prop>) if it is none."""
        if isinstance(raw, str) and raw in self._normal:
            return self._normal[raw]
        records = self.records
        value = validate_properties(records.object_type, {self.prop: raw}, records.validation, for_create=False)
        if isinstance(raw, str):
            self._normal[raw] = value[self.prop]
        return value[self.prop]

    def holder(self, value: str) -> str | None:
        if self._holders is None:
            self._holders = self._read([v for raw in self._raw_values if (v := self._valid(raw)) is not None])
            held = [record_id for record_id in self._holders.values() if record_id is not None]
            self.records.repository.read_ahead(self.records.object_type.name, held)  # the records to update
        if value not in self._holders:
            self._holders.update(self._read([value]))
        return self._holders[value]

    def read_again(self, value: str) -> str | None:
        assert self._holders is not None  # (after holder)
        self._holders.update(self._read([value]))
        return self._holders[value]

    def wrote(self, value: str, record_id: str) -> None:
        if self._holders is not None:
            self._holders[value] = record_id

    def _valid(self, raw: Any) -> str | None:
        try:
            return self.normalised(raw)
        except ValidationFailed:  # that input is refused when its turn comes
            return None

    def _read(self, values: list[str]) -> dict[str, str | None]:
        unique = list(dict.fromkeys(values))
        found = (
            self.records.repository.ids_for_unique(self.records.object_type.name, self.prop, unique) if unique else {}
        )
        return {value: found.get(value) for value in unique}


def _result(outcome: Outcome) -> dict[str, Any]:
    """One input's result: a record written (an archive's 204 has none), or the problem that refused it."""
    if outcome.status >= 400:
        return {"status": outcome.status, "problem": outcome.body}
    if outcome.status == 204:
        return {"status": 204}
    return {"status": outcome.status, "record": outcome.body}


def _about(error: CrmError, prop: str) -> bool:
    return any(e.pointer == f"/properties/{prop}" for e in error.errors)
