"""Who is calling. The identity comes only from the API Gateway authorizer context, never from a path,
query string or body; permissions are checked here, in one place."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from crm.errors import Forbidden, Unauthorized

Role = Literal["admin", "member", "read_only", "operator"]
TENANT_ROLES: tuple[str, ...] = ("admin", "member", "read_only")

# What each role may do. Actions are "<area>:<verb>"; scopes on a key narrow this further.
_ROLE_GRANTS: dict[str, frozenset[str]] = {
    "read_only": frozenset({"records:read", "schemas:read", "webhooks:read", "workflows:read", "forms:read"}),
    "member": frozenset(
        {
            "records:read",
            "records:write",
            "schemas:read",
            "webhooks:read",
            "webhooks:write",
            "workflows:read",
            "workflows:write",
            "forms:read",
            "forms:write",
        }
    ),
    "admin": frozenset(
        {
            "records:read",
            "records:write",
            "schemas:read",
            "webhooks:read",
            "webhooks:write",
            "workflows:read",
            "workflows:write",
            "forms:read",
            "forms:write",
            "schemas:write",  # the tenant's data model: custom properties and object types
            "keys:read",
            "keys:write",
        }
    ),
    "operator": frozenset({"tenants:read", "tenants:write"}),
}


@dataclass(frozen=True)
class Caller:
    role: Role
    tenant_id: str | None
    key_id: str | None
    scopes: frozenset[str]

    @classmethod
    def from_authorizer(cls, context: dict[str, Any] | None) -> Caller:
        context = context or {}
        role = context.get("role")
        if role not in _ROLE_GRANTS:
            raise Unauthorized("A valid API key is required: Authorization: Bearer <key>.")
        tenant_id = context.get("tenant_id") or None
        if role != "operator" and not tenant_id:
            raise Unauthorized("A valid API key is required: Authorization: Bearer <key>.")
        scopes = frozenset(s for s in str(context.get("scopes") or "").split(",") if s)
        return cls(
            role=role,
            tenant_id=tenant_id,
            key_id=context.get("key_id") or None,
            scopes=scopes,
        )

    def can(self, action: str) -> bool:
        if action not in _ROLE_GRANTS[self.role]:
            return False
        return not self.scopes or action in self.scopes or f"{action.split(':')[0]}:*" in self.scopes

    def require(self, action: str) -> None:
        if not self.can(action):
            raise Forbidden(f"This API key (role {self.role}) may not perform '{action}'.")

    def require_tenant(self, action: str) -> str:
        """The tenant a tenant-scoped action runs for; the operator key has none."""
        self.require(action)
        if self.tenant_id is None:
            raise Forbidden("This route needs a tenant API key.")
        return self.tenant_id


def known_actions() -> frozenset[str]:
    return frozenset().union(*_ROLE_GRANTS.values())


def effective_actions(role: str, scopes: Iterable[str]) -> frozenset[str]:
    """What a key with this role and these scopes may do."""
    probe = Caller(role=role, tenant_id=None, key_id=None, scopes=frozenset(scopes))  # type: ignore
    return frozenset(action for action in _ROLE_GRANTS[role] if probe.can(action))
