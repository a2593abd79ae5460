"""The HTTP edge: problem+json mapping, If-Match, body parsing and limits (crm.http)."""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from typing import Annotated

import pytest
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Body
from pydantic import BaseModel, ConfigDict

from crm import http
from crm.errors import Conflict, MalformedJson, PreconditionFailed, ServiceUnavailable, ValidationFailed


def _if_match(headers: dict[str, str]) -> int | None:
    """If-Match as a route's `http.IfMatch` dependency reads it."""
    return http.parse_if_match(http.header_of(headers, "If-Match"))


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"If-Match": "*"}, None),
        ({"If-Match": " * "}, None),
        ({"If-Match": '"3"'}, 3),
        ({"If-Match": ' "3" '}, 3),
        ({"If-Match": 'W/"12"'}, 12),
        ({"if-match": '"7"'}, 7),
    ],
)
def test_given_an_if_match_header_when_read_then_it_names_the_expected_version(headers, expected):
    assert _if_match(headers) == expected


@pytest.mark.parametrize("value", ["3", '"abc"', '"-1"', '"1", "2"', "W/3", '"3', "garbage"])
def test_given_an_etag_that_is_not_ours_when_read_as_if_match_then_the_precondition_fails(value):
    with pytest.raises(PreconditionFailed) as error:
        _if_match({"If-Match": value})
    assert error.value.status == 412


def test_given_a_version_when_made_an_etag_then_it_is_a_quoted_strong_etag():
    assert http.etag(4) == '"4"'
    assert _if_match({"If-Match": http.etag(4)}) == 4


@pytest.mark.parametrize(
    ("loc", "pointer"),
    [
        (("body", "properties"), "/properties"),
        (("body", "a/b", "c~d"), "/a~1b/c~0d"),
        (("body", "scopes", 0), "/scopes/0"),
        (("query", "limit"), "/query/limit"),
        (("path", "record_id"), "/path/record_id"),
        (("header", "idempotency-key"), "/header/idempotency-key"),
        (("body",), "/"),
    ],
)
def test_given_a_validation_location_when_made_a_pointer_then_it_is_an_escaped_json_pointer(loc, pointer):
    assert http._pointer(loc) == pointer


def test_given_a_json_syntax_error_when_mapped_then_it_is_malformed_json_400():
    problem = http._validation_problem(RequestValidationError([{"type": "json_invalid", "loc": ("body", 1)}]))
    assert isinstance(problem, MalformedJson)
    assert problem.status == 400


@pytest.mark.parametrize("kind", ["model_attributes_type", "dict_type", "missing"])
def test_given_a_body_that_is_not_an_object_when_mapped_then_it_points_at_the_root(kind):
    problem = http._validation_problem(RequestValidationError([{"type": kind, "loc": ("body",), "msg": "x"}]))
    assert isinstance(problem, ValidationFailed)
    assert [e.to_dict() for e in problem.errors] == [{"pointer": "/", "detail": "must be a JSON object"}]


def test_given_several_field_errors_when_mapped_then_each_is_listed_in_words_a_user_can_act_on():
    problem = http._validation_problem(
        RequestValidationError(
            [
                {"type": "missing", "loc": ("body", "name"), "msg": "Field required"},
                {"type": "extra_forbidden", "loc": ("body", "nmae"), "msg": "Extra inputs are not permitted"},
                {"type": "less_than_equal", "loc": ("query", "limit"), "msg": "Input should be <= 100"},
            ]
        )
    )
    assert problem.status == 422
    assert [e.to_dict() for e in problem.errors] == [
        {"pointer": "/name", "detail": "is required"},
        {"pointer": "/nmae", "detail": "is not a known field"},
        {"pointer": "/query/limit", "detail": "Input should be <= 100"},
    ]


@pytest.mark.parametrize(
    "text",
    [
        "{",
        '{"a": }',
        "{'a': 1}",
        "[" * 100_000 + "]" * 100_000,  # deep enough to exhaust Python's recursion limit
        '{"n": ' + "9" * 5000 + "}",  # more digits than Python converts
        '{"s": "\\ud800"}',  # a lone surrogate: valid syntax, but no store or response can encode it
    ],
)
def test_given_a_body_python_cannot_use_when_parsed_then_it_is_a_json_decode_error(text):
    with pytest.raises(json.JSONDecodeError):
        http._json_body(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [('{"a": [1, "é", null]}', {"a": [1, "é", None]}), ('{"s": "\\ud83d\\ude80"}', {"s": "🚀"})],
)
def test_given_a_json_object_when_parsed_then_it_is_the_value(text, expected):
    assert http._json_body(text) == expected


@pytest.mark.parametrize("text", ["3", '"x"', "[]", "null", "true", '[{"a": 1}]'])
def test_given_json_that_is_not_an_object_when_parsed_then_422_at_the_root(text):
    with pytest.raises(ValidationFailed) as refused:
        http._json_body(text)
    assert [e.pointer for e in refused.value.errors] == ["/"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"a": 1, "a": 2}', "'a' appears more than once"),
        ('{"p": {"x": 1, "x": 1}}', "'x' appears more than once"),
        ('{"n": NaN}', "NaN is not a JSON number"),
        ('{"n": -Infinity}', "-Infinity is not a JSON number"),
        ('{"d": ' + "[" * 40 + "]" * 40 + "}", "nested more than 32 levels"),
    ],
)
def test_given_json_this_api_refuses_when_parsed_then_the_reason_names_the_fault(text, reason):
    with pytest.raises(json.JSONDecodeError) as refused:
        http._json_body(text)
    assert reason in refused.value.msg


def test_given_values_from_dynamodb_when_dumped_then_decimals_and_sets_are_plain_json():
    assert http.dumps(
        {"a": Decimal("2"), "b": Decimal("2.5"), "c": {"y", "x"}, "d": "é", "e": Decimal("1234567890123.456789")}
    ) == ('{"a":2,"b":2.5,"c":["x","y"],"d":"é","e":1234567890123.456789}')
    with pytest.raises(TypeError):
        http.dumps({"x": object()})


# --- the resolver and the Lambda entry point --------------------------------------------------------


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str


def _handler():
    router = Router()

    @router.post("/things")
    def create(body: Annotated[_Input, Body()]):
        return http.json_response(201, {"name": body.name})

    @router.get("/conflict")
    def conflict():
        raise Conflict("already there", existing_id="X1")

    @router.get("/busy")
    def busy():
        raise ServiceUnavailable("busy")

    @router.get("/boom")
    def boom():
        raise RuntimeError("secret internals: botocore.exceptions.ClientError at 0xdeadbeef")

    return http.lambda_handler(http.create_resolver(router))


def _event(method: str, path: str, body: str | None = None, *, base64_body: bool = False) -> dict:
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": {"Content-Type": "text/plain"},
        "multiValueHeaders": {"Content-Type": ["text/plain"]},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "requestContext": {"stage": "v1", "path": path, "httpMethod": method, "requestId": "r"},
        "body": body,
        "isBase64Encoded": base64_body,
    }


def _call(event: dict) -> tuple[int, str, dict]:
    result = _handler()(event, None)
    headers = result.get("headers") or {}
    content_type = headers.get("Content-Type") or ",".join(
        (result.get("multiValueHeaders") or {}).get("Content-Type", [])
    )
    return result["statusCode"], content_type, json.loads(result["body"]) if result.get("body") else None


def test_given_a_json_body_with_any_content_type_when_handled_then_it_is_read_as_json():
    assert _call(_event("POST", "/things", '{"name": "x"}')) == (201, "application/json", {"name": "x"})
    assert _call(_event("POST", "/v1/things", '{"name": "x"}'))[0] == 201  # the stage prefix is stripped


@pytest.mark.parametrize(
    ("event", "status", "slug"),
    [
        (_event("POST", "/things", "{"), 400, "malformed-json"),
        (_event("POST", "/things", base64.b64encode(b"\xff\xfe{}").decode(), base64_body=True), 400, "malformed-json"),
        (_event("POST", "/things", '{"name": "x", "extra": 1}'), 422, "validation-failed"),
        (_event("POST", "/things", "[]"), 422, "validation-failed"),
        # Powertools alone would read a list body as its first item
        (_event("POST", "/things", '[{"name": "x"}]'), 422, "validation-failed"),
        (_event("POST", "/things", '[{"name": "x"}, "junk"]'), 422, "validation-failed"),
        (_event("POST", "/things", '{"name": "' + "x" * http.MAX_BODY_BYTES + '"}'), 413, "payload-too-large"),
        (_event("GET", "/conflict"), 409, "conflict"),
        (_event("GET", "/nowhere"), 404, "not-found"),
        (_event("DELETE", "/things"), 405, "method-not-allowed"),
    ],
)
def test_given_a_failing_request_when_handled_then_the_response_is_problem_json(event, status, slug):
    code, content_type, problem = _call(event)
    assert (code, content_type) == (status, "application/problem+json")
    assert problem["status"] == status
    assert problem["type"] == f"https://crm.invalid/problems/{slug}"
    assert problem["title"] and problem["detail"]


def test_given_a_domain_error_with_extra_fields_when_handled_then_they_are_members_of_the_problem():
    assert _call(_event("GET", "/conflict"))[2]["existing_id"] == "X1"


def test_given_an_unavailable_dependency_when_handled_then_it_is_503_with_retry_after():
    result = _handler()(_event("GET", "/busy"), None)
    assert result["statusCode"] == 503
    headers = {**(result.get("headers") or {}), **(result.get("multiValueHeaders") or {})}
    assert headers["Retry-After"] in ("1", ["1"])


def test_given_an_unexpected_exception_when_handled_then_it_is_a_bare_500_without_internals():
    code, content_type, problem = _call(_event("GET", "/boom"))
    assert (code, content_type) == (500, "application/problem+json")
    assert problem == {
        "type": "https://crm.invalid/problems/internal",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "The request could not be completed. It has been logged.",
    }
