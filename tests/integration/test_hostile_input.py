"""Input an attacker or a careless client sends: every case gets its own clear 4xx problem (never a 500),
is refused rather than silently altered or stored, and money comes back exactly as it was sent."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm import jsonio
from tests.conftest import OPERATOR_KEY
from tests.support.problems import assert_problem
from tests.support.table import everything

LIST_ROUTES = ["/v1/contacts", "/v1/companies", "/v1/deals", "/v1/webhooks", "/v1/api-keys"]


def _raw(api, method, path, text: str, key: str):
    """Send exactly this body text, and read the answer with the exact JSON codec."""
    reply = api.request(method, path, key=key, raw=text.encode())
    return reply


# --- numbers and money -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount",
    ["1234567890123.456789", "99999999999999999999.5", "0.000001", "999999999999999999999", "12.5", "7"],
)
def test_given_an_amount_inside_the_limits_when_stored_then_it_comes_back_digit_for_digit(api, tenant, amount):
    # Given a deal whose amount is written as a JSON number with exactly these digits
    created = _raw(api, "POST", "/v1/deals", '{"properties": {"name": "D", "amount": ' + amount + "}}", tenant.key)
    assert created.status == 201, created.body
    # When it is read back (the response text, parsed exactly)
    response = api.gateway.handle(
        "GET", f"/v1/deals/{created.body['id']}", {"Authorization": f"Bearer {tenant.key}"}, b""
    )
    # Then the stored number is exactly the one sent
    assert f'"amount":{amount}' in response.body.decode()
    assert str(jsonio.loads(response.body)["properties"]["amount"]) == amount


@pytest.mark.parametrize(
    ("amount", "why"),
    [
        ("1e999999999", "below 1e21"),
        ("-1e999999999", "below 1e21"),
        ('"1e999999999"', "must be a number"),
        ("1e21", "below 1e21"),
        ("0.0000001", "6 decimal places"),
        ("1E-999999999", "6 decimal places"),
        ('"1_000"', "must be a number"),
    ],
)
def test_given_an_amount_outside_the_limits_when_written_then_422_at_the_amount(api, tenant, unchanged, amount, why):
    with unchanged():
        reply = _raw(api, "POST", "/v1/deals", '{"properties": {"name": "D", "amount": ' + amount + "}}", tenant.key)
    problem = assert_problem(reply, 422, "/properties/amount")
    assert why in problem["errors"][0]["detail"]


def test_given_nan_or_infinity_when_written_then_400_naming_it(api, tenant, unchanged):
    with unchanged():
        for constant in ("NaN", "Infinity", "-Infinity"):
            reply = _raw(
                api, "POST", "/v1/deals", '{"properties": {"name": "D", "amount": ' + constant + "}}", tenant.key
            )
            assert constant in assert_problem(reply, 400)["detail"]


# --- JSON bodies --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "text", "key_name"),
    [
        ("/v1/contacts", '{"properties": {"email": "a@b.co", "email": "c@d.co"}}', "email"),
        ("/v1/contacts", '{"properties": {"first_name": "A"}, "properties": {"first_name": "B"}}', "properties"),
        (
            "/v1/webhooks",
            '{"url": "https://example.com/", "url": "https://evil.example/", "event_types": ["*"]}',
            "url",
        ),
        ("/v1/api-keys", '{"name": "a", "role": "read_only", "role": "admin"}', "role"),
    ],
)
def test_given_a_body_with_a_duplicated_key_when_written_then_400_naming_the_key(
    api, tenant, unchanged, path, text, key_name
):
    with unchanged():
        reply = _raw(api, "POST", path, text, tenant.key)
    problem = assert_problem(reply, 400)
    assert f"'{key_name}' appears more than once" in problem["detail"]


def test_given_a_body_nested_too_deep_when_written_then_400_with_the_limit(api, tenant, unchanged):
    with unchanged():
        reply = _raw(api, "POST", "/v1/contacts", '{"properties": {"owner": ' + "[" * 33 + "]" * 33 + "}}", tenant.key)
    assert "nested more than 32 levels" in assert_problem(reply, 400)["detail"]


# --- text ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufffe", "\U0010ffff"])
def test_given_a_control_character_in_text_when_written_then_422_naming_the_property(api, tenant, unchanged, control):
    with unchanged():
        reply = api.post("/v1/contacts", {"properties": {"first_name": f"A{control}B"}}, key=tenant.key)
        problem = assert_problem(reply, 422, "/properties/first_name")
        assert f"U+{ord(control):04X}" in problem["errors"][0]["detail"]
        hook = api.post(
            "/v1/webhooks",
            {"url": "https://example.com/", "event_types": ["*"], "description": f"x{control}y"},
            key=tenant.key,
        )
        assert_problem(hook, 422, "/description")
        assert_problem(api.post("/v1/api-keys", {"name": f"k{control}k"}, key=tenant.key), 422, "/name")
        assert_problem(api.post("/v1/tenants", {"name": f"T{control}T"}, key=OPERATOR_KEY), 422, "/name")


# --- cursors --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", LIST_ROUTES)
@pytest.mark.parametrize(
    "forged",
    [
        b"[" * 3000 + b"]" * 3000,
        b'{"o":' * 500 + b"1" + b"}" * 500,
        b'{"o":"x","o":"y","p":"z"}',
        b"\xff\xfe",
        b"9" * 5000,
    ],
)
def test_given_a_forged_cursor_when_listing_then_400_invalid_cursor(api, tenant, path, forged):
    token = base64.urlsafe_b64encode(forged).decode().rstrip("=")[:2048]
    reply = api.get(f"{path}?cursor={token}", key=tenant.key)
    assert assert_problem(reply, 400)["type"].endswith("/invalid-cursor")


# --- webhooks: PATCH null, replay windows ----------------------------------------------------------


@pytest.fixture
def hook(api, tenant) -> dict:
    reply = api.post("/v1/webhooks", {"url": "https://example.com/hook", "event_types": ["contact.*"]}, key=tenant.key)
    assert reply.status == 201
    return reply.body


@pytest.mark.parametrize("field", ["url", "event_types", "enabled"])
def test_given_null_for_a_field_that_cannot_be_removed_when_patching_a_webhook_then_422_at_it(
    api, tenant, hook, unchanged, field
):
    with unchanged():
        reply = api.patch(f"/v1/webhooks/{hook['id']}", {field: None}, key=tenant.key)
    assert_problem(reply, 422, f"/{field}")


@pytest.mark.parametrize("value", ["false", 0, "no", "off"])
def test_given_something_that_is_not_a_boolean_for_enabled_when_patching_then_422(api, tenant, hook, unchanged, value):
    with unchanged():
        assert_problem(api.patch(f"/v1/webhooks/{hook['id']}", {"enabled": value}, key=tenant.key), 422, "/enabled")


def test_given_null_description_when_patching_a_webhook_then_the_description_is_removed(api, tenant, hook):
    api.patch(f"/v1/webhooks/{hook['id']}", {"description": "temp"}, key=tenant.key)
    reply = api.patch(f"/v1/webhooks/{hook['id']}", {"description": None}, key=tenant.key)
    assert reply.status == 200 and reply.body["description"] is None and reply.body["enabled"] is True


@pytest.mark.parametrize(
    ("window", "pointer"),
    [
        ({"since": "9999-12-31T23:59:59-23:59"}, "/since"),
        ({"since": "0001-01-01T00:00:00+23:59"}, "/since"),
        ({"since": "2025-01-01T00:00:00Z"}, "/since"),
        ({"since": "NOW", "until": "9999-12-31T23:59:59-23:59"}, "/until"),
        ({"since": "NOW", "until": "0001-01-01T00:00:00+23:59"}, "/until"),
    ],
)
def test_given_a_replay_window_out_of_range_when_replayed_then_422_and_nothing_was_sent(
    api, tenant, hook, frozen_clock, window, pointer
):
    # Given an event in the log that the endpoint subscribes to
    api.post("/v1/contacts", {"properties": {"first_name": "A"}}, key=tenant.key)
    frozen_clock[0] += timedelta(minutes=5)
    since = (frozen_clock[0] - timedelta(hours=1)).isoformat()
    body = {k: since if v == "NOW" else v for k, v in window.items()}
    before = [i for i in everything() if i.get("kind") == "delivery"]
    # When a replay names a window outside anything representable
    reply = api.post(f"/v1/webhooks/{hook['id']}/replay", body, key=tenant.key)
    # Then it is refused at the field, and no delivery was created
    assert_problem(reply, 422, pointer)
    assert [i for i in everything() if i.get("kind") == "delivery"] == before


def test_given_any_problem_body_when_read_then_it_is_valid_json(api, tenant):
    reply = _raw(api, "POST", "/v1/contacts", '{"properties": {"first_name": "\\u0000"}}', tenant.key)
    assert json.loads(json.dumps(reply.body)) == reply.body


# --- arbitrary input through the whole stack -----------------------------------------------------------

_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_bodies = st.one_of(
    st.dictionaries(st.sampled_from(["properties", "url", "event_types", "enabled", "x"]), _values, max_size=3),
    st.builds(
        lambda p: {"properties": p},
        st.dictionaries(
            st.sampled_from(["email", "amount", "name", "owner", "close_date", "company_id", "stage", "zz"]),
            _values,
            max_size=4,
        ),
    ),
    st.binary(max_size=64).map(lambda b: b.decode("latin-1")),
)


def _write_routes() -> list[tuple[str, str]]:
    """Every write operation of the OpenAPI document (so new routes are fuzzed by construction), with
    a well-formed id wherever the path names one."""
    import re

    from meta.handler import _openapi_json

    some_id = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
    document = json.loads(_openapi_json())
    routes = []
    for path, operations in document["paths"].items():
        concrete = path.replace("/objects/{collection}", "/objects/contacts")
        concrete = "/v1" + re.sub(r"\{[^}]+\}", some_id, concrete)
        routes += [(m.upper(), concrete) for m in operations if m in ("post", "put", "patch", "delete")]
    return sorted(routes)


_ROUTES = _write_routes()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    route=st.sampled_from(_ROUTES),
    body=_bodies,
    query=st.text(max_size=40),
    idempotency_key=st.none() | st.text(max_size=20),
    if_match=st.none() | st.text(max_size=12),
)
def test_given_arbitrary_input_on_any_write_route_then_the_answer_is_never_a_5xx(
    api, tenant, route, body, query, idempotency_key, if_match
):
    method, path = route
    key = OPERATOR_KEY if path.startswith("/v1/tenants") else tenant.key
    headers = {k: v for k, v in (("Idempotency-Key", idempotency_key), ("If-Match", if_match)) if v is not None}
    headers = {k: v for k, v in headers.items() if v.isprintable() and "\n" not in v}
    raw = body.encode() if isinstance(body, str) else json.dumps(body, allow_nan=True).encode()
    reply = api.request(method, f"{path}?{quote(query)}", key=key, headers=headers, raw=raw)
    assert reply.status < 500, (route, body, reply.body)
    if reply.status >= 400:
        assert_problem(reply, reply.status)
