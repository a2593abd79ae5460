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
    # An SQS queue (catalogue QUEUES name) this function consumes, with partial batch failures.
    consumes: str | None = None
    batch_size: int = 10
    # Queues this function sends to (sqs:SendMessage; the URL arrives in env queue_url_env(name)).
    sends_to: tuple[str, ...] = ()

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


@dataclass(frozen=True)
class QueueSpec:
    """An SQS queue with its dead-letter queue (after max_receive_count failed receives)."""

    name: str
    visibility_timeout_s: int
    max_receive_count: int = 5
    retention_days: int = 14


@dataclass(frozen=True)
class RuleSpec:
    """An EventBridge rule on the CRM bus delivering matching events into a queue."""

    name: str
    pattern: dict[str, object]
    queue: str
    description: str = ""


@dataclass(frozen=True)
class EventBusSpec:
    name: str = "crm"
    source: str = "crm"  # every CRM change event carries this source; detail-type is the event type
    archive_retention_days: int = 365


@dataclass(frozen=True)
class OutboxPipeSpec:
    """DynamoDB stream -> EventBridge Pipe (filter, enrichment that unmarshals the outbox item) -> bus."""

    filter_pattern: dict[str, object]
    enrichment_function: str
    batch_size: int = 10


TABLE = TableSpec()
# Every tenant's keys start with this + its id; tenant-scoped credentials carry the id in this session tag.
TENANT_KEY_PREFIX = "T#"
TENANT_SESSION_TAG = "tenant_id"

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
    GatewayResponse("UNAUTHORIZED", 401, "Unauthorized", "A valid API key is required: Authorization: Bearer <key>."),
    GatewayResponse("ACCESS_DENIED", 401, "Unauthorized", "The API key is not valid or has been revoked."),
    GatewayResponse("INVALID_API_KEY", 403, "Forbidden", "This API key has no usage plan; use a tenant API key."),
    GatewayResponse("THROTTLED", 429, "Too Many Requests", "The request rate for this tenant's tier was exceeded."),
    GatewayResponse("QUOTA_EXCEEDED", 429, "Too Many Requests", "This tenant's daily request quota is used up."),
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
    FunctionSpec(
        name="webhooks",
        handler="webhooks.handler.handler",
        description="Webhook subscriptions, deliveries, redelivery and replay",
        resources=(Resource("/v1/webhooks"), Resource("/v1/webhooks/{proxy+}")),
        tenant_scoped=True,
        sends_to=("webhook-deliveries",),
        timeout_s=30,
    ),
)

EVENT_BUS = EventBusSpec()

# Only inserted outbox items become events; record items, guards and key items never leave the table.
OUTBOX_PIPE = OutboxPipeSpec(
    filter_pattern={"eventName": ["INSERT"], "dynamodb": {"NewImage": {"kind": {"S": ["event"]}}}},
    enrichment_function="events",
)

QUEUES: tuple[QueueSpec, ...] = (
    # Change events for webhook fan-out (one message per event).
    QueueSpec("webhook-events", visibility_timeout_s=120),
    # One message per delivery attempt, delayed up to 15 min per hop; the sender re-enqueues longer waits.
    QueueSpec("webhook-deliveries", visibility_timeout_s=600, max_receive_count=10),
)

RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "webhook-fanout",
        pattern={"source": [EVENT_BUS.source]},
        queue="webhook-events",
        description="Every CRM change event, for matching against webhook subscriptions",
    ),
)


EVENT_FUNCTIONS: tuple[FunctionSpec, ...] = (
    FunctionSpec(
        name="events",
        handler="events.handler.handler",
        description="Outbox pipe enrichment: stream records of outbox items -> CRM event envelopes",
        table_access="none",
        memory_mb=256,
    ),
    FunctionSpec(
        name="webhook_fanout",
        handler="webhooks.fanout.handler",
        description="Matches change events to webhook subscriptions and schedules deliveries",
        consumes="webhook-events",
        sends_to=("webhook-deliveries",),
        timeout_s=60,
    ),
    FunctionSpec(
        name="webhook_sender",
        handler="webhooks.sender.handler",
        description="Signs and POSTs webhook deliveries; retries on the schedule; logs every attempt",
        consumes="webhook-deliveries",
        sends_to=("webhook-deliveries",),
        batch_size=5,
        timeout_s=120,
    ),
)

ALL_FUNCTIONS: tuple[FunctionSpec, ...] = (AUTHORIZER, *API_FUNCTIONS, *EVENT_FUNCTIONS)

# Environment variable names shared by the stack, the local runtime and the code that reads them.
ENV_TABLE_NAME = "CRM_TABLE_NAME"
ENV_OPERATOR_KEY = "CRM_OPERATOR_KEY"  # local only: the operator key in clear
ENV_OPERATOR_SECRET_ARN = "CRM_OPERATOR_SECRET_ARN"  # cloud: Secrets Manager secret holding the key
ENV_USAGE_PLANS = "CRM_USAGE_PLANS"  # JSON {"tier": "usage plan id"}
ENV_TENANT_ROLE_ARN = "CRM_TENANT_ROLE_ARN"  # cloud: role assumed per tenant (dynamodb:LeadingKeys)
ENV_ALLOW_PRIVATE_WEBHOOKS = "CRM_ALLOW_PRIVATE_WEBHOOK_TARGETS"


def queue_url_env(queue_name: str) -> str:
    """The environment variable that carries a queue's URL to the functions that send to it."""
    return f"CRM_QUEUE_{queue_name.upper().replace('-', '_')}_URL"


ENV_EVENT_BUS_NAME = "CRM_EVENT_BUS_NAME"


def stage_path(path: str) -> str:
    """A catalogue path as API Gateway resources and Lambda events see it: the `/v1` prefix is the stage."""
    stripped = path.removeprefix(API_PREFIX)
    return stripped or "/"


def function_by_name(name: str) -> FunctionSpec:
    for spec in ALL_FUNCTIONS:
        if spec.name == name:
            return spec
    raise KeyError(name)
