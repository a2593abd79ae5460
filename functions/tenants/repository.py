"""Where tenants and their API keys live (shapes in crm.keys):

- tenant profile  pk T#<tenant>            sk TENANT
- API key         pk T#<tenant>#K          sk <key id>      (only the SHA-256 digest of the secret)
- registry entry  pk SYSTEM#TENANTS        sk <tenant id>   (the operator's list; outside every tenant)

The operator's side (onboarding, the registry) uses the system table; a tenant's keys are managed
through that tenant's own TenantTable."""

from __future__ import annotations

from typing import Any

from crm import keys
from crm.store import SystemTable, TenantTable
from crm.writes import Put, WritePlan

Item = dict[str, Any]


class Registry:
    """The operator's view: onboarding writes span the registry and the new tenant's partition."""

    def __init__(self, table: SystemTable | None = None) -> None:
        self.table = table or SystemTable()

    def add_tenant(self, plan: WritePlan, profile: Item, public: Item, first_key: Item) -> None:
        tenant_id = profile["id"]
        plan.add(
            Put(keys.tenant_root(tenant_id), keys.TENANT_PROFILE.sort, profile, condition="attribute_not_exists(pk)"),
            "created",
        )
        plan.add(Put(keys.SYSTEM_TENANTS_PK, tenant_id, {"kind": keys.TENANT_REF_KIND, **public}))
        plan.add(
            Put(keys.api_key_partition(tenant_id), first_key["id"], first_key, condition="attribute_not_exists(pk)"),
            "created",
        )

    def page(self, limit: int, after: str | None) -> tuple[list[Item], str | None]:
        return self.table.query(keys.SYSTEM_TENANTS_PK, limit=limit, after_sk=after)

    def get(self, tenant_id: str) -> Item | None:
        return self.table.get(keys.SYSTEM_TENANTS_PK, tenant_id)


class KeyRepository:
    """One tenant's API keys."""

    def __init__(self, table: TenantTable) -> None:
        self.table = table
        self._pk = table.pk(keys.API_KEY.partition)

    def get(self, key_id: str) -> Item | None:
        return self.table.get(self._pk, key_id)

    def page(self, limit: int, after: str | None) -> tuple[list[Item], str | None]:
        return self.table.query(self._pk, limit=limit, after_sk=after)

    def add(self, plan: WritePlan, item: Item) -> None:
        plan.add(Put(self._pk, item["id"], item, condition="attribute_not_exists(pk)"), "created")

    def revoke(self, plan: WritePlan, item: Item) -> None:
        """Store the key as revoked, unless it was revoked meanwhile (then nothing is left to do)."""
        plan.add(
            Put(self._pk, item["id"], item, condition="attribute_exists(pk) AND attribute_not_exists(revoked_at)"),
            "version_changed",
        )


def read_key(tenant_id: str, key_id: str, table: SystemTable) -> tuple[Item | None, Item | None]:
    """The authorizer's read: a key and its tenant's profile (it runs before any tenant is known)."""
    found = table.get_many(
        [(keys.api_key_partition(tenant_id), key_id), (keys.tenant_root(tenant_id), keys.TENANT_PROFILE.sort)]
    )
    return (
        found.get((keys.api_key_partition(tenant_id), key_id)),
        found.get((keys.tenant_root(tenant_id), keys.TENANT_PROFILE.sort)),
    )
