"""Routes: /v1/webhooks — subscriptions, secret rotation, test events, deliveries, redelivery, replay."""

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, field_validator

from crm import http
from crm.idempotency import Outcome
from crm.text import text_field
from webhooks.service import Webhooks

router = Router()
TAG = ["webhooks"]
Id = Annotated[str, Path(max_length=64)]
Description = text_field(500)


class WebhookInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(max_length=2048, description="https:// endpoint that receives signed POSTs")
    event_types: list[str] = Field(min_length=1, max_length=50, description='e.g. ["contact.*", "deal.stage_changed"]')
    description: Description | None = None


class WebhookPatch(BaseModel):
    """Only the fields sent change. `description: null` removes the description; the other fields
    cannot be removed, so null there is refused rather than read as "off" or "empty"."""

    model_config = ConfigDict(extra="forbid")
    url: str = Field(default=None, max_length=2048)  # type: ignore[assignment]
    event_types: list[str] = Field(default=None, min_length=1, max_length=50)  # type: ignore[assignment]
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


def webhooks_service(tenant_id: Annotated[str, Depends(http.tenant_for("webhooks"))]) -> Webhooks:
    return Webhooks(tenant_id)


Hooks = Annotated[Webhooks, Depends(webhooks_service)]
Key = http.RequestIdempotencyKey


def _with_etag(result: Outcome, **headers: str) -> Response:
    return http.outcome_response(result, {"ETag": http.etag(result.body["version"]), **headers})


@router.post("/webhooks", operation_id="create_webhook", summary="Subscribe an endpoint (secret shown once)", tags=TAG)
def create_webhook(body: Annotated[WebhookInput, Body()], hooks: Hooks, key: Key):
    result = hooks.create(body.url, body.event_types, body.description, key)
    return _with_etag(result, Location=f"/v1/webhooks/{result.body['id']}")


@router.get("/webhooks", operation_id="list_webhooks", summary="List webhook endpoints", tags=TAG)
def list_webhooks(
    hooks: Hooks,
    limit: Annotated[int, Query(ge=1, le=http.MAX_PAGE)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
):
    data, next_cursor = hooks.list(limit, cursor)
    return http.json_response(200, {"data": data, "next_cursor": next_cursor})


@router.get("/webhooks/<webhook_id>", operation_id="get_webhook", summary="Get a webhook endpoint", tags=TAG)
def get_webhook(webhook_id: Id, hooks: Hooks):
    return _with_etag(Outcome(200, hooks.get(webhook_id)))


@router.patch(
    "/webhooks/<webhook_id>",
    operation_id="update_webhook",
    summary="Change url or event types; disable or re-enable",
    tags=TAG,
)
def update_webhook(
    webhook_id: Id, body: Annotated[WebhookPatch, Body()], hooks: Hooks, if_match: http.IfMatch, key: Key
):
    return _with_etag(hooks.update(webhook_id, body.model_dump(exclude_unset=True), if_match, key))


@router.delete("/webhooks/<webhook_id>", operation_id="delete_webhook", summary="Delete a webhook endpoint", tags=TAG)
def delete_webhook(webhook_id: Id, hooks: Hooks, key: Key):
    return http.outcome_response(hooks.delete(webhook_id, key))


@router.post(
    "/webhooks/<webhook_id>/rotate-secret",
    operation_id="rotate_webhook_secret",
    summary="New signing secret (shown once); the old one also signs for 24 h",
    tags=TAG,
)
def rotate_secret(webhook_id: Id, hooks: Hooks, key: Key):
    return _with_etag(hooks.rotate_secret(webhook_id, key))


@router.post("/webhooks/<webhook_id>/test", operation_id="test_webhook", summary="Send a webhook.test event", tags=TAG)
def send_test(webhook_id: Id, hooks: Hooks, key: Key):
    return http.outcome_response(hooks.send_test(webhook_id, key))


@router.get(
    "/webhooks/<webhook_id>/deliveries",
    operation_id="list_webhook_deliveries",
    summary="Deliveries with every attempt, newest first",
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
    tags=TAG,
)
def get_delivery(webhook_id: Id, delivery_id: Id, hooks: Hooks):
    from webhooks.repository import public_delivery

    return http.json_response(200, public_delivery(hooks.get_delivery(webhook_id, delivery_id)))


@router.post(
    "/webhooks/<webhook_id>/deliveries/<delivery_id>/redeliver",
    operation_id="redeliver_webhook_delivery",
    summary="Send a delivery again now",
    tags=TAG,
)
def redeliver(webhook_id: Id, delivery_id: Id, hooks: Hooks, key: Key):
    return http.outcome_response(hooks.redeliver(webhook_id, delivery_id, key))


@router.post(
    "/webhooks/<webhook_id>/replay",
    operation_id="replay_webhook_events",
    summary="Re-send every subscribed event in a time window (from the event log)",
    tags=TAG,
)
def replay(webhook_id: Id, body: Annotated[ReplayInput, Body()], hooks: Hooks, key: Key):
    return http.outcome_response(hooks.replay(webhook_id, body.since, body.until, key))
