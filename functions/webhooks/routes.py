"""Routes: /v1/webhooks — subscriptions, secret rotation, test events, deliveries, redelivery, replay."""

from datetime import datetime
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, field_validator

from crm import http
from crm.idempotency import Outcome
from webhooks.service import Webhooks

router = Router()
TAG = ["webhooks"]
Id = Annotated[str, Path(max_length=64)]
Description = http.text(500)
# The URLs documented as accepted: http(s), a DNS name of 2-3 labels (each a letter or digit at both ends; 253
# characters at most), an optional port and a path of printable ASCII. The address guard (webhooks.addresses)
# takes more (IP literals, IDN names, queries), and in the cloud only https to public addresses.
_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_PORT = "(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
URL_PATTERN = f"^https?://(?:{_LABEL}\\.){{1,2}}[a-z](?:[a-z0-9-]{{0,59}}[a-z0-9])?(?::{_PORT})?(?:/[!-~]*)?$"
URL_DESCRIPTION = (
    "https:// endpoint that receives signed POSTs (plain http only on the local stack); a private or reserved "
    "address is refused in the cloud"
)


def _event_type_patterns() -> list[str]:
    """What a subscription may name: `*`, a family (`contact.*`) or an event type (documented as an
    enumeration, read when the document is built)."""
    from webhooks.matching import known_event_types

    types = known_event_types()
    return ["*", *sorted({f"{t.split('.', 1)[0]}.*" for t in types}), *types]


def _event_types_schema(schema: dict[str, Any]) -> None:
    from webhooks.matching import CUSTOM_OBJECT_EVENT_PATTERN

    schema["items"] = {
        "anyOf": [
            {"type": "string", "enum": _event_type_patterns()},
            {
                "type": "string",
                "pattern": CUSTOM_OBJECT_EVENT_PATTERN,
                "description": "An event of one of the tenant's custom object types, e.g. partner.created",
            },
        ]
    }


class WebhookInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(max_length=2048, description=URL_DESCRIPTION, json_schema_extra={"pattern": URL_PATTERN})
    event_types: list[str] = Field(
        min_length=1,
        max_length=50,
        description='e.g. ["contact.*", "deal.stage_changed"]',
        json_schema_extra=_event_types_schema,
    )
    description: Description | None = None


class WebhookPatch(BaseModel):
    """Only the fields sent change. `description: null` removes the description; the other fields
    cannot be removed, so null there is refused rather than read as "off" or "empty"."""

    model_config = ConfigDict(extra="forbid")
    url: str = Field(  # type: ignore[assignment]
        default=None, max_length=2048, description=URL_DESCRIPTION, json_schema_extra={"pattern": URL_PATTERN}
    )
    event_types: list[str] = Field(  # type: ignore[assignment]
        default=None, min_length=1, max_length=50, json_schema_extra=_event_types_schema
    )
    description: Description | None = None
    enabled: StrictBool = Field(default=None)  # type: ignore[assignment]

    @field_validator("url", "event_types", "enabled", mode="before")
    @classmethod
    def _not_removable(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("cannot be removed; leave it out to keep the current value")
        return value


class ReplayInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    since: AwareDatetime
    until: AwareDatetime | None = None


# --- what the routes answer (documentation: the service builds these bodies) -----------------------

DeliveryStatus = Literal["pending", "succeeded", "failed"]
NEXT_CURSOR = "Pass as ?cursor= for the next page; null on the last"
SHOWN_ONCE = "The signing secret, shown once: null when the response is replayed"
REPLAY_NOTE = "Set when the response is replayed, saying why secret is null"


class Webhook(BaseModel):
    id: str
    url: str
    event_types: list[str]
    description: str | None
    enabled: bool
    disabled_reason: str | None = Field(description="Why the endpoint is disabled (by the API or after failing)")
    failing_since: datetime | None = Field(description="When deliveries began failing; null while they succeed")
    version: int = Field(description="Also the ETag")
    created_at: datetime
    updated_at: datetime


class WebhookCreated(Webhook):
    secret: str | None = Field(description=SHOWN_ONCE)
    note: str | None = Field(default=None, description=REPLAY_NOTE)


class WebhookSecretRotated(WebhookCreated):
    previous_secret_expires_at: datetime = Field(description="Until then the previous secret also signs")


class WebhookPage(BaseModel):
    data: list[Webhook]
    next_cursor: str | None = Field(description=NEXT_CURSOR)


class DeliveryAttempt(BaseModel):
    attempted_at: datetime
    response_status: int | None = Field(default=None, description="The endpoint's HTTP status, if it answered")
    latency_ms: int | None = None
    error: str | None = Field(default=None, description="Why the attempt failed (or was not sent); null on success")


class Delivery(BaseModel):
    id: str = Field(description="The same as event_id: one delivery per event per endpoint")
    webhook_id: str
    event_id: str
    event_type: str
    status: DeliveryStatus
    attempts: list[DeliveryAttempt] = Field(description="Oldest first")
    next_attempt_at: datetime | None
    created_at: datetime
    updated_at: datetime


class DeliveryPage(BaseModel):
    data: list[Delivery]
    next_cursor: str | None = Field(description=NEXT_CURSOR)


class WebhookTestEvent(BaseModel):
    event_id: str = Field(description="Its delivery's id too")
    type: Literal["webhook.test"]


class ReplayResult(BaseModel):
    replayed: int = Field(description="How many events were sent again")
    truncated: bool = Field(description="True when the window held more events than one replay sends (10,000)")
    since: datetime
    until: datetime


def webhooks_service(tenant_id: Annotated[str, Depends(http.tenant_for("webhooks"))]) -> Webhooks:
    return Webhooks(tenant_id)


Hooks = Annotated[Webhooks, Depends(webhooks_service)]
Key = http.RequestIdempotencyKey


def _with_etag(result: Outcome, **headers: str) -> Response:
    return http.outcome_response(result, {"ETag": http.etag(result.body["version"]), **headers})


@router.post(
    "/webhooks",
    operation_id="create_webhook",
    summary="Subscribe an endpoint (secret shown once)",
    responses=http.documented(201, "Subscribed", WebhookCreated, headers=["ETag", "Location"], idempotent=True),
    tags=TAG,
)
def create_webhook(body: Annotated[WebhookInput, Body()], hooks: Hooks, key: Key):
    result = hooks.create(body.url, body.event_types, body.description, key)
    return _with_etag(result, Location=f"/v1/webhooks/{result.body['id']}")


@router.get(
    "/webhooks",
    operation_id="list_webhooks",
    summary="List webhook endpoints",
    responses=http.documented(200, "A page of webhook endpoints", WebhookPage, 400, 422),
    tags=TAG,
)
def list_webhooks(
    hooks: Hooks,
    limit: Annotated[int, Query(ge=1, le=http.MAX_PAGE)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
):
    data, next_cursor = hooks.list(limit, cursor)
    return http.json_response(200, {"data": data, "next_cursor": next_cursor})


@router.get(
    "/webhooks/<webhook_id>",
    operation_id="get_webhook",
    summary="Get a webhook endpoint",
    responses=http.documented(200, "The webhook endpoint, with its ETag", Webhook, 404, 422, headers=["ETag"]),
    tags=TAG,
)
def get_webhook(webhook_id: Id, hooks: Hooks):
    return _with_etag(Outcome(200, hooks.get(webhook_id)))


@router.patch(
    "/webhooks/<webhook_id>",
    operation_id="update_webhook",
    summary="Change url or event types; disable or re-enable",
    description="Only the fields sent change; `description: null` removes the description. Honours If-Match.",
    responses=http.documented(200, "Updated", Webhook, 404, 412, headers=["ETag"], idempotent=True),
    tags=TAG,
)
def update_webhook(
    webhook_id: Id, body: Annotated[WebhookPatch, Body()], hooks: Hooks, if_match: http.IfMatch, key: Key
):
    return _with_etag(hooks.update(webhook_id, body.model_dump(exclude_unset=True), if_match, key))


@router.delete(
    "/webhooks/<webhook_id>",
    operation_id="delete_webhook",
    summary="Delete a webhook endpoint",
    responses=http.documented(204, "Deleted", None, 404, idempotent=True),
    tags=TAG,
)
def delete_webhook(webhook_id: Id, hooks: Hooks, key: Key):
    return http.outcome_response(hooks.delete(webhook_id, key))


@router.post(
    "/webhooks/<webhook_id>/rotate-secret",
    operation_id="rotate_webhook_secret",
    summary="New signing secret (shown once); the old one also signs for 24 h",
    responses=http.documented(200, "Rotated", WebhookSecretRotated, 404, headers=["ETag"], idempotent=True),
    tags=TAG,
)
def rotate_secret(webhook_id: Id, hooks: Hooks, key: Key):
    return _with_etag(hooks.rotate_secret(webhook_id, key))


@router.post(
    "/webhooks/<webhook_id>/test",
    operation_id="test_webhook",
    summary="Send a webhook.test event",
    description="Accepted for delivery: follow it at /webhooks/{webhook_id}/deliveries/{event_id}. 409 if disabled.",
    responses=http.documented(202, "Accepted for delivery", WebhookTestEvent, 404, idempotent=True),
    tags=TAG,
)
def send_test(webhook_id: Id, hooks: Hooks, key: Key):
    return http.outcome_response(hooks.send_test(webhook_id, key))


@router.get(
    "/webhooks/<webhook_id>/deliveries",
    operation_id="list_webhook_deliveries",
    summary="Deliveries with every attempt, newest first",
    responses=http.documented(200, "A page of deliveries", DeliveryPage, 400, 404, 422),
    tags=TAG,
)
def list_deliveries(
    webhook_id: Id,
    hooks: Hooks,
    status: Annotated[Literal["pending", "succeeded", "failed"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=http.MAX_PAGE)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
):
    data, next_cursor = hooks.deliveries(webhook_id, status, limit, cursor)
    return http.json_response(200, {"data": data, "next_cursor": next_cursor})


@router.get(
    "/webhooks/<webhook_id>/deliveries/<delivery_id>",
    operation_id="get_webhook_delivery",
    summary="One delivery with its attempts",
    responses=http.documented(200, "The delivery", Delivery, 404, 422),
    tags=TAG,
)
def get_delivery(webhook_id: Id, delivery_id: Id, hooks: Hooks):
    from webhooks.repository import public_delivery

    return http.json_response(200, public_delivery(hooks.get_delivery(webhook_id, delivery_id)))


@router.post(
    "/webhooks/<webhook_id>/deliveries/<delivery_id>/redeliver",
    operation_id="redeliver_webhook_delivery",
    summary="Send a delivery again now",
    description="409 if the webhook is disabled or the delivery is being attempted right now.",
    responses=http.documented(202, "Accepted for delivery", Delivery, 404, idempotent=True),
    tags=TAG,
)
def redeliver(webhook_id: Id, delivery_id: Id, hooks: Hooks, key: Key):
    return http.outcome_response(hooks.redeliver(webhook_id, delivery_id, key))


@router.post(
    "/webhooks/<webhook_id>/replay",
    operation_id="replay_webhook_events",
    summary="Re-send every subscribed event in a time window (from the event log)",
    description="409 if the webhook is disabled; 422 for a window outside the event log's retention.",
    responses=http.documented(202, "Accepted for delivery", ReplayResult, 404, idempotent=True),
    tags=TAG,
)
def replay(webhook_id: Id, body: Annotated[ReplayInput, Body()], hooks: Hooks, key: Key):
    return http.outcome_response(hooks.replay(webhook_id, body.since, body.until, key))
