"""The object types a tenant has, resolved per request (never registered as routes at import time): the
built-ins (contacts, companies, deals) with the tenant's custom properties, and its custom object types.

Each warm container caches every tenant's schema it has seen, keyed by the tenant's schema version. Within
FRESH_S of the last check a request costs no read at all; after that one small read of the version item
says whether to reload. A schema change made in this container is seen at once (the change forgets the
cache); one made in another container at most FRESH_S later."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from contacts.schema import BUILTIN_OBJECT_TYPES, ObjectType
from crm.errors import NotFound

FRESH_S = 5.0


@dataclass
class _Cached:
    version: int
    object_types: tuple[ObjectType, ...]
    items: dict[str, dict]
    checked_at: float


_cache: dict[str, _Cached] = {}


def forget(tenant_id: str) -> None:
    """This container changed the tenant's schema: the next request reloads it."""
    _cache.pop(tenant_id, None)


def settle() -> None:
    """Wait until every warm container works with the schema just changed: each checks the tenant's version
    at least every FRESH_S. Outside Lambda (the local stack, tests) every function shares this process's
    one cache, which the change already forgot: there is nothing to wait for."""
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        time.sleep(FRESH_S)


def reset() -> None:
    _cache.clear()


def _load(tenant_id: str) -> _Cached:
    from crm.store import TenantTable
    from schemas.definition import object_type
    from schemas.repository import SchemaRepository

    cached = _cache.get(tenant_id)
    now = time.monotonic()
    if cached is not None and now - cached.checked_at < FRESH_S:
        return cached
    repository = SchemaRepository(TenantTable(tenant_id))
    if cached is not None and repository.version() == cached.version:
        cached.checked_at = now
        return cached
    version, items = repository.load()
    builtins = [object_type(items[t.name], t) if t.name in items else t for t in BUILTIN_OBJECT_TYPES.values()]
    custom = [object_type(item, None) for name, item in sorted(items.items()) if name not in BUILTIN_OBJECT_TYPES]
    loaded = _Cached(version, (*builtins, *custom), items, now)
    _cache[tenant_id] = loaded
    return loaded


class SchemaRegistry:
    def __init__(self, tenant_id: str | None) -> None:
        self.tenant_id = tenant_id  # None: the public document (built-ins only)

    def object_types(self) -> tuple[ObjectType, ...]:
        if self.tenant_id is None:
            return tuple(BUILTIN_OBJECT_TYPES.values())
        return _load(self.tenant_id).object_types

    def stored(self) -> tuple[int, dict[str, dict]]:
        """(schema version, object name -> schema item) as last loaded: what a schema change builds on."""
        if self.tenant_id is None:
            return 0, {}
        loaded = _load(self.tenant_id)
        return loaded.version, loaded.items

    def by_name(self, name: str) -> ObjectType:
        for object_type in self.object_types():
            if object_type.name == name:
                return object_type
        raise NotFound(f"No object type {name!r} for this tenant.")

    def by_collection(self, collection: str) -> ObjectType:
        for object_type in self.object_types():
            if object_type.collection == collection:
                return object_type
        known = ", ".join(t.collection for t in self.object_types())
        raise NotFound(f"No object type {collection!r} for this tenant; it has: {known}.")
