"""Schema use cases: a tenant's object types and properties, read and changed.

Every change is one transaction (the object type's schema item, the tenant's schema version moved on, a
`schema.changed` event, the Idempotency-Key's answer) built on a fresh read of the schema; a concurrent
change makes it read and apply again. Changes that could strand stored values (removing an option, changing
a type) first count the records that hold such values and refuse with that count."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from contacts import registry
from contacts.repository import Record, RecordRepository, guard_key
from contacts.schema import (
    BUILTIN_OBJECT_TYPES,
    SYSTEM_FIELDS,
    InvalidValue,
    ObjectType,
    PropertyDef,
    ValidationContext,
)
from crm import clock, outbox
from crm.errors import Conflict, DuplicateRecord, FieldError, NotFound, PreconditionFailed, ValidationFailed
from crm.idempotency import IdempotencyKey, Outcome
from crm.store import TenantTable
from crm.writes import VersionRace, WritePlan, Writer, retry_on_race
from schemas import definition
from schemas.definition import ObjectTypeInput, PropertyInput, PropertyPatch
from schemas.repository import SchemaRepository

COUNT_PAGE = 500  # records read per page while counting values a change would strand
SHOWN_DUPLICATES = 10  # shared values a refusal to make a property unique lists
# Flags that need every existing record's values handled before they hold: each with its pending mark.
BACKFILLED = {"unique": "unique_pending", "indexed": "index_pending"}


class SchemaRefused(ValidationFailed):
    """A definition whose fields each have the documented shape, refused for what no JSON Schema says: how its
    fields relate (options for an enum, a target for a reference) and what the tenant has (object types,
    names taken). Its own problem type tells a client the request was read and the definition is at fault."""

    slug = "invalid-schema"


def refuse(detail: str, faults: list[tuple[str, str]] | list[FieldError]) -> None:
    if faults:
        errors = [f if isinstance(f, FieldError) else FieldError(*f) for f in faults]
        raise SchemaRefused(detail, errors=errors)


class PropertyInUse(Conflict):
    """A change that would strand values some records hold: `records` says how many."""

    slug = "property-in-use"


class DuplicateValues(Conflict):
    """A property cannot become unique while records share a value: `duplicates` lists them."""

    slug = "duplicate-values"


class Schemas:
    def __init__(self, tenant_id: str, *, table: TenantTable | None = None) -> None:
        self.table = table or TenantTable(tenant_id)
        self.tenant_id = tenant_id
        self.repository = SchemaRepository(self.table)

    # --- reads ----------------------------------------------------------------------------------------

    def list(self) -> list[dict[str, Any]]:
        version, items = registry.SchemaRegistry(self.tenant_id).stored()
        types = registry.SchemaRegistry(self.tenant_id).object_types()
        return [object_view(t, items.get(t.name), version) for t in types]

    def get(self, collection: str) -> dict[str, Any]:
        found = registry.SchemaRegistry(self.tenant_id)
        object_type = found.by_collection(collection)
        version, items = found.stored()
        return object_view(object_type, items.get(object_type.name), version)

    def properties(self, collection: str, *, archived: bool) -> list[dict[str, Any]]:
        view = self.get(collection)
        return [p for p in view["properties"] if archived or not p["archived"]]

    def usage(self, collection: str, properties: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
        """The properties with how much they are used (schemas.usage keeps the counts), and the record count."""
        from schemas.usage import read_usage

        object_name = self.get(collection)["name"]
        usage = read_usage(self.table, object_name)
        total = int(usage["records"])
        with_usage = []
        for prop in properties:
            filled = max(int(usage["filled"].get(prop["name"], 0)), 0)
            stats = {
                "filled": filled,
                "fill_rate": round(min(filled / total, 1.0), 4) if total else None,
                "last_written_at": usage["written"].get(prop["name"]),
            }
            with_usage.append({**prop, "usage": stats})
        return with_usage, total

    def property(self, collection: str, name: str) -> dict[str, Any]:
        for prop in self.properties(collection, archived=True):
            if prop["name"] == name:
                return prop
        raise NotFound(f"No property {name!r} on {collection}.")

    # --- changes --------------------------------------------------------------------------------------

    def create_object_type(self, body: ObjectTypeInput, key: IdempotencyKey | None) -> Outcome:
        def change(items: dict[str, dict[str, Any]], types: dict[str, ObjectType]) -> tuple[dict[str, Any], Any]:
            custom = [name for name in items if name not in BUILTIN_OBJECT_TYPES]
            errors = []
            if body.name in types or body.name in definition.RESERVED_OBJECT_NAMES:
                errors.append(FieldError("/name", f"{body.name!r} is taken; choose another name"))
            if any(t.collection == body.collection for t in types.values()) or body.collection == "batch":
                errors.append(FieldError("/collection", f"{body.collection!r} is taken; choose another"))
            names = [p.name for p in body.properties]
            for index, prop in enumerate(body.properties):
                if names.index(prop.name) != index:
                    errors.append(FieldError(f"/properties/{index}/name", "is defined twice"))
                errors += _property_faults(prop, f"/properties/{index}", {*types, body.name})
            for index, name in enumerate(body.identifying):
                if name not in names:
                    errors.append(FieldError(f"/identifying/{index}", "is not one of the properties"))
            refuse("The object type is invalid.", errors)
            if len(custom) >= definition.MAX_CUSTOM_OBJECT_TYPES:
                raise _limit(f"A tenant has at most {definition.MAX_CUSTOM_OBJECT_TYPES} custom object types.")
            now = clock.now_iso()
            item = {
                "object": body.name,
                "collection": body.collection,
                "label": body.label,
                "identifying": list(dict.fromkeys(body.identifying)),
                "properties": [_stored(p, now) for p in body.properties],
                "created_at": now,
                "updated_at": now,
            }
            return item, {"object_type": "created"}

        return self._change(change, key, status=201, answer=lambda view, _: view)

    def add_property(self, collection: str, body: PropertyInput, key: IdempotencyKey | None) -> Outcome:
        def change(items: dict[str, dict[str, Any]], types: dict[str, ObjectType]) -> tuple[dict[str, Any], Any]:
            object_type = _by_collection(types, collection)
            item = _item_for(items, object_type)
            stored = {p["name"]: p for p in item["properties"]}
            if body.name in stored:
                archived = " (archived: restore it instead)" if stored[body.name].get("archived_at") else ""
                raise Conflict(f"{object_type.name} already has a property {body.name!r}{archived}.")
            refuse("The property is invalid.", _property_faults(body, "", set(types)))
            if body.name in object_type.properties:
                raise Conflict(f"{body.name!r} is a built-in property of every {object_type.name}.")
            if len(stored) >= definition.MAX_CUSTOM_PROPERTIES:
                raise _limit(
                    f"An object type has at most {definition.MAX_CUSTOM_PROPERTIES} custom properties "
                    "(archived ones count: their values are kept)."
                )
            now = clock.now_iso()
            item = {**item, "properties": [*item["properties"], _stored(body, now)], "updated_at": now}
            return item, {"property": body.name, "action": "created"}

        return self._change(change, key, status=201, answer=lambda view, _: _property_of(view, body.name))

    def update_property(self, collection: str, name: str, body: PropertyPatch, key: IdempotencyKey | None) -> Outcome:
        """Label, description, required, options and type change in one step. `unique` and `indexed` need
        every existing record's values claimed or indexed, so turning one on takes three:

        1. the property is stored with the flag on but pending (shown off): every write from then on claims
           its value's guard / writes its index items, while reads do not rely on them yet;
        2. once every warm container works with that schema (registry.settle), each existing record's
           value is claimed (checked against the record's version) / indexed;
        3. the pending mark goes, with the rest of the patch and its Idempotency-Key.

        Unique is refused first while two active records share a value; a duplicate written between the
        check and step 1 is found in step 2, and puts the flags back as they were before refusing. A request
        that died half-way leaves the flag pending: the same PATCH again finishes it. Turning a flag off is
        one step; the guards or index items, which nothing reads any more, are deleted after."""
        earlier = Writer(self.table, key).earlier()
        if earlier:
            return earlier
        registry.forget(self.tenant_id)
        object_type = registry.SchemaRegistry(self.tenant_id).by_collection(collection)
        _, items = registry.SchemaRegistry(self.tenant_id).stored()
        _, current = self._custom_property(items, object_type, name)
        wanted = {flag: getattr(body, flag) for flag in BACKFILLED if getattr(body, flag) is not None}
        changing = {f: on for f, on in wanted.items() if on != bool(current.get(f)) or current.get(BACKFILLED[f])}
        rest = body.model_copy(update=dict.fromkeys(BACKFILLED))
        if not changing:
            return self._update_property(collection, name, rest, key, flags={})
        self._refuse_flags(current, body, changing)
        turning_on = [f for f, on in changing.items() if on]
        off = {f: False for f, on in changing.items() if not on} | {BACKFILLED[f]: False for f in changing}
        if "unique" in turning_on:
            self._refuse_duplicates(object_type, name)
        if any(not current.get(BACKFILLED[f]) for f in turning_on):
            pending = {f: True for f in turning_on} | {BACKFILLED[f]: True for f in turning_on}
            self._update_property(collection, name, PropertyPatch(), None, flags=pending)
            registry.settle()  # every container's writes now claim guards / write index items
        try:
            for flag in turning_on:
                self._backfill(flag, object_type, name)
        except DuplicateValues:  # written since the check: the flags go back as they were, then refuse
            before = {f: bool(current.get(f)) and not current.get(BACKFILLED[f]) for f in turning_on}
            self._update_property(
                collection, name, PropertyPatch(), None, flags=before | {BACKFILLED[f]: False for f in turning_on}
            )
            registry.settle()
            self._drop("unique", object_type, name)
            self._refuse_duplicates(object_type, name)
            raise
        outcome = self._update_property(collection, name, rest, key, flags=off | dict.fromkeys(turning_on, True))
        if any(not on for on in changing.values()):
            registry.settle()  # no container writes them any more
            for flag in (f for f, on in changing.items() if not on):
                self._drop(flag, object_type, name)
        return outcome

    def _refuse_flags(self, current: dict[str, Any], body: PropertyPatch, changing: dict[str, bool]) -> None:
        if current.get("archived_at"):
            raise Conflict(f"{current['name']!r} is archived; restore it first.")
        faults = []
        for flag, on in changing.items():
            if body.type is not None and body.type != current["type"]:
                faults.append((f"/{flag}", f"change the type and {flag} in two requests"))
            elif on and flag == "unique" and current["type"] not in definition.UNIQUE_TYPES:
                faults.append(("/unique", f"unique is for {', '.join(definition.UNIQUE_TYPES)} properties"))
        refuse("The property cannot change so.", faults)

    def _backfill(self, flag: str, object_type: ObjectType, name: str) -> None:
        if flag == "unique":
            self._claim_existing(object_type, name)
        else:
            from search.backfill import index_property

            index_property(self.table, object_type, name)

    def _drop(self, flag: str, object_type: ObjectType, name: str) -> None:
        if flag == "unique":
            self._drop_guards(object_type, name)
        else:
            from search.backfill import drop_property

            drop_property(self.table, object_type, name)

    def _update_property(
        self,
        collection: str,
        name: str,
        body: PropertyPatch,
        key: IdempotencyKey | None,
        *,
        flags: dict[str, bool],  # stored flags to set (unique, indexed and their pending marks); False drops a mark
    ) -> Outcome:
        def change(items: dict[str, dict[str, Any]], types: dict[str, ObjectType]) -> tuple[dict[str, Any], Any]:
            object_type = _by_collection(types, collection)
            item, current = self._custom_property(items, object_type, name)
            updated = {**current}
            if body.label is not None:
                updated["label"] = body.label
            if body.description is not None:
                updated["description"] = body.description
            if body.required is not None:
                updated["required"] = body.required
            if body.type is not None and body.type != current["type"]:
                updated["type"] = body.type
                if body.type not in ("enum", "multi_enum"):
                    updated.pop("options", None)
                elif body.options is None:
                    refuse("Options are needed.", [("/options", f"a {body.type} property needs options")])
                if body.type == "reference" or current["type"] == "reference":
                    refuse("A reference stays a reference.", [("/type", "cannot change to or from reference")])
                if current.get("unique"):
                    refuse("A unique property keeps its type.", [("/type", "cannot change: unique")])
            if body.options is not None:
                if updated["type"] not in ("enum", "multi_enum"):
                    refuse("Only enum properties have options.", [("/options", f"a {updated['type']} has no options")])
                values = [o.value for o in body.options]
                refuse("Option values must differ.", definition.repeated(values, "/options", "value"))
                updated["options"] = [o.model_dump() for o in body.options]
            self._refuse_stranding(object_type, current, updated)
            for flag, on in flags.items():
                if on or flag in BACKFILLED:
                    updated[flag] = on
                else:
                    updated.pop(flag, None)  # a pending mark gone
            updated["updated_at"] = clock.now_iso()
            properties = [updated if p["name"] == name else p for p in item["properties"]]
            return {**item, "properties": properties, "updated_at": updated["updated_at"]}, {
                "property": name,
                "action": "updated",
            }

        return self._change(change, key, status=200, answer=lambda view, _: _property_of(view, name))

    def _refuse_duplicates(self, object_type: ObjectType, name: str) -> None:
        """409 listing the values two or more active records share (reads the records once)."""
        holders: dict[str, list[Record]] = {}
        for record in self._records(object_type, include_archived=False, whole=True):
            value = record["properties"].get(name)
            if value is not None:
                holders.setdefault(guard_key(value), []).append(record)
        shared = [records for records in holders.values() if len(records) > 1]
        if not shared:
            return
        count = sum(len(records) for records in shared)
        raise DuplicateValues(
            f"{len(shared)} {name} value(s) are shared by {count} {object_type.name} records; give each record "
            f"its own value (or clear it) first.",
            records=count,
            duplicates=[
                {
                    "value": records[0]["properties"][name],
                    "record_ids": [r["id"] for r in records[:10]],
                    "records": len(records),
                }
                for records in shared[:SHOWN_DUPLICATES]
            ],
        )

    def _claim_existing(self, object_type: ObjectType, name: str) -> None:
        """Claim the guard of every active record's value, each checked against the version read."""
        repository = RecordRepository(self.table)
        writer = Writer(self.table)
        for record in self._records(object_type, include_archived=False, whole=True):
            current: Record | None = record
            stale_holder: str | None = None
            while current is not None and current["properties"].get(name) is not None:
                value = current["properties"][name]
                plan = WritePlan()
                if stale_holder is None:
                    repository.claim_unique(plan, object_type.name, name, value, current["id"])
                else:
                    repository.take_over_unique(plan, object_type.name, name, value, current["id"], stale_holder)
                repository.require_version(plan, object_type.name, current["id"], current["version"])
                try:
                    writer.commit(plan, Outcome(200, None), subject=object_type.name)
                    break
                except VersionRace:  # changed meanwhile, by a write that claims its own guard: read again
                    current = repository.get(object_type.name, current["id"])
                    current = None if current is None or current["archived_at"] else current
                    stale_holder = None
                except DuplicateRecord as duplicate:
                    holder_id = duplicate.extra.get("existing_id")
                    holder = repository.get(object_type.name, holder_id) if holder_id else None
                    if holder and not holder["archived_at"] and _same(holder["properties"].get(name), value):
                        raise DuplicateValues(f"Another {object_type.name} shares this {name}.") from None
                    stale_holder = holder_id  # a guard from an earlier time the property was unique

    def _drop_guards(self, object_type: ObjectType, name: str) -> None:
        """Delete a property's unique guards (it is no longer unique), a transaction of up to 100 at a time."""
        repository = RecordRepository(self.table)
        plan = WritePlan()
        for value, record_id in list(repository.unique_guards(object_type.name, name)):
            repository.release_unique(plan, object_type.name, name, value, record_id)
            if len(plan.actions) == 100:
                Writer(self.table).commit(plan, Outcome(200, None))
                plan = WritePlan()
        if plan.actions:
            Writer(self.table).commit(plan, Outcome(200, None))

    def archive_property(self, collection: str, name: str, key: IdempotencyKey | None) -> Outcome:
        return self._set_archived(collection, name, key, archived=True)

    def restore_property(self, collection: str, name: str, key: IdempotencyKey | None) -> Outcome:
        return self._set_archived(collection, name, key, archived=False)

    # --- association labels ---------------------------------------------------------------------------

    def association_labels(self, collection: str, to_collection: str) -> dict[str, Any]:
        found = registry.SchemaRegistry(self.tenant_id)
        object_type, to_type = found.by_collection(collection), found.by_collection(to_collection)
        _, items = found.stored()
        return _labels_view(object_type, to_type, items)

    def set_association_labels(
        self, collection: str, to_collection: str, body: definition.AssociationLabels, key: IdempotencyKey | None
    ) -> Outcome:
        """The labels between two object types (either direction), replaced whole. They are stored with the
        pair's first object type by name, so each pair has one definition."""
        pair: list[ObjectType] = []
        refuse("The labels are invalid.", definition.repeated([x.name for x in body.labels], "/labels", "name"))

        def change(items: dict[str, dict[str, Any]], types: dict[str, ObjectType]) -> tuple[dict[str, Any], Any]:
            object_type, to_type = _by_collection(types, collection), _by_collection(types, to_collection)
            pair[:] = [object_type, to_type]
            holder, other = sorted((object_type, to_type), key=lambda t: t.name)
            item = _item_for(items, holder)
            associations = {**(item.get("associations") or {}), other.name: [x.model_dump() for x in body.labels]}
            now = clock.now_iso()
            return {**item, "associations": associations, "updated_at": now}, {
                "association_labels": [holder.name, other.name],
                "action": "updated",
            }

        def answer(_: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
            return _labels_view(pair[0], pair[1], {item["object"]: item})

        return self._change(change, key, status=200, answer=answer)

    # --- pipelines ------------------------------------------------------------------------------------

    def pipelines(self, object_name: str | None) -> list[dict[str, Any]]:
        found = registry.SchemaRegistry(self.tenant_id)
        _, items = found.stored()
        return [
            pipeline_view(p, t.name, items.get(t.name))
            for t in found.object_types()
            if (object_name is None or t.name == object_name)
            for p in t.pipelines.values()
        ]

    def pipeline(self, pipeline_id: str) -> dict[str, Any]:
        for view in self.pipelines(None):
            if view["id"] == pipeline_id:
                return view
        raise NotFound(f"No pipeline {pipeline_id}.")

    def create_pipeline(self, body: definition.PipelineInput, key: IdempotencyKey | None) -> Outcome:
        pipeline_id = clock.new_id()
        refuse("The pipeline is invalid.", definition.repeated([x.id for x in body.stages], "/stages"))

        def change(items: dict[str, dict[str, Any]], types: dict[str, ObjectType]) -> tuple[dict[str, Any], Any]:
            object_type = types[body.object]
            item = _item_for(items, object_type)
            stored = item.get("pipelines") or []
            if len(stored) >= definition.MAX_PIPELINES:
                raise _limit(f"An object type has at most {definition.MAX_PIPELINES} pipelines.")
            now = clock.now_iso()
            created = {
                "id": pipeline_id,
                "name": body.name,
                "stages": [stage.model_dump() for stage in body.stages],
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            return {**item, "pipelines": [*stored, created], "updated_at": now}, {
                "pipeline": pipeline_id,
                "action": "created",
            }

        return self._change(change, key, status=201, answer=lambda _, item: self._pipeline_in(item, pipeline_id))

    def update_pipeline(
        self, pipeline_id: str, body: definition.PipelinePatch, if_match: int | None, key: IdempotencyKey | None
    ) -> Outcome:
        if body.stages is not None:
            refuse("The pipeline is invalid.", definition.repeated([x.id for x in body.stages], "/stages"))

        def change(items: dict[str, dict[str, Any]], types: dict[str, ObjectType]) -> tuple[dict[str, Any], Any]:
            current = self.pipeline(pipeline_id)
            if if_match is not None and current["version"] != if_match:
                raise PreconditionFailed(
                    f"If-Match names version {if_match} but the pipeline is at version {current['version']}."
                )
            object_type = types[current["object"]]
            item = _item_for(items, object_type)
            stored = {p["id"]: p for p in item.get("pipelines") or ()}
            base = stored.get(pipeline_id) or {
                **definition.stored_pipeline(object_type.pipelines[pipeline_id]),
                "version": 1,
                "created_at": None,
            }
            now = clock.now_iso()
            updated = {**base, "version": base["version"] + 1, "updated_at": now}
            if body.name is not None:
                updated["name"] = body.name
            if body.stages is not None:
                updated["stages"] = [stage.model_dump() for stage in body.stages]
                removed = {s["id"] for s in base["stages"]} - {s.id for s in body.stages}
                self._refuse_removing_stages(object_type, pipeline_id, removed)
            stored[pipeline_id] = updated
            return {**item, "pipelines": list(stored.values()), "updated_at": now}, {
                "pipeline": pipeline_id,
                "action": "updated",
            }

        return self._change(change, key, status=200, answer=lambda _, item: self._pipeline_in(item, pipeline_id))

    def _refuse_removing_stages(self, object_type: ObjectType, pipeline_id: str, removed: set[str]) -> None:
        if not removed:
            return
        count = sum(
            1
            for record in self._records(object_type)
            if record.get("pipeline") == pipeline_id and record.get("stage") in removed
        )
        if count:
            raise PropertyInUse(
                f"{count} {object_type.name} record(s) are in stage(s) {', '.join(sorted(removed))}; move them "
                "to another stage first.",
                records=count,
            )

    @staticmethod
    def _pipeline_in(item: dict[str, Any], pipeline_id: str) -> dict[str, Any]:
        stored = next(p for p in item["pipelines"] if p["id"] == pipeline_id)
        return pipeline_view(definition.pipeline(stored), item["object"], item)

    # --- helpers --------------------------------------------------------------------------------------

    def _set_archived(self, collection: str, name: str, key: IdempotencyKey | None, *, archived: bool) -> Outcome:
        def change(items: dict[str, dict[str, Any]], types: dict[str, ObjectType]) -> tuple[dict[str, Any], Any]:
            object_type = _by_collection(types, collection)
            item, current = self._custom_property(items, object_type, name)
            if archived and name in object_type.identifying:
                raise Conflict(f"{name!r} identifies {object_type.name} records; it cannot be archived.")
            now = clock.now_iso()
            updated = {**current, "archived_at": now if archived else None, "updated_at": now}
            properties = [updated if p["name"] == name else p for p in item["properties"]]
            return {**item, "properties": properties, "updated_at": now}, {
                "property": name,
                "action": "archived" if archived else "restored",
            }

        status = 204 if archived else 200
        return self._change(change, key, status=status, answer=lambda view, _: _property_of(view, name))

    def _custom_property(
        self, items: dict[str, dict[str, Any]], object_type: ObjectType, name: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        item = _item_for(items, object_type)
        for prop in item["properties"]:
            if prop["name"] == name:
                return item, prop
        if name in object_type.properties:
            raise Conflict(f"{name!r} is a built-in property of {object_type.name}; built-ins cannot change.")
        raise NotFound(f"No property {name!r} on {object_type.collection}.")

    def _refuse_stranding(self, object_type: ObjectType, current: dict[str, Any], updated: dict[str, Any]) -> None:
        """409 naming how many records hold a value the changed property would no longer accept as it is
        stored (a removed option, a value of another type); reads the object type's records once."""
        if current["type"] == updated["type"] and current.get("options") == updated.get("options"):
            return
        new_type = definition.property_type(updated)
        context = ValidationContext()

        def stranded(value: Any) -> bool:
            try:
                return new_type.normalise(value, context) != value
            except InvalidValue:
                return True

        name = current["name"]
        count = sum(1 for record in self._records(object_type) if name in record and stranded(record[name]))
        if count:
            what = "type" if current["type"] != updated["type"] else "options"
            raise PropertyInUse(
                f"{count} {object_type.name} record(s) hold {name} values the new {what} would not accept; "
                "change those records first.",
                records=count,
            )

    def _records(self, object_type: ObjectType, *, include_archived: bool = True, whole: bool = False) -> Iterator[Any]:
        """Every record's properties (`whole`: the records), archived records too unless told otherwise
        (they are restorable)."""
        records = RecordRepository(self.table)
        after: str | None = None
        while True:
            page, after = records.page(
                object_type.name, limit=COUNT_PAGE, after=after, include_archived=include_archived
            )
            yield from (record if whole else record["properties"] for record in page)
            if after is None:
                return

    def _change(
        self,
        change: Callable[[dict[str, dict[str, Any]], dict[str, ObjectType]], tuple[dict[str, Any], Any]],
        key: IdempotencyKey | None,
        *,
        status: int,
        answer: Callable[[dict[str, Any], dict[str, Any]], Any],  # (the object type's view, its schema item)
    ) -> Outcome:
        writer = Writer(self.table, key)
        earlier = writer.earlier()
        if earlier:
            return earlier

        def attempt() -> Outcome:
            registry.forget(self.tenant_id)  # build on the schema as stored now
            found = registry.SchemaRegistry(self.tenant_id)
            version, items = found.stored()
            types = {t.name: t for t in found.object_types()}
            item, what = change(items, types)
            plan = WritePlan()
            self.repository.save(plan, item, read_version=version)
            builtin = BUILTIN_OBJECT_TYPES.get(item["object"])
            view = object_view(definition.object_type(item, builtin), item, version + 1)
            plan.emit(
                self.table,
                outbox.envelope(
                    tenant_id=self.tenant_id,
                    event_type="schema.changed",
                    object_name="schema",
                    record_id=item["object"],
                    data={**view, "change": what},
                ),
            )
            body = None if status == 204 else answer(view, item)
            return writer.commit(plan, Outcome(status, body), subject="schema")

        try:
            return retry_on_race(attempt, subject="schema")
        finally:
            registry.forget(self.tenant_id)


def _same(value: Any, other: Any) -> bool:
    return value is not None and other is not None and guard_key(value) == guard_key(other)


def _by_collection(types: dict[str, ObjectType], collection: str) -> ObjectType:
    for object_type in types.values():
        if object_type.collection == collection:
            return object_type
    known = ", ".join(t.collection for t in types.values())
    raise NotFound(f"No object type {collection!r} for this tenant; it has: {known}.")


def _item_for(items: dict[str, dict[str, Any]], object_type: ObjectType) -> dict[str, Any]:
    """The object type's schema item; a built-in without custom properties yet gets a new one."""
    if object_type.name in items:
        item = dict(items[object_type.name])
        item.pop("kind", None)
        item.pop("pk", None)
        item.pop("sk", None)
        return item
    now = clock.now_iso()
    return {
        "object": object_type.name,
        "collection": object_type.collection,
        "properties": [],
        "created_at": now,
        "updated_at": now,
    }


def _property_faults(prop: PropertyInput, at: str, object_names: set[str]) -> list[FieldError]:
    faults = [FieldError(pointer, detail) for pointer, detail in prop.faults(at)]
    if prop.name in SYSTEM_FIELDS:
        faults.append(FieldError(f"{at}/name", f"{prop.name!r} is a field of every record"))
    if prop.target is not None and prop.target not in object_names:
        faults.append(
            FieldError(f"{at}/target", f"no object type {prop.target!r}; it has: {', '.join(sorted(object_names))}")
        )
    return faults


def _stored(prop: PropertyInput, now: str) -> dict[str, Any]:
    stored = prop.model_dump(exclude_none=True)
    if prop.options is not None:
        stored["options"] = [o.model_dump() for o in prop.options]
    return {**stored, "created_at": now, "updated_at": now, "archived_at": None}


def _limit(detail: str) -> SchemaRefused:
    """A tenant limit reached: the request as a whole is at fault."""
    return SchemaRefused(detail, errors=[FieldError("/", detail)])


def _property_of(view: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in view["properties"] if p["name"] == name)


# --- what the API shows ---------------------------------------------------------------------------------


def property_view(spec: PropertyDef | None, stored: dict[str, Any] | None, *, required: bool) -> dict[str, Any]:
    """A property as `GET /v1/schemas/...` shows it: built-in or custom, archived or not."""
    if stored is not None:
        return {
            "name": stored["name"],
            "label": stored["label"],
            "type": stored["type"],
            "options": stored.get("options"),
            "target": stored.get("target"),
            "description": stored.get("description"),
            "required": bool(stored.get("required")),
            "unique": bool(stored.get("unique")) and not stored.get("unique_pending"),  # (pending: being claimed)
            "indexed": bool(stored.get("indexed")) and not stored.get("index_pending"),
            "custom": True,
            "read_only": False,
            "archived": bool(stored.get("archived_at")),
            "created_at": stored.get("created_at"),
            "updated_at": stored.get("updated_at"),
        }
    assert spec is not None
    kind = spec.type
    options = getattr(kind, "options", None)
    labels = getattr(kind, "labels", ()) or options
    return {
        "name": spec.name,
        "label": spec.label,
        "type": definition.api_type_name(spec),
        "options": [{"value": v, "label": lbl} for v, lbl in zip(options, labels, strict=True)] if options else None,
        "target": getattr(kind, "target", None),
        "description": spec.description or None,
        "required": required,
        "unique": spec.unique,
        "indexed": spec.indexed,
        "custom": False,
        "read_only": spec.read_only,
        "archived": False,
        "created_at": None,
        "updated_at": None,
    }


def object_view(object_type: ObjectType, item: dict[str, Any] | None, version: int) -> dict[str, Any]:
    stored = {p["name"]: p for p in (item or {}).get("properties") or ()}
    properties = [
        property_view(spec, stored.get(name), required=name in object_type.required)
        for name, spec in object_type.properties.items()
        if name not in stored
    ]
    properties += [property_view(None, p, required=False) for p in stored.values()]
    return {
        "name": object_type.name,
        "collection": object_type.collection,
        "label": object_type.label,
        "custom": object_type.custom,
        "identifying": list(object_type.identifying),
        "properties": properties,
        "schema_version": version,
    }


def pipeline_view(pipeline: Any, object_name: str, item: dict[str, Any] | None) -> dict[str, Any]:
    """A pipeline as the API shows it; the default one is stored only once changed."""
    stored = next((p for p in (item or {}).get("pipelines") or () if p["id"] == pipeline.id), None)
    return {
        "id": pipeline.id,
        "object": object_name,
        "name": pipeline.label,
        "stages": [
            {"id": s.id, "label": s.label, "probability": s.probability, "closed": s.closed} for s in pipeline.stages
        ],
        "default": pipeline.id == "default",
        "version": stored["version"] if stored else 1,
        "created_at": stored.get("created_at") if stored else None,
        "updated_at": stored.get("updated_at") if stored else None,
    }


def _labels_view(object_type: ObjectType, to_type: ObjectType, items: dict[str, dict[str, Any]]) -> dict[str, Any]:
    holder, other = sorted((object_type, to_type), key=lambda t: t.name)
    labels = ((items.get(holder.name) or {}).get("associations") or {}).get(other.name) or []
    return {
        "object": object_type.name,
        "to_object": to_type.name,
        "labels": [{"name": x["name"], "label": x["label"]} for x in labels],
    }
