"""Associations between records of any object types: labelled, idempotent, visible from both sides, with
reference properties shown as associations, events, and tenants apart."""

from __future__ import annotations

from typing import Any

from tests.integration.schemas.test_schemas import create_partner_type
from tests.support.problems import assert_problem
from tests.support.table import event_types

LABELS = {"labels": [{"name": "referrer", "label": "Referred by"}, {"name": "champion", "label": "Champion"}]}


def record(api, tenant, collection: str, **properties: Any) -> dict[str, Any]:
    reply = api.post(f"/v1/{collection}", {"properties": properties}, key=tenant.key)
    assert reply.status == 201, reply.body
    return reply.body


def partner_and_contact(api, tenant) -> tuple[dict[str, Any], dict[str, Any]]:
    create_partner_type(api, tenant)
    assert api.request("PUT", "/v1/schemas/partners/associations/contacts", LABELS, key=tenant.key).status == 200
    return record(api, tenant, "objects/partners", name="Globex"), record(api, tenant, "contacts", email="ana@acme.com")


def test_given_labels_for_a_pair_then_either_direction_reads_them(api, tenant):
    create_partner_type(api, tenant)
    put = api.request("PUT", "/v1/schemas/contacts/associations/partners", LABELS, key=tenant.key)
    other_way = api.get("/v1/schemas/partners/associations/contacts", key=tenant.key)

    assert put.status == 200 and [x["name"] for x in put.body["labels"]] == ["referrer", "champion"]
    assert other_way.body["labels"] == put.body["labels"] and other_way.body["object"] == "partner"


def test_given_two_records_when_associated_then_both_sides_list_it_and_putting_it_again_changes_nothing(api, tenant):
    partner, ana = partner_and_contact(api, tenant)
    path = f"/v1/objects/partners/{partner['id']}/associations/contacts/{ana['id']}"

    first = api.request("PUT", path, {"label": "referrer"}, key=tenant.key)
    again = api.request("PUT", path, {"label": "referrer"}, key=tenant.key)
    relabelled = api.request("PUT", path, {"label": "champion"}, key=tenant.key)
    from_partner = api.get(f"/v1/objects/partners/{partner['id']}/associations/contacts", key=tenant.key).body
    from_contact = api.get(f"/v1/contacts/{ana['id']}/associations/partners", key=tenant.key).body

    assert first.status == again.status == 200
    assert first.body == {**first.body, "object": "contact", "id": ana["id"], "label": "referrer"}
    assert relabelled.body["label"] == "champion"
    assert [(a["id"], a["label"]) for a in from_partner["data"]] == [(ana["id"], "champion")]
    assert [(a["object"], a["id"], a["label"]) for a in from_contact["data"]] == [
        ("partner", partner["id"], "champion")
    ]
    assert [t for t in event_types(tenant.id) if t.startswith("association.")] == [
        "association.created",
        "association.updated",
    ]


def test_given_an_association_when_removed_then_gone_from_both_sides_and_removing_again_is_404(api, tenant):
    partner, ana = partner_and_contact(api, tenant)
    path = f"/v1/contacts/{ana['id']}/associations/partners/{partner['id']}"
    assert api.request("PUT", path, {}, key=tenant.key).status == 200

    removed = api.delete(f"/v1/objects/partners/{partner['id']}/associations/contacts/{ana['id']}", key=tenant.key)

    assert removed.status == 204
    assert api.get(f"/v1/contacts/{ana['id']}/associations/partners", key=tenant.key).body["data"] == []
    assert_problem(api.delete(path, key=tenant.key), 404)
    assert "association.deleted" in event_types(tenant.id)


def test_given_reference_properties_then_they_show_as_associations_labelled_with_the_property(api, tenant):
    company = record(api, tenant, "companies", name="Acme")
    ana = record(api, tenant, "contacts", email="ana@acme.com", company_id=company["id"])
    deal = record(api, tenant, "deals", name="Pilot", contact_ids=[ana["id"]], company_id=company["id"])

    of_contact = api.get(f"/v1/contacts/{ana['id']}/associations/companies", key=tenant.key).body["data"]
    of_deal = api.get(f"/v1/objects/deals/{deal['id']}/associations/contacts", key=tenant.key).body["data"]

    assert of_contact == [
        {"object": "company", "id": company["id"], "label": "company_id", "via": "property", "created_at": None}
    ]
    assert [(a["id"], a["label"], a["via"]) for a in of_deal] == [(ana["id"], "contact_ids", "property")]


def test_given_records_referring_to_a_company_then_the_company_lists_them_after_its_associations(api, tenant):
    """Given contacts with company_id and a deal listing contacts in contact_ids, when the company and a
    contact list their associations, then the referring records are there too, labelled with the property,
    paged with the associations made through the API, to the end, and archived referrers are not."""
    company = record(api, tenant, "companies", name="Acme")
    workers = [record(api, tenant, "contacts", email=f"w{n}@acme.com", company_id=company["id"]) for n in range(3)]
    gone = record(api, tenant, "contacts", email="gone@acme.com", company_id=company["id"])
    assert api.delete(f"/v1/contacts/{gone['id']}", key=tenant.key).status == 204
    advisor = record(api, tenant, "contacts", email="advisor@example.com")
    path = f"/v1/companies/{company['id']}/associations/contacts/{advisor['id']}"
    assert api.request("PUT", path, {}, key=tenant.key).status == 200
    deal = record(api, tenant, "deals", name="Pilot", contact_ids=[workers[0]["id"]])

    seen, cursor, pages = [], None, 0
    while True:
        query = f"?limit=2&cursor={cursor}" if cursor else "?limit=2"
        page = api.get(f"/v1/companies/{company['id']}/associations/contacts{query}", key=tenant.key)
        assert page.status == 200, page.body
        seen += [(a["id"], a["label"], a["via"]) for a in page.body["data"]]
        cursor, pages = page.body["next_cursor"], pages + 1
        if cursor is None:
            break
    deals_of_worker = api.get(f"/v1/contacts/{workers[0]['id']}/associations/deals", key=tenant.key).body["data"]

    assert seen[0] == (advisor["id"], None, "association")
    assert sorted(seen[1:]) == sorted((w["id"], "company_id", "property") for w in workers)
    assert pages >= 2
    assert [(a["id"], a["label"], a["via"]) for a in deals_of_worker] == [(deal["id"], "contact_ids", "property")]


def test_given_many_associations_then_they_page_with_cursors_to_the_end(api, tenant):
    company = record(api, tenant, "companies", name="Acme")
    people = [record(api, tenant, "contacts", email=f"p{n}@acme.com") for n in range(5)]
    for person in people:
        path = f"/v1/companies/{company['id']}/associations/contacts/{person['id']}"
        assert api.request("PUT", path, {}, key=tenant.key).status == 200

    seen, cursor = [], None
    while True:
        query = f"?limit=2&cursor={cursor}" if cursor else "?limit=2"
        page = api.get(f"/v1/companies/{company['id']}/associations/contacts{query}", key=tenant.key).body
        seen += [a["id"] for a in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(p["id"] for p in people)


def test_given_bad_associations_then_404_or_422_and_nothing_is_written(api, tenant, unchanged):
    partner, ana = partner_and_contact(api, tenant)
    archived = record(api, tenant, "contacts", email="gone@acme.com")
    assert api.delete(f"/v1/contacts/{archived['id']}", key=tenant.key).status == 204
    base = f"/v1/objects/partners/{partner['id']}/associations"

    with unchanged():
        unknown_label = api.request("PUT", f"{base}/contacts/{ana['id']}", {"label": "friend"}, key=tenant.key)
        missing = api.request("PUT", f"{base}/contacts/01ARZ3NDEKTSV4RRFFQ69G5FAV", {}, key=tenant.key)
        gone = api.request("PUT", f"{base}/contacts/{archived['id']}", {}, key=tenant.key)
        itself = api.request("PUT", f"{base}/partners/{partner['id']}", {}, key=tenant.key)
        no_type = api.request("PUT", f"{base}/planets/{ana['id']}", {}, key=tenant.key)

    assert_problem(unknown_label, 422, "/label")
    assert_problem(missing, 404)
    assert_problem(gone, 404)
    assert_problem(itself, 422)
    assert_problem(no_type, 404)


CROSS_TENANT_ROUTES = [
    route
    for collection, to in (("contacts", "companies"), ("companies", "contacts"), ("deals", "contacts"))
    for prefix in ("/v1", "/v1/objects")
    for route in (
        ("GET", f"{prefix}/{collection}/{{{collection}}}/associations/{to}", None),
        ("PUT", f"{prefix}/{collection}/{{{collection}}}/associations/{to}/{{{to}}}", {}),
        ("DELETE", f"{prefix}/{collection}/{{{collection}}}/associations/{to}/{{{to}}}", None),
    )
] + [
    ("GET", "/v1/schemas/{collection}/associations/contacts", None),
    ("PUT", "/v1/schemas/{collection}/associations/contacts", LABELS),
]


def test_given_tenant_a_records_when_tenant_b_associates_or_lists_them_then_404_and_a_is_unchanged(
    api, tenant, other_tenant, unchanged
):
    create_partner_type(api, tenant)
    company = record(api, tenant, "companies", name="Acme")
    ana = record(api, tenant, "contacts", email="ana@acme.com")
    assert (
        api.request(
            "PUT", f"/v1/contacts/{ana['id']}/associations/companies/{company['id']}", {}, key=tenant.key
        ).status
        == 200
    )
    theirs = record(api, other_tenant, "contacts", email="bo@b.com")
    deal = record(api, tenant, "deals", name="Pilot")
    ids = {"contacts": ana["id"], "companies": company["id"], "deals": deal["id"], "collection": "partners"}

    with unchanged():
        for method, path, body in CROSS_TENANT_ROUTES:
            assert_problem(api.request(method, path.format(**ids), body=body, key=other_tenant.key), 404)
        # B's own contact and A's company: A's company does not exist for B.
        mixed = api.request(
            "PUT", f"/v1/contacts/{theirs['id']}/associations/companies/{company['id']}", {}, key=other_tenant.key
        )
    assert_problem(mixed, 404)


# --- for test_idempotent_routes -------------------------------------------------------------------------

_SINGULAR = {"contacts": "contact", "companies": "company", "deals": "deal"}
_FIRST = {"contacts": {"email": "a@acme.com"}, "companies": {"name": "Acme"}, "deals": {"name": "Pilot"}}


def _pair(g: Any, collection: str, *, associated: bool) -> str:
    """A record of `collection` and a company (a contact when the collection is companies): their path."""
    to = "contacts" if collection == "companies" else "companies"
    one = record(g.api, g.tenant, collection, **_FIRST[collection])
    other = record(g.api, g.tenant, to, **_FIRST[to])
    path = f"/{collection}/{one['id']}/associations/{to}/{other['id']}"
    if associated:
        assert g.api.request("PUT", f"/v1{path}", {}, key=g.tenant.key).status == 200
    return path


def idempotent_cases() -> list[tuple[str, str, Any]]:
    """(operation, method, prepare(given) -> (path, body, another body, key)) for every association write."""
    cases: list[tuple[str, str, Any]] = []
    for collection, name in _SINGULAR.items():
        for prefix, operation in (("/v1", name), ("/v1/objects", f"object_{name}")):

            def associate(g: Any, collection: str = collection, prefix: str = prefix) -> tuple:
                return f"{prefix}{_pair(g, collection, associated=False)}", {}, {"label": None}, g.tenant.key

            def dissociate(g: Any, collection: str = collection, prefix: str = prefix) -> tuple:
                return f"{prefix}{_pair(g, collection, associated=True)}", None, None, g.tenant.key

            cases += [(f"associate_{operation}", "PUT", associate), (f"dissociate_{operation}", "DELETE", dissociate)]

    def labels(g: Any) -> tuple:
        other = {"labels": [{"name": "x", "label": "X"}]}
        return "/v1/schemas/contacts/associations/companies", LABELS, other, g.tenant.key

    return [*cases, ("set_association_labels", "PUT", labels)]
