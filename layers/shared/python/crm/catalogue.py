"""The one catalogue of the CRM's deployable parts, as plain data, and every rule derived from it.

The CDK stack (infra/) and the local runtime (local/) both read this module and only read it, so the
cloud and the local stack cannot drift: same functions, routes, table, queues (and their visibility
timeouts and dead-letter queues), rules, event bus, gateway responses and usage tiers. Where both sides
need a rule (a stage-relative path, a queue's visibility timeout, a gateway problem body, a DLQ name,
the event detail-type), the rule is a function or property here, not code repeated on each side.

Each bounded context contributes its own `Fragment` (its functions, and the queues and rules its event
consumers need); the catalogue assembles ALL_FUNCTIONS, QUEUES and RULES from them. Handlers are named
by dotted path only: the platform imports no context code. It imports nothing heavy (no boto3, no
aws_cdk) so Lambda cold starts never pay for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "ANY"]
TableAccess = Literal["none", "read", "read_write"]

API_STAGE = "v1"
API_PREFIX = "/v1"


def _under_prefix(path: str) -> bool:
    return path == API_PREFIX or path.startswith(f"{API_PREFIX}/")


def stage_path(path: str) -> str:
    """A `/v1` path as API Gateway resources and Lambda events see it: the stage named `v1` supplies the
    prefix (`/v1/contacts` -> `/contacts`, `/v1` -> `/`). A path without the prefix is already one."""
    if _under_prefix(path):
        path = path.removeprefix(API_PREFIX)
    return path or "/"


@dataclass(frozen=True)
class Route:
    """An API route served by a function: a path under `/v1` (`{proxy+}` covers everything below)."""

    path: str
    methods: tuple[HttpMethod, ...] = ("ANY",)
    authorized: bool = True
    # Metered routes count against the tenant's usage plan (API key from the authorizer's
    # usageIdentifierKey). Operator-only routes are authorized but not metered.
    metered: bool = True

    def __post_init__(self) -> None:
        # Catalogue routes carry the `/v1` prefix (the local gateway serves them as is); in the cloud the
        # stage supplies it (stage_path), so a route outside it could not be deployed.
        if not _under_prefix(self.path):
            raise ValueError(f"route {self.path!r} is outside {API_PREFIX}")


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    handler: str  # dotted path inside functions/, e.g. "contacts.handler.handler"
    description: str
    routes: tuple[Route, ...] = ()
    table_access: TableAccess = "read_write"
    # Tenant-scoped functions have no table access of their own: per request they assume the tenant
    # data role with a `tenant_id` session tag, whose policy allows only keys leading with that tenant.
    tenant_scoped: bool = False
    memory_mb: int = 512
    timeout_s: int = 15
    # Extra IAM actions beyond table access, as (actions, resource-kind) pairs the stack resolves.
    extra_permissions: tuple[tuple[tuple[str, ...], str], ...] = ()
    # An SQS queue (catalogue QUEUES name) this function consumes, with partial batch failures.
    consumes: str | None = None
    batch_size: int = 10
    # Queues this function sends to (sqs:SendMessage; the URL arrives in env queue_url_env(name)).
    sends_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class Index:
    name: str
    partition_key: str
    sort_key: str


@dataclass(frozen=True)
class TableSpec:
    """The single table. Every partition key begins with the tenant (`T#<tenant_id>`), except the
    operator's tenant registry (`SYSTEM#...`), which only the tenants function may touch, and the forms'
    index (`SYSTEM#FORM#<form id>` -> tenant), which only the forms function touches."""

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


@dataclass(frozen=True)
class QueueSpec:
    """An SQS queue with its dead-letter queue (after max_receive_count failed receives)."""

    name: str
    # The least a received message stays invisible; visibility_timeout_s() raises it for slow consumers.
    visibility_timeout_s: int
    max_receive_count: int = 5
    retention_days: int = 14


# Every CRM queue is shared by all tenants, so each message carries its tenant as the SQS message group:
# standard queues then act as fair queues, and a tenant flooding one (say, 100k imported contacts each
# triggering workflows) no longer delays the other tenants' messages behind its backlog. Rule targets take
# the group from the event by this JSON path; the CRM's own sends take it from the message (crm.queues).
FAIR_QUEUE_GROUP_PATH = "$.detail.tenant_id"


@dataclass(frozen=True)
class RuleSpec:
    """An EventBridge rule on the CRM bus delivering matching events into a queue, grouped by tenant
    (FAIR_QUEUE_GROUP_PATH)."""

    name: str
    pattern: dict[str, object]
    queue: str
    description: str = ""


@dataclass(frozen=True)
class EventBusSpec:
    name: str = "crm"
    source: str = "crm"  # every CRM change event carries this source
    # The field of the CRM event envelope that is the event's detail-type (e.g. `contact.created`).
    detail_type_field: str = "type"
    archive_retention_days: int = 365

    @property
    def detail_type_path(self) -> str:
        """The envelope's detail-type as the JSON path the pipe's target parameters take."""
        return f"$.{self.detail_type_field}"

    @property
    def archive_pattern(self) -> dict[str, object]:
        """What the bus's replay archive keeps: every CRM change event."""
        return {"source": [self.source]}


@dataclass(frozen=True)
class OutboxPipeSpec:
    """DynamoDB stream -> EventBridge Pipe (filter, enrichment that unmarshals the outbox item) -> bus."""

    filter_pattern: dict[str, object]
    enrichment_function: str
    batch_size: int = 10
    name: str = "outbox-pipe"  # names its dead-letter queue (dead_letter_queue_name) and its alarm


@dataclass(frozen=True)
class Fragment:
    """What one bounded context (or platform part) deploys: its functions, and the queues and rules
    that feed its event consumers. The catalogue is the sum of the fragments."""

    context: str
    functions: tuple[FunctionSpec, ...] = ()
    queues: tuple[QueueSpec, ...] = ()
    rules: tuple[RuleSpec, ...] = ()


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

PROBLEM_JSON = "application/problem+json"

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


def gateway_response(response_type: str) -> GatewayResponse:
    for response in GATEWAY_RESPONSES:
        if response.response_type == response_type:
            return response
    raise KeyError(response_type)


def gateway_problem(response: GatewayResponse) -> dict[str, object]:
    """The RFC 9457 body (content type PROBLEM_JSON) of a response API Gateway gives before any function
    runs: the stack's gateway response template and the local gateway's answer."""
    return {"type": "about:blank", "title": response.title, "status": response.status, "detail": response.detail}


EVENT_BUS = EventBusSpec()


# Dead-letter queues keep messages the SQS maximum: time to notice, fix and redrive.
DEAD_LETTER_RETENTION_DAYS = 14


def dead_letter_queue_name(name: str) -> str:
    """The dead-letter queue of a queue (or of the outbox pipe)."""
    return f"{name}-dlq"


# --- the fragments: one per bounded context ------------------------------------------------------

AUTHORIZER = FunctionSpec(
    name="authorizer",
    handler="authorizer.handler.handler",
    description="API key -> tenant, role, scopes, tier and usage-plan key",
    table_access="read",
    memory_mb=256,
    timeout_s=5,
    extra_permissions=((("secretsmanager:GetSecretValue",), "operator_secret"),),
)
AUTHORIZATION = Fragment("authorizer", functions=(AUTHORIZER,))

META = Fragment(
    "meta",
    functions=(
        FunctionSpec(
            name="meta",
            handler="meta.handler.handler",
            description="Health, OpenAPI document (typed for the caller's tenant given its key) and Swagger UI",
            routes=(
                Route("/v1/health", ("GET",), authorized=False),
                # Public, yet a caller sending its key gets its tenant's document: the function checks the key
                # as the authorizer does (the authorizer's own code), then reads that tenant's schema.
                Route("/v1/openapi.json", ("GET",), authorized=False),
                Route("/v1/docs", ("GET",), authorized=False),
            ),
            table_access="read",  # as the authorizer: a key's item, then the key's tenant's schema
            memory_mb=256,
            extra_permissions=((("secretsmanager:GetSecretValue",), "operator_secret"),),
        ),
    ),
)

TENANTS = Fragment(
    "tenants",
    functions=(
        FunctionSpec(
            name="tenants",
            handler="tenants.handler.handler",
            description="Operator onboarding of tenants and tenant API keys",
            routes=(
                Route("/v1/tenants", metered=False),
                Route("/v1/tenants/{proxy+}", metered=False),
                Route("/v1/api-keys"),
                Route("/v1/api-keys/{proxy+}"),
            ),
            extra_permissions=((("apigateway:POST", "apigateway:PUT"), "usage_plans"),),
        ),
    ),
)

CONTACT_ACTIVITY_QUEUE = "contact-activity"

SCHEMA_USAGE_QUEUE = "schema-usage"
# Record change events, for the fill rate and last write of each property (functions/schemas/usage.py).
RECORD_CHANGE_SUFFIXES = (".created", ".updated", ".deleted", ".restored")

RECORDS = Fragment(
    "records",
    functions=(
        FunctionSpec(
            name="contacts",
            handler="contacts.handler.handler",
            description="Records: contacts, companies, deals, custom object types (/v1/objects); the tenant schemas",
            routes=(
                Route("/v1/objects/{proxy+}"),
                Route("/v1/contacts"),
                Route("/v1/contacts/{proxy+}"),
                Route("/v1/companies"),
                Route("/v1/companies/{proxy+}"),
                Route("/v1/deals"),
                Route("/v1/deals/{proxy+}"),
                Route("/v1/schemas"),
                Route("/v1/schemas/{proxy+}"),
                Route("/v1/pipelines"),
                Route("/v1/pipelines/{proxy+}"),
                # Behavioural events and lead scoring (functions/activity) live beside contacts: API Gateway
                # sends /v1/contacts/{proxy+} (a contact's events and score) here.
                Route("/v1/events"),
                Route("/v1/scoring/{proxy+}"),
            ),
            tenant_scoped=True,
            sends_to=(CONTACT_ACTIVITY_QUEUE,),  # a score read that finds the stored one stale asks for a recompute
        ),
        FunctionSpec(
            name="schema_usage",
            handler="schemas.usage.handler",
            description="Keeps each property's fill rate and last write current from record change events",
            consumes=SCHEMA_USAGE_QUEUE,
            timeout_s=60,
        ),
    ),
    queues=(QueueSpec(SCHEMA_USAGE_QUEUE, visibility_timeout_s=360),),
    rules=(
        RuleSpec(
            SCHEMA_USAGE_QUEUE,
            pattern={"source": [EVENT_BUS.source]},
            queue=SCHEMA_USAGE_QUEUE,
            description="Every CRM change event; the consumer counts record changes, for property usage",
        ),
    ),
)

WEBHOOKS = Fragment(
    "webhooks",
    functions=(
        FunctionSpec(
            name="webhooks",
            handler="webhooks.handler.handler",
            description="Webhook subscriptions, deliveries, redelivery and replay",
            routes=(Route("/v1/webhooks"), Route("/v1/webhooks/{proxy+}")),
            tenant_scoped=True,
            sends_to=("webhook-deliveries",),
            timeout_s=25,
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
    ),
    queues=(
        # Change events for webhook fan-out (one message per event).
        QueueSpec("webhook-events", visibility_timeout_s=120),
        # One message per delivery attempt, delayed up to 15 min per hop; the sender re-enqueues longer waits.
        QueueSpec("webhook-deliveries", visibility_timeout_s=600, max_receive_count=10),
    ),
    rules=(
        RuleSpec(
            "webhook-fanout",
            pattern={"source": [EVENT_BUS.source]},
            queue="webhook-events",
            description="Every CRM change event, for matching against webhook subscriptions",
        ),
    ),
)

# Only inserted outbox items become events; record items, guards and key items never leave the table.
OUTBOX_PIPE = OutboxPipeSpec(
    filter_pattern={"eventName": ["INSERT"], "dynamodb": {"NewImage": {"kind": {"S": ["event"]}}}},
    enrichment_function="outbox_enrichment",
)
OUTBOX = Fragment(
    "outbox",
    functions=(
        FunctionSpec(
            name="outbox_enrichment",
            handler="outbox_enrichment.handler.handler",
            description="Outbox pipe enrichment: stream records of outbox items -> CRM event envelopes",
            table_access="none",
            memory_mb=256,
        ),
    ),
)

WORKFLOW_RUNNER = "workflow_runner"
WORKFLOWS = Fragment(
    "workflows",
    functions=(
        FunctionSpec(
            name="workflows",
            handler="workflows.handler.handler",
            description="Workflow definitions and versions; runs: list, inspect, start, retry, cancel",
            routes=(Route("/v1/workflows"), Route("/v1/workflows/{proxy+}"), Route("/v1/workflow-runs/{proxy+}")),
            tenant_scoped=True,
            extra_permissions=((("states:StartExecution",), "workflow_machine"),),
        ),
        FunctionSpec(
            name="workflow_matcher",
            handler="workflows.matcher.handler",
            description="Matches change events to workflow triggers and starts runs (one execution per event)",
            consumes="workflow-triggers",
            timeout_s=60,
            extra_permissions=((("states:StartExecution",), "workflow_machine"),),
        ),
        FunctionSpec(
            name=WORKFLOW_RUNNER,
            handler="workflows.runner.handler",
            description="Runs a workflow run's steps up to its next wait (the state machine's task)",
            timeout_s=60,
            # A run that outgrows one execution's history continues in a new one.
            extra_permissions=((("states:StartExecution",), "workflow_machine"),),
        ),
    ),
    queues=(QueueSpec("workflow-triggers", visibility_timeout_s=360),),
    rules=(
        RuleSpec(
            "workflow-triggers",
            pattern={"source": [EVENT_BUS.source]},
            queue="workflow-triggers",
            description="Every CRM change event, for matching against workflow triggers",
        ),
    ),
)

# What can change a contact's computed properties or score: the contact, its behavioural events, the rules.
CONTACT_ACTIVITY_EVENTS = (
    "contact.created",
    "contact.updated",
    "contact.restored",
    "activity.recorded",
    "scoring.rules_changed",
)
ACTIVITY = Fragment(
    "activity",
    functions=(
        FunctionSpec(
            name="contact_activity",
            handler="activity.consumer.handler",
            description="Keeps contacts' computed properties and lead scores current; rescores a tenant in chunks",
            consumes=CONTACT_ACTIVITY_QUEUE,
            # A rules change pages through the tenant's contacts, one page and its chunks per message.
            sends_to=(CONTACT_ACTIVITY_QUEUE,),
            timeout_s=60,
        ),
    ),
    queues=(QueueSpec(CONTACT_ACTIVITY_QUEUE, visibility_timeout_s=360),),
    rules=(
        RuleSpec(
            CONTACT_ACTIVITY_QUEUE,
            pattern={"source": [EVENT_BUS.source], "detail-type": list(CONTACT_ACTIVITY_EVENTS)},
            queue=CONTACT_ACTIVITY_QUEUE,
            description="Contact changes, behavioural events and scoring rule changes, for computed properties",
        ),
    ),
)

FORMS = Fragment(
    "forms",
    functions=(
        FunctionSpec(
            name="forms",
            handler="forms.handler.handler",
            description="Web forms: definitions (tenant API) and public submissions that create or update contacts",
            # Explicit resources: API Gateway allows no `{proxy+}` beside a sibling path variable.
            routes=(
                Route("/v1/forms"),
                Route("/v1/forms/{form_id}"),
                # Public: websites post here without a key. The form id (unguessable) names the tenant; the
                # function limits submissions per form and per client, and the stage's throttling applies.
                Route("/v1/forms/{form_id}/submissions", ("POST",), authorized=False, metered=False),
            ),
            # Not tenant-scoped: a form's writes span its tenant's partition and the system index item
            # (form id -> tenant) in one transaction, and a submission learns its tenant from that index.
            # In code every tenant key is still built and confined by TenantTable.
        ),
    ),
)

FRAGMENTS: tuple[Fragment, ...] = (
    AUTHORIZATION,
    META,
    TENANTS,
    RECORDS,
    WEBHOOKS,
    WORKFLOWS,
    ACTIVITY,
    FORMS,
    OUTBOX,
)

# --- the catalogue, assembled from the fragments --------------------------------------------------

ALL_FUNCTIONS: tuple[FunctionSpec, ...] = tuple(spec for fragment in FRAGMENTS for spec in fragment.functions)
QUEUES: tuple[QueueSpec, ...] = tuple(queue for fragment in FRAGMENTS for queue in fragment.queues)
RULES: tuple[RuleSpec, ...] = tuple(rule for fragment in FRAGMENTS for rule in fragment.rules)
# Functions behind API routes, and those driven by events (queues, the outbox pipe).
API_FUNCTIONS: tuple[FunctionSpec, ...] = tuple(spec for spec in ALL_FUNCTIONS if spec.routes)
EVENT_FUNCTIONS: tuple[FunctionSpec, ...] = tuple(
    spec for spec in ALL_FUNCTIONS if not spec.routes and spec is not AUTHORIZER
)


def _check_references() -> None:
    """Names are unique, and every queue, function and route a spec refers to exists."""
    for kind, names in (
        ("function", [spec.name for spec in ALL_FUNCTIONS]),
        ("queue", [queue.name for queue in QUEUES]),
        ("rule", [rule.name for rule in RULES]),
        ("route", [route.path for spec in ALL_FUNCTIONS for route in spec.routes]),
    ):
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"{kind} names appear twice in the catalogue: {', '.join(duplicates)}")
    queue_names = {queue.name for queue in QUEUES}
    references = [(spec.name, name) for spec in ALL_FUNCTIONS for name in (spec.consumes, *spec.sends_to) if name]
    references += [(f"rule {rule.name}", rule.queue) for rule in RULES]
    for user, queue in references:
        if queue not in queue_names:
            raise ValueError(f"{user}: no queue {queue!r} in the catalogue's QUEUES")
    if OUTBOX_PIPE.enrichment_function not in {spec.name for spec in ALL_FUNCTIONS}:
        raise ValueError(f"outbox pipe: no function {OUTBOX_PIPE.enrichment_function!r}")


_check_references()

# --- rules both stacks derive ---------------------------------------------------------------------

# Lambda's advice for SQS event sources: a visibility timeout of at least six times the function timeout
# (plus the batching window), so a message is not redelivered while a retried invocation still holds it.
VISIBILITY_TIMEOUT_PER_CONSUMER_TIMEOUT = 6
MAX_VISIBILITY_TIMEOUT_S = 12 * 60 * 60  # an SQS limit
# Consumers are invoked as soon as messages arrive: webhook deliveries are latency-sensitive, and a batch
# is still up to `batch_size` messages whenever that many are waiting.
QUEUE_BATCHING_WINDOW_S = 0


def consumers_of(queue_name: str) -> tuple[FunctionSpec, ...]:
    return tuple(spec for spec in ALL_FUNCTIONS if spec.consumes == queue_name)


def visibility_timeout_s(queue: QueueSpec, consumers: Iterable[FunctionSpec] | None = None) -> int:
    """The queue's visibility timeout: the spec's, raised to six times each consumer's timeout (plus the
    batching window). Consumers default to the catalogue's consumers of the queue."""
    if consumers is None:
        consumers = consumers_of(queue.name)
    needed = [VISIBILITY_TIMEOUT_PER_CONSUMER_TIMEOUT * spec.timeout_s + QUEUE_BATCHING_WINDOW_S for spec in consumers]
    timeout = max([queue.visibility_timeout_s, *needed])
    if timeout > MAX_VISIBILITY_TIMEOUT_S:
        raise ValueError(f"queue {queue.name!r}: visibility timeout {timeout} s exceeds the SQS limit")
    return timeout


# --- the workflow state machine ---------------------------------------------------------------------

# Errors the runner raises for a step that may succeed when tried again (throttling, timeouts): the state
# machine retries them with backoff, about a minute in all; then the run fails with the last error.
TRANSIENT_STEP_ERROR = "TransientStepError"
STEP_RETRY_INTERVAL_S = 2
STEP_RETRY_BACKOFF = 2.0
STEP_RETRY_ATTEMPTS = 5  # 2 + 4 + 8 + 16 + 32 s: a minute of retrying


@dataclass(frozen=True)
class StateMachineSpec:
    name: str
    task_function: str  # the catalogue function each task invokes


WORKFLOW_MACHINE = StateMachineSpec(name="workflow-runs", task_function=WORKFLOW_RUNNER)


def workflow_machine_definition(task_function_arn: str) -> dict[str, object]:
    """The ONE state machine that interprets every workflow run (Standard type): the task runs a run's
    steps up to its next wait in one invocation, so a run costs a few state transitions per wait, not per
    step. Run state lives in the table; the execution carries only ids and what the task says next
    (`wait` with `wait_seconds`, `fail` or `end`). The stack and the local stack both deploy this."""
    lambda_retryable = [
        "Lambda.ServiceException",
        "Lambda.AWSLambdaException",
        "Lambda.SdkClientException",
        "Lambda.TooManyRequestsException",
    ]

    def task(payload: dict[str, str], next_state: str) -> dict[str, object]:
        return {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": task_function_arn, "Payload": payload},
            "OutputPath": "$.Payload",
            "Retry": [
                {
                    "ErrorEquals": [TRANSIENT_STEP_ERROR, *lambda_retryable],
                    "IntervalSeconds": STEP_RETRY_INTERVAL_S,
                    "BackoffRate": STEP_RETRY_BACKOFF,
                    "MaxAttempts": STEP_RETRY_ATTEMPTS,
                }
            ],
            "Next": next_state,
        }

    advance = task({"action": "advance", "tenant_id.$": "$.tenant_id", "run_id.$": "$.run_id"}, "Decide")
    advance["Catch"] = [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "RecordFailure"}]
    record_failure = task(
        {"action": "fail", "tenant_id.$": "$.tenant_id", "run_id.$": "$.run_id", "error.$": "$.error"}, "Failed"
    )
    return {
        "Comment": "Interprets every workflow run: advance to the next wait, wait, advance again.",
        "StartAt": "Advance",
        "States": {
            "Advance": advance,
            "Decide": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.next", "StringEquals": "wait", "Next": "Wait"},
                    {"Variable": "$.next", "StringEquals": "fail", "Next": "Failed"},
                ],
                "Default": "Done",
            },
            "Wait": {"Type": "Wait", "SecondsPath": "$.wait_seconds", "Next": "Advance"},
            "RecordFailure": record_failure,
            "Failed": {"Type": "Fail", "Error": "WorkflowRunFailed", "Cause": "A step failed; see the run."},
            "Done": {"Type": "Succeed"},
        },
    }


# Environment variable names shared by the stack, the local runtime and the code that reads them.
ENV_TABLE_NAME = "CRM_TABLE_NAME"
ENV_OPERATOR_KEY = "CRM_OPERATOR_KEY"  # local only: the operator key in clear
ENV_OPERATOR_SECRET_ARN = "CRM_OPERATOR_SECRET_ARN"  # cloud: Secrets Manager secret holding the key
ENV_USAGE_PLANS = "CRM_USAGE_PLANS"  # JSON {"tier": "usage plan id"}
ENV_TENANT_ROLE_ARN = "CRM_TENANT_ROLE_ARN"  # cloud: role assumed per tenant (dynamodb:LeadingKeys)
ENV_ALLOW_PRIVATE_WEBHOOKS = "CRM_ALLOW_PRIVATE_WEBHOOK_TARGETS"  # local only: the sender may call 127.0.0.1
ENV_WORKFLOW_MACHINE_ARN = "CRM_WORKFLOW_MACHINE_ARN"  # the state machine that runs workflow runs


def queue_url_env(queue_name: str) -> str:
    """The environment variable that carries a queue's URL to the functions that send to it."""
    return f"CRM_QUEUE_{queue_name.upper().replace('-', '_')}_URL"


def function_by_name(name: str) -> FunctionSpec:
    for spec in ALL_FUNCTIONS:
        if spec.name == name:
            return spec
    raise KeyError(name)
