"""Routes: operator onboarding (/v1/tenants) and tenant API keys (/v1/api-keys)."""

from datetime import datetime
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.request import Request
from pydantic import BaseModel, ConfigDict, Field, field_validator

from crm import http
from crm.catalogue import TIER_NAMES
from crm.errors import Forbidden
from crm.idempotency import Outcome
from crm.tenancy import TENANT_ROLES, effective_actions, known_actions
from tenants import service

router = Router()
TenantName = http.text(200)
KeyName = http.text(200)

Tier = Literal["basic", "standard", "premium"]
assert set(TIER_NAMES) == {"basic", "standard", "premium"}, "keep Tier in step with the catalogue"
KeyRole = Literal["admin", "member", "read_only"]
assert set(TENANT_ROLES) == {"admin", "member", "read_only"}


def _regions() -> list[str]:
    """The regions TenantInput accepts (documented as an enumeration; read when the document is built)."""
    import phonenumbers

    return sorted(phonenumbers.SUPPORTED_REGIONS)


def _scopes() -> list[str]:
    """The scopes ApiKeyInput accepts: every action, and `<area>:*` for each area."""
    actions = known_actions()
    return sorted(actions | {f"{action.split(':')[0]}:*" for action in actions})


class TenantInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: TenantName
    tier: Tier = "basic"
    default_region: str = Field(
        default="US",
        pattern=r"^[A-Z]{2}$",
        description="Region for phone numbers",
        json_schema_extra=lambda schema: schema.update(enum=_regions()),
    )

    @field_validator("default_region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        import phonenumbers

        if value not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError("must be a region code with phone numbers, e.g. US or GB")
        return value


class ApiKeyInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: KeyName
    role: KeyRole = "member"
    scopes: list[str] = Field(
        default_factory=list,
        max_length=32,
        description="Narrow the role, e.g. records:read",
        json_schema_extra=lambda schema: schema["items"].update(enum=_scopes()),
    )

    @field_validator("scopes")
    @classmethod
    def _known_scopes(cls, scopes: list[str]) -> list[str]:
        for scope in scopes:
            if scope not in _scopes():
                raise ValueError(f"unknown scope {scope!r}; known: {', '.join(sorted(known_actions()))}")
        return sorted(set(scopes))


# --- what the routes answer (documentation: the routes build these bodies in tenants.service) ------


class Tenant(BaseModel):
    id: str
    name: str
    tier: Tier
    status: str = Field(description="active")
    default_region: str = Field(description="Region for phone numbers without a country code")
    created_at: datetime


class TenantPage(BaseModel):
    data: list[Tenant]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last")


class InitialApiKey(BaseModel):
    id: str
    name: str
    role: KeyRole
    key: str | None = Field(description="The secret, shown once: null when the response is replayed")
    note: str | None = Field(default=None, description="Set when the response is replayed, saying why key is null")


class TenantCreated(BaseModel):
    tenant: Tenant
    api_key: InitialApiKey = Field(description="The tenant's first admin key")


class ApiKey(BaseModel):
    id: str
    name: str
    role: KeyRole
    scopes: list[str] = Field(description="Narrowing the role; empty: all the role allows")
    created_at: datetime
    revoked_at: datetime | None
    created_by: str | None = Field(description="The id of the key that created it (operator: the operator)")


class NewApiKey(ApiKey):
    key: str | None = Field(description="The secret, shown once: null when the response is replayed")
    note: str | None = Field(default=None, description="Set when the response is replayed, saying why key is null")


class ApiKeyCreated(BaseModel):
    api_key: NewApiKey


class ApiKeyPage(BaseModel):
    data: list[ApiKey]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last")


def _created(result: Outcome, location: str):
    return http.outcome_response(result, {"Location": location})


@router.post(
    "/tenants",
    operation_id="create_tenant",
    summary="Onboard a tenant (operator)",
    description="Creates the tenant and its first admin API key, whose secret is shown once.",
    responses=http.documented(201, "Onboarded", TenantCreated, headers=["Location"], idempotent=True),
    tags=["operator"],
)
def create_tenant(body: Annotated[TenantInput, Body()], caller: http.CurrentCaller, key: http.RequestIdempotencyKey):
    caller.require("tenants:write")
    result = service.create_tenant(body.name, body.tier, body.default_region, key)
    return _created(result, f"/v1/tenants/{result.body['tenant']['id']}")


@router.get(
    "/tenants",
    operation_id="list_tenants",
    summary="List tenants (operator)",
    responses=http.documented(200, "A page of tenants", TenantPage, 400, 422),
    tags=["operator"],
)
def list_tenants(
    caller: http.CurrentCaller,
    limit: Annotated[int, Query(ge=1, le=http.MAX_PAGE)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
):
    caller.require("tenants:read")
    data, next_cursor = service.list_tenants(limit, cursor)
    return http.json_response(200, {"data": data, "next_cursor": next_cursor})


@router.get(
    "/tenants/<tenant_id>",
    operation_id="get_tenant",
    summary="Get a tenant (operator)",
    responses=http.documented(200, "The tenant", Tenant, 404, 422),
    tags=["operator"],
)
def get_tenant(tenant_id: Annotated[str, Path(max_length=64)], caller: http.CurrentCaller):
    caller.require("tenants:read")
    return http.json_response(200, service.get_tenant(tenant_id))


def keys_service(request: Request, caller: http.CurrentCaller) -> service.ApiKeys:
    tenant_id = http.tenant_for("keys")(request)
    return service.ApiKeys(tenant_id, caller.key_id)


Keys = Annotated[service.ApiKeys, Depends(keys_service)]


@router.post(
    "/api-keys",
    operation_id="create_api_key",
    summary="Create an API key (shown once)",
    responses=http.documented(201, "Created", ApiKeyCreated, headers=["Location"], idempotent=True),
    tags=["api-keys"],
)
def create_api_key(
    body: Annotated[ApiKeyInput, Body()], keys: Keys, caller: http.CurrentCaller, key: http.RequestIdempotencyKey
):
    if not effective_actions(body.role, body.scopes) <= effective_actions(caller.role, caller.scopes):
        # A narrowed key must not mint a broader one (e.g. scopes ["keys:write"] -> a full admin key).
        raise Forbidden("A key can only create keys that may do no more than itself.")
    result = keys.create(body.name, body.role, body.scopes, key)
    return _created(result, f"/v1/api-keys/{result.body['api_key']['id']}")


@router.get(
    "/api-keys",
    operation_id="list_api_keys",
    summary="List API keys (never the secret)",
    responses=http.documented(200, "A page of API keys", ApiKeyPage, 400, 422),
    tags=["api-keys"],
)
def list_api_keys(
    keys: Keys,
    limit: Annotated[int, Query(ge=1, le=http.MAX_PAGE)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
):
    data, next_cursor = keys.list(limit, cursor)
    return http.json_response(200, {"data": data, "next_cursor": next_cursor})


@router.delete(
    "/api-keys/<key_id>",
    operation_id="revoke_api_key",
    summary="Revoke an API key",
    description="Revoking a revoked key changes nothing (204); a key cannot revoke itself (409).",
    responses=http.documented(204, "Revoked", None, 404, 409, idempotent=True),
    tags=["api-keys"],
)
def revoke_api_key(key_id: Annotated[str, Path(max_length=64)], keys: Keys, key: http.RequestIdempotencyKey):
    return http.outcome_response(keys.revoke(key_id, key))
