"""Tenant onboarding (operator) and tenant API keys (tenant admins)."""

from __future__ import annotations

from typing import Any

from crm import clock, cursor, keys
from crm.errors import Conflict, NotFound
from crm.idempotency import IdempotencyKey, Outcome
from crm.store import TenantTable
from crm.writes import VersionRace, WritePlan, Writer, retry_on_race
from tenants import apikeys, usage_plans
from tenants.repository import KeyRepository, Registry


def _public_tenant(item: dict[str, Any]) -> dict[str, Any]:
    return {k: item.get(k) for k in ("id", "name", "tier", "status", "default_region", "created_at")}


def _public_key(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": item["id"],
        "name": item["name"],
        "role": item["role"],
        "scopes": item.get("scopes") or [],
        "created_at": item["created_at"],
        "revoked_at": item.get("revoked_at"),
        "created_by": item.get("created_by"),
    }


def _redacted(body: dict[str, Any]) -> dict[str, Any]:
    """What an idempotent replay returns: the key's secret is shown once and never stored."""
    key = {**body["api_key"], "key": None, "note": "The secret was shown once, in the first response."}
    return {**body, "api_key": key}


def _key_item(tenant_id: str, name: str, role: str, scopes: list[str], created_by: str | None) -> tuple[dict, str]:
    key_id = clock.new_id()
    secret = apikeys.issue(tenant_id, key_id)
    item = {
        "kind": keys.API_KEY.kind,
        "id": key_id,
        "name": name,
        "role": role,
        "scopes": scopes,
        "digest": apikeys.digest(secret),
        "created_at": clock.now_iso(),
        "created_by": created_by,
    }
    return item, secret


# --- operator --------------------------------------------------------------------------------------


def create_tenant(name: str, tier: str, default_region: str, idempotency_key: IdempotencyKey | None = None) -> Outcome:
    registry = Registry()
    writer = Writer(registry.table, idempotency_key, idempotency_pk=keys.SYSTEM_IDEMPOTENCY_PK, redact=_redacted)
    earlier = writer.earlier()
    if earlier:
        return earlier

    def attempt() -> Outcome:
        tenant_id = clock.new_id()
        usage_key = usage_plans.register(tenant_id, tier)
        profile = {
            "kind": keys.TENANT_PROFILE.kind,
            "id": tenant_id,
            "name": name,
            "tier": tier,
            "status": "active",
            "default_region": default_region,
            "created_at": clock.now_iso(),
            "usage_key_id": usage_key.id if usage_key else None,
            "usage_key_value": usage_key.value if usage_key else None,
        }
        key_item, secret = _key_item(tenant_id, "Initial admin key", "admin", [], "operator")
        body = {
            "tenant": _public_tenant(profile),
            "api_key": {"id": key_item["id"], "key": secret, "role": "admin", "name": key_item["name"]},
        }
        plan = WritePlan()
        registry.add_tenant(plan, profile, _public_tenant(profile), key_item)
        return writer.commit(plan, Outcome(201, body), subject="tenant")

    return retry_on_race(attempt, subject="tenant")


def list_tenants(limit: int, cursor_token: str | None) -> tuple[list[dict[str, Any]], str | None]:
    after = cursor.decode(cursor_token, "operator", "tenants") if cursor_token else None
    items, position = Registry().page(limit, after)
    return [_public_tenant(i) for i in items], cursor.encode("operator", "tenants", position) if position else None


def get_tenant(tenant_id: str) -> dict[str, Any]:
    tenant_id = tenant_id.strip().upper()
    item = Registry().get(tenant_id) if tenant_id else None
    if not item:
        raise NotFound(f"No tenant with id {tenant_id}.")
    return _public_tenant(item)


# --- tenant API keys -------------------------------------------------------------------------------


class ApiKeys:
    def __init__(self, tenant_id: str, caller_key_id: str | None) -> None:
        self.table = TenantTable(tenant_id)
        self.tenant_id = tenant_id
        self.caller_key_id = caller_key_id
        self.repository = KeyRepository(self.table)

    def create(self, name: str, role: str, scopes: list[str], idempotency_key: IdempotencyKey | None) -> Outcome:
        writer = Writer(self.table, idempotency_key, redact=_redacted)
        earlier = writer.earlier()
        if earlier:
            return earlier

        def attempt() -> Outcome:
            item, secret = _key_item(self.tenant_id, name, role, scopes, self.caller_key_id)
            plan = WritePlan()
            self.repository.add(plan, item)
            return writer.commit(plan, Outcome(201, {"api_key": {**_public_key(item), "key": secret}}), subject="key")

        return retry_on_race(attempt, subject="key")

    def list(self, limit: int, cursor_token: str | None) -> tuple[list[dict[str, Any]], str | None]:
        after = cursor.decode(cursor_token, self.tenant_id, "api_keys") if cursor_token else None
        items, position = self.repository.page(limit, after)
        next_cursor = cursor.encode(self.tenant_id, "api_keys", position) if position else None
        return [_public_key(i) for i in items], next_cursor

    def revoke(self, key_id: str, idempotency_key: IdempotencyKey | None = None) -> Outcome:
        writer = Writer(self.table, idempotency_key)
        earlier = writer.earlier()
        if earlier:
            return earlier
        key_id = key_id.strip().upper()
        if key_id == self.caller_key_id:
            raise Conflict("A key cannot revoke itself; revoke it with another admin key.")
        item = self.repository.get(key_id) if key_id else None
        if not item:
            raise NotFound(f"No API key with id {key_id}.")
        if item.get("revoked_at"):
            return Outcome(204, None)  # already revoked: revoking again changes nothing
        plan = WritePlan()
        self.repository.revoke(plan, {**item, "revoked_at": clock.now_iso()})
        try:
            return writer.commit(plan, Outcome(204, None), subject="key")
        except VersionRace:
            return Outcome(204, None)  # revoked meanwhile by another request: the same end state
