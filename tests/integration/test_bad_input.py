"""Bad input of every kind gets the right 4xx application/problem+json — with a JSON pointer where a
field is at fault — never a 500, and a failed write leaves nothing behind (no record, no event)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import OPERATOR_KEY
from tests.support.problems import assert_problem
from tests.support.table import everything

VALID = {
    "contacts": {"email": "ada@example.com"},
    "companies": {"name": "Acme"},
    "deals": {"name": "Deal"},
}


@pytest.fixture
def existing(api, tenant) -> dict[str, str]:
    """One active record per collection, so PATCH can be tried on each."""
    ids = {}
    for collection, properties in VALID.items():
        reply = api.post(f"/v1/{collection}", {"properties": properties}, key=tenant.key)
        assert reply.status == 201
        ids[collection] = reply.body["id"]
    return ids


# --- bodies that are not JSON objects ---------------------------------------------------------------


NOT_JSON = [
    b"{",
    b'{"properties": }',
    b"{'properties': {}}",
    b'{"properties": {"email": "a@b.co"}',
    b'{"properties": {"email": "a@b.co"}} trailing',
    b"\xff\xfe{}",  # not UTF-8
    '\ufeff{"properties": {"first_name": "x"}}'.encode(),  # a byte order mark
    b'{"properties": {"first_name": "\\ud800"}}',  # a lone surrogate
    b'{"properties": {"first_name": ' + b"[" * 10_000 + b"]" * 10_000 + b"}}",  # nested too deep
    b'{"properties": {"name": "x", "amount": ' + b"9" * 5000 + b"}}",  # too many digits for Python
    b"<xml/>",
    b"properties=x",
]


def test_given_a_body_that_is_not_valid_json_when_written_then_400_malformed_json(api, tenant, existing, unchanged):
    with unchanged():
        for raw in NOT_JSON:
            for method, path in (("POST", "/v1/contacts"), ("PATCH", f"/v1/contacts/{existing['contacts']}")):
                reply = api.request(method, path, key=tenant.key, raw=raw)
                assert reply.status == 400, (method, raw[:50], reply.body)
                assert assert_problem(reply, 400)["type"].endswith("/malformed-json")


def test_given_json_that_is_not_an_object_when_posted_then_422_pointing_at_the_root(api, tenant, unchanged):
    with unchanged():
        for raw in (
            b"[]",
            b'[{"properties": {}}]',
            b'[{"name": "x"}, 1]',
            b'"x"',
            b"42",
            b"3.5",
            b"true",
            b"null",
            b"",
        ):
            for path in ("/v1/contacts", "/v1/deals", "/v1/api-keys", "/v1/tenants"):
                reply = api.post(path, key=OPERATOR_KEY if path == "/v1/tenants" else tenant.key, raw=raw)
                assert reply.status == 422, (raw, path, reply.body)
                assert_problem(reply, 422, "/")


TOP_LEVEL = [
    ({}, ["/properties"]),
    ({"properties": []}, ["/properties"]),
    ({"properties": "email=a@b.co"}, ["/properties"]),
    ({"properties": None}, ["/properties"]),
    ({"properties": 1}, ["/properties"]),
    ({"properties": {"email": "a@b.co"}, "id": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}, ["/id"]),
    ({"properties": {"email": "a@b.co"}, "version": 7}, ["/version"]),
    ({"properties": {"email": "a@b.co"}, "tenant_id": "x", "object": "deal"}, ["/tenant_id", "/object"]),
    ({"email": "a@b.co"}, ["/properties", "/email"]),
]


def test_given_a_body_with_wrong_or_unknown_top_level_fields_when_written_then_422_with_pointers(
    api, tenant, existing, unchanged
):
    with unchanged():
        for body, pointers in TOP_LEVEL:
            for method, path in (("POST", "/v1/contacts"), ("PATCH", f"/v1/contacts/{existing['contacts']}")):
                reply = api.request(method, path, body, key=tenant.key)
                assert reply.status == 422, (method, body, reply.body)
                assert_problem(reply, 422, *pointers)


def test_given_a_body_over_the_limit_when_posted_then_413_and_nothing_written(api, tenant, unchanged):
    megabyte = json.dumps({"properties": {"first_name": "a" * (1024 * 1024)}}).encode()
    just_over = json.dumps({"properties": {"first_name": "a" * (256 * 1024)}}).encode()
    with unchanged():
        for raw in (megabyte, just_over):
            assert assert_problem(api.post("/v1/contacts", key=tenant.key, raw=raw), 413)["type"].endswith(
                "/payload-too-large"
            )
        assert_problem(api.post("/v1/api-keys", key=tenant.key, raw=megabyte), 413)


# --- properties -------------------------------------------------------------------------------------

WRONG_VALUES = [
    ("contacts", "email", 5),
    ("contacts", "email", ["ada@example.com"]),
    ("contacts", "email", "not-an-email"),
    ("contacts", "email", "ada@example"),
    ("contacts", "email", "ada @example.com"),
    ("contacts", "email", "a" * 300 + "@example.com"),
    ("contacts", "phone", 4155552671),
    ("contacts", "phone", "call me"),
    ("contacts", "phone", "+1 555"),
    ("contacts", "lifecycle_stage", "vip"),
    ("contacts", "lifecycle_stage", 3),
    ("contacts", "first_name", 7),
    ("contacts", "first_name", ""),
    ("contacts", "first_name", "   "),
    ("contacts", "first_name", "x" * 201),
    ("contacts", "first_name", {"given": "Ada"}),
    ("contacts", "owner", True),
    ("contacts", "company_id", "not-an-id"),
    ("companies", "name", ["Acme"]),
    ("companies", "name", "x" * 501),
    ("companies", "domain", "not a domain"),
    ("companies", "domain", "localhost"),
    ("companies", "domain", 42),
    ("deals", "name", None),  # on create: required
    ("deals", "amount", "lots"),
    ("deals", "amount", True),
    ("deals", "amount", -1),
    ("deals", "amount", 1e21),
    ("deals", "amount", 0.1234567),
    ("deals", "amount", [1]),
    ("deals", "currency", "XYZ"),
    ("deals", "currency", "dollars"),
    ("deals", "currency", 978),
    ("deals", "stage", 1),
    ("deals", "close_date", "2026-02-30"),
    ("deals", "close_date", "next friday"),
    ("deals", "close_date", 20260101),
    ("deals", "contact_ids", "01ARZ3NDEKTSV4RRFFQ69G5FAV"),
    ("deals", "contact_ids", ["nope"]),
    ("deals", "contact_ids", [1]),
    ("deals", "contact_ids", ["01ARZ3NDEKTSV4RRFFQ69G5FAV"] * 51),
    ("deals", "company_id", ["01ARZ3NDEKTSV4RRFFQ69G5FAV"]),
]


@pytest.mark.parametrize("collection", ["contacts", "companies", "deals"])
def test_given_a_wrong_value_for_a_property_when_created_or_patched_then_422_pointing_at_it(
    api, tenant, existing, unchanged, collection
):
    with unchanged():
        for name, value in [(n, v) for c, n, v in WRONG_VALUES if c == collection]:
            base = {"name": "Deal"} if collection == "deals" and name != "name" else {}
            if collection == "contacts" and name != "email":
                base = {"email": "new@example.com"}
            created = api.post(f"/v1/{collection}", {"properties": {**base, name: value}}, key=tenant.key)
            assert created.status == 422, (name, value, created.body)
            assert_problem(created, 422, f"/properties/{name}")
            if value is not None:
                path = f"/v1/{collection}/{existing[collection]}"
                patched = api.patch(path, {"properties": {name: value}}, key=tenant.key)
                assert patched.status == 422, (name, value, patched.body)
                assert_problem(patched, 422, f"/properties/{name}")


def test_given_many_wrong_properties_when_created_then_every_error_is_reported_at_once(api, tenant, unchanged):
    body = {
        "properties": {
            "amount": -5,
            "currency": "ABC",
            "close_date": "someday",
            "colour": "red",
            "contact_ids": "x",
            "a/b~c": 1,
        }
    }
    with unchanged():
        problem = assert_problem(
            api.post("/v1/deals", body, key=tenant.key),
            422,
            "/properties/amount",
            "/properties/currency",
            "/properties/close_date",
            "/properties/colour",
            "/properties/contact_ids",
            "/properties/a~1b~0c",
            "/properties/name",
        )
    assert problem["type"].endswith("/validation-failed")


UNKNOWN_OR_MISSING = [
    ("contacts", {"email": "a@b.co", "favourite_colour": "blue"}, ["/properties/favourite_colour"]),
    ("contacts", {"Email": "a@b.co"}, ["/properties/Email", "/properties"]),
    ("contacts", {"id": "x", "version": 2}, ["/properties/id", "/properties/version", "/properties"]),
    ("companies", {"name": "Acme", "amount": 5}, ["/properties/amount"]),
    ("deals", {"name": "D", "email": "a@b.co"}, ["/properties/email"]),
    ("deals", {"name": "D", "ünïcode/prop": 1}, ["/properties/ünïcode~1prop"]),
    ("contacts", {}, ["/properties"]),
    ("contacts", {"owner": "me"}, ["/properties"]),  # no identifying property
    ("companies", {"industry": "Software"}, ["/properties"]),
    ("deals", {}, ["/properties/name"]),
]


def test_given_unknown_or_missing_properties_when_created_then_422_with_pointers(api, tenant, unchanged):
    with unchanged():
        for collection, properties, pointers in UNKNOWN_OR_MISSING:
            reply = api.post(f"/v1/{collection}", {"properties": properties}, key=tenant.key)
            assert reply.status == 422, (collection, properties, reply.body)
            assert_problem(reply, 422, *pointers)


def test_given_text_at_and_over_its_maximum_length_when_created_then_only_the_longer_is_refused(api, tenant):
    limits = [
        ("contacts", "first_name", 200),
        ("contacts", "owner", 256),
        ("companies", "name", 500),
        ("deals", "stage", 100),
    ]
    for n, (collection, name, longest) in enumerate(limits):
        base = {"name": "D"} if collection == "deals" else {"email": f"{n}@b.co"} if collection == "contacts" else {}
        ok = api.post(f"/v1/{collection}", {"properties": {**base, name: "é" * longest}}, key=tenant.key)
        assert ok.status == 201 and ok.body["properties"][name] == "é" * longest, (name, ok.body)
        too_long = {**base, name: "é" * (longest + 1)}
        assert_problem(
            api.post(f"/v1/{collection}", {"properties": too_long}, key=tenant.key), 422, f"/properties/{name}"
        )


# --- query strings, ids and headers -----------------------------------------------------------------


LIST_PARAMETERS = [
    ("limit=0", "/query/limit"),
    ("limit=101", "/query/limit"),
    ("limit=abc", "/query/limit"),
    ("limit=-1", "/query/limit"),
    ("limit=1.5", "/query/limit"),
    ("limit=", "/query/limit"),
    ("archived=maybe", "/query/archived"),
    ("cursor=" + "A" * 2049, "/query/cursor"),
]


def test_given_a_bad_list_parameter_when_listing_then_422_pointing_at_it(api, tenant):
    for query, pointer in LIST_PARAMETERS:
        for collection in ("contacts", "companies", "deals"):
            assert_problem(api.get(f"/v1/{collection}?{query}", key=tenant.key), 422, pointer)
        if "limit" in query:
            assert_problem(api.get(f"/v1/api-keys?{query}", key=tenant.key), 422, pointer)
            assert_problem(api.get(f"/v1/tenants?{query}", key=OPERATOR_KEY), 422, pointer)


def test_given_a_garbage_cursor_when_listing_then_400_invalid_cursor(api, tenant):
    for cursor in ("garbage", "%%%", "eyJvIjoxfQ", "A", "e30"):
        for path in ("/v1/contacts", "/v1/deals?archived=true&", "/v1/api-keys"):
            url = f"{path}{'' if path.endswith('&') else '?'}cursor={cursor}"
            assert assert_problem(api.get(url, key=tenant.key), 400)["type"].endswith("/invalid-cursor"), url
        assert_problem(api.get(f"/v1/tenants?cursor={cursor}", key=OPERATOR_KEY), 400)


def test_given_an_invalid_lookup_value_when_listing_then_422_pointing_at_the_query(api, tenant):
    for query in ("email=not-an-email", "email=", "email=a@localhost", "email=%20"):
        assert_problem(api.get(f"/v1/contacts?{query}", key=tenant.key), 422, "/query/email")
    for query in ("domain=not%20a%20domain", "domain=", "domain=localhost"):
        assert_problem(api.get(f"/v1/companies?{query}", key=tenant.key), 422, "/query/domain")


RECORD_ROUTES = [
    ("GET", "", None),
    ("PATCH", "", {"properties": {"name": "x"}}),
    ("DELETE", "", None),
    ("POST", "/restore", None),
]


def test_given_an_id_that_is_not_a_ulid_when_used_then_404(api, tenant, unchanged):
    with unchanged():
        for record_id in ("not-an-id", "%20", " ", "   ", "a%23b", "0" * 26, "..", "'%20OR%201=1", "🚀"):
            for method, suffix, body in RECORD_ROUTES:
                reply = api.request(method, f"/v1/companies/{record_id}{suffix}", body, key=tenant.key)
                assert reply.status == 404, (record_id, method, suffix, reply.body)
                assert_problem(reply, 404)
            assert_problem(api.delete(f"/v1/api-keys/{record_id}", key=tenant.key), 404)


def test_given_an_id_longer_than_any_id_when_used_then_422_pointing_at_the_path(api, tenant, unchanged):
    with unchanged():
        for method, suffix, body in RECORD_ROUTES:
            reply = api.request(method, f"/v1/companies/{'A' * 65}{suffix}", body, key=tenant.key)
            assert_problem(reply, 422, "/path/record_id")


def test_given_an_invalid_idempotency_key_when_writing_then_400_and_nothing_written(api, tenant, existing, unchanged):
    contact = f"/v1/contacts/{existing['contacts']}"
    body = {"properties": {"first_name": "A"}}
    writes = [
        ("POST", "/v1/contacts", body),
        ("PATCH", contact, body),
        ("DELETE", contact, None),
        ("POST", f"{contact}/restore", None),
        ("POST", "/v1/api-keys", {"name": "k"}),
    ]
    with unchanged():
        for idempotency_key in ("", " ", "has space", "ünïcode", "x" * 256):
            for method, path, sent in writes:
                reply = api.request(method, path, sent, key=tenant.key, headers={"Idempotency-Key": idempotency_key})
                assert reply.status == 400, (idempotency_key, method, path, reply.body)
                assert_problem(reply, 400)


UNKNOWN_ROUTES = [
    ("PUT", "/v1/contacts", 405),
    ("PUT", "/v1/contacts/01ARZ3NDEKTSV4RRFFQ69G5FAV", 405),
    ("PATCH", "/v1/contacts", 405),
    ("DELETE", "/v1/contacts", 405),
    ("GET", "/v1/contacts/01ARZ3NDEKTSV4RRFFQ69G5FAV/restore", 405),
    ("GET", "/v1/contacts/01ARZ3NDEKTSV4RRFFQ69G5FAV/nothing", 404),
    ("GET", "/v1/contactz", 404),
    ("GET", "/v2/contacts", 404),
    ("GET", "/", 404),
]


def test_given_an_unknown_route_or_method_when_called_then_404_or_405_problem_json(api, tenant, unchanged):
    with unchanged():
        for method, path, status in UNKNOWN_ROUTES:
            reply = api.request(method, path, {"properties": {}}, key=tenant.key)
            assert reply.status == status, (method, path, reply.body)
            assert_problem(reply, status)


# --- unicode ----------------------------------------------------------------------------------------


UNICODE = [
    ("contacts", {"first_name": "Zoë", "last_name": "日本語 🚀"}, {"first_name": "Zoë", "last_name": "日本語 🚀"}),
    # Unicode is stored NFC: "e" + combining acute is the one character "é".
    (
        "contacts",
        {"first_name": "e\u0301 combining", "owner": "Ωmega"},
        {"first_name": "\u00e9 combining", "owner": "Ωmega"},
    ),
    (
        "contacts",
        {"first_name": "Ada\r\nLovelace", "last_name": "tab\tok"},
        {"first_name": "Ada\nLovelace", "last_name": "tab\tok"},
    ),
    ("contacts", {"email": "José@Exämple.com"}, {"email": "josé@exämple.com"}),
    (
        "companies",
        {"name": "Bücher GmbH", "domain": "https://www.bücher.de/"},
        {"name": "Bücher GmbH", "domain": "xn--bcher-kva.de"},
    ),
    ("deals", {"name": "عقد", "stage": "négociation"}, None),
]


def test_given_unicode_values_when_created_then_they_round_trip_exactly(api, tenant):
    for collection, sent, stored in UNICODE:
        created = api.post(f"/v1/{collection}", {"properties": sent}, key=tenant.key)
        assert created.status == 201, (sent, created.body)
        assert created.body["properties"] == (stored or sent)
        fetched = api.get(f"/v1/{collection}/{created.body['id']}", key=tenant.key)
        assert fetched.body == created.body


def test_given_nothing_was_written_when_every_bad_request_above_failed_then_the_tenant_has_no_records(api, tenant):
    """A sweep of failed writes through every collection leaves only the tenant's own setup items."""
    before = everything()
    for collection in VALID:
        for body in ({"properties": {"unknown": 1}}, {"properties": []}, {}, {"properties": {"name": 5, "email": 5}}):
            assert api.post(f"/v1/{collection}", body, key=tenant.key).status == 422
        assert api.post(f"/v1/{collection}", key=tenant.key, raw=b"{").status == 400
    assert everything() == before
    assert not [i for i in before if i["pk"].startswith(f"T#{tenant.id}#R") or i["pk"].endswith("#E")]
