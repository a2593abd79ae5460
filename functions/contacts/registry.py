"""The object types a tenant has, resolved per request (never registered as routes at import time).

Today every tenant has the built-ins (contacts, companies, deals). Tenant custom fields and custom
object types are schema items in the tenant's partition: they slot in here, cached per warm container
and keyed by the tenant's schema version, so routes, validation and the OpenAPI document all follow."""

from __future__ import annotations

from contacts.schema import BUILTIN_OBJECT_TYPES, ObjectType
from crm.errors import NotFound


class SchemaRegistry:
    def __init__(self, tenant_id: str | None) -> None:
        self.tenant_id = tenant_id  # None: the public document (built-ins only)

    def object_types(self) -> tuple[ObjectType, ...]:
        return tuple(BUILTIN_OBJECT_TYPES.values())

    def by_collection(self, collection: str) -> ObjectType:
        for object_type in self.object_types():
            if object_type.collection == collection:
                return object_type
        known = ", ".join(t.collection for t in self.object_types())
        raise NotFound(f"No object type {collection!r} for this tenant; it has: {known}.")
