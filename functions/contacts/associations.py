"""Associations: labelled links between two records of a tenant, of any object types (a partner and the
contact who referred it), visible from both sides.

Where they live (shapes in crm.keys): one item per direction,
  pk T#<tenant>#A#<object>#<record id>   sk <to object>#<to id>   {label, created_at, updated_at}
both written in one transaction with checks that both records exist and are active, and the
`association.created|updated|deleted` event. Reference properties appear in the lists too, labelled with
the property's name, from both sides: a contact's `company_id` on the contact (first) and on the company
(found by search, after the associations made through the API), a deal's `contact_ids` on the deal and on
each contact."""

from __future__ import annotations

from typing import Any

from contacts.registry import SchemaRegistry
from contacts.repository import RecordRepository
from contacts.schema import ObjectType, Reference, References
from crm import clock, cursor, keys, outbox
from crm.errors import FieldError, NotFound, UnknownToTenant, ValidationFailed
from crm.idempotency import IdempotencyKey, Outcome
from crm.store import TenantTable
from crm.writes import Check, Delete, Put, WritePlan, Writer, retry_on_race

ACTIVE = "attribute_exists(pk) AND attribute_not_exists(archived_at)"
# Where a list's cursor stands: in the associations made through the API, or among the referring records.
STORED, REFERRING = "a:", "r:"


class AssociationRepository:
    def __init__(self, table: TenantTable) -> None:
        self.table = table

    def _pk(self, object_name: str, record_id: str) -> str:
        return self.table.pk(keys.prefix(keys.ASSOCIATION), object_name, record_id)

    def get(self, side: tuple[str, str], other: tuple[str, str]) -> dict[str, Any] | None:
        return self.table.get(self._pk(*side), f"{other[0]}#{other[1]}")

    def page(
        self, side: tuple[str, str], to_object: str, *, limit: int, after: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        return self.table.query(
            self._pk(*side), limit=limit, after_sk=after, sk_prefix=f"{to_object}#", newest_first=False
        )

    def put_pair(self, plan: WritePlan, a: tuple[str, str], b: tuple[str, str], item: dict[str, Any]) -> None:
        for side, other in ((a, b), (b, a)):
            body = {"kind": keys.ASSOCIATION.kind, "object": other[0], "id": other[1], **item}
            plan.add(Put(self._pk(*side), f"{other[0]}#{other[1]}", body))

    def delete_pair(self, plan: WritePlan, a: tuple[str, str], b: tuple[str, str]) -> None:
        for side, other in ((a, b), (b, a)):
            plan.add(Delete(self._pk(*side), f"{other[0]}#{other[1]}"))


def public(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": item["object"],
        "id": item["id"],
        "label": item.get("label"),
        "via": item.get("via", "association"),
        "created_at": item.get("created_at"),
    }


class Associations:
    def __init__(self, tenant_id: str) -> None:
        self.table = TenantTable(tenant_id)
        self.tenant_id = tenant_id
        self.repository = AssociationRepository(self.table)
        self.records = RecordRepository(self.table)
        self.registry = SchemaRegistry(tenant_id)

    # --- reads ----------------------------------------------------------------------------------------

    def list(
        self, collection: str, record_id: str, to_collection: str, *, limit: int, cursor_token: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Both directions, in three parts a cursor moves through: the record's own reference properties
        pointing at that object type (on the first page), the associations made through the API (either
        side), then the records whose reference properties point at this one (by search)."""
        object_type, to_type = self.registry.by_collection(collection), self.registry.by_collection(to_collection)
        record = self._active(object_type, record_id)
        scope = f"associations:{object_type.name}:{record['id']}:{to_type.name}"
        position = cursor.decode(cursor_token, self.tenant_id, scope) if cursor_token else None
        data: list[dict[str, Any]] = []
        if position is None or not position.startswith(REFERRING):
            after = position.removeprefix(STORED) if position else None
            items, stored_next = self.repository.page(
                (object_type.name, record["id"]), to_type.name, limit=limit, after=after
            )
            data = [public(i) for i in items]
            if after is None:
                stored = {i["id"] for i in data}
                data = [r for r in _references(object_type, record, to_type) if r["id"] not in stored] + data
            if stored_next is not None:
                return data, cursor.encode(self.tenant_id, scope, STORED + stored_next)
            position = REFERRING + "0:"
        referring, next_position = self._referring(
            object_type, record["id"], to_type, position, max(limit - len(data), 0)
        )
        data += referring
        return data, cursor.encode(self.tenant_id, scope, next_position) if next_position else None

    def _referring(
        self, object_type: ObjectType, record_id: str, to_type: ObjectType, position: str, limit: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Up to `limit` records of `to_type` whose reference properties point at the record, a property at a
        time (each a search: an index read where the property is indexed, as `company_id` is), from
        `position` (REFERRING, the property's place, and the search's own cursor); where to go on from."""
        from search.service import SearchService

        properties = referring_properties(to_type, object_type)
        place, _, after = position.removeprefix(REFERRING).partition(":")
        index = int(place) if place.isdigit() else len(properties)
        found: list[dict[str, Any]] = []
        search = SearchService(self.tenant_id, to_type, table=self.table)
        while index < len(properties):
            if len(found) >= limit:
                return found, f"{REFERRING}{index}:{after}"
            name, op = properties[index]
            filters = [{"property": name, "op": op, "value": record_id}]
            request: dict[str, Any] = {"filter_groups": [{"filters": filters}], "limit": limit - len(found)}
            if after:
                request["after"] = after
            page = search.search(request)
            found += [
                {"object": to_type.name, "id": r["id"], "label": name, "via": "property", "created_at": None}
                for r in page.records
            ]
            if page.next_cursor:
                return found, f"{REFERRING}{index}:{page.next_cursor}"
            index, after = index + 1, ""
        return found, None

    # --- changes --------------------------------------------------------------------------------------

    def associate(
        self,
        collection: str,
        record_id: str,
        to_collection: str,
        to_id: str,
        label: str | None,
        key: IdempotencyKey | None,
    ) -> Outcome:
        object_type, to_type = self.registry.by_collection(collection), self.registry.by_collection(to_collection)
        writer = Writer(self.table, key)
        earlier = writer.earlier()
        if earlier:
            return earlier
        allowed = labels_for(object_type, to_type)
        if label is not None and label not in allowed:
            known = ", ".join(allowed) or "none (define them with PUT /v1/schemas/{collection}/associations/...)"
            raise UnknownToTenant(
                "Unknown association label.",
                errors=[
                    FieldError("/label", f"is not a label between {collection} and {to_collection}; they are: {known}")
                ],
            )

        def attempt() -> Outcome:
            a = (object_type.name, self._active(object_type, record_id)["id"])
            b = (to_type.name, self._active(to_type, to_id)["id"])
            if a == b:
                raise ValidationFailed(
                    "A record is not associated with itself.", errors=[FieldError("/", "names the record itself")]
                )
            current = self.repository.get(a, b)
            if current is not None and current.get("label") == label:
                return Outcome(200, public(current))  # as asked already: nothing to write
            now = clock.now_iso()
            item = {"label": label, "created_at": current["created_at"] if current else now, "updated_at": now}
            plan = WritePlan()
            self.repository.put_pair(plan, a, b, item)
            for side in (a, b):  # both must still be there when the links are written
                plan.add(Check(self.records_pk(side[0]), side[1], condition=ACTIVE), "exists")
            event = "association.updated" if current else "association.created"
            changes = {"label": {"old": current.get("label"), "new": label}} if current else {}
            self._emit(plan, event, a, b, label, changes)
            return writer.commit(plan, Outcome(200, public({"object": b[0], "id": b[1], **item})), subject="record")

        return retry_on_race(attempt, subject="association")

    def dissociate(
        self, collection: str, record_id: str, to_collection: str, to_id: str, key: IdempotencyKey | None
    ) -> Outcome:
        object_type, to_type = self.registry.by_collection(collection), self.registry.by_collection(to_collection)
        writer = Writer(self.table, key)
        earlier = writer.earlier()
        if earlier:
            return earlier
        a = (object_type.name, _normal(record_id))
        b = (to_type.name, _normal(to_id))
        current = self.repository.get(a, b) if a[1] and b[1] else None
        if current is None:
            raise NotFound(f"No association between {collection} {record_id} and {to_collection} {to_id}.")
        plan = WritePlan()
        self.repository.delete_pair(plan, a, b)
        self._emit(plan, "association.deleted", a, b, current.get("label"), {})
        return writer.commit(plan, Outcome(204, None), subject="association")

    # --- helpers --------------------------------------------------------------------------------------

    def records_pk(self, object_name: str) -> str:
        return self.table.pk(keys.prefix(keys.RECORD), object_name)

    def _active(self, object_type: ObjectType, record_id: str) -> dict[str, Any]:
        normal = _normal(record_id)
        record = self.records.get(object_type.name, normal) if normal else None
        if record is None or record["archived_at"]:
            raise NotFound(f"No {object_type.name} with id {record_id}.")
        return record

    def _emit(
        self,
        plan: WritePlan,
        event_type: str,
        a: tuple[str, str],
        b: tuple[str, str],
        label: str | None,
        changes: dict[str, Any],
    ) -> None:
        data = {"from": {"object": a[0], "id": a[1]}, "to": {"object": b[0], "id": b[1]}, "label": label}
        plan.emit(
            self.table,
            outbox.envelope(
                tenant_id=self.tenant_id,
                event_type=event_type,
                object_name="association",
                record_id=a[1],
                data=data,
                changes=changes,
            ),
        )


def labels_for(object_type: ObjectType, to_type: ObjectType) -> tuple[str, ...]:
    """The labels defined for this pair of object types (kept with the pair's first type by name)."""
    holder, other = sorted((object_type, to_type), key=lambda t: t.name)
    return holder.association_labels.get(other.name, ())


def _references(object_type: ObjectType, record: dict[str, Any], to_type: ObjectType) -> list[dict[str, Any]]:
    """The record's reference properties pointing at `to_type`, as associations labelled with the property."""
    found = []
    for name, spec in object_type.properties.items():
        kind = spec.type
        if isinstance(kind, Reference | References) and kind.target == to_type.name and name in record["properties"]:
            value = record["properties"][name]
            for target in value if isinstance(value, list) else [value]:
                found.append(
                    {"object": to_type.name, "id": target, "label": name, "via": "property", "created_at": None}
                )
    return found


def referring_properties(object_type: ObjectType, target: ObjectType) -> list[tuple[str, str]]:
    """`object_type`'s reference properties pointing at `target`, each with the search operator that finds
    the records holding a given id (eq on one id, contains on a list)."""
    found = []
    for name, spec in sorted(object_type.properties.items()):
        if isinstance(spec.type, Reference) and spec.type.target == target.name:
            found.append((name, "eq"))
        elif isinstance(spec.type, References) and spec.type.target == target.name:
            found.append((name, "contains"))
    return found


def _normal(record_id: str) -> str:
    return record_id.strip().upper()
