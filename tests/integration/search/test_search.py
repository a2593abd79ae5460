"""Search (POST /v1/<collection>/search): filter groups (OR of ANDs) over the condition language, `query`
prefixes, sorts, cursors to the end, custom indexed and unindexed properties, associated-record filters, the
index items every write keeps in step (archive, restore, updates, writes too large for one transaction, the
rebuild) and what each search reads (X-Items-Read); validation pointers; tenants apart."""

from __future__ import annotations

from typing import Any

import pytest

from contacts.registry import SchemaRegistry
from crm.idempotency import Outcome
from crm.store import Delete, Put, TenantTable
from crm.writes import WritePlan, Writer
from search.indexing import rebuild
from search.rebuild import main
from search.repository import SearchRepository
from tests.integration.schemas.test_schemas import PARTNER, add_property, create_partner_type
from tests.support.problems import assert_problem
from tests.support.table import everything, partition, tenant_items

SEATS = {"name": "seats", "label": "Seats", "type": "number", "indexed": True}
RENEWAL = {"name": "renewal", "label": "Renewal", "type": "date", "indexed": True}
NOTE = {"name": "note", "label": "Note", "type": "string"}  # not indexed
SEGMENT = {
    "name": "segment",
    "label": "Segment",
    "type": "enum",
    "options": [{"value": "smb", "label": "SMB"}, {"value": "ent", "label": "Enterprise"}],
    "indexed": True,
}


def create(api, tenant, collection: str = "contacts", **properties: Any) -> dict[str, Any]:
    reply = api.post(f"/v1/{collection}", {"properties": properties}, key=tenant.key)
    assert reply.status == 201, reply.body
    return reply.body


def search(api, tenant, body: dict[str, Any], collection: str = "contacts", key: str | None = None):
    reply = api.post(f"/v1/{collection}/search", body, key=key or tenant.key)
    if reply.status == 200:
        assert set(reply.body) == {"data", "next_cursor"}
        assert int(reply.header("X-Items-Read")) >= 0
    return reply


def ids(reply) -> list[str]:
    assert reply.status == 200, reply.body
    return [record["id"] for record in reply.body["data"]]


def where(*filters: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """One AND group of these filters: {"property": ..., "op": ..., "value": ...}."""
    return {"filter_groups": [{"filters": list(filters)}], **extra}


def f(prop: str, op: str, *value: Any) -> dict[str, Any]:
    return {"property": prop, "op": op, **({"value": value[0]} if value else {})}


def search_all(api, tenant, body: dict[str, Any], collection: str = "contacts") -> tuple[list[str], int, int]:
    """Every page to the end: the ids in order, the pages and the items they read."""
    found, pages, read, after = [], 0, 0, None
    while True:
        reply = search(api, tenant, {**body, **({"after": after} if after else {})}, collection)
        found += ids(reply)
        pages, read = pages + 1, read + int(reply.header("X-Items-Read"))
        after = reply.body["next_cursor"]
        if after is None:
            return found, pages, read
        assert pages < 200, "the cursor never ends"


@pytest.fixture
def people(api, tenant, tick) -> dict[str, dict[str, Any]]:
    """Four contacts, oldest first, with custom indexed seats (number) and renewal (date)."""
    add_property(api, tenant, "contacts", SEATS)
    add_property(api, tenant, "contacts", RENEWAL)
    rows = {
        "ada": {"email": "ada@acme.com", "first_name": "Ada", "last_name": "Lovelace", "lifecycle_stage": "lead"},
        "grace": {"email": "grace@hopper.io", "first_name": "Grace", "last_name": "Hopper"},
        "alan": {"email": "alan@acme.com", "first_name": "Alan", "lifecycle_stage": "lead"},
        "barbara": {"email": "barbara@liskov.org", "first_name": "Barbara"},
    }
    extra = {
        "ada": {"seats": 5, "renewal": "2026-03-01"},
        "grace": {"seats": "12.5", "renewal": "2026-06-30", "lifecycle_stage": "customer"},
        "alan": {"seats": 100},
        "barbara": {},
    }
    made = {}
    for name, properties in rows.items():
        made[name] = create(api, tenant, **properties, **extra[name])
        tick()
    return made


def newest_first(people: dict[str, dict[str, Any]], *names: str) -> list[str]:
    return sorted((people[n]["id"] for n in names), reverse=True)


# --- filters -------------------------------------------------------------------------------------------


def test_given_contacts_when_searched_with_each_operator_then_exactly_the_matching_ones_come_newest_first(
    api, tenant, people
):
    """Given four contacts, when each operator of the condition language filters them (on built-in, custom,
    indexed and unindexed properties and record fields), then each answers exactly its matches, newest first."""
    grace_updated = people["grace"]["updated_at"]
    cases = [
        (f("lifecycle_stage", "eq", "lead"), ["ada", "alan"]),
        (f("email", "eq", " ADA@acme.com "), ["ada"]),  # normalised as a write would be
        (f("seats", "eq", 12.5), ["grace"]),
        (f("lifecycle_stage", "neq", "lead"), ["grace"]),  # set, and different
        (f("seats", "lt", "12.5"), ["ada"]),
        (f("seats", "lte", 12.5), ["ada", "grace"]),
        (f("seats", "gt", 12.5), ["alan"]),
        (f("seats", "gte", 5), ["ada", "grace", "alan"]),
        (f("renewal", "gt", "2026-03-01"), ["grace"]),
        (f("lifecycle_stage", "in", ["lead", "customer"]), ["ada", "grace", "alan"]),
        (f("lifecycle_stage", "not_in", ["lead"]), ["grace"]),
        (f("email", "contains", "ACME"), ["ada", "alan"]),
        (f("first_name", "starts_with", "a"), ["ada", "alan"]),
        (f("email", "ends_with", ".org"), ["barbara"]),
        (f("seats", "is_set"), ["ada", "grace", "alan"]),
        (f("lifecycle_stage", "is_not_set"), ["barbara"]),
        (f("updated_at", "gte", grace_updated), ["grace", "alan", "barbara"]),
        (f("id", "in", [people["ada"]["id"], people["barbara"]["id"].lower()]), ["ada", "barbara"]),
        (f("phone", "is_set"), []),
    ]
    for condition, expected in cases:
        reply = search(api, tenant, where(condition))
        assert (condition, ids(reply)) == (condition, newest_first(people, *expected))


def test_given_filter_groups_then_any_group_may_match_and_within_a_group_all_must(api, tenant, people):
    body = {
        "filter_groups": [
            {"filters": [f("lifecycle_stage", "eq", "lead"), f("seats", "gt", 10)]},  # alan
            {"filters": [f("email", "ends_with", "@hopper.io")]},  # grace
            {"filters": [f("first_name", "eq", "Alan")]},  # alan again: once
        ]
    }

    assert ids(search(api, tenant, body)) == newest_first(people, "grace", "alan")


def test_given_a_query_then_it_matches_the_start_of_names_words_emails_and_domains_ignoring_case(api, tenant, people):
    acme = create(api, tenant, "companies", name="Acme Robotics Ltd", domain="https://www.acme-robotics.com/")
    create(api, tenant, "companies", name="Globex")
    deal = create(api, tenant, "deals", name="Pilot for Acme")

    assert ids(search(api, tenant, {"query": "acme"})) == newest_first(people, "ada", "alan")  # email domains
    assert ids(search(api, tenant, {"query": "LOVE"})) == [people["ada"]["id"]]  # last name
    assert ids(search(api, tenant, {"query": "grace@hop"})) == [people["grace"]["id"]]  # email
    assert ids(search(api, tenant, {"query": "a"})) == newest_first(people, "ada", "alan")  # not barbar-a
    assert ids(search(api, tenant, {"query": "robotics"}, "companies")) == [acme["id"]]  # a word of the name
    assert ids(search(api, tenant, {"query": "acme-rob"}, "companies")) == [acme["id"]]  # the domain
    assert ids(search(api, tenant, {"query": "acme"}, "deals")) == [deal["id"]]
    assert ids(search(api, tenant, {"query": "ACME", **where(f("lifecycle_stage", "eq", "lead"))})) == newest_first(
        people, "ada", "alan"
    )
    assert ids(search(api, tenant, {"query": "zed"})) == []


def test_given_an_associated_record_filter_then_contacts_match_through_their_company_and_deals_through_contacts(
    api, tenant, people, tick
):
    """Given contacts at companies, when contacts are searched by `company.industry`, then those whose company
    matches come back (served by the company's industry index and the contacts' company_id index); deals by
    `contact.email` (through contact_ids), and a filter on an unindexed associated property still answers."""
    robots = create(api, tenant, "companies", name="Robots", industry="Robotics")
    banks = create(api, tenant, "companies", name="Banks", industry="Banking")
    archived = create(api, tenant, "companies", name="Gone", industry="Robotics")
    for name, company in (("ada", robots), ("grace", banks), ("alan", archived)):
        patched = api.patch(
            f"/v1/contacts/{people[name]['id']}", {"properties": {"company_id": company["id"]}}, key=tenant.key
        )
        assert patched.status == 200, patched.body
        tick()
    assert api.delete(f"/v1/companies/{archived['id']}", key=tenant.key).status == 204
    deal = create(api, tenant, "deals", name="D1", contact_ids=[people["grace"]["id"], people["ada"]["id"]])
    create(api, tenant, "deals", name="D2", contact_ids=[people["barbara"]["id"]])

    robotics = search(api, tenant, where(f("company.industry", "eq", "Robotics")))
    either = search(api, tenant, where(f("company.industry", "in", ["Robotics", "Banking"])))
    unindexed = search(api, tenant, where(f("company.created_at", "is_set")))
    negated = search(api, tenant, where(f("company.industry", "neq", "Robotics")))
    deals = search(api, tenant, where(f("contact.email", "eq", "ada@acme.com")), "deals")

    assert ids(robotics) == [people["ada"]["id"]]  # not alan: his company is archived
    assert ids(either) == newest_first(people, "ada", "grace")
    assert ids(unindexed) == newest_first(people, "ada", "grace")
    assert ids(negated) == [people["grace"]["id"]]
    assert ids(deals) == [deal["id"]]


# --- sorting and paging --------------------------------------------------------------------------------


def test_given_sorts_then_records_come_in_that_order_and_those_without_the_property_last_ascending(api, tenant, people):
    by_seats = ids(search(api, tenant, {"sorts": [{"property": "seats", "direction": "asc"}]}))
    by_seats_desc = ids(search(api, tenant, {"sorts": [{"property": "seats", "direction": "desc"}]}))
    oldest_first = ids(search(api, tenant, {"sorts": [{"property": "created_at"}]}))
    api.patch(f"/v1/contacts/{people['ada']['id']}", {"properties": {"owner": "sam"}}, key=tenant.key)
    recently_updated = ids(search(api, tenant, {"sorts": [{"property": "updated_at", "direction": "desc"}]}))
    leads_by_name = ids(
        search(api, tenant, {**where(f("lifecycle_stage", "eq", "lead")), "sorts": [{"property": "first_name"}]})
    )

    order = [people[n]["id"] for n in ("ada", "grace", "alan", "barbara")]
    assert by_seats == order  # 5, 12.5, 100, then barbara (none)
    assert by_seats_desc == [order[3], order[2], order[1], order[0]]
    assert oldest_first == order
    assert recently_updated[0] == people["ada"]["id"]
    assert leads_by_name == [people["ada"]["id"], people["alan"]["id"]]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(where(f("lifecycle_stage", "eq", "lead")), id="indexed eq, newest first"),
        pytest.param(where(f("lifecycle_stage", "in", ["lead", "customer"])), id="indexed in, newest first"),
        pytest.param(where(f("seats", "gte", 3), sorts=[{"property": "seats", "direction": "desc"}]), id="range"),
        pytest.param(where(f("note", "eq", "x")), id="unindexed"),
        pytest.param({"sorts": [{"property": "seats"}]}, id="sorted, unset last"),
        pytest.param({"sorts": [{"property": "seats", "direction": "desc"}]}, id="sorted desc, unset first"),
        pytest.param(where(f("note", "eq", "x"), sorts=[{"property": "updated_at"}]), id="unindexed by updated_at"),
        pytest.param({"query": "p", "sorts": [{"property": "seats"}]}, id="query sorted by a property"),
        pytest.param(
            {
                "filter_groups": [
                    {"filters": [f("lifecycle_stage", "eq", "lead")]},
                    {"filters": [f("seats", "lt", 10)]},
                ]
            },
            id="or",
        ),
    ],
)
def test_given_more_records_than_a_page_when_paged_with_cursors_then_every_match_comes_once_in_order(
    api, tenant, tick, body
):
    add_property(api, tenant, "contacts", SEATS)
    add_property(api, tenant, "contacts", NOTE)
    made = []
    for n in range(23):
        properties = {"email": f"p{n}@pages.example", "note": "x" if n % 3 else "y"}
        properties["lifecycle_stage"] = "lead" if n % 2 else "customer"
        if n % 4:
            properties["seats"] = n % 7
        made.append(create(api, tenant, **properties))
        tick()

    found, pages, _ = search_all(api, tenant, {**body, "limit": 4})
    everything_at_once = ids(search(api, tenant, {**body, "limit": 100}))

    assert found == everything_at_once
    assert len(found) == len(set(found)) and pages >= 2
    assert set(found) <= {r["id"] for r in made}
    assert found  # every case matches some


def test_given_a_cursor_when_used_with_another_search_or_tampered_then_400(api, tenant, people):
    first = search(api, tenant, {**where(f("lifecycle_stage", "eq", "lead")), "limit": 1})
    after = first.body["next_cursor"]
    assert after

    other = search(api, tenant, {**where(f("lifecycle_stage", "eq", "customer")), "limit": 1, "after": after})
    elsewhere = search(api, tenant, {**where(f("first_name", "is_set")), "limit": 1, "after": after})
    tampered = search(api, tenant, {**where(f("lifecycle_stage", "eq", "lead")), "limit": 1, "after": after[:-2]})
    same = search(api, tenant, {**where(f("lifecycle_stage", "eq", "lead")), "limit": 1, "after": after})

    for refused in (other, elsewhere, tampered):
        assert assert_problem(refused, 400)["type"].endswith("/invalid-cursor")
    assert ids(same) == [people["ada"]["id"]]


# --- what a search reads ----------------------------------------------------------------------------


def _read(reply) -> int:
    assert reply.status == 200, reply.body
    return int(reply.header("X-Items-Read"))


def test_given_an_indexed_filter_then_a_page_reads_the_same_items_at_any_collection_size(api, tenant):
    """Given 12 matching contacts among 20, then 90 among 150, when a page of 10 is searched by an indexed
    property, then it reads the same number of items (11 index items, 10 records) both times; an unindexed
    filter reads the whole collection, so its items read grow with it."""
    add_property(api, tenant, "contacts", NOTE)
    indexed = {**where(f("lifecycle_stage", "eq", "customer")), "limit": 10}
    unindexed = {**where(f("note", "eq", "match")), "limit": 10}

    def grow(to: int) -> None:
        for n in range(len(tenant_contacts), to):
            stage = "customer" if n % 5 < 3 else "lead"
            tenant_contacts.append(create(api, tenant, email=f"c{n}@size.example", lifecycle_stage=stage, note="no"))

    tenant_contacts: list[dict[str, Any]] = []
    grow(20)
    small, small_unindexed = search(api, tenant, indexed), search_all(api, tenant, unindexed)
    grow(150)
    large, large_unindexed = search(api, tenant, indexed), search_all(api, tenant, unindexed)

    assert len(ids(small)) == len(ids(large)) == 10
    assert _read(small) == _read(large) == 21
    assert small_unindexed[0] == large_unindexed[0] == []
    assert small_unindexed[2] >= 20 and large_unindexed[2] >= 150  # every record, page by page


def test_given_an_update_then_only_the_index_items_whose_values_changed_are_written_and_searches_follow(
    api, tenant, people
):
    ada = people["ada"]
    before = {i["sk"] for i in tenant_items(tenant.id) if "#X#" in i["pk"] or i["pk"].endswith("#XQ#contact")}

    moved = api.patch(f"/v1/contacts/{ada['id']}", {"properties": {"lifecycle_stage": "customer"}}, key=tenant.key)
    assert moved.status == 200
    after = {i["sk"] for i in tenant_items(tenant.id) if "#X#" in i["pk"] or i["pk"].endswith("#XQ#contact")}

    changed = sorted((after - before) | (before - after))
    assert [key.split("\x00")[0] for key in changed] == sorted(
        ["lead", "customer", ada["updated_at"].replace("Z", "000Z"), moved.body["updated_at"].replace("Z", "000Z")]
    )
    assert ada["id"] not in ids(search(api, tenant, where(f("lifecycle_stage", "eq", "lead"))))
    assert ada["id"] in ids(search(api, tenant, where(f("lifecycle_stage", "eq", "customer"))))


def test_given_an_archived_record_then_searches_leave_it_out_and_its_index_items_go_until_restored(api, tenant, people):
    ada = people["ada"]["id"]
    stage = f"T#{tenant.id}#X#contact#lifecycle_stage"
    items_before = [i for i in tenant_items(tenant.id) if i["sk"].endswith(ada) and "#X" in i["pk"]]

    assert api.delete(f"/v1/contacts/{ada}", key=tenant.key).status == 204
    gone = [i for i in tenant_items(tenant.id) if i["sk"].endswith(ada) and "#X" in i["pk"]]
    while_archived = [
        search(api, tenant, body) for body in (where(f("lifecycle_stage", "eq", "lead")), {"query": "ada"})
    ]
    unindexed = search(api, tenant, where(f("email", "ends_with", "@acme.com")))
    assert api.post(f"/v1/contacts/{ada}/restore", key=tenant.key).status == 200

    assert len(items_before) >= 6 and gone == []
    assert all(ada not in ids(reply) for reply in while_archived)
    assert ids(unindexed) == [people["alan"]["id"]]
    assert ada in ids(search(api, tenant, where(f("lifecycle_stage", "eq", "lead"))))
    assert ada in ids(search(api, tenant, {"query": "ada"}))
    assert ada in [i["record_id"] for i in partition(stage)]


# --- custom properties and object types ------------------------------------------------------------------


def test_given_custom_properties_then_indexed_ones_get_index_items_and_unindexed_ones_are_searched_by_reading(
    api, tenant
):
    """Given segment (indexed) and note (not) added through the schema API, when contacts are written and
    searched by each, then segment has its own index partition and is served by it; note has none and its
    search reads every contact."""
    add_property(api, tenant, "contacts", SEGMENT)
    add_property(api, tenant, "contacts", NOTE)
    smb = create(api, tenant, email="a@s.example", segment="smb", note="vip")
    create(api, tenant, email="b@s.example", segment="ent", note="other")
    create(api, tenant, email="c@s.example")

    by_segment = search(api, tenant, where(f("segment", "eq", "SMB")))
    by_note = search(api, tenant, where(f("note", "eq", "vip")))

    assert [i["sk"].split("\x00")[0] for i in partition(f"T#{tenant.id}#X#contact#segment")] == ["ent", "smb"]
    assert partition(f"T#{tenant.id}#X#contact#note") == []
    assert ids(by_segment) == ids(by_note) == [smb["id"]]
    assert _read(by_segment) == 2  # one index item, one record
    assert _read(by_note) == 3  # every contact


def test_given_a_custom_object_type_then_its_records_are_searched_by_query_and_filters(api, tenant, people):
    create_partner_type(api, tenant)
    add_property(api, tenant, "partners", {"name": "rank", "label": "Rank", "type": "number", "indexed": True})
    globex = api.post(
        "/v1/objects/partners",
        {"properties": {"name": "Globex Corp", "website": "https://www.globex.example", "rank": 2}},
        key=tenant.key,
    ).body
    api.post("/v1/objects/partners", {"properties": {"name": "Initech", "rank": 1}}, key=tenant.key)

    assert ids(search(api, tenant, {"query": "corp"}, "objects/partners")) == [globex["id"]]
    assert ids(search(api, tenant, {"query": "globex.ex"}, "objects/partners")) == [globex["id"]]  # the URL
    assert ids(search(api, tenant, where(f("rank", "gte", 2)), "objects/partners")) == [globex["id"]]
    assert ids(search(api, tenant, where(f("tier", "is_not_set")), "objects/partners"))  # unindexed
    assert PARTNER["collection"] == "partners"


# --- writes too large for one transaction, and the rebuild ---------------------------------------------------


def test_given_a_deal_naming_fifty_contacts_then_its_index_items_follow_the_transaction_and_search_finds_it(
    api, tenant, monkeypatch
):
    """A deal with 50 contacts needs more index items than its transaction has room for (next to its 51
    reference checks): the rest follow at once, the pending mark is gone, and searches find it by any contact."""
    from search import indexing

    contacts = [create(api, tenant, first_name=f"C{n}")["id"] for n in range(50)]
    followed: list[int] = []
    finish = indexing.Deferred.finish
    monkeypatch.setattr(indexing.Deferred, "finish", lambda d: (followed.append(len(d.puts)), finish(d))[1])
    deal = create(api, tenant, "deals", name="Big rollout for everyone", stage="won", contact_ids=contacts)

    indexed = partition(f"T#{tenant.id}#X#deal#contact_ids")
    pending = partition(f"T#{tenant.id}#XP#deal")
    found = [ids(search(api, tenant, where(f("contact_ids", "contains", c)), "deals")) for c in contacts[::7]]

    assert followed and followed[0] > 0  # some puts did not fit the deal's own transaction
    assert len(indexed) == 50 and pending == []
    assert all(result == [deal["id"]] for result in found)


def test_given_a_pending_mark_then_every_search_reads_that_record_until_a_rebuild_clears_it(api, tenant, people):
    """Given a record whose index items never arrived (the request died after its transaction: simulated by
    deleting them and leaving its pending mark) and a stale item, when searched, then it is still found and the
    stale item misleads nothing; the rebuild writes its items, removes the stale one and clears the mark."""
    ada = people["ada"]
    table = TenantTable(tenant.id)
    contacts = SchemaRegistry(tenant.id).by_name("contact")
    plan = WritePlan()
    for item in tenant_items(tenant.id):
        if "#X" in item["pk"] and item["sk"].endswith(ada["id"]):
            plan.add(Delete(item["pk"], item["sk"]))
    SearchRepository(table).mark_pending(plan, "contact", ada["id"], ada["version"])
    stale = {"kind": "search_index", "record_id": ada["id"]}
    plan.add(Put(f"T#{tenant.id}#X#contact#owner", "ghost\x00" + ada["id"], stale))
    Writer(table).commit(plan, Outcome(200, None))

    found = search(api, tenant, where(f("lifecycle_stage", "eq", "lead")))
    ghost = search(api, tenant, where(f("owner", "eq", "ghost")))
    report = rebuild(table, contacts)
    again = search(api, tenant, where(f("lifecycle_stage", "eq", "lead")))

    assert ids(found) == newest_first(people, "ada", "alan")
    assert ids(ghost) == []  # a stale item leads to a record that does not match
    assert report.put >= 5 and report.deleted == 1 and report.pending_cleared == 1
    assert partition(f"T#{tenant.id}#XP#contact") == []
    assert ids(again) == newest_first(people, "ada", "alan") and _read(again) == 4
    assert rebuild(table, contacts).put == 0  # a second run finds nothing to do


def test_given_records_written_before_the_indexes_when_the_operator_rebuilds_then_searches_serve_them(
    api, tenant, other_tenant, people, capsys
):
    """Given contacts and companies without index items (as records written before search existed), when the
    operator runs `python -m search.rebuild` for every tenant, then every index is complete again."""
    for item in tenant_items(tenant.id):
        if "#X" in item["pk"]:
            Writer(TenantTable(tenant.id)).commit(WritePlan().add(Delete(item["pk"], item["sk"])), Outcome(200, None))
    before = search(api, tenant, where(f("lifecycle_stage", "eq", "lead")))

    main([])

    assert ids(before) == []  # nothing indexed: the index has no way to know
    assert ids(search(api, tenant, where(f("lifecycle_stage", "eq", "lead")))) == newest_first(people, "ada", "alan")
    assert ids(search(api, tenant, {"query": "lovel"})) == [people["ada"]["id"]]
    printed = capsys.readouterr().out
    assert f"{tenant.id} contacts: 4 records read, 36 items written, 0 stale items removed" in printed
    assert f"{other_tenant.id} contacts: 0 records read, 0 items written" in printed


def test_given_a_search_reading_the_whole_collection_then_each_page_reads_a_bounded_share_and_paging_ends(
    api, tenant, monkeypatch
):
    """An unindexed filter reads the records partition a page at a time: with a page read bound of 10 items,
    40 contacts whose oldest two match take three pages, the first two empty but with a next_cursor, and
    together they read every contact once and find both matches."""
    from search import service

    monkeypatch.setattr(service, "MAX_READ", 10)
    add_property(api, tenant, "contacts", NOTE)
    made = [create(api, tenant, email=f"m{n}@bound.example", note="x" if n < 2 else "y")["id"] for n in range(40)]
    body, pages, after = {**where(f("note", "eq", "x")), "limit": 5}, [], None
    while True:
        reply = search(api, tenant, {**body, **({"after": after} if after else {})})
        pages.append((ids(reply), _read(reply), reply.body["next_cursor"] is not None))
        after = reply.body["next_cursor"]
        if after is None or len(pages) > 10:
            break

    assert [found for found, _, _ in pages] == [[], [], [made[1], made[0]]]
    assert [more for _, _, more in pages] == [True, True, False]
    assert sum(read for _, read, _ in pages) == 40  # every contact, once


# --- validation --------------------------------------------------------------------------------------------


def test_given_searches_that_do_not_fit_the_object_type_then_422_pointing_at_each_fault(api, tenant, unchanged):
    with unchanged():
        faults = search(
            api,
            tenant,
            {
                "filter_groups": [
                    {"filters": [f("planet", "eq", "x"), f("email", "gt", "a")]},
                    {"filters": [f("seats", "eq", 1), f("lifecycle_stage", "eq", "pirate"), f("company.x", "eq", 1)]},
                    {"filters": [f("first_name", "in", "Ada"), f("owner", "eq")]},
                ],
                "sorts": [{"property": "email_domain"}],
            },
        )
        malformed = search(
            api,
            tenant,
            {"filter_groups": [{"filters": [f("email", "changed"), {"property": "email"}]}], "limit": 0},
        )
        extra = search(api, tenant, {"filter_groups": [], "limit": 101, "order": "asc"})
        query = search(api, tenant, {"query": "  "})
        unsortable = search(api, tenant, {"sorts": [{"property": "contact_ids"}]}, "deals")
        not_json = api.post("/v1/contacts/search", raw=b'{"query": ', key=tenant.key)
        unknown = search(api, tenant, {"query": "x"}, "objects/planets")

    problem = assert_problem(
        faults,
        422,
        "/filter_groups/0/filters/0/property",
        "/filter_groups/0/filters/1/op",
        "/filter_groups/1/filters/0/property",
        "/filter_groups/1/filters/1/value",
        "/filter_groups/1/filters/2/property",
        "/filter_groups/2/filters/0/value",
        "/filter_groups/2/filters/1/value",
        "/sorts/0/property",
    )
    assert problem["type"].endswith("/invalid-search")
    assert "changed" not in problem["errors"][1]["detail"]
    assert_problem(malformed, 422, "/filter_groups/0/filters/0/op", "/filter_groups/0/filters/1/op", "/limit")
    assert_problem(extra, 422, "/limit", "/order")
    assert_problem(query, 422, "/query")
    assert_problem(unsortable, 422, "/sorts/0/property")
    assert_problem(not_json, 400)
    assert_problem(unknown, 404)


def test_given_a_read_only_key_then_it_may_search_but_not_write(api, tenant, people):
    reader = api.post("/v1/api-keys", {"name": "Reader", "role": "read_only"}, key=tenant.key).body["api_key"]["key"]

    found = search(api, tenant, where(f("lifecycle_stage", "eq", "lead")), key=reader)
    refused = api.post("/v1/contacts", {"properties": {"first_name": "No"}}, key=reader)

    assert ids(found) == newest_first(people, "ada", "alan")
    assert_problem(refused, 403)


# --- tenants apart ------------------------------------------------------------------------------------------

# Search routes B calls with A's data (values, ids, cursors, collections): (method, path, body).
CROSS_TENANT_ROUTES = [
    ("POST", "/v1/contacts/search", {"query": "ada"}),
    ("POST", "/v1/objects/contacts/search", {"filter_groups": [{"filters": [f("email", "eq", "ada@acme.com")]}]}),
    ("POST", "/v1/companies/search", {"filter_groups": [{"filters": [f("industry", "eq", "Robotics")]}]}),
    ("POST", "/v1/deals/search", {"filter_groups": [{"filters": [f("contact_ids", "contains", "{contact}")]}]}),
    ("POST", "/v1/contacts/search", {"filter_groups": [{"filters": [f("company_id", "eq", "{company}")]}]}),
    ("POST", "/v1/contacts/search", {"filter_groups": [{"filters": [f("id", "in", ["{contact}"])]}]}),
    ("POST", "/v1/objects/{collection}/search", {"query": "globex"}),
]


def _filled(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, list):
        return [_filled(v, names) for v in value]
    if isinstance(value, dict):
        return {k: _filled(v, names) for k, v in value.items()}
    return value


def test_given_tenant_a_data_when_tenant_b_searches_with_its_values_ids_cursors_and_collection_then_nothing_of_a(
    api, tenant, other_tenant, unchanged
):
    """Given A's contacts, company, deal and custom object type, when B searches with A's values, ids, cursors
    and collection, then B gets empty pages, 400 for A's cursors and 404 for A's collection, and A's data is
    unchanged while A itself finds all of it."""
    company = create(api, tenant, "companies", name="Robots", industry="Robotics")
    ada = create(api, tenant, email="ada@acme.com", first_name="Ada", company_id=company["id"])
    create(api, tenant, "deals", name="Secret", contact_ids=[ada["id"]])
    create_partner_type(api, tenant)
    api.post("/v1/objects/partners", {"properties": {"name": "Globex"}}, key=tenant.key)
    names = {"contact": ada["id"], "company": company["id"], "collection": "partners"}
    create(api, tenant, email="ada2@acme.com", first_name="Ada")
    cursor = search(api, tenant, {"query": "ada", "limit": 1}).body["next_cursor"]
    assert cursor

    with unchanged():
        for method, path, body in CROSS_TENANT_ROUTES:
            filled = _filled(body, names)
            mine = api.request(method, path.format(**names), filled, key=tenant.key)
            theirs = api.request(method, path.format(**names), filled, key=other_tenant.key)
            assert mine.status == 200 and mine.body["data"], (path, filled, mine.body)
            if "{collection}" in path:
                assert_problem(theirs, 404)
            else:
                assert (theirs.status, theirs.body) == (200, {"data": [], "next_cursor": None}), (path, theirs.body)
        stolen = search(api, tenant, {"query": "ada", "limit": 1, "after": cursor}, key=other_tenant.key)
    assert assert_problem(stolen, 400)["type"].endswith("/invalid-cursor")
    assert not [i for i in everything() if i["pk"].startswith(f"T#{other_tenant.id}#X")]


def test_given_records_with_an_unindexed_property_when_it_is_marked_indexed_then_they_are_indexed_first(
    api, tenant, monkeypatch
):
    """Given note (not indexed) on three contacts, when it is marked indexed, then the records that hold it
    are indexed before the answer, a contact written while that ran keeps its own item, searches are served
    by the index from then on (and walk the records before), and unmarking deletes the items."""
    from contacts import registry
    from contacts.service import RecordService
    from search.service import SearchService

    add_property(api, tenant, "contacts", NOTE)
    vip = create(api, tenant, email="a@n.example", note="vip")
    create(api, tenant, email="b@n.example", note="other")
    create(api, tenant, email="c@n.example")
    written_meanwhile: list[dict[str, Any]] = []

    def a_write_lands_while_pending() -> None:  # (in the handler's process, as another container would)
        if written_meanwhile:
            return  # (settling after unmarking)
        contacts = SchemaRegistry(tenant.id).by_name("contact")
        pending = SearchService(tenant.id, contacts).search(where(f("note", "eq", "vip")))
        assert pending.items_read == 3  # not served by the index yet: every contact is read
        written_meanwhile.append(
            RecordService(tenant.id, contacts).create({"email": "d@n.example", "note": "vip"}).body
        )

    monkeypatch.setattr(registry, "settle", a_write_lands_while_pending)
    marked = api.patch("/v1/schemas/contacts/properties/note", {"indexed": True}, key=tenant.key)
    served = search(api, tenant, where(f("note", "eq", "vip")))
    items = partition(f"T#{tenant.id}#X#contact#note")
    unmarked = api.patch("/v1/schemas/contacts/properties/note", {"indexed": False}, key=tenant.key)

    assert marked.status == 200 and marked.body["indexed"] is True
    assert sorted(ids(served)) == sorted([vip["id"], written_meanwhile[0]["id"]])
    assert _read(served) == 4  # two index items, two records: not every contact
    assert sorted(i["sk"].split("\x00")[0] for i in items) == ["other", "vip", "vip"]
    assert unmarked.status == 200 and unmarked.body["indexed"] is False
    assert partition(f"T#{tenant.id}#X#contact#note") == []
    assert _read(search(api, tenant, where(f("note", "eq", "vip")))) == 4  # every contact again
