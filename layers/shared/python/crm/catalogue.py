"""The one catalogue of the CRM's deployable parts, as plain data.

The CDK stack (infra/) and the local runtime (local/) both read this module, so the cloud and the
local stack cannot drift: same functions, routes, table, gateway responses and usage tiers. It imports
nothing heavy (no boto3, no aws_cdk) so Lambda cold starts never pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "ANY"]
TableAccess = Literal["none", "read", "read_write"]


@dataclass(frozen=True)
class Resource:
    """An API Gateway resource path served by a function (`{proxy+}` covers everything below)."""

    path: str
    methods: tuple[HttpMethod, ...] = ("ANY",)
    authorized: bool = True
    # Metered resources count against the tenant's usage plan (API key from the authorizer's
    # usageIdentifierKey). Operator-only resources are authorized but not metered.
    metered: bool = True


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    handler: str  # dotted path inside functions/, e.g. "contacts.handler.handler"
    description: str
    resources: tuple[Resource, ...] = ()
    table_access: TableAccess = "read_write"
    # Tenant-scoped functions have no table access of their own: per request they assume the tenant
    # data role with a `tenant_id` session tag, whose policy allows only keys leading with that tenant.
    tenant_scoped: bool = False
    memory_mb: int = 512
    timeout_s: int = 15
    # Extra IAM actions beyond table access, as (actions, resource-kind) pairs the stack resolves.
    extra_permissions: tuple[tuple[tuple[str, ...], str], ...] = ()
    environment: dict[str, str] = field(default_factory=dict)

    @property
    def package(self) -> str:
        return self.handler.split(".", 1)[0]


@dataclass(frozen=True)
class Index:
    name: str
    partition_key: str
    sort_key: str


@dataclass(frozen=True)
class TableSpec:
    """The single table. Every partition key begins with the tenant (`T#<tenant_id>`), except the
    operator's tenant registry (`SYSTEM#...`), which only the tenants function may touch."""

    logical_name: str = "Records"
    partition_key: str = "pk"
    sort_key: str = "sk"
    ttl_attribute: str = "expires_at"
    stream_view: str = "NEW_AND_OLD_IMAGES"
    indexes: tuple[Index, ...] = ()


@dataclass(frozen=True)
class Tier:
    name: str
    rate_limit: float  # steady-state requests per second
    burst_limit: int
    quota_per_day: int


@dataclass(frozen=True)
class GatewayResponse:
    """A response API Gateway itself produces (before any function runs), shaped as problem+json."""

    response_type: str  # the API Gateway ResponseType name
    status: int
    title: str
    detail: str


API_STAGE = "v1"
API_PREFIX = "/v1"

TABLE = TableSpec()

TIERS: tuple[Tier, ...] = (
    Tier("basic", rate_limit=10, burst_limit=20, quota_per_day=10_000),
    Tier("standard", rate_limit=50, burst_limit=100, quota_per_day=250_000),
    Tier("premium", rate_limit=200, burst_limit=400, quota_per_day=5_000_000),
)
TIER_NAMES = tuple(t.name for t in TIERS)

# The authorizer result is cached by API Gateway per Authorization header for this long, so a revoked
# key stops working within this many seconds in the cloud (the local stack does not cache).
AUTHORIZER_CACHE_TTL_S = 60

GATEWAY_RESPONSES: tuple[GatewayResponse, ...] = (
    GatewayResponse(
        "UNAUTHORIZED", 401, "Unauthorized", "A valid API key is required: Authorization: Bearer <key>."
    ),
    GatewayResponse("ACCESS_DENIED", 401, "Unauthorized", "The API key is not valid or has been revoked."),
    GatewayResponse(
        "INVALID_API_KEY", 403, "Forbidden", "This API key has no usage plan; use a tenant API key."
    ),
    GatewayResponse(
        "THROTTLED", 429, "Too Many Requests", "The request rate for this tenant's tier was exceeded."
    ),
    GatewayResponse(
        "QUOTA_EXCEEDED", 429, "Too Many Requests", "This tenant's daily request quota is used up."
    ),
    GatewayResponse("REQUEST_TOO_LARGE", 413, "Payload Too Large", "The request body is too large."),
    GatewayResponse("MISSING_AUTHENTICATION_TOKEN", 404, "Not Found", "No such route."),
    GatewayResponse("DEFAULT_5XX", 502, "Bad Gateway", "The service could not complete the request."),
)

AUTHORIZER = FunctionSpec(
    name="authorizer",
    handler="authorizer.handler.handler",
    description="API key -> tenant, role, scopes, tier and usage-plan key",
    table_access="read",
    memory_mb=256,
    timeout_s=5,
    extra_permissions=((("secretsmanager:GetSecretValue",), "operator_secret"),),
)

API_FUNCTIONS: tuple[FunctionSpec, ...] = (
    FunctionSpec(
        name="meta",
        handler="meta.handler.handler",
        description="Health, OpenAPI document and Swagger UI",
        resources=(
            Resource("/v1/health", ("GET",), authorized=False),
            Resource("/v1/openapi.json", ("GET",), authorized=False),
            Resource("/v1/docs", ("GET",), authorized=False),
        ),
        table_access="none",
        memory_mb=256,
    ),
    FunctionSpec(
        name="tenants",
        handler="tenants.handler.handler",
        description="Operator onboarding of tenants and tenant API keys",
        resources=(
            Resource("/v1/tenants", metered=False),
            Resource("/v1/tenants/{proxy+}", metered=False),
            Resource("/v1/api-keys"),
            Resource("/v1/api-keys/{proxy+}"),
        ),
        extra_permissions=((("apigateway:POST", "apigateway:GET"), "usage_plans"),),
    ),
    FunctionSpec(
        name="contacts",
        handler="contacts.handler.handler",
        description="Records: contacts, companies and deals",
        resources=(
            Resource("/v1/contacts"),
            Resource("/v1/contacts/{proxy+}"),
            Resource("/v1/companies"),
            Resource("/v1/companies/{proxy+}"),
            Resource("/v1/deals"),
            Resource("/v1/deals/{proxy+}"),
        ),
        tenant_scoped=True,
    ),
)

ALL_FUNCTIONS: tuple[FunctionSpec, ...] = (AUTHORIZER, *API_FUNCTIONS)

# Environment variable names shared by the stack, the local runtime and the code that reads them.
ENV_TABLE_NAME = "CRM_TABLE_NAME"
ENV_OPERATOR_KEY = "CRM_OPERATOR_KEY"  # local only: the operator key in clear
ENV_OPERATOR_SECRET_ARN = "CRM_OPERATOR_SECRET_ARN"  # cloud: Secrets Manager secret holding the key
ENV_USAGE_PLANS = "CRM_USAGE_PLANS"  # JSON {"tier": "usage plan id"}
ENV_TENANT_ROLE_ARN = "CRM_TENANT_ROLE_ARN"  # cloud: role assumed per tenant (dynamodb:LeadingKeys)
ENV_ALLOW_PRIVATE_WEBHOOKS = "CRM_ALLOW_PRIVATE_WEBHOOK_TARGETS"


def stage_path(path: str) -> str:
    """A catalogue path as API Gateway resources and Lambda events see it: the `/v1` prefix is the stage."""
    stripped = path.removeprefix(API_PREFIX)
    return stripped or "/"


def function_by_name(name: str) -> FunctionSpec:
    for spec in ALL_FUNCTIONS:
        if spec.name == name:
            return spec
    raise KeyError(name)
