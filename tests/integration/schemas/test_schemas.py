"""A tenant's data model: custom properties on built-ins, custom object types with the records API of the
built-ins, schema changes that would strand values refused with counts, archive and restore, tenants apart."""

from __future__ import annotations

from typing import Any

import pytest

from crm.store import TenantTable
from tests.support.problems import assert_problem
from tests.support.table import event_types, events

SEGMENT = {
    "name": "segment",
    "label": "Segment",
    "type": "enum",
    "options": [{"value": "smb", "label": "SMB"}, {"value": "ent", "label": "Enterprise"}],
    "description": "Market segment",
}
PARTNER = {
    "name": "partner",
    "collection": "partners",
    "label": "Partner",
    "properties": [
        {"name": "name", "label": "Name", "type": "string"},
        {"name": "website", "label": "Website", "type": "url", "unique": True},
        {"name": "tier", "label": "Tier", "type": "enum", "options": [{"value": "gold", "label": "Gold"}]},
        {"name": "referrer", "label": "Referred by", "type": "reference", "target": "contact"},
    ],
    "identifying": ["name", "website"],
}


def add_property(api, tenant, collection: str, body: dict[str, Any]) -> dict[str, Any]:
    reply = api.post(f"/v1/schemas/{collection}/properties", body, key=tenant.key)
    assert reply.status == 201, reply.body
    return reply.body


def create_partner_type(api, tenant) -> dict[str, Any]:
    reply = api.post("/v1/schemas", PARTNER, key=tenant.key)
    assert reply.status == 201, reply.body
    return reply.body


def contact(api, tenant, **properties: Any):
    return api.post("/v1/contacts", {"properties": properties}, key=tenant.key)


# --- schemas and custom properties ---------------------------------------------------------------------


def test_given_a_new_tenant_then_its_schemas_are_the_built_ins_with_their_properties(api, tenant):
    reply = api.get("/v1/schemas", key=tenant.key)

    assert reply.status == 200
    assert [s["collection"] for s in reply.body["data"]] == ["contacts", "companies", "deals"]
    contacts = reply.body["data"][0]
    email = next(p for p in contacts["properties"] if p["name"] == "email")
    assert email == {**email, "type": "email", "unique": True, "custom": False, "read_only": False}
    score = next(p for p in contacts["properties"] if p["name"] == "score")
    assert score["read_only"] is True
    stage = next(p for p in contacts["properties"] if p["name"] == "lifecycle_stage")
    assert stage["type"] == "enum" and {"value": "lead", "label": "lead"} in stage["options"]


def test_given_a_custom_enum_property_when_records_are_written_then_they_are_validated_by_it_at_once(api, tenant):
    """Given segment (smb, ent) added to contacts, when contacts are written, then a valid value is stored
    and returned, an invalid one is a 422 naming the options at /properties/segment."""
    created = add_property(api, tenant, "contacts", SEGMENT)
    assert created["custom"] is True and created["options"] == SEGMENT["options"]
    assert api.get("/v1/schemas/contacts/properties/segment", key=tenant.key).body == created

    good = contact(api, tenant, email="ana@acme.com", segment="SMB")
    bad = contact(api, tenant, email="bo@acme.com", segment="mid")

    assert good.status == 201 and good.body["properties"]["segment"] == "smb"
    problem = assert_problem(bad, 422, "/properties/segment")
    assert "must be one of: smb, ent" in problem["errors"][0]["detail"]
    assert "schema.changed" in event_types(tenant.id)


@pytest.mark.parametrize(
    ("kind", "extra", "good", "stored", "bad"),
    [
        ("string", {}, "  Gold  ", "Gold", ""),
        ("text", {}, "line 1\r\nline 2", "line 1\nline 2", 12),
        ("number", {}, "12.50", 12.5, "twelve"),
        ("boolean", {}, True, True, "yes"),
        ("date", {}, "2026-11-23", "2026-11-23", "23/11/2026"),
        ("datetime", {}, "2026-11-23T10:00:00+01:00", "2026-11-23T09:00:00.000Z", "2026-11-23T10:00"),
        (
            "multi_enum",
            {"options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]},
            ["b", "a"],
            ["a", "b"],
            ["c"],
        ),
        ("email", {}, "Ana@Acme.com", "ana@acme.com", "ana@"),
        ("phone", {}, "+1 201 555 0123", "+12015550123", "12"),
        ("url", {}, "https://acme.com/x", "https://acme.com/x", "ftp://acme.com"),
        ("currency", {}, "eur", "EUR", "EURO"),
    ],
)
def test_given_each_property_type_then_writes_are_normalised_or_refused_with_a_pointer(
    api, tenant, kind, extra, good, stored, bad
):
    add_property(api, tenant, "companies", {"name": "field", "label": "Field", "type": kind, **extra})

    written = api.post("/v1/companies", {"properties": {"name": "Acme", "field": good}}, key=tenant.key)
    refused = api.post("/v1/companies", {"properties": {"name": "Acme", "field": bad}}, key=tenant.key)

    assert written.status == 201, written.body
    assert written.body["properties"]["field"] == stored
    assert_problem(refused, 422, "/properties/field")


def test_given_a_property_definition_at_fault_then_422_with_pointers_and_nothing_changes(api, tenant, unchanged):
    with unchanged():
        no_options = api.post("/v1/schemas/contacts/properties", {**SEGMENT, "options": None}, key=tenant.key)
        bad_name = api.post("/v1/schemas/contacts/properties", {**SEGMENT, "name": "Segment!"}, key=tenant.key)
        bad_target = api.post(
            "/v1/schemas/deals/properties",
            {"name": "partner", "label": "Partner", "type": "reference", "target": "planet"},
            key=tenant.key,
        )
        builtin = api.post("/v1/schemas/contacts/properties", {**SEGMENT, "name": "email"}, key=tenant.key)
        system = api.post("/v1/schemas/contacts/properties", {**SEGMENT, "name": "updated_at"}, key=tenant.key)
        unknown = api.post("/v1/schemas/planets/properties", SEGMENT, key=tenant.key)

    assert_problem(no_options, 422)
    assert_problem(bad_name, 422, "/name")
    assert_problem(bad_target, 422, "/target")
    assert_problem(builtin, 409)
    assert_problem(system, 422, "/name")
    assert_problem(unknown, 404)


def test_given_a_custom_property_when_an_option_in_use_is_removed_then_409_with_the_count(api, tenant):
    add_property(api, tenant, "contacts", SEGMENT)
    for email in ("a@acme.com", "b@acme.com"):
        assert contact(api, tenant, email=email, segment="ent").status == 201
    assert contact(api, tenant, email="c@acme.com", segment="smb").status == 201

    removing = api.patch(
        "/v1/schemas/contacts/properties/segment",
        {"options": [{"value": "smb", "label": "SMB"}]},
        key=tenant.key,
    )
    relabelled = api.patch(
        "/v1/schemas/contacts/properties/segment",
        {
            "options": [
                {"value": "ent", "label": "Enterprise (1000+)"},
                *SEGMENT["options"][:1],
                {"value": "mid", "label": "Mid"},
            ]
        },
        key=tenant.key,
    )

    problem = assert_problem(removing, 409)
    assert problem["records"] == 2 and "2 contact record(s)" in problem["detail"]
    assert relabelled.status == 200, relabelled.body
    assert [o["value"] for o in relabelled.body["options"]] == ["ent", "smb", "mid"]
    assert contact(api, tenant, email="d@acme.com", segment="mid").status == 201


def test_given_values_when_the_type_changes_then_refused_with_the_count_unless_every_value_fits(api, tenant):
    add_property(api, tenant, "contacts", {"name": "size", "label": "Size", "type": "string"})
    assert contact(api, tenant, email="a@acme.com", size="large").status == 201

    refused = api.patch("/v1/schemas/contacts/properties/size", {"type": "number"}, key=tenant.key)
    widened = api.patch("/v1/schemas/contacts/properties/size", {"type": "text"}, key=tenant.key)

    assert assert_problem(refused, 409)["records"] == 1
    assert widened.status == 200 and widened.body["type"] == "text"


def test_given_a_custom_property_when_archived_then_hidden_and_refused_and_restored_with_its_values(api, tenant):
    add_property(api, tenant, "contacts", SEGMENT)
    ana = contact(api, tenant, email="ana@acme.com", segment="smb").body

    assert api.delete("/v1/schemas/contacts/properties/segment", key=tenant.key).status == 204
    hidden = api.get(f"/v1/contacts/{ana['id']}", key=tenant.key).body
    refused = api.patch(f"/v1/contacts/{ana['id']}", {"properties": {"segment": "ent"}}, key=tenant.key)
    renamed = api.patch(f"/v1/contacts/{ana['id']}", {"properties": {"first_name": "Ana"}}, key=tenant.key)
    listed = api.get("/v1/schemas/contacts/properties", key=tenant.key).body["data"]
    with_archived = api.get("/v1/schemas/contacts/properties?archived=true", key=tenant.key).body["data"]
    again = api.post("/v1/schemas/contacts/properties", SEGMENT, key=tenant.key)
    restored = api.post("/v1/schemas/contacts/properties/segment/restore", key=tenant.key)

    assert "segment" not in hidden["properties"]
    assert_problem(refused, 422, "/properties/segment")
    assert renamed.status == 200 and "segment" not in renamed.body["properties"]
    assert "segment" not in [p["name"] for p in listed]
    assert next(p for p in with_archived if p["name"] == "segment")["archived"] is True
    assert "restore" in assert_problem(again, 409)["detail"]
    assert restored.status == 200 and restored.body["archived"] is False
    assert api.get(f"/v1/contacts/{ana['id']}", key=tenant.key).body["properties"]["segment"] == "smb"


def test_given_a_built_in_property_then_it_cannot_be_changed_or_archived(api, tenant, unchanged):
    with unchanged():
        changed = api.patch("/v1/schemas/contacts/properties/email", {"label": "Mail"}, key=tenant.key)
        archived = api.delete("/v1/schemas/contacts/properties/email", key=tenant.key)
    assert_problem(changed, 409)
    assert_problem(archived, 409)


def test_given_a_unique_custom_property_then_a_second_record_with_the_value_is_409_naming_the_first(api, tenant):
    add_property(api, tenant, "contacts", {"name": "badge", "label": "Badge", "type": "string", "unique": True})
    first = contact(api, tenant, email="a@acme.com", badge="B-1").body

    duplicate = contact(api, tenant, email="b@acme.com", badge="B-1")

    assert assert_problem(duplicate, 409, "/properties/badge")["existing_id"] == first["id"]


def test_given_a_read_only_or_member_key_then_schemas_are_read_but_changed_only_by_admins(api, tenant):
    member = api.post("/v1/api-keys", {"name": "m", "role": "member"}, key=tenant.key).body["api_key"]["key"]
    reader = api.post("/v1/api-keys", {"name": "r", "role": "read_only"}, key=tenant.key).body["api_key"]["key"]

    assert api.get("/v1/schemas", key=reader).status == 200
    assert_problem(api.post("/v1/schemas/contacts/properties", SEGMENT, key=member), 403)
    assert_problem(api.post("/v1/schemas", PARTNER, key=reader), 403)


def test_given_an_idempotency_key_when_a_property_is_added_twice_then_one_property_and_the_same_answer(api, tenant):
    headers = {"Idempotency-Key": "segment-1"}
    first = api.post("/v1/schemas/contacts/properties", SEGMENT, key=tenant.key, headers=headers)
    again = api.post("/v1/schemas/contacts/properties", SEGMENT, key=tenant.key, headers=headers)

    assert first.status == again.status == 201
    assert again.body == first.body and again.header("Idempotent-Replayed") == "true"


def test_given_record_changes_then_each_property_shows_its_fill_rate_and_last_write_without_a_scan(
    api, tenant, event_chain
):
    """Given segment on contacts and four contacts (two with a segment, one later cleared, one archived),
    when the changes have flowed through the bus, then ?include=usage shows each property's filled count,
    fill rate and last write; a redelivered event is not counted twice."""
    from schemas import usage

    add_property(api, tenant, "contacts", SEGMENT)
    ana = contact(api, tenant, email="ana@acme.com", segment="smb").body
    bo = contact(api, tenant, email="bo@acme.com", segment="ent").body
    cy = contact(api, tenant, email="cy@acme.com", first_name="Cy").body
    dee = contact(api, tenant, email="dee@acme.com").body
    assert api.patch(f"/v1/contacts/{bo['id']}", {"properties": {"segment": None}}, key=tenant.key).status == 200
    assert api.delete(f"/v1/contacts/{dee['id']}", key=tenant.key).status == 204
    event_chain.run()

    reply = api.get("/v1/schemas/contacts/properties?include=usage", key=tenant.key)
    plain = api.get("/v1/schemas/contacts/properties", key=tenant.key)

    assert reply.status == 200 and reply.body["records"] == 3
    by_name = {p["name"]: p["usage"] for p in reply.body["data"]}
    assert by_name["email"] == {**by_name["email"], "filled": 3, "fill_rate": 1.0}
    assert by_name["segment"]["filled"] == 1 and by_name["segment"]["fill_rate"] == round(1 / 3, 4)
    assert by_name["segment"]["last_written_at"] >= ana["updated_at"]
    assert by_name["first_name"]["filled"] == 1 and by_name["first_name"]["last_written_at"] == cy["created_at"]
    assert by_name["phone"] == {"filled": 0, "fill_rate": 0.0, "last_written_at": None}
    assert "usage" not in plain.body["data"][0] and "records" not in plain.body

    # The same event once more (SQS delivers at least once): nothing moves.
    created = next(e for e in events(tenant.id) if e["type"] == "contact.created")
    stored = usage.read_usage(TenantTable(tenant.id), "contact")
    usage.record_batch([created])
    assert usage.read_usage(TenantTable(tenant.id), "contact") == stored


# --- custom object types --------------------------------------------------------------------------------


def test_given_a_custom_object_type_then_its_records_behave_as_contacts_do(api, tenant):
    """Given partners, then create (201, Location, ETag), get, patch with If-Match (412 when stale), unique
    409, list, archive and restore work at /v1/objects/partners, and partner.* events are emitted."""
    schema = create_partner_type(api, tenant)
    ana = contact(api, tenant, email="ana@acme.com").body
    assert schema["custom"] is True and schema["collection"] == "partners"

    created = api.post(
        "/v1/objects/partners",
        {"properties": {"name": "Globex", "website": "https://globex.example", "referrer": ana["id"]}},
        key=tenant.key,
    )
    assert created.status == 201, created.body
    partner = created.body
    assert created.header("Location") == f"/v1/objects/partners/{partner['id']}"
    assert partner["object"] == "partner" and partner["properties"]["referrer"] == ana["id"]

    path = f"/v1/objects/partners/{partner['id']}"
    stale = api.patch(path, {"properties": {"tier": "gold"}}, key=tenant.key, headers={"If-Match": '"7"'})
    patched = api.patch(path, {"properties": {"tier": "gold"}}, key=tenant.key, headers={"If-Match": '"1"'})
    twin = api.post("/v1/objects/partners", {"properties": {"website": "https://globex.example"}}, key=tenant.key)
    empty = api.post("/v1/objects/partners", {"properties": {"tier": "gold"}}, key=tenant.key)
    dangling = api.post(
        "/v1/objects/partners", {"properties": {"name": "X", "referrer": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}}, key=tenant.key
    )
    listed = api.get("/v1/objects/partners", key=tenant.key).body["data"]
    archived = api.delete(path, key=tenant.key)
    gone = api.get(path, key=tenant.key)
    restored = api.post(f"{path}/restore", key=tenant.key)

    assert_problem(stale, 412)
    assert patched.status == 200 and patched.body["properties"]["tier"] == "gold"
    assert assert_problem(twin, 409, "/properties/website")["existing_id"] == partner["id"]
    assert_problem(empty, 422, "/properties")
    assert_problem(dangling, 422, "/properties/referrer")
    assert [p["id"] for p in listed] == [partner["id"]]
    assert archived.status == 204 and gone.status == 404 and restored.status == 200
    assert [t for t in event_types(tenant.id) if t.startswith("partner.")] == [
        "partner.created",
        "partner.deleted",
        "partner.restored",
        "partner.updated",
    ]


def test_given_an_object_type_definition_at_fault_then_422_or_409_and_nothing_changes(api, tenant, unchanged):
    create_partner_type(api, tenant)
    with unchanged():
        taken = api.post("/v1/schemas", PARTNER, key=tenant.key)
        builtin = api.post("/v1/schemas", {**PARTNER, "name": "contact", "collection": "people"}, key=tenant.key)
        reserved = api.post("/v1/schemas", {**PARTNER, "name": "workflow", "collection": "flows"}, key=tenant.key)
        unknown_identifying = api.post(
            "/v1/schemas",
            {**PARTNER, "name": "vendor", "collection": "vendors", "identifying": ["nope"]},
            key=tenant.key,
        )
    assert_problem(taken, 422, "/name", "/collection")
    assert_problem(builtin, 422, "/name")
    assert_problem(reserved, 422, "/name")
    assert_problem(unknown_identifying, 422, "/identifying/0")


def test_given_a_custom_object_type_then_a_reference_to_it_from_a_built_in_is_checked(api, tenant):
    create_partner_type(api, tenant)
    partner = api.post("/v1/objects/partners", {"properties": {"name": "Globex"}}, key=tenant.key).body
    add_property(
        api, tenant, "deals", {"name": "partner", "label": "Partner", "type": "reference", "target": "partner"}
    )

    good = api.post("/v1/deals", {"properties": {"name": "Big", "partner": partner["id"]}}, key=tenant.key)
    bad = api.post(
        "/v1/deals", {"properties": {"name": "Big", "partner": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}}, key=tenant.key
    )

    assert good.status == 201
    assert_problem(bad, 422, "/properties/partner")


# --- tenants apart --------------------------------------------------------------------------------------

CROSS_TENANT_ROUTES = [
    ("GET", "/v1/schemas/{collection}", None),
    ("GET", "/v1/schemas/{collection}/properties", None),
    ("POST", "/v1/schemas/{collection}/properties", {"name": "x", "label": "X", "type": "string"}),
    ("GET", "/v1/schemas/{collection}/properties/{name}", None),
    ("PATCH", "/v1/schemas/{collection}/properties/{name}", {"label": "Stolen"}),
    ("DELETE", "/v1/schemas/{collection}/properties/{name}", None),
    ("POST", "/v1/schemas/{collection}/properties/{name}/restore", None),
    ("GET", "/v1/objects/{collection}", None),
    ("POST", "/v1/objects/{collection}", {"properties": {"name": "Mine now"}}),
    ("GET", "/v1/objects/{collection}/{record_id}", None),
    ("PATCH", "/v1/objects/{collection}/{record_id}", {"properties": {"name": "Stolen"}}),
    ("DELETE", "/v1/objects/{collection}/{record_id}", None),
    ("POST", "/v1/objects/{collection}/{record_id}/restore", None),
]


def test_given_tenant_a_schema_when_tenant_b_uses_its_names_then_404_and_a_is_unchanged(
    api, tenant, other_tenant, unchanged
):
    """Given A's custom object type (with a custom property) and a record of it, when B uses A's collection,
    property name and record id on every schema and object route, then 404 and A's data is unchanged; B's
    own schema list shows none of A's definitions, and B's contacts do not take A's custom property."""
    create_partner_type(api, tenant)
    add_property(api, tenant, "contacts", SEGMENT)
    record = api.post("/v1/objects/partners", {"properties": {"name": "Globex"}}, key=tenant.key).body
    ids = {"collection": "partners", "name": "tier", "record_id": record["id"]}

    with unchanged():
        for method, path, body in CROSS_TENANT_ROUTES:
            reply = api.request(method, path.format(**ids), body=body, key=other_tenant.key)
            assert_problem(reply, 404)
        segment = api.get("/v1/schemas/contacts/properties/segment", key=other_tenant.key)
        b_schemas = api.get("/v1/schemas", key=other_tenant.key).body["data"]
    assert_problem(segment, 404)
    assert [s["collection"] for s in b_schemas] == ["contacts", "companies", "deals"]
    assert assert_problem(contact(api, other_tenant, email="x@b.com", segment="smb"), 422, "/properties/segment")


def test_given_a_custom_object_type_then_webhooks_may_subscribe_to_its_events_and_other_tenants_may_not(
    api, tenant, other_tenant
):
    create_partner_type(api, tenant)
    body = {"url": "https://hooks.acme.example/crm", "event_types": ["partner.*", "partner.created", "schema.changed"]}

    mine = api.post("/v1/webhooks", body, key=tenant.key)
    theirs = api.post("/v1/webhooks", body, key=other_tenant.key)

    assert mine.status == 201, mine.body
    assert_problem(theirs, 422, "/event_types/0", "/event_types/1")


# --- the document, typed per tenant ---------------------------------------------------------------------


def test_given_a_tenants_key_then_the_openapi_document_is_typed_for_its_own_data_model(api, tenant, other_tenant):
    """Given A's custom object type and custom property, when A fetches the document with its key, then it
    is valid OpenAPI with A's partners routes and typed schemas; without a key, or with B's key, none of it;
    with a revoked or made-up key, a 401."""
    from openapi_spec_validator import validate

    create_partner_type(api, tenant)
    add_property(api, tenant, "contacts", SEGMENT)

    mine = api.get("/v1/openapi.json", key=tenant.key).body
    public = api.get("/v1/openapi.json").body
    theirs = api.get("/v1/openapi.json", key=other_tenant.key).body
    forged = api.get("/v1/openapi.json", key="crm_live_" + "x" * 40)

    validate(mine)
    assert mine["paths"]["/objects/partners/{record_id}"]["patch"]["operationId"] == "update_object_partner"
    partner = mine["components"]["schemas"]["PartnerProperties"]["properties"]
    assert partner["website"]["format"] == "uri"
    assert partner["referrer"]["description"].startswith("Referred by")
    segment = mine["components"]["schemas"]["ContactProperties"]["properties"]["segment"]
    assert mine["components"]["schemas"][segment["$ref"].rsplit("/", 1)[1]]["enum"] == ["smb", "ent"]
    for document in (public, theirs):
        assert "/objects/partners" not in document["paths"]
        assert "segment" not in document["components"]["schemas"]["ContactProperties"]["properties"]
    assert_problem(forged, 401)


def test_given_a_schema_change_then_the_tenants_document_follows_on_the_next_request(api, tenant):
    before = api.get("/v1/openapi.json", key=tenant.key).body
    add_property(api, tenant, "companies", {"name": "employees", "label": "Employees", "type": "number"})
    after = api.get("/v1/openapi.json", key=tenant.key).body

    assert "employees" not in before["components"]["schemas"]["CompanyProperties"]["properties"]
    assert after["components"]["schemas"]["CompanyProperties"]["properties"]["employees"]["type"] == "number"


# --- for the cross-cutting suites -----------------------------------------------------------------------


def _with_segment(g: Any, archived: bool = False) -> str:
    add_property(g.api, g.tenant, "contacts", SEGMENT)
    if archived:
        assert g.api.delete("/v1/schemas/contacts/properties/segment", key=g.tenant.key).status == 204
    return "/v1/schemas/contacts/properties/segment"


def _pipeline(g: Any) -> str:
    from tests.integration.schemas.test_pipelines import create_pipeline

    return f"/v1/pipelines/{create_pipeline(g.api, g.tenant)['id']}"


# (operation, method, prepare(given) -> (path, body, another body, key)) for test_idempotent_routes.
IDEMPOTENT_CASES = [
    ("create_schema", "POST", lambda g: ("/v1/schemas", PARTNER, {**PARTNER, "label": "Partners"}, g.tenant.key)),
    (
        "create_schema_property",
        "POST",
        lambda g: ("/v1/schemas/contacts/properties", SEGMENT, {**SEGMENT, "name": "tier"}, g.tenant.key),
    ),
    ("update_schema_property", "PATCH", lambda g: (_with_segment(g), {"label": "A"}, {"label": "B"}, g.tenant.key)),
    ("archive_schema_property", "DELETE", lambda g: (_with_segment(g), None, None, g.tenant.key)),
    (
        "restore_schema_property",
        "POST",
        lambda g: (f"{_with_segment(g, archived=True)}/restore", None, None, g.tenant.key),
    ),
    (
        "create_pipeline",
        "POST",
        lambda g: (
            "/v1/pipelines",
            {"object": "deal", "name": "A", "stages": [{"id": "a", "label": "A", "probability": 0}]},
            {"object": "deal", "name": "B", "stages": [{"id": "b", "label": "B", "probability": 0}]},
            g.tenant.key,
        ),
    ),
    ("update_pipeline", "PATCH", lambda g: (_pipeline(g), {"name": "A"}, {"name": "B"}, g.tenant.key)),
]
