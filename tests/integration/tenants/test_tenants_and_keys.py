"""Operator onboarding, tenant API keys, roles and scopes, and authentication at the gateway, end to end
through the local gateway (authorizer included) and the real handlers on moto."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import OPERATOR_KEY
from tests.support.problems import assert_problem
from tests.support.table import everything, partition

ULID_CHARS = set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def _new_key(api, tenant_key: str, role: str = "member", scopes: list[str] | None = None, **kw: Any) -> dict:
    body: dict[str, Any] = {"name": f"{role} key", "role": role}
    if scopes is not None:
        body["scopes"] = scopes
    reply = api.post("/v1/api-keys", body, key=tenant_key, **kw)
    assert reply.status == 201, reply.body
    return reply.body["api_key"]


# --- health and onboarding --------------------------------------------------------------------------


def test_given_no_credentials_when_health_is_checked_then_200(api):
    reply = api.get("/v1/health")
    assert (reply.status, reply.body) == (200, {"status": "ok"})


@pytest.mark.parametrize("tier", ["basic", "standard", "premium"])
def test_given_the_operator_key_when_a_tenant_is_onboarded_then_it_gets_an_admin_key_that_works(api, tier):
    reply = api.post("/v1/tenants", {"name": "  Initech ", "tier": tier}, key=OPERATOR_KEY)
    assert reply.status == 201
    tenant, key = reply.body["tenant"], reply.body["api_key"]
    assert len(tenant["id"]) == 26 and set(tenant["id"]) <= ULID_CHARS
    assert {k: tenant[k] for k in ("name", "tier", "status", "default_region")} == {
        "name": "Initech",
        "tier": tier,
        "status": "active",
        "default_region": "US",
    }
    assert tenant["created_at"].endswith("Z")
    assert reply.header("Location") == f"/v1/tenants/{tenant['id']}"
    assert key["role"] == "admin"
    assert key["key"].startswith(f"crm_{tenant['id']}_{key['id']}_")
    assert api.get("/v1/contacts", key=key["key"]).body == {"data": [], "next_cursor": None}
    # the key is stored only as a hash
    assert key["key"] not in json.dumps(everything(), default=str)
    assert "usage_key_value" not in json.dumps(reply.body)


INVALID_TENANTS = [
    ({"tier": "basic"}, "/name"),
    ({"name": "   "}, "/name"),
    ({"name": ""}, "/name"),
    ({"name": "x" * 201}, "/name"),
    ({"name": "X", "tier": "gold"}, "/tier"),
    ({"name": "X", "default_region": "gb"}, "/default_region"),
    ({"name": "X", "default_region": "ZZ"}, "/default_region"),  # no such region for phone numbers
    ({"name": "X", "plan": "free"}, "/plan"),
]


def test_given_an_invalid_tenant_when_onboarded_then_422_with_pointer_and_nothing_written(api, unchanged):
    with unchanged():
        for body, pointer in INVALID_TENANTS:
            reply = api.post("/v1/tenants", body, key=OPERATOR_KEY)
            assert reply.status == 422, (body, reply.body)
            assert_problem(reply, 422, pointer)


def test_given_an_idempotency_key_when_onboarding_is_retried_then_one_tenant_and_the_secret_is_not_shown_again(api):
    key = {"Idempotency-Key": "onboard-initech"}
    first = api.post("/v1/tenants", {"name": "Initech"}, key=OPERATOR_KEY, headers=key)
    again = api.post("/v1/tenants", {"name": "Initech"}, key=OPERATOR_KEY, headers=key)
    assert first.status == again.status == 201
    assert again.header("Idempotent-Replayed") == "true"
    assert again.body["tenant"] == first.body["tenant"]
    assert again.body["api_key"]["id"] == first.body["api_key"]["id"]
    assert again.body["api_key"]["key"] is None
    assert len(api.get("/v1/tenants", key=OPERATOR_KEY).body["data"]) == 1
    assert_problem(api.post("/v1/tenants", {"name": "Other"}, key=OPERATOR_KEY, headers=key), 422)


def test_given_tenants_when_the_operator_lists_and_reads_them_then_all_are_there_and_pages_work(
    api, tenant, other_tenant
):
    listed = api.get("/v1/tenants", key=OPERATOR_KEY)
    assert listed.status == 200
    assert {t["id"]: t["name"] for t in listed.body["data"]} == {tenant.id: "Acme", other_tenant.id: "Globex"}
    assert listed.body["next_cursor"] is None
    first = api.get("/v1/tenants?limit=1", key=OPERATOR_KEY).body
    second = api.get(f"/v1/tenants?limit=1&cursor={first['next_cursor']}", key=OPERATOR_KEY).body
    assert {first["data"][0]["id"], second["data"][0]["id"]} == {tenant.id, other_tenant.id}
    one = api.get(f"/v1/tenants/{tenant.id}", key=OPERATOR_KEY)
    assert (one.status, one.body) == (200, tenant.created["tenant"])
    assert_problem(api.get("/v1/tenants/01ARZ3NDEKTSV4RRFFQ69G5FAV", key=OPERATOR_KEY), 404)
    assert_problem(api.get("/v1/tenants?cursor=garbage", key=OPERATOR_KEY), 400)


# --- roles ------------------------------------------------------------------------------------------

CONTACT = "/v1/contacts/{contact}"
ROUTES = [
    ("GET", "/v1/contacts", None),
    ("GET", CONTACT, None),
    ("POST", "/v1/contacts", {"properties": {"first_name": "New"}}),
    ("PATCH", CONTACT, {"properties": {"first_name": "Changed"}}),
    ("DELETE", CONTACT, None),
    ("POST", "/v1/deals", {"properties": {"name": "D"}}),
    ("GET", "/v1/api-keys", None),
    ("POST", "/v1/api-keys", {"name": "k", "role": "read_only", "scopes": ["records:read"]}),
    ("DELETE", "/v1/api-keys/{key}", None),
    ("GET", "/v1/tenants", None),
    ("POST", "/v1/tenants", {"name": "Evil"}),
]
EXPECTED = {
    # GET list, GET one, POST, PATCH, DELETE, POST deal, GET keys, POST key, DELETE key, GET tenants, POST tenants
    "read_only": (200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403),
    "member": (200, 200, 201, 200, 204, 201, 403, 403, 403, 403, 403),
    "admin": (200, 200, 201, 200, 204, 201, 200, 201, 204, 403, 403),
    # The operator key has no usage plan, so the gateway refuses it on every tenant route (403).
    "operator": (403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 201),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_given_a_key_of_each_role_when_it_calls_every_route_then_only_its_grants_succeed(api, tenant, role):
    contact = api.post("/v1/contacts", {"properties": {"email": "ada@example.com"}}, key=tenant.key).body
    victim = _new_key(api, tenant.key, "read_only")
    caller = OPERATOR_KEY if role == "operator" else _new_key(api, tenant.key, role)["key"]
    for (method, path, body), status in zip(ROUTES, EXPECTED[role], strict=True):
        before = everything() if status == 403 else None
        reply = api.request(method, path.format(contact=contact["id"], key=victim["id"]), body, key=caller)
        if status == 403:
            assert_problem(reply, 403)
            assert everything() == before, (method, path)
        else:
            assert reply.status == status, (role, method, path, reply.body)


@pytest.mark.parametrize(
    ("scopes", "allowed", "denied"),
    [
        (["records:read"], ["GET /v1/contacts"], ["POST /v1/contacts", "GET /v1/api-keys"]),
        (["records:*"], ["GET /v1/contacts", "POST /v1/contacts"], ["GET /v1/api-keys", "POST /v1/api-keys"]),
        (["keys:read"], ["GET /v1/api-keys"], ["GET /v1/contacts", "POST /v1/api-keys"]),
        (["records:write"], ["POST /v1/contacts"], ["GET /v1/contacts"]),
    ],
)
def test_given_an_admin_key_with_scopes_when_it_calls_routes_then_the_scopes_narrow_it(
    api, tenant, scopes, allowed, denied
):
    narrowed = _new_key(api, tenant.key, "admin", scopes)
    assert narrowed["scopes"] == scopes
    bodies = {
        "POST /v1/contacts": {"properties": {"first_name": "A"}},
        "POST /v1/api-keys": {"name": "k", "role": "read_only"},
    }
    for route in allowed:
        method, path = route.split()
        assert api.request(method, path, bodies.get(route), key=narrowed["key"]).status in (200, 201), route
    for route in denied:
        method, path = route.split()
        assert_problem(api.request(method, path, bodies.get(route), key=narrowed["key"]), 403)


KEY_CREATION = [
    (["keys:write"], {"role": "admin"}, 403),  # a narrowed key must not mint an unscoped admin
    (["keys:write"], {"role": "member", "scopes": ["records:write"]}, 403),
    (["keys:*", "records:*"], {"role": "member"}, 403),  # a member could also use webhooks/workflows
    (["keys:*", "records:*"], {"role": "member", "scopes": ["records:*"]}, 201),
    (["keys:write"], {"role": "admin", "scopes": ["keys:write"]}, 201),
    (None, {"role": "admin"}, 201),
]


def test_given_a_key_when_it_creates_a_key_then_the_new_key_can_do_no_more_than_itself(api, tenant, unchanged):
    for caller_scopes, wanted, status in KEY_CREATION:
        creator = _new_key(api, tenant.key, "admin", caller_scopes)["key"] if caller_scopes else tenant.key
        if status == 403:
            with unchanged():
                reply = api.post("/v1/api-keys", {"name": "k", **wanted}, key=creator)
                assert reply.status == 403, (caller_scopes, wanted, reply.body)
                assert_problem(reply, 403)
        else:
            reply = api.post("/v1/api-keys", {"name": "k", **wanted}, key=creator)
            assert reply.status == 201, (caller_scopes, wanted, reply.body)


# --- keys -------------------------------------------------------------------------------------------


def test_given_an_admin_when_it_creates_and_lists_keys_then_the_secret_is_shown_once_and_never_listed(api, tenant):
    created = api.post("/v1/api-keys", {"name": "CI", "role": "member", "scopes": ["records:*"]}, key=tenant.key)
    assert created.status == 201
    new = created.body["api_key"]
    assert {k: new[k] for k in ("name", "role", "scopes", "revoked_at")} == {
        "name": "CI",
        "role": "member",
        "scopes": ["records:*"],
        "revoked_at": None,
    }
    assert created.header("Location") == f"/v1/api-keys/{new['id']}"
    assert new["created_by"] == tenant.created["api_key"]["id"]
    assert api.post("/v1/contacts", {"properties": {"first_name": "A"}}, key=new["key"]).status == 201

    listed = api.get("/v1/api-keys", key=tenant.key)
    assert listed.status == 200
    assert {k["id"] for k in listed.body["data"]} == {new["id"], tenant.created["api_key"]["id"]}
    text = json.dumps(listed.body)
    assert new["key"] not in text and tenant.key not in text
    assert all(
        set(k) == {"id", "name", "role", "scopes", "created_at", "revoked_at", "created_by"}
        for k in listed.body["data"]
    )
    stored = next(i for i in partition(f"T#{tenant.id}#K") if i["id"] == new["id"])
    assert new["key"] not in json.dumps(stored) and len(stored["digest"]) == 64

    first_page = api.get("/v1/api-keys?limit=1", key=tenant.key).body
    second_page = api.get(f"/v1/api-keys?limit=1&cursor={first_page['next_cursor']}", key=tenant.key).body
    assert {first_page["data"][0]["id"], second_page["data"][0]["id"]} == {new["id"], tenant.created["api_key"]["id"]}


def test_given_an_idempotency_key_when_key_creation_is_retried_then_one_key_and_no_second_secret(api, tenant):
    headers = {"Idempotency-Key": "make-ci-key"}
    first = api.post("/v1/api-keys", {"name": "CI"}, key=tenant.key, headers=headers)
    again = api.post("/v1/api-keys", {"name": "CI"}, key=tenant.key, headers=headers)
    assert (first.status, again.status, again.header("Idempotent-Replayed")) == (201, 201, "true")
    assert again.body["api_key"]["id"] == first.body["api_key"]["id"]
    assert again.body["api_key"]["key"] is None
    assert len(partition(f"T#{tenant.id}#K")) == 2


INVALID_KEYS = [
    ({"role": "member"}, "/name"),
    ({"name": "k", "role": "operator"}, "/role"),
    ({"name": "k", "role": "owner"}, "/role"),
    ({"name": "k", "scopes": ["records:delete"]}, "/scopes"),
    ({"name": "k", "scopes": ["records"]}, "/scopes"),
    ({"name": "k", "scopes": ["everything:*"]}, "/scopes"),
    ({"name": "k", "scopes": "records:read"}, "/scopes"),
    ({"name": "k", "tenant_id": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}, "/tenant_id"),
]


def test_given_an_invalid_key_request_when_sent_then_422_with_pointer(api, tenant, unchanged):
    with unchanged():
        for body, pointer in INVALID_KEYS:
            reply = api.post("/v1/api-keys", body, key=tenant.key)
            assert reply.status == 422, (body, reply.body)
            assert_problem(reply, 422, pointer)


def test_given_a_key_when_revoked_then_it_is_refused_at_once_and_listed_as_revoked(api, tenant):
    member = _new_key(api, tenant.key, "member")
    assert api.get("/v1/contacts", key=member["key"]).status == 200
    reply = api.delete(f"/v1/api-keys/{member['id'].lower()}", key=tenant.key)
    assert (reply.status, reply.body) == (204, None)
    for method, path in (("GET", "/v1/contacts"), ("POST", "/v1/contacts"), ("GET", "/v1/health")):
        got = api.request(
            method, path, {"properties": {"first_name": "x"}} if method == "POST" else None, key=member["key"]
        )
        if path == "/v1/health":
            assert got.status == 200
        else:
            assert_problem(got, 401)
    listed = {k["id"]: k for k in api.get("/v1/api-keys", key=tenant.key).body["data"]}
    assert listed[member["id"]]["revoked_at"] is not None
    assert api.delete(f"/v1/api-keys/{member['id']}", key=tenant.key).status == 204  # revoking again is a no-op


def test_given_a_key_id_that_does_not_exist_when_revoked_then_404(api, tenant, unchanged):
    with unchanged():
        for key_id in ("01ARZ3NDEKTSV4RRFFQ69G5FAV", "not-a-key", "%20", " "):
            assert_problem(api.delete(f"/v1/api-keys/{key_id}", key=tenant.key), 404)


def test_given_an_admin_key_when_it_revokes_itself_then_409_and_it_still_works(api, tenant, unchanged):
    with unchanged():
        assert_problem(api.delete(f"/v1/api-keys/{tenant.created['api_key']['id']}", key=tenant.key), 409)
    assert api.get("/v1/api-keys", key=tenant.key).status == 200
    second = _new_key(api, tenant.key, "admin")
    assert api.delete(f"/v1/api-keys/{tenant.created['api_key']['id']}", key=second["key"]).status == 204
    assert_problem(api.get("/v1/contacts", key=tenant.key), 401)


# --- authentication ---------------------------------------------------------------------------------


def _authorization_headers(tenant, other_tenant) -> list[str | None]:
    key = tenant.key
    prefix, secret = key[:-43], key[-43:]
    key_id = tenant.created["api_key"]["id"]
    return [
        None,
        "",
        "Bearer",
        "Bearer ",
        f"Basic {key}",
        key,  # no scheme
        "Bearer garbage",
        f"Bearer {key[:-1]}{'A' if key[-1] != 'A' else 'B'}",  # wrong secret
        f"Bearer {prefix}{secret[::-1]}",
        f"Bearer {key} extra",
        f"Bearer crm_{other_tenant.id}_{key_id}_{secret}",  # a key moved to another tenant
        f"Bearer {OPERATOR_KEY}x",
        f"Bearer {key.lower()}",
    ]


def test_given_a_missing_or_invalid_authorization_when_a_route_is_called_then_401_problem_json(
    api, tenant, other_tenant, unchanged
):
    with unchanged():
        for authorization in _authorization_headers(tenant, other_tenant):
            headers = {} if authorization is None else {"Authorization": authorization}
            for method, path in (("GET", "/v1/contacts"), ("POST", "/v1/api-keys"), ("GET", "/v1/tenants")):
                reply = api.request(method, path, {"name": "x"} if method == "POST" else None, headers=headers)
                assert reply.status == 401, (authorization, method, path, reply.body)
                assert_problem(reply, 401)


def test_given_a_valid_key_with_any_scheme_case_when_a_route_is_called_then_it_is_accepted(api, tenant):
    assert api.get("/v1/contacts", headers={"authorization": f"bearer {tenant.key}"}).status == 200
    assert api.get("/v1/contacts", headers={"Authorization": f"  BEARER  {tenant.key}  "}).status == 200


# --- the tenant's default region --------------------------------------------------------------------


REGIONAL_PHONES = [
    ("GB", "020 7946 0018", "+442079460018"),
    ("GB", "+1 (415) 555-2671", "+14155552671"),
    ("DE", "030 123456", "+4930123456"),
    ("US", "(415) 555-2671", "+14155552671"),
    ("US", "020 7946 0018", None),
]


def test_given_a_tenant_default_region_when_a_phone_without_country_code_is_saved_then_it_is_read_in_that_region(api):
    tenants = {region: api.new_tenant(f"Regional {region}", default_region=region) for region in ("GB", "DE", "US")}
    for region, tenant in tenants.items():
        assert tenant.created["tenant"]["default_region"] == region
    for region, phone, expected in REGIONAL_PHONES:
        reply = api.post("/v1/contacts", {"properties": {"phone": phone}}, key=tenants[region].key)
        if expected:
            assert (reply.status, reply.body["properties"]["phone"]) == (201, expected), (region, phone)
        else:
            problem = assert_problem(reply, 422, "/properties/phone")
            assert "read as US" in problem["errors"][0]["detail"]
