"""Routes: behavioural events (`/v1/events`, `/v1/contacts/{id}/events`) and lead scoring
(`/v1/scoring/contacts`, `/v1/contacts/{id}/score`). Served by the contacts function (handler.py), since
API Gateway sends /v1/contacts/{proxy+} there."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.request import Request
from pydantic import BaseModel, ConfigDict, Field, PlainValidator, model_validator

from activity import events, scoring
from activity.service import Activity
from contacts.schema import ValidationContext
from crm import http
from crm.errors import FieldError, MethodNotAllowed, ValidationFailed
from crm.idempotency import Outcome

router = Router()
NEXT_CURSOR = "Pass as ?cursor= for the next page; null on the last"
ContactId = Annotated[str, Path(max_length=64, description="The contact's id")]


# --- requests -----------------------------------------------------------------------------------


class ContactRef(BaseModel):
    """The contact the event is about: by id, or by email (an existing contact: none is created)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"oneOf": [{"required": ["id"]}, {"required": ["email"]}]}
    )
    id: str = Field(default=None, min_length=1, max_length=64)  # type: ignore[assignment]
    email: str = Field(default=None, min_length=1, max_length=320)  # type: ignore[assignment]

    @model_validator(mode="after")
    def _one_of(self) -> ContactRef:
        if (self.id is None) == (self.email is None):
            raise ValueError("give the contact's id or its email (one of them)")
        return self


class EventInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    contact: ContactRef
    type: str = Field(
        pattern=events.TYPE_PATTERN,
        description=f"One of {', '.join(events.BUILT_IN_TYPES)}, or a name of your own (a-z, 0-9, _). A purchase "
        "needs properties.amount (a number, at least 0) and properties.currency (ISO 4217); subscription_changed "
        "needs properties.status (subscribed or unsubscribed)",
    )
    occurred_at: str = Field(
        default=None,  # type: ignore[assignment]
        pattern=events.MOMENT_PATTERN,
        description="When it happened (default: now): YYYY-MM-DDTHH:MM[:SS[.ffffff]] with Z or an offset, or a "
        "date; at most 5 minutes in the future",
        examples=["2026-03-01T09:30:00Z"],
    )
    properties: dict[str, Any] = Field(
        default_factory=dict, description="Anything about the event, at most 4 KB as JSON"
    )


class RecordEventsInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    events: list[EventInput] = Field(min_length=1, max_length=events.MAX_EVENTS)


def checked_by_the_service(model: type[BaseModel]) -> Any:
    """A body documented as `model`, passed on as sent: the service checks it whole, with pointers."""
    return PlainValidator(lambda value: value, json_schema_input_type=model)


# --- answers (documentation: the service builds these bodies) ------------------------------------


class ActivityEvent(BaseModel):
    id: str = Field(description="Derived from the event itself: the same event sent again is recorded once")
    contact_id: str
    type: str
    occurred_at: datetime
    properties: dict[str, Any]
    recorded_at: datetime


class EventRecorded(BaseModel):
    status: Literal[202]
    event: ActivityEvent


class EventRefused(BaseModel):
    status: Literal[404, 422] = Field(description="404: no such contact; 422: the item is invalid (errors[])")
    problem: http.Problem


class RecordedEvents(BaseModel):
    results: list[EventRecorded | EventRefused] = Field(description="One per event sent, in order")


class ActivityEventPage(BaseModel):
    data: list[ActivityEvent]
    next_cursor: str | None = Field(description=NEXT_CURSOR)


class ScoreLine(BaseModel):
    rule: str = Field(description="The rule's id")
    points: int = Field(description="What it added (or took away)")


class ContactScore(BaseModel):
    contact_id: str
    score: int
    breakdown: list[ScoreLine] = Field(description="Each rule that added or took points, in the rules' order")
    as_of: datetime = Field(description="Computed now: event rules count the events in their window as of now")


class ScoringRules(BaseModel):
    object: Literal["contact"]
    rules: list[scoring.PropertyRuleInput | scoring.EventRuleInput]
    version: int = Field(description="Also the ETag; version 1 is the empty rule set every tenant starts with")
    updated_at: datetime | None


# --- routes --------------------------------------------------------------------------------------


def activity_service(request: Request, tenant_id: Annotated[str, Depends(http.tenant_for("records"))]) -> Activity:
    region = http.authorizer_context(request).get("region") or "US"
    return Activity(tenant_id, validation=ValidationContext(default_region=region))


Service = Annotated[Activity, Depends(activity_service)]
Key = http.RequestIdempotencyKey


@router.post(
    "/events",
    operation_id="record_events",
    summary="Record behavioural events (1-100 per call)",
    description="Each event is recorded or refused on its own: results[] holds a 202 with the event, a 404 (no "
    "contact with that id or email: contacts are never created here) or a 422 problem, in the order sent. The "
    "same event (contact, type, occurred_at, properties) sent again is recorded once. The contact's last_seen_at, "
    "purchase_count, lifetime_value, subscription_status and score follow within moments. Honours Idempotency-Key.",
    responses=http.documented(202, "Accepted: one result per event", RecordedEvents, 422, idempotent=True),
    tags=["events"],
)
def record_events(body: Annotated[RecordEventsInput, Body()], activity: Service, key: Key):
    items = [item.model_dump(exclude_none=True) for item in body.events]
    return http.outcome_response(activity.record(items, key))


@router.get(
    "/contacts/<contact_id>/events",
    operation_id="list_contact_events",
    summary="A contact's behavioural events, newest first",
    responses=http.documented(200, "A page of events", ActivityEventPage, 400, 404, 422),
    tags=["events"],
)
def list_contact_events(
    contact_id: ContactId,
    activity: Service,
    type: Annotated[str | None, Query(pattern=events.TYPE_PATTERN, description="Only this type")] = None,
    since: Annotated[
        str | None,
        Query(
            max_length=64,
            description="Only events that happened at or after this (RFC 3339), e.g. 2026-03-01T00:00:00Z",
            json_schema_extra={"format": "date-time"},
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=http.MAX_PAGE)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
):
    moment = _since(since) if since is not None else None
    data, next_cursor = activity.list_events(
        contact_id, limit=limit, cursor_token=cursor, event_type=type, since=moment
    )
    return http.json_response(200, {"data": data, "next_cursor": next_cursor})


_RFC3339 = re.compile(r"^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _since(text: str) -> datetime:
    """An RFC 3339 date-time, exactly the documented format (not a number read as Unix time, as pydantic
    would); beyond the years UTC can write, clamped to them (nothing happened before, or after)."""
    match = _RFC3339.match(text)
    moment = None
    if match:
        day, minutes, seconds, fraction, zone = match.groups()
        seconds = min(seconds, "59")  # a leap second
        fraction = (fraction or "")[:7]  # to the microsecond
        try:
            moment = datetime.fromisoformat(f"{day}T{minutes}:{seconds}{fraction}{zone.upper()}")
        except ValueError:  # a day that does not exist
            moment = None
    if moment is None:
        problem = "must be a date-time (RFC 3339), e.g. 2026-03-01T00:00:00Z"
        raise ValidationFailed("The query is invalid.", errors=[FieldError("/query/since", problem)])
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC) if moment.year > 1 else datetime.min.replace(tzinfo=UTC)


@router.get(
    "/contacts/<contact_id>/score",
    operation_id="get_contact_score",
    summary="A contact's lead score, rule by rule",
    description="Computed as of now from the scoring rules. The contact's stored score property catches up by "
    "itself when it differs (event rules decay as events leave their window).",
    responses=http.documented(200, "The score and its breakdown", ContactScore, 404, 422),
    tags=["scoring"],
)
def get_contact_score(contact_id: ContactId, activity: Service):
    return http.json_response(200, activity.contact_score(contact_id))


@router.get(
    "/scoring/contacts",
    operation_id="get_contact_scoring_rules",
    summary="The lead scoring rules for contacts",
    responses=http.documented(200, "The rules, with their ETag", ScoringRules, headers=["ETag"]),
    tags=["scoring"],
)
def get_contact_scoring_rules(activity: Service):
    return _with_etag(Outcome(200, activity.get_rules()))


@router.put(
    "/scoring/contacts",
    operation_id="update_contact_scoring_rules",
    summary="Replace the lead scoring rules for contacts",
    description="The rules are checked whole: every fault is reported at once at its JSON pointer. A change makes a "
    "new version and rescores every contact; the same rules again change nothing. Honours If-Match and "
    "Idempotency-Key.",
    responses=http.documented(200, "The rules now in force", ScoringRules, 412, headers=["ETag"], idempotent=True),
    tags=["scoring"],
)
def update_contact_scoring_rules(
    body: Annotated[dict[str, Any], checked_by_the_service(scoring.ScoringRulesInput), Body()],
    activity: Service,
    if_match: http.IfMatch,
    key: Key,
):
    return _with_etag(activity.put_rules(body, if_match=if_match, idempotency_key=key))


def _with_etag(result: Outcome) -> Response:
    return http.outcome_response(result, {"ETag": http.etag(result.body["version"])})


def _method_not_allowed(path: str, served: tuple[str, ...]) -> None:
    """Answer every other method of a static path as the resolver answers a path's unserved methods (405,
    `Allow` naming those it serves): otherwise the record routes (/<collection>, /<collection>/<record_id>)
    would take `events` or `scoring` for a collection, and their methods would join `Allow`."""
    others = sorted(ROUTED_METHODS - set(served))

    def refuse():
        method = router.current_event.http_method
        return http.problem_response(MethodNotAllowed(f"{method} is not allowed here."), {"Allow": ", ".join(served)})

    router.route(path, others, include_in_schema=False)(refuse)


# What API Gateway routes to a function (a path's ANY method); other methods get the gateway's own answer.
ROUTED_METHODS = frozenset({"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"})
_method_not_allowed("/events", ("POST",))
_method_not_allowed("/scoring/contacts", ("GET", "PUT"))
