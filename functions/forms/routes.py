"""Routes: /v1/forms — form definitions (tenant API keys) and the public submission of a form (no key)."""

from datetime import datetime
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.request import Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from crm import http
from crm.idempotency import Outcome
from forms import definition, limits
from forms.service import Forms, Submitted, submit

router = Router()
TAG = ["forms"]
Id = Annotated[str, Path(max_length=64)]
NEXT_CURSOR = "Pass as ?cursor= for the next page; null on the last"
# The Content-Type the request came with: crm.http reads every body as JSON and says so in Content-Type, so the
# forms handler keeps the original here for the submission route (which also reads urlencoded bodies).
ORIGINAL_CONTENT_TYPE = "X-Crm-Original-Content-Type"
SUBMISSIONS_RESOURCE = "/forms/{form_id}/submissions"  # the event's `resource` of the submission route

PropertyName = Literal[definition.MAPPABLE]  # type: ignore[valid-type]
FieldName = Annotated[str, Field(pattern=definition.FIELD_NAME_PATTERN, examples=["email"])]
RedirectUrl = Annotated[
    str,
    Field(
        max_length=definition.MAX_URL,
        pattern=definition.URL_PATTERN,
        description="Where a browser that posted the form as a plain HTML form (urlencoded) goes next (303)",
    ),
]


def _set_properties_schema(schema: dict[str, Any]) -> None:
    """set_properties is typed as the contact properties it may set, each as records hold them (the record
    routes' schemas, from meta, read when the document is built)."""
    from contacts.schema import CONTACT
    from meta.handler import property_schema

    schema.clear()
    schema.update(
        type="object",
        properties={name: property_schema(CONTACT.properties[name]) for name in definition.SETTABLE},
        additionalProperties=False,
        description="Contact properties every submission sets too (not the email, which each submission brings; "
        "none a field sets). A lifecycle stage only moves an existing contact forward.",
    )


class FormField(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: FieldName = Field(description="The input's name in your HTML form (the key of a JSON submission)")
    property: PropertyName = Field(description="The contact property it sets")
    required: StrictBool = Field(default=False, description="A submission without it is refused (422)")


Fields = Annotated[
    list[FormField],
    Field(
        min_length=1,
        max_length=definition.MAX_FIELDS,
        description="One field must set email and be required: a submission creates or updates its contact",
    ),
]
SetProperties = Annotated[dict[str, Any], Field(json_schema_extra=_set_properties_schema)]
Honeypot = Annotated[
    str | None,
    Field(
        pattern=definition.FIELD_NAME_PATTERN,
        description="An input hidden from people: a submission with it filled is answered as accepted and dropped "
        "(null: none)",
    ),
]


class FormInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: http.text(200)  # type: ignore[valid-type]
    fields: Fields
    set_properties: SetProperties = Field(default_factory=dict)
    honeypot: Honeypot = definition.DEFAULT_HONEYPOT
    redirect_url: RedirectUrl | None = None


class FormPatch(BaseModel):
    """Only the fields sent change (fields and set_properties are replaced whole). null removes redirect_url
    and the honeypot; the other fields cannot be removed."""

    model_config = ConfigDict(extra="forbid")
    name: http.text(200) = Field(default=None)  # type: ignore[valid-type]
    fields: Fields = Field(default=None)  # type: ignore[assignment]
    set_properties: SetProperties = Field(default=None)  # type: ignore[assignment]
    honeypot: Honeypot = None
    redirect_url: RedirectUrl | None = None

    @field_validator("name", "fields", "set_properties", mode="before")
    @classmethod
    def _not_removable(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("cannot be removed; leave it out to keep the current value")
        return value


# --- what the routes answer (documentation: the service builds these bodies) -----------------------


class Form(BaseModel):
    id: str = Field(description="Unguessable: it alone lets anyone submit the form")
    name: str
    fields: list[FormField]
    set_properties: dict[str, Any]
    honeypot: str | None
    redirect_url: str | None
    submit_url: str = Field(description="Where websites post submissions (no API key): /v1/forms/{id}/submissions")
    version: int = Field(description="Also the ETag")
    created_at: datetime
    updated_at: datetime


class FormPage(BaseModel):
    data: list[Form]
    next_cursor: str | None = Field(description=NEXT_CURSOR)


class SubmissionAccepted(BaseModel):
    contact_id: str = Field(description="The contact created or updated")
    created: bool = Field(description="True when the submission created the contact")
    ignored: list[str] = Field(description="Inputs the form has no field for, by name: not stored")


def forms_service(request: Request, tenant_id: Annotated[str, Depends(http.tenant_for("forms"))]) -> Forms:
    region = http.authorizer_context(request).get("region") or "US"
    return Forms(tenant_id, region=region)


Service = Annotated[Forms, Depends(forms_service)]
Key = http.RequestIdempotencyKey


def _with_etag(result: Outcome, **headers: str) -> Response:
    return http.outcome_response(result, {"ETag": http.etag(result.body["version"]), **headers})


@router.post(
    "/forms",
    operation_id="create_form",
    summary="Define a web form (its submit_url takes submissions without a key)",
    description="Each field maps an input of your HTML form to a contact property; one must be a required email. "
    "The definition is checked whole: every fault is reported at once, each at its JSON pointer.",
    responses=http.documented(201, "Created", Form, headers=["ETag", "Location"], idempotent=True),
    tags=TAG,
)
def create_form(body: Annotated[FormInput, Body()], service: Service, key: Key):
    result = service.create(body.model_dump(), key)
    return _with_etag(result, Location=f"/v1/forms/{result.body['id']}")


@router.get(
    "/forms",
    operation_id="list_forms",
    summary="List forms, newest first",
    responses=http.documented(200, "A page of forms", FormPage, 400, 422),
    tags=TAG,
)
def list_forms(
    service: Service,
    limit: Annotated[int, Query(ge=1, le=http.MAX_PAGE)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
):
    data, next_cursor = service.list(limit, cursor)
    return http.json_response(200, {"data": data, "next_cursor": next_cursor})


@router.get(
    "/forms/<form_id>",
    operation_id="get_form",
    summary="Get a form",
    responses=http.documented(200, "The form, with its ETag", Form, 404, 422, headers=["ETag"]),
    tags=TAG,
)
def get_form(form_id: Id, service: Service):
    return _with_etag(Outcome(200, service.get(form_id)))


@router.patch(
    "/forms/<form_id>",
    operation_id="update_form",
    summary="Change a form (a new version)",
    description="Only the fields sent change (fields and set_properties are replaced whole); the result is checked "
    "whole. Sending what is already there makes no version. Honours If-Match.",
    responses=http.documented(200, "Updated", Form, 404, 412, headers=["ETag"], idempotent=True),
    tags=TAG,
)
def update_form(form_id: Id, body: Annotated[FormPatch, Body()], service: Service, if_match: http.IfMatch, key: Key):
    return _with_etag(service.update(form_id, body.model_dump(exclude_unset=True), if_match, key))


@router.delete(
    "/forms/<form_id>",
    operation_id="delete_form",
    summary="Delete a form",
    description="Its submit_url answers 404 from then on; contacts it made stay. Honours If-Match.",
    responses=http.documented(204, "Deleted", None, 404, 412, idempotent=True),
    tags=TAG,
)
def delete_form(form_id: Id, service: Service, if_match: http.IfMatch, key: Key):
    return http.outcome_response(service.delete(form_id, if_match, key))


# --- the public submission ------------------------------------------------------------------------------

_INPUTS = {
    "type": "object",
    "additionalProperties": {"type": "string", "maxLength": definition.MAX_VALUE},
    "maxProperties": definition.MAX_SUBMITTED_FIELDS,
    "examples": [{"email": "zoe@vip.example", "first_name": "Zoe"}],
}
_SUBMISSION_BODY = {
    "required": False,
    "description": "Field name -> text, as JSON or as a plain HTML form posts it. Blank inputs count as not sent; "
    "inputs the form has no field for are ignored (and listed in `ignored`).",
    "content": {"application/json": {"schema": _INPUTS}, definition.URLENCODED: {"schema": _INPUTS}},
}


def _problem(description: str, *headers: str) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description, "content": {http.PROBLEM_JSON: {"model": http.Problem}}}
    if headers:
        response["headers"] = {name: http.RESPONSE_HEADERS[name] for name in headers}
    return response


def _submission_responses() -> dict[int, dict[str, Any]]:
    """Public: no key, so neither 401 nor 403 (nor the usage plan's 429); its own limits' 429 instead."""
    responses = http.documented(
        202,
        "Accepted: the contact was created or updated (a filled honeypot is answered alike, and nothing is stored)",
        SubmissionAccepted,
        404,
        idempotent=True,
    )
    del responses[401], responses[403]
    responses[303] = {
        "description": "Accepted, as for 202, from a plain HTML form (urlencoded) to a form with a redirect_url: the "
        "browser goes there",
        "headers": {"Location": {"description": "The form's redirect_url", "schema": {"type": "string"}}},
        "content": {http.JSON: {"model": SubmissionAccepted}},
    }
    responses[415] = _problem("The body is neither JSON nor application/x-www-form-urlencoded")
    responses[429] = _problem(
        f"Too many submissions: {limits.PER_CLIENT_PER_WINDOW} per client address and {limits.PER_FORM_PER_WINDOW} "
        f"per form every {limits.WINDOW_S} s",
        "Retry-After",
    )
    return dict(sorted(responses.items()))


class RawSubmission(BaseModel):
    body: str | None
    content_type: str | None
    source_ip: str | None


def raw_submission(request: Request) -> RawSubmission:
    """The body as sent (JSON or urlencoded: read by the service, not by the resolver) and the client's address."""
    event = request.resolved_event
    identity = (event.raw_event.get("requestContext") or {}).get("identity") or {}
    return RawSubmission(
        body=event.decoded_body,
        content_type=http.header_of(event.headers, ORIGINAL_CONTENT_TYPE),
        source_ip=identity.get("sourceIp"),
    )


@router.post(
    "/forms/<form_id>/submissions",
    operation_id="submit_form",
    summary="Submit a form (public: no API key)",
    description="Creates the contact with the submitted email, or updates it, with the form's set_properties; "
    "records a `form_submitted` event for it and emits `form.submitted`. Required fields missing or values the "
    "contact's rules refuse: 422 naming each field (`/email`). Limited per client address and per form (429 with "
    "Retry-After).",
    responses=_submission_responses(),
    tags=TAG,
    openapi_extensions={"requestBody": _SUBMISSION_BODY},
)
def submit_form(form_id: Id, raw: Annotated[RawSubmission, Depends(raw_submission)], key: Key):
    from forms.service import Request as SubmissionRequest

    try:
        submitted = submit(SubmissionRequest(form_id, raw.body, raw.content_type, raw.source_ip, key))
    except limits.TooManySubmissions as refused:
        return http.problem_response(refused, {"Retry-After": str(refused.retry_after)})
    return _answer(submitted)


# What a browser asks before a script on another site posts JSON to a form (a CORS preflight): any origin may
# post, with the headers a submission reads. No credentials are involved, so the answer is the same for all.
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "POST",
    "Access-Control-Allow-Headers": "Content-Type, Idempotency-Key",
    "Access-Control-Max-Age": "86400",
}


@router.route(
    "/forms/<form_id>/submissions",
    method="OPTIONS",
    operation_id="preflight_form_submission",
    summary="CORS preflight for a submission from a script on another site (public: no API key)",
    description="Browsers ask this before a cross-origin `fetch` posts JSON; any origin may post. The answer "
    "is the same for every form id (the submission itself answers 404 for an unknown form).",
    responses={
        204: {
            "description": "Any origin may POST a submission with these headers",
            "headers": {
                "Access-Control-Allow-Origin": {"description": "`*`", "schema": {"type": "string"}},
                **{
                    name: {"description": f"`{value}`", "schema": {"type": "string"}}
                    for name, value in PREFLIGHT_HEADERS.items()
                },
            },
        }
    },
    tags=TAG,
)
def preflight_form_submission(form_id: str):  # any id: a preflight reads nothing
    return Response(204, headers=dict(PREFLIGHT_HEADERS))


def _answer(submitted: Submitted) -> Response:
    outcome = submitted.outcome
    if submitted.redirect_url is not None and 200 <= outcome.status < 300:
        # See Other: the browser that posted the form loads the tenant's page; the body is what a 202 says.
        return http.outcome_response(Outcome(303, outcome.body, outcome.replayed), {"Location": submitted.redirect_url})
    return http.outcome_response(outcome)
