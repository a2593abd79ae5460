"""Batch writes of records (`POST /v1/[objects/]<collection>/batch/{create,update,upsert,archive}`), end to end
through the local gateway and the real handlers on moto: one result per input in the order sent, each input its
own write with its own events, refused inputs beside written ones, pointers into the batch body, the 100-input
limit, Idempotency-Key over the whole batch (a first attempt that died half-way included), roles and tenants.

Also exported for the cross-cutting suites: IDEMPOTENT_CASES (test_idempotent_routes) and CROSS_TENANT_ROUTES
(test_tenant_isolation)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from contacts.service import RecordService
from tests.support.problems import assert_problem
from tests.support.table import event_types, everything, records, tenant_items

MISSING_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
ROOTS = ("/v1", "/v1/objects")  # every collection's batches are reachable both ways


def batch(api, tenant, collection: str, action: str, body: Any, *, root: str = "/v1", **kw: Any) -> Any:
    return api.post(f"{root}/{collection}/batch/{action}", body, key=tenant.key, **kw)


def results(reply: Any) -> list[dict[str, Any]]:
    assert reply.status == 200, reply.body
    assert reply.header("Content-Type") == "application/json"
    assert set(reply.body) == {"results"}
    return reply.body["results"]


def statuses(reply: Any) -> list[int]:
    return [result["status"] for result in results(reply)]


def problem_of(result: dict[str, Any], status: int, *pointers: str) -> dict[str, Any]:
    """An input's result is this problem, as the single-record route answers it, pointing into the batch."""
    assert set(result) == {"status", "problem"} and result["status"] == status, result
    problem = result["problem"]
    assert (problem["status"], problem["type"].startswith("https://crm.invalid/problems/")) == (status, True)
    assert problem["title"] and problem["detail"]
    assert [error["pointer"] for error in problem.get("errors", [])] == list(pointers), problem
    return problem


def create(api, tenant, collection: str, properties: dict[str, Any]) -> dict[str, Any]:
    reply = api.post(f"/v1/{collection}", {"properties": properties}, key=tenant.key)
    assert reply.status == 201, reply.body
    return reply.body


def inputs(*properties: dict[str, Any]) -> dict[str, Any]:
    return {"inputs": [{"properties": p} for p in properties]}


# --- each action, for contacts and companies ---------------------------------------------------------

OBJECTS = [
    pytest.param(
        "contacts",
        "contact",
        [
            {"email": " Ada@Example.COM ", "first_name": "Ada"},
            {"email": "grace@example.com", "phone": "(415) 555-2671"},
        ],
        [{"email": "ada@example.com", "first_name": "Ada"}, {"email": "grace@example.com", "phone": "+14155552671"}],
        "email",
        id="contacts",
    ),
    pytest.param(
        "companies",
        "company",
        [{"name": "Acme", "domain": "https://www.Acme.com/about"}, {"name": "Globex", "domain": "globex.example"}],
        [{"name": "Acme", "domain": "acme.com"}, {"name": "Globex", "domain": "globex.example"}],
        "domain",
        id="companies",
    ),
]


CHANGE = {"contacts": {"last_name": "Lovelace"}, "companies": {"industry": "Retail"}}


@pytest.mark.parametrize("root", ROOTS)
@pytest.mark.parametrize(("collection", "object_name", "sent", "stored", "unique"), OBJECTS)
def test_given_valid_inputs_when_batch_created_then_each_is_a_201_with_its_record_and_its_event(
    api, tenant, root, collection, object_name, sent, stored, unique
):
    """Every input is created in order, normalised as a single create normalises it, with its own event."""
    reply = batch(api, tenant, collection, "create", inputs(*sent), root=root)

    assert statuses(reply) == [201, 201]
    assert reply.header("Idempotent-Replayed") is None
    written = [result["record"] for result in results(reply)]
    assert [r["properties"] for r in written] == stored
    assert all((r["object"], r["version"], r["archived_at"]) == (object_name, 1, None) for r in written)
    assert written[0]["id"] < written[1]["id"]  # created in the order sent
    for record in written:
        assert api.get(f"/v1/{collection}/{record['id']}", key=tenant.key).body == record
    assert event_types(tenant.id) == [f"{object_name}.created"] * 2
    # ... and their unique values are claimed, as a single create claims them
    lookup = api.get(f"/v1/{collection}?{unique}={stored[0][unique]}", key=tenant.key)
    assert [r["id"] for r in lookup.body["data"]] == [written[0]["id"]]


@pytest.mark.parametrize("root", ROOTS)
@pytest.mark.parametrize(("collection", "object_name", "sent", "stored", "unique"), OBJECTS)
def test_given_records_when_batch_updated_then_each_is_merged_with_a_new_version_and_an_event(
    api, tenant, tick, root, collection, object_name, sent, stored, unique
):
    first, second = (create(api, tenant, collection, properties) for properties in sent)
    tick()
    body = {
        "inputs": [
            {"id": first["id"], "version": 1, "properties": CHANGE[collection]},
            {"id": second["id"].lower(), "properties": {unique: None}},  # ids are case-insensitive
        ]
    }

    reply = batch(api, tenant, collection, "update", body, root=root)

    assert statuses(reply) == [200, 200]
    updated = [result["record"] for result in results(reply)]
    assert [r["version"] for r in updated] == [2, 2]
    assert updated[0]["properties"] == {**stored[0], **body["inputs"][0]["properties"]}
    expected_second = {k: v for k, v in {**stored[1], **body["inputs"][1]["properties"]}.items() if v is not None}
    assert updated[1]["properties"] == expected_second
    assert updated[0]["updated_at"] > first["updated_at"]
    for record in updated:
        assert api.get(f"/v1/{collection}/{record['id']}", key=tenant.key).body == record
    assert event_types(tenant.id).count(f"{object_name}.updated") == 2
    assert api.get(f"/v1/{collection}?{unique}={stored[1][unique]}", key=tenant.key).body["data"] == []  # freed


@pytest.mark.parametrize("root", ROOTS)
@pytest.mark.parametrize(("collection", "object_name", "sent", "stored", "unique"), OBJECTS)
def test_given_one_existing_value_when_batch_upserted_then_it_is_updated_and_a_new_value_is_created(
    api, tenant, tick, root, collection, object_name, sent, stored, unique
):
    existing = create(api, tenant, collection, sent[0])
    tick()
    body = {
        "id_property": unique,
        "inputs": [
            {"properties": {unique: sent[0][unique].upper(), **CHANGE[collection]}},  # found once normalised
            {"properties": sent[1]},
        ],
    }

    reply = batch(api, tenant, collection, "upsert", body, root=root)

    assert statuses(reply) == [200, 201]
    updated, created = (result["record"] for result in results(reply))
    assert (updated["id"], updated["version"]) == (existing["id"], 2)
    assert updated["properties"] == {**stored[0], **CHANGE[collection]}
    assert (created["properties"], created["version"]) == (stored[1], 1)
    assert len(records(tenant.id, object_name)) == 2
    assert event_types(tenant.id) == sorted([f"{object_name}.created"] * 2 + [f"{object_name}.updated"])


@pytest.mark.parametrize("root", ROOTS)
@pytest.mark.parametrize(("collection", "object_name", "sent", "stored", "unique"), OBJECTS)
def test_given_records_when_batch_archived_then_each_is_a_204_and_its_unique_value_is_freed(
    api, tenant, tick, root, collection, object_name, sent, stored, unique
):
    first, second = (create(api, tenant, collection, properties) for properties in sent)
    tick()

    reply = batch(
        api,
        tenant,
        collection,
        "archive",
        {"inputs": [{"id": first["id"]}, {"id": second["id"], "version": 1}]},
        root=root,
    )

    assert results(reply) == [{"status": 204}, {"status": 204}]
    for record in (first, second):
        archived = api.get(f"/v1/{collection}/{record['id']}?archived=true", key=tenant.key).body
        assert (archived["version"], archived["archived_at"] is not None) == (2, True)
    assert event_types(tenant.id) == sorted([f"{object_name}.created"] * 2 + [f"{object_name}.deleted"] * 2)
    assert create(api, tenant, collection, sent[0])["id"] != first["id"]  # the value is free again


def test_given_deals_when_batch_created_updated_and_archived_then_references_are_checked_per_input(api, tenant):
    contact = create(api, tenant, "contacts", {"email": "ada@example.com"})
    body = inputs({"name": "Pilot", "contact_ids": [contact["id"]]}, {"name": "Ghost", "contact_ids": [MISSING_ID]})

    created = results(batch(api, tenant, "deals", "create", body))

    assert created[0]["status"] == 201
    problem_of(created[1], 422, "/inputs/1/properties/contact_ids")
    deal = created[0]["record"]
    updated = results(
        batch(api, tenant, "deals", "update", {"inputs": [{"id": deal["id"], "properties": {"amount": 10}}]})
    )
    assert updated[0]["record"]["properties"]["amount"] == 10
    assert results(batch(api, tenant, "deals", "archive", {"inputs": [{"id": deal["id"]}]})) == [{"status": 204}]
    assert event_types(tenant.id) == ["contact.created", "deal.created", "deal.deleted", "deal.updated"]


# --- refused inputs beside written ones --------------------------------------------------------------


def test_given_good_and_bad_inputs_when_batch_created_then_each_bad_one_is_refused_with_pointers_into_the_batch(
    api, tenant
):
    """A refused input never stops the others: each result is its own, in the order sent."""
    taken = create(api, tenant, "contacts", {"email": "taken@example.com"})
    body = inputs(
        {"email": "ada@example.com"},
        {"email": "not an email", "lifecycle_stage": "friend"},
        {"email": "TAKEN@example.com"},
        {"nickname": "Bo", "email": "bo@example.com"},
        {"owner": "bo"},
        {"email": "grace@example.com"},
    )

    reply = batch(api, tenant, "contacts", "create", body)

    assert statuses(reply) == [201, 422, 409, 422, 422, 201]
    outcome = results(reply)
    problem_of(outcome[1], 422, "/inputs/1/properties/email", "/inputs/1/properties/lifecycle_stage")
    duplicate = problem_of(outcome[2], 409, "/inputs/2/properties/email")
    assert duplicate["existing_id"] == taken["id"]
    assert duplicate["type"].endswith("/duplicate-record")
    problem_of(outcome[3], 422, "/inputs/3/properties/nickname")
    problem_of(outcome[4], 422, "/inputs/4/properties")
    assert len(records(tenant.id, "contact")) == 3
    assert event_types(tenant.id) == ["contact.created"] * 3  # only the written inputs have events


def test_given_good_and_bad_inputs_when_batch_updated_then_unknown_ids_stale_versions_and_bad_values_are_refused(
    api, tenant, tick
):
    ada = create(api, tenant, "contacts", {"email": "ada@example.com"})
    bo = create(api, tenant, "contacts", {"email": "bo@example.com"})
    archived = create(api, tenant, "contacts", {"email": "gone@example.com"})
    assert api.delete(f"/v1/contacts/{archived['id']}", key=tenant.key).status == 204
    tick()
    body = {
        "inputs": [
            {"id": MISSING_ID, "properties": {"first_name": "X"}},
            {"id": ada["id"], "version": 7, "properties": {"first_name": "Stale"}},
            {"id": ada["id"], "version": 1, "properties": {"first_name": "Ada"}},
            {"id": bo["id"], "properties": {"email": "ADA@example.com"}},  # taken by ada
            {"id": bo["id"], "properties": {"phone": "call me", "email": None}},
            {"id": archived["id"], "properties": {"first_name": "Back"}},
            {"id": ada["id"], "version": 1, "properties": {"first_name": "Late"}},  # the input before moved it on
        ]
    }

    reply = batch(api, tenant, "contacts", "update", body)

    assert statuses(reply) == [404, 412, 200, 409, 422, 404, 412]
    outcome = results(reply)
    problem_of(outcome[0], 404, "/inputs/0/id")
    problem_of(outcome[1], 412, "/inputs/1/version")
    assert outcome[2]["record"]["properties"] == {"email": "ada@example.com", "first_name": "Ada"}
    assert problem_of(outcome[3], 409, "/inputs/3/properties/email")["existing_id"] == ada["id"]
    problem_of(outcome[4], 422, "/inputs/4/properties/phone")
    problem_of(outcome[5], 404, "/inputs/5/id")
    problem_of(outcome[6], 412, "/inputs/6/version")
    assert api.get(f"/v1/contacts/{bo['id']}", key=tenant.key).body == bo
    assert event_types(tenant.id).count("contact.updated") == 1


def test_given_good_and_bad_inputs_when_batch_archived_then_each_is_a_204_or_a_problem(api, tenant, unchanged):
    ada = create(api, tenant, "contacts", {"email": "ada@example.com"})
    bo = create(api, tenant, "contacts", {"email": "bo@example.com"})
    body = {"inputs": [{"id": MISSING_ID}, {"id": ada["id"], "version": 2}, {"id": bo["id"]}, {"id": bo["id"]}]}

    reply = batch(api, tenant, "contacts", "archive", body)

    outcome = results(reply)
    problem_of(outcome[0], 404, "/inputs/0/id")
    problem_of(outcome[1], 412, "/inputs/1/version")
    assert outcome[2] == {"status": 204}
    problem_of(outcome[3], 404, "/inputs/3/id")  # archived by the input before
    assert api.get(f"/v1/contacts/{ada['id']}", key=tenant.key).body == ada


def test_given_one_email_twice_when_batch_upserted_then_the_first_creates_and_the_second_updates_one_record(
    api, tenant
):
    body = {
        "id_property": "email",
        "inputs": [
            {"properties": {"email": "ada@example.com", "first_name": "Ada"}},
            {"properties": {"email": " ADA@Example.com", "last_name": "Lovelace", "first_name": None}},
        ],
    }

    reply = batch(api, tenant, "contacts", "upsert", body)

    assert statuses(reply) == [201, 200]
    created, updated = (result["record"] for result in results(reply))
    assert updated["id"] == created["id"]
    assert updated["version"] == 2
    assert updated["properties"] == {"email": "ada@example.com", "last_name": "Lovelace"}  # null removed it
    assert len(records(tenant.id, "contact")) == 1
    assert event_types(tenant.id) == ["contact.created", "contact.updated"]


def test_given_upsert_inputs_without_a_valid_value_of_the_id_property_then_each_is_a_422_at_it(api, tenant):
    body = {
        "id_property": "email",
        "inputs": [
            {"properties": {"first_name": "No email"}},
            {"properties": {"email": None, "first_name": "Null email"}},
            {"properties": {"email": "not an email"}},
            {"properties": {"email": "ada@example.com"}},
        ],
    }

    outcome = results(batch(api, tenant, "contacts", "upsert", body))

    for index in range(3):
        problem_of(outcome[index], 422, f"/inputs/{index}/properties/email")
    assert outcome[3]["status"] == 201


def test_given_another_writer_between_the_batch_lookup_and_an_upsert_then_the_input_looks_again_and_lands(
    api, tenant, monkeypatch
):
    """The batch reads its holders once, up front: a value taken (or freed) by someone else since then makes
    the input's write fail on its guard, and the input is looked up again rather than refused."""
    from contacts.repository import RecordRepository

    taken = create(api, tenant, "contacts", {"email": "taken@example.com"})
    freed = create(api, tenant, "contacts", {"email": "freed@example.com"})
    assert api.delete(f"/v1/contacts/{freed['id']}", key=tenant.key).status == 204
    original, reads = RecordRepository.ids_for_unique, []

    def stale_at_first(self, object_name, prop, values):  # the batch's read: before taken@ was created, freed@ archived
        found = original(self, object_name, prop, values)
        reads.append(values)
        if len(reads) > 1:
            return found
        found.pop("taken@example.com", None)
        return {**found, "freed@example.com": freed["id"]}

    monkeypatch.setattr(RecordRepository, "ids_for_unique", stale_at_first)
    body = {
        "id_property": "email",
        "inputs": [
            {"properties": {"email": "taken@example.com", "first_name": "T"}},
            {"properties": {"email": "freed@example.com", "first_name": "F"}},
        ],
    }

    outcome = results(batch(api, tenant, "contacts", "upsert", body))

    assert [(r["status"], r["record"]["properties"]["first_name"]) for r in outcome] == [(200, "T"), (201, "F")]
    assert outcome[0]["record"]["id"] == taken["id"] and outcome[1]["record"]["id"] != freed["id"]
    assert reads == [["taken@example.com", "freed@example.com"], ["taken@example.com"], ["freed@example.com"]]


def test_given_a_batch_when_written_then_what_it_reads_is_read_once_for_all_its_inputs(api, tenant, monkeypatch):
    """A read per input before each write would cost as much as the writes: the records (and an upsert's unique
    guards) are read for the whole batch in one round trip, and each input's write uses what was read."""
    from crm.store import _Table

    known = [create(api, tenant, "contacts", {"email": f"c{n}@example.com"})["id"] for n in range(3)]
    reads: list[tuple[str, str]] = []  # (how, what) of the reads of records (R) and unique guards (U)
    original_get, original_get_many = _Table.get, _Table.get_many

    def what(pk: str) -> str:  # T#<tenant>#<what>#...
        return [*pk.split("#"), "", ""][2]

    def get(self, pk, sk):
        reads.append(("get", what(pk)))
        return original_get(self, pk, sk)

    def get_many(self, keys):
        reads.extend(("get_many", what(pk)) for pk in dict.fromkeys(pk for pk, _ in keys))
        return original_get_many(self, keys)

    monkeypatch.setattr(_Table, "get", get)
    monkeypatch.setattr(_Table, "get_many", get_many)
    upsert = {"id_property": "email", "inputs": [{"properties": {"email": f"c{n}@example.com"}} for n in range(6)]}
    update = {"inputs": [{"id": record_id, "properties": {"first_name": "U"}} for record_id in known]}
    archive = {"inputs": [{"id": record_id} for record_id in [*known, MISSING_ID]]}

    for action, body, expected, read in (
        ("upsert", upsert, [200, 200, 200, 201, 201, 201], [("get_many", "U"), ("get_many", "R")]),
        ("update", update, [200, 200, 200], [("get_many", "R")]),
        ("archive", archive, [204, 204, 204, 404], [("get_many", "R")]),
    ):
        reads.clear()
        assert statuses(batch(api, tenant, "contacts", action, body)) == expected
        assert [r for r in reads if r[1] in ("U", "R", "I")] == read, action
    # With an Idempotency-Key, what each input answered before (I) is read for the whole batch too
    reads.clear()
    assert statuses(batch(api, tenant, "contacts", "create", inputs({}, {}), headers={"Idempotency-Key": "k"})) == [
        422,
        422,
    ]
    with_key = batch(api, tenant, "contacts", "upsert", upsert, headers={"Idempotency-Key": "k2"})
    assert statuses(with_key) == [201, 201, 201, 200, 200, 200]  # (the first three were archived above)
    assert [r for r in reads if r[1] in ("U", "R", "I")] == [
        ("get_many", "I"),
        ("get_many", "I"),
        ("get_many", "U"),
        ("get_many", "R"),
    ]


@pytest.mark.parametrize(
    ("collection", "id_property"),
    [("contacts", "first_name"), ("contacts", "domain"), ("companies", "email"), ("deals", "name")],
)
def test_given_an_id_property_that_is_not_unique_when_batch_upserting_then_422_at_it_and_nothing_is_written(
    api, tenant, unchanged, collection, id_property
):
    with unchanged():
        reply = batch(api, tenant, collection, "upsert", {"id_property": id_property, "inputs": [{"properties": {}}]})
    assert_problem(reply, 422, "/id_property")


# --- malformed batches: refused whole, nothing written ----------------------------------------------

MALFORMED = [
    ("create", {"inputs": []}, ["/inputs"]),
    ("create", {}, ["/inputs"]),
    ("create", {"inputs": {"properties": {}}}, ["/inputs"]),
    ("create", {"inputs": [{"properties": {"email": "a@b.co"}}, {"properties": []}]}, ["/inputs/1/properties"]),
    ("create", {"inputs": [{"properties": {}, "id": MISSING_ID}]}, ["/inputs/0/id"]),
    ("create", {"inputs": [{"properties": {}}], "extra": 1}, ["/extra"]),
    ("update", {"inputs": [{"properties": {"first_name": "A"}}]}, ["/inputs/0/id"]),
    ("update", {"inputs": [{"id": MISSING_ID, "version": "1", "properties": {}}]}, ["/inputs/0/version"]),
    ("update", {"inputs": [{"id": MISSING_ID, "version": 0, "properties": {}}]}, ["/inputs/0/version"]),
    ("update", {"inputs": [{"id": MISSING_ID, "version": 1.5, "properties": {}}]}, ["/inputs/0/version"]),
    ("update", {"inputs": [{"id": "", "properties": {}}]}, ["/inputs/0/id"]),
    ("upsert", {"inputs": [{"properties": {"email": "a@b.co"}}]}, ["/id_property"]),
    ("archive", {"inputs": [{"id": 7}]}, ["/inputs/0/id"]),
    ("archive", {"inputs": [MISSING_ID]}, ["/inputs/0"]),
]


@pytest.mark.parametrize(("action", "body", "pointers"), MALFORMED)
def test_given_a_batch_malformed_as_a_whole_when_sent_then_422_with_pointers_and_nothing_is_written(
    api, tenant, unchanged, action, body, pointers
):
    with unchanged():
        reply = batch(api, tenant, "contacts", action, body)
    assert_problem(reply, 422, *pointers)


def test_given_more_than_100_inputs_when_sent_then_422_naming_the_limit_at_inputs_and_nothing_is_written(
    api, tenant, unchanged
):
    many = inputs(*({"email": f"c{n}@example.com"} for n in range(101)))
    with unchanged():
        for action, body in (("create", many), ("upsert", {**many, "id_property": "email"})):
            problem = assert_problem(batch(api, tenant, "contacts", action, body), 422, "/inputs")
            assert "100" in problem["errors"][0]["detail"]
    # ... while 100 is a batch
    hundred = {"inputs": many["inputs"][:100]}
    assert statuses(batch(api, tenant, "contacts", "create", hundred)) == [201] * 100


def test_given_a_body_that_is_not_json_when_batch_sent_then_400_and_nothing_is_written(api, tenant, unchanged):
    with unchanged():
        for action in ("create", "update", "upsert", "archive"):
            reply = api.post(f"/v1/contacts/batch/{action}", key=tenant.key, raw=b'{"inputs": [')
            assert assert_problem(reply, 400)["type"].endswith("/malformed-json")


def test_given_an_unknown_collection_when_batch_sent_then_404(api, tenant, unchanged):
    with unchanged():
        for root in ROOTS:
            assert_problem(api.post(f"{root}/widgets/batch/create", inputs({}), key=tenant.key), 404)


def test_given_a_batch_route_when_called_with_another_method_then_405_naming_post(api, tenant):
    for method in ("GET", "PUT", "PATCH", "DELETE"):
        reply = api.request(method, "/v1/objects/contacts/batch/upsert", key=tenant.key)
        assert_problem(reply, 405)
        assert reply.header("Allow") == "POST"


# --- an unexpected fault fails its input only ---------------------------------------------------------


def test_given_a_fault_writing_one_input_when_batch_created_then_that_input_is_a_500_and_the_others_are_written(
    api, tenant, monkeypatch
):
    original = RecordService.create

    def faulty(self, properties, **kw):
        if properties.get("first_name") == "Faulty":
            raise RuntimeError("a bug")
        return original(self, properties, **kw)

    monkeypatch.setattr(RecordService, "create", faulty)
    body = inputs({"first_name": "Ada"}, {"first_name": "Faulty"}, {"first_name": "Grace"})

    reply = batch(api, tenant, "contacts", "create", body)

    assert statuses(reply) == [201, 500, 201]
    problem = problem_of(results(reply)[1], 500)
    assert "a bug" not in json.dumps(problem) and "RuntimeError" not in json.dumps(problem)
    assert len(records(tenant.id, "contact")) == 2


# --- Idempotency-Key over the whole batch -----------------------------------------------------------


def test_given_an_idempotency_key_when_a_batch_is_retried_then_every_result_replays_and_nothing_more_is_written(
    api, tenant, tick
):
    create(api, tenant, "contacts", {"email": "taken@example.com"})
    body = {
        "id_property": "email",
        "inputs": [
            {"properties": {"email": "ada@example.com", "first_name": "Ada"}},
            {"properties": {"email": "ada@example.com", "last_name": "Lovelace"}},
            {"properties": {"email": "not an email"}},
        ],
    }
    key = {"Idempotency-Key": "upsert-1"}
    first = batch(api, tenant, "contacts", "upsert", body, headers=key)
    assert statuses(first) == [201, 200, 422]
    after_first = everything()
    tick()

    again = batch(api, tenant, "contacts", "upsert", body, headers=key)

    assert (again.body, again.header("Idempotent-Replayed")) == (first.body, "true")
    assert everything() == after_first
    # the same key with another batch is refused whole, before anything is written
    other = {**body, "inputs": body["inputs"][:2]}
    reused = batch(api, tenant, "contacts", "upsert", other, headers=key)
    assert assert_problem(reused, 422)["type"].endswith("/idempotency-key-reused")
    assert_problem(batch(api, tenant, "companies", "create", inputs({"name": "Acme"}), headers=key), 422)
    assert everything() == after_first


def test_given_an_idempotency_key_when_a_refused_input_is_retried_after_its_cause_is_gone_then_it_is_still_refused(
    api, tenant
):
    """Each input's first answer is the batch's answer, a refusal too: a retry never writes what was refused."""
    holder = create(api, tenant, "contacts", {"email": "taken@example.com"})
    body = inputs({"email": "taken@example.com"}, {"email": "free@example.com"})
    key = {"Idempotency-Key": "dup-1"}
    first = batch(api, tenant, "contacts", "create", body, headers=key)
    assert statuses(first) == [409, 201]
    assert api.delete(f"/v1/contacts/{holder['id']}", key=tenant.key).status == 204  # the email is free now

    again = batch(api, tenant, "contacts", "create", body, headers=key)

    assert (again.body, again.header("Idempotent-Replayed")) == (first.body, "true")
    assert api.get("/v1/contacts?email=taken@example.com", key=tenant.key).body["data"] == []
    assert statuses(batch(api, tenant, "contacts", "create", body)) == [201, 409]  # without the key: a new batch


class Crash(BaseException):
    """The function dying mid-batch (a timeout, the container gone): nothing in the handler catches it."""


def test_given_a_first_attempt_that_died_half_way_when_retried_with_its_key_then_it_finishes_without_writing_twice(
    api, tenant, tick, monkeypatch
):
    # Given a batch whose first attempt dies after writing 2 of its 4 inputs
    body = inputs(*({"first_name": f"Person {n}"} for n in range(4)))  # no unique value: a repeat would duplicate
    key = {"Idempotency-Key": "import-7"}
    original, calls = RecordService.create, []

    def dies_on_the_third(self, properties, **kw):
        calls.append(properties["first_name"])
        if len(calls) == 3:
            raise Crash()
        return original(self, properties, **kw)

    monkeypatch.setattr(RecordService, "create", dies_on_the_third)
    with pytest.raises(Crash):
        batch(api, tenant, "contacts", "create", body, headers=key)
    written = {r["id"] for r in records(tenant.id, "contact")}
    assert len(written) == 2
    monkeypatch.setattr(RecordService, "create", original)
    tick()

    # When the client retries it with the same key
    retried = batch(api, tenant, "contacts", "create", body, headers=key)

    # Then the two written inputs answer as first written, the other two are written now, once each
    assert statuses(retried) == [201] * 4
    assert retried.header("Idempotent-Replayed") is None  # not every input was answered before
    ids = [result["record"]["id"] for result in results(retried)]
    assert set(ids[:2]) == written and len(set(ids)) == 4
    assert [r["record"]["properties"]["first_name"] for r in results(retried)] == [f"Person {n}" for n in range(4)]
    assert len(records(tenant.id, "contact")) == 4
    assert event_types(tenant.id) == ["contact.created"] * 4
    # And a further retry replays all four
    last = batch(api, tenant, "contacts", "create", body, headers=key)
    assert (last.body, last.header("Idempotent-Replayed")) == (retried.body, "true")


def test_given_an_input_that_failed_with_a_fault_when_retried_with_the_key_then_only_it_is_written(
    api, tenant, monkeypatch
):
    """A 5xx is not remembered: the retry writes that input and replays the others."""
    original = RecordService.archive
    ada, bo = (create(api, tenant, "contacts", {"email": f"{n}@example.com"}) for n in ("ada", "bo"))

    def busy_for_bo(self, record_id, **kw):
        if record_id == bo["id"]:
            from crm.errors import ServiceUnavailable

            raise ServiceUnavailable("The data store is busy; retry shortly.")
        return original(self, record_id, **kw)

    monkeypatch.setattr(RecordService, "archive", busy_for_bo)
    body = {"inputs": [{"id": ada["id"]}, {"id": bo["id"]}]}
    key = {"Idempotency-Key": "archive-2"}
    first = batch(api, tenant, "contacts", "archive", body, headers=key)
    assert first.body["results"][0] == {"status": 204}
    problem_of(first.body["results"][1], 503)
    monkeypatch.setattr(RecordService, "archive", original)

    again = batch(api, tenant, "contacts", "archive", body, headers=key)

    assert results(again) == [{"status": 204}, {"status": 204}]
    assert again.header("Idempotent-Replayed") is None
    assert event_types(tenant.id) == ["contact.created"] * 2 + ["contact.deleted"] * 2


# --- roles and tenants ------------------------------------------------------------------------------


def test_given_a_read_only_key_when_it_sends_any_batch_then_403_and_nothing_is_written(api, tenant, unchanged):
    reader = api.post("/v1/api-keys", {"name": "Reader", "role": "read_only"}, key=tenant.key).body["api_key"]["key"]
    contact = create(api, tenant, "contacts", {"email": "ada@example.com"})
    bodies = {
        "create": inputs({"email": "bo@example.com"}),
        "update": {"inputs": [{"id": contact["id"], "properties": {"first_name": "B"}}]},
        "upsert": {"id_property": "email", "inputs": [{"properties": {"email": "ada@example.com"}}]},
        "archive": {"inputs": [{"id": contact["id"]}]},
    }
    with unchanged():
        for root in ROOTS:
            for action, body in bodies.items():
                assert_problem(api.post(f"{root}/contacts/batch/{action}", body, key=reader), 403)


def test_given_tenant_a_records_when_tenant_b_batch_updates_or_archives_them_then_each_is_a_404_and_a_is_unchanged(
    api, tenant, other_tenant
):
    ada = create(api, tenant, "contacts", {"email": "ada@acme.example", "first_name": "Ada"})
    acme = create(api, tenant, "companies", {"name": "Acme", "domain": "acme.example"})
    ids = {"contacts": ada["id"], "companies": acme["id"], "deals": create(api, tenant, "deals", {"name": "D"})["id"]}
    a_before, b_before = tenant_items(tenant.id), tenant_items(other_tenant.id)

    for method, path, body in CROSS_TENANT_ROUTES:
        reply = api.request(method, path, fill(body, ids), key=other_tenant.key)
        for result in results(reply):
            problem_of(result, 404, "/inputs/0/id")
            assert "ada@acme.example" not in json.dumps(result) and "Acme" not in json.dumps(result)

    assert (tenant_items(tenant.id), tenant_items(other_tenant.id)) == (a_before, b_before)


def test_given_tenant_a_unique_values_when_tenant_b_upserts_by_them_then_b_creates_its_own_and_a_keeps_its(
    api, tenant, other_tenant
):
    ada = create(api, tenant, "contacts", {"email": "ada@acme.example", "first_name": "Ada"})
    a_before = tenant_items(tenant.id)
    body = {"id_property": "email", "inputs": [{"properties": {"email": "ADA@acme.example", "first_name": "B's"}}]}

    reply = batch(api, other_tenant, "contacts", "upsert", body)

    [result] = results(reply)
    assert result["status"] == 201 and result["record"]["id"] != ada["id"]
    assert tenant_items(tenant.id) == a_before
    theirs = api.get("/v1/contacts?email=ada@acme.example", key=other_tenant.key).body["data"]
    assert [(r["id"], r["properties"]["first_name"]) for r in theirs] == [(result["record"]["id"], "B's")]
    assert api.get(f"/v1/contacts/{ada['id']}", key=tenant.key).body == ada


def fill(value: Any, ids: dict[str, str]) -> Any:
    """A body with its `{<collection>}` placeholders replaced by the ids given."""
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


_PATCHES = {"contacts": {"first_name": "Mallory"}, "companies": {"name": "Mallory Inc"}, "deals": {"amount": 1}}

# Batch routes naming tenant A's ids in the body (method, path, body with `{<collection>}` for A's record of that
# collection), as tests/integration/test_tenant_isolation.py attacks them: for tenant B, every input is a 404.
CROSS_TENANT_ROUTES = [
    (method, f"{root}/{collection}/batch/{action}", body)
    for root in ROOTS
    for collection in ("contacts", "companies", "deals")
    for method, action, body in (
        ("POST", "update", {"inputs": [{"id": f"{{{collection}}}", "properties": _PATCHES[collection]}]}),
        ("POST", "update", {"inputs": [{"id": f"{{{collection}}}", "version": 1, "properties": {}}]}),
        ("POST", "archive", {"inputs": [{"id": f"{{{collection}}}"}]}),
        ("POST", "archive", {"inputs": [{"id": f"{{{collection}}}", "version": 1}]}),
    )
]


# --- the idempotency suite's cases (tests/integration/test_idempotent_routes.py: Case(*case)) ----------

_NOUNS = {"contacts": "contact", "companies": "company", "deals": "deal"}
_NEW = {
    "contacts": ({"email": "ada@example.com"}, {"email": "bo@example.com"}),
    "companies": ({"name": "Acme", "domain": "acme.example"}, {"name": "Globex", "domain": "globex.example"}),
    "deals": ({"name": "Big"}, {"name": "Small"}),
}
_UNIQUE = {"contacts": "email", "companies": "domain"}


def _record_id(g: Any, collection: str) -> str:
    properties = {"first_name": "A"} if collection == "contacts" else {"name": "N"}
    return g.api.post(f"/v1/{collection}", {"properties": properties}, key=g.tenant.key).body["id"]


def _batch_cases(collection: str, root: str) -> list[tuple[str, str, Any]]:
    noun = collection if root == "/v1" else f"object_{collection}"
    base = f"{root}/{collection}/batch"
    one, two = _NEW[collection]
    cases = [
        (f"batch_create_{noun}", "POST", lambda g: (f"{base}/create", inputs(one), inputs(two), g.tenant.key)),
        (
            f"batch_update_{noun}",
            "POST",
            lambda g: (
                f"{base}/update",
                {"inputs": [{"id": (record := _record_id(g, collection)), "properties": one}]},
                {"inputs": [{"id": record, "properties": two}]},
                g.tenant.key,
            ),
        ),
        (
            f"batch_archive_{noun}",
            "POST",
            lambda g: (
                f"{base}/archive",
                {"inputs": [{"id": (record := _record_id(g, collection))}]},
                {"inputs": [{"id": record, "version": 1}]},
                g.tenant.key,
            ),
        ),
    ]
    if collection in _UNIQUE:
        upsert = {"id_property": _UNIQUE[collection]}
        cases.append(
            (
                f"batch_upsert_{noun}",
                "POST",
                lambda g: (f"{base}/upsert", {**upsert, **inputs(one)}, {**upsert, **inputs(two)}, g.tenant.key),
            )
        )
    return cases


# (operation id, method, prepare): prepare(given) -> (path, body, other body, key), as the suite's Case.
IDEMPOTENT_CASES = [case for root in ROOTS for collection in _NOUNS for case in _batch_cases(collection, root)]


# --- the document -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    from meta.handler import _openapi_json

    return json.loads(_openapi_json())


def test_given_the_served_document_then_each_collection_has_its_batches_typed_with_its_own_schemas(document):
    schemas, refs = document["components"]["schemas"], "#/components/schemas/"
    for root, noun in (("", "{}"), ("/objects", "object_{}")):
        for collection, name in (("contacts", "Contact"), ("companies", "Company"), ("deals", "Deal")):
            for action, body, answer in (
                ("create", f"{name}BatchCreateInput", f"{name}BatchResults"),
                ("update", f"{name}BatchUpdateInput", f"{name}BatchResults"),
                ("upsert", f"{name}BatchUpsertInput", f"{name}BatchResults"),
                ("archive", "BatchArchiveInput", "BatchArchiveResults"),
            ):
                path = f"{root}/{collection}/batch/{action}"
                if action == "upsert" and collection == "deals":
                    assert path not in document["paths"]  # a deal has no unique property to upsert by
                    continue
                operation = document["paths"][path]["post"]
                assert operation["operationId"] == f"batch_{action}_{noun.format(collection)}"
                assert operation["requestBody"]["content"]["application/json"]["schema"] == {"$ref": refs + body}
                success = operation["responses"]["200"]
                assert success["content"]["application/json"]["schema"] == {"$ref": refs + answer}
                assert set(success["headers"]) == {"Idempotent-Replayed"}
                assert "Idempotency-Key" in {p["name"] for p in operation["parameters"]}
                assert {"400", "401", "403", "404", "409", "413", "422", "429", "503"} <= set(operation["responses"])
    for name in ("Contact", "Company", "Deal"):
        assert schemas[f"{name}BatchCreateInput"]["properties"]["inputs"]["items"] == {"$ref": f"{refs}{name}Input"}
        update_item = schemas[f"{name}BatchUpdateItem"]["properties"]
        assert update_item["properties"] == {"$ref": f"{refs}{name}PatchProperties"}
        assert schemas[f"{name}BatchWritten"]["properties"]["record"] == {"$ref": refs + name}
    inputs_schema = schemas["ContactBatchCreateInput"]["properties"]["inputs"]
    assert (inputs_schema["minItems"], inputs_schema["maxItems"]) == (1, 100)
    assert schemas["ContactBatchUpsertInput"]["properties"]["id_property"]["enum"] == ["email"]
    assert schemas["CompanyBatchUpsertInput"]["properties"]["id_property"]["enum"] == ["domain"]
    assert not [name for name in schemas if name.startswith("RecordBatch")]  # none left generic


def test_given_real_batches_when_answered_then_each_status_body_and_header_is_as_documented(api, tenant, document):
    from tests.integration.test_contract import Contract

    c = Contract(api, document)
    key = tenant.key
    ada = c.post("/v1/contacts", {"properties": {"email": "ada@example.com"}}, key=key, expect=201).body
    mixed = inputs({"email": "bo@example.com"}, {"email": "ADA@example.com"}, {"email": "nope"})
    c.post("/v1/contacts/batch/create", mixed, key=key, expect=200)
    retry = {"Idempotency-Key": "contract-batch"}
    for _ in range(2):  # the second a replay
        c.post("/v1/objects/companies/batch/create", inputs({"name": "Acme"}), key=key, headers=retry, expect=200)
    c.post("/v1/objects/companies/batch/create", inputs({"name": "Other"}), key=key, headers=retry, expect=422)
    update = {
        "inputs": [
            {"id": ada["id"], "version": 1, "properties": {"first_name": "Ada"}},
            {"id": MISSING_ID, "properties": {}},
        ]
    }
    c.post("/v1/contacts/batch/update", update, key=key, expect=200)
    c.post("/v1/contacts/batch/update", {**update, "inputs": update["inputs"][:1]}, key=key, expect=200)  # 412
    upsert = {"id_property": "email", "inputs": [{"properties": {"email": "ada@example.com", "last_name": "L"}}]}
    c.post("/v1/objects/contacts/batch/upsert", upsert, key=key, expect=200)
    c.post("/v1/contacts/batch/upsert", {**upsert, "id_property": "phone"}, key=key, expect=422)
    c.post("/v1/deals/batch/archive", {"inputs": [{"id": MISSING_ID}]}, key=key, expect=200)
    c.post("/v1/contacts/batch/archive", {"inputs": [{"id": ada["id"]}, {"id": ada["id"]}]}, key=key, expect=200)
    c.post("/v1/contacts/batch/create", inputs(*[{}] * 101), key=key, expect=422)
    c.post("/v1/contacts/batch/create", key=key, raw=b'{"inputs": ', expect=400)
    c.post("/v1/contacts/batch/create", inputs({"first_name": "x" * 300_000}), key=key, expect=413)
    c.post("/v1/contacts/batch/create", inputs({}), expect=401)
    reader = c.post("/v1/api-keys", {"name": "R", "role": "read_only"}, key=key, expect=201).body["api_key"]["key"]
    c.post("/v1/contacts/batch/archive", {"inputs": [{"id": ada["id"]}]}, key=reader, expect=403)
    assert {status for operation, status in c.answered if operation.startswith("batch_")} == {
        200,
        400,
        401,
        403,
        413,
        422,
    }
