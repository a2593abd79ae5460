"""Records API (contacts, companies, deals), end to end through the local gateway and the real handlers on
moto: CRUD, merge-PATCH, If-Match, archive/restore, pagination, idempotency, uniqueness, references and
the outbox events each write leaves in the same transaction."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from crm import clock
from tests.support.problems import assert_problem
from tests.support.table import event_types, events, records

RECORD_FIELDS = {"id", "object", "properties", "version", "created_at", "updated_at", "archived_at"}
MISSING_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"


def _create(api, tenant, collection: str, properties: dict[str, Any], **kw: Any) -> dict[str, Any]:
    reply = api.post(f"/v1/{collection}", {"properties": properties}, key=tenant.key, **kw)
    assert reply.status == 201, reply.body
    return reply.body


def _page_through(api, tenant, path: str, limit: int) -> tuple[list[str], int]:
    ids, pages, cursor = [], 0, None
    while True:
        separator = "&" if "?" in path else "?"
        url = f"{path}{separator}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        reply = api.get(url, key=tenant.key)
        assert reply.status == 200, reply.body
        assert set(reply.body) == {"data", "next_cursor"}
        assert len(reply.body["data"]) <= limit
        ids += [r["id"] for r in reply.body["data"]]
        pages += 1
        cursor = reply.body["next_cursor"]
        if cursor is None:
            return ids, pages
        assert pages < 20, "the cursor never ends"


OBJECTS = [
    pytest.param(
        "contacts",
        "contact",
        {"email": " Ada@Example.COM ", "first_name": " Ada ", "phone": "(415) 555-2671", "lifecycle_stage": "Lead"},
        {"email": "ada@example.com", "first_name": "Ada", "phone": "+14155552671", "lifecycle_stage": "lead"},
        {"last_name": "Lovelace"},
        id="contacts",
    ),
    pytest.param(
        "companies",
        "company",
        {"name": " Acme ", "domain": "https://www.Acme.com/about", "industry": "Software"},
        {"name": "Acme", "domain": "acme.com", "industry": "Software"},
        {"industry": "Robotics"},
        id="companies",
    ),
    pytest.param(
        "deals",
        "deal",
        {"name": "Big deal", "amount": "1200.50", "currency": "eur", "close_date": "2026-03-31T00:00:00Z"},
        {"name": "Big deal", "amount": 1200.5, "currency": "EUR", "close_date": "2026-03-31"},
        {"amount": 1500},
        id="deals",
    ),
]


# --- CRUD -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("collection", "object_name", "sent", "stored", "patch"), OBJECTS)
def test_given_valid_properties_when_a_record_goes_through_its_life_then_every_step_is_visible(
    api, tenant, tick, collection, object_name, sent, stored, patch
):
    created = api.post(f"/v1/{collection}", {"properties": sent}, key=tenant.key)
    assert created.status == 201
    record = created.body
    assert set(record) == RECORD_FIELDS
    assert record["object"] == object_name
    assert record["properties"] == stored
    assert (record["version"], record["archived_at"]) == (1, None)
    assert record["created_at"] == record["updated_at"] == clock.now_iso()
    assert created.header("ETag") == '"1"'
    assert created.header("Location") == f"/v1/{collection}/{record['id']}"
    path = f"/v1/{collection}/{record['id']}"

    fetched = api.get(path, key=tenant.key)
    assert (fetched.status, fetched.body, fetched.header("ETag")) == (200, record, '"1"')
    assert api.get(f"/v1/{collection}", key=tenant.key).body == {"data": [record], "next_cursor": None}
    assert api.get(path.lower(), key=tenant.key).body == record  # ids are case-insensitive

    tick()
    patched = api.patch(path, {"properties": patch}, key=tenant.key)
    assert patched.status == 200
    assert patched.body["properties"] == {**stored, **patch}
    assert patched.body["version"] == 2
    assert patched.header("ETag") == '"2"'
    assert patched.body["created_at"] == record["created_at"] < patched.body["updated_at"]
    assert api.get(path, key=tenant.key).body == patched.body

    tick()
    archived = api.delete(path, key=tenant.key)
    assert (archived.status, archived.body, archived.header("ETag")) == (204, None, '"3"')
    assert_problem(api.get(path, key=tenant.key), 404)
    assert api.get(f"/v1/{collection}", key=tenant.key).body == {"data": [], "next_cursor": None}
    hidden = api.get(f"{path}?archived=true", key=tenant.key)
    assert hidden.status == 200
    assert hidden.body["archived_at"] == clock.now_iso()
    assert hidden.body["version"] == 3
    assert [r["id"] for r in api.get(f"/v1/{collection}?archived=true", key=tenant.key).body["data"]] == [record["id"]]

    tick()
    restored = api.post(f"{path}/restore", key=tenant.key)
    assert restored.status == 200
    assert (restored.body["version"], restored.body["archived_at"]) == (4, None)
    assert restored.body["properties"] == patched.body["properties"]
    assert restored.header("ETag") == '"4"'
    assert api.get(path, key=tenant.key).body == restored.body

    created_events = [f"{object_name}.created"] + (
        ["contact.lifecycle_stage_changed"] if collection == "contacts" else []
    )
    expected = [*created_events, f"{object_name}.updated", f"{object_name}.deleted", f"{object_name}.restored"]
    assert event_types(tenant.id) == sorted(expected)
    assert len(records(tenant.id, object_name)) == 1


def test_given_a_contact_when_patched_with_null_then_the_property_is_removed_and_the_event_says_so(api, tenant, tick):
    contact = _create(api, tenant, "contacts", {"email": "ada@example.com", "first_name": "Ada", "owner": "bob"})
    tick()
    reply = api.patch(
        f"/v1/contacts/{contact['id']}", {"properties": {"first_name": None, "owner": "eve"}}, key=tenant.key
    )
    assert reply.status == 200
    assert reply.body["properties"] == {"email": "ada@example.com", "owner": "eve"}
    assert reply.body["version"] == 2
    updated = [e for e in events(tenant.id) if e["type"] == "contact.updated"]
    assert len(updated) == 1
    assert updated[0]["changes"] == {
        "first_name": {"old": "Ada", "new": None},
        "owner": {"old": "bob", "new": "eve"},
    }
    assert updated[0]["data"] == reply.body


NO_OP_PATCHES = [
    {},
    {"email": "  ADA@Example.com "},  # the same value once normalised
    {"first_name": "Ada"},
    {"owner": None},  # removing what is not there
    {"email": "ada@example.com", "owner": None, "first_name": " Ada"},
]


def test_given_a_patch_that_changes_nothing_when_sent_then_no_new_version_and_no_event(api, tenant, tick, unchanged):
    contact = _create(api, tenant, "contacts", {"email": "ada@example.com", "first_name": "Ada"})
    tick()
    for patch in NO_OP_PATCHES:
        with unchanged():
            reply = api.patch(f"/v1/contacts/{contact['id']}", {"properties": patch}, key=tenant.key)
        assert (reply.status, reply.body, reply.header("ETag")) == (200, contact, '"1"'), patch
    assert event_types(tenant.id) == ["contact.created"]


def test_given_a_deal_when_its_required_name_is_removed_then_422_and_nothing_changes(api, tenant, unchanged):
    deal = _create(api, tenant, "deals", {"name": "D"})
    with unchanged():
        assert_problem(
            api.patch(f"/v1/deals/{deal['id']}", {"properties": {"name": None}}, key=tenant.key),
            422,
            "/properties/name",
        )


# --- If-Match ---------------------------------------------------------------------------------------


IF_MATCH = [
    ('"1"', 200),
    ('W/"1"', 200),
    ("*", 200),
    ('"2"', 412),
    ('"0"', 412),
    ("1", 412),
    ("garbage", 412),
    ('"1", "2"', 412),
]


def test_given_an_if_match_header_when_patching_then_only_the_current_etag_or_star_is_honoured(api, tenant, unchanged):
    for n, (if_match, status) in enumerate(IF_MATCH):
        contact = _create(api, tenant, "contacts", {"email": f"{n}@example.com"})
        path = f"/v1/contacts/{contact['id']}"
        body = {"properties": {"first_name": "Ada"}}
        if status == 200:
            reply = api.patch(path, body, key=tenant.key, headers={"If-Match": if_match})
            assert (reply.status, reply.body["version"], reply.header("ETag")) == (200, 2, '"2"'), if_match
        else:
            with unchanged():
                reply = api.patch(path, body, key=tenant.key, headers={"If-Match": if_match})
                assert reply.status == 412, (if_match, reply.body)
                assert_problem(reply, 412)


def test_given_a_stale_etag_when_patching_or_archiving_then_412_and_the_current_etag_works(api, tenant, unchanged):
    contact = _create(api, tenant, "contacts", {"email": "ada@example.com"})
    path = f"/v1/contacts/{contact['id']}"
    assert api.patch(path, {"properties": {"first_name": "A"}}, key=tenant.key).header("ETag") == '"2"'
    with unchanged():
        assert_problem(
            api.patch(path, {"properties": {"first_name": "B"}}, key=tenant.key, headers={"If-Match": '"1"'}), 412
        )
        assert_problem(api.delete(path, key=tenant.key, headers={"If-Match": '"1"'}), 412)
        assert_problem(api.delete(path, key=tenant.key, headers={"if-match": "nonsense"}), 412)
        # even a patch that would change nothing checks the precondition
        assert_problem(api.patch(path, {"properties": {}}, key=tenant.key, headers={"If-Match": '"1"'}), 412)
    assert api.delete(path, key=tenant.key, headers={"If-Match": '"2"'}).status == 204


# --- archive and restore ----------------------------------------------------------------------------


def test_given_an_archived_contact_when_its_email_is_reused_then_restoring_it_conflicts_until_freed(api, tenant, tick):
    first = _create(api, tenant, "contacts", {"email": "ada@example.com", "first_name": "First"})
    tick()
    assert api.delete(f"/v1/contacts/{first['id']}", key=tenant.key).status == 204
    assert api.get("/v1/contacts?email=ada@example.com", key=tenant.key).body == {"data": [], "next_cursor": None}

    tick()
    second = _create(api, tenant, "contacts", {"email": "ADA@example.com", "first_name": "Second"})  # email freed
    assert api.get("/v1/contacts?email=ada@example.com", key=tenant.key).body["data"] == [second]

    tick()
    problem = assert_problem(api.post(f"/v1/contacts/{first['id']}/restore", key=tenant.key), 409, "/properties/email")
    assert problem["existing_id"] == second["id"]
    assert api.get(f"/v1/contacts/{first['id']}?archived=true", key=tenant.key).body["archived_at"] is not None

    assert api.delete(f"/v1/contacts/{second['id']}", key=tenant.key).status == 204
    restored = api.post(f"/v1/contacts/{first['id']}/restore", key=tenant.key)
    assert restored.status == 200
    assert api.get("/v1/contacts?email=ada@example.com", key=tenant.key).body["data"] == [restored.body]


def test_given_an_active_record_when_restored_then_nothing_changes(api, tenant, unchanged):
    company = _create(api, tenant, "companies", {"name": "Acme"})
    with unchanged():
        reply = api.post(f"/v1/companies/{company['id']}/restore", key=tenant.key)
    assert (reply.status, reply.body) == (200, company)


def test_given_an_archived_record_when_changed_or_read_then_it_is_not_found(api, tenant, unchanged):
    company = _create(api, tenant, "companies", {"name": "Acme"})
    path = f"/v1/companies/{company['id']}"
    assert api.delete(path, key=tenant.key).status == 204
    with unchanged():
        for method, body in (("DELETE", None), ("PATCH", {"properties": {"name": "New"}}), ("GET", None)):
            for headers in (None, {"If-Match": "*"}):
                assert_problem(api.request(method, path, body, key=tenant.key, headers=headers), 404)


def test_given_an_id_that_does_not_exist_when_used_then_404(api, tenant, unchanged):
    routes = [("GET", "", None), ("PATCH", "", {"properties": {}}), ("DELETE", "", None), ("POST", "/restore", None)]
    with unchanged():
        for collection in ("contacts", "companies", "deals"):
            for method, suffix, body in routes:
                reply = api.request(method, f"/v1/{collection}/{MISSING_ID}{suffix}", body, key=tenant.key)
                assert reply.status == 404, (collection, method, suffix, reply.body)
                assert_problem(reply, 404)


# --- lists and pagination ---------------------------------------------------------------------------


def test_given_more_records_than_three_pages_when_paged_then_newest_first_without_duplicates_or_gaps(api, tenant, tick):
    created = []
    for n in range(7):
        tick()
        created.append(_create(api, tenant, "companies", {"name": f"Company {n}"})["id"])
    newest_first = created[::-1]

    ids, pages = _page_through(api, tenant, "/v1/companies", limit=3)
    assert (ids, pages) == (newest_first, 3)
    assert _page_through(api, tenant, "/v1/companies", limit=1) == (newest_first, 7)
    assert _page_through(api, tenant, "/v1/companies", limit=100) == (newest_first, 1)
    default = api.get("/v1/companies", key=tenant.key).body
    assert [r["id"] for r in default["data"]] == newest_first and default["next_cursor"] is None

    for archived in (created[1], created[4], created[5]):
        assert api.delete(f"/v1/companies/{archived}", key=tenant.key).status == 204
    active = [i for i in newest_first if i not in (created[1], created[4], created[5])]
    assert _page_through(api, tenant, "/v1/companies", limit=2)[0] == active
    assert _page_through(api, tenant, "/v1/companies?archived=true", limit=2)[0] == newest_first


def test_given_a_cursor_when_used_on_another_list_then_400(api, tenant, tick):
    for n in range(3):
        tick()
        _create(api, tenant, "companies", {"name": f"C{n}"})
        _create(api, tenant, "deals", {"name": f"D{n}"})
    cursor = api.get("/v1/companies?limit=1", key=tenant.key).body["next_cursor"]
    assert cursor
    assert api.get(f"/v1/companies?limit=1&cursor={cursor}", key=tenant.key).status == 200
    for other in ("/v1/deals?", "/v1/contacts?", "/v1/companies?archived=true&", "/v1/api-keys?"):
        problem = assert_problem(api.get(f"{other}cursor={cursor}", key=tenant.key), 400)
        assert problem["type"].endswith("/invalid-cursor")


# --- idempotency ------------------------------------------------------------------------------------


def test_given_an_idempotency_key_when_a_create_is_retried_then_the_first_response_returns_and_one_record_exists(
    api, tenant, tick
):
    body = {"properties": {"email": "ada@example.com", "first_name": "Ada"}}
    key = {"Idempotency-Key": "create-ada-1"}
    first = api.post("/v1/contacts", body, key=tenant.key, headers=key)
    assert first.status == 201 and first.header("Idempotent-Replayed") is None
    tick()
    again = api.post("/v1/contacts", body, key=tenant.key, headers=key)
    assert (again.status, again.body) == (201, first.body)
    assert again.header("Idempotent-Replayed") == "true"
    assert again.header("ETag") == first.header("ETag")
    assert again.header("Location") == first.header("Location")
    assert len(records(tenant.id, "contact")) == 1
    assert event_types(tenant.id) == ["contact.created"]


REUSED_KEY_REQUESTS = [
    ("POST", "/v1/contacts", {"properties": {"email": "other@example.com"}}),
    ("POST", "/v1/contacts", {"properties": {"email": "ADA@example.com"}}),  # same once normalised, not same body
    ("POST", "/v1/companies", {"properties": {"name": "Acme"}}),
    ("POST", "/v1/deals", {"properties": {"email": "ada@example.com"}}),
    ("PATCH", "/v1/contacts/{id}", {"properties": {"email": "ada@example.com"}}),
    ("DELETE", "/v1/contacts/{id}", None),
    ("POST", "/v1/contacts/{id}/restore", None),
]


def test_given_a_used_idempotency_key_when_sent_with_another_request_then_422_and_nothing_is_written(
    api, tenant, unchanged
):
    key = {"Idempotency-Key": "shared"}
    contact = _create(api, tenant, "contacts", {"email": "ada@example.com"}, headers=key)
    for method, path, body in REUSED_KEY_REQUESTS:
        with unchanged():
            reply = api.request(method, path.format(id=contact["id"]), body, key=tenant.key, headers=key)
            assert reply.status == 422, (method, path, body, reply.body)
            assert assert_problem(reply, 422)["type"].endswith("/idempotency-key-reused")


def test_given_an_idempotency_key_when_a_patch_is_retried_after_another_change_then_the_first_response_returns(
    api, tenant, tick
):
    contact = _create(api, tenant, "contacts", {"email": "ada@example.com"})
    path = f"/v1/contacts/{contact['id']}"
    key = {"Idempotency-Key": "patch-1"}
    first = api.patch(path, {"properties": {"first_name": "B"}}, key=tenant.key, headers=key)
    assert first.body["version"] == 2
    tick()
    assert api.patch(path, {"properties": {"first_name": "C"}}, key=tenant.key).body["version"] == 3
    again = api.patch(path, {"properties": {"first_name": "B"}}, key=tenant.key, headers=key)
    assert (again.status, again.body, again.header("ETag")) == (200, first.body, '"2"')
    assert again.header("Idempotent-Replayed") == "true"
    current = api.get(path, key=tenant.key).body  # the replay wrote nothing
    assert (current["version"], current["properties"]["first_name"]) == (3, "C")
    assert event_types(tenant.id) == ["contact.created", "contact.updated", "contact.updated"]


def test_given_an_idempotency_key_when_an_archive_or_restore_is_retried_then_it_replays(api, tenant):
    contact = _create(api, tenant, "contacts", {"email": "ada@example.com"})
    path = f"/v1/contacts/{contact['id']}"
    archive = {"Idempotency-Key": "archive-1"}
    assert api.delete(path, key=tenant.key, headers=archive).status == 204
    again = api.delete(path, key=tenant.key, headers=archive)
    assert (again.status, again.body, again.header("Idempotent-Replayed"), again.header("ETag")) == (
        204,
        None,
        "true",
        '"2"',
    )
    assert_problem(api.delete(path, key=tenant.key), 404)  # without the key it is a new request

    restore = {"Idempotency-Key": "restore-1"}
    first = api.post(f"{path}/restore", key=tenant.key, headers=restore)
    assert first.status == 200
    replay = api.post(f"{path}/restore", key=tenant.key, headers=restore)
    assert (replay.status, replay.body, replay.header("Idempotent-Replayed")) == (200, first.body, "true")
    assert event_types(tenant.id) == ["contact.created", "contact.deleted", "contact.restored"]


def test_given_an_idempotency_key_older_than_its_lifetime_when_reused_then_the_request_runs_again(
    api, tenant, frozen_clock
):
    key = {"Idempotency-Key": "old"}
    body = {"properties": {"name": "Acme"}}
    first = api.post("/v1/companies", body, key=tenant.key, headers=key)
    frozen_clock[0] += timedelta(hours=23, minutes=59)
    assert api.post("/v1/companies", body, key=tenant.key, headers=key).header("Idempotent-Replayed") == "true"
    frozen_clock[0] += timedelta(minutes=2)
    later = api.post("/v1/companies", body, key=tenant.key, headers=key)
    assert later.status == 201 and later.header("Idempotent-Replayed") is None
    assert later.body["id"] != first.body["id"]
    assert len(records(tenant.id, "company")) == 2


def test_given_a_failed_write_when_retried_with_its_idempotency_key_then_it_is_not_a_replay(api, tenant):
    _create(api, tenant, "contacts", {"email": "ada@example.com"})
    key = {"Idempotency-Key": "dup"}
    body = {"properties": {"email": "ada@example.com"}}
    assert_problem(api.post("/v1/contacts", body, key=tenant.key, headers=key), 409)
    assert_problem(api.post("/v1/contacts", body, key=tenant.key, headers=key), 409)  # errors are not remembered


# --- uniqueness -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("collection", "first", "duplicate", "pointer"),
    [
        (
            "contacts",
            {"email": "ada@example.com"},
            {"email": " ADA@Example.COM ", "first_name": "Other"},
            "/properties/email",
        ),
        (
            "companies",
            {"name": "A", "domain": "acme.com"},
            {"name": "B", "domain": "https://www.ACME.com/x"},
            "/properties/domain",
        ),
        ("companies", {"domain": "straße.de"}, {"domain": "xn--strae-oqa.de"}, "/properties/domain"),
    ],
)
def test_given_a_unique_value_in_use_when_another_record_claims_it_then_409_with_the_existing_id(
    api, tenant, unchanged, collection, first, duplicate, pointer
):
    existing = _create(api, tenant, collection, first)
    with unchanged():
        problem = assert_problem(api.post(f"/v1/{collection}", {"properties": duplicate}, key=tenant.key), 409, pointer)
    assert problem["existing_id"] == existing["id"]
    assert problem["type"].endswith("/duplicate-record")


def test_given_two_contacts_when_one_takes_the_others_email_by_patch_then_409_and_nothing_changes(
    api, tenant, unchanged
):
    ada = _create(api, tenant, "contacts", {"email": "ada@example.com"})
    bob = _create(api, tenant, "contacts", {"email": "bob@example.com"})
    with unchanged():
        problem = assert_problem(
            api.patch(f"/v1/contacts/{bob['id']}", {"properties": {"email": "Ada@Example.com"}}, key=tenant.key),
            409,
            "/properties/email",
        )
    assert problem["existing_id"] == ada["id"]


def test_given_a_contact_when_its_email_changes_or_is_removed_then_the_old_email_is_free(api, tenant):
    ada = _create(api, tenant, "contacts", {"email": "ada@example.com", "first_name": "Ada"})
    path = f"/v1/contacts/{ada['id']}"
    assert api.patch(path, {"properties": {"email": "ada@new.example"}}, key=tenant.key).status == 200
    assert api.get("/v1/contacts?email=ada@new.example", key=tenant.key).body["data"][0]["id"] == ada["id"]
    other = _create(api, tenant, "contacts", {"email": "ada@example.com"})
    assert api.get("/v1/contacts?email=ada@example.com", key=tenant.key).body["data"][0]["id"] == other["id"]

    assert api.patch(path, {"properties": {"email": None}}, key=tenant.key).status == 200
    assert api.get("/v1/contacts?email=ada@new.example", key=tenant.key).body["data"] == []
    _create(api, tenant, "contacts", {"email": "ada@new.example"})


def test_given_unique_values_when_looked_up_in_any_spelling_then_exactly_the_one_record_is_found(api, tenant):
    ada = _create(api, tenant, "contacts", {"email": "ada@example.com"})
    _create(api, tenant, "contacts", {"email": "bob@example.com"})
    acme = _create(api, tenant, "companies", {"domain": "acme.com"})
    _create(api, tenant, "companies", {"domain": "globex.com"})
    found = {
        "/v1/contacts?email=%20ADA@Example.COM%20": ada,
        "/v1/contacts?email=ada@example.com&limit=1": ada,
        "/v1/companies?domain=https://www.acme.com/about": acme,
        "/v1/companies?domain=ACME.com": acme,
        "/v1/contacts?email=nobody@example.com": None,
        "/v1/companies?domain=initech.com": None,
    }
    for query, record in found.items():
        reply = api.get(query, key=tenant.key)
        assert (reply.status, reply.body) == (200, {"data": [record] if record else [], "next_cursor": None}), query


# --- references -------------------------------------------------------------------------------------


def test_given_contacts_and_a_company_of_the_tenant_when_a_deal_refers_to_them_then_it_is_created(api, tenant):
    ada = _create(api, tenant, "contacts", {"email": "ada@example.com"})
    bob = _create(api, tenant, "contacts", {"email": "bob@example.com"})
    acme = _create(api, tenant, "companies", {"name": "Acme"})
    deal = _create(
        api,
        tenant,
        "deals",
        {"name": "D", "contact_ids": [ada["id"].lower(), bob["id"], ada["id"]], "company_id": f" {acme['id']} "},
    )
    assert deal["properties"]["contact_ids"] == [ada["id"], bob["id"]]
    assert deal["properties"]["company_id"] == acme["id"]
    contact = api.patch(f"/v1/contacts/{ada['id']}", {"properties": {"company_id": acme["id"]}}, key=tenant.key)
    assert contact.status == 200


BAD_REFERENCES = [
    ({"contact_ids": [MISSING_ID]}, ["/properties/contact_ids"]),
    ({"contact_ids": ["{ada}", MISSING_ID]}, ["/properties/contact_ids"]),
    ({"contact_ids": ["{archived}"]}, ["/properties/contact_ids"]),
    ({"company_id": "{ada}"}, ["/properties/company_id"]),  # a contact is not a company
    ({"contact_ids": ["{acme}"]}, ["/properties/contact_ids"]),
    ({"company_id": MISSING_ID, "contact_ids": ["{archived}"]}, ["/properties/company_id", "/properties/contact_ids"]),
]


def test_given_a_reference_to_a_missing_archived_or_wrong_record_when_a_deal_is_written_then_422_with_pointer(
    api, tenant, unchanged
):
    ids = {
        "ada": _create(api, tenant, "contacts", {"email": "ada@example.com"})["id"],
        "archived": _create(api, tenant, "contacts", {"email": "gone@example.com"})["id"],
        "acme": _create(api, tenant, "companies", {"name": "Acme"})["id"],
    }
    assert api.delete(f"/v1/contacts/{ids['archived']}", key=tenant.key).status == 204
    deal = _create(api, tenant, "deals", {"name": "Existing"})
    for properties, pointers in BAD_REFERENCES:
        filled = {
            k: [v.format(**ids) for v in value] if isinstance(value, list) else value.format(**ids)
            for k, value in properties.items()
        }
        with unchanged():
            created = api.post("/v1/deals", {"properties": {"name": "D", **filled}}, key=tenant.key)
            assert created.status == 422, (properties, created.body)
            assert_problem(created, 422, *pointers)
            assert_problem(api.patch(f"/v1/deals/{deal['id']}", {"properties": filled}, key=tenant.key), 422, *pointers)


def test_given_an_archived_company_when_a_contact_refers_to_it_then_422(api, tenant, unchanged):
    acme = _create(api, tenant, "companies", {"name": "Acme"})
    assert api.delete(f"/v1/companies/{acme['id']}", key=tenant.key).status == 204
    with unchanged():
        assert_problem(
            api.post("/v1/contacts", {"properties": {"email": "a@b.co", "company_id": acme["id"]}}, key=tenant.key),
            422,
            "/properties/company_id",
        )


# --- outbox events ----------------------------------------------------------------------------------


def test_given_a_contact_with_a_lifecycle_stage_when_created_then_two_complete_events_are_in_the_outbox(
    api, tenant, frozen_clock
):
    contact = _create(api, tenant, "contacts", {"email": "ada@example.com", "lifecycle_stage": "lead"})
    outbox = sorted(events(tenant.id), key=lambda e: e["type"])
    assert [e["type"] for e in outbox] == ["contact.created", "contact.lifecycle_stage_changed"]
    for event in outbox:
        assert len(event["id"]) == 26
        assert event["tenant_id"] == tenant.id
        assert event["object"] == "contact"
        assert event["record_id"] == contact["id"]
        assert event["data"] == contact
        assert event["occurred_at"] == clock.isoformat(frozen_clock[0])
    assert outbox[0]["changes"] == {
        "email": {"old": None, "new": "ada@example.com"},
        "lifecycle_stage": {"old": None, "new": "lead"},
    }
    assert outbox[1]["changes"] == {"lifecycle_stage": {"old": None, "new": "lead"}}
    from tests.support.table import partition

    items = partition(f"T#{tenant.id}#E")
    assert {i["kind"] for i in items} == {"event"}
    assert all(i["expires_at"] == int((frozen_clock[0] + timedelta(days=35)).timestamp()) for i in items)
    assert {i["sk"] for i in items} == {e["id"] for e in outbox}


def _new_events(tenant_id: str, seen: list[str]) -> list[dict[str, Any]]:
    fresh = [e for e in events(tenant_id) if e["id"] not in seen]
    seen += [e["id"] for e in fresh]
    return sorted(fresh, key=lambda e: e["type"])


def test_given_each_kind_of_write_when_it_succeeds_then_exactly_its_events_are_written(api, tenant):
    seen: list[str] = []
    ada = _create(api, tenant, "contacts", {"email": "ada@example.com"})
    assert [e["type"] for e in _new_events(tenant.id, seen)] == ["contact.created"]

    path = f"/v1/contacts/{ada['id']}"
    api.patch(path, {"properties": {"lifecycle_stage": "customer", "first_name": "Ada"}}, key=tenant.key)
    stage, updated = _new_events(tenant.id, seen)
    assert (stage["type"], updated["type"]) == ("contact.lifecycle_stage_changed", "contact.updated")
    assert stage["changes"] == {"lifecycle_stage": {"old": None, "new": "customer"}}
    assert set(updated["changes"]) == {"lifecycle_stage", "first_name"}

    api.patch(path, {"properties": {"first_name": "Augusta"}}, key=tenant.key)
    (only,) = _new_events(tenant.id, seen)
    assert (only["type"], only["changes"]) == ("contact.updated", {"first_name": {"old": "Ada", "new": "Augusta"}})

    api.patch(path, {"properties": {"lifecycle_stage": None}}, key=tenant.key)
    assert [(e["type"], e["changes"]) for e in _new_events(tenant.id, seen)] == [
        ("contact.lifecycle_stage_changed", {"lifecycle_stage": {"old": "customer", "new": None}}),
        ("contact.updated", {"lifecycle_stage": {"old": "customer", "new": None}}),
    ]

    api.delete(path, key=tenant.key)
    (deleted,) = _new_events(tenant.id, seen)
    assert (deleted["type"], deleted["changes"]) == ("contact.deleted", {})
    assert deleted["data"]["archived_at"] is not None

    api.post(f"{path}/restore", key=tenant.key)
    (restored,) = _new_events(tenant.id, seen)
    assert (restored["type"], restored["data"]["archived_at"]) == ("contact.restored", None)

    deal = _create(api, tenant, "deals", {"name": "D", "stage": "new"})
    assert [e["type"] for e in _new_events(tenant.id, seen)] == ["deal.created", "deal.stage_changed"]
    api.patch(f"/v1/deals/{deal['id']}", {"properties": {"stage": "won", "amount": 10}}, key=tenant.key)
    stage, updated = _new_events(tenant.id, seen)
    assert (stage["type"], updated["type"]) == ("deal.stage_changed", "deal.updated")
    assert set(updated["changes"]) == {"stage", "amount"}
    assert stage["changes"] == {"stage": {"old": "new", "new": "won"}}
    assert stage["data"]["version"] == 2
    api.patch(f"/v1/deals/{deal['id']}", {"properties": {"amount": 20}}, key=tenant.key)
    assert [e["type"] for e in _new_events(tenant.id, seen)] == ["deal.updated"]

    company = _create(api, tenant, "companies", {"name": "Acme"})
    api.delete(f"/v1/companies/{company['id']}", key=tenant.key)
    assert [e["type"] for e in _new_events(tenant.id, seen)] == ["company.created", "company.deleted"]


def test_given_a_contact_when_a_patch_would_remove_every_identifying_property_then_422_and_unchanged(api, tenant):
    created = api.post("/v1/contacts", {"properties": {"email": "only@example.com", "owner": "sam"}}, key=tenant.key)

    reply = api.patch(f"/v1/contacts/{created.body['id']}", {"properties": {"email": None}}, key=tenant.key)

    assert reply.status == 422 and reply.body["errors"][0]["pointer"] == "/properties"
    assert api.get(f"/v1/contacts/{created.body['id']}", key=tenant.key).body == created.body


def test_given_an_empty_if_match_header_when_patching_then_the_precondition_fails(api, tenant):
    created = api.post("/v1/contacts", {"properties": {"email": "etag@example.com"}}, key=tenant.key)

    reply = api.patch(
        f"/v1/contacts/{created.body['id']}", {"properties": {"owner": "x"}}, key=tenant.key, headers={"If-Match": ""}
    )

    assert reply.status == 412
