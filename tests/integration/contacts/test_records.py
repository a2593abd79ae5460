"""Records API (contacts, companies, deals and a tenant's custom object types), end to end through the local
gateway and the real handlers on moto: CRUD, merge-PATCH, If-Match, archive/restore, pagination, idempotency,
uniqueness, references and the outbox events each write leaves in the same transaction.

Custom-object records behave exactly as contacts do: each test of behaviour every object type shares runs
over a contact and over a partner, a custom object type shaped like contacts (see `Flavour`). What only
built-ins have (a property change with an event of its own, e.g. contact.lifecycle_stage_changed) is said
by the flavour's data, not by a branch in a test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from crm import clock
from tests.support.problems import assert_problem
from tests.support.table import event_types, events, partition, records

RECORD_FIELDS = {"id", "object", "properties", "version", "created_at", "updated_at", "archived_at"}
MISSING_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"


def _create(api, tenant, collection: str, properties: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return _post_record(api, tenant, f"/v1/{collection}", properties, **kw)


def _post_record(api, tenant, path: str, properties: dict[str, Any], **kw: Any) -> dict[str, Any]:
    reply = api.post(path, {"properties": properties}, key=tenant.key, **kw)
    assert reply.status == 201, reply.body
    return reply.body


def _record_event_types(tenant_id: str) -> list[str]:
    """The outbox's event types, sorted, without the schema.changed of creating a custom object type."""
    return [t for t in event_types(tenant_id) if not t.startswith("schema.")]


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


# --- the object types the tests run over ------------------------------------------------------------


@dataclass(frozen=True)
class Flavour:
    """One object type as this suite drives it: where its records live and the values a test writes.

    contact and partner share a shape (a unique `email` looked up by ?email=, an optional text property, an
    enum stage with the options lead and customer, `owner`, `phone`, a `company_id` reference to a company),
    so a test written once states what every record of either does."""

    object: str  # the object type's name and its events' prefix: partner -> partner.created
    path: str  # its collection's URL: /v1/contacts, /v1/objects/partners
    sent: dict[str, Any]  # a record's properties as a client may spell them...
    stored: dict[str, Any]  # ...as they are stored and returned...
    patch: dict[str, Any]  # ...and a change to them
    plain: Callable[[int], dict[str, Any]]  # the n-th of many valid records with no unique value among them
    required: dict[str, Any] = field(default_factory=dict)  # required properties: the value a test's record gets
    text: str = ""  # an optional free-text property, also identifying
    stage: str = ""  # an enum property with the options lead and customer
    # Properties whose change has an event of its own. Only built-ins have these: a custom object type
    # declares none (POST /v1/schemas has no such field), so its stage changes are only in <object>.updated.
    signals: dict[str, str] = field(default_factory=dict)
    custom: bool = False  # a tenant's own type: created by the `flavour` fixture

    def props(self, properties: dict[str, Any]) -> dict[str, Any]:
        """A record's properties: the test's own, with the required ones it does not name."""
        return {**self.required, **properties}

    def create(self, api, tenant, properties: dict[str, Any], **kw: Any) -> dict[str, Any]:
        return _post_record(api, tenant, self.path, self.props(properties), **kw)

    def url(self, record: dict[str, Any]) -> str:
        return f"{self.path}/{record['id']}"


STAGE_OPTIONS = [{"value": "lead", "label": "Lead"}, {"value": "customer", "label": "Customer"}]

# A custom object type shaped as contacts are (plus a required name, as deals have one).
PARTNER_TYPE = {
    "name": "partner",
    "collection": "partners",
    "label": "Partner",
    "properties": [
        {"name": "name", "label": "Name", "type": "string", "required": True},
        {"name": "email", "label": "Email", "type": "email", "unique": True},
        {"name": "contact_name", "label": "Contact person", "type": "string"},
        {"name": "phone", "label": "Phone", "type": "phone"},
        {"name": "stage", "label": "Stage", "type": "enum", "options": STAGE_OPTIONS},
        {"name": "owner", "label": "Owner", "type": "string"},
        {"name": "company_id", "label": "Company", "type": "reference", "target": "company"},
    ],
    "identifying": ["email", "contact_name", "phone"],
}

FLAVOURS = {
    "contact": Flavour(
        object="contact",
        path="/v1/contacts",
        sent={
            "email": " Ada@Example.COM ",
            "first_name": " Ada ",
            "phone": "(415) 555-2671",
            "lifecycle_stage": "Lead",
        },
        stored={"email": "ada@example.com", "first_name": "Ada", "phone": "+14155552671", "lifecycle_stage": "lead"},
        patch={"last_name": "Lovelace"},
        plain=lambda n: {"first_name": f"Contact {n}"},
        text="first_name",
        stage="lifecycle_stage",
        signals={"lifecycle_stage": "contact.lifecycle_stage_changed"},
    ),
    "partner": Flavour(
        object="partner",
        path="/v1/objects/partners",
        sent={
            "name": " Globex ",
            "email": " Ada@Example.COM ",
            "contact_name": " Ada ",
            "phone": "(415) 555-2671",
            "stage": "Lead",
        },
        stored={
            "name": "Globex",
            "email": "ada@example.com",
            "contact_name": "Ada",
            "phone": "+14155552671",
            "stage": "lead",
        },
        patch={"owner": "Lovelace"},
        plain=lambda n: {"name": f"Partner {n}", "contact_name": f"Person {n}"},
        required={"name": "Globex"},
        text="contact_name",
        stage="stage",
        custom=True,
    ),
    "company": Flavour(
        object="company",
        path="/v1/companies",
        sent={"name": " Acme ", "domain": "https://www.Acme.com/about", "industry": "Software"},
        stored={"name": "Acme", "domain": "acme.com", "industry": "Software"},
        patch={"industry": "Robotics"},
        plain=lambda n: {"name": f"Company {n}"},
    ),
    "deal": Flavour(
        object="deal",
        path="/v1/deals",
        sent={"name": "Big deal", "amount": "1200.50", "currency": "eur", "close_date": "2026-03-31T00:00:00Z"},
        stored={"name": "Big deal", "amount": 1200.5, "currency": "EUR", "close_date": "2026-03-31"},
        patch={"amount": 1500},
        plain=lambda n: {"name": f"Deal {n}"},
        required={"name": "D"},
        signals={"stage": "deal.stage_changed"},
    ),
}


def flavours(*names: str) -> pytest.MarkDecorator:
    """Run the test once per object type named, as `flavour`."""
    return pytest.mark.parametrize("flavour", names, indirect=True)


@pytest.fixture
def partners(api, tenant) -> dict[str, Any]:
    """The tenant's custom object type partner (records at /v1/objects/partners)."""
    reply = api.post("/v1/schemas", PARTNER_TYPE, key=tenant.key)  # the tenant's first key is an admin's
    assert reply.status == 201, reply.body
    return reply.body


@pytest.fixture
def flavour(request: pytest.FixtureRequest) -> Flavour:
    chosen = FLAVOURS[request.param]
    if chosen.custom:
        request.getfixturevalue("partners")
    return chosen


# --- CRUD -------------------------------------------------------------------------------------------


@flavours("contact", "company", "deal", "partner")
def test_given_valid_properties_when_a_record_goes_through_its_life_then_every_step_is_visible(
    api, tenant, tick, flavour
):
    created = api.post(flavour.path, {"properties": flavour.sent}, key=tenant.key)
    assert created.status == 201
    record = created.body
    assert set(record) == RECORD_FIELDS
    assert record["object"] == flavour.object
    assert record["properties"] == flavour.stored
    assert (record["version"], record["archived_at"]) == (1, None)
    assert record["created_at"] == record["updated_at"] == clock.now_iso()
    assert created.header("ETag") == '"1"'
    assert created.header("Location") == f"{flavour.path}/{record['id']}"
    path = flavour.url(record)

    fetched = api.get(path, key=tenant.key)
    assert (fetched.status, fetched.body, fetched.header("ETag")) == (200, record, '"1"')
    assert api.get(flavour.path, key=tenant.key).body == {"data": [record], "next_cursor": None}
    assert api.get(path.lower(), key=tenant.key).body == record  # ids are case-insensitive

    tick()
    patched = api.patch(path, {"properties": flavour.patch}, key=tenant.key)
    assert patched.status == 200
    assert patched.body["properties"] == {**flavour.stored, **flavour.patch}
    assert patched.body["version"] == 2
    assert patched.header("ETag") == '"2"'
    assert patched.body["created_at"] == record["created_at"] < patched.body["updated_at"]
    assert api.get(path, key=tenant.key).body == patched.body

    tick()
    archived = api.delete(path, key=tenant.key)
    assert (archived.status, archived.body, archived.header("ETag")) == (204, None, '"3"')
    assert_problem(api.get(path, key=tenant.key), 404)
    assert api.get(flavour.path, key=tenant.key).body == {"data": [], "next_cursor": None}
    hidden = api.get(f"{path}?archived=true", key=tenant.key)
    assert hidden.status == 200
    assert hidden.body["archived_at"] == clock.now_iso()
    assert hidden.body["version"] == 3
    archived_list = api.get(f"{flavour.path}?archived=true", key=tenant.key).body["data"]
    assert [r["id"] for r in archived_list] == [record["id"]]

    tick()
    restored = api.post(f"{path}/restore", key=tenant.key)
    assert restored.status == 200
    assert (restored.body["version"], restored.body["archived_at"]) == (4, None)
    assert restored.body["properties"] == patched.body["properties"]
    assert restored.header("ETag") == '"4"'
    assert api.get(path, key=tenant.key).body == restored.body

    signals = [event for prop, event in flavour.signals.items() if prop in flavour.sent]
    name = flavour.object
    expected = [f"{name}.created", *signals, f"{name}.updated", f"{name}.deleted", f"{name}.restored"]
    assert _record_event_types(tenant.id) == sorted(expected)
    assert len(records(tenant.id, name)) == 1


@flavours("contact", "partner")
def test_given_a_record_when_patched_with_null_then_the_property_is_removed_and_the_event_says_so(
    api, tenant, tick, flavour
):
    record = flavour.create(api, tenant, {"email": "ada@example.com", flavour.text: "Ada", "owner": "bob"})
    tick()
    reply = api.patch(flavour.url(record), {"properties": {flavour.text: None, "owner": "eve"}}, key=tenant.key)
    assert reply.status == 200
    assert reply.body["properties"] == flavour.props({"email": "ada@example.com", "owner": "eve"})
    assert reply.body["version"] == 2
    updated = [e for e in events(tenant.id) if e["type"] == f"{flavour.object}.updated"]
    assert len(updated) == 1
    assert updated[0]["changes"] == {
        flavour.text: {"old": "Ada", "new": None},
        "owner": {"old": "bob", "new": "eve"},
    }
    assert updated[0]["data"] == reply.body


def _no_op_patches(text: str) -> list[dict[str, Any]]:
    """Patches of a record {email: ada@example.com, <text>: Ada} that change nothing."""
    return [
        {},
        {"email": "  ADA@Example.com "},  # the same value once normalised
        {text: "Ada"},
        {"owner": None},  # removing what is not there
        {"email": "ada@example.com", "owner": None, text: " Ada"},
    ]


@flavours("contact", "partner")
def test_given_a_patch_that_changes_nothing_when_sent_then_no_new_version_and_no_event(
    api, tenant, tick, unchanged, flavour
):
    record = flavour.create(api, tenant, {"email": "ada@example.com", flavour.text: "Ada"})
    tick()
    for patch in _no_op_patches(flavour.text):
        with unchanged():
            reply = api.patch(flavour.url(record), {"properties": patch}, key=tenant.key)
        assert (reply.status, reply.body, reply.header("ETag")) == (200, record, '"1"'), patch
    assert _record_event_types(tenant.id) == [f"{flavour.object}.created"]


@flavours("deal", "partner")
def test_given_a_required_property_when_left_out_or_removed_then_422_and_nothing_changes(
    api, tenant, unchanged, flavour
):
    (required,) = flavour.required
    record = flavour.create(api, tenant, flavour.plain(1))
    without = {k: v for k, v in flavour.plain(2).items() if k != required}
    with unchanged():
        assert_problem(
            api.patch(flavour.url(record), {"properties": {required: None}}, key=tenant.key),
            422,
            f"/properties/{required}",
        )
        assert_problem(api.post(flavour.path, {"properties": without}, key=tenant.key), 422, f"/properties/{required}")


@flavours("contact", "partner")
def test_given_a_record_when_a_patch_would_remove_every_identifying_property_then_422_and_unchanged(
    api, tenant, flavour
):
    created = flavour.create(api, tenant, {"email": "only@example.com", "owner": "sam"})

    reply = api.patch(flavour.url(created), {"properties": {"email": None}}, key=tenant.key)

    assert reply.status == 422 and reply.body["errors"][0]["pointer"] == "/properties"
    assert api.get(flavour.url(created), key=tenant.key).body == created


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
    ("", 412),  # an empty header is a precondition no version meets
]


@flavours("contact", "partner")
def test_given_an_if_match_header_when_patching_then_only_the_current_etag_or_star_is_honoured(
    api, tenant, unchanged, flavour
):
    for n, (if_match, status) in enumerate(IF_MATCH):
        record = flavour.create(api, tenant, {"email": f"{n}@example.com"})
        path = flavour.url(record)
        body = {"properties": {flavour.text: "Ada"}}
        if status == 200:
            reply = api.patch(path, body, key=tenant.key, headers={"If-Match": if_match})
            assert (reply.status, reply.body["version"], reply.header("ETag")) == (200, 2, '"2"'), if_match
        else:
            with unchanged():
                reply = api.patch(path, body, key=tenant.key, headers={"If-Match": if_match})
                assert reply.status == 412, (if_match, reply.body)
                assert_problem(reply, 412)


@flavours("contact", "partner")
def test_given_a_stale_etag_when_patching_or_archiving_then_412_and_the_current_etag_works(
    api, tenant, unchanged, flavour
):
    record = flavour.create(api, tenant, {"email": "ada@example.com"})
    path = flavour.url(record)
    assert api.patch(path, {"properties": {flavour.text: "A"}}, key=tenant.key).header("ETag") == '"2"'
    with unchanged():
        stale = {"If-Match": '"1"'}
        assert_problem(api.patch(path, {"properties": {flavour.text: "B"}}, key=tenant.key, headers=stale), 412)
        assert_problem(api.delete(path, key=tenant.key, headers=stale), 412)
        assert_problem(api.delete(path, key=tenant.key, headers={"if-match": "nonsense"}), 412)
        # even a patch that would change nothing checks the precondition
        assert_problem(api.patch(path, {"properties": {}}, key=tenant.key, headers=stale), 412)
    assert api.delete(path, key=tenant.key, headers={"If-Match": '"2"'}).status == 204


# --- archive and restore ----------------------------------------------------------------------------


@flavours("contact", "partner")
def test_given_an_archived_record_when_its_email_is_reused_then_restoring_it_conflicts_until_freed(
    api, tenant, tick, flavour
):
    lookup = f"{flavour.path}?email=ada@example.com"
    first = flavour.create(api, tenant, {"email": "ada@example.com", flavour.text: "First"})
    tick()
    assert api.delete(flavour.url(first), key=tenant.key).status == 204
    assert api.get(lookup, key=tenant.key).body == {"data": [], "next_cursor": None}

    tick()
    second = flavour.create(api, tenant, {"email": "ADA@example.com", flavour.text: "Second"})  # email freed
    assert api.get(lookup, key=tenant.key).body["data"] == [second]

    tick()
    problem = assert_problem(api.post(f"{flavour.url(first)}/restore", key=tenant.key), 409, "/properties/email")
    assert problem["existing_id"] == second["id"]
    assert api.get(f"{flavour.url(first)}?archived=true", key=tenant.key).body["archived_at"] is not None

    assert api.delete(flavour.url(second), key=tenant.key).status == 204
    restored = api.post(f"{flavour.url(first)}/restore", key=tenant.key)
    assert restored.status == 200
    assert api.get(lookup, key=tenant.key).body["data"] == [restored.body]


@flavours("company", "partner")
def test_given_an_active_record_when_restored_then_nothing_changes(api, tenant, unchanged, flavour):
    record = flavour.create(api, tenant, flavour.plain(1))
    with unchanged():
        reply = api.post(f"{flavour.url(record)}/restore", key=tenant.key)
    assert (reply.status, reply.body) == (200, record)


@flavours("company", "partner")
def test_given_an_archived_record_when_changed_or_read_then_it_is_not_found(api, tenant, unchanged, flavour):
    record = flavour.create(api, tenant, flavour.plain(1))
    path = flavour.url(record)
    assert api.delete(path, key=tenant.key).status == 204
    with unchanged():
        for method, body in (("DELETE", None), ("PATCH", {"properties": flavour.patch}), ("GET", None)):
            for headers in (None, {"If-Match": "*"}):
                assert_problem(api.request(method, path, body, key=tenant.key, headers=headers), 404)


def test_given_an_id_that_does_not_exist_when_used_then_404(api, tenant, partners, unchanged):
    routes = [("GET", "", None), ("PATCH", "", {"properties": {}}), ("DELETE", "", None), ("POST", "/restore", None)]
    with unchanged():
        for collection in ("contacts", "companies", "deals", "objects/partners"):
            for method, suffix, body in routes:
                reply = api.request(method, f"/v1/{collection}/{MISSING_ID}{suffix}", body, key=tenant.key)
                assert reply.status == 404, (collection, method, suffix, reply.body)
                assert_problem(reply, 404)


# --- lists and pagination ---------------------------------------------------------------------------


@flavours("company", "partner")
def test_given_more_records_than_three_pages_when_paged_then_newest_first_without_duplicates_or_gaps(
    api, tenant, tick, flavour
):
    created = []
    for n in range(7):
        tick()
        created.append(flavour.create(api, tenant, flavour.plain(n))["id"])
    newest_first = created[::-1]

    ids, pages = _page_through(api, tenant, flavour.path, limit=3)
    assert (ids, pages) == (newest_first, 3)
    assert _page_through(api, tenant, flavour.path, limit=1) == (newest_first, 7)
    assert _page_through(api, tenant, flavour.path, limit=100) == (newest_first, 1)
    default = api.get(flavour.path, key=tenant.key).body
    assert [r["id"] for r in default["data"]] == newest_first and default["next_cursor"] is None

    for archived in (created[1], created[4], created[5]):
        assert api.delete(f"{flavour.path}/{archived}", key=tenant.key).status == 204
    active = [i for i in newest_first if i not in (created[1], created[4], created[5])]
    assert _page_through(api, tenant, flavour.path, limit=2)[0] == active
    assert _page_through(api, tenant, f"{flavour.path}?archived=true", limit=2)[0] == newest_first


# A tenant's record lists once it has partners (the test below asks for the `partners` fixture, so a company's
# cursor is tried on the partner list too).
RECORD_LISTS = ("/v1/contacts", "/v1/companies", "/v1/deals", "/v1/objects/partners")


@flavours("company", "partner")
def test_given_a_cursor_when_used_on_another_list_then_400(api, tenant, tick, partners, flavour):
    for n in range(3):
        tick()
        flavour.create(api, tenant, flavour.plain(n))
        _create(api, tenant, "deals", {"name": f"D{n}"})
    cursor = api.get(f"{flavour.path}?limit=1", key=tenant.key).body["next_cursor"]
    assert cursor
    assert api.get(f"{flavour.path}?limit=1&cursor={cursor}", key=tenant.key).status == 200
    others = [f"{path}?" for path in RECORD_LISTS if path != flavour.path]
    for other in (*others, f"{flavour.path}?archived=true&", "/v1/api-keys?"):
        problem = assert_problem(api.get(f"{other}cursor={cursor}", key=tenant.key), 400)
        assert problem["type"].endswith("/invalid-cursor")


# --- idempotency ------------------------------------------------------------------------------------


@flavours("contact", "partner")
def test_given_an_idempotency_key_when_a_create_is_retried_then_the_first_response_returns_and_one_record_exists(
    api, tenant, tick, flavour
):
    body = {"properties": flavour.props({"email": "ada@example.com", flavour.text: "Ada"})}
    key = {"Idempotency-Key": "create-ada-1"}
    first = api.post(flavour.path, body, key=tenant.key, headers=key)
    assert first.status == 201 and first.header("Idempotent-Replayed") is None
    tick()
    again = api.post(flavour.path, body, key=tenant.key, headers=key)
    assert (again.status, again.body) == (201, first.body)
    assert again.header("Idempotent-Replayed") == "true"
    assert again.header("ETag") == first.header("ETag")
    assert again.header("Location") == first.header("Location")
    assert len(records(tenant.id, flavour.object)) == 1
    assert _record_event_types(tenant.id) == [f"{flavour.object}.created"]


def _reused_key_requests(flavour: Flavour, record: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """Requests other than the create of `record` ({email: ada@example.com}), as (method, path, body)."""
    path = flavour.url(record)
    return [
        ("POST", flavour.path, {"properties": flavour.props({"email": "other@example.com"})}),
        # same once normalised, not same body
        ("POST", flavour.path, {"properties": flavour.props({"email": "ADA@example.com"})}),
        ("POST", "/v1/companies", {"properties": {"name": "Acme"}}),
        ("POST", "/v1/deals", {"properties": {"email": "ada@example.com"}}),
        ("PATCH", path, {"properties": {"email": "ada@example.com"}}),
        ("DELETE", path, None),
        ("POST", f"{path}/restore", None),
    ]


@flavours("contact", "partner")
def test_given_a_used_idempotency_key_when_sent_with_another_request_then_422_and_nothing_is_written(
    api, tenant, unchanged, flavour
):
    key = {"Idempotency-Key": "shared"}
    record = flavour.create(api, tenant, {"email": "ada@example.com"}, headers=key)
    for method, path, body in _reused_key_requests(flavour, record):
        with unchanged():
            reply = api.request(method, path, body, key=tenant.key, headers=key)
            assert reply.status == 422, (method, path, body, reply.body)
            assert assert_problem(reply, 422)["type"].endswith("/idempotency-key-reused")


@flavours("contact", "partner")
def test_given_an_idempotency_key_when_a_patch_is_retried_after_another_change_then_the_first_response_returns(
    api, tenant, tick, flavour
):
    path = flavour.url(flavour.create(api, tenant, {"email": "ada@example.com"}))
    key = {"Idempotency-Key": "patch-1"}
    first = api.patch(path, {"properties": {flavour.text: "B"}}, key=tenant.key, headers=key)
    assert first.body["version"] == 2
    tick()
    assert api.patch(path, {"properties": {flavour.text: "C"}}, key=tenant.key).body["version"] == 3
    again = api.patch(path, {"properties": {flavour.text: "B"}}, key=tenant.key, headers=key)
    assert (again.status, again.body, again.header("ETag")) == (200, first.body, '"2"')
    assert again.header("Idempotent-Replayed") == "true"
    current = api.get(path, key=tenant.key).body  # the replay wrote nothing
    assert (current["version"], current["properties"][flavour.text]) == (3, "C")
    name = flavour.object
    assert _record_event_types(tenant.id) == [f"{name}.created", f"{name}.updated", f"{name}.updated"]


@flavours("contact", "partner")
def test_given_an_idempotency_key_when_an_archive_or_restore_is_retried_then_it_replays(api, tenant, flavour):
    path = flavour.url(flavour.create(api, tenant, {"email": "ada@example.com"}))
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
    name = flavour.object
    assert _record_event_types(tenant.id) == [f"{name}.created", f"{name}.deleted", f"{name}.restored"]


@flavours("company", "partner")
def test_given_an_idempotency_key_older_than_its_lifetime_when_reused_then_the_request_runs_again(
    api, tenant, frozen_clock, flavour
):
    key = {"Idempotency-Key": "old"}
    body = {"properties": flavour.plain(1)}
    first = api.post(flavour.path, body, key=tenant.key, headers=key)
    frozen_clock[0] += timedelta(hours=23, minutes=59)
    assert api.post(flavour.path, body, key=tenant.key, headers=key).header("Idempotent-Replayed") == "true"
    frozen_clock[0] += timedelta(minutes=2)
    later = api.post(flavour.path, body, key=tenant.key, headers=key)
    assert later.status == 201 and later.header("Idempotent-Replayed") is None
    assert later.body["id"] != first.body["id"]
    assert len(records(tenant.id, flavour.object)) == 2


@flavours("contact", "partner")
def test_given_a_failed_write_when_retried_with_its_idempotency_key_then_it_is_not_a_replay(api, tenant, flavour):
    flavour.create(api, tenant, {"email": "ada@example.com"})
    key = {"Idempotency-Key": "dup"}
    body = {"properties": flavour.props({"email": "ada@example.com"})}
    assert_problem(api.post(flavour.path, body, key=tenant.key, headers=key), 409)
    assert_problem(api.post(flavour.path, body, key=tenant.key, headers=key), 409)  # errors are not remembered


# --- uniqueness -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flavour", "first", "duplicate", "pointer"),
    [
        pytest.param(
            "contact",
            {"email": "ada@example.com"},
            {"email": " ADA@Example.COM ", "first_name": "Other"},
            "/properties/email",
            id="contact-email",
        ),
        pytest.param(
            "partner",
            {"email": "ada@example.com"},
            {"email": " ADA@Example.COM ", "contact_name": "Other"},
            "/properties/email",
            id="partner-email",
        ),
        pytest.param(
            "company",
            {"name": "A", "domain": "acme.com"},
            {"name": "B", "domain": "https://www.ACME.com/x"},
            "/properties/domain",
            id="company-domain",
        ),
        pytest.param(
            "company",
            {"domain": "straße.de"},
            {"domain": "xn--strae-oqa.de"},
            "/properties/domain",
            id="company-domain-idna",
        ),
    ],
    indirect=["flavour"],
)
def test_given_a_unique_value_in_use_when_another_record_claims_it_then_409_with_the_existing_id(
    api, tenant, unchanged, flavour, first, duplicate, pointer
):
    existing = flavour.create(api, tenant, first)
    with unchanged():
        problem = assert_problem(
            api.post(flavour.path, {"properties": flavour.props(duplicate)}, key=tenant.key), 409, pointer
        )
    assert problem["existing_id"] == existing["id"]
    assert problem["type"].endswith("/duplicate-record")


@flavours("contact", "partner")
def test_given_two_records_when_one_takes_the_others_email_by_patch_then_409_and_nothing_changes(
    api, tenant, unchanged, flavour
):
    ada = flavour.create(api, tenant, {"email": "ada@example.com"})
    bob = flavour.create(api, tenant, {"email": "bob@example.com"})
    with unchanged():
        problem = assert_problem(
            api.patch(flavour.url(bob), {"properties": {"email": "Ada@Example.com"}}, key=tenant.key),
            409,
            "/properties/email",
        )
    assert problem["existing_id"] == ada["id"]


@flavours("contact", "partner")
def test_given_a_record_when_its_email_changes_or_is_removed_then_the_old_email_is_free(api, tenant, flavour):
    def holder(email: str) -> list[dict[str, Any]]:
        return api.get(f"{flavour.path}?email={email}", key=tenant.key).body["data"]

    ada = flavour.create(api, tenant, {"email": "ada@example.com", flavour.text: "Ada"})
    path = flavour.url(ada)
    assert api.patch(path, {"properties": {"email": "ada@new.example"}}, key=tenant.key).status == 200
    assert holder("ada@new.example")[0]["id"] == ada["id"]
    other = flavour.create(api, tenant, {"email": "ada@example.com"})
    assert holder("ada@example.com")[0]["id"] == other["id"]

    assert api.patch(path, {"properties": {"email": None}}, key=tenant.key).status == 200
    assert holder("ada@new.example") == []
    flavour.create(api, tenant, {"email": "ada@new.example"})


@flavours("contact", "partner")
def test_given_unique_values_when_looked_up_in_any_spelling_then_exactly_the_one_record_is_found(api, tenant, flavour):
    ada = flavour.create(api, tenant, {"email": "ada@example.com"})
    flavour.create(api, tenant, {"email": "bob@example.com"})
    found = {
        f"{flavour.path}?email=%20ADA@Example.COM%20": ada,
        f"{flavour.path}?email=ada@example.com&limit=1": ada,
        f"{flavour.path}?email=nobody@example.com": None,
    }
    for query, record in found.items():
        reply = api.get(query, key=tenant.key)
        assert (reply.status, reply.body) == (200, {"data": [record] if record else [], "next_cursor": None}), query


# Companies only: a domain (a pasted URL, www., IDN spellings are one) is a built-in type of theirs.
def test_given_company_domains_when_looked_up_in_any_spelling_then_exactly_the_one_company_is_found(api, tenant):
    acme = _create(api, tenant, "companies", {"domain": "acme.com"})
    _create(api, tenant, "companies", {"domain": "globex.com"})
    found = {
        "/v1/companies?domain=https://www.acme.com/about": acme,
        "/v1/companies?domain=ACME.com": acme,
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


# Deals only: a list of references (contact_ids) is a built-in's; a custom property refers to one record.
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


@flavours("contact", "partner")
def test_given_a_company_reference_when_written_then_only_an_active_company_of_the_tenant_is_taken(
    api, tenant, unchanged, flavour
):
    acme = _create(api, tenant, "companies", {"name": "Acme"})
    gone = _create(api, tenant, "companies", {"name": "Gone"})
    assert api.delete(f"/v1/companies/{gone['id']}", key=tenant.key).status == 204
    ada = _create(api, tenant, "contacts", {"email": "ada@example.com"})

    record = flavour.create(api, tenant, {"email": "a@b.co", "company_id": f" {acme['id'].lower()} "})
    assert record["properties"]["company_id"] == acme["id"]
    for wrong in (gone["id"], MISSING_ID, ada["id"]):  # archived, missing, a contact (not a company)
        with unchanged():
            assert_problem(
                api.post(
                    flavour.path,
                    {"properties": flavour.props({"email": "b@b.co", "company_id": wrong})},
                    key=tenant.key,
                ),
                422,
                "/properties/company_id",
            )
            assert_problem(
                api.patch(flavour.url(record), {"properties": {"company_id": wrong}}, key=tenant.key),
                422,
                "/properties/company_id",
            )


# --- outbox events ----------------------------------------------------------------------------------


@flavours("contact", "partner")
def test_given_a_record_with_a_stage_when_created_then_its_complete_events_are_in_the_outbox(
    api, tenant, frozen_clock, flavour
):
    before = {e["id"] for e in events(tenant.id)}  # (creating a custom object type wrote schema.changed)
    record = flavour.create(api, tenant, {"email": "ada@example.com", flavour.stage: "lead"})
    outbox = sorted((e for e in events(tenant.id) if e["id"] not in before), key=lambda e: e["type"])
    signals = [event for prop, event in flavour.signals.items() if prop == flavour.stage]
    assert [e["type"] for e in outbox] == [f"{flavour.object}.created", *signals]
    for event in outbox:
        assert len(event["id"]) == 26
        assert event["tenant_id"] == tenant.id
        assert event["object"] == flavour.object
        assert event["record_id"] == record["id"]
        assert event["data"] == record
        assert event["occurred_at"] == clock.isoformat(frozen_clock[0])
    assert outbox[0]["changes"] == {
        **{name: {"old": None, "new": value} for name, value in flavour.required.items()},
        "email": {"old": None, "new": "ada@example.com"},
        flavour.stage: {"old": None, "new": "lead"},
    }
    for signal in outbox[1:]:
        assert signal["changes"] == {flavour.stage: {"old": None, "new": "lead"}}

    items = [i for i in partition(f"T#{tenant.id}#E") if i["sk"] not in before]
    assert {i["kind"] for i in items} == {"event"}
    assert all(i["expires_at"] == int((frozen_clock[0] + timedelta(days=35)).timestamp()) for i in items)
    assert {i["sk"] for i in items} == {e["id"] for e in outbox}


def _new_events(tenant_id: str, seen: list[str]) -> list[dict[str, Any]]:
    fresh = [e for e in events(tenant_id) if e["id"] not in seen]
    seen += [e["id"] for e in fresh]
    return sorted(fresh, key=lambda e: e["type"])


@flavours("contact", "partner")
def test_given_each_kind_of_write_when_it_succeeds_then_exactly_its_events_are_written(api, tenant, flavour):
    name, stage, text = flavour.object, flavour.stage, flavour.text
    # A stage change's own event (contact.lifecycle_stage_changed), beside <object>.updated; none for partners.
    signals = [event for prop, event in flavour.signals.items() if prop == stage]
    seen = [e["id"] for e in events(tenant.id)]  # (creating a custom object type wrote schema.changed)

    def written() -> dict[str, dict[str, Any]]:
        """The changes of each event the last write left, by event type (one of each)."""
        fresh = _new_events(tenant.id, seen)
        assert len({e["type"] for e in fresh}) == len(fresh), [e["type"] for e in fresh]
        return {e["type"]: e["changes"] for e in fresh}

    ada = flavour.create(api, tenant, {"email": "ada@example.com"})
    assert list(written()) == [f"{name}.created"]

    path = flavour.url(ada)
    api.patch(path, {"properties": {stage: "customer", text: "Ada"}}, key=tenant.key)
    staged = {stage: {"old": None, "new": "customer"}}
    assert written() == {
        **dict.fromkeys(signals, staged),
        f"{name}.updated": {**staged, text: {"old": None, "new": "Ada"}},
    }

    api.patch(path, {"properties": {text: "Augusta"}}, key=tenant.key)
    assert written() == {f"{name}.updated": {text: {"old": "Ada", "new": "Augusta"}}}

    api.patch(path, {"properties": {stage: None}}, key=tenant.key)
    unstaged = {stage: {"old": "customer", "new": None}}
    assert written() == {**dict.fromkeys(signals, unstaged), f"{name}.updated": unstaged}

    api.delete(path, key=tenant.key)
    (deleted,) = _new_events(tenant.id, seen)
    assert (deleted["type"], deleted["changes"]) == (f"{name}.deleted", {})
    assert deleted["data"]["archived_at"] is not None

    api.post(f"{path}/restore", key=tenant.key)
    (restored,) = _new_events(tenant.id, seen)
    assert (restored["type"], restored["data"]["archived_at"]) == (f"{name}.restored", None)


# Built-ins only: a deal's stage change has an event of its own (custom object types declare none).
def test_given_deal_and_company_writes_when_they_succeed_then_exactly_their_events_are_written(api, tenant):
    seen: list[str] = []
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
