"""Routes: /v1/webhooks — subscriptions, secret rotation, test events, deliveries, redelivery, replay."""

from datetime import datetime
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from crm import http
from webhooks.service import Webhooks

router = Router()
TAG = ["webhooks"]
Id = Annotated[str, Path(max_length=64)]


class WebhookInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(max_length=2048, description="https:// endpoint that receives signed POSTs")
    event_types: list[str] = Field(min_length=1, max_length=50, description='e.g. ["contact.*", "deal.stage_changed"]')
    description: str | None = Field(default=None, max_length=500)


class WebhookPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str | None = Field(default=None, max_length=2048)
    event_types: list[str] | None = Field(default=None, min_length=1, max_length=50)
    description: str | None = Field(default=None, max_length=500)
    enabled: bool | None = None


class ReplayInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    since: AwareDatetime
    until: AwareDatetime | None = None


def _webhooks() -> Webhooks:
    caller = http.caller(router)
    action = "webhooks:read" if router.current_event.http_method == "GET" else "webhooks:write"
    return Webhooks(caller.require_tenant(action))


def _with_etag(status: int, hook: dict[str, Any], **headers: str) -> Response:
    return http.json_response(status, hook, {"ETag": http.etag(hook["version"]), **headers})


@router.post("/webhooks", operation_id="create_webhook", summary="Subscribe an endpoint (secret shown once)", tags=TAG)
def create_webhook(body: Annotated[WebhookInput, Body()]):
    hook = _webhooks().create(body.url, body.event_types, body.description)
    return _with_etag(201, hook, Location=f"/v1/webhooks/{hook['id']}")


@router.get("/webhooks", operation_id="list_webhooks", summary="List webhook endpoints", tags=TAG)
def list_webhooks(
    limit: Annotated[int, Query(ge=1, le=http.MAX_PAGE)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
):
    data, next_cursor = _webhooks().list(limit, cursor)
    return http.json_response(200, {"data": data, "next_cursor": next_cursor})


@router.get("/webhooks/<webhook_id>", operation_id="get_webhook", summary="Get a webhook endpoint", tags=TAG)
def get_webhook(webhook_id: Id):
    return _with_etag(200, _webhooks().get(webhook_id))


@router.patch(
    "/webhooks/<webhook_id>",
    operation_id="update_webhook",
    summary="Change url or event types; disable or re-enable",
    tags=TAG,
)
def update_webhook(webhook_id: Id, body: Annotated[WebhookPatch, Body()]):
    changes = body.model_dump(exclude_unset=True)
    return _with_etag(200, _webhooks().update(webhook_id, changes, http.if_match(router)))


@router.delete("/webhooks/<webhook_id>", operation_id="delete_webhook", summary="Delete a webhook endpoint", tags=TAG)
def delete_webhook(webhook_id: Id):
    _webhooks().delete(webhook_id)
    return Response(status_code=204)


@router.post(
    "/webhooks/<webhook_id>/rotate-secret",
    operation_id="rotate_webhook_secret",
    summary="New signing secret (shown once); the old one also signs for 24 h",
    tags=TAG,
)
def rotate_secret(webhook_id: Id):
    return _with_etag(200, _webhooks().rotate_secret(webhook_id))


@router.post("/webhooks/<webhook_id>/test", operation_id="test_webhook", summary="Send a webhook.test event", tags=TAG)
def send_test(webhook_id: Id):
    return http.json_response(202, _webhooks().send_test(webhook_id))


@router.get(
    "/webhooks/<webhook_id>/deliveries",
    operation_id="list_webhook_deliveries",
    summary="Deliveries with every attempt, newest first",
    tags=TAG,
)
def list_deliveries(
    webhook_id: Id,
    status: Annotated[Literal["pending", "succeeded", "failed"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=http.MAX_PAGE)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
):
    data, next_cursor = _webhooks().deliveries(webhook_id, status, limit, cursor)
    return http.json_response(200, {"data": data, "next_cursor": next_cursor})


@router.get(
    "/webhooks/<webhook_id>/deliveries/<delivery_id>",
    operation_id="get_webhook_delivery",
    summary="One delivery with its attempts",
    tags=TAG,
)
def get_delivery(webhook_id: Id, delivery_id: Id):
    from webhooks.repository import public_delivery

    return http.json_response(200, public_delivery(_webhooks().get_delivery(webhook_id, delivery_id)))


@router.post(
    "/webhooks/<webhook_id>/deliveries/<delivery_id>/redeliver",
    operation_id="redeliver_webhook_delivery",
    summary="Send a delivery again now",
    tags=TAG,
)
def redeliver(webhook_id: Id, delivery_id: Id):
    return http.json_response(202, _webhooks().redeliver(webhook_id, delivery_id))


@router.post(
    "/webhooks/<webhook_id>/replay",
    operation_id="replay_webhook_events",
    summary="Re-send every subscribed event in a time window (from the event log)",
    tags=TAG,
)
def replay(webhook_id: Id, body: Annotated[ReplayInput, Body()]):
    from crm import clock

    until: datetime = body.until or clock.now()
    return http.json_response(202, _webhooks().replay(webhook_id, body.since, until))
