"""Cross-tenant isolation: tenant B tries every route with tenant A's ids, cursors, unique values,
references and idempotency keys, and gets 404/400/422/empty answers — never A's data — while A's
items stay exactly as they were."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support.problems import assert_problem
from tests.support.table import tenant_items

PATCHES = {
    "contacts": {"first_name": "Mallory"},
    "companies": {"name": "Mallory Inc"},
    "deals": {"amount": 1},
}


@dataclass
class World:
    a: Any
    b: Any
    ids: dict[str, str]
    cursors: dict[str, str]
    secrets: list[str]  # A's values that must never appear in an answer to B


def _create(api, key: str, collection: str, properties: dict[str, Any], **kw: Any) -> str:
    reply = api.post(f"/v1/{collection}", {"properties": properties}, key=key, **kw)
    assert reply.status == 201, reply.body
    return reply.body["id"]


@pytest.fixture
def world(api, tenant, other_tenant, tick) -> World:
    a = tenant
    ids = {"contacts": _create(api, a.key, "contacts", {"email": "ada@acme.example", "first_name": "Ada"})}
    tick()
    ids["archived"] = _create(api, a.key, "contacts", {"email": "gone@acme.example"})
    assert api.delete(f"/v1/contacts/{ids['archived']}", key=a.key).status == 204
    ids["companies"] = _create(api, a.key, "companies", {"name": "Acme", "domain": "acme.example"})
    tick()
    _create(api, a.key, "companies", {"name": "Acme Labs"})
    ids["deals"] = _create(
        api, a.key, "deals", {"name": "Secret deal", "contact_ids": [ids["contacts"]], "company_id": ids["companies"]}
    )
    tick()
    _create(api, a.key, "deals", {"name": "Other deal"})
    workflow = {
        "name": "Secret flow",
        "object": "contact",
        "trigger": {"event": "manual"},
        "steps": [{"id": "end", "type": "stop"}],
    }
    ids["workflow"] = api.post("/v1/workflows", workflow, key=a.key).body["id"]
    tick()
    assert api.post("/v1/workflows", {**workflow, "enabled": False}, key=a.key).status == 201
    member = api.post("/v1/api-keys", {"name": "A member", "role": "member"}, key=a.key).body["api_key"]
    ids["key"], ids["admin_key"] = member["id"], a.created["api_key"]["id"]
    cursors = {
        "/v1/contacts?archived=true": api.get("/v1/contacts?archived=true&limit=1", key=a.key).body["next_cursor"],
        "/v1/companies?": api.get("/v1/companies?limit=1", key=a.key).body["next_cursor"],
        "/v1/deals?": api.get("/v1/deals?limit=1", key=a.key).body["next_cursor"],
        "/v1/api-keys?": api.get("/v1/api-keys?limit=1", key=a.key).body["next_cursor"],
        "/v1/objects/deals?": api.get("/v1/objects/deals?limit=1", key=a.key).body["next_cursor"],
        "/v1/workflows?": api.get("/v1/workflows?limit=1", key=a.key).body["next_cursor"],
    }
    assert all(cursors.values())
    # (A's record ids may come back in a 404's detail: B sent them.)
    secrets = [a.id, a.key, "ada@acme.example", "gone@acme.example", "acme.example", "Secret deal", "Acme", "Ada"]
    secrets += ["Secret flow"]
    return World(a, other_tenant, ids, cursors, secrets)


def _assert_nothing_of_a(world: World, reply: Any) -> None:
    text = json.dumps(reply.body) + json.dumps(reply.headers)
    leaked = [s for s in world.secrets if s in text]
    assert not leaked, (leaked, reply.body)


ATTACKS = [
    *(
        (method, f"{root}/{collection}/{{{collection}}}{suffix}", body, headers)
        for root in ("/v1", "/v1/objects")  # every record route is reachable both ways
        for collection in ("contacts", "companies", "deals")
        for method, suffix, body, headers in (
            ("GET", "", None, None),
            ("GET", "?archived=true", None, None),
            ("PATCH", "", {"properties": PATCHES[collection]}, None),
            ("PATCH", "", {"properties": PATCHES[collection]}, {"If-Match": "*"}),
            ("PATCH", "", {"properties": PATCHES[collection]}, {"If-Match": '"1"'}),
            ("PATCH", "", {"properties": {}}, None),
            ("DELETE", "", None, None),
            ("DELETE", "", None, {"If-Match": '"1"'}),
            ("POST", "/restore", None, None),
        )
    ),
    ("GET", "/v1/contacts/{archived}?archived=true", None, None),
    ("POST", "/v1/contacts/{archived}/restore", None, None),
    ("DELETE", "/v1/api-keys/{key}", None, None),
    ("DELETE", "/v1/api-keys/{admin_key}", None, None),
    # ids of one type under another collection of the same tenant are just as unknown
    ("GET", "/v1/deals/{contacts}", None, None),
    ("GET", "/v1/workflows/{workflow}", None, None),
    ("PATCH", "/v1/workflows/{workflow}", {"enabled": True}, None),
    ("PATCH", "/v1/workflows/{workflow}", {"name": "Mallory"}, {"If-Match": '"1"'}),
    ("DELETE", "/v1/workflows/{workflow}", None, None),
    ("DELETE", "/v1/workflows/{workflow}", None, {"If-Match": '"1"'}),
    ("GET", "/v1/workflows/{workflow}/versions", None, None),
    ("GET", "/v1/workflows/{workflow}/versions/1", None, None),
    ("GET", "/v1/workflows/{contacts}", None, None),
]


def test_given_tenant_a_ids_when_tenant_b_uses_them_on_every_route_then_404_and_a_is_unchanged(api, world):
    a_before, b_before = tenant_items(world.a.id), tenant_items(world.b.id)
    for method, path, body, headers in ATTACKS:
        route = (method, path, headers)
        reply = api.request(method, path.format(**world.ids), body, key=world.b.key, headers=headers)
        assert reply.status == 404, (route, reply.body)
        assert_problem(reply, 404)
        _assert_nothing_of_a(world, reply)
        assert tenant_items(world.a.id) == a_before, route
    assert tenant_items(world.b.id) == b_before  # not even an event or a guard in B's partition
    # ... and A still reads its data, intact, and still owns its key
    contact = api.get(f"/v1/contacts/{world.ids['contacts']}", key=world.a.key).body
    assert (contact["version"], contact["properties"]) == (1, {"email": "ada@acme.example", "first_name": "Ada"})
    deal = api.get(f"/v1/deals/{world.ids['deals']}", key=world.a.key).body
    assert deal["properties"]["contact_ids"] == [world.ids["contacts"]]
    assert api.get(f"/v1/contacts/{world.ids['archived']}?archived=true", key=world.a.key).body["archived_at"]
    assert api.delete(f"/v1/api-keys/{world.ids['key']}", key=world.a.key).status == 204


def test_given_tenant_a_ids_when_tenant_b_names_them_in_batch_writes_then_each_input_is_a_404_and_a_is_unchanged(
    api, world
):
    from tests.integration.contacts.test_batch import CROSS_TENANT_ROUTES as BATCH_ROUTES
    from tests.integration.contacts.test_batch import fill

    a_before, b_before = tenant_items(world.a.id), tenant_items(world.b.id)
    for method, path, body in BATCH_ROUTES:
        reply = api.request(method, path, fill(body, world.ids), key=world.b.key)
        assert reply.status == 200, (path, reply.body)
        for result in reply.body["results"]:
            assert (result["status"], result["problem"]["status"]) == (404, 404), (path, result)
        _assert_nothing_of_a(world, reply)
        assert tenant_items(world.a.id) == a_before, (path, body)
    assert tenant_items(world.b.id) == b_before


def test_given_tenant_a_cursors_when_tenant_b_pages_with_them_then_400(api, world):
    for path, cursor in world.cursors.items():
        separator = "" if path.endswith("?") else "&"
        reply = api.get(f"{path}{separator}cursor={cursor}", key=world.b.key)
        assert reply.status == 400, (path, reply.body)
        assert assert_problem(reply, 400)["type"].endswith("/invalid-cursor")
        _assert_nothing_of_a(world, reply)
        # ... while A itself can use them
        assert api.get(f"{path}{separator}cursor={cursor}", key=world.a.key).status == 200


LISTS_AND_LOOKUPS = [
    "/v1/contacts",
    "/v1/contacts?archived=true",
    "/v1/contacts?email=ada@acme.example",
    "/v1/contacts?email=gone@acme.example",
    "/v1/companies",
    "/v1/companies?archived=true&limit=100",
    "/v1/companies?domain=acme.example",
    "/v1/companies?domain=https://www.acme.example/",
    "/v1/deals",
    "/v1/deals?archived=true",
    "/v1/objects/contacts",
    "/v1/objects/contacts?email=ada@acme.example",
    "/v1/objects/companies?domain=acme.example",
    "/v1/objects/deals?archived=true",
    "/v1/workflows",
    "/v1/workflows?enabled=false",
]


def test_given_tenant_a_data_when_tenant_b_lists_or_looks_up_then_b_sees_nothing(api, world):
    for path in LISTS_AND_LOOKUPS:
        reply = api.get(path, key=world.b.key)
        assert (reply.status, reply.body) == (200, {"data": [], "next_cursor": None}), path
        if "gone@" not in path:  # (an archived contact's email is free, for A too)
            assert api.get(path, key=world.a.key).body["data"], path  # where A does see its data
    # the tenant comes only from the key: naming A anywhere else changes nothing
    spoof = {"X-Tenant-Id": world.a.id, "X-Amzn-Authorizer-Tenant-Id": world.a.id}
    reply = api.get(f"/v1/contacts?tenant_id={world.a.id}", key=world.b.key, headers=spoof)
    assert (reply.status, reply.body) == (200, {"data": [], "next_cursor": None})


def test_given_tenant_a_keys_when_tenant_b_lists_keys_then_only_b_keys_are_listed(api, world):
    reply = api.get("/v1/api-keys", key=world.b.key)
    assert [k["id"] for k in reply.body["data"]] == [world.b.created["api_key"]["id"]]
    _assert_nothing_of_a(world, reply)


REFERENCES = [
    ("deals", {"name": "D", "contact_ids": ["{contacts}"]}, "/properties/contact_ids"),
    ("deals", {"name": "D", "company_id": "{companies}"}, "/properties/company_id"),
    ("contacts", {"email": "m@b.example", "company_id": "{companies}"}, "/properties/company_id"),
]
ROOTS = ("/v1", "/v1/objects")


@pytest.mark.parametrize("root", ROOTS)
@pytest.mark.parametrize(("collection", "properties", "pointer"), REFERENCES)
def test_given_tenant_a_records_when_tenant_b_refers_to_them_then_422_with_pointer_and_nothing_written(
    api, world, unchanged, root, collection, properties, pointer
):
    filled = {
        k: [v.format(**world.ids) for v in value] if isinstance(value, list) else value.format(**world.ids)
        for k, value in properties.items()
    }
    own = _create(api, world.b.key, collection, {"name": "Own"} if collection == "deals" else {"first_name": "Own"})
    with unchanged():
        create = api.post(f"{root}/{collection}", {"properties": filled}, key=world.b.key)
        assert_problem(create, 422, pointer)
        patch = {k: v for k, v in filled.items() if k not in ("name", "email")}
        update = api.patch(f"{root}/{collection}/{own}", {"properties": patch}, key=world.b.key)
        assert_problem(update, 422, pointer)
    _assert_nothing_of_a(world, create)
    _assert_nothing_of_a(world, update)


def test_given_tenant_a_unique_values_when_tenant_b_uses_them_then_b_has_its_own_and_a_keeps_its(api, world):
    b_contact = _create(api, world.b.key, "contacts", {"email": "ADA@acme.example"})
    b_company = _create(api, world.b.key, "companies", {"domain": "www.acme.example"})
    assert b_contact != world.ids["contacts"] and b_company != world.ids["companies"]
    for key, contact, company in (
        (world.a.key, world.ids["contacts"], world.ids["companies"]),
        (world.b.key, b_contact, b_company),
    ):
        assert [r["id"] for r in api.get("/v1/contacts?email=ada@acme.example", key=key).body["data"]] == [contact]
        assert [r["id"] for r in api.get("/v1/companies?domain=acme.example", key=key).body["data"]] == [company]


@pytest.mark.parametrize("same_body", [True, False])
def test_given_an_idempotency_key_used_by_tenant_a_when_tenant_b_uses_it_then_b_gets_its_own_write(
    api, world, same_body
):
    headers = {"Idempotency-Key": "shared-key"}
    a_body = {"properties": {"name": "Shared name"}}
    a_first = api.post("/v1/companies", a_body, key=world.a.key, headers=headers)
    assert a_first.status == 201
    b_body = a_body if same_body else {"properties": {"name": "B's own"}}
    b_reply = api.post("/v1/companies", b_body, key=world.b.key, headers=headers)
    assert (b_reply.status, b_reply.header("Idempotent-Replayed")) == (201, None)
    assert b_reply.body["id"] != a_first.body["id"]
    assert api.get(f"/v1/companies/{b_reply.body['id']}", key=world.b.key).status == 200
    assert_problem(api.get(f"/v1/companies/{b_reply.body['id']}", key=world.a.key), 404)
    a_again = api.post("/v1/companies", a_body, key=world.a.key, headers=headers)
    assert (a_again.body, a_again.header("Idempotent-Replayed")) == (a_first.body, "true")
    b_again = api.post("/v1/companies", b_body, key=world.b.key, headers=headers)
    assert (b_again.body, b_again.header("Idempotent-Replayed")) == (b_reply.body, "true")


def test_given_tenant_b_admin_key_when_it_calls_operator_routes_for_tenant_a_then_403(api, world, unchanged):
    with unchanged():
        for method, path in (("GET", f"/v1/tenants/{world.a.id}"), ("GET", "/v1/tenants"), ("POST", "/v1/tenants")):
            reply = api.request(method, path, {"name": "x"} if method == "POST" else None, key=world.b.key)
            assert_problem(reply, 403)
            _assert_nothing_of_a(world, reply)


# Routes that name an id but are the operator's, not a tenant's: tenant keys get 403 there (above).
OPERATOR_ROUTES = {("GET", "/tenants/{tenant_id}")}
# Routes that name an id yet read no tenant's data: the same answer for every id (a CORS preflight).
NO_TENANT_DATA = {("OPTIONS", "/forms/{form_id}/submissions")}


def test_given_the_openapi_document_then_every_route_naming_an_id_is_attacked_across_tenants(api):
    """New routes join the cross-tenant suites by construction: this fails until they do."""
    import re

    from tests.integration.activity.test_events import CROSS_TENANT_ROUTES as ACTIVITY_ROUTES
    from tests.integration.contacts.test_associations import CROSS_TENANT_ROUTES as ASSOCIATION_ROUTES
    from tests.integration.forms.test_forms import CROSS_TENANT_ROUTES as FORM_ROUTES
    from tests.integration.schemas.test_pipelines import CROSS_TENANT_ROUTES as PIPELINE_ROUTES
    from tests.integration.schemas.test_schemas import CROSS_TENANT_ROUTES as SCHEMA_ROUTES
    from tests.integration.search.test_search import CROSS_TENANT_ROUTES as SEARCH_ROUTES
    from tests.integration.webhooks.test_webhooks import CROSS_TENANT_ROUTES
    from tests.integration.workflows.test_runs import CROSS_TENANT_ROUTES as RUN_ROUTES

    attacked = [(m, p) for m, p, _, _ in ATTACKS] + [
        (m, p) for m, p, _ in (*CROSS_TENANT_ROUTES, *RUN_ROUTES, *FORM_ROUTES)
    ]
    attacked += [(m, p) for m, p, _ in (*ACTIVITY_ROUTES, *SCHEMA_ROUTES, *PIPELINE_ROUTES, *ASSOCIATION_ROUTES)]
    attacked += [("GET", p) for p in LISTS_AND_LOOKUPS]  # lists and lookups B makes with A's values
    attacked += [(m, p) for m, p, _ in SEARCH_ROUTES]  # searches B makes with A's values, ids and collections
    attacked += [("POST", f"{root}/{c}") for root in ROOTS for c, _, _ in REFERENCES]  # creates naming A's ids
    concrete = [(m, re.sub(r"\{[^}]+\}", "X", p.split("?")[0]).removeprefix("/v1")) for m, p in attacked]
    document = api.get("/v1/openapi.json").body
    missing = []
    for template, operations in document["paths"].items():
        if "{" not in template:
            continue
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
        for method in operations:
            route = (method.upper(), template)
            if route in OPERATOR_ROUTES | NO_TENANT_DATA:
                continue
            if not any(m == method.upper() and pattern.match(path) for m, path in concrete):
                missing.append(route)
    assert missing == []
