"""Making a custom property unique after records hold values (and ordinary again): existing values are
claimed first, shared ones refuse the change with a list of them, and a race with a write cannot let a
duplicate in. Numbers are unique in any spelling."""

from __future__ import annotations

from typing import Any

import pytest

from contacts.repository import RecordRepository
from crm.store import TenantTable
from tests.integration.schemas.test_schemas import add_property, contact
from tests.support.problems import assert_problem
from tests.support.table import events

BADGE = "/v1/schemas/contacts/properties/badge"


def badge_property(api, tenant, **extra: Any) -> dict[str, Any]:
    return add_property(api, tenant, "contacts", {"name": "badge", "label": "Badge", "type": "string", **extra})


def guards(tenant, prop: str = "badge") -> dict[str, str]:
    return dict(RecordRepository(TenantTable(tenant.id)).unique_guards("contact", prop))


def test_given_distinct_values_when_the_property_becomes_unique_then_each_value_is_claimed(api, tenant):
    badge_property(api, tenant)
    ana = contact(api, tenant, email="ana@acme.com", badge="B-1").body
    bo = contact(api, tenant, email="bo@acme.com", badge="B-2").body
    contact(api, tenant, email="cy@acme.com")

    made = api.patch(BADGE, {"unique": True, "label": "Badge no."}, key=tenant.key)
    duplicate = contact(api, tenant, email="dee@acme.com", badge="B-1")

    assert made.status == 200, made.body
    assert (made.body["unique"], made.body["label"]) == (True, "Badge no.")
    assert guards(tenant) == {"B-1": ana["id"], "B-2": bo["id"]}
    assert assert_problem(duplicate, 409, "/properties/badge")["existing_id"] == ana["id"]


def test_given_shared_values_when_the_property_becomes_unique_then_409_lists_them_and_nothing_changes(
    api, tenant, unchanged
):
    badge_property(api, tenant)
    shared = [contact(api, tenant, email=f"{n}@acme.com", badge="B-1").body["id"] for n in ("ana", "bo", "cy")]
    contact(api, tenant, email="dee@acme.com", badge="B-2")

    with unchanged():
        refused = api.patch(BADGE, {"unique": True, "label": "Badge no."}, key=tenant.key)

    problem = assert_problem(refused, 409)
    assert problem["type"].endswith("/duplicate-values")
    assert problem["records"] == 3
    assert problem["duplicates"] == [{"value": "B-1", "record_ids": sorted(shared, reverse=True), "records": 3}]
    assert api.get(BADGE, key=tenant.key).body["unique"] is False


def test_given_a_shared_value_on_an_archived_record_then_the_property_still_becomes_unique(api, tenant):
    badge_property(api, tenant)
    old = contact(api, tenant, email="old@acme.com", badge="B-1").body
    assert api.delete(f"/v1/contacts/{old['id']}", key=tenant.key).status == 204
    new = contact(api, tenant, email="new@acme.com", badge="B-1").body

    made = api.patch(BADGE, {"unique": True}, key=tenant.key)
    restored = api.post(f"/v1/contacts/{old['id']}/restore", key=tenant.key)

    assert made.status == 200 and made.body["unique"] is True
    assert assert_problem(restored, 409, "/properties/badge")["existing_id"] == new["id"]


def test_given_a_unique_property_when_made_ordinary_then_values_may_be_shared_and_its_guards_are_gone(api, tenant):
    badge_property(api, tenant, unique=True)
    contact(api, tenant, email="ana@acme.com", badge="B-1")

    ordinary = api.patch(BADGE, {"unique": False}, key=tenant.key)
    shared = contact(api, tenant, email="bo@acme.com", badge="B-1")

    assert ordinary.status == 200 and ordinary.body["unique"] is False
    assert shared.status == 201
    assert guards(tenant) == {}


def test_given_a_write_that_races_the_claim_then_the_duplicate_is_caught_and_the_property_stays_ordinary(
    api, tenant, monkeypatch
):
    """Given a property becoming unique, when a stale writer (one that had not seen the change) gives a
    second record an existing value while the values are being claimed, then the claim finds it: the
    property goes back to ordinary, the 409 lists the value, and no guard is left behind."""
    from contacts import registry
    from contacts.service import RecordService

    badge_property(api, tenant)
    ana = contact(api, tenant, email="ana@acme.com", badge="B-1").body
    bo = contact(api, tenant, email="bo@acme.com").body
    stale_writer = RecordService(tenant.id, registry.SchemaRegistry(tenant.id).by_name("contact"))

    def a_stale_write_lands() -> None:
        stale_writer.update(bo["id"], {"badge": "B-1"})

    monkeypatch.setattr(registry, "settle", a_stale_write_lands)
    refused = api.patch(BADGE, {"unique": True}, key=tenant.key)

    problem = assert_problem(refused, 409)
    assert problem["duplicates"] == [{"value": "B-1", "record_ids": [bo["id"], ana["id"]], "records": 2}]
    assert api.get(BADGE, key=tenant.key).body["unique"] is False
    assert guards(tenant) == {}


def test_given_a_claim_that_died_half_way_when_the_patch_is_sent_again_then_it_finishes(api, tenant, monkeypatch):
    from schemas.service import Schemas

    badge_property(api, tenant)
    ana = contact(api, tenant, email="ana@acme.com", badge="B-1").body

    def dies(*_: Any) -> None:
        raise TimeoutError("the function ran out of time")

    monkeypatch.setattr(Schemas, "_claim_existing", dies)
    with pytest.raises(TimeoutError):
        Schemas(tenant.id).update_property("contacts", "badge", _patch(unique=True), None)
    monkeypatch.undo()
    pending = api.get(BADGE, key=tenant.key).body
    meanwhile = contact(api, tenant, email="bo@acme.com", badge="B-9").body

    finished = api.patch(BADGE, {"unique": True}, key=tenant.key)

    assert pending["unique"] is False  # shown unique only once every value is claimed
    assert finished.status == 200 and finished.body["unique"] is True
    assert guards(tenant) == {"B-1": ana["id"], "B-9": meanwhile["id"]}  # claimed by the write itself


def test_given_a_stale_guard_from_an_earlier_unique_time_then_making_it_unique_takes_it_over(api, tenant):
    from crm.idempotency import Outcome
    from crm.writes import WritePlan, Writer

    badge_property(api, tenant)
    ana = contact(api, tenant, email="ana@acme.com", badge="B-1").body
    bo = contact(api, tenant, email="bo@acme.com", badge="B-2").body
    plan = WritePlan()  # a guard left behind: B-1 names bo, who never held it
    RecordRepository(TenantTable(tenant.id)).claim_unique(plan, "contact", "badge", "B-1", bo["id"])
    Writer(TenantTable(tenant.id)).commit(plan, Outcome(200, None))

    made = api.patch(BADGE, {"unique": True}, key=tenant.key)

    assert made.status == 200, made.body
    assert guards(tenant) == {"B-1": ana["id"], "B-2": bo["id"]}


@pytest.mark.parametrize(
    ("definition", "patch", "pointer"),
    [
        ({"type": "text"}, {"unique": True}, "/unique"),
        ({"type": "string"}, {"unique": True, "type": "url"}, "/unique"),
    ],
)
def test_given_a_change_uniqueness_cannot_take_then_422_at_the_field(
    api, tenant, unchanged, definition, patch, pointer
):
    badge_property(api, tenant, **definition)
    with unchanged():
        refused = api.patch(BADGE, patch, key=tenant.key)
    assert_problem(refused, 422, pointer)


def test_given_an_archived_property_when_made_unique_then_409_restore_first(api, tenant, unchanged):
    badge_property(api, tenant)
    assert api.delete(BADGE, key=tenant.key).status == 204
    with unchanged():
        refused = api.patch(BADGE, {"unique": True}, key=tenant.key)
    assert "restore" in assert_problem(refused, 409)["detail"]


def test_given_an_idempotency_key_when_making_unique_is_retried_then_the_first_answer_returns(api, tenant):
    badge_property(api, tenant)
    contact(api, tenant, email="ana@acme.com", badge="B-1")
    headers = {"Idempotency-Key": "unique-badge"}

    first = api.patch(BADGE, {"unique": True}, key=tenant.key, headers=headers)
    again = api.patch(BADGE, {"unique": True}, key=tenant.key, headers=headers)

    assert first.status == again.status == 200
    assert again.body == first.body and again.header("Idempotent-Replayed") == "true"
    changes = [e["data"]["change"] for e in events(tenant.id) if e["type"] == "schema.changed"]
    assert changes[-2:] == [{"property": "badge", "action": "updated"}] * 2  # pending, then claimed


def test_given_a_unique_number_then_every_spelling_of_a_value_is_one_value(api, tenant):
    add_property(api, tenant, "contacts", {"name": "seat", "label": "Seat", "type": "number", "unique": True})
    first = contact(api, tenant, email="a@acme.com", seat=12)

    second = contact(api, tenant, email="b@acme.com", seat="12.0")
    third = contact(api, tenant, email="c@acme.com", seat=1.2e1)

    assert first.status == 201, first.body
    assert assert_problem(second, 409, "/properties/seat")["existing_id"] == first.body["id"]
    assert assert_problem(third, 409, "/properties/seat")["existing_id"] == first.body["id"]


def _patch(**fields: Any):
    from schemas.definition import PropertyPatch

    return PropertyPatch(**fields)
