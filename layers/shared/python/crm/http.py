"""The HTTP edge every API function shares: the resolver, RFC 9457 problem+json for every error (the
one place errors become responses), the caller from the authorizer, ETag/If-Match and body limits."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Iterable
from re import Match
from typing import Annotated, Any
from urllib.parse import unquote

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import DependencyResolutionError, Depends
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.request import Request
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema, WithJsonSchema

from crm import jsonio, observability
from crm.catalogue import API_PREFIX
from crm.errors import (
    CrmError,
    FieldError,
    MalformedJson,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    PreconditionFailed,
    ValidationFailed,
)
from crm.idempotency import HEADER as IDEMPOTENCY_HEADER
from crm.idempotency import IdempotencyKey, Outcome
from crm.tenancy import Caller
from crm.text import text_field

logger = Logger()

MAX_BODY_BYTES = 256 * 1024  # well under the 400 KB item limit, with room for the event copy
JSON = "application/json"
PROBLEM_JSON = "application/problem+json"
MAX_PAGE = 100


dumps = jsonio.dumps


def json_response(status: int, body: Any = None, headers: dict[str, str] | None = None) -> Response:
    return Response(
        status_code=status,
        content_type=JSON,
        body=None if body is None else dumps(body),
        headers=headers or {},
    )


def problem_response(error: CrmError, headers: dict[str, str] | None = None) -> Response:
    return Response(
        status_code=error.status,
        content_type=PROBLEM_JSON,
        body=dumps(error.to_problem()),
        headers=headers or {},
    )


# --- OpenAPI response documentation ----------------------------------------------------------------


class FieldProblem(BaseModel):
    """One field at fault: a JSON pointer into the request body (query parameters under /query/...) and
    what is wrong with it."""

    pointer: str = Field(examples=["/properties/email"])
    detail: str


class SharedValue(BaseModel):
    value: str | int | float = Field(description="A value as stored")
    record_ids: list[str] = Field(description="Records holding it (the first ten)")
    records: int = Field(description="How many records hold it")


class Problem(BaseModel):
    """An RFC 9457 problem (application/problem+json), the body of every error. Members beyond these are
    extensions of one kind of problem, e.g. `existing_id` on a duplicate."""

    model_config = ConfigDict(extra="allow")
    type: str = Field(
        description="A URI naming the kind of problem, e.g. https://crm.invalid/problems/not-found "
        "(about:blank when the gateway answers)"
    )
    title: str
    status: int = Field(ge=400, le=599)
    detail: str = Field(description="What went wrong with this request, in words a user can act on")
    errors: list[FieldProblem] | SkipJsonSchema[None] = Field(
        default=None,
        description="Each field at fault, where a request has fields at fault",
        json_schema_extra=lambda schema: schema.pop("default", None),
    )
    existing_id: str | None = Field(default=None, description="On a duplicate (409): the record holding the value")
    records: int | None = Field(
        default=None,
        description="On a schema change refused (409): how many records hold values it would strand (or, "
        "making a property unique, values another record shares)",
    )
    duplicates: list[SharedValue] | None = Field(
        default=None, description="Making a property unique refused (409): values two or more records share"
    )


class ValidationProblem(Problem):
    """A problem with the request's values: `errors` points at each one."""

    errors: list[FieldProblem]  # type: ignore[assignment]


_PROBLEM_TITLES = {
    400: "Malformed JSON, cursor or Idempotency-Key",
    401: "Missing, invalid or revoked API key (answered by the gateway)",
    403: "The key's role or scopes do not allow this",
    404: "No such resource for this tenant",
    405: "This path does not serve the method used: Allow lists those it does",
    409: "Conflict with the current state (a duplicate unique value: existing_id names the holder)",
    412: "If-Match does not match the current version",
    413: "Body larger than 256 KB",
    422: "Invalid values; errors[] points at each field",
    429: "The tenant's request rate or daily quota is used up (answered by the gateway)",
    503: "The data store is busy; retry after Retry-After seconds",
}
_IDEMPOTENT_TITLES = {
    409: _PROBLEM_TITLES[409] + ", or a request with this Idempotency-Key is still in progress",
    422: "Invalid values (errors[] points at each field), or this Idempotency-Key was used with another request",
    503: _PROBLEM_TITLES[503] + ", with the same Idempotency-Key",
}

IDEMPOTENT_REPLAYED = "Idempotent-Replayed"
RESPONSE_HEADERS: dict[str, dict[str, Any]] = {
    "ETag": {
        "description": 'The version of the resource, e.g. "3": send it as If-Match to change only that version',
        "schema": {"type": "string", "pattern": '^"[0-9]+"$'},
    },
    "Location": {"description": "The path of the created resource", "schema": {"type": "string"}},
    IDEMPOTENT_REPLAYED: {
        "description": "Present when this is the first response to an earlier request with the same "
        "Idempotency-Key, returned again (secrets shown once are left out)",
        "schema": {"type": "string", "enum": ["true"]},
    },
    "Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer", "minimum": 0}},
    "Allow": {
        "description": "The methods this path serves, e.g. GET, POST",
        "schema": {"type": "string", "pattern": "^[A-Z]+(, [A-Z]+)*$"},
    },
    "X-Items-Read": {
        "description": "How many table items (index items and records) answering this request read: what it cost",
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    },
}

# Free text as crm.text.clean_text accepts it, as a JSON Schema (ECMA-262) pattern: a core that starts and
# ends with a character that is neither white space nor refused, with anything but refused characters
# (C0 controls but tab, LF and CR, DEL, C1 controls, noncharacters) between, and white space around it,
# which is trimmed (so even the refused white space there, VT, FF, FS-US and NEL, is allowed).
# Noncharacters beyond the BMP cannot be written in an ECMA-262 class without the `u` flag.
_UNICODE_SPACE = r"\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_NONCHARACTERS = r"\ufdd0-\ufdef\ufffe\uffff"
_TRIMMED = rf"[\t\n\u000b\u000c\r\u001c-\u0020\u0085\u00a0{_UNICODE_SPACE}]"
_VISIBLE = rf"[^\u0000-\u0020\u007f-\u00a0{_UNICODE_SPACE}{_NONCHARACTERS}]"
_ALLOWED = rf"[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f{_NONCHARACTERS}]"
# Longer bounds than this are written as maxLength: regex engines refuse so large a counted repetition.
_MAX_COUNTED = 1000


def text_pattern(max_length: int | None = None) -> str:
    """The pattern of free text; with `max_length`, of at most that many characters once trimmed."""
    core = "*" if max_length is None else f"{{0,{max_length - 2}}}"
    return f"^{_TRIMMED}*{_VISIBLE}(?:{_ALLOWED}{core}{_VISIBLE})?{_TRIMMED}*$"


def text_schema(max_length: int) -> dict[str, Any]:
    """The JSON schema of free text of at most `max_length` characters. The length is counted after
    trimming, so it is part of the pattern rather than a maxLength (which counts the white space around
    it) wherever a regex engine takes so large a count."""
    schema: dict[str, Any] = {"type": "string", "minLength": 1}
    if max_length <= _MAX_COUNTED:
        return {**schema, "pattern": text_pattern(max_length)}
    return {**schema, "maxLength": max_length, "pattern": text_pattern()}


def text(max_length: int) -> Any:
    """A request model's free-text field (crm.text.text_field), documented as text_schema: generated
    clients and contract tests then know which text is refused."""
    return Annotated[text_field(max_length), WithJsonSchema(text_schema(max_length))]


# Request headers are read by dependencies (RequestIdempotencyKey, IfMatch), not declared as route
# parameters, so the served document adds them where a route's dependencies read them (meta).
REQUEST_HEADERS: dict[str, dict[str, Any]] = {
    IDEMPOTENCY_HEADER: {
        "name": IDEMPOTENCY_HEADER,
        "in": "header",
        "required": False,
        "description": "Makes the write safe to retry: a repeat with the same key and request gets the first "
        "response (Idempotent-Replayed: true) for 24 hours; the same key with another request is a 422.",
        "schema": {"type": "string", "pattern": "^[!-~]{1,255}$"},
    },
    "If-Match": {
        "name": "If-Match",
        "in": "header",
        "required": False,
        "description": 'Change only this version: an ETag this API returned, e.g. "3" (else 412); "*" or '
        "absent: any version.",
        "schema": {"type": "string"},
    },
}


def documented(
    success: int,
    description: str,
    model: Any = None,
    *problems: int,
    headers: Iterable[str] = (),
    idempotent: bool = False,
) -> dict[int, dict[str, Any]]:
    """`responses=` for a route: its success (with a model when it has a body, and the headers it sends)
    and every problem+json it can answer, each a shared `Problem` (a 422 a `ValidationProblem`).

    Every route documented here is authorized and store-backed: 401 and 403 (the gateway, the key's
    role or scopes) and 503 (the store is busy) always apply. An `idempotent` route (a write taking
    Idempotency-Key) also answers 400 (a malformed key), 409 (the key's first request is still in
    progress), 413 (body too large) and 422 (the key reused), and marks replays Idempotent-Replayed.
    The served document adds the gateway's 429 on metered routes and the request headers a route
    reads (meta)."""
    success_response: dict[str, Any] = {"description": description}
    sent = [*headers, *([IDEMPOTENT_REPLAYED] if idempotent else [])]
    if sent:
        success_response["headers"] = {name: RESPONSE_HEADERS[name] for name in sent}
    if model is not None:
        success_response["content"] = {JSON: {"model": model}}
    responses: dict[int, dict[str, Any]] = {success: success_response}
    statuses = {401, 403, 503, *problems, *((400, 409, 413, 422) if idempotent else ())}
    for status in sorted(statuses):
        responses[status] = _problem_response(status, idempotent)
    return responses


def _problem_response(status: int, idempotent: bool) -> dict[str, Any]:
    model: Any = Problem
    if status == 422:
        # A reused Idempotency-Key is a 422 without errors[]: a write's 422 is either kind.
        model = ValidationProblem | Problem if idempotent else ValidationProblem
    titles = _IDEMPOTENT_TITLES if idempotent else {}
    response: dict[str, Any] = {
        "description": titles.get(status, _PROBLEM_TITLES[status]),
        "content": {PROBLEM_JSON: {"model": model}},
    }
    if status in _PROBLEM_HEADERS:
        response["headers"] = {name: RESPONSE_HEADERS[name] for name in _PROBLEM_HEADERS[status]}
    return response


# Headers a problem carries by its status: how long to wait, which methods the path serves.
_PROBLEM_HEADERS = {405: ("Allow",), 503: ("Retry-After",)}


def problem_response_json(status: int) -> dict[str, Any]:
    """A problem response as the generated document holds it (its schema a $ref to the shared component),
    for responses added to the document after generation: the gateway's, the framework's 422."""
    response = _problem_response(status, idempotent=False)
    model = response["content"][PROBLEM_JSON].pop("model")
    response["content"][PROBLEM_JSON]["schema"] = {"$ref": f"#/components/schemas/{model.__name__}"}
    return response


def request_headers_read(endpoint: Callable[..., Any]) -> list[str]:
    """The request headers a route reads through its dependencies, at any depth (for its documentation)."""
    from aws_lambda_powertools.event_handler import depends

    readers = {request_idempotency_key: IDEMPOTENCY_HEADER, request_if_match: "If-Match"}
    found: list[str] = []

    def walk(tree: Any) -> None:
        for node in tree.dependencies:
            name = readers.get(node.depends.dependency)
            if name and name not in found:
                found.append(name)
            walk(node.dependant)

    walk(depends.build_dependency_tree(endpoint))
    return found


# --- request dependencies (Powertools Depends): who calls, for which tenant, with which key ----------


def _cache_dependency_trees() -> None:
    """Powertools rebuilds each route's dependency tree from its type hints on every request (about
    0.5 ms: `get_type_hints` evaluates every annotation again). A function's hints never change, so
    read them once per function."""
    from functools import lru_cache

    from aws_lambda_powertools.event_handler import depends

    if getattr(depends.get_type_hints, "cache_info", None) is None:
        hints = lru_cache(maxsize=1024)(depends.get_type_hints)
        depends.get_type_hints = hints  # type: ignore[attr-defined]
        depends.build_dependency_tree = lru_cache(maxsize=1024)(depends.build_dependency_tree)


_cache_dependency_trees()


def authorizer_context(request: Request) -> dict[str, Any]:
    """What the authorizer said about the caller: the only source of identity."""
    return (request.resolved_event.raw_event.get("requestContext") or {}).get("authorizer") or {}


def current_caller(request: Request) -> Caller:
    return Caller.from_authorizer(authorizer_context(request))


def tenant_for(area: str) -> Callable[[Request], str]:
    """A dependency: the caller's tenant, once its role and scopes allow `<area>:read` (GET) or
    `<area>:write` (any other method) - a 401/403 otherwise."""

    def tenant(request: Request) -> str:
        action = f"{area}:read" if request.method.upper() in ("GET", "HEAD") else f"{area}:write"
        return current_caller(request).require_tenant(action)

    tenant.__name__ = f"{area}_tenant"
    return tenant


def request_idempotency_key(request: Request) -> IdempotencyKey | None:
    """The request's Idempotency-Key, bound to its method, path and (parsed) body; a 400 if malformed."""
    raw = request.body
    try:
        body = jsonio.loads(raw) if raw else None  # routes that take a body validated it already
    except jsonio.JsonRejected:
        body = raw  # a body on a route that reads none: it still tells two requests apart
    event = request.resolved_event
    return IdempotencyKey.from_request(header_of(event.headers, IDEMPOTENCY_HEADER), request.method, event.path, body)


# A version no resource has (they start at 1): what an If-Match naming no ETag of ours is compared as.
NO_VERSION = 0


def request_if_match(request: Request) -> int | None:
    """The version If-Match names. An ETag that is not ours names none (NO_VERSION): the precondition
    fails (412) once the resource is found, evaluated after the request's other checks, as RFC 9110
    section 13.2.1 orders them (a malformed Idempotency-Key is a 400 and a missing resource a 404 first)."""
    try:
        return parse_if_match(header_of(request.resolved_event.headers, "If-Match"))
    except PreconditionFailed:
        return NO_VERSION


CurrentCaller = Annotated[Caller, Depends(current_caller)]
RequestIdempotencyKey = Annotated[IdempotencyKey | None, Depends(request_idempotency_key)]
IfMatch = Annotated[int | None, Depends(request_if_match)]


def header_of(headers: dict[str, str] | None, name: str) -> str | None:
    """A request header by case-insensitive name; an empty header is "" (present), not None."""
    wanted = name.lower()
    return next((v for k, v in (headers or {}).items() if k.lower() == wanted), None)


def outcome_response(outcome: Outcome, headers: dict[str, str] | None = None) -> Response:
    """A write's answer; a replayed one says so (`Idempotent-Replayed: true`)."""
    sent = dict(headers or {})
    if outcome.replayed:
        sent["Idempotent-Replayed"] = "true"
    if outcome.status == 204:
        return Response(status_code=204, headers=sent)
    return json_response(outcome.status, outcome.body, sent)


def etag(version: int) -> str:
    return f'"{version}"'


_ETAG = re.compile(r'^(?:W/)?"(\d+)"$')


def parse_if_match(value: str | None) -> int | None:
    """The version the client expects, from If-Match; None when absent or `*`. An ETag that is not one
    of ours can never match, so it fails the precondition (412) rather than being ignored."""
    if value is None or value.strip() == "*":
        return None
    match = _ETAG.match(value.strip())
    if not match:
        raise PreconditionFailed('If-Match must be an ETag returned by this API, e.g. "3".')
    return int(match.group(1))


# --- the resolver ----------------------------------------------------------------------------------


def _pointer(loc: Iterable[Any]) -> str:
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        where, rest = parts[0], parts[1:]
        return "/" + "/".join(rest) if where == "body" else "/" + "/".join([where, *rest])
    return "/" + "/".join(parts)


def _json_body(text: str) -> Any:
    """The request body as strict JSON (crm.jsonio): numbers exact, duplicate keys, NaN, deep nesting
    and lone surrogates refused. Powertools turns a JSONDecodeError into a validation error whose
    message we pass on, so the client learns which key or construct was refused."""
    try:
        value = jsonio.loads(text)
    except jsonio.JsonRejected as rejected:
        raise json.JSONDecodeError(str(rejected), text, 0) from None
    if not isinstance(value, dict):  # every body this API takes is an object
        raise ValidationFailed(
            "The request body must be a JSON object.", errors=[FieldError("/", "must be a JSON object")]
        )
    return value


_NOT_AN_OBJECT = ("model_attributes_type", "model_type", "dict_type", "missing")


def _validation_problem(error: RequestValidationError) -> CrmError:
    issues = error.errors()
    for issue in issues:
        if issue.get("type") == "json_invalid":
            reason = (issue.get("ctx") or {}).get("error") or "not valid JSON"
            return MalformedJson(f"The request body cannot be used: {reason}.", errors=[FieldError("/", reason)])
    fields = []
    for issue in issues:
        loc = tuple(issue.get("loc", ()))
        message = str(issue.get("msg", "is invalid")).removeprefix("Value error, ")
        if issue.get("type") == "missing":
            message = "is required"
        elif issue.get("type") == "extra_forbidden":
            message = "is not a known field"
        if loc == ("body",) and issue.get("type") in _NOT_AN_OBJECT:
            return ValidationFailed(
                "The request body must be a JSON object.", errors=[FieldError("/", "must be a JSON object")]
            )
        fields.append(FieldError(_pointer(loc), message))
    return ValidationFailed("The request is invalid.", errors=fields)


class _Resolver(APIGatewayRestResolver):
    """Powertools' REST resolver, matching paths as OpenAPI does: the most concrete path template that
    matches wins before methods are compared (`/objects/<collection>` over `/<collection>/<record_id>` for
    `/objects/contacts`), so a method it does not serve is a 405 rather than a request another route
    misreads. (Powertools alone takes the first route matching both path and method.)"""

    def _resolve(self) -> Any:
        method = self.current_event.http_method.upper()
        path = self._remove_prefix(self.current_event.path)
        for route, match in _most_concrete(self, path):
            if route.method == method:
                self.append_context(_route=route, _path=path)
                return self._call_route(route, self._convert_matches_into_route_keys(match))
        return self._handle_not_found(method=method, path=path)

    def _convert_matches_into_route_keys(self, match: Match[str]) -> dict[str, str]:
        # API Gateway (REST) hands the function the path as sent, percent-encoded, and the path
        # parameters decoded: a route's parameters are the decoded ones (`/contacts/caf%C3%A9` -> `café`).
        return {name: unquote(value) for name, value in match.groupdict().items()}


def _concreteness(route: Any) -> tuple[bool, ...]:
    """Which segments of a route's path are literal, left to right: compared as tuples, the more
    concrete of two templates matching one path is the greater."""
    return tuple(not segment.startswith("<") for segment in route.path.strip("/").split("/"))


def _most_concrete(app: APIGatewayRestResolver, path: str) -> list[tuple[Any, Match[str]]]:
    """The routes whose template matches the path and is the most concrete of those that do, in order."""
    matches = [(route, match) for route in _routes(app) if (match := route.rule.match(path))]
    if not matches:
        return []
    best = max(_concreteness(route) for route, _ in matches)
    return [(route, match) for route, match in matches if _concreteness(route) == best]


def create_resolver(*routers: Router, title: str = "CRM API") -> APIGatewayRestResolver:
    """A resolver with validation, OpenAPI and the problem+json error mapping. Routes are declared
    without the `/v1` prefix (the API Gateway stage), which is also stripped if a path carries it."""
    app = _Resolver(
        enable_validation=True,
        strip_prefixes=[API_PREFIX],
        json_body_deserializer=_json_body,
        serializer=dumps,
    )
    for router in routers:
        app.include_router(router)

    @app.exception_handler(CrmError)
    def _domain_error(error: CrmError) -> Response:
        if error.status >= 500:
            logger.warning("request failed", extra={"problem": error.to_problem()})
        headers = {"Retry-After": "1"} if error.status == 503 else None
        return problem_response(error, headers)

    @app.exception_handler(DependencyResolutionError)
    def _dependency_refused(error: DependencyResolutionError) -> Response:
        # A dependency (the caller, its tenant, the Idempotency-Key) refused the request: answer with
        # its own problem, which Powertools wrapped.
        cause = error.__cause__
        if isinstance(cause, CrmError):
            return _domain_error(cause)
        return _unexpected(error)

    @app.exception_handler(RequestValidationError)
    def _invalid_request(error: RequestValidationError) -> Response:
        return problem_response(_validation_problem(error))

    @app.not_found
    def _no_route(_: Exception) -> Response:
        method, path = app.current_event.http_method, app.context.get("_path") or app.current_event.path
        allowed = allowed_methods(app, path)
        if allowed:
            # RFC 9110: a 405 names the methods the target serves.
            return problem_response(MethodNotAllowed(f"{method} is not allowed here."), {"Allow": ", ".join(allowed)})
        return problem_response(NotFound(f"No route for {method} {app.current_event.path}."))

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response:
        logger.exception("unhandled error")
        return problem_response(CrmError("The request could not be completed. It has been logged."))

    app.title = title  # type: ignore[attr-defined]
    return app


def _routes(app: APIGatewayRestResolver) -> list[Any]:
    return list(getattr(app, "_static_routes", [])) + list(getattr(app, "_dynamic_routes", []))


def allowed_methods(app: APIGatewayRestResolver, path: str) -> list[str]:
    """The methods the resolver serves on a (prefix-stripped) path, sorted: a 405's Allow header."""
    return sorted({route.method.upper() for route, _ in _most_concrete(app, path)})


def lambda_handler(app: APIGatewayRestResolver) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """The Lambda entry point around a resolver: the body limit is checked before any parsing, and logs
    carry the tenant. (Bodies are read as JSON whatever their Content-Type, so `curl -d` just works.)"""

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        rejected = _reject_body(event)
        if rejected is not None:
            return rejected
        if event.get("body"):
            # Every body is JSON: read it as JSON whatever Content-Type says (curl -d sends a form type).
            headers = {k: v for k, v in (event.get("headers") or {}).items() if k.lower() != "content-type"}
            event = {**event, "headers": {**headers, "Content-Type": JSON}}
            event.pop("multiValueHeaders", None)
        return app.resolve(event, context)

    return observability.observed_api(handler)  # Lambda context + tenant on logs; Requests/Failures metrics


def _reject_body(event: dict[str, Any]) -> dict[str, Any] | None:
    body = event.get("body")
    if not body:
        return None
    size = len(body) * 3 // 4 if event.get("isBase64Encoded") else len(body.encode())
    error: CrmError
    if size > MAX_BODY_BYTES:
        error = PayloadTooLarge(f"The request body is {size} bytes; at most {MAX_BODY_BYTES} are accepted.")
    elif event.get("isBase64Encoded") and not _is_utf8(body):
        error = MalformedJson("The request body is not valid JSON (JSON text is UTF-8).")
    else:
        return None
    return {
        "statusCode": error.status,
        "headers": {"Content-Type": PROBLEM_JSON},
        "body": dumps(error.to_problem()),
        "isBase64Encoded": False,
    }


def _is_utf8(base64_body: str) -> bool:
    try:
        base64.b64decode(base64_body, validate=False).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return True
